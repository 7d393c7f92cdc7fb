"""A goal keeps every field, and the persons it is about, from one plan version to the next."""
import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from oneplan.plans import services
from oneplan.plans.diff import version_diff
from oneplan.plans.models import Goal
from oneplan.plans.services import GoalInput
from tests.factories import family_with_team
from tests.plans.factories import LEVELS

pytestmark = pytest.mark.django_db
FIELDS = ("key", "domain", "family_words", "priority", "target_date", "status", *Goal.LEVEL_FIELDS)


@pytest.fixture
def family(professional):
    return family_with_team(coordinator=professional, members=3)


def _persons(family):
    return [m.person_id for m in family.memberships.order_by("id")]


def _agree(actor, family, draft):
    draft.refresh_from_db()
    return services.plan_agree(actor=actor, version_id=draft.pk, lock_version=draft.lock_version,
                               agreed_how="meeting", agreed_by=[_persons(family)[0]],
                               next_review_on=timezone.localdate() + dt.timedelta(days=90))


def _save(actor, draft, family, goal_id=None, **kw):
    draft.refresh_from_db()
    values = {"domain": "finances_debts", "family_words": "We want our debts under control",
              "levels": list(LEVELS), "persons": [_persons(family)[1]], "priority": 2,
              "target_date": dt.date(2027, 6, 1), **kw}
    return services.goal_save(actor=actor, version_id=draft.pk, lock_version=draft.lock_version,
                              goal=GoalInput(**values), goal_id=goal_id, confirm_many=True)


def _snapshot(goal):
    return {f: getattr(goal, f) for f in FIELDS} | {"persons": set(goal.persons.values_list("pk", flat=True))}


def _only_goal(version):
    return version.goals.get()


def test_every_goal_field_and_its_persons_survive_versions_one_two_three(professional, family):
    son, daughter = _persons(family)[1], _persons(family)[2]
    draft = services.plan_draft(actor=professional, family_id=family.pk)
    services.draft_update_vision(actor=professional, version_id=draft.pk, lock_version=0, vision="Calm")
    _save(professional, draft, family, persons=[son, daughter])
    v1 = _agree(professional, family, draft)
    first = _snapshot(_only_goal(v1))

    v2 = _agree(professional, family, services.plan_draft(actor=professional, family_id=family.pk))
    assert _snapshot(_only_goal(v2)) == first

    draft3 = services.plan_draft(actor=professional, family_id=family.pk)
    _save(professional, draft3, family, goal_id=_only_goal(draft3).pk, persons=[son],
          family_words="We want our debts under control", priority=2, target_date=dt.date(2027, 6, 1))
    v3 = _agree(professional, family, draft3)
    assert _snapshot(_only_goal(v3)) == first | {"persons": {son}}


def test_a_new_draft_keeps_the_persons_of_every_goal(professional, family):
    son = _persons(family)[1]
    draft = services.plan_draft(actor=professional, family_id=family.pk)
    services.draft_update_vision(actor=professional, version_id=draft.pk, lock_version=0, vision="Calm")
    _save(professional, draft, family, persons=[son])
    _agree(professional, family, draft)
    new_draft = services.plan_draft(actor=professional, family_id=family.pk)
    assert list(_only_goal(new_draft).persons.values_list("pk", flat=True)) == [son]


def test_the_change_list_names_a_change_of_persons(professional, family):
    son, daughter = _persons(family)[1], _persons(family)[2]
    draft = services.plan_draft(actor=professional, family_id=family.pk)
    services.draft_update_vision(actor=professional, version_id=draft.pk, lock_version=0, vision="Calm")
    _save(professional, draft, family, persons=[son])
    v1 = _agree(professional, family, draft)
    draft2 = services.plan_draft(actor=professional, family_id=family.pk)
    _save(professional, draft2, family, goal_id=_only_goal(draft2).pk, persons=[son, daughter])
    v2 = _agree(professional, family, draft2)
    changes = version_diff(v1, v2)
    persons_changes = [c for c in changes if "who it is about" in c.label]
    assert len(persons_changes) == 1
    assert persons_changes[0].after.count(",") == 1
    assert persons_changes[0].before.count(",") == 0


def test_unchanged_persons_are_not_listed_as_a_change(professional, family):
    draft = services.plan_draft(actor=professional, family_id=family.pk)
    services.draft_update_vision(actor=professional, version_id=draft.pk, lock_version=0, vision="Calm")
    _save(professional, draft, family)
    v1 = _agree(professional, family, draft)
    v2 = _agree(professional, family, services.plan_draft(actor=professional, family_id=family.pk))
    assert version_diff(v1, v2) == []


def test_the_repair_migration_gives_back_persons_the_previous_version_still_holds(professional, family):
    son = _persons(family)[1]
    draft = services.plan_draft(actor=professional, family_id=family.pk)
    services.draft_update_vision(actor=professional, version_id=draft.pk, lock_version=0, vision="Calm")
    _save(professional, draft, family, persons=[son])
    _agree(professional, family, draft)
    v2 = _agree(professional, family, services.plan_draft(actor=professional, family_id=family.pk))
    v3_draft = services.plan_draft(actor=professional, family_id=family.pk)
    lost = Goal.persons.through.objects.filter(goal__version__in=[v2, v3_draft])
    assert lost.delete()[0] == 2  # what the old copy left behind

    repair = importlib.import_module("oneplan.plans.migrations.0002_repair_goal_persons").repair
    repair(django_apps, None)

    assert list(_only_goal(v2).persons.values_list("pk", flat=True)) == [son]
    assert list(_only_goal(v3_draft).persons.values_list("pk", flat=True)) == [son]
