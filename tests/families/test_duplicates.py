"""A child who already lives in another household is found by name and birth date, and the
coordinator links the existing record instead of making a second one (never automatically)."""
import datetime as dt

import pytest

from oneplan.audit.models import AuditEvent
from oneplan.families import services
from oneplan.families.duplicates import alike
from oneplan.families.models import Person
from oneplan.families.services import NewPerson, PossibleDuplicate
from tests.factories import MembershipFactory, PersonFactory, family_with_team

pytestmark = pytest.mark.django_db
BORN = dt.date(2014, 3, 9)


@pytest.fixture
def known_child(db):
    child = PersonFactory(given_name="Daan", family_name="van der Berg", date_of_birth=BORN)
    MembershipFactory(family=family_with_team(), person=child, relation="child")
    return child


def _child(**kw):
    return NewPerson(**{"given_name": "Daan", "family_name": "Berg", "date_of_birth": BORN,
                        "relation": "child", **kw})


@pytest.mark.parametrize("given,family", [("Daan", "Berg"), ("daan", "Van den Berg"), ("Dan", "van der Berg"),
                                          ("Berg", "Daan")])
def test_names_spelt_alike_are_alike(known_child, given, family):
    assert alike(given, family, known_child)


@pytest.mark.parametrize("given,family", [("Sem", "van der Berg"), ("Daan", "Jansen")])
def test_other_names_are_not_alike(known_child, given, family):
    assert not alike(given, family, known_child)


def test_adding_a_known_child_asks_before_making_a_second_record(professional, known_child):
    family = family_with_team(coordinator=professional)
    with pytest.raises(PossibleDuplicate) as raised:
        services.person_add(actor=professional, family_id=family.pk, person=_child())
    assert raised.value.candidates == [known_child]
    assert Person.objects.filter(date_of_birth=BORN).count() == 1


def test_the_coordinator_links_the_existing_child(professional, known_child):
    family = family_with_team(coordinator=professional)
    services.person_add(actor=professional, family_id=family.pk, person=_child(same_person=str(known_child.pk)))
    assert family.memberships.filter(person=known_child).exists()
    assert Person.objects.filter(date_of_birth=BORN).count() == 1
    assert AuditEvent.objects.filter(action="person.link", person_id=known_child.pk).exists()


def test_someone_else_gets_a_new_record(professional, known_child):
    family = family_with_team(coordinator=professional)
    services.person_add(actor=professional, family_id=family.pk, person=_child(same_person="new"))
    assert Person.objects.filter(date_of_birth=BORN).count() == 2


def test_a_person_id_that_was_not_offered_is_not_linked(professional, known_child):
    family = family_with_team(coordinator=professional)
    stranger = PersonFactory(date_of_birth=dt.date(2001, 1, 1))
    with pytest.raises(PossibleDuplicate):
        services.person_add(actor=professional, family_id=family.pk, person=_child(same_person=str(stranger.pk)))
    assert not family.memberships.filter(person=stranger).exists()


def test_the_add_member_page_asks_and_then_links(logged_in, professional, known_child):
    family = family_with_team(coordinator=professional)
    data = {"given_name": "Daan", "family_name": "Berg", "date_of_birth": BORN.isoformat(),
            "relation": "child", "national_id": ""}
    page = logged_in.post(f"/families/{family.pk}/members/add/", data)
    assert page.status_code == 400
    text = page.content.decode()
    assert "Is this a person oneplan already knows?" in text and "van der Berg" in text
    response = logged_in.post(f"/families/{family.pk}/members/add/", {**data, "same_person": known_child.pk})
    assert response.status_code == 302 and family.memberships.filter(person=known_child).exists()


def test_registering_a_family_asks_about_a_known_child(logged_in, professional, known_child):
    data = {"name": "Berg household", "intensity": "medium", "organisation": professional.organisations.first().pk,
            "responsibilities": "", "person-TOTAL_FORMS": "2", "person-INITIAL_FORMS": "0",
            "person-0-given_name": "Eva", "person-0-family_name": "Berg", "person-0-date_of_birth": "1985-01-01",
            "person-0-relation": "parent", "person-1-given_name": "Daan", "person-1-family_name": "Berg",
            "person-1-date_of_birth": BORN.isoformat(), "person-1-relation": "child"}
    page = logged_in.post("/families/new/", data)
    assert page.status_code == 400 and "Is this a person oneplan already knows?" in page.content.decode()
    response = logged_in.post("/families/new/", {**data, "person-1-same_person": known_child.pk})
    assert response.status_code == 302
    assert known_child.memberships.count() == 2
