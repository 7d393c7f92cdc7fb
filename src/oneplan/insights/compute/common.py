"""Helpers every indicator computation uses: which days fall in the months asked for."""
import datetime as dt

from django.db.models import Q
from django.utils import timezone

from oneplan.insights import months as m


def in_months(months: list[dt.date]):
    """A test: does this day (or None) fall in one of the months?"""
    wanted = set(months)
    return lambda day: day is not None and m.start_of(day) in wanted


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def bounds(months: list[dt.date]) -> tuple[dt.datetime, dt.datetime]:
    """The months' span as aware moments: [first day 00:00, the day after the last month 00:00)."""
    start, end = months[0], m.next_month(months[-1])
    return tuple(timezone.make_aware(dt.datetime.combine(d, dt.time.min)) for d in (start, end))


def days(months: list[dt.date]) -> tuple[dt.date, dt.date]:
    return months[0], m.next_month(months[-1])


def moments_in(months: list[dt.date], *fields: str) -> Q:
    """Rows with one of these moments in the months' span."""
    lower, upper = bounds(months)
    where = Q()
    for field in fields:
        where |= Q(**{f"{field}__gte": lower, f"{field}__lt": upper})
    return where


def snapshot_days(data, months):
    return [(month, m.snapshot_day(month, data.today)) for month in months]
