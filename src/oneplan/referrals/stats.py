"""Waiting times per service from the referrals themselves: median and 90th percentile days from
sent to accepted and from accepted to in service, over the last 12 months; warm and cold starts.

Percentiles use the nearest-rank method: the 90th percentile is the smallest value that at
least 90 % of the referrals do not exceed (no interpolation, so it is a real referral's wait).
"""
import datetime as dt
import math
import statistics
from dataclasses import dataclass

from django.utils import timezone

from oneplan.referrals.models import Referral

WINDOW_DAYS = 365


@dataclass(frozen=True)
class Spread:
    n: int
    median: float  # days
    p90: float  # days


@dataclass
class WaitStats:
    to_accept: Spread | None = None
    to_start: Spread | None = None
    starts: int = 0
    warm: int = 0

    @property
    def cold(self) -> int:
        return self.starts - self.warm


def nearest_rank(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(pct / 100 * len(ordered))) - 1]


def spread(days: list[float]) -> Spread | None:
    if not days:
        return None
    return Spread(len(days), round(statistics.median(days), 1), round(nearest_rank(days, 90), 1))


def _days(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 86400


def wait_stats(service_ids, *, now: dt.datetime | None = None) -> dict[int, WaitStats]:
    """{service_id: WaitStats} for these services, in two indexed queries."""
    since = (now or timezone.now()) - dt.timedelta(days=WINDOW_DAYS)
    ids = list(service_ids)
    accepted, started = {}, {}
    for service_id, sent, acc in (Referral.objects.filter(service_id__in=ids, accepted_at__gte=since,
                                                          sent_at__isnull=False)
                                  .values_list("service_id", "sent_at", "accepted_at")):
        accepted.setdefault(service_id, []).append(_days(sent, acc))
    stats = {i: WaitStats() for i in ids}
    for service_id, acc, began, warm in (Referral.objects.filter(service_id__in=ids, in_service_at__gte=since,
                                                                 accepted_at__isnull=False)
                                         .values_list("service_id", "accepted_at", "in_service_at",
                                                      "started_warm")):
        started.setdefault(service_id, []).append(_days(acc, began))
        stats[service_id].starts += 1
        stats[service_id].warm += bool(warm)
    for service_id, item in stats.items():
        item.to_accept = spread(accepted.get(service_id, []))
        item.to_start = spread(started.get(service_id, []))
    return stats
