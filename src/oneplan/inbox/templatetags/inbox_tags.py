"""The latest unread notifications, for the home page; no query when the count says none."""
from django import template

from oneplan.inbox.selectors import latest_unread

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_notifications(context, limit: int = 5):
    professional = context.get("professional")
    if professional is None or not context.get("inbox_unread"):
        return []
    return latest_unread(professional, limit)
