import pytest

from oneplan.access import rules
from oneplan.core.errors import AccessDenied, InvalidInput
from oneplan.families.notes import note_add, readable_notes
from tests.factories import (
    CareTeamMemberFactory,
    ProfessionalFactory,
    consent_for,
    family_with_team,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(professional):
    family = family_with_team(coordinator=professional)
    consent_for(family)
    same_org = ProfessionalFactory(organisations=[professional.organisations.first()])
    CareTeamMemberFactory(family=family, professional=same_org)
    other = CareTeamMemberFactory(family=family).professional
    return family, same_org, other


def _texts(actor, family):
    return {n.text for n in readable_notes(rules.family_access(actor, family.pk))}


@pytest.mark.parametrize("visibility,author,same_org,other", [
    ("team", True, True, True),
    ("family", True, True, True),
    ("organisation", True, True, False),
    ("private", True, False, False),
])
def test_note_visibility(professional, setup, visibility, author, same_org, other):
    family, colleague, outsider_org = setup
    note_add(actor=professional, family_id=family.pk, text="x", visibility=visibility)
    assert ("x" in _texts(professional, family)) is author
    assert ("x" in _texts(colleague, family)) is same_org
    assert ("x" in _texts(outsider_org, family)) is other


def test_notes_need_consent_for_their_category(professional):
    family = family_with_team(coordinator=professional)
    with pytest.raises(AccessDenied, match="information about .*health is withheld|Health information is withheld"):
        note_add(actor=professional, family_id=family.pk, text="GP letter", category="health")


def test_withdrawn_consent_hides_existing_notes(professional, setup):
    family, colleague, _ = setup
    note_add(actor=professional, family_id=family.pk, text="Debt letter", category="finance")
    family.consents.update(withdrawn_at="2026-01-01T00:00:00Z")
    assert "Debt letter" not in _texts(colleague, family)


def test_empty_note_is_refused(professional, setup):
    with pytest.raises(InvalidInput):
        note_add(actor=professional, family_id=setup[0].pk, text="  ")


def test_note_page_adds_a_note(logged_in, professional, setup):
    family = setup[0]
    response = logged_in.post(f"/families/{family.pk}/notes/add/", {
        "text": "Spoke with the landlord", "category": "notes", "visibility": "team", "about": ""})
    assert response.status_code == 302
    assert "Spoke with the landlord" in logged_in.get(f"/families/{family.pk}/").content.decode()
