"""Template filters about access: data categories in words."""
from django import template

from oneplan.access.models import Category

register = template.Library()


@register.filter
def category_label(value):
    """A data category's label (identity -> Identity), in the current language."""
    return Category(value).label if value in Category.values else value
