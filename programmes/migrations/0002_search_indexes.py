# Search indexes for PostgreSQL only; on SQLite this migration does nothing.
# The pg_trgm extension comes from directory 0002.

from django.db import migrations

TABLES = {
    "prog": "programmes_programme",
    "svc": "programmes_service",
    "event": "programmes_event",
}
# Per table: the tsvector GIN index serves `search_vector @@ websearch_to_tsquery(...)`,
# the trigram GIN index serves `search_document %> 'misspelt name'` (directory/search.py).
FORWARD = [
    statement
    for prefix, table in TABLES.items()
    for statement in (
        f"CREATE INDEX IF NOT EXISTS {prefix}_search_vector_gin ON {table} USING gin (search_vector)",
        f"CREATE INDEX IF NOT EXISTS {prefix}_search_document_trgm "
        f"ON {table} USING gin (search_document gin_trgm_ops)",
    )
]
BACKWARD = [
    statement
    for prefix in TABLES
    for statement in (
        f"DROP INDEX IF EXISTS {prefix}_search_vector_gin",
        f"DROP INDEX IF EXISTS {prefix}_search_document_trgm",
    )
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0002_search_indexes'),
        ('programmes', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False),
    ]
