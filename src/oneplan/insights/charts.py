"""Server-rendered SVG charts of the figures, readable without colour: each line has its own
marker and dash pattern, compared periods are hatched and dotted, every value is also in the
table beside the chart. Coordinates are written here as plain strings with a dot (never
localised: "12,5" would break the drawing in Dutch; see assessments/charts.py)."""
import math
from dataclasses import dataclass, field

from oneplan.insights.tables import number_format

W, H, PAD_L, PAD_R, PAD_T, PAD_B = 640, 220, 48, 12, 14, 40
MARKERS = ("circle", "square", "triangle")


def _c(value: float) -> str:
    return f"{value:.1f}"


@dataclass
class Line:
    label: str
    index: int
    path: str
    points: list[tuple[str, str, str]]  # (x, y, value as text)
    marker: str


@dataclass
class Band:
    x: str
    width: str
    kind: str  # "a" or "b"
    label: str


@dataclass
class Chart:
    uid: str
    title: str
    width: int = W
    height: int = H
    grid: list[tuple[str, str]] = field(default_factory=list)  # (y, label)
    xlabels: list[tuple[str, str]] = field(default_factory=list)  # (x, label)
    lines: list[Line] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    bars: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # x, y, width, height, label
    hidden: list[str] = field(default_factory=list)  # x of values not shown (small numbers)
    baseline: str = ""


def _nice_top(value: float, *, whole: bool = True) -> float:
    """The top of an axis with four equal steps of a round size (whole numbers for counts)."""
    wanted = max(value, 0) / 4
    if wanted <= 0:
        return 4.0
    magnitude = 10 ** math.floor(math.log10(wanted))
    for step in (1, 2, 2.5, 5, 10):
        size = step * magnitude
        if wanted <= size and (not whole or (size >= 1 and float(size).is_integer())):
            return 4 * size
    return 4 * max(1.0, 10 * magnitude)


def _scale(values: list[float], unit: str) -> tuple[float, float]:
    if unit == "percent":
        return 0.0, 100.0
    if unit == "score":
        low = min([20.0, *[math.floor(v / 10) * 10 for v in values]])
        return low, max([80.0, *[math.ceil(v / 10) * 10 for v in values]])
    if unit == "rating":
        return 0.0, 5.0
    return 0.0, _nice_top(max(values) if values else 0.0, whole=unit == "count")


def _label(value: float) -> str:
    return number_format(round(value, 1), 0 if float(value).is_integer() else 1)


def _grid(chart: Chart, low: float, top: float, y) -> None:
    for k in range(5):
        value = low + (top - low) * k / 4
        chart.grid.append((_c(y(value)), _label(value)))


def trend(uid: str, title: str, labels: list[str], lines: list[tuple[str, list]], unit: str,
          compare: tuple[int | None, int | None] = (None, None), compare_labels=("", "")) -> Chart:
    """A line per series over the periods; `compare` the indexes of the two periods compared."""
    chart = Chart(uid=uid, title=title)
    n = len(labels)
    inner_w, inner_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    step = inner_w / max(n, 1)

    def x(i):
        return PAD_L + step * (i + 0.5)

    values = [v for _l, vs in lines for v in vs if v is not None]
    low, top = _scale(values, unit)

    def y(v):
        return PAD_T + inner_h * (1 - (v - low) / ((top - low) or 1))

    _grid(chart, low, top, y)
    chart.baseline = _c(y(low))
    for kind, index, text in (("a", compare[0], compare_labels[0]), ("b", compare[1], compare_labels[1])):
        if index is not None:
            chart.bands.append(Band(_c(PAD_L + step * index), _c(step), kind, text))
    every = max(1, math.ceil(n / 8))
    chart.xlabels = [(_c(x(i)), labels[i]) for i in range(n) if i % every == 0 or i == n - 1]
    hidden = set()
    for index, (label, vs) in enumerate(lines[:len(MARKERS)]):
        parts, points, pen_down = [], [], False
        for i, v in enumerate(vs):
            if v is None:
                pen_down = False
                hidden.add(i)
                continue
            parts.append(f"{'L' if pen_down else 'M'}{_c(x(i))},{_c(y(v))}")
            points.append((_c(x(i)), _c(y(v)), _label(v)))
            pen_down = True
        chart.lines.append(Line(label, index, " ".join(parts), points, MARKERS[index]))
    chart.hidden = [_c(x(i)) for i in sorted(hidden)]
    return chart


def bars(uid: str, title: str, labels: list[str], values: list[float | None]) -> Chart:
    """A histogram: one bar per bucket, its count written above it."""
    chart = Chart(uid=uid, title=title, height=180)
    n = len(labels)
    inner_w, inner_h = W - PAD_L - PAD_R, chart.height - PAD_T - PAD_B
    step = inner_w / max(n, 1)
    top = _nice_top(max([v for v in values if v is not None] or [0]))

    def y(v):
        return PAD_T + inner_h * (1 - v / top)

    _grid(chart, 0, top, y)
    chart.baseline = _c(y(0))
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        chart.xlabels.append((_c(PAD_L + step * (i + 0.5)), label))
        if v is None:
            chart.hidden.append(_c(PAD_L + step * (i + 0.5)))
            continue
        chart.bars.append((_c(PAD_L + step * i + step * 0.15), _c(y(v)), _c(step * 0.7), _c(y(0) - y(v)), _label(v)))
    return chart
