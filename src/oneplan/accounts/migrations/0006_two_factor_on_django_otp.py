"""Two-step login moves to django-otp: every TwoFactor secret becomes a TOTPDevice with the
same key, confirmation and last used time step, so authenticator apps keep working and a
code used before the move is still refused after it."""
from base64 import b32decode, b32encode

from django.conf import settings
from django.db import migrations


def to_django_otp(apps, schema_editor):
    TwoFactor = apps.get_model("accounts", "TwoFactor")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    for old in TwoFactor.objects.all():
        secret = old.secret.strip().replace(" ", "").upper()
        key = b32decode(secret + "=" * (-len(secret) % 8)).hex()
        TOTPDevice.objects.create(
            user_id=old.user_id, name="authenticator app", key=key,
            confirmed=old.confirmed_at is not None,
            # TwoFactor counted 30-second steps from the Unix epoch, as TOTPDevice does (t0=0).
            last_t=old.last_used_step if old.last_used_step > 0 else -1)


def from_django_otp(apps, schema_editor):
    TwoFactor = apps.get_model("accounts", "TwoFactor")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    for device in TOTPDevice.objects.order_by("pk"):
        TwoFactor.objects.update_or_create(user_id=device.user_id, defaults={
            "secret": b32encode(bytes.fromhex(device.key)).decode().rstrip("="),
            "confirmed_at": device.created_at if device.confirmed else None,
            "last_used_step": max(device.last_t, 0)})
    TOTPDevice.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_loginattempt_ip_index"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(to_django_otp, from_django_otp),
        migrations.DeleteModel(name="TwoFactor"),
    ]
