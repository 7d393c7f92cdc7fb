"""Free text from forms and the API: trimmed, required or not, within its length."""
from django.utils.translation import gettext as _

from oneplan.core.errors import InvalidInput


def clean_text(value, field: str, label: str, *, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("%(label)s is required.") % {"label": label}, field=field)
    if len(value) > limit:
        raise InvalidInput(_("%(label)s can be at most %(n)d characters.") % {"label": label, "n": limit},
                           field=field)
    return value
