import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, StaleEdit
from oneplan.plans import selectors, services
from oneplan.plans.diff import version_diff
from oneplan.plans.models import Action, PlanVersion
from tests.factories import ProfessionalFactory, family_with_team
from tests.plans.factories import LEVELS, agreed_plan, goal_input

pytestmark = pytest.mark.django_db
TODAY = dt.date.today


@pytest.fixture
def family(professional):
    return family_with_team(coordinator=professional, members=3)


def _draft(actor, family):
    return services.plan_draft(actor=actor, family_id=family.pk)


def test_agreed_version_is_numbered_and_immutable(professional, family):
    version = agreed_plan(professional, family)
    assert (version.number, version.status) == (1, PlanVersion.Status.AGREED)
    version.vision = "changed"
    with pytest.raises(ValidationError):
        version.save()
    goal = version.goals.get()
    goal.family_words = "changed"
    with pytest.raises(ValidationError):
        goal.save()


def test_new_draft_copies_the_agreed_goals_with_the_same_keys(professional, family):
    version = agreed_plan(professional, family)
    draft = _draft(professional, family)
    assert draft.based_on == version
    assert list(draft.goals.values_list("key", flat=True)) == list(version.goals.values_list("key", flat=True))


def test_editing_an_agreed_version_is_refused(professional, family):
    version = agreed_plan(professional, family)
    with pytest.raises(Conflict, match="agreed"):
        services.draft_update_vision(actor=professional, version_id=version.pk,
                                     lock_version=version.lock_version, vision="x")


def test_second_save_with_a_stale_lock_is_refused_and_says_what_changed(professional, family):
    draft = _draft(professional, family)
    services.draft_update_vision(actor=professional, version_id=draft.pk, lock_version=0,
                                 vision="A calm home")
    with pytest.raises(StaleEdit, match="A calm home"):
        services.draft_update_vision(actor=professional, version_id=draft.pk, lock_version=0,
                                     vision="My version")
    draft.refresh_from_db()
    assert draft.vision == "A calm home"


def test_goal_over_the_limit_needs_confirmation(professional, family, settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "GOAL_LIMIT": 2}
    draft = _draft(professional, family)
    for i in range(2):
        draft.refresh_from_db()
        services.goal_save(actor=professional, version_id=draft.pk, lock_version=draft.lock_version,
                           goal=goal_input(family, family_words=f"Goal {i}"))
    draft.refresh_from_db()
    with pytest.raises(services.TooManyGoals, match="overburden"):
        services.goal_save(actor=professional, version_id=draft.pk, lock_version=draft.lock_version,
                           goal=goal_input(family, family_words="Third"))
    services.goal_save(actor=professional, version_id=draft.pk, lock_version=draft.lock_version,
                       goal=goal_input(family, family_words="Third"), confirm_many=True)
    assert draft.goals.count() == 3


@pytest.mark.parametrize("change,message", [
    ({"domain": ""}, "life domain"),
    ({"family_words": "  "}, "own words"),
    ({"levels": LEVELS[:2] + [""] + LEVELS[3:]}, "missing: 0"),
    ({"levels": LEVELS[:4]}, "every attainment level"),
])
def test_bad_goals_are_refused_and_nothing_is_saved(professional, family, change, message):
    draft = _draft(professional, family)
    with pytest.raises(InvalidInput, match=message):
        services.goal_save(actor=professional, version_id=draft.pk, lock_version=0,
                           goal=goal_input(family, **change))
    assert not draft.goals.exists()


def test_goal_for_a_person_outside_the_household_is_refused(professional, family):
    other = family_with_team()
    draft = _draft(professional, family)
    with pytest.raises(InvalidInput, match="household"):
        services.goal_save(actor=professional, version_id=draft.pk, lock_version=0,
                           goal=goal_input(family, persons=[other.memberships.first().person_id]))


def test_agreeing_an_empty_plan_is_refused(professional, family):
    draft = _draft(professional, family)
    with pytest.raises(InvalidInput, match="vision"):
        services.plan_agree(actor=professional, version_id=draft.pk, lock_version=0,
                            agreed_by=[family.memberships.first().person_id], agreed_how="meeting",
                            next_review_on=TODAY() + dt.timedelta(days=30))


def test_review_date_in_the_past_is_refused(professional, family):
    draft = _draft(professional, family)
    draft = services.draft_update_vision(actor=professional, version_id=draft.pk, lock_version=0,
                                         vision="Calm")
    services.goal_save(actor=professional, version_id=draft.pk, lock_version=1, goal=goal_input(family))
    with pytest.raises(InvalidInput, match="after today"):
        services.plan_agree(actor=professional, version_id=draft.pk, lock_version=2,
                            agreed_by=[family.memberships.first().person_id], agreed_how="paper",
                            next_review_on=TODAY() - dt.timedelta(days=1))


def test_diff_lists_vision_and_goal_changes(professional, family):
    first = agreed_plan(professional, family, vision="No debts")
    draft = _draft(professional, family)
    goal = draft.goals.get()
    services.draft_update_vision(actor=professional, version_id=draft.pk, lock_version=draft.lock_version,
                                 vision="No debts and a job")
    draft.refresh_from_db()
    services.goal_save(actor=professional, version_id=draft.pk, lock_version=draft.lock_version,
                       goal_id=goal.pk, goal=goal_input(family, family_words="Debts settled"))
    draft.refresh_from_db()
    second = services.plan_agree(actor=professional, version_id=draft.pk, lock_version=draft.lock_version,
                                 agreed_by=[family.memberships.first().person_id], agreed_how="meeting",
                                 next_review_on=TODAY() + dt.timedelta(days=60))
    kinds = {(c.kind, c.after) for c in version_diff(first, second)}
    assert ("vision", "No debts and a job") in kinds
    assert ("changed", "Debts settled") in kinds


def test_review_records_levels_and_t_score(professional, family):
    version = agreed_plan(professional, family, goals=3)
    levels = {g.pk: 1 for g in version.goals.all()}
    review = services.review_record(actor=professional, family_id=family.pk, held_on=TODAY(),
                                    levels=levels, decisions="Keep going",
                                    next_review_on=TODAY() + dt.timedelta(days=90))
    assert review.t_score == pytest.approx(63.693, abs=1e-3)
    assert review.plan.next_review_on == TODAY() + dt.timedelta(days=90)


def test_review_must_score_every_goal(professional, family):
    agreed_plan(professional, family, goals=2)
    with pytest.raises(InvalidInput, match="every goal"):
        services.review_record(actor=professional, family_id=family.pk, held_on=TODAY(), levels={},
                               decisions="x", next_review_on=TODAY() + dt.timedelta(days=9))


def test_discussion_actions_go_into_the_plan(professional, family):
    discussion = services.discussion_record(
        actor=professional, family_id=family.pk, kind="crisis", held_on=TODAY(),
        participants=[professional.pk], agenda="Eviction notice",
        actions=[services.NewAction("Call the landlord", f"pro:{professional.pk}", TODAY())])
    assert Action.objects.get().discussion == discussion


def test_action_owner_must_belong_to_the_family(professional, family):
    stranger = ProfessionalFactory()
    with pytest.raises(InvalidInput, match="Choose someone"):
        services.action_add(actor=professional, family_id=family.pk, what="Call",
                            owner=f"pro:{stranger.pk}")


def test_my_open_actions_only_from_my_current_families(professional, family):
    services.action_add(actor=professional, family_id=family.pk, what="Mine",
                        owner=f"pro:{professional.pk}", due_on=TODAY() - dt.timedelta(days=1))
    other = family_with_team(coordinator=professional)
    services.action_add(actor=professional, family_id=other.pk, what="Left", owner=f"pro:{professional.pk}")
    other.team.filter(professional=professional).update(ended_on=timezone.localdate())
    actions = list(selectors.my_open_actions(actor=professional))
    assert [a.what for a in actions] == ["Mine"] and actions[0].is_overdue


def test_non_member_cannot_read_or_edit_the_plan_and_is_audited(professional):
    family = family_with_team()
    with pytest.raises(NotFound):
        selectors.plan_page(actor=professional, family_id=family.pk)
    with pytest.raises(NotFound):
        services.plan_draft(actor=professional, family_id=family.pk)
    with pytest.raises(NotFound):
        services.discussion_record(actor=professional, family_id=family.pk, kind="regular",
                                   held_on=TODAY(), participants=[professional.pk], agenda="x")
    assert AuditEvent.objects.filter(actor_id=professional.user_id, family_id=family.pk,
                                     outcome="denied").count() == 3


def test_break_glass_reads_but_cannot_edit_the_plan(professional):
    from oneplan.access.services import break_glass_open

    family = family_with_team()
    break_glass_open(actor=professional, reference=family.reference,
                     reason="Night-time crisis, the police asked for the plan.")
    assert selectors.plan_page(actor=professional, family_id=family.pk).family == family
    with pytest.raises(AccessDenied):
        services.plan_draft(actor=professional, family_id=family.pk)
