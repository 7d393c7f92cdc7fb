"""Optional TOTP (authenticator app) as a second login step, for professionals and families."""
import time

import pyotp
import segno
from django.utils import timezone

from oneplan.accounts.models import TwoFactor
from oneplan.audit.services import record
from oneplan.core.errors import Conflict, InvalidInput

ISSUER = "oneplan"


def is_enabled(user) -> bool:
    return TwoFactor.objects.filter(user=user, confirmed_at__isnull=False).exists()


def start(user) -> TwoFactor:
    """A fresh, unconfirmed secret (replacing an earlier unconfirmed one)."""
    device, _ = TwoFactor.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    if device.confirmed_at:
        raise Conflict("Two-step login is on already.")
    return device


def qr_svg_data_uri(user, device: TwoFactor) -> str:
    uri = pyotp.TOTP(device.secret).provisioning_uri(name=user.get_username(), issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=4)


def _check(device: TwoFactor, code: str) -> bool:
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    totp = pyotp.TOTP(device.secret)
    now = time.time()
    for drift in (-1, 0, 1):  # one step of clock drift either way
        step = int(now // 30) + drift
        if step > device.last_used_step and totp.at(step * 30) == code:
            TwoFactor.objects.filter(pk=device.pk).update(last_used_step=step)
            return True
    return False


def confirm(user, code: str) -> None:
    device = TwoFactor.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None or not _check(device, code):
        raise InvalidInput("That code is not right. Type the six digits your app shows now.", field="code")
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    record(user, "account.2fa.on", device)


def verify(user, code: str) -> bool:
    device = TwoFactor.objects.filter(user=user, confirmed_at__isnull=False).first()
    return device is not None and _check(device, code)


def disable(user, code: str) -> None:
    if not verify(user, code):
        raise InvalidInput("That code is not right.", field="code")
    TwoFactor.objects.filter(user=user).delete()
    record(user, "account.2fa.off", user)
