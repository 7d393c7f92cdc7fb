"""What one refresh reads about families once, shared by every indicator: dates, intensity,
the coordinator's organisation (the team), its area, the youngest household member.

Breakdowns use the family as it is now (intensity, coordinator): oneplan keeps no history of
intensity, and a family that changed coordinator counts with the current one (docs/evaluation.md)."""
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Max
from django.utils import timezone

from oneplan.directory.models import ServiceArea
from oneplan.families.models import CareTeamMember, Family, Membership
from oneplan.insights import months as m
from oneplan.insights import rows as fast_rows

NONE = "none"  # the group of families without a coordinator, an area, ...
AGE_BANDS = ("0-3", "4-11", "12-17", "adults")


@dataclass(slots=True)
class FamilyFacts:
    opened_on: dt.date
    closed_on: dt.date | None
    status: str
    intensity: str
    closure_reason: str
    team: str  # the coordinator's organisation id, or NONE
    area: str
    youngest: dt.date | None  # date of birth of the youngest household member

    def open_on(self, day: dt.date) -> bool:
        return self.opened_on <= day and (self.closed_on is None or self.closed_on > day)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class Data:
    """The data of one refresh. Loads lazily: an indicator that needs no family reads none."""

    def __init__(self, today: dt.date | None = None):
        self.today = today or timezone.localdate()
        self._bands: dict[dt.date, tuple] = {}
        self._memo: dict[str, object] = {}

    def memo(self, key: str, load):
        """Data several indicators share (first agreed plans, reviews), read once per refresh."""
        if key not in self._memo:
            self._memo[key] = load()
        return self._memo[key]

    @cached_property
    def families(self) -> dict[int, FamilyFacts]:
        teams = self._teams()
        areas = self._areas()
        youngest = dict(fast_rows.fast(Membership.objects.filter(ended_on__isnull=True).values("family_id")
                                  .annotate(youngest=Max("person__date_of_birth"))
                                  .values_list("family_id", "youngest").order_by(), dates=(1,)))
        out = {}
        for pk, opened, closed, status, intensity, reason in fast_rows.fast(Family.objects.values_list(
                "id", "opened_on", "closed_on", "status", "intensity", "closure_reason").order_by(), dates=(1, 2)):
            team = teams.get(pk)
            out[pk] = FamilyFacts(opened, closed if status == Family.Status.CLOSED else None, status, intensity,
                                  reason, str(team) if team else NONE, areas.get(team, NONE) if team else NONE,
                                  youngest.get(pk))
        return out

    @cached_property
    def coordinators(self) -> dict[int, list[tuple]]:
        """family -> [(started_on, ended_on, organisation id, role)] of its coordinators and
        co-coordinators, past and present."""
        out: dict[int, list[tuple]] = {}
        for family_id, started, ended, org_id, role in fast_rows.fast(CareTeamMember.objects.filter(
                role__in=CareTeamMember.COORDINATING).values_list(
                "family_id", "started_on", "ended_on", "organisation_id", "role").order_by(), dates=(1, 2)):
            out.setdefault(family_id, []).append((started, ended, org_id, role))
        return out

    def _teams(self) -> dict[int, int]:
        """family -> the organisation of its coordinator: the active one (a coordinator before a
        co-coordinator), else the one who ended last."""
        teams = {}
        for family_id, members in self.coordinators.items():
            best = max(members, key=lambda r: (r[1] is None, r[1] or dt.date.max,
                                            r[3] == CareTeamMember.Role.COORDINATOR))
            teams[family_id] = best[2]
        return teams

    @staticmethod
    def _areas() -> dict[int, str]:
        """organisation -> the area its services name most often in the directory (HSDS
        service_area; alphabetical first on a tie). Families have no address area in oneplan."""
        counts: dict[int, Counter] = {}
        for org_id, name in ServiceArea.objects.values_list("service__organisation_id", "name"):
            counts.setdefault(org_id, Counter())[name] += 1
        return {org: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for org, c in counts.items()}

    def age_band(self, family_id: int, day: dt.date) -> str:
        facts = self.families.get(family_id)
        dob = facts.youngest if facts else None
        if dob is None:
            return "adults"
        limits = self._bands.get(day)
        if limits is None:  # born after these dates: younger than 4, 12, 18 on that day
            limits = self._bands[day] = tuple(_years_before(day, y) for y in (4, 12, 18))
        for band, limit in zip(AGE_BANDS, limits):
            if dob > limit:
                return band
        return "adults"

    def group(self, breakdown: str, obs, day: dt.date):
        """The breakdown group(s) of one observation: a string, a tuple of strings, or None."""
        if breakdown == "organisation":
            if obs.org is None:
                return None
            return tuple(str(o) for o in obs.org) if isinstance(obs.org, tuple) else str(obs.org)
        if breakdown == "service":
            return None if obs.service is None else str(obs.service)
        if obs.family is None:
            return None
        facts = self.families.get(obs.family)
        if facts is None:
            return None
        if breakdown == "team":
            return facts.team
        if breakdown == "area":
            return facts.area
        if breakdown == "intensity":
            return facts.intensity
        if breakdown == "age_band":
            return self.age_band(obs.family, day)
        raise ValueError(f"unknown breakdown {breakdown!r}")

    def month_span(self, months: list[dt.date]) -> tuple[dt.date, dt.date]:
        """[first day, day after the last month) of the months to compute."""
        return months[0], m.next_month(months[-1])

    def open_families(self, day: dt.date):
        return ((pk, f) for pk, f in self.families.items() if f.open_on(day))
