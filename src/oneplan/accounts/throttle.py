"""Slowing down and locking out password guessing, the same for every account kind.

Two counts, each within a sliding window:

- failures for one user name from one source address since that pair's last success. It
  slows, then locks the pair, and only the pair: a locked pair does not lock the account
  anywhere else. Locking the account itself would let anyone keep a coordinator or the
  privacy officer out for ever, with ten wrong passwords a quarter of an hour.
- failures from one source address across all user names (password spraying). A success
  does not reset it, so an attacker cannot clear it by logging in to an account of his own.

Refused attempts count as failures, so hammering a lock keeps it closed for the hammerer.
The same answer is given for unknown and known user names, so it reveals nothing about
accounts.
"""
import datetime as dt
import ipaddress

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.accounts.models import LoginAttempt

USERNAME_MAX = LoginAttempt._meta.get_field("username").max_length


def source_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or with ONEPLAN["PROXY_HOPS"] proxies in front the
    address the outermost of them saw (X-Forwarded-For counted from the right, because a
    client can put anything on its left)."""
    address = request.META.get("REMOTE_ADDR")
    hops = settings.ONEPLAN.get("PROXY_HOPS", 0)
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        address = forwarded[-hops] if len(forwarded) >= hops else None
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def _group(address: str | None) -> str | None:
    """One IPv6 subscriber usually holds a whole /64: count it as one address, or a guesser
    would get a fresh limit with every address in it."""
    if address and ":" in address:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return address


def _limits() -> dict:
    return settings.ONEPLAN["LOGIN_LIMITS"]


def _key(username: str) -> str:
    return username.casefold()[:USERNAME_MAX]


def _wait(failures, now, seconds: int) -> int:
    last = failures.order_by("-at").values_list("at", flat=True).first()
    return int(seconds - (now - last).total_seconds()) + 1 if last else 0


def _pair_refusal(username: str, address: str | None, since, now, limits) -> str | None:
    window = LoginAttempt.objects.filter(username=_key(username), ip=_group(address), at__gte=since)
    last_success = window.filter(success=True).order_by("-at").values_list("at", flat=True).first()
    failures = window.filter(success=False)
    if last_success:
        failures = failures.filter(at__gt=last_success)
    count = failures.count()
    if count >= limits["LOCK_AFTER"]:
        return _("Too many failed attempts: logging in to this account from your address is "
                 "locked for %(minutes)s minutes. Ask your administrator if you forgot your "
                 "password.") % {"minutes": limits["WINDOW_MINUTES"]}
    if count >= limits["SLOW_AFTER"]:
        wait = _wait(failures, now, limits["SLOW_SECONDS"])
        if wait > 0:
            return _("Too many failed attempts. Wait %(seconds)s seconds and try again.") % {
                "seconds": wait}
    return None


def _address_refusal(address: str | None, since, now, limits) -> str | None:
    if not address:  # nothing to group by
        return None
    failures = LoginAttempt.objects.filter(ip=_group(address), success=False, at__gte=since)
    count = failures.count()
    if count >= limits["ADDRESS_LOCK_AFTER"]:
        return _("Too many failed attempts from your address: logging in from here is locked "
                 "for %(minutes)s minutes.") % {"minutes": limits["WINDOW_MINUTES"]}
    if count >= limits["ADDRESS_SLOW_AFTER"]:
        wait = _wait(failures, now, limits["ADDRESS_SLOW_SECONDS"])
        if wait > 0:
            return _("Too many failed attempts. Wait %(seconds)s seconds and try again.") % {
                "seconds": wait}
    return None


def refusal(username: str, address: str | None) -> str | None:
    """A message when this user name may not try now from this address, else None."""
    limits, now = _limits(), timezone.now()
    since = now - dt.timedelta(minutes=limits["WINDOW_MINUTES"])
    return (_address_refusal(address, since, now, limits)
            or _pair_refusal(username, address, since, now, limits))


def note(username: str, address: str | None, success: bool) -> None:
    LoginAttempt.objects.create(username=_key(username), ip=_group(address), success=success)
