import pytest

from oneplan.audit.models import AuditEvent
from oneplan.families.models import Family
from tests.factories import ProfessionalFactory, family_with_team

pytestmark = pytest.mark.django_db


def test_register_family_makes_registrant_coordinator(logged_in, professional):
    org = professional.organisations.first()
    response = logged_in.post("/families/new/", {
        "name": "Jansen household", "intensity": "medium", "organisation": org.pk,
        "responsibilities": "",
        "person-TOTAL_FORMS": 3, "person-INITIAL_FORMS": 0, "person-MIN_NUM_FORMS": 1,
        "person-MAX_NUM_FORMS": 20,
        "person-0-given_name": "Ayşe", "person-0-family_name": "Jansen",
        "person-0-date_of_birth": "1988-03-02", "person-0-relation": "parent",
        "person-1-given_name": "Mila", "person-1-family_name": "Jansen",
        "person-1-date_of_birth": "2015-06-30", "person-1-relation": "child",
    })
    family = Family.objects.get()
    assert response.status_code == 302
    assert family.team.get().professional == professional
    page = logged_in.get(f"/families/{family.pk}/")
    assert "Ayşe Jansen" in page.content.decode()


def test_caseload_lists_own_family(logged_in, professional):
    family = family_with_team(coordinator=professional)
    assert family.name in logged_in.get("/families/").content.decode()


def test_non_member_gets_404_and_refusal_is_audited(logged_in):
    family = family_with_team(coordinator=ProfessionalFactory())
    response = logged_in.get(f"/families/{family.pk}/")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(family_id=family.pk, outcome="denied").exists()
