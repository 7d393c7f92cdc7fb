"""Small template filters used across apps."""
from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def category_label(value):
    """A data category's label (identity -> Identity), in the current language."""
    from oneplan.access.models import Category

    return Category(value).label if value in Category.values else value
