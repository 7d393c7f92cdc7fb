"""Reading the monthly aggregates for the dashboards: who may see which figures, the periods to
show and compare, and the tables with small numbers hidden. Never reads a case table."""
import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oneplan.accounts.models import Organisation, Professional, Role
from oneplan.audit.services import record
from oneplan.core.errors import AccessDenied, NotFound, refused
from oneplan.core.layers import selector
from oneplan.directory.models import Service
from oneplan.families.models import Family
from oneplan.insights import months as m
from oneplan.insights import tables
from oneplan.insights.facts import NONE
from oneplan.insights.models import Indicator, MonthlyFigure
from oneplan.insights.registry import SPECS
from oneplan.insights.tables import Cell, Shape, Table

AUDIENCES = {
    "analyst": (Role.ANALYST, gettext_lazy("Analysis")),
    "network": (Role.NETWORK_ADMIN, gettext_lazy("The network")),
    "team": (Role.TEAM_MANAGER, gettext_lazy("Your team")),
}
# Where does it stick: the network looks at organisations and places; the analyst also at whom.
AUDIENCE_BREAKDOWNS = {"team": (), "network": ("team", "organisation", "service", "area"),
                       "analyst": ("team", "organisation", "service", "area", "intensity", "age_band")}
THEMES = [("start", gettext_lazy("Getting started")), ("plans", gettext_lazy("One family, one plan")),
          ("network", gettext_lazy("Working together")), ("outcomes", gettext_lazy("Outcomes")),
          ("experience", gettext_lazy("What families say")), ("frontdoor", gettext_lazy("The front door"))]
BREAKDOWN_LABELS = {"team": gettext_lazy("Team (coordinator's organisation)"), "organisation": gettext_lazy("Organisation"),
                    "service": gettext_lazy("Service"), "area": gettext_lazy("Area"), "intensity": gettext_lazy("Intensity"),
                    "age_band": gettext_lazy("Youngest child's age")}
AGE_LABELS = {"0-3": gettext_lazy("0–3 years"), "4-11": gettext_lazy("4–11 years"), "12-17": gettext_lazy("12–17 years"),
              "adults": gettext_lazy("Adults only")}
SERIES_LINES = {"referrals": ("sent", "accepted", "declined"),
                "domain_scores_change": ("professional:improved", "family:improved")}
PER_WEEK = {"frontdoor_requests_asker", "frontdoor_requests_channel"}
NOT_PARTS = {"referrals", "domain_scores_change"}
AGREED = {"frontdoor_first_contact"}
DISTRIBUTIONS = {"gas_t_score", "feedback_score"}


@dataclass
class Scope:
    audience: str
    title: str
    breakdown: str  # the figures read: "all" (the network) or "team"
    groups: list[str]
    group_names: list[str]
    breakdowns: tuple[str, ...]


@dataclass
class Period:
    key: str
    label: str
    months: list[dt.date]


@dataclass
class Periods:
    grain: str
    all: list[Period]
    a: Period
    b: Period

    def choices(self):
        return [(p.key, p.label) for p in self.all]


def audiences_of(actor: Professional) -> list[str]:
    return [key for key, (role, _label) in AUDIENCES.items() if actor.has_role(role)]


@selector
def first_audience(*, actor: Professional) -> str:
    """The dashboard to open: the first this actor's roles allow, or AccessDenied (audited)."""
    found = audiences_of(actor)
    if not found:
        raise refused(AccessDenied(_("These figures are for analysts, team managers and network coordinators.")),
                      actor=actor, action="insights.view", object_type="insights.dashboard",
                      reason="no insights role")
    return found[0]


@selector
def scope(*, actor: Professional, audience: str) -> Scope:
    """The figures this actor sees as this audience, or AccessDenied (audited)."""
    if audience not in AUDIENCES:
        raise NotFound("There is no such dashboard.")
    role, title = AUDIENCES[audience]
    if not actor.has_role(role):
        raise refused(AccessDenied(_("These figures are for the %(role)s.") % {"role": Role(role).label.lower()}),
                      actor=actor, action="insights.view", object_type="insights.dashboard", object_id=audience,
                      reason=f"role {role} needed")
    if audience != "team":
        return Scope(audience, str(title), "all", [""], [], AUDIENCE_BREAKDOWNS[audience])
    orgs = list(actor.organisations.order_by("name").values_list("id", "name"))
    return Scope(audience, str(title), "team", [str(pk) for pk, _n in orgs], [n for _p, n in orgs], ())


def indicators_for(current: Scope) -> list[Indicator]:
    """The active definitions this audience sees, in theme order."""
    order = {key: i for i, (key, _l) in enumerate(THEMES)}
    found = [i for i in Indicator.objects.filter(is_active=True) if i.key in SPECS]
    if current.breakdown == "team":
        found = [i for i in found if "team" in i.breakdowns]
    return sorted(found, key=lambda i: (order.get(i.definition.get("theme"), 99), i.key))


def shape_of(indicator: Indicator) -> Shape:
    spec = SPECS[indicator.key]
    series = spec.series() if spec.series else [("", "")]
    return Shape(statistic=indicator.definition["statistic"], unit=indicator.unit, resolution=spec.resolution,
                 series=[(k, str(label)) for k, label in series], parts=indicator.key not in NOT_PARTS,
                 agreed=indicator.key in AGREED, per_week=indicator.key in PER_WEEK,
                 lines=SERIES_LINES.get(indicator.key, ()))


def periods(grain: str, a: str = "", b: str = "", today: dt.date | None = None) -> Periods:
    """The months or quarters of the 24-month window, and the two to compare: by default the last
    complete one and the one before it."""
    today = today or timezone.localdate()
    window = m.history(today)
    if grain == "quarter":
        found: dict[dt.date, list] = {}
        for month in window:
            found.setdefault(m.quarter_of(month), []).append(month)
        items = [Period(m.quarter_label(q), m.quarter_label(q), ms) for q, ms in found.items()
                 if len(ms) == 3 or q == m.quarter_of(window[-1])]
    else:
        grain = "month"
        items = [Period(m.label(x), m.label(x), [x]) for x in window]
    running = items[-1]
    running.label = _("%(period)s (so far)") % {"period": running.label}
    by_key = {p.key: p for p in items}
    first = by_key.get(a) or (items[-2] if len(items) > 1 else items[-1])
    index = items.index(first)
    second = by_key.get(b) or items[max(0, index - 1)]
    return Periods(grain, items, first, second)


def _read(keys: list[str], versions: dict[str, int], breakdown: str, groups: list[str] | None,
          since: dt.date, *, by_group: bool = False, months: list[dt.date] | None = None,
          histograms: bool = True) -> dict[str, dict]:
    """indicator -> {(month, series): Cell}, the groups added together; with `by_group`
    indicator -> {group: {(month, series): Cell}}. groups None: every group of the breakdown;
    months: only these (a breakdown needs only the two periods compared)."""
    rows = MonthlyFigure.objects.filter(indicator__in=keys, breakdown=breakdown, month__gte=since)
    if groups is not None:
        rows = rows.filter(group__in=groups)
    if months is not None:
        rows = rows.filter(month__in=months)
    out: dict[str, dict] = {key: {} for key in keys}
    fields = ["indicator", "version", "group", "month", "series", "numerator", "denominator", "total"]
    for key, version, group, month, series, num, den, total, *hist in rows.values_list(
            *fields, *(["histogram"] if histograms else [])):
        if versions.get(key) != version:
            continue
        hist = hist[0] if hist else None
        target = out[key].setdefault(group, {}) if by_group else out[key]
        target.setdefault((month, series), Cell()).add(num, den, total, hist)
    return out


def merge(indicator: Indicator, cells: dict, months: list[dt.date], series: str) -> Cell:
    """One period of one series: flows add up over the months, a snapshot is the state at the
    period's end."""
    if indicator.definition["aggregation"] == "snapshot":
        months = months[-1:]
    out = Cell()
    for month in months:
        cell = cells.get((month, series))
        if cell is not None:
            out.add(cell.numerator, cell.denominator, cell.total, cell.histogram)
    return out


@dataclass
class Card:
    indicator: Indicator
    shape: Shape
    trend: Table
    a: str = ""
    b: str = ""
    change: str = ""  # "better", "worse", "higher", "lower", "same" or "" (hidden)


@dataclass
class Dashboard:
    scope: Scope
    periods: Periods
    themes: list[tuple[str, list[Card]]] = field(default_factory=list)
    small: int = 10


def _change(indicator: Indicator, a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return ""
    if round(a, 1) == round(b, 1):
        return "same"
    better = indicator.definition["better"]
    if better == "neither":
        return "higher" if a > b else "lower"
    return "better" if (a > b) == (better == "higher") else "worse"


def _trend(indicator, shape, cells, items: list[Period], today, title: str) -> Table:
    rows = [(p.label, [merge(indicator, cells, p.months, key) for key, _l in shape.series],
             tables.period_days(p.months, today)) for p in items]
    return tables.table(shape, title, _("Period"), rows)


def _card(indicator: Indicator, cells: dict, chosen: Periods, today) -> Card:
    """The trend over every period; the two compared are rows of it (each row is suppressed on
    its own, so the comparison shows exactly what the table does)."""
    shape = shape_of(indicator)
    trend = _trend(indicator, shape, cells, chosen.all, today, indicator.title)
    keys = [p.key for p in chosen.all]
    line = trend.lines[0][1]
    a, b = line[keys.index(chosen.a.key)], line[keys.index(chosen.b.key)]
    return Card(indicator, shape, trend, tables.value_text(shape, a), tables.value_text(shape, b),
                _change(indicator, a, b))


@selector
def dashboard(*, actor: Professional, audience: str, grain: str = "quarter", a: str = "", b: str = "") -> Dashboard:
    current = scope(actor=actor, audience=audience)
    today = timezone.localdate()
    chosen = periods(grain, a, b, today)
    found = indicators_for(current)
    versions = {i.key: i.version for i in found}
    cells = _read(list(versions), versions, current.breakdown, current.groups, m.history(today)[0])
    cards = [_card(i, cells[i.key], chosen, today) for i in found]
    record(actor, "insights.dashboard", object_type="insights.dashboard", object_id=audience,
           reason=f"{chosen.a.key} vs {chosen.b.key}")
    themes = [(str(label), [c for c in cards if c.indicator.definition.get("theme") == key]) for key, label in THEMES]
    return Dashboard(current, chosen, [t for t in themes if t[1]])


def group_labels(breakdown: str, groups) -> dict[str, str]:
    groups = [g for g in groups if g]
    ids = [int(g) for g in groups if g.isdigit()]
    if breakdown in ("team", "organisation"):
        names = {str(pk): name for pk, name in Organisation.objects.filter(pk__in=ids).values_list("id", "name")}
    elif breakdown == "service":
        names = {str(pk): f"{name} ({org})" for pk, name, org in
                 Service.objects.filter(pk__in=ids).values_list("id", "name", "organisation__name")}
    elif breakdown == "intensity":
        names = {k: str(v) for k, v in Family.Intensity.choices}
    elif breakdown == "age_band":
        names = {k: str(v) for k, v in AGE_LABELS.items()}
    else:
        names = {}
    none = _("No coordinator") if breakdown == "team" else _("Unknown")
    return {g: none if g == NONE else names.get(g, g) for g in groups}


@dataclass
class Detail:
    scope: Scope
    periods: Periods
    indicator: Indicator
    versions: list[Indicator]
    shape: Shape
    trend: Table
    by: str
    breakdowns: list[tuple[str, str]]
    split: list[Table]  # one per period compared: by group, or your team against the network
    distributions: list[Table]

    @property
    def by_label(self) -> str:
        return dict(self.breakdowns).get(self.by, "")


@selector
def detail(*, actor: Professional, audience: str, key: str, grain: str = "quarter", a: str = "", b: str = "",
           by: str = "") -> Detail:
    current = scope(actor=actor, audience=audience)
    indicator = next((i for i in indicators_for(current) if i.key == key), None)
    if indicator is None:
        raise NotFound(_("There is no such indicator on this dashboard."))
    today = timezone.localdate()
    chosen, since = periods(grain, a, b, today), m.history(today)[0]
    shape, versions = shape_of(indicator), {key: indicator.version}
    cells = _read([key], versions, current.breakdown, current.groups, since)[key]
    trend = _trend(indicator, shape, cells, chosen.all, today, indicator.title)
    allowed = [(b_, str(BREAKDOWN_LABELS[b_])) for b_ in current.breakdowns if b_ in indicator.breakdowns]
    by = by if by in dict(allowed) else (allowed[0][0] if allowed else "")
    if current.breakdown == "team":
        network = _read([key], versions, "all", [""], since)[key]
        split = [_team_against_network(indicator, shape, cells, network, p, current, today)
                 for p in (chosen.a, chosen.b)]
    elif by:
        wanted = [x for p in (chosen.a, chosen.b) for x in _months_read(indicator, p)]
        groups = _read([key], versions, by, None, since, by_group=True, months=wanted,
                       histograms=shape.statistic == "median")[key]
        names = group_labels(by, _largest(indicator, groups, wanted))
        split = [_by_group(indicator, shape, groups, names, cells, p, by, today) for p in (chosen.a, chosen.b)]
    else:
        split = []
    distributions = []
    if key in DISTRIBUTIONS:
        for p in (chosen.a, chosen.b):
            whole = merge(indicator, cells, p.months, "")
            labels = {k: str(k) for k in range(1, 6)} if key == "feedback_score" else None
            distributions.append(tables.distribution(p.label, _("Value"), whole, shape.resolution, labels=labels))
    record(actor, "insights.indicator", object_type="insights.indicator", object_id=key,
           reason=f"{audience}: {chosen.a.key} vs {chosen.b.key}" + (f" by {by}" if by else ""))
    return Detail(current, chosen, indicator, list(Indicator.objects.filter(key=key).order_by("-version")),
                  shape, trend, by, allowed, split, distributions)


# A breakdown shows this many groups, the largest; the others together in one row.
MAX_GROUPS = 30


def _months_read(indicator: Indicator, period: Period) -> list[dt.date]:
    return period.months[-1:] if indicator.definition["aggregation"] == "snapshot" else period.months


def _largest(indicator: Indicator, groups: dict, months: list[dt.date]) -> list[str]:
    """The MAX_GROUPS groups counting most in the periods compared."""
    if len(groups) <= MAX_GROUPS:
        return list(groups)
    size = {g: sum(c.denominator for (month, _s), c in cells.items() if month in months) for g, cells in groups.items()}
    return sorted(size, key=lambda g: -size[g])[:MAX_GROUPS]


def _by_group(indicator, shape, groups: dict, names: dict, whole: dict, period: Period, by: str,
              today) -> Table:
    days = tables.period_days(period.months, today)
    rows = [(name, [merge(indicator, groups[g], period.months, k) for k, _l in shape.series], days)
            for g, name in sorted(names.items(), key=lambda kv: kv[1].lower())]
    rows = [r for r in rows if any(c.denominator for c in r[1])]
    others = [g for g in groups if g not in names]
    if others:
        rest = [tables.Cell() for _s in shape.series]
        for g in others:
            for cell, (k, _l) in zip(rest, shape.series, strict=True):
                part = merge(indicator, groups[g], period.months, k)
                cell.add(part.numerator, part.denominator, part.total, part.histogram)
        rows.append((_("%(n)s others together") % {"n": len(others)}, rest, days))
    rows.append((_("All"), [merge(indicator, whole, period.months, k) for k, _l in shape.series], days))
    return tables.table(shape, period.label, str(BREAKDOWN_LABELS[by]), rows, total_row=by != "organisation")


def _team_against_network(indicator, shape, team: dict, network: dict, period: Period, current: Scope,
                          today) -> Table:
    days = tables.period_days(period.months, today)
    rows = [(", ".join(current.group_names) or _("Your team"),
             [merge(indicator, team, period.months, k) for k, _l in shape.series], days),
            (_("The whole network"), [merge(indicator, network, period.months, k) for k, _l in shape.series], days)]
    return tables.table(shape, period.label, "", rows)


@selector
def definitions(*, actor: Professional) -> list[Indicator]:
    """Every definition with its versions, for anyone who sees a dashboard."""
    if not audiences_of(actor):
        raise refused(AccessDenied(_("The indicator definitions are for analysts, team managers and network "
                                     "coordinators.")), actor=actor, action="insights.definitions",
                      object_type="insights.definitions", reason="no insights role")
    return list(Indicator.objects.order_by("key", "-version"))
