"""The key pages take a fixed number of queries, whatever the size of the family or caseload."""
import pytest

from tests.factories import (
    CareTeamMemberFactory,
    MembershipFactory,
    NetworkMemberFactory,
    family_with_team,
)
from tests.queries import page_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("audit_chain_started")]


def _grow(family, members, team, network):
    for _ in range(members):
        MembershipFactory(family=family, relation="child")
    for _ in range(team):
        CareTeamMemberFactory(family=family)
    for _ in range(network):
        NetworkMemberFactory(family=family)


def test_family_file_queries_do_not_grow_with_members_team_or_network(logged_in, professional):
    small = family_with_team(coordinator=professional)
    large = family_with_team(coordinator=professional)
    _grow(large, members=10, team=8, network=6)
    assert page_queries(logged_in, f"/families/{small.pk}/") == page_queries(logged_in, f"/families/{large.pk}/")


def test_caseload_queries_do_not_grow_with_families(logged_in, professional):
    family_with_team(coordinator=professional)
    few = page_queries(logged_in, "/families/")
    for _ in range(20):
        family = family_with_team(coordinator=professional)
        CareTeamMemberFactory(family=family)
    assert page_queries(logged_in, "/families/") == few


def test_family_file_consent_checks_read_no_person_twice(logged_in, professional):
    """Withheld sections name whose consent would open them; they read the household the family
    file already has, so more withheld persons cost no more queries."""
    small = family_with_team(coordinator=professional, members=1)
    large = family_with_team(coordinator=professional, members=6)
    assert page_queries(logged_in, f"/families/{large.pk}/") <= page_queries(logged_in, f"/families/{small.pk}/")
