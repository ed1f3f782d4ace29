from django.db import migrations


def create(apps, schema_editor):
    # PostgreSQL only. Its planner estimates (kind, facet, value) as three
    # independent columns, so "value 1" looks equally likely for every facet
    # (region 1, sector 1, kind of help 1...); the combined most-common-values
    # list gives it the real row counts the facet index's plans depend on.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE STATISTICS IF NOT EXISTS facet_entry_values (mcv) "
            "ON kind, facet, value FROM directory_facetentry"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS facet_entry_values")


class Migration(migrations.Migration):
    dependencies = [("directory", "0009_facet_entries_by_value")]

    operations = [migrations.RunPython(create, drop)]
