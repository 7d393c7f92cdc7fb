"""Hidden data says why: what kind of information is withheld and which consent would open it."""
import datetime as dt

import pytest

from oneplan.assessments import services as assessments
from oneplan.families.models import Membership
from oneplan.families.notes import note_add
from tests.assessments.factories import life_domains
from tests.factories import (
    CareTeamMemberFactory,
    MembershipFactory,
    PersonFactory,
    consent_for,
    family_with_team,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(professional):
    family = family_with_team(coordinator=professional)
    consent_for(family, organisation=professional.organisations.first())
    teen = PersonFactory(given_name="Tim", date_of_birth=dt.date.today() - dt.timedelta(days=14 * 366))
    MembershipFactory(family=family, person=teen, relation=Membership.Relation.CHILD)
    gp = CareTeamMemberFactory(family=family)
    return family, teen, gp


def test_the_family_file_says_how_many_notes_are_withheld_and_why(scene, professional, client):
    family, teen, gp = scene
    note_add(actor=professional, family_id=family.pk, text="Secret health note", visibility="team",
             category="health")
    client.force_login(gp.professional.user)
    page = client.get(f"/families/{family.pk}/").content.decode()
    assert "Secret health note" not in page
    assert "1 item withheld." in page
    assert (f"Health information is withheld: it needs a consent from a parent or carer for "
            f"{gp.organisation.name}") in page


def test_a_teenagers_withheld_score_names_whose_consent_opens_it(scene, professional, client):
    family, teen, gp = scene
    instrument = life_domains()
    personal = next(d for d in instrument.domains if d["personal"])
    consent_for(family, organisation=professional.organisations.first(), subject=teen,
                given_by=[teen, family.memberships.get(relation="parent").person])
    a = assessments.assessment_start(actor=professional, family_id=family.pk, instrument_id=instrument.pk)
    assessments.score_set(actor=professional, assessment_id=a.pk, domain_key=personal["key"],
                          person_id=teen.pk, professional_score=2)
    client.force_login(gp.professional.user)
    page = client.get(f"/assessments/{a.pk}/").content.decode()
    assert "Information about Tim&#x27;s" in page
    assert "Tim together with a parent or carer" in page


def test_the_chart_says_what_it_leaves_out(scene, professional, client):
    family, teen, gp = scene
    instrument = life_domains()
    a = assessments.assessment_start(actor=professional, family_id=family.pk, instrument_id=instrument.pk)
    assessments.score_set(actor=professional, assessment_id=a.pk, domain_key="finances_debts",
                          professional_score=2)
    client.force_login(gp.professional.user)
    page = client.get(f"/assessments/family/{family.pk}/chart/").content.decode()
    assert "1 item withheld." in page and "information is withheld" in page
    assert "No scores yet." not in page
