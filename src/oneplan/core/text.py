"""Free text from forms and the API: trimmed, required or not, within its length; what changed
between two texts, word by word."""
import difflib

from django.conf import settings
from django.utils import translation
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


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Word-level diff as (op, text) pairs: op is '=', '-' or '+'."""
    a, b = before.split(), after.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("-", " ".join(a[i1:i2])))
            if j2 > j1:
                out.append(("+", " ".join(b[j1:j2])))
    return out


def shipped_translation(definition: dict) -> dict:
    """A versioned definition's own texts in the reader's language (its YAML's `translations`),
    or {} when it ships none: assessment instruments and self-evaluation questionnaires."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return (definition.get("translations") or {}).get(language) or {}
