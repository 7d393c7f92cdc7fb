"""The insights pages: thin views over insights/selectors.py, charts drawn by insights/charts.py."""
import csv

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from oneplan.core import smallnumbers
from oneplan.core.web import professional_required
from oneplan.insights import charts, selectors, tables

GRAINS = ("quarter", "month")


def _params(request) -> dict:
    grain = request.GET.get("grain", "quarter")
    return {"grain": grain if grain in GRAINS else "quarter", "a": request.GET.get("a", "")[:10],
            "b": request.GET.get("b", "")[:10]}


def _trend_chart(uid: str, table: tables.Table, unit: str, chosen: selectors.Periods) -> charts.Chart:
    keys = [p.key for p in chosen.all]
    index = {k: i for i, k in enumerate(keys)}
    return charts.trend(uid, table.title, [p.key for p in chosen.all], table.lines, unit,
                        compare=(index.get(chosen.a.key), index.get(chosen.b.key)),
                        compare_labels=(chosen.a.label, chosen.b.label))


@never_cache
@professional_required
def index(request):
    return redirect("insights:dashboard", audience=selectors.first_audience(actor=request.professional))


@never_cache
@professional_required
def dashboard(request, audience):
    board = selectors.dashboard(actor=request.professional, audience=audience, **_params(request))
    for _theme, cards in board.themes:
        for card in cards:
            card.chart = _trend_chart(f"c-{card.indicator.key}", card.trend, card.shape.unit, board.periods)
    return render(request, "insights/dashboard.html", {
        "board": board, "audiences": _audiences(request), "small": smallnumbers.threshold(),
        "query": request.GET.urlencode()})


def _audiences(request):
    return [(key, str(selectors.AUDIENCES[key][1])) for key in selectors.audiences_of(request.professional)]


@never_cache
@professional_required
def indicator(request, audience, key):
    page = selectors.detail(actor=request.professional, audience=audience, key=key,
                            by=request.GET.get("by", "")[:20], **_params(request))
    chart = _trend_chart(f"t-{key}", page.trend, page.shape.unit, page.periods)
    histograms = [charts.bars(f"d{i}-{key}", t.title, [label for label, _c in t.rows], t.lines[0][1])
                  for i, t in enumerate(page.distributions)]
    return render(request, "insights/indicator.html", {
        "page": page, "chart": chart, "histograms": list(zip(page.distributions, histograms, strict=True)),
        "audiences": _audiences(request), "small": smallnumbers.threshold(), "query": request.GET.urlencode()})


CSV_TABLES = ("trend", "period-a", "period-b", "distribution-a", "distribution-b")


@never_cache
@professional_required
def table_csv(request, audience, key, table):
    if table not in CSV_TABLES:
        raise Http404
    page = selectors.detail(actor=request.professional, audience=audience, key=key,
                            by=request.GET.get("by", "")[:20], **_params(request))
    found = {"trend": page.trend, "period-a": (page.split or [None])[0],
             "period-b": (page.split or [None, None])[1],
             "distribution-a": (page.distributions or [None])[0],
             "distribution-b": (page.distributions or [None, None])[1]}[table]
    if found is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}-{table}.csv"'
    write_csv(response, found)
    return response


def write_csv(out, table: tables.Table) -> None:
    """The table as shown: hidden counts as "<N", hidden values as "–", numbers with a dot."""
    writer = csv.writer(out)
    writer.writerow([table.head or _("Group"), *[c.label for c in table.columns]])
    for (label, shown), (_label, raw) in zip(table.rows, table.raw, strict=True):
        writer.writerow([label, *[text if value is None else value for text, value in zip(shown, raw, strict=True)]])


@never_cache
@professional_required
def definitions(request):
    found = selectors.definitions(actor=request.professional)
    return render(request, "insights/definitions.html", {"indicators": found, "audiences": _audiences(request)})
