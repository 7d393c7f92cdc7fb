"""Template filters of the insights pages."""
from django import template

register = template.Library()


@register.filter
def def_text(indicator, field: str) -> str:
    """A text of an indicator's definition in the reader's language."""
    return indicator.text(field)
