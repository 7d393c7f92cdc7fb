"""The front door's indicators, as its own figures page defines them (frontdoor/indicators.py):
who asked and by which channel, time to first contact against the agreed time per urgency
(ONEPLAN["FRONT_DOOR_RESPONSE_HOURS"]), time to outcome, outcomes, people who asked before.
Requests for help belong to no family: these have no family breakdowns."""
from django.conf import settings

from oneplan.frontdoor.models import Asker, Channel, HelpRequest, Outcome, Urgency
from oneplan.insights import months as m
from oneplan.insights.compute.common import in_months, local_day, moments_in
from oneplan.insights.registry import QUARTER_HOURS, Obs, indicator


def _hours(start, end) -> float:
    return max(0.0, (end - start).total_seconds() / 3600)


def _requests(months, *fields):
    return HelpRequest.objects.filter(moments_in(months, *fields))


@indicator("frontdoor_requests_asker", sources=("frontdoor",), series=lambda: list(Asker.choices))
def requests_by_asker(data, months):
    wanted = in_months(months)
    for created, asker in _requests(months, "created_at").values_list("created_at", "asker").iterator(
            chunk_size=20000):
        day = local_day(created)
        if wanted(day):
            yield Obs(m.start_of(day), series=asker)


@indicator("frontdoor_requests_channel", sources=("frontdoor",), series=lambda: list(Channel.choices))
def requests_by_channel(data, months):
    wanted = in_months(months)
    for created, channel in _requests(months, "created_at").values_list("created_at", "channel").iterator(
            chunk_size=20000):
        day = local_day(created)
        if wanted(day):
            yield Obs(m.start_of(day), series=channel)


@indicator("frontdoor_first_contact", sources=("frontdoor",), resolution=QUARTER_HOURS,
           series=lambda: list(Urgency.choices))
def first_contact(data, months):
    """Hours from the request to the first contact; a hit when within the agreed time."""
    wanted, agreed = in_months(months), settings.ONEPLAN["FRONT_DOOR_RESPONSE_HOURS"]
    rows = _requests(months, "first_contact_at").values_list("created_at", "first_contact_at", "urgency")
    for created, contacted, urgency in rows.iterator(chunk_size=20000):
        day = local_day(contacted)
        if wanted(day):
            hours = _hours(created, contacted)
            yield Obs(m.start_of(day), series=urgency, value=hours, hit=int(hours <= agreed[urgency]))


@indicator("frontdoor_time_to_outcome", sources=("frontdoor",), resolution=QUARTER_HOURS)
def time_to_outcome(data, months):
    wanted = in_months(months)
    rows = _requests(months, "outcome_at").values_list("created_at", "outcome_at")
    for created, done in rows.iterator(chunk_size=20000):
        day = local_day(done)
        if wanted(day):
            yield Obs(m.start_of(day), value=_hours(created, done))


@indicator("frontdoor_outcomes", sources=("frontdoor",), series=lambda: list(Outcome.choices))
def outcomes(data, months):
    wanted = in_months(months)
    rows = _requests(months, "outcome_at").exclude(outcome="").values_list("outcome_at", "outcome")
    for done, outcome in rows.iterator(chunk_size=20000):
        day = local_day(done)
        if wanted(day):
            yield Obs(m.start_of(day), series=outcome)


@indicator("frontdoor_asked_before", sources=("frontdoor",))
def asked_before(data, months):
    wanted = in_months(months)
    for created, before in _requests(months, "created_at").values_list("created_at", "asked_before").iterator(
            chunk_size=20000):
        day = local_day(created)
        if wanted(day):
            yield Obs(m.start_of(day), hit=int(before))
