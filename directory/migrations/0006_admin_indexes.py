# Indexes for the admin changelists. Organisations: one per sortable column,
# with the id that breaks ties, so a page of any sort is read from an index
# instead of sorting the whole table; one for the filter by acronym; small
# partial ones for the "missing translation" filter. Citations: trigram
# indexes for the search. PostgreSQL only: SQLite databases are small.

from django.db import migrations

INDEXES = {
    "org_admin_name": "directory_organisation (name, id)",
    "org_admin_short_name": "directory_organisation (short_name, id)",
    "org_admin_verified": "directory_organisation (last_verified_on, id)",
    "org_admin_updated": "directory_organisation (updated_at, id)",
    # The organisation filter finds its organisations by acronym, any case.
    "org_admin_short_name_upper": "directory_organisation (UPPER(short_name))",
    # The "missing translation" filter: records still without a Chinese name.
    "org_admin_no_hans": "directory_organisation (id) WHERE name_zh_hans = ''",
    "org_admin_no_hant": "directory_organisation (id) WHERE name_zh_hant = ''",
    # The citation search: quotes and supported facts containing the words typed.
    "citation_admin_quote_trgm": "directory_citation USING gin (UPPER(quote) gin_trgm_ops)",
    "citation_admin_supports_trgm": "directory_citation USING gin (UPPER(supports) gin_trgm_ops)",
}
FORWARD = [f"CREATE INDEX IF NOT EXISTS {name} ON {columns}" for name, columns in INDEXES.items()]
BACKWARD = [f"DROP INDEX IF EXISTS {name}" for name in INDEXES]


def postgresql_only(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_search_names"),
    ]

    operations = [
        migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD)),
    ]
