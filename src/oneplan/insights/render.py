"""The two things a dashboard repeats dozens of times, a chart and its table, written as HTML here:
a template loop over thousands of cells costs more than the whole query (docs/benchmarks.md).
Everything from the data is escaped; coordinates are plain strings made by charts.py."""
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from oneplan.insights.charts import Chart
from oneplan.insights.tables import Table


def _marker_word(marker: str) -> str:
    return {"circle": _("circles"), "square": _("squares"), "triangle": _("triangles")}[marker]


def table_html(t: Table, caption: str = "") -> SafeString:
    label = escape(caption or t.title)
    head = "".join(f'<th scope="col" class="num">{escape(c.label)}</th>' for c in t.columns)
    rows = []
    for row_label, cells in t.labelled_rows:
        tds = "".join(f'<td class="num" data-label="{escape(col)}">{escape(str(cell))}</td>' for col, cell in cells)
        rows.append(f'<tr><th scope="row">{escape(str(row_label))}</th>{tds}</tr>')
    if not rows:
        rows.append(f'<tr><td colspan="{len(t.columns) + 1}">{escape(_("No figures yet."))}</td></tr>')
    return mark_safe(
        f'<div class="table-scroll" tabindex="0" role="region" aria-label="{label}"><table class="list figures">'
        + (f"<caption>{label}</caption>" if caption else "")
        + f'<thead><tr><th scope="col">{escape(t.head or _("Group"))}</th>{head}</tr></thead>'
        + f'<tbody>{"".join(rows)}</tbody></table></div>')


def _marker(line, x: str, y: str, value: str) -> str:
    title = f"<title>{escape(value)}</title>"
    cls = f'class="pt pt-{line.index}"'
    if line.marker == "circle":
        return f'<circle cx="{x}" cy="{y}" r="3.5" {cls}>{title}</circle>'
    if line.marker == "square":
        return f'<rect x="{x}" y="{y}" width="7" height="7" transform="translate(-3.5 -3.5)" {cls}>{title}</rect>'
    return f'<path d="M{x},{y} m0,-4.5 l4,7.5 l-8,0 z" {cls}>{title}</path>'


def chart_html(c: Chart) -> SafeString:
    names = ", ".join(escape(line.label) for line in c.lines if line.label)
    aria = escape(c.title) + (f": {names}" if len(c.lines) > 1 else "")
    parts = [f'<figure class="insight-chart"><svg viewBox="0 0 {c.width} {c.height}" role="img" aria-label="{aria}">',
             f'<defs><pattern id="{c.uid}-a" width="6" height="6" patternUnits="userSpaceOnUse" '
             f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern>'
             f'<pattern id="{c.uid}-b" width="6" height="6" patternUnits="userSpaceOnUse">'
             f'<circle cx="3" cy="3" r="1.1" class="dots"/></pattern></defs>']
    for band in c.bands:
        parts.append(f'<rect x="{band.x}" y="4" width="{band.width}" height="{c.baseline}" '
                     f'fill="url(#{c.uid}-{band.kind})" class="band band-{band.kind}"><title>{escape(band.label)}'
                     f'</title></rect>')
    for y, label in c.grid:
        parts.append(f'<line x1="44" x2="{c.width}" y1="{y}" y2="{y}" class="grid"/>'
                     f'<text x="40" y="{y}" dy="4" text-anchor="end" class="axis">{escape(label)}</text>')
    for x, y, w, h, label in c.bars:
        parts.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" class="bar"/>'
                     f'<text x="{x}" y="{y}" dx="2" dy="-3" class="axis">{escape(label)}</text>')
    for line in c.lines:
        if line.path:
            parts.append(f'<path d="{line.path}" class="series series-{line.index}"/>')
        parts += [_marker(line, x, y, v) for x, y, v in line.points]
    parts += [f'<text x="{x}" y="{c.baseline}" dy="-3" text-anchor="middle" class="axis hidden-mark">×</text>'
              for x in c.hidden]
    parts += [f'<text x="{x}" y="{c.height - 8}" text-anchor="middle" class="axis">{escape(label)}</text>'
              for x, label in c.xlabels]
    parts.append('</svg><figcaption class="legend">')
    for line in c.lines:
        if line.label:
            parts.append(f'<span class="key"><svg width="22" height="12" aria-hidden="true"><line x1="1" x2="21" '
                         f'y1="6" y2="6" class="series series-{line.index}"/></svg> {escape(line.label)} '
                         f'({escape(_marker_word(line.marker))})</span> ')
    for band in c.bands:
        word = _("hatched") if band.kind == "a" else _("dotted")
        parts.append(f'<span class="key"><svg width="14" height="12" aria-hidden="true"><rect width="14" '
                     f'height="12" fill="url(#{c.uid}-{band.kind})" class="band"/></svg> {escape(word)}: '
                     f'{escape(band.label)}</span> ')
    if c.hidden:
        parts.append(f'<span class="key">× {escape(_("not shown: too few to show"))}</span>')
    parts.append("</figcaption></figure>")
    return mark_safe("".join(parts))
