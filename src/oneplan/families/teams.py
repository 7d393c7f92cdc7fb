"""Who is on a family's care team on a given day."""
import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from oneplan.core import events
from oneplan.families.models import CareTeamMember


def active_team_q(day: dt.date | None = None, prefix: str = "") -> Q:
    day = day or timezone.localdate()
    return Q(**{f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day})
    )


def active_team(family_or_id) -> QuerySet[CareTeamMember]:
    return CareTeamMember.objects.filter(active_team_q(), family=family_or_id)


def team_organisations(family_or_id) -> list[int]:
    """The organisations on a family's team today (who may hear of the family's events)."""
    return list(active_team(family_or_id).values_list("organisation_id", flat=True).distinct())


def team_event(event_type: str, member: CareTeamMember) -> None:
    """A care team change, told to the member's organisation (core/events.py)."""
    events.publish(event_type, organisations=[member.organisation_id], data={
        "family": events.reference("Group", member.family_id),
        "careTeam": events.reference("CareTeam", member.family_id),
        "careTeamMember": member.pk,
        "practitioner": events.reference("Practitioner", member.professional_id),
        "organization": events.reference("Organization", member.organisation_id),
        "role": member.role,
        "start": member.started_on.isoformat() if member.started_on else None,
        "end": member.ended_on.isoformat() if member.ended_on else None})
