"""Organisations get a stable UUID: their id in the HSDS exchange of the directory."""
import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    for pk in Organisation.objects.values_list("pk", flat=True):
        Organisation.objects.filter(pk=pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [("accounts", "0006_two_factor_on_django_otp")]

    operations = [
        migrations.AddField("organisation", "uuid", models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("organisation", "uuid",
                              models.UUIDField(default=uuid.uuid4, unique=True, editable=False)),
    ]
