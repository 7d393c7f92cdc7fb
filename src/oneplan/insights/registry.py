"""The computation of every indicator: one function per indicator id, registered here.

A function gets the data of one refresh (insights/facts.py) and the months to compute, and
yields observations: one per counted thing (a family registered, a referral accepted, a goal
scored at a review). The engine (insights/aggregates.py) adds them up per month, breakdown
group and series, so a function never groups or counts itself."""
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple


class Obs(NamedTuple):
    month: dt.date
    family: int | None = None  # for the family breakdowns (team, area, intensity, age band)
    series: str = ""
    hit: int = 1  # counts towards the numerator
    value: float | None = None  # a duration, a score: totals and the histogram
    org: int | tuple | None = None  # the organisation(s) it is about (breakdown "organisation")
    service: int | None = None  # breakdown "service"


@dataclass(frozen=True)
class Spec:
    key: str
    compute: Callable[..., Iterable[Obs]]
    # Which change feeds (insights/changes.py) tell that a month of this indicator changed.
    sources: tuple[str, ...]
    # A snapshot (state at the month's end) depends on everything before it: a change in a
    # month changes it for every later month too.
    snapshot: bool = False
    # A change in a month changes the figures of up to this many months before it (families
    # registered again within 12 months of closing).
    reach_back: int = 0
    # The width of the histogram's buckets (medians and distributions); None: no histogram.
    # A value v falls in bucket floor(v / resolution); a bucket stands for its lower edge.
    resolution: float | None = None
    # (series key, label) in display order; None: a single series.
    series: Callable[[], list[tuple[str, str]]] | None = None


SPECS: dict[str, Spec] = {}


def indicator(key: str, *, sources: tuple[str, ...], snapshot: bool = False, reach_back: int = 0,
              resolution: float | None = None, series=None):
    def register(fn):
        if key in SPECS:
            raise ValueError(f"indicator {key!r} is registered twice")
        SPECS[key] = Spec(key, fn, tuple(sources), snapshot, reach_back, resolution, series)
        return fn

    return register


DAYS = 1.0  # durations in whole days (rounded down)
QUARTER_HOURS = 0.25
FIVE_POINTS = 5.0  # T-scores: 45 holds 45.0-49.9
WHOLE = 1.0  # ratings 1-5
