"""Optional two-step login for professionals and families, on django-otp.

An authenticator app (django-otp's TOTPDevice) gives the codes; ten one-time backup codes
(a StaticDevice) are for a lost phone. A code is checked with the device row locked
(select_for_update; SQLite transactions take the write lock at their start), so the same
code sent twice at once is accepted once: TOTPDevice.last_t only moves forward and a backup
code is deleted when used.
"""
import re
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from oneplan.audit.services import record
from oneplan.core.errors import Conflict, InvalidInput

APP_DEVICE = "authenticator app"
BACKUP_DEVICE = "backup codes"
BACKUP_CODES = 10


@dataclass(frozen=True)
class Check:
    """The result of checking a code: ok, which kind was used, and how long to wait when the
    device refuses to check for now (django-otp slows a device down after wrong codes)."""

    ok: bool
    kind: str = ""
    wait_seconds: int = 0
    backup_codes_left: int | None = None


def is_enabled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def start(user) -> TOTPDevice:
    """A fresh, unconfirmed secret (reusing an earlier unconfirmed one)."""
    if is_enabled(user):
        raise Conflict("Two-step login is on already.")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def qr_svg_data_uri(user, device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4)


def _digits(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch in "0123456789")


def _backup_form(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _wait(device) -> int:
    allowed, info = device.verify_is_allowed()
    if allowed or not info or "locked_until" not in info:
        return 0
    return max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1)


def _check_app(user, code: str, *, confirmed: bool) -> Check:
    device = (TOTPDevice.objects.select_for_update()
              .filter(user=user, confirmed=confirmed).order_by("pk").first())
    if device is None:
        return Check(ok=False)
    wait = _wait(device)
    if wait:
        return Check(ok=False, wait_seconds=wait)
    code = _digits(code)
    ok = len(code) == device.digits and device.verify_token(code)
    if not ok and len(code) != device.digits:
        device.throttle_increment()
    return Check(ok=ok, kind="app")


def _check_backup(user, code: str, address: str | None) -> Check:
    device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return Check(ok=False)
    wait = _wait(device)
    if wait:
        return Check(ok=False, wait_seconds=wait)
    ok = device.verify_token(_backup_form(code))
    left = device.token_set.count()
    if ok:  # the owner should hear of it if she did not use one herself
        record(user, "login.backup_code", user,
               reason=f"{left} backup codes left; from address {address or 'unknown'}")
    return Check(ok=ok, kind="backup", backup_codes_left=left)


def _looks_like_app_code(code: str) -> bool:
    return bool(re.fullmatch(r"[\d\s]{6,8}", (code or "").strip()))


@transaction.atomic
def check(user, code: str, *, address: str | None = None) -> Check:
    """Check a login code: six digits from the app, or one of the backup codes."""
    if _looks_like_app_code(code):
        return _check_app(user, code, confirmed=True)
    return _check_backup(user, code, address)


def verify(user, code: str) -> bool:
    return check(user, code).ok


def _new_backup_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE,
                                                   defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def confirm(user, code: str) -> list[str]:
    """Turn two-step login on with a first code from the app; returns the backup codes,
    which are shown once."""
    result = _check_app(user, code, confirmed=False)
    if not result.ok:
        raise InvalidInput(gettext("That code is not right. Type the six digits your app "
                                   "shows now."), field="code")
    TOTPDevice.objects.filter(user=user, confirmed=False).update(confirmed=True)
    codes = _new_backup_codes(user)
    record(user, "account.2fa.on", user)
    return codes


@transaction.atomic
def backup_codes_renew(user, code: str) -> list[str]:
    """New backup codes (the old ones stop working), after a code from the app."""
    if not _check_app(user, code, confirmed=True).ok:
        raise InvalidInput(gettext("That code is not right. Type the six digits your app "
                                   "shows now."), field="code")
    codes = _new_backup_codes(user)
    record(user, "account.2fa.backup_codes", user)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def disable(user, code: str) -> None:
    if not check(user, code).ok:
        raise InvalidInput(gettext("That code is not right. Type the six digits your app shows "
                                   "now, or one of your backup codes."), field="code")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(user, "account.2fa.off", user)
