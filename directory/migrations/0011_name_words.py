# The misspelling match moves from every record's names to their words: a
# table of the distinct words of `search_names`, behind a trigram index, as
# the PostgreSQL manual's pg_trgm chapter suggests ("Text Search Integration").

from django.db import migrations, models

from directory.search import name_words_from_tables_sql

TABLES = [
    "directory_organisation",
    "programmes_programme",
    "programmes_service",
    "programmes_event",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS name_word_trgm "
        "ON directory_nameword USING gin (word gin_trgm_ops)"
    )
    schema_editor.execute(name_words_from_tables_sql(TABLES))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS name_word_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0010_facet_entry_statistics"),
        ("programmes", "0007_event_last_day_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="NameWord",
            fields=[
                ("word", models.CharField(max_length=100, primary_key=True, serialize=False)),
            ],
        ),
        migrations.RunPython(create, drop),
    ]
