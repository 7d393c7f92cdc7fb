"""The access checks families' own services, selectors and pages ask.

The rules live in the access app, which stands above families: they read families' care teams
(`families.teams`) as well as consents and emergency grants. `AccessConfig.ready()` installs
them here, so families never imports access (docs/architecture.md, "Layers").
"""
from typing import TYPE_CHECKING

from django.db.models import QuerySet

if TYPE_CHECKING:  # for the type hints only: families does not import access at run time
    from oneplan.access.rules import FamilyAccess

_rules = None


def install(rules) -> None:
    """Called once by AccessConfig.ready() with oneplan.access.rules."""
    global _rules
    _rules = rules


def family_access(actor, family_id, permission: str = "family.read") -> "FamilyAccess":
    """The actor's access to the family, or a refused (audited) NotFound/AccessDenied."""
    return _rules.family_access(actor, family_id, permission)


def family_object(actor, queryset: QuerySet, pk, permission: str, **kwargs):
    """(access, object) for an object of a family, locked, after the family access check."""
    return _rules.family_object(actor, queryset, pk, permission, **kwargs)


def category_visible(access: "FamilyAccess", category: str, person_id=None) -> tuple[bool, str]:
    return _rules.category_visible(access, category, person_id)


def require_category(access: "FamilyAccess", category: str, action: str, person_id=None) -> None:
    _rules.require_category(access, category, action, person_id)


def visible_families(professional) -> QuerySet:
    return _rules.visible_families(professional)


def can_register_family(actor) -> bool:
    return _rules.can_register_family(actor)
