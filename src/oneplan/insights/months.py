"""Months and quarters: the time grains of the figures (a month is its first day)."""
import datetime as dt

from django.utils import timezone

HISTORY = 24  # months kept and rebuilt


def start_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def add(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def last_day(month: dt.date) -> dt.date:
    return next_month(month) - dt.timedelta(days=1)


def snapshot_day(month: dt.date, today: dt.date | None = None) -> dt.date:
    """The day a month's snapshot is taken: its last day, or today for the running month."""
    today = today or timezone.localdate()
    return min(last_day(month), today)


def history(today: dt.date | None = None, count: int = HISTORY) -> list[dt.date]:
    """The last `count` months, the running one last."""
    current = start_of(today or timezone.localdate())
    return [add(current, -i) for i in range(count - 1, -1, -1)]


def label(month: dt.date) -> str:
    return month.strftime("%Y-%m")


def parse(text: str) -> dt.date | None:
    try:
        year, month = text.split("-")
        return dt.date(int(year), int(month), 1)
    except (ValueError, AttributeError):
        return None


def quarter_of(month: dt.date) -> dt.date:
    return dt.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)


def quarter_label(quarter: dt.date) -> str:
    return f"{quarter.year}-Q{(quarter.month - 1) // 3 + 1}"


def parse_quarter(text: str) -> dt.date | None:
    try:
        year, q = text.split("-Q")
        q = int(q)
        return dt.date(int(year), 3 * q - 2, 1) if 1 <= q <= 4 else None
    except (ValueError, AttributeError):
        return None
