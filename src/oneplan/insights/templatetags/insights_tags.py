"""Template filters and tags of the insights pages."""
from django import template

from oneplan.insights import render

register = template.Library()


@register.filter
def def_text(indicator, field: str) -> str:
    """A text of an indicator's definition in the reader's language."""
    return indicator.text(field)


@register.simple_tag
def figure_table(table, caption=""):
    return render.table_html(table, caption)


@register.simple_tag
def figure_chart(chart):
    return render.chart_html(chart)
