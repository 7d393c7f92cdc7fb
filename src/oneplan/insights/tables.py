"""Merged figures to the tables the pages and the CSV files show, with small numbers hidden.

Every count below ONEPLAN["SMALL_NUMBER"] is shown as "<N" and, where a total beside it would
give it away, one more (core/smallnumbers.py). A share also hides when the count it leaves
out is small (48 of 50 tells that 2 families have no plan), and a share, mean or median whose
count is hidden is not shown either."""
import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import get_format
from django.utils.translation import gettext as _

from oneplan.core import smallnumbers
from oneplan.insights import months as m
from oneplan.insights.aggregates import histogram_quantile, histogram_quantiles

HIDDEN = "–"  # a value that is not shown because its count is hidden


@dataclass
class Cell:
    """One indicator's figures for one run of months and one group and series, merged."""

    numerator: int = 0
    denominator: int = 0
    total: float = 0.0
    histogram: dict = field(default_factory=dict)

    def add(self, numerator, denominator, total, histogram) -> None:
        self.numerator += numerator
        self.denominator += denominator
        self.total += total
        if not histogram:
            return
        if not self.histogram:
            self.histogram = dict(histogram)
            return
        mine = self.histogram
        for key, n in histogram.items():
            mine[key] = mine.get(key, 0) + n


@dataclass
class Column:
    label: str
    numeric: bool = True


@dataclass
class Table:
    title: str
    head: str  # the header of the first column (the rows' labels)
    columns: list[Column]
    rows: list[tuple[str, list[str]]]  # (label, cells as shown)
    raw: list[tuple[str, list]]  # the same, unformatted (CSV): None where hidden
    # What a chart draws: (label, one value per row) per line; None where hidden.
    lines: list[tuple[str, list]] = field(default_factory=list)

    @property
    def labelled_rows(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Rows with each cell's column label (a phone shows the table as labelled lines)."""
        return [(label, [(col.label, cell) for col, cell in zip(self.columns, cells, strict=True)])
                for label, cells in self.rows]


@dataclass(frozen=True)
class Shape:
    """How one indicator is shown: statistic, resolution, series and what they add up to."""

    statistic: str
    unit: str
    resolution: float | None
    series: list[tuple[str, str]]  # [(key, label)]; [("", "")] for a single series
    parts: bool  # the series add up to a whole (a Total column)
    agreed: bool = False  # medians with a share within the agreed time (the front door)
    per_week: bool = False
    # The series a chart draws as lines of their own (counts that are no parts of a whole);
    # empty: one line, all series together.
    lines: tuple[str, ...] = ()


def number_format(value: float, decimals: int) -> str:
    """A number in the reader's language ("12,5" in Dutch), without thousands separators (the
    tables are read as figures, the CSV has its own plain numbers). Django's own number_format
    costs more than a whole table row; this is called thousands of times per page."""
    text = f"{value:.{decimals}f}"
    return text.replace(".", get_format("DECIMAL_SEPARATOR")) if decimals else text


def _fmt(value: float | None, decimals: int = 1) -> str:
    return HIDDEN if value is None else number_format(round(value, decimals), decimals)


def _share(num: int, den: int) -> float | None:
    return 100.0 * num / den if den else None


def headline(shape: Shape, cell: Cell) -> float | None:
    """The one value of a cell (charts, comparisons): count, share, mean or median."""
    if shape.statistic == "count":
        return float(cell.denominator)
    if shape.statistic == "share":
        return _share(cell.numerator, cell.denominator)
    if not cell.denominator:
        return None
    if shape.statistic == "mean":
        return cell.total / cell.denominator
    return histogram_quantile(cell.histogram, 0.5, shape.resolution or 1)


def value_text(shape: Shape, value: float | None) -> str:
    if value is None:
        return HIDDEN
    if shape.statistic == "share":
        return f"{number_format(round(value), 0)}%"
    if shape.statistic == "count":
        return number_format(round(value), 0)
    return _fmt(value, 2 if shape.unit == "hours" and value < 10 else 1)


def columns(shape: Shape) -> list[Column]:
    out = []
    for _key, label in shape.series:
        prefix = f"{label}: " if label else ""
        if shape.statistic == "count":
            out.append(Column(label or _("Count")))
        elif shape.statistic == "share":
            out += [Column(prefix + _("counted")), Column(prefix + _("out of")), Column(prefix + _("share"))]
        elif shape.statistic == "mean":
            out += [Column(prefix + _("number")), Column(prefix + _("mean"))]
        else:
            out += [Column(prefix + _("number")), Column(prefix + _("median")), Column(prefix + _("90th percentile"))]
            if shape.agreed:
                out.append(Column(prefix + _("within the agreed time")))
    if shape.statistic == "count" and shape.parts and len(shape.series) > 1:
        out.append(Column(_("Total")))
    if shape.per_week:
        out.append(Column(_("per week")))
    return out


def _counts(shape: Shape, cells: list[Cell]) -> list[int]:
    """The counts of one row that small-number rules apply to, in a fixed order."""
    out = []
    for cell in cells:
        if shape.statistic == "count":
            out.append(cell.denominator)
        elif shape.statistic == "share" or shape.agreed:
            out += [cell.numerator, cell.denominator - cell.numerator, cell.denominator]
        else:
            out.append(cell.denominator)
    if shape.statistic == "count" and shape.parts and len(shape.series) > 1:
        out.append(sum(c.denominator for c in cells))
    return out


def _render(shape: Shape, cells: list[Cell], shown: list[int | None], days: int) -> tuple[list, list]:
    """(cells as text, cells as raw values) of one row, from the suppressed counts."""
    text, raw, i = [], [], 0
    for cell in cells:
        if shape.statistic == "count":
            text.append(smallnumbers.shown(shown[i]))
            raw.append(shown[i])
            i += 1
            continue
        if shape.statistic == "share" or shape.agreed:
            num, rest, den = shown[i:i + 3]
            i += 3
            visible = None not in (num, rest, den)
        else:
            den = shown[i]
            i += 1
            visible = den is not None
        if shape.statistic == "share":
            share = _share(cell.numerator, cell.denominator) if visible else None
            text += [smallnumbers.shown(num), smallnumbers.shown(den), value_text(shape, share)]
            raw += [num, den, None if share is None else round(share, 1)]
            continue
        text.append(smallnumbers.shown(den))
        raw.append(den)
        visible = visible and bool(cell.denominator)
        if shape.statistic == "mean":
            mean = cell.total / cell.denominator if visible else None
            text.append(value_text(shape, mean))
            raw.append(None if mean is None else round(mean, 2))
            continue
        median, p90 = histogram_quantiles(cell.histogram, (0.5, 0.9), shape.resolution) if visible else (None, None)
        text += [value_text(shape, median), value_text(shape, p90)]
        raw += [median, p90]
        if shape.agreed:
            within = _share(cell.numerator, cell.denominator) if visible else None
            text.append(HIDDEN if within is None else f"{number_format(round(within), 0)}%")
            raw.append(None if within is None else round(within, 1))
    if shape.statistic == "count" and shape.parts and len(shape.series) > 1:
        text.append(smallnumbers.shown(shown[i]))
        raw.append(shown[i])
        i += 1
    if shape.per_week:
        total = shown[-1] if len(shape.series) > 1 else shown[0]
        week = None if total is None or not days else total * 7 / days
        text.append(_fmt(week))
        raw.append(None if week is None else round(week, 1))
    return text, raw


def _row_lines(shape: Shape, cells: list[Cell], shown: list[int | None], raw: list) -> list[float | None]:
    """The values a chart draws for one row: per line, or the whole (all series together)."""
    if shape.lines:
        keys = [key for key, _label in shape.series]
        return [None if shown[keys.index(k)] is None else float(shown[keys.index(k)]) for k in shape.lines]
    if shape.statistic == "count":
        if len(cells) == 1:
            return [None if shown[0] is None else float(shown[0])]
        return [None if shown[len(cells)] is None else float(shown[len(cells)])]
    if len(cells) == 1:  # the value the row shows (share, mean or median), already worked out
        value = raw[2] if shape.statistic == "share" else raw[1]
        return [None if value is None else float(value)]
    whole = Cell()
    for cell in cells:
        whole.add(cell.numerator, cell.denominator, cell.total, cell.histogram)
    return [None if smallnumbers.one(whole.denominator) is None else headline(shape, whole)]


def table(shape: Shape, title: str, head: str, rows: list[tuple[str, list[Cell], int]], *,
          total_row: bool = False) -> Table:
    """rows: (label, one Cell per series, days the row spans). With `total_row` the last row is the
    sum of the others (a breakdown with its "All"): columns are suppressed together with it;
    otherwise each row on its own (a trend: no total over time is shown)."""
    counts = [_counts(shape, cells) for _label, cells, _days in rows]
    if total_row:
        shown = smallnumbers.suppress(counts) if counts else []
    else:
        shown = [smallnumbers.suppress([c])[0] for c in counts]
    out = Table(title=title, head=head, columns=columns(shape), rows=[], raw=[])
    labels = dict(shape.series)
    out.lines = [(labels[k], []) for k in shape.lines] or [("", [])]
    for (label, cells, days), row in zip(rows, shown, strict=True):
        text, raw = _render(shape, cells, row, days)
        out.rows.append((label, text))
        out.raw.append((label, raw))
        for (_l, values), value in zip(out.lines, _row_lines(shape, cells, row, raw), strict=True):
            values.append(value)
    return out


def distribution(title: str, head: str, cell: Cell, resolution: float, *, labels=None) -> Table:
    """A histogram as a table of its buckets (T-scores in bins, ratings 1-5), small counts hidden."""
    keys = sorted(int(k) for k in cell.histogram)
    if labels is None:
        labels = {k: f"{number_format(k * resolution, 0)}–{number_format((k + 1) * resolution - 0.1, 1)}"
                  for k in keys}
    counts = [cell.histogram.get(str(k), 0) for k in keys]
    shown = smallnumbers.suppress([[*counts, sum(counts)]])[0] if keys else []
    out = Table(title=title, head=head, columns=[Column(_("Count"))], rows=[], raw=[], lines=[("", [])])
    for k, value in zip(keys, shown, strict=False):
        out.rows.append((labels.get(k, str(k)), [smallnumbers.shown(value)]))
        out.raw.append((labels.get(k, str(k)), [value]))
        out.lines[0][1].append(None if value is None else float(value))
    return out


def period_days(months: list[dt.date], today: dt.date) -> int:
    """Days a run of months spans, up to today (the per-week rate of a running month)."""
    if not months:
        return 0
    end = min(m.next_month(months[-1]), today + dt.timedelta(days=1))
    return max(0, (end - months[0]).days)
