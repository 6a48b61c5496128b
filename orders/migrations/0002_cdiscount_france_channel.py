from django.db import migrations


def create_cdiscount_france(apps, schema_editor):
    SalesChannel = apps.get_model("orders", "SalesChannel")
    SalesChannel.objects.update_or_create(
        sales_channel_id="CDISFR",
        defaults={"name": "Cdiscount France", "ships_customer_cancel_requests": True},
    )


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [
        migrations.RunPython(create_cdiscount_france, migrations.RunPython.noop),
    ]
