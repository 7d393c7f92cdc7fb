"""The front door's figures: requests per week by who asked and by channel, time to first
contact and to outcome against the agreed time, outcomes by share, people who asked before.
Counts below the small-number threshold are hidden (core/smallnumbers.py); no names."""
import datetime as dt
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.accounts.models import Professional, Role
from oneplan.audit.services import record
from oneplan.core import smallnumbers
from oneplan.core.errors import AccessDenied, refused
from oneplan.core.layers import selector
from oneplan.frontdoor.models import Asker, Channel, HelpRequest, Outcome, Urgency

AUDIENCE = (Role.FRONT_DOOR, Role.TEAM_MANAGER, Role.ANALYST, Role.NETWORK_ADMIN)


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass
class Timing:
    label: str
    count: str
    median_hours: float | None
    p90_hours: float | None
    agreed_hours: int | None
    within_agreed: str  # a share, or "" when the count is too small


@dataclass
class Figures:
    since: dt.date
    until: dt.date
    weeks: int
    by_asker: Table
    by_channel: Table
    first_contact: list[Timing]
    to_outcome: Timing
    outcomes: Table
    asked_before: str
    total: str


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1], 1)


def _hours(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 3600


def _week_table(rows, weeks: list[dt.date], key: str, choices) -> Table:
    counts = [[sum(1 for r in rows if r["week"] == w and r[key] == value) for value, _l in choices]
              for w in weeks]
    totals = [sum(row) for row in counts]
    hidden = smallnumbers.suppress([[*row, total] for row, total in zip(counts, totals, strict=True)])
    return Table(columns=[str(label) for _v, label in choices],
                 rows=[(w.strftime("%d-%m-%Y"), [smallnumbers.shown(v) for v in row])
                       for w, row in zip(weeks, hidden, strict=True)])


def _timing(label: str, waits: list[float], agreed: int | None) -> Timing:
    shown_count = smallnumbers.one(len(waits))
    small = shown_count is None or not waits
    within = "" if small or agreed is None else f"{round(100 * sum(w <= agreed for w in waits) / len(waits))}%"
    return Timing(label=label, count=smallnumbers.shown(shown_count),
                  median_hours=None if small else _quantile(waits, 0.5),
                  p90_hours=None if small else _quantile(waits, 0.9), agreed_hours=agreed, within_agreed=within)


@selector
def figures(*, actor: Professional, weeks: int = 12) -> Figures:
    if not any(actor.has_role(r) for r in AUDIENCE):
        raise refused(AccessDenied("The front door's figures are for the front-door team, team managers "
                                   "and analysts."), actor=actor, action="frontdoor.figures",
                      reason="role may not see the figures")
    weeks = max(1, min(int(weeks), 104))
    today = timezone.localdate()
    first_week = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    start = timezone.make_aware(dt.datetime.combine(first_week, dt.time.min))
    rows = list(HelpRequest.objects.filter(created_at__gte=start).values(
        "created_at", "asker", "channel", "urgency", "first_contact_at", "outcome", "outcome_at",
        "asked_before"))
    for row in rows:
        day = timezone.localtime(row["created_at"]).date()
        row["week"] = day - dt.timedelta(days=day.weekday())
    week_list = [first_week + dt.timedelta(weeks=i) for i in range(weeks)]
    agreed = settings.ONEPLAN["FRONT_DOOR_RESPONSE_HOURS"]
    first_contact = [_timing(str(label), [_hours(r["first_contact_at"] - r["created_at"]) for r in rows
                                          if r["urgency"] == value and r["first_contact_at"]], agreed[value])
                     for value, label in Urgency.choices]
    done = [r for r in rows if r["outcome"]]
    outcome_counts = [[sum(1 for r in done if r["outcome"] == value)] for value, _l in Outcome.choices]
    hidden = smallnumbers.suppress([[c[0] for c in outcome_counts] + [len(done)]])[0]
    outcome_rows = [(str(label), [smallnumbers.shown(hidden[i]),
                                  f"{round(100 * outcome_counts[i][0] / len(done))}%"
                                  if hidden[i] is not None and done else "–"])
                    for i, (_v, label) in enumerate(Outcome.choices)]
    record(actor, "frontdoor.figures", object_type="frontdoor.figures", reason=f"{weeks} weeks")
    return Figures(
        since=first_week, until=today, weeks=weeks,
        by_asker=_with_total(_week_table(rows, week_list, "asker", Asker.choices)),
        by_channel=_with_total(_week_table(rows, week_list, "channel", Channel.choices)),
        first_contact=first_contact,
        to_outcome=_timing("", [_hours(r["outcome_at"] - r["created_at"]) for r in done], None),
        outcomes=Table(columns=[], rows=outcome_rows),
        asked_before=smallnumbers.shown(smallnumbers.one(sum(1 for r in rows if r["asked_before"]))),
        total=smallnumbers.shown(smallnumbers.one(len(rows))))


def _with_total(table: Table) -> Table:
    table.columns.append(_("Total"))
    return table
