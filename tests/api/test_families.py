import datetime as dt

import pytest
from django.utils import timezone

from oneplan.access.models import AccessGrant
from oneplan.audit.models import AuditEvent
from oneplan.families.models import CareTeamMember, Family
from tests.api.conftest import assert_problem
from tests.factories import (
    CareTeamMemberFactory,
    MembershipFactory,
    NetworkMemberFactory,
    ProfessionalFactory,
    family_with_team,
)

pytestmark = pytest.mark.django_db


def test_caseload_lists_families_on_my_team(api, professional):
    family = family_with_team(coordinator=professional)
    body = api("/families").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["id"], item["reference"], item["my_role"]) == (
        family.pk, family.reference, CareTeamMember.Role.COORDINATOR)
    assert item["coordinators"][0]["professional_id"] == professional.pk


def test_caseload_leaves_out_families_of_other_teams(api):
    family_with_team(coordinator=ProfessionalFactory())
    assert api("/families").json()["count"] == 0


def test_caseload_hides_closed_families_by_default(api, professional):
    family_with_team(coordinator=professional, status=Family.Status.CLOSED,
                     closed_on=timezone.localdate())
    assert api("/families").json()["count"] == 0
    assert api("/families", status="all").json()["count"] == 1
    assert api("/families", status="closed").json()["count"] == 1


def test_caseload_is_paginated_with_limit_and_offset(api, professional):
    for _ in range(3):
        family_with_team(coordinator=professional, members=1)
    body = api("/families", limit=2, offset=2).json()
    assert (body["count"], len(body["items"]), body["limit"], body["offset"]) == (3, 1, 2, 2)


def test_caseload_flags_family_without_coordinator(api, professional):
    family = family_with_team(coordinator=ProfessionalFactory())
    family.team.update(role=CareTeamMember.Role.MEMBER)
    CareTeamMemberFactory(family=family, professional=professional)
    flags = api("/families").json()["items"][0]["flags"]
    assert [f["code"] for f in flags] == ["no_coordinator"]


def test_caseload_query_count_does_not_grow_with_families(api, professional,
                                                          django_assert_max_num_queries):
    api("/me")  # the token's first use also writes last_used_at
    counts = []
    for total in (2, 12):
        while Family.objects.count() < total:
            family_with_team(coordinator=professional)
        # 13: the page, its count, prefetches, and one query per caseload flag provider
        # (plans: review overdue; referrals: a question to answer).
        with django_assert_max_num_queries(13) as ctx:
            assert len(api("/families", limit=100).json()["items"]) == total
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_family_detail_has_household_network_and_team(api, professional):
    family = family_with_team(coordinator=professional, members=2)
    NetworkMemberFactory(family=family, name="Oma Jansen")
    body = api(f"/families/{family.pk}").json()
    assert body["reference"] == family.reference
    assert len(body["members"]) == 2
    assert body["network"][0]["name"] == "Oma Jansen"
    assert body["team"][0]["professional_id"] == professional.pk
    assert body["access"] == "team"
    assert "family.read" in body["permissions"]


def test_family_detail_read_is_audited(api, professional):
    family = family_with_team(coordinator=professional)
    api(f"/families/{family.pk}")
    assert AuditEvent.objects.filter(action="family.read", family_id=family.pk,
                                     actor_id=professional.user.pk, outcome="allowed").exists()


def test_family_detail_query_count_does_not_grow_with_household(api, professional,
                                                                django_assert_max_num_queries):
    api("/me")  # the token's first use also writes last_used_at
    counts = []
    for members in (1, 8):
        family = family_with_team(coordinator=professional, members=members)
        for _ in range(members):
            NetworkMemberFactory(family=family)
        with django_assert_max_num_queries(20) as ctx:
            assert api(f"/families/{family.pk}").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_non_member_gets_404_problem_and_refusal_is_audited(api, professional):
    family = family_with_team(coordinator=ProfessionalFactory())
    body = assert_problem(api(f"/families/{family.pk}"), 404)
    assert body["type"] == "urn:oneplan:problem:not-found"
    assert AuditEvent.objects.filter(family_id=family.pk, outcome="denied",
                                     actor_id=professional.user.pk).exists()


def test_non_member_gets_404_for_persons_and_team_too(api, professional):
    family = family_with_team(coordinator=ProfessionalFactory())
    assert_problem(api(f"/families/{family.pk}/persons"), 404)
    assert_problem(api(f"/families/{family.pk}/team"), 404)
    assert AuditEvent.objects.filter(family_id=family.pk, outcome="denied").count() == 2


def test_unknown_family_is_404_like_a_hidden_one(api):
    body = assert_problem(api("/families/999999"), 404)
    hidden = family_with_team(coordinator=ProfessionalFactory())
    assert assert_problem(api(f"/families/{hidden.pk}"), 404)["detail"] == body["detail"]


def test_ended_team_member_gets_404(api, professional):
    family = family_with_team(coordinator=ProfessionalFactory())
    CareTeamMemberFactory(family=family, professional=professional,
                          ended_on=timezone.localdate() - dt.timedelta(days=1))
    assert_problem(api(f"/families/{family.pk}"), 404)


def test_break_glass_grant_gives_read_access(api, professional):
    family = family_with_team(coordinator=ProfessionalFactory())
    AccessGrant.objects.create(professional=professional, family=family, reason="crisis " * 5,
                               expires_at=timezone.now() + dt.timedelta(hours=2))
    body = api(f"/families/{family.pk}").json()
    assert body["access"] == "break_glass"
    assert body["permissions"] == ["family.read", "team.read"]


def test_family_persons_lists_current_household(api, professional):
    family = family_with_team(coordinator=professional, members=2)
    left = MembershipFactory(family=family, ended_on=timezone.localdate() - dt.timedelta(days=1))
    persons = api(f"/families/{family.pk}/persons").json()
    assert len(persons) == 2
    assert left.person_id not in [p["person_id"] for p in persons]


def test_family_persons_can_include_former_members(api, professional):
    family = family_with_team(coordinator=professional, members=2)
    left = MembershipFactory(family=family, ended_on=timezone.localdate() - dt.timedelta(days=1))
    persons = api(f"/families/{family.pk}/persons", include_former="true").json()
    assert left.person_id in [p["person_id"] for p in persons]


def test_family_team_lists_active_members_with_contact(api, professional):
    family = family_with_team(coordinator=professional)
    other = CareTeamMemberFactory(family=family)
    team = api(f"/families/{family.pk}/team").json()
    assert {m["professional_id"] for m in team} == {professional.pk, other.professional_id}
    mine = next(m for m in team if m["professional_id"] == professional.pk)
    assert mine["email"] == professional.user.email
    assert mine["organisation"]["id"] == professional.organisations.first().pk
