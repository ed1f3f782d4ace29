# Keeps each record's search_vector in its table row instead of the TOAST
# table (PostgreSQL). A search reads the vector of each of up to 1,000
# candidates to match and rank it; out of line, each read is a lookup in the
# TOAST index and table, and a common term's candidate scan cost 5.5-8.4 ms
# per kind at 100,000 programmes (1.3-2 ms with the vectors inline).
#
# STORAGE MAIN alone would not do: a row is made to fit toast_tuple_target
# (2 KB by default), and with a 1.9 KB vector that stays, the other columns,
# names included, would be pushed out instead (lists would then read every
# name from the TOAST table). A 4 KB target leaves the names in the row; the
# long texts (descriptions, search_document) still move out as before.
#
# VACUUM FULL rewrites the rows already stored under the new rule (it needs
# the table to itself for the time it takes: seconds per 100,000 rows).

from django.db import migrations

TABLES = [
    "directory_organisation",
    "programmes_programme",
    "programmes_service",
    "programmes_event",
]
ROW_TARGET_BYTES = 4080


def keep_inline(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} SET (toast_tuple_target = {ROW_TARGET_BYTES}), "
            "ALTER COLUMN search_vector SET STORAGE MAIN"
        )
        schema_editor.execute(f"VACUUM (FULL, ANALYZE) {table}")


def move_out(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} RESET (toast_tuple_target), "
            "ALTER COLUMN search_vector SET STORAGE EXTENDED"
        )


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("directory", "0012_facet_entry_until"),
        ("programmes", "0007_event_last_day_index"),
    ]

    operations = [
        migrations.RunPython(keep_inline, move_out),
    ]
