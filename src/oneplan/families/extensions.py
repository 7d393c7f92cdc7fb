"""How other apps add to the family file and the caseload without the families app knowing them.

An app registers, in its AppConfig.ready():
- a family-file section: fn(request, file) -> dict | None, rendered with its template in order;
- a caseload flag provider: fn(actor, family_ids) -> {family_id: [Flag, ...]}, one query per page.
"""
from dataclasses import dataclass
from typing import Callable

from django.template.context import make_context
from django.template.loader import get_template


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    level: str = "warn"  # warn | danger


@dataclass(frozen=True)
class Section:
    name: str
    template: str
    context: Callable
    order: int = 50


_sections: dict[str, Section] = {}
_flag_providers: dict[str, Callable] = {}


def register_section(name: str, template: str, context: Callable, order: int = 50) -> None:
    _sections[name] = Section(name, template, context, order)


def register_flags(name: str, provider: Callable) -> None:
    _flag_providers[name] = provider


def render_sections(request, file) -> list[str]:
    """Every section in one pass with one shared context: the context processors run once for
    all of them (each `render_to_string(request=...)` would run them again)."""
    html = []
    shared = make_context({"file": file, "family": file.family}, request)
    sections = [(s, s.context(request, file)) for s in sorted(_sections.values(), key=lambda s: s.order)]
    templates = [(get_template(s.template).template, c) for s, c in sections if c is not None]
    if not templates:
        return html
    with shared.bind_template(templates[0][0]):
        for template, context in templates:
            with shared.push(context):
                html.append(template.render(shared))
    return html


def flags_for_families(actor, family_ids: list[int]) -> dict[int, list[Flag]]:
    merged: dict[int, list[Flag]] = {}
    for provider in _flag_providers.values():
        for family_id, flags in provider(actor, family_ids).items():
            merged.setdefault(family_id, []).extend(flags)
    return merged
