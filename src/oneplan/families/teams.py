"""Who is on a family's care team on a given day."""
import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from oneplan.families.models import CareTeamMember


def active_team_q(day: dt.date | None = None, prefix: str = "") -> Q:
    day = day or timezone.localdate()
    return Q(**{f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day})
    )


def active_team(family_or_id) -> QuerySet[CareTeamMember]:
    return CareTeamMember.objects.filter(active_team_q(), family=family_or_id)
