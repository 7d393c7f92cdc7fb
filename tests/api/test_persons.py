import datetime as dt

import pytest
from django.utils import timezone

from oneplan.access.models import AccessGrant
from oneplan.audit.models import AuditEvent
from tests.api.conftest import assert_problem
from tests.factories import MembershipFactory, PersonFactory, ProfessionalFactory, family_with_team

pytestmark = pytest.mark.django_db

BSN = "111222333"  # passes the 11-test


def _person_in(family, **kwargs):
    return MembershipFactory(family=family, person=PersonFactory(**kwargs)).person


def test_person_in_my_family_is_returned(api, professional):
    family = family_with_team(coordinator=professional)
    person = _person_in(family, given_name="Mila")
    body = api(f"/persons/{person.pk}").json()
    assert body["given_name"] == "Mila"
    assert body["households"] == [{
        "family_id": family.pk, "reference": family.reference, "relation": "parent",
        "started_on": body["households"][0]["started_on"], "ended_on": None}]


def test_person_read_is_audited_with_person_and_family(api, professional):
    family = family_with_team(coordinator=professional)
    person = _person_in(family)
    api(f"/persons/{person.pk}")
    assert AuditEvent.objects.filter(action="person.read", person_id=person.pk,
                                     family_id=family.pk, outcome="allowed").exists()


def test_national_id_is_only_returned_masked(api, professional):
    family = family_with_team(coordinator=professional)
    person = PersonFactory()
    person.set_national_id(BSN)
    person.save()
    MembershipFactory(family=family, person=person)
    response = api(f"/persons/{person.pk}")
    assert response.json()["national_id_masked"] == "•••••2333"
    assert BSN not in response.content.decode()


def test_person_outside_my_families_is_404_and_audited(api, professional):
    person = _person_in(family_with_team(coordinator=ProfessionalFactory()))
    body = assert_problem(api(f"/persons/{person.pk}"), 404)
    assert "no access" in body["detail"]
    event = AuditEvent.objects.get(action="person.read", outcome="denied")
    assert (event.person_id, event.actor_id) == (person.pk, professional.user.pk)


def test_unknown_person_is_404_like_a_hidden_one(api):
    assert_problem(api("/persons/999999"), 404)
    assert AuditEvent.objects.get(action="person.read", outcome="denied").reason == "no such person"


def test_households_the_caller_cannot_see_are_left_out(api, professional):
    mine = family_with_team(coordinator=professional)
    theirs = family_with_team(coordinator=ProfessionalFactory())
    child = _person_in(mine)
    MembershipFactory(family=theirs, person=child)
    households = api(f"/persons/{child.pk}").json()["households"]
    assert [h["family_id"] for h in households] == [mine.pk]


def test_person_who_left_my_family_is_still_visible(api, professional):
    family = family_with_team(coordinator=professional)
    person = PersonFactory()
    MembershipFactory(family=family, person=person,
                      ended_on=timezone.localdate() - dt.timedelta(days=3))
    assert api(f"/persons/{person.pk}").status_code == 200


def test_person_is_visible_through_break_glass(api, professional):
    family = family_with_team(coordinator=ProfessionalFactory())
    person = _person_in(family)
    AccessGrant.objects.create(professional=professional, family=family, reason="crisis " * 5,
                               expires_at=timezone.now() + dt.timedelta(hours=2))
    assert api(f"/persons/{person.pk}").status_code == 200
    assert AuditEvent.objects.get(action="person.read").reason == "break-glass"


def test_expired_break_glass_gives_404(api, professional):
    family = family_with_team(coordinator=ProfessionalFactory())
    person = _person_in(family)
    AccessGrant.objects.create(professional=professional, family=family, reason="crisis " * 5,
                               granted_at=timezone.now() - dt.timedelta(hours=5),
                               expires_at=timezone.now() - dt.timedelta(hours=1))
    assert_problem(api(f"/persons/{person.pk}"), 404)
