"""The two editorial roles, so that a fresh database has them.

Editor: view, add and change every directory record (and submit it for
review); no publishing, no deleting. Publisher: an editor who may also
publish, unpublish, archive and delete. Neither gets any permission on users
or groups: only superusers manage accounts.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORIAL_APPS = ["directory", "programmes"]
EDITOR_ACTIONS = ["view", "add", "change"]
PUBLISHER_ACTIONS = EDITOR_ACTIONS + ["delete", "publish"]


def _codenames(apps, actions):
    codenames = []
    for label in EDITORIAL_APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                # History is read through the record's own admin; its rows
                # are never edited directly.
                continue
            for action in actions:
                codenames.append((label, f"{action}_{model._meta.model_name}"))
    return codenames


def create_roles(apps, schema_editor):
    # Permissions are normally created after `migrate` finishes; the groups
    # need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in [("Editor", EDITOR_ACTIONS), ("Publisher", PUBLISHER_ACTIONS)]:
        group, _created = Group.objects.get_or_create(name=name)
        wanted = _codenames(apps, actions)
        permissions = [
            p
            for p in Permission.objects.filter(content_type__app_label__in=EDITORIAL_APPS)
            if (p.content_type.app_label, p.codename) in wanted
        ]
        group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Publisher"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_search_indexes"),
        ("programmes", "0002_search_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
