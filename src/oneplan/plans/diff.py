"""What changed between two plan versions, in words a family and a coordinator understand."""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from oneplan.core.text import word_diff
from oneplan.plans.models import Goal, PlanVersion

COMPARED = ("domain", "family_words", "priority", "target_date", "status", *Goal.LEVEL_FIELDS)


@dataclass
class Change:
    kind: str  # vision | added | removed | changed
    label: str
    before: str = ""
    after: str = ""


def _persons(goal: Goal) -> dict[int, str]:
    return {p.pk: p.full_name for p in goal.persons.all()}


def _names(persons: dict[int, str]) -> str:
    return ", ".join(sorted(persons.values())) or "—"


def version_diff(before: PlanVersion | None, after: PlanVersion) -> list[Change]:
    """Changes from `before` (None: the first version) to `after`; goals matched by key."""
    old_goals = {g.key: g for g in (before.goals.all() if before else [])}
    new_goals = {g.key: g for g in after.goals.all()}
    changes = []
    if (before.vision if before else "") != after.vision:
        change = Change("vision", "Vision", before.vision if before else "", after.vision)
        change.words = word_diff(change.before, change.after)
        changes.append(change)
    for key, goal in new_goals.items():
        if key not in old_goals:
            changes.append(Change("added", goal.get_domain_display(), after=goal.family_words))
            continue
        old = old_goals[key]
        for field in COMPARED:
            a, b = getattr(old, field), getattr(goal, field)
            if a != b:
                label = str(Goal._meta.get_field(field).verbose_name)
                changes.append(Change("changed", f"{goal.family_words[:50]} — {label}",
                                      str(a or "—"), str(b or "—")))
        old_persons, new_persons = _persons(old), _persons(goal)
        if old_persons != new_persons:
            changes.append(Change("changed", f"{goal.family_words[:50]} — {_('who it is about')}",
                                  _names(old_persons), _names(new_persons)))
    for key, goal in old_goals.items():
        if key not in new_goals:
            changes.append(Change("removed", goal.get_domain_display(), before=goal.family_words))
    return changes
