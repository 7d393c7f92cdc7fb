import datetime as dt

import pytest

from oneplan.plans import services
from oneplan.plans.models import PlanVersion
from tests.factories import family_with_team
from tests.plans.factories import LEVELS, agreed_plan
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(professional):
    return family_with_team(coordinator=professional, members=3)


def _count(client, url):
    return page_queries(client, url)


def test_draft_goal_and_agree_through_the_pages(logged_in, family):
    logged_in.post(f"/plans/family/{family.pk}/draft/")
    draft = PlanVersion.objects.get()
    logged_in.post(f"/plans/family/{family.pk}/draft/vision/", {"vision": "Rust", "lock_version": 0})
    person = family.memberships.first().person_id
    response = logged_in.post(f"/plans/family/{family.pk}/draft/goals/new/", {
        "lock_version": 1, "domain": "housing", "family_words": "A home of our own",
        "persons": [person], "priority": 1, "status": "active",
        **dict(zip(["level_minus2", "level_minus1", "level_0", "level_plus1", "level_plus2"], LEVELS))})
    assert response.status_code == 302
    response = logged_in.post(f"/plans/family/{family.pk}/agree/", {
        "lock_version": 2, "agreed_by": [person], "agreed_how": "meeting",
        "agreed_on": dt.date.today().isoformat(),
        "next_review_on": (dt.date.today() + dt.timedelta(days=60)).isoformat()})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "agreed"
    page = logged_in.get(f"/families/{family.pk}/").content.decode()
    assert "A home of our own" in page


def test_stale_draft_save_shows_the_conflict_in_the_form(logged_in, professional, family):
    draft = services.plan_draft(actor=professional, family_id=family.pk)
    services.draft_update_vision(actor=professional, version_id=draft.pk, lock_version=0,
                                 vision="Saved first")
    response = logged_in.post(f"/plans/family/{family.pk}/draft/vision/",
                              {"vision": "Saved second", "lock_version": 0})
    assert response.status_code == 400
    assert "Saved first" in response.content.decode()


def test_goal_limit_warning_in_the_page(logged_in, professional, family):
    agreed_plan(professional, family, goals=3)
    services.plan_draft(actor=professional, family_id=family.pk)
    draft = PlanVersion.objects.get(status="draft")
    person = family.memberships.first().person_id
    response = logged_in.post(f"/plans/family/{family.pk}/draft/goals/new/", {
        "lock_version": draft.lock_version, "domain": "housing", "family_words": "Fourth goal",
        "persons": [person], "priority": 4, "status": "active",
        **dict(zip(["level_minus2", "level_minus1", "level_0", "level_plus1", "level_plus2"], LEVELS))})
    assert response.status_code == 400 and "overburden" in response.content.decode()


def test_plan_page_queries_do_not_grow_with_goals_actions_and_reviews(logged_in, professional):
    from oneplan.audit.services import record

    record(None, "warmup")
    small, large = family_with_team(coordinator=professional), family_with_team(coordinator=professional)
    first = agreed_plan(professional, small, goals=1)
    services.review_record(actor=professional, family_id=small.pk, held_on=dt.date.today(),
                           levels={g.pk: 0 for g in first.goals.all()}, decisions="ok",
                           next_review_on=dt.date.today() + dt.timedelta(days=30))
    version = agreed_plan(professional, large, goals=5)
    for i in range(4):
        services.action_add(actor=professional, family_id=large.pk, what=f"a{i}",
                            owner=f"pro:{professional.pk}", goal_key=version.goals.first().key)
        services.review_record(actor=professional, family_id=large.pk, held_on=dt.date.today(),
                               levels={g.pk: 0 for g in version.goals.all()}, decisions="ok",
                               next_review_on=dt.date.today() + dt.timedelta(days=30))
    assert _count(logged_in, f"/plans/family/{small.pk}/") == _count(logged_in, f"/plans/family/{large.pk}/")
    assert _count(logged_in, f"/families/{small.pk}/") == _count(logged_in, f"/families/{large.pk}/")


def test_my_actions_queries_do_not_grow(logged_in, professional):
    from oneplan.audit.services import record

    record(None, "warmup")
    family = family_with_team(coordinator=professional)
    services.action_add(actor=professional, family_id=family.pk, what="one", owner=f"pro:{professional.pk}")
    few = _count(logged_in, "/plans/actions/")
    for i in range(10):
        other = family_with_team(coordinator=professional)
        services.action_add(actor=professional, family_id=other.pk, what=f"x{i}",
                            owner=f"pro:{professional.pk}")
    assert _count(logged_in, "/plans/actions/") == few


def test_overdue_review_is_flagged_on_the_caseload(logged_in, professional, family):
    version = agreed_plan(professional, family)
    version.plan.__class__.objects.filter(pk=version.plan_id).update(
        next_review_on=dt.date.today() - dt.timedelta(days=1))
    assert "Review overdue" in logged_in.get("/families/").content.decode()


def test_family_without_coordinator_is_flagged_on_the_plan_page(logged_in, professional):
    from tests.factories import CareTeamMemberFactory

    family = family_with_team()
    family.team.update(ended_on=dt.date.today())
    CareTeamMemberFactory(family=family, professional=professional)
    assert "This family has no care coordinator." in logged_in.get(f"/plans/family/{family.pk}/").content.decode()


def test_my_actions_without_due_date_come_last(logged_in, professional, family):
    services.action_add(actor=professional, family_id=family.pk, what="Someday", owner=f"pro:{professional.pk}")
    services.action_add(actor=professional, family_id=family.pk, what="Soon", owner=f"pro:{professional.pk}",
                        due_on=dt.date.today())
    from oneplan.plans.selectors import my_open_actions
    assert [a.what for a in my_open_actions(actor=professional)] == ["Soon", "Someday"]


def _draft_with_goals(actor, family, count):
    from tests.plans.factories import goal_input

    draft = services.plan_draft(actor=actor, family_id=family.pk)
    for i in range(count):
        draft.refresh_from_db()
        services.goal_save(actor=actor, version_id=draft.pk, lock_version=draft.lock_version,
                           goal=goal_input(family, family_words=f"Goal {i}"), confirm_many=True)
    return draft


def test_the_agree_page_warns_again_above_the_goal_limit(logged_in, professional, family):
    _draft_with_goals(professional, family, 5)
    page = logged_in.get(f"/plans/family/{family.pk}/agree/").content.decode()
    assert "This plan has 5 active goals" in page


def test_the_agree_page_does_not_warn_within_the_goal_limit(logged_in, professional, family):
    _draft_with_goals(professional, family, 2)
    page = logged_in.get(f"/plans/family/{family.pk}/agree/").content.decode()
    assert "active goals" not in page
