"""The family's own voice in the portal: own scores next to the team's, a message to the coordinator."""
import pytest

from oneplan.assessments import services as assessments
from oneplan.audit.models import AuditEvent
from oneplan.portal import services
from tests.assessments.factories import life_domains
from tests.factories import consent_for, family_with_team

pytestmark = pytest.mark.django_db
PASSWORD = "a-Long-family-pass-42"


@pytest.fixture
def family(professional):
    family = family_with_team(coordinator=professional)
    consent_for(family)
    return family


@pytest.fixture
def mum(client, professional, family):
    parent = family.memberships.get(relation="parent").person
    _, token = services.invitation_create(actor=professional, family_id=family.pk, person_id=parent.pk)
    client.post(f"/portal/invite/{token}/", {"username": "mum", "password1": PASSWORD, "password2": PASSWORD})
    return client


@pytest.fixture
def assessment(professional, family):
    a = assessments.assessment_start(actor=professional, family_id=family.pk, instrument_id=life_domains().pk)
    assessments.score_set(actor=professional, assessment_id=a.pk, domain_key="finances_debts",
                          professional_score=2)
    return a


def test_the_family_sees_the_teams_score_only_after_giving_its_own(mum, family, assessment):
    page = mum.get(f"/portal/family/{family.pk}/scores/").content.decode()
    assert "your team's score" not in page and "Not scored by you yet." in page
    mum.post(f"/portal/family/{family.pk}/scores/", {"assessment": assessment.pk, "score_finances_debts": "4"})
    page = mum.get(f"/portal/family/{family.pk}/scores/").content.decode()
    assert "Your score: 4 · your team's score: 2" in page
    score = assessment.scores.get(domain_key="finances_debts")
    assert (score.professional_score, score.family_score) == (2, 4)


def test_the_coordinator_hears_of_the_familys_scores(mum, family, assessment, professional):
    mum.post(f"/portal/family/{family.pk}/scores/", {"assessment": assessment.pk, "score_housing": "3"})
    assert professional.notifications.get(message_key="portal.scores")
    assert AuditEvent.objects.filter(action="portal.scores.set", family_id=family.pk).exists()


@pytest.mark.parametrize("value", ["0", "6", "abc", "99999999999999999999"])
def test_a_score_outside_1_to_5_is_refused_and_nothing_saved(mum, family, assessment, value):
    response = mum.post(f"/portal/family/{family.pk}/scores/", {"assessment": assessment.pk,
                                                                "score_housing": value})
    assert response.status_code == 400
    assert not assessment.scores.filter(domain_key="housing").exists()


def test_a_finished_assessment_takes_no_family_scores(mum, family, assessment, professional):
    assessments.assessment_complete(actor=professional, assessment_id=assessment.pk)
    response = mum.post(f"/portal/family/{family.pk}/scores/", {"assessment": assessment.pk,
                                                                "score_housing": "3"})
    assert response.status_code == 400 and "finished" in response.content.decode()


def test_another_familys_assessment_is_not_found(mum, family, professional):
    other = family_with_team(coordinator=professional)
    a = assessments.assessment_start(actor=professional, family_id=other.pk, instrument_id=life_domains().pk)
    response = mum.post(f"/portal/family/{family.pk}/scores/", {"assessment": a.pk, "score_housing": "3"})
    assert response.status_code == 404


def test_a_message_reaches_the_coordinators_inbox(mum, family, professional):
    response = mum.post(f"/portal/family/{family.pk}/message/", {"text": "Can we meet on Friday?"})
    assert response.status_code == 302
    notice = professional.notifications.get(message_key="portal.message")
    assert "Can we meet on Friday?" in notice.text and family.reference in notice.heading
    assert AuditEvent.objects.filter(action="portal.message", family_id=family.pk).exists()


def test_an_empty_message_is_a_form_error(mum, family, professional):
    response = mum.post(f"/portal/family/{family.pk}/message/", {"text": "  "})
    assert response.status_code == 400 and not professional.notifications.exists()


@pytest.mark.parametrize("version", ["abc", "2.0", "", "99999999999999999999"])
def test_a_malformed_plan_version_is_a_clear_message_not_an_error(mum, family, professional, version):
    from oneplan.plans import services as plans
    from tests.plans.factories import goal_input

    draft = plans.plan_draft(actor=professional, family_id=family.pk)
    plans.draft_update_vision(actor=professional, version_id=draft.pk, lock_version=0, vision="Calm")
    draft.refresh_from_db()
    plans.goal_save(actor=professional, version_id=draft.pk, lock_version=draft.lock_version,
                    goal=goal_input(family))
    response = mum.post(f"/portal/family/{family.pk}/plan/{draft.pk}/agree/", {"lock_version": version},
                        follow=True)
    assert response.status_code == 200 and "open the plan again" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
