"""Notification texts as message keys with parameters, rendered in the reader's language.

A notification stores a key and its parameters, never a finished sentence: a Dutch reader of
an English sender's notice reads it in Dutch, and so does her e-mail. Each app registers its
own texts (in its AppConfig.ready) so the wording stays with the domain that owns it.

Parameters are plain values. A parameter whose name starts with `_` holds an English label
(a category, a status, a life domain) that is translated when the message is rendered; one
that holds a list of labels is translated item by item and joined.
"""
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext


@dataclass(frozen=True)
class Message:
    title: str  # gettext_lazy text with %(name)s placeholders
    body: str = ""


_catalogue: dict[str, Message] = {}


def register(key: str, title, body="") -> None:
    _catalogue[key] = Message(title, body)


def msgid(label) -> str:
    """The English text of a (lazy) label: the msgid a `_` parameter is translated from."""
    with translation.override("en"):
        return str(label)


def registered(key: str) -> bool:
    return key in _catalogue


def _values(params: dict) -> dict:
    """Plain parameters as they are; `_` ones translated, then filled in with the plain ones
    (so a translated part may itself name a person: "checked by %(checker)s")."""
    plain = {name: value for name, value in (params or {}).items() if not name.startswith("_")}
    out = dict(plain)
    for name, value in (params or {}).items():
        if name.startswith("_"):
            value = ", ".join(gettext(v) for v in value) if isinstance(value, list) else gettext(value)
            out[name[1:]] = value % plain if "%(" in value else value
    return out


def render(key: str, params: dict, language: str | None = None) -> tuple[str, str]:
    """(title, body) of a message in `language` (default: the active one)."""
    message = _catalogue.get(key)
    if message is None:  # a key from a newer release, or one an app stopped registering
        return key, ""
    with translation.override(language or translation.get_language()):
        values = _values(params)
        title = str(message.title) % values
        body = str(message.body) % values if message.body else ""
    return title, body
