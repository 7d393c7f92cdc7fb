"""One way to paginate lists, in pages and in the API."""
from django.conf import settings
from django.core.paginator import Paginator


def paginate(queryset, page: str | int | None, *, per_page: int | None = None):
    per_page = per_page or settings.ONEPLAN["PAGE_SIZE"]
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(page)
