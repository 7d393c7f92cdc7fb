"""HSDS 3.0 ids are UUIDs: every directory object the exchange serves gets a stable one (existing
rows a fresh one each), and locations the two address parts HSDS requires."""
import uuid

from django.db import migrations, models

MODELS = ("service", "servicedomain", "servicelanguage", "servicearea", "location", "contact")
FIELDS = [(name, "uuid") for name in MODELS] + [("location", "link_uuid")]


def fill(apps, schema_editor):
    for name, field in FIELDS:
        model = apps.get_model("directory", name)
        for pk in model.objects.values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(**{field: uuid.uuid4()})


class Migration(migrations.Migration):

    dependencies = [("directory", "0001_initial"), ("accounts", "0007_organisation_uuid")]

    operations = [
        *[migrations.AddField(name, field, models.UUIDField(null=True, editable=False)) for name, field in FIELDS],
        migrations.RunPython(fill, migrations.RunPython.noop),
        *[migrations.AlterField(name, field, models.UUIDField(default=uuid.uuid4, unique=True, editable=False))
          for name, field in FIELDS],
        migrations.AddField("location", "state_province",
                            models.CharField(blank=True, max_length=100, verbose_name="province")),
        migrations.AddField("location", "country",
                            models.CharField(default="NL", max_length=2, verbose_name="country")),
    ]
