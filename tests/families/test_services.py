import datetime as dt

import pytest
from django.utils import timezone

from oneplan.core.errors import Conflict, InvalidInput
from oneplan.families import services
from oneplan.families.models import CareTeamMember, Family, Person
from oneplan.families.services import NewPerson
from tests.factories import (
    CareTeamMemberFactory,
    OrganisationFactory,
    ProfessionalFactory,
    family_with_team,
)

pytestmark = pytest.mark.django_db
VALID_BSN = "111222333"  # passes the 11-test


def _register(actor, *people, name="Jansen household"):
    return services.family_register(actor=actor, name=name, members=list(people))


def _parent(**kw):
    return NewPerson(**{"given_name": "Ayşe", "family_name": "Jansen",
                        "date_of_birth": dt.date(1988, 3, 2), "relation": "parent", **kw})


@pytest.mark.parametrize("given", ["محمد", "王芳", "Олена", "Ngọc Ánh", "Zoë-Chloë"])
def test_names_in_any_script_are_kept(professional, given):
    family = _register(professional, _parent(given_name=given))
    assert family.memberships.get().person.given_name == given


def test_registrant_becomes_coordinator(professional):
    family = _register(professional, _parent())
    member = family.team.get()
    assert (member.professional, member.role) == (professional, CareTeamMember.Role.COORDINATOR)


def test_too_long_name_is_refused_and_nothing_is_saved(professional):
    with pytest.raises(InvalidInput, match="at most 150"):
        _register(professional, _parent(), _parent(given_name="x" * 151))
    assert not Family.objects.exists() and not Person.objects.exists()


def test_birth_date_in_future_is_refused(professional):
    with pytest.raises(InvalidInput, match="future"):
        _register(professional, _parent(date_of_birth=timezone.localdate() + dt.timedelta(days=1)))


def test_person_added_twice_is_refused(professional):
    with pytest.raises(Conflict, match="already in this household"):
        _register(professional, _parent(), _parent(given_name="ayşe"))


def test_invalid_bsn_is_refused(professional):
    with pytest.raises(InvalidInput, match="11-test"):
        _register(professional, _parent(national_id="123456789"))


def test_same_bsn_in_second_household_links_the_same_person(professional):
    child = NewPerson("Mila", "Jansen", dt.date(2015, 6, 30), "child", national_id=VALID_BSN)
    first = _register(professional, _parent(), child)
    second = _register(professional, _parent(given_name="Karim", family_name="El Amrani"), child,
                       name="El Amrani household")
    assert Person.objects.filter(given_name="Mila").count() == 1
    mila = first.memberships.get(person__given_name="Mila").person
    assert second.memberships.filter(person=mila).exists()
    assert mila.national_id == VALID_BSN and VALID_BSN not in mila.national_id_encrypted


def test_analyst_may_not_register_families():
    analyst = ProfessionalFactory(roles=["analyst"])
    with pytest.raises(Exception, match="roles"):
        _register(analyst, _parent())


def test_team_member_add_requires_membership_of_that_organisation(professional):
    family = family_with_team(coordinator=professional)
    other = ProfessionalFactory()
    with pytest.raises(InvalidInput, match="does not work for"):
        services.team_member_add(actor=professional, family_id=family.pk, professional_id=other.pk,
                                 organisation_id=OrganisationFactory().pk, role="member",
                                 focus="whole_family", responsibilities="Debts")


def test_professional_already_on_team_is_refused(professional):
    family = family_with_team(coordinator=professional)
    with pytest.raises(Conflict, match="already on this team"):
        services.team_member_add(actor=professional, family_id=family.pk,
                                 professional_id=professional.pk,
                                 organisation_id=professional.organisations.first().pk,
                                 role="member", focus="whole_family", responsibilities="x")


def test_second_whole_family_coordinator_is_refused_but_a_pair_is_allowed(professional):
    family = family_with_team(coordinator=professional)
    family.team.update(focus="parents")
    other, third = ProfessionalFactory(), ProfessionalFactory()
    services.team_member_add(actor=professional, family_id=family.pk, professional_id=other.pk,
                             organisation_id=other.organisations.first().pk, role="coordinator",
                             focus="children", responsibilities="Coordinates for the children")
    with pytest.raises(Conflict, match="already coordinates"):
        services.team_member_add(actor=professional, family_id=family.pk, professional_id=third.pk,
                                 organisation_id=third.organisations.first().pk,
                                 role="coordinator", focus="whole_family", responsibilities="x")


def test_last_coordinator_of_active_family_cannot_leave(professional):
    family = family_with_team(coordinator=professional)
    member = family.team.get(professional=professional)
    with pytest.raises(Conflict, match="last care coordinator"):
        services.team_member_end(actor=professional, team_member_id=member.pk)


def test_ended_member_loses_access_at_once(professional):
    family = family_with_team(coordinator=professional)
    member = CareTeamMemberFactory(family=family)
    services.team_member_end(actor=professional, team_member_id=member.pk, reason="Done")
    from oneplan.access.rules import visible_families
    assert family not in visible_families(member.professional)


def test_network_load_outside_scale_is_refused(professional):
    family = family_with_team(coordinator=professional)
    with pytest.raises(InvalidInput, match="1 \\(little\\) to 5"):
        services.network_member_add(actor=professional, family_id=family.pk, name="Oma",
                                    relation="grandparent", support="childcare", strength="strong",
                                    load=6)


STATUS_TABLE = [
    ("intake", "active", True), ("intake", "scaling_down", False), ("intake", "closed", True),
    ("active", "intake", False), ("active", "scaling_down", True), ("active", "closed", True),
    ("scaling_down", "active", True), ("scaling_down", "intake", False),
    ("scaling_down", "closed", True), ("closed", "active", True), ("closed", "intake", False),
    ("closed", "scaling_down", False),
]


@pytest.mark.parametrize("before,after,allowed", STATUS_TABLE)
def test_family_status_transitions(professional, before, after, allowed):
    family = family_with_team(coordinator=professional, status=before,
                              closed_on=timezone.localdate() if before == "closed" else None)
    call = dict(actor=professional, family_id=family.pk, status=after, closure_reason="goals_reached")
    if allowed:
        assert services.family_set_status(**call).status == after
    else:
        with pytest.raises(Conflict):
            services.family_set_status(**call)


def test_closing_needs_a_reason(professional):
    family = family_with_team(coordinator=professional)
    with pytest.raises(InvalidInput, match="reason"):
        services.family_set_status(actor=professional, family_id=family.pk, status="closed")
