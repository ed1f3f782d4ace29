# Indexes for the admin changelists of programmes, services and events: one
# per sortable column, with the id that breaks ties, so a page of any sort is
# read from an index instead of sorting the whole table (events list newest
# first and then by name, so their date index matches that order); one for
# the programmes' launch date filter; small partial ones for the "missing
# translation" filter. PostgreSQL only: SQLite databases are small.

from django.db import migrations

INDEXES = {
    "prog_admin_name": "programmes_programme (name, id)",
    "prog_admin_short_name": "programmes_programme (short_name, id)",
    "prog_admin_verified": "programmes_programme (last_verified_on, id)",
    "prog_admin_updated": "programmes_programme (updated_at, id)",
    # For the filter by launch date.
    "prog_admin_launch": "programmes_programme (launch_date)",
    "svc_admin_name": "programmes_service (name, id)",
    "svc_admin_verified": "programmes_service (last_verified_on, id)",
    "svc_admin_updated": "programmes_service (updated_at, id)",
    "event_admin_start": "programmes_event (start_date DESC, name, id)",
    "event_admin_end": "programmes_event (end_date, id)",
    "event_admin_name": "programmes_event (name, id)",
    "event_admin_verified": "programmes_event (last_verified_on, id)",
    # The "missing translation" filter: records still without a Chinese name.
    "prog_admin_no_hans": "programmes_programme (id) WHERE name_zh_hans = ''",
    "prog_admin_no_hant": "programmes_programme (id) WHERE name_zh_hant = ''",
    "svc_admin_no_hans": "programmes_service (id) WHERE name_zh_hans = ''",
    "svc_admin_no_hant": "programmes_service (id) WHERE name_zh_hant = ''",
    "event_admin_no_hans": "programmes_event (id) WHERE name_zh_hans = ''",
    "event_admin_no_hant": "programmes_event (id) WHERE name_zh_hant = ''",
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
        ("programmes", "0004_search_names"),
    ]

    operations = [
        migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD)),
    ]
