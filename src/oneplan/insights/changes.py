"""Which months changed since the last refresh, per source of data: a row's own change time
(created_at, updated_at, status_changed_at...) says it changed, its dates say which months.

Tables without a change time (care team, household) are read by their start and end dates:
a change dated before the last refresh is picked up by the next full rebuild
(docs/evaluation.md: run `oneplan indicators rebuild` nightly)."""
import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from oneplan.assessments.models import Assessment, AssessmentScore
from oneplan.families.models import CareTeamMember, Family, Membership
from oneplan.frontdoor.models import HelpRequest
from oneplan.insights import months as m
from oneplan.plans.models import CaseDiscussion, PlanVersion, Review
from oneplan.portal.models import Feedback
from oneplan.referrals.models import Referral
from oneplan.signals.models import Match


def _months(values: Iterable) -> set[dt.date]:
    """The months of these days and moments, up to today: a date still to come (a planned end)
    changes no figure before it arrives, and the running month is computed again anyway."""
    out, today = set(), timezone.localdate()
    for value in values:
        if value is None:
            continue
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date()
        if value <= today:
            out.add(m.start_of(value))
    return out


def families(since: dt.datetime) -> set[dt.date]:
    """A new family: its opening month; a closed one: its closing month. Other changes (a
    reopening, the intensity) show at the next rebuild."""
    out = set()
    for created, opened, closed in Family.objects.filter(
            Q(created_at__gt=since) | Q(updated_at__gt=since)).values_list("created_at", "opened_on", "closed_on"):
        out |= _months([closed, opened if created > since else None])
    return out


def _dated(model, since: dt.datetime) -> set[dt.date]:
    """Start and end dates on or after the last refresh's day: the dates that were just set."""
    day = timezone.localtime(since).date()
    rows = model.objects.filter(Q(started_on__gte=day) | Q(ended_on__gte=day)).values_list("started_on", "ended_on")
    return _months(v for row in rows for v in row if v is not None and v >= day)


def team(since):
    return _dated(CareTeamMember, since)


def members(since):
    return _dated(Membership, since)


def plans(since):
    return _months(PlanVersion.objects.filter(updated_at__gt=since, status=PlanVersion.Status.AGREED)
                   .values_list("agreed_on", flat=True))


def reviews(since):
    return _months(Review.objects.filter(created_at__gt=since).values_list("held_on", flat=True))


def discussions(since):
    return _months(CaseDiscussion.objects.filter(created_at__gt=since).values_list("held_on", flat=True))


def assessments(since):
    changed = _months(Assessment.objects.filter(Q(created_at__gt=since) | Q(completed_at__gt=since))
                      .values_list("held_on", flat=True))
    return changed | _months(AssessmentScore.objects.filter(updated_at__gt=since)
                             .values_list("assessment__held_on", flat=True).distinct())


def _recent(rows, since):
    """Of each changed row (created_at first), the moments set since the last refresh: a referral
    accepted today changes today's month, not the month it was sent in. A new row (an import with
    its own history) changes the months of all its moments."""
    return _months(v for created, *moments in rows for v in moments
                   if v is not None and (created > since or v > since))


def referrals(since):
    return _recent(Referral.objects.filter(status_changed_at__gt=since).values_list(
        "created_at", "sent_at", "accepted_at", "in_service_at", "closed_at"), since)


def matches(since):
    rows = Match.objects.filter(Q(created_at__gt=since) | Q(acknowledged_at__gt=since) | Q(decided_at__gt=since)
                                ).values_list("created_at", "decided_at")
    return _months(v for row in rows for v in row)


def feedback(since):
    return _months(Feedback.objects.filter(created_at__gt=since).values_list("created_at", flat=True))


def frontdoor(since):
    return _recent(HelpRequest.objects.filter(updated_at__gt=since).values_list(
        "created_at", "created_at", "first_contact_at", "outcome_at"), since)


SOURCES = {"families": families, "team": team, "members": members, "plans": plans, "reviews": reviews,
           "discussions": discussions, "assessments": assessments, "referrals": referrals,
           "matches": matches, "feedback": feedback, "frontdoor": frontdoor}


def changed_months(since: dt.datetime, sources: Iterable[str]) -> dict[str, set[dt.date]]:
    return {name: SOURCES[name](since) for name in sources}
