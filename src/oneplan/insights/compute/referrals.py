"""Indicators of the network: referrals (closed loop), waiting times per service, warm
handoffs, and reference-index matches followed by an agreement on coordination."""
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.insights import months as m
from oneplan.insights.compute.common import in_months, local_day, moments_in
from oneplan.insights.registry import DAYS, Obs, indicator
from oneplan.referrals.models import DeclineReason, Referral
from oneplan.signals.models import Match

AGREED_WITHIN = dt.timedelta(days=14)


def _referrals(months, *fields):
    """Referrals with one of `fields` (milestone times) inside the months' span."""
    return Referral.objects.filter(moments_in(months, *fields))


def _referral_series():
    return [("sent", _("Sent")), ("accepted", _("Accepted")), ("declined", _("Declined"))]


@indicator("referrals", sources=("referrals",), series=_referral_series)
def referrals(data, months):
    wanted = in_months(months)
    rows = _referrals(months, "sent_at", "accepted_at", "closed_at").values_list(
        "family_id", "organisation_id", "service_id", "status", "sent_at", "accepted_at", "closed_at")
    for family_id, org, service, status, sent, accepted, closed in rows.iterator(chunk_size=20000):
        for series, moment in (("sent", sent), ("accepted", accepted),
                               ("declined", closed if status == Referral.Status.DECLINED else None)):
            day = local_day(moment)
            if wanted(day):
                yield Obs(m.start_of(day), family_id, series=series, org=org, service=service)


@indicator("referrals_declined_reasons", sources=("referrals",), series=lambda: list(DeclineReason.choices))
def referrals_declined_reasons(data, months):
    wanted = in_months(months)
    rows = _referrals(months, "closed_at").filter(status=Referral.Status.DECLINED).values_list(
        "family_id", "organisation_id", "service_id", "decline_reason", "closed_at")
    for family_id, org, service, reason, closed in rows.iterator(chunk_size=20000):
        day = local_day(closed)
        if wanted(day):
            yield Obs(m.start_of(day), family_id, series=reason or DeclineReason.OTHER, org=org, service=service)


def _days(start: dt.datetime, end: dt.datetime) -> float:
    """Days on the wall clock (a change to summer time does not make 20 days 19.96)."""
    wall = timezone.localtime(end).replace(tzinfo=None) - timezone.localtime(start).replace(tzinfo=None)
    return max(0.0, wall.total_seconds() / 86400)


@indicator("wait_sent_to_accepted", sources=("referrals",), resolution=DAYS)
def wait_sent_to_accepted(data, months):
    wanted = in_months(months)
    rows = _referrals(months, "accepted_at").filter(sent_at__isnull=False).values_list(
        "family_id", "organisation_id", "service_id", "sent_at", "accepted_at")
    for family_id, org, service, sent, accepted in rows.iterator(chunk_size=20000):
        day = local_day(accepted)
        if wanted(day):
            yield Obs(m.start_of(day), family_id, value=_days(sent, accepted), org=org, service=service)


@indicator("wait_accepted_to_service", sources=("referrals",), resolution=DAYS)
def wait_accepted_to_service(data, months):
    wanted = in_months(months)
    rows = _referrals(months, "in_service_at").filter(accepted_at__isnull=False).values_list(
        "family_id", "organisation_id", "service_id", "accepted_at", "in_service_at")
    for family_id, org, service, accepted, started in rows.iterator(chunk_size=20000):
        day = local_day(started)
        if wanted(day):
            yield Obs(m.start_of(day), family_id, value=_days(accepted, started), org=org, service=service)


@indicator("warm_handoffs", sources=("referrals",))
def warm_handoffs(data, months):
    wanted = in_months(months)
    rows = _referrals(months, "in_service_at").values_list(
        "family_id", "organisation_id", "service_id", "in_service_at", "started_warm")
    for family_id, org, service, started, warm in rows.iterator(chunk_size=20000):
        day = local_day(started)
        if wanted(day):
            yield Obs(m.start_of(day), family_id, hit=int(bool(warm)), org=org, service=service)


@indicator("index_matches_coordinated", sources=("matches",))
def index_matches_coordinated(data, months):
    """Matches told to both sides in the month (a possible match: once confirmed); was a
    coordinator agreed within 14 days? Both organisations count the match."""
    wanted = in_months(months)
    rows = (Match.objects.filter(state=Match.State.MATCHED).filter(moments_in(months, "created_at", "decided_at"))
            .values_list("created_at", "decided_at", "acknowledged_at", "first__organisation_id",
                         "second__organisation_id"))
    for created, decided, acknowledged, first_org, second_org in rows.iterator(chunk_size=20000):
        told = decided or created
        day = local_day(told)
        if wanted(day):
            agreed = acknowledged is not None and acknowledged - told <= AGREED_WITHIN
            yield Obs(m.start_of(day), hit=int(agreed), org=(first_org, second_org))
