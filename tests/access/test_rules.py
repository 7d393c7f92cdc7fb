import datetime as dt
import re

import pytest
from django.utils import timezone

from oneplan.access import rules
from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied, NotFound
from oneplan.families import selectors
from tests.factories import CareTeamMemberFactory, ProfessionalFactory, family_with_team

pytestmark = pytest.mark.django_db


def _denied(actor, family):
    return AuditEvent.objects.filter(actor_id=actor.user_id, family_id=family.pk, outcome="denied")


def test_team_member_opens_family(professional):
    family = family_with_team(coordinator=professional)
    assert selectors.family_file(actor=professional, family_id=family.pk).family == family


def test_non_member_is_told_family_does_not_exist_and_refusal_is_audited(professional):
    family = family_with_team()
    with pytest.raises(NotFound):
        selectors.family_file(actor=professional, family_id=family.pk)
    event = _denied(professional, family).get()
    assert event.reason == "not on the care team"


def test_unknown_family_and_foreign_family_get_the_same_answer(professional, client):
    family = family_with_team()
    client.force_login(professional.user)
    foreign = client.get(f"/families/{family.pk}/")
    unknown = client.get("/families/987654/")
    assert foreign.status_code == unknown.status_code == 404

    def main(response):
        return re.search(rb"<main.*</main>", response.content, re.S).group(0)

    assert main(foreign) == main(unknown)


def test_ended_team_member_loses_access(professional):
    family = family_with_team()
    CareTeamMemberFactory(family=family, professional=professional,
                          ended_on=timezone.localdate())
    with pytest.raises(NotFound):
        rules.family_access(professional, family.pk)
    assert _denied(professional, family).count() == 0  # rules alone do not audit; layers do
    with pytest.raises(NotFound):
        selectors.family_file(actor=professional, family_id=family.pk)
    assert _denied(professional, family).count() == 1


def test_member_who_starts_tomorrow_has_no_access_yet(professional):
    family = family_with_team()
    CareTeamMemberFactory(family=family, professional=professional,
                          started_on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(NotFound):
        rules.family_access(professional, family.pk)


def test_plain_member_may_not_manage_team_when_a_coordinator_exists(professional):
    family = family_with_team()
    CareTeamMemberFactory(family=family, professional=professional)
    with pytest.raises(AccessDenied):
        rules.family_access(professional, family.pk, "team.manage")


def test_member_may_manage_team_of_family_without_coordinator(professional):
    family = family_with_team()
    family.team.update(ended_on=timezone.localdate())
    CareTeamMemberFactory(family=family, professional=professional)
    assert rules.family_access(professional, family.pk, "team.manage").can("team.manage")


def test_caseload_lists_only_families_of_active_membership(professional):
    mine = family_with_team(coordinator=professional)
    family_with_team()
    ended = family_with_team()
    CareTeamMemberFactory(family=ended, professional=professional, ended_on=timezone.localdate())
    assert list(selectors.caseload(actor=professional)) == [mine]


def test_visible_families_includes_active_grant_only(professional):
    from oneplan.access.models import AccessGrant

    family, expired = family_with_team(), family_with_team()
    now = timezone.now()
    AccessGrant.objects.create(professional=professional, family=family, reason="crisis" * 5,
                               expires_at=now + dt.timedelta(hours=1))
    AccessGrant.objects.create(professional=professional, family=expired, reason="crisis" * 5,
                               granted_at=now - dt.timedelta(hours=30),
                               expires_at=now - dt.timedelta(hours=6))
    assert list(rules.visible_families(professional)) == [family]


def test_role_pages_refuse_and_audit_other_roles(professional, client):
    client.force_login(professional.user)
    assert client.get("/access/reviews/").status_code == 403
    assert client.get("/audit/").status_code == 403
    assert AuditEvent.objects.filter(actor_id=professional.user_id, outcome="denied").count() == 2


def test_non_professional_user_is_refused(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(kind="family"))
    assert client.get("/families/").status_code == 403


def test_anonymous_user_is_sent_to_login(client):
    family = family_with_team(coordinator=ProfessionalFactory())
    response = client.get(f"/families/{family.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]
