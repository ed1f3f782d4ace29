from django.db import migrations, models


def fill(apps, schema_editor):
    # The events' existing entries take their event's last day, as
    # facets._entries_sql gives new ones (one statement, both databases).
    entries = apps.get_model("directory", "FacetEntry")._meta.db_table
    events = apps.get_model("programmes", "Event")._meta.db_table
    schema_editor.execute(
        f"UPDATE {entries} SET until = (SELECT COALESCE(e.end_date, e.start_date) "
        f"FROM {events} e WHERE e.id = {entries}.record_id) WHERE kind = 'event'"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0011_name_words"),
        ("programmes", "0007_event_last_day_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="facetentry",
            name="until",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="facetentry",
            index=models.Index(
                condition=models.Q(("until__isnull", False)),
                fields=["kind", "facet", "until"],
                include=("value",),
                name="facet_entry_until",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
            ),
        ),
    ]
