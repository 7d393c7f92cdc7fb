"""Every form that edits the draft needs the version it was shown: malformed, out-of-range
or missing versions (and other malformed values) are a clear 400 and nothing is saved."""
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oneplan.core.errors import InvalidInput, StaleEdit
from oneplan.plans import services
from oneplan.plans.models import Goal, PlanVersion
from tests.factories import family_with_team
from tests.plans.factories import LEVELS, goal_input

pytestmark = pytest.mark.django_db

MISSING = object()
bad_versions = st.one_of(
    st.just(MISSING), st.just(""),
    st.integers(max_value=-1), st.integers(min_value=2**31),
    st.sampled_from([2**63, 2**64, 10**40]),
    st.text(min_size=1).filter(lambda s: not s.strip().isdigit()),
    st.sampled_from(["1.0", "1e3", "٣", "½", "0x1", "NaN", "\x00", "🙂"]),
)
checks = settings(max_examples=40, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])
STALE_FORM = "did not say which version of the draft"


@pytest.fixture
def draft(professional):
    family = family_with_team(coordinator=professional, members=2)
    version = services.plan_draft(actor=professional, family_id=family.pk)
    version = services.draft_update_vision(actor=professional, version_id=version.pk,
                                           lock_version=0, vision="Calm at home")
    services.goal_save(actor=professional, version_id=version.pk, lock_version=1,
                       goal=goal_input(family))
    version.refresh_from_db()
    return version


def _forms(draft):
    family = draft.plan.family
    person = family.memberships.first().person_id
    goal = draft.goals.get()
    today = dt.date.today()
    goal_fields = {"domain": "housing", "family_words": "A home", "persons": [person],
                   "priority": 1, "status": "active",
                   **dict(zip(["level_minus2", "level_minus1", "level_0", "level_plus1",
                               "level_plus2"], LEVELS))}
    base = f"/plans/family/{family.pk}"
    return {
        "vision": (f"{base}/draft/vision/", {"vision": "Changed"}),
        "goal new": (f"{base}/draft/goals/new/", goal_fields),
        "goal change": (f"{base}/draft/goals/{goal.pk}/", goal_fields),
        "goal remove": (f"{base}/draft/goals/{goal.pk}/remove/", {}),
        "agree": (f"{base}/agree/", {"agreed_by": [person], "agreed_how": "meeting",
                                     "agreed_on": today.isoformat(),
                                     "next_review_on": (today + dt.timedelta(days=60)).isoformat()}),
    }


def _snapshot(draft):
    draft.refresh_from_db()
    return (draft.lock_version, draft.status, draft.vision,
            sorted(Goal.objects.filter(version=draft).values_list("pk", "family_words", "domain")))


@checks
@given(form=st.sampled_from(["vision", "goal new", "goal change", "goal remove", "agree"]),
       version=bad_versions)
def test_a_malformed_or_missing_lock_version_is_400_and_saves_nothing(logged_in, draft, form,
                                                                       version):
    url, data = _forms(draft)[form]
    if version is not MISSING:
        data = {**data, "lock_version": str(version)}
    before = _snapshot(draft)
    response = logged_in.post(url, data)
    assert response.status_code == 400
    assert STALE_FORM in response.content.decode()
    assert _snapshot(draft) == before


@pytest.mark.parametrize("version", ["2.0", "2.", " 2", "٢", "+2", "2e0"])
def test_only_plain_digits_count_as_a_version(logged_in, draft, version):
    assert draft.lock_version == 2
    url, data = _forms(draft)["vision"]
    before = _snapshot(draft)
    response = logged_in.post(url, {**data, "lock_version": version})
    assert response.status_code == 400 and _snapshot(draft) == before


@pytest.mark.parametrize("form", ["vision", "goal new", "goal change", "goal remove", "agree"])
def test_the_right_lock_version_saves(logged_in, draft, form):
    url, data = _forms(draft)[form]
    shown = draft.lock_version
    response = logged_in.post(url, {**data, "lock_version": shown})
    assert response.status_code == 302
    assert _snapshot(draft)[0] == shown + 1


def test_goal_removal_from_a_stale_page_is_refused(logged_in, draft, professional):
    url, _ = _forms(draft)["goal remove"]
    stale = draft.lock_version
    services.draft_update_vision(actor=professional, version_id=draft.pk, lock_version=stale,
                                 vision="Someone else's change")
    response = logged_in.post(url, {"lock_version": stale})
    assert response.status_code == 400
    assert "Someone else saved this draft" in response.content.decode()
    assert draft.goals.exists()


def test_goal_removal_without_lock_version_no_longer_skips_the_stale_check(draft, professional):
    with pytest.raises(InvalidInput):
        services.goal_remove(actor=professional, version_id=draft.pk, lock_version=None,
                             goal_id=draft.goals.get().pk)
    assert draft.goals.exists()


@pytest.mark.parametrize("version", [None, "1", 1.0, True, -1, 2**31, 2**63])
def test_every_locked_service_refuses_a_version_that_is_not_a_whole_number_in_range(
        draft, professional, version):
    calls = [
        lambda: services.draft_update_vision(actor=professional, version_id=draft.pk,
                                             lock_version=version, vision="x"),
        lambda: services.goal_save(actor=professional, version_id=draft.pk, lock_version=version,
                                   goal=goal_input(draft.plan.family)),
        lambda: services.goal_remove(actor=professional, version_id=draft.pk,
                                     lock_version=version, goal_id=draft.goals.get().pk),
        lambda: services.plan_agree(actor=professional, version_id=draft.pk, lock_version=version,
                                    agreed_by=[], agreed_how="meeting",
                                    next_review_on=dt.date.today() + dt.timedelta(days=9)),
    ]
    before = _snapshot(draft)
    for call in calls:
        with pytest.raises(InvalidInput) as caught:
            call()
        assert caught.value.field == "lock_version"
    assert _snapshot(draft) == before


def test_a_stale_but_well_formed_version_is_still_a_conflict(draft, professional):
    with pytest.raises(StaleEdit):
        services.goal_remove(actor=professional, version_id=draft.pk,
                             lock_version=draft.lock_version - 1, goal_id=draft.goals.get().pk)


goal_values = {
    "priority": st.one_of(st.integers(max_value=0), st.integers(min_value=100),
                          st.text(min_size=1).filter(lambda s: not s.strip().isdigit())),
    "target_date": st.one_of(st.text(min_size=1), st.sampled_from(["99999-01-01", "2026-02-30",
                                                                   "0000-00-00", "\x00"])),
    "persons": st.one_of(st.integers().map(str), st.text(min_size=1)),
    "domain": st.text(min_size=1).filter(lambda s: s not in {"housing", "finances_debts"}),
}


@checks
@given(data=st.data())
def test_malformed_goal_fields_are_400_and_save_nothing(logged_in, draft, data):
    url, fields = _forms(draft)["goal change"]
    name = data.draw(st.sampled_from(sorted(goal_values)))
    value = data.draw(goal_values[name])
    before = _snapshot(draft)
    response = logged_in.post(url, {**fields, "lock_version": draft.lock_version, name: value})
    if response.status_code != 400:  # a value that happens to be valid
        assert name in ("target_date", "persons") and response.status_code == 302
        return
    assert _snapshot(draft) == before


@checks
@given(name=st.sampled_from(["agreed_on", "next_review_on", "agreed_by", "agreed_how"]),
       value=st.one_of(st.text(min_size=1), st.integers().map(str),
                       st.sampled_from(["99999-12-31", "2026-13-01", "\x00"])))
def test_malformed_agree_fields_are_400_and_agree_nothing(logged_in, draft, name, value):
    url, fields = _forms(draft)["agree"]
    response = logged_in.post(url, {**fields, "lock_version": draft.lock_version, name: value})
    assert response.status_code == 400
    assert PlanVersion.objects.get(pk=draft.pk).status == "draft"


dates = st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=12),
                  st.sampled_from(["0001-01-01", "9999-12-31", "10000-01-01", "2026-02-30"]))


@pytest.fixture
def agreed(professional):
    from tests.plans.factories import agreed_plan

    family = family_with_team(coordinator=professional, members=2)
    return agreed_plan(professional, family)


@checks
@given(data=st.data())
def test_action_review_and_discussion_forms_answer_any_value_without_a_server_error(
        logged_in, agreed, professional, data):
    family = agreed.plan.family
    person = family.memberships.first().person_id
    goal = agreed.goals.first()
    forms = {
        "actions/new/": {"what": "Call the landlord", "owner": f"person:{person}",
                         "goal_key": str(goal.key), "due_on": dates},
        "review/": {"held_on": dates, "decisions": "Go on", "next_review_on": dates,
                    f"goal_{goal.pk}": st.sampled_from(["-2", "0", "2", "3", "x", "-9" * 30]),
                    "family_attendees": st.one_of(st.just(str(person)), st.integers().map(str))},
        "discussions/new/": {"kind": st.text(max_size=12), "held_on": dates,
                             "participants": st.just(str(professional.pk)), "agenda": "Housing",
                             "action_what": "Visit", "action_owner": f"person:{person}",
                             "action_due_on": dates},
    }
    path = data.draw(st.sampled_from(sorted(forms)))
    values = {name: data.draw(value) if isinstance(value, st.SearchStrategy) else value
              for name, value in forms[path].items()}
    response = logged_in.post(f"/plans/family/{family.pk}/{path}", values)
    assert response.status_code in (302, 400)
    assert logged_in.get(f"/plans/family/{family.pk}/").status_code == 200
