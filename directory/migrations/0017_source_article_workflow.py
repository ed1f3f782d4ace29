"""Source articles get the records' publication status.

Articles already in the database were public, so they start published; new
ones start as drafts. Publishers may publish them, as they may records.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def publish_existing_and_grant(apps, schema_editor):
    apps.get_model("directory", "SourceArticle").objects.update(status="published")
    app_config = apps.get_app_config("directory")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(
        content_type__app_label="directory", codename="publish_sourcearticle"
    ).first()
    if permission is not None:
        for group in Group.objects.filter(name="Publisher"):
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0016_reserved_slugs"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="sourcearticle",
            options={
                "ordering": ["-published_on", "title"],
                "permissions": [
                    ("publish_sourcearticle", "Can publish, unpublish and archive source articles")
                ],
                "verbose_name": "source article",
                "verbose_name_plural": "source articles",
            },
        ),
        migrations.AddField(
            model_name="historicalsourcearticle",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("in_review", "In review"),
                    ("published", "Published"),
                    ("archived", "Archived"),
                ],
                db_index=True,
                default="draft",
                max_length=16,
                verbose_name="publication status",
            ),
        ),
        migrations.AddField(
            model_name="sourcearticle",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("in_review", "In review"),
                    ("published", "Published"),
                    ("archived", "Archived"),
                ],
                db_index=True,
                default="draft",
                max_length=16,
                verbose_name="publication status",
            ),
        ),
        migrations.RunPython(publish_existing_and_grant, migrations.RunPython.noop),
    ]
