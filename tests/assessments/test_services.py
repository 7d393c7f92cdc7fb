import pytest

from oneplan.assessments import selectors, services
from oneplan.assessments.models import Assessment, SafetyTask
from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from tests.assessments.factories import life_domains
from tests.factories import CareTeamMemberFactory, consent_for, family_with_team
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(professional):
    family = family_with_team(coordinator=professional, members=3)
    consent_for(family)  # the whole team may see every category of the family and its givers
    return family


def _start(actor, family):
    return services.assessment_start(actor=actor, family_id=family.pk, instrument_id=life_domains().pk)


def test_professional_and_family_scores_stand_side_by_side(professional, family):
    assessment = _start(professional, family)
    person = family.memberships.first().person_id
    score = services.score_set(actor=professional, assessment_id=assessment.pk,
                               domain_key="mental_health", person_id=person, professional_score=2,
                               family_score=4, family_words="We are doing fine, really")
    assert (score.professional_score, score.family_score) == (2, 4)


def test_several_professionals_contribute_to_one_assessment(professional, family):
    colleague = CareTeamMemberFactory(family=family).professional
    assessment = _start(professional, family)
    services.score_set(actor=professional, assessment_id=assessment.pk, domain_key="housing",
                       professional_score=3)
    services.score_set(actor=colleague, assessment_id=assessment.pk, domain_key="finances_debts",
                       professional_score=1)
    assert {s.contributed_by for s in assessment.scores.all()} == {professional, colleague}


@pytest.mark.parametrize("value", [0, 6, "x"])
def test_score_outside_the_scale_is_refused(professional, family, value):
    assessment = _start(professional, family)
    with pytest.raises(InvalidInput, match="1 to 5|whole number"):
        services.score_set(actor=professional, assessment_id=assessment.pk, domain_key="housing",
                           professional_score=value)
    assert not assessment.scores.exists()


def test_personal_domain_needs_a_household_member(professional, family):
    assessment = _start(professional, family)
    outsider = family_with_team().memberships.first().person_id
    with pytest.raises(InvalidInput, match="household"):
        services.score_set(actor=professional, assessment_id=assessment.pk, domain_key="mental_health",
                           person_id=outsider, professional_score=3)


def test_safety_flag_makes_a_task_for_the_coordinator_at_once(professional, family, logged_in):
    member = CareTeamMemberFactory(family=family).professional
    assessment = _start(member, family)
    person = family.memberships.first().person_id
    services.score_set(actor=member, assessment_id=assessment.pk, domain_key="safety",
                       person_id=person, professional_score=1, safety_flag=True)
    task = SafetyTask.objects.get()
    assert task.assigned_to == professional
    page = logged_in.get(f"/families/{family.pk}/").content.decode()
    assert "Safety concern" in page
    assert "Safety concern" in logged_in.get("/families/").content.decode()


def test_old_assessment_keeps_its_instrument_version(professional, family):
    from oneplan.assessments.loader import DEFAULTS, load

    old = _start(professional, family)
    text = (DEFAULTS / "family-life-domains.yaml").read_text().replace("Growing debts", "Mounting debts")
    new_version, created = load(text)
    assert created
    old.refresh_from_db()
    assert old.instrument.version == new_version.version - 1


def test_completed_assessment_cannot_be_scored(professional, family):
    assessment = _start(professional, family)
    services.score_set(actor=professional, assessment_id=assessment.pk, domain_key="housing",
                       professional_score=3)
    services.assessment_complete(actor=professional, assessment_id=assessment.pk)
    with pytest.raises(Conflict):
        services.score_set(actor=professional, assessment_id=assessment.pk, domain_key="housing",
                           professional_score=4)


def test_non_member_cannot_start_or_read_and_is_audited(professional):
    family = family_with_team()
    with pytest.raises(NotFound):
        services.assessment_start(actor=professional, family_id=family.pk, instrument_id=life_domains().pk)
    with pytest.raises(NotFound):
        selectors.domain_scores(actor=professional, family_id=family.pk)
    assert AuditEvent.objects.filter(actor_id=professional.user_id, family_id=family.pk,
                                     outcome="denied").count() == 2


def test_break_glass_cannot_score(professional):
    from oneplan.access.services import break_glass_open

    family = family_with_team(members=2)
    owner = family.team.first().professional
    assessment = _start(owner, family)
    break_glass_open(actor=professional, reference=family.reference,
                     reason="Police at the door at night, need the safety picture.")
    with pytest.raises(AccessDenied):
        services.score_set(actor=professional, assessment_id=assessment.pk, domain_key="housing",
                           professional_score=3)


def test_chart_queries_do_not_grow_with_assessments(professional, family, logged_in):
    from oneplan.audit.services import record

    record(None, "warmup")
    person = family.memberships.first().person_id

    def add_round():
        a = _start(professional, family)
        services.score_set(actor=professional, assessment_id=a.pk, domain_key="mental_health",
                           person_id=person, professional_score=2, family_score=3)

    def count():
        return page_queries(logged_in, f"/assessments/family/{family.pk}/chart/")

    for _ in range(3):
        add_round()
    few = count()
    for _ in range(9):
        add_round()
    assert count() == few
    assert Assessment.objects.count() == 12


def test_assessment_pages_render(professional, family, logged_in):
    assessment = _start(professional, family)
    person = family.memberships.first().person_id
    assert logged_in.get(f"/assessments/{assessment.pk}/").status_code == 200
    url = f"/assessments/{assessment.pk}/score/mental_health/?person={person}"
    assert logged_in.get(url).status_code == 200
    response = logged_in.post(url, {"person": person, "professional_score": "9"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert logged_in.get(f"/assessments/family/{family.pk}/start/").status_code == 200


def test_a_large_gap_between_the_scores_is_marked_for_the_next_review(professional, client):
    from tests.factories import consent_for, family_with_team
    from tests.plans.factories import agreed_plan

    family = family_with_team(coordinator=professional)
    consent_for(family)
    agreed_plan(professional, family)
    a = services.assessment_start(actor=professional, family_id=family.pk, instrument_id=life_domains().pk)
    services.score_set(actor=professional, assessment_id=a.pk, domain_key="finances_debts",
                       professional_score=1, family_score=4)
    services.score_set(actor=professional, assessment_id=a.pk, domain_key="housing",
                       professional_score=3, family_score=4)
    client.force_login(professional.user)
    assert "large gap: discuss at the next review" in client.get(f"/assessments/{a.pk}/").content.decode()
    review = client.get(f"/plans/family/{family.pk}/review/").content.decode()
    assert "To talk through at this review" in review
    assert "the professional scored 1, the family 4" in review
    assert "the professional scored 3" not in review
