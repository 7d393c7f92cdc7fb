import datetime as dt

import pytest

from oneplan.access import rules
from oneplan.access.services_consent import consent_record, consent_withdraw
from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput
from tests.factories import (
    CareTeamMemberFactory,
    OrganisationFactory,
    ProfessionalFactory,
    child_of,
    consent_for,
    family_with_team,
    parent_of,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date.today


@pytest.fixture
def family(professional):
    return family_with_team(coordinator=professional, members=1)




def _access(actor, family):
    return rules.family_access(actor, family.pk)


def test_category_is_hidden_without_consent_and_says_why(professional, family):
    visible, reason = rules.category_visible(_access(professional, family), "health")
    org = professional.organisations.first()
    assert not visible and reason == (f"Health information is withheld: it needs a consent from a "
                                      f"parent or carer for {org.name} to see health information.")


def test_basic_categories_need_no_consent(professional, family):
    assert rules.category_visible(_access(professional, family), "plan") == (True, "")


def test_consent_for_the_whole_team_opens_the_category(professional, family):
    consent_record(actor=professional, family_id=family.pk, categories=["health"],
                   given_by=[parent_of(family).pk], how="paper")
    assert rules.category_visible(_access(professional, family), "health")[0]
    assert not rules.category_visible(_access(professional, family), "finance")[0]


def test_consent_for_another_organisation_does_not_open_mine(professional, family):
    other = CareTeamMemberFactory(family=family)
    consent_for(family, categories=["health"], organisation=other.organisation)
    assert not rules.category_visible(_access(professional, family), "health")[0]
    assert rules.category_visible(_access(other.professional, family), "health")[0]


def test_withdrawal_ends_access_at_once(professional, family):
    consent = consent_record(actor=professional, family_id=family.pk, categories=["finance"],
                             given_by=[parent_of(family).pk], how="in_person")
    consent_withdraw(actor=professional, consent_id=consent.pk, how="in_person", reason="Changed her mind")
    assert not rules.category_visible(_access(professional, family), "finance")[0]


def test_withdrawing_twice_is_refused(professional, family):
    consent = consent_for(family)
    consent_withdraw(actor=professional, consent_id=consent.pk, how="in_person")
    with pytest.raises(Conflict, match="already"):
        consent_withdraw(actor=professional, consent_id=consent.pk, how="in_person")


def test_consent_ending_before_it_starts_is_refused(professional, family):
    with pytest.raises(InvalidInput, match="ends before it starts"):
        consent_record(actor=professional, family_id=family.pk, categories=["health"],
                       given_by=[parent_of(family).pk], how="paper", valid_from=TODAY(),
                       valid_until=TODAY() - dt.timedelta(days=1))


def test_expired_consent_no_longer_counts(professional, family):
    consent = consent_for(family, categories=["health"])
    consent.valid_until = TODAY() - dt.timedelta(days=1)
    consent.valid_from = TODAY() - dt.timedelta(days=30)
    consent.save()
    assert not rules.category_visible(_access(professional, family), "health")[0]


def test_parent_decides_for_a_child_under_12(professional, family):
    child = child_of(family, 9)
    with pytest.raises(InvalidInput, match="under 12"):
        consent_record(actor=professional, family_id=family.pk, categories=["health"],
                       subject_id=child.pk, given_by=[child.pk], how="paper")
    consent_record(actor=professional, family_id=family.pk, categories=["health"], subject_id=child.pk,
                   given_by=[parent_of(family).pk], how="paper")


def test_child_of_12_to_15_decides_with_aparent_of(professional, family):
    child = child_of(family, 13)
    for givers in ([child.pk], [parent_of(family).pk]):
        with pytest.raises(InvalidInput, match="together with a parent"):
            consent_record(actor=professional, family_id=family.pk, categories=["health"],
                           subject_id=child.pk, given_by=givers, how="paper")
    consent_record(actor=professional, family_id=family.pk, categories=["health"], subject_id=child.pk,
                   given_by=[child.pk, parent_of(family).pk], how="paper")


def test_young_person_of_16_decides_alone(professional, family):
    teen = child_of(family, 16)
    with pytest.raises(InvalidInput, match="alone"):
        consent_record(actor=professional, family_id=family.pk, categories=["health"],
                       subject_id=teen.pk, given_by=[parent_of(family).pk], how="paper")
    consent_record(actor=professional, family_id=family.pk, categories=["health"], subject_id=teen.pk,
                   given_by=[teen.pk], how="paper")


def test_family_consent_covers_young_children_but_not_a_teenager(professional, family):
    young, teen = child_of(family, 8), child_of(family, 15)
    consent_for(family, categories=["health"])
    access = _access(professional, family)
    assert rules.category_visible(access, "health", young.pk)[0]
    assert not rules.category_visible(access, "health", teen.pk)[0]


def test_break_glass_sees_only_the_basics(family):
    from oneplan.access.services import break_glass_open

    consent_for(family)
    outsider = ProfessionalFactory()
    break_glass_open(actor=outsider, reference=family.reference,
                     reason="Night-time crisis, police asked who is involved.")
    visible, reason = rules.category_visible(_access(outsider, family), "safety")
    assert not visible and "Emergency access" in reason


def test_refused_category_is_audited(professional, family):
    from oneplan.assessments import services
    from tests.assessments.factories import life_domains

    assessment = services.assessment_start(actor=professional, family_id=family.pk,
                                           instrument_id=life_domains().pk)
    with pytest.raises(AccessDenied):
        services.score_set(actor=professional, assessment_id=assessment.pk, domain_key="finances_debts",
                           professional_score=2)
    event = AuditEvent.objects.get(outcome="denied", action="assessment.score")
    assert event.category == "finance" and "is withheld" in event.reason


def test_consent_for_an_organisation_not_on_the_team_is_refused(professional, family):
    with pytest.raises(InvalidInput, match="on the care team"):
        consent_record(actor=professional, family_id=family.pk, categories=["health"],
                       organisation_id=OrganisationFactory().pk, given_by=[parent_of(family).pk],
                       how="paper")


def test_hidden_assessment_row_offers_to_record_consent(logged_in, professional, family):
    from oneplan.assessments import services
    from tests.assessments.factories import life_domains

    assessment = services.assessment_start(actor=professional, family_id=family.pk,
                                           instrument_id=life_domains().pk)
    page = logged_in.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "Finance information is withheld" in page
    assert f"/access/family/{family.pk}/consents/new/?category=finance" in page


def test_consent_pages_record_and_withdraw(logged_in, family):
    parent = parent_of(family)
    response = logged_in.post(f"/access/family/{family.pk}/consents/new/", {
        "categories": ["health", "notes"], "organisation": "", "subject": "", "given_by": [parent.pk],
        "purpose": "care_coordination", "how": "paper", "valid_from": TODAY().isoformat()})
    assert response.status_code == 302
    consent = family.consents.get()
    assert "Health, Notes" in logged_in.get(f"/families/{family.pk}/").content.decode()
    response = logged_in.post(f"/access/family/{family.pk}/consents/{consent.pk}/withdraw/",
                               {"reason": "", "how": "paper"})
    consent.refresh_from_db()
    assert response.status_code == 302 and consent.withdrawn_at is not None
