"""The Reviewer group: operators who may look at everything, change nothing.

Permissions are normally created after all migrations have run, so on a
fresh database they do not exist yet here: the missing content types and view
permissions are created, the same rows Django would create later.
"""

from django.db import migrations

REVIEWER_GROUP = "Reviewer"
REVIEWED_APPS = ["orders", "shipments"]


def create_reviewer_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    database = schema_editor.connection.alias

    permissions = []
    for app_label in REVIEWED_APPS:
        for model in apps.get_app_config(app_label).get_models():
            content_type, _ = ContentType.objects.using(database).get_or_create(
                app_label=app_label, model=model._meta.model_name
            )
            permission, _ = Permission.objects.using(database).get_or_create(
                content_type=content_type,
                codename=f"view_{model._meta.model_name}",
                defaults={"name": f"Can view {model._meta.verbose_name_raw}"},
            )
            permissions.append(permission)

    group, _ = Group.objects.using(database).get_or_create(name=REVIEWER_GROUP)
    group.permissions.set(permissions)


def remove_reviewer_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(
        name=REVIEWER_GROUP
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_cdiscount_france_channel"),
        ("shipments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_reviewer_group, remove_reviewer_group),
    ]
