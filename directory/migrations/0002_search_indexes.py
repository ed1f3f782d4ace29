# Search indexes for PostgreSQL only; on SQLite this migration does nothing.

from django.db import migrations

# The tsvector GIN index serves `search_vector @@ websearch_to_tsquery(...)`;
# the trigram GIN index serves `search_document %> 'misspelt name'` and
# `ILIKE '%...%'` (see directory/search.py).
FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS org_search_vector_gin "
    "ON directory_organisation USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS org_search_document_trgm "
    "ON directory_organisation USING gin (search_document gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS org_search_vector_gin",
    "DROP INDEX IF EXISTS org_search_document_trgm",
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
        ('directory', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False),
    ]
