"""Monthly aggregates: computing indicators into MonthlyFigure rows, in full (`rebuild`) or
only for the months whose source data changed since the last refresh (`refresh`, run by
`oneplan tick`). Pages read these rows and nothing else."""
import datetime as dt
import logging
import math
import time

from django.db import transaction
from django.utils import timezone

from oneplan.insights import changes
from oneplan.insights import months as m
from oneplan.insights.facts import Data
from oneplan.insights.models import Indicator, MonthlyFigure, Refresh
from oneplan.insights.registry import SPECS, Spec

log = logging.getLogger(__name__)

# A row written just before a refresh started can commit after the refresh read its table:
# each refresh looks back this far before the previous one's start (recomputing is harmless).
OVERLAP = dt.timedelta(minutes=5)
KEEP_REFRESHES = dt.timedelta(days=90)  # the history of refreshes kept (`oneplan tick` adds one every run)
BREAKDOWNS = ("team", "organisation", "area", "intensity", "age_band", "service")


def active_indicators() -> dict[str, Indicator]:
    return {i.key: i for i in Indicator.objects.filter(is_active=True)}


def histogram_quantiles(histogram: dict, qs: tuple[float, ...], resolution: float) -> list[float | None]:
    """The nearest-rank q-quantiles of the histogram's values (a bucket stands for its lower
    edge), in one pass over the sorted buckets."""
    counts = sorted((int(k), n) for k, n in histogram.items() if n)
    total = sum(n for _k, n in counts)
    if not total:
        return [None] * len(qs)
    ranks = [max(1, math.ceil(q * total)) for q in qs]
    out: list[float | None] = [None] * len(qs)
    seen = 0
    for key, n in counts:
        seen += n
        for i, rank in enumerate(ranks):
            if out[i] is None and seen >= rank:
                out[i] = key * resolution
    return out


def histogram_quantile(histogram: dict, q: float, resolution: float) -> float | None:
    return histogram_quantiles(histogram, (q,), resolution)[0]


def value_of(statistic: str, numerator: int, denominator: int, total: float, histogram, resolution) -> float | None:
    if statistic == "count":
        return float(denominator)
    if not denominator:
        return None
    if statistic == "share":
        return 100.0 * numerator / denominator
    if statistic == "mean":
        return total / denominator
    if statistic == "median":
        return histogram_quantile(histogram or {}, 0.5, resolution or 1)
    raise ValueError(f"unknown statistic {statistic!r}")


def compute(spec: Spec, indicator: Indicator, data: Data, months: list[dt.date]) -> list[MonthlyFigure]:
    """The figures of one indicator for these months: every observation counted in the whole
    (breakdown "all") and in its group of every breakdown the definition allows."""
    months = sorted(set(months))
    days = {month: m.snapshot_day(month, data.today) for month in months}
    breakdowns = [b for b in indicator.breakdowns if b in BREAKDOWNS]
    resolution = spec.resolution
    acc: dict[tuple, list] = {}
    for obs in spec.compute(data, months):
        day = days.get(obs.month)
        if day is None:
            continue
        keys = [("all", "")]
        for breakdown in breakdowns:
            group = data.group(breakdown, obs, day)
            if group is None:
                continue
            if isinstance(group, tuple):
                keys.extend((breakdown, g) for g in dict.fromkeys(group))
            else:
                keys.append((breakdown, group))
        bucket = None if resolution is None or obs.value is None else str(int(obs.value // resolution))
        for breakdown, group in keys:
            key = (obs.month, breakdown, group, obs.series)
            cell = acc.get(key)
            if cell is None:
                cell = acc[key] = [0, 0, 0.0, {} if resolution else None]
            cell[0] += obs.hit
            cell[1] += 1
            if obs.value is not None:
                cell[2] += obs.value
                if bucket is not None:
                    cell[3][bucket] = cell[3].get(bucket, 0) + 1
    statistic, now = indicator.definition["statistic"], timezone.now()
    return [MonthlyFigure(indicator=indicator.key, version=indicator.version, month=month, breakdown=breakdown,
                          group=group, series=series, numerator=num, denominator=den, total=total,
                          histogram=hist, computed_at=now,
                          value=value_of(statistic, num, den, total, hist, resolution))
            for (month, breakdown, group, series), (num, den, total, hist) in acc.items()]


def _write(indicator: Indicator, months: list[dt.date], figures: list[MonthlyFigure], *, full: bool) -> None:
    with transaction.atomic():
        MonthlyFigure.objects.filter(indicator=indicator.key, month__in=months).delete()
        if full:  # the figures of older versions (and months out of the window) go with a rebuild
            MonthlyFigure.objects.filter(indicator=indicator.key).exclude(version=indicator.version).delete()
        MonthlyFigure.objects.bulk_create(figures, batch_size=2000)
        if full:
            Indicator.objects.filter(pk=indicator.pk).update(built_at=timezone.now())


def _run(plan: dict[str, list[dt.date]], indicators: dict[str, Indicator], window: list[dt.date],
         data: Data, kind: str, started_at: dt.datetime, progress=None) -> Refresh:
    clock = time.perf_counter()
    written, touched = 0, set()
    for key, months in plan.items():
        if not months:
            continue
        began = time.perf_counter()
        figures = compute(SPECS[key], indicators[key], data, months)
        _write(indicators[key], months, figures, full=set(months) >= set(window))
        written += len(figures)
        touched |= set(months)
        if progress:
            progress(key, len(months), len(figures), time.perf_counter() - began)
    MonthlyFigure.objects.filter(month__lt=window[0]).delete()
    Refresh.objects.filter(started_at__lt=started_at - KEEP_REFRESHES).delete()
    return Refresh.objects.create(kind=kind, started_at=started_at, finished_at=timezone.now(),
                                  months=[m.label(x) for x in sorted(touched)], figures=written,
                                  seconds=round(time.perf_counter() - clock, 3))


def _indicators() -> dict[str, Indicator]:
    indicators = active_indicators()
    for key in sorted(set(indicators) - set(SPECS)):
        log.warning("indicator %s has a definition but no computation: skipped", key)
    return {k: v for k, v in indicators.items() if k in SPECS}


def rebuild(*, keys: list[str] | None = None, progress=None) -> Refresh:
    """Every active indicator (or those named) for all months of the window."""
    started_at, today = timezone.now(), timezone.localdate()
    window = m.history(today)
    indicators = _indicators()
    plan = {key: window for key in indicators if keys is None or key in keys}
    return _run(plan, indicators, window, Data(today), Refresh.Kind.REBUILD, started_at, progress)


def plan_refresh(indicators: dict[str, Indicator], since: dt.datetime, window: list[dt.date],
                 last_started: dt.datetime) -> dict[str, list[dt.date]]:
    """Per indicator, the months to compute again."""
    sources = {s for key in indicators for s in SPECS[key].sources}
    touched = changes.changed_months(since, sources)
    current, first = window[-1], window[0]
    rolled_over = timezone.localtime(last_started).date() < current  # a new month began since
    plan = {}
    for key, indicator in indicators.items():
        spec = SPECS[key]
        if indicator.built_at is None:
            plan[key] = window
            continue
        dirty = set().union(*(touched[s] for s in spec.sources))
        for month in list(dirty):
            dirty |= {m.add(month, -k) for k in range(1, spec.reach_back + 1)}
        if spec.snapshot:
            # The state at a month's end carries into every later month, and the running month's
            # snapshot (taken today) moves with the calendar even when no data changed.
            start = min(dirty | {current}) if dirty else current
            dirty = {x for x in window if x >= max(start, first)} | {current}
            if rolled_over:
                dirty.add(m.add(current, -1))
        plan[key] = sorted(x for x in dirty if first <= x <= current)
    return plan


def refresh(*, progress=None) -> Refresh:
    """Only the months whose source data changed since the last refresh (a rebuild when there
    was none)."""
    last = Refresh.objects.filter(finished_at__isnull=False).order_by("-started_at").first()
    if last is None:
        return rebuild(progress=progress)
    started_at, today = timezone.now(), timezone.localdate()
    window = m.history(today)
    indicators = _indicators()
    plan = plan_refresh(indicators, last.started_at - OVERLAP, window, last.started_at)
    return _run(plan, indicators, window, Data(today), Refresh.Kind.INCREMENTAL, started_at, progress)


def tick() -> str:
    result = refresh()
    return (f"{result.kind}: {len(result.months)} months, {result.figures} figures in {result.seconds:.1f} s"
            if result.months else "no changes")
