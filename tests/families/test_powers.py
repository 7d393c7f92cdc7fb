"""Who changes the household, the network and the team: coordinators and team managers only."""
import datetime as dt

import pytest

from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied
from oneplan.families import services
from oneplan.families.services import NewPerson
from tests.factories import CareTeamMemberFactory, ProfessionalFactory, family_with_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(professional):
    return family_with_team(coordinator=professional, members=2)


@pytest.fixture
def member(family):
    """A debt counsellor who joined the team through a warm handoff."""
    return CareTeamMemberFactory(family=family).professional


def _child():
    return NewPerson(given_name="Noor", family_name="Jansen", date_of_birth=dt.date(2019, 5, 1),
                     relation="child")


def _refused(actor, action):
    return AuditEvent.objects.filter(actor_id=actor.user_id, outcome="denied", action=action).exists()


def test_a_plain_team_member_cannot_add_a_household_member(family, member):
    with pytest.raises(AccessDenied):
        services.person_add(actor=member, family_id=family.pk, person=_child())
    assert family.memberships.count() == 2
    assert _refused(member, "household.edit")


def test_a_plain_team_member_cannot_end_a_household_member(family, member):
    membership = family.memberships.last()
    with pytest.raises(AccessDenied):
        services.membership_end(actor=member, membership_id=membership.pk)
    membership.refresh_from_db()
    assert membership.ended_on is None and _refused(member, "household.edit")


def test_a_plain_team_member_cannot_change_the_network(family, member):
    with pytest.raises(AccessDenied):
        services.network_member_add(actor=member, family_id=family.pk, name="Oma", relation="grandparent",
                                    support="childcare")
    assert _refused(member, "network.edit")


def test_the_coordinator_adds_a_household_member(family, professional):
    services.person_add(actor=professional, family_id=family.pk, person=_child())
    assert family.memberships.count() == 3


def test_a_team_manager_on_the_team_adds_a_household_member(family):
    manager = ProfessionalFactory(roles=["team_manager", "practitioner"])
    CareTeamMemberFactory(family=family, professional=manager)
    services.person_add(actor=manager, family_id=family.pk, person=_child())
    assert family.memberships.count() == 3


def test_the_family_file_shows_a_plain_member_no_household_actions(family, member, client):
    client.force_login(member.user)
    page = client.get(f"/families/{family.pk}/").content.decode()
    assert f"/families/{family.pk}/members/add/" not in page
    assert "Add to network" not in page and "Add team member" not in page


def test_the_family_file_shows_the_coordinator_the_household_actions(family, logged_in):
    page = logged_in.get(f"/families/{family.pk}/").content.decode()
    assert "Add member" in page and "Add to network" in page and "Add team member" in page
