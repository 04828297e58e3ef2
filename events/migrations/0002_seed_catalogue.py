"""Load the seed catalogue of service items (events.catalogue) into an empty installation."""

from django.db import migrations


def load(apps, schema_editor):
    from events.catalogue import load_catalogue

    load_catalogue(
        apps.get_model("events", "ServiceCategory"),
        apps.get_model("events", "ServiceItem"),
        apps.get_model("events", "ServiceItemVersion"),
    )


def unload(apps, schema_editor):
    Item = apps.get_model("events", "ServiceItem")
    Version = apps.get_model("events", "ServiceItemVersion")
    Category = apps.get_model("events", "ServiceCategory")
    Item.objects.update(current=None)
    Version.objects.all().delete()
    Item.objects.all().delete()
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0001_pipeline")]

    operations = [migrations.RunPython(load, unload)]
