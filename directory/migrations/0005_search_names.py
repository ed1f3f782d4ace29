# The misspelling match moves from whole documents to names: the trigram
# index over `search_document` goes, a smaller one over `search_names` comes.

from django.db import migrations, models

TABLES = {"org": "directory_organisation"}
FORWARD = [
    statement
    for prefix, table in TABLES.items()
    for statement in (
        f"DROP INDEX IF EXISTS {prefix}_search_document_trgm",
        f"CREATE INDEX IF NOT EXISTS {prefix}_search_names_trgm "
        f"ON {table} USING gin (search_names gin_trgm_ops)",
    )
]
BACKWARD = [
    statement
    for prefix, table in TABLES.items()
    for statement in (
        f"DROP INDEX IF EXISTS {prefix}_search_names_trgm",
        f"CREATE INDEX IF NOT EXISTS {prefix}_search_document_trgm "
        f"ON {table} USING gin (search_document gin_trgm_ops)",
    )
]


def backfill(app_label, model_names):
    """Fills `search_names` for existing records, as `refresh_search_index` would."""

    def apply(apps, schema_editor):
        from directory.search import index_text, names_text

        fields = ("name", "name_zh_hans", "name_zh_hant", "short_name", "alternative_names")
        for model_name in model_names:
            model = apps.get_model(app_label, model_name)
            present = [f for f in fields if any(x.name == f for x in model._meta.fields)]
            batch = []
            for row in model.objects.order_by("pk").values("pk", *present).iterator(2000):
                own = " ".join(row[f] for f in present if row[f])
                batch.append(model(pk=row["pk"], search_names=names_text(index_text(own))))
                if len(batch) == 2000:
                    model.objects.bulk_update(batch, ["search_names"])
                    batch = []
            model.objects.bulk_update(batch, ["search_names"])

    return apply


def postgresql_only(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_content_translations"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="search_names",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(backfill("directory", ["organisation"]), migrations.RunPython.noop),
        migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD)),
    ]
