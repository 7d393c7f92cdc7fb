import datetime as dt

import pytest
from django.utils import timezone

from oneplan.audit.models import AuditEvent
from oneplan.core.errors import Conflict, InvalidInput, NotFound
from oneplan.portal import services
from oneplan.portal.models import Invitation
from tests.factories import MembershipFactory, PersonFactory, ProfessionalFactory, family_with_team

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-family-password"


@pytest.fixture
def family(professional):
    return family_with_team(coordinator=professional, members=1)


def _parent(family):
    return family.memberships.get(relation="parent").person


def _accept(client, token, username="mum"):
    return client.post(f"/portal/invite/{token}/", {"username": username, "password1": PASSWORD,
                                                    "password2": PASSWORD})


def test_invitation_creates_an_account_and_lands_on_the_family_page(client, professional, family):
    _, token = services.invitation_create(actor=professional, family_id=family.pk,
                                          person_id=_parent(family).pk)
    response = _accept(client, token)
    assert response.status_code == 302
    page = client.get("/portal/", follow=True).content.decode()
    assert family.name in page and professional.name in page and "Your coordinator" in page


def test_invitation_link_works_once(client, professional, family):
    _, token = services.invitation_create(actor=professional, family_id=family.pk,
                                          person_id=_parent(family).pk)
    _accept(client, token)
    client.logout()
    response = client.get(f"/portal/invite/{token}/")
    assert response.status_code == 409 and "used already" in response.content.decode()


def test_expired_invitation_is_refused(client, professional, family):
    invitation, token = services.invitation_create(actor=professional, family_id=family.pk,
                                                   person_id=_parent(family).pk)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = _accept(client, token)
    assert response.status_code == 409 and "expired" in response.content.decode()


def test_unknown_token_is_not_found(client):
    assert client.get("/portal/invite/nonsense/").status_code == 404


def test_weak_password_is_a_form_error(client, professional, family):
    _, token = services.invitation_create(actor=professional, family_id=family.pk,
                                          person_id=_parent(family).pk)
    response = client.post(f"/portal/invite/{token}/", {"username": "mum", "password1": "short",
                                                        "password2": "short"})
    assert response.status_code == 400 and "too short" in response.content.decode()


def test_young_child_gets_no_account(professional, family):
    child = PersonFactory(date_of_birth=dt.date.today() - dt.timedelta(days=8 * 365))
    MembershipFactory(family=family, person=child, relation="child")
    with pytest.raises(InvalidInput, match="under 12"):
        services.invitation_create(actor=professional, family_id=family.pk, person_id=child.pk)


def test_portal_user_cannot_open_another_family_and_is_audited(client, professional, family):
    _, token = services.invitation_create(actor=professional, family_id=family.pk,
                                          person_id=_parent(family).pk)
    _accept(client, token)
    other = family_with_team()
    assert client.get(f"/portal/family/{other.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="portal.family.read", outcome="denied",
                                     family_id=other.pk).exists()


def test_portal_user_cannot_open_professional_pages(client, professional, family):
    _, token = services.invitation_create(actor=professional, family_id=family.pk,
                                          person_id=_parent(family).pk)
    _accept(client, token)
    assert client.get(f"/families/{family.pk}/").status_code == 403


def test_access_log_shows_who_opened_the_file(client, professional, family):
    from oneplan.families.selectors import family_file

    family_file(actor=professional, family_id=family.pk)
    _, token = services.invitation_create(actor=professional, family_id=family.pk,
                                          person_id=_parent(family).pk)
    _accept(client, token)
    page = client.get(f"/portal/family/{family.pk}/").content.decode()
    assert "Who looked at our file" in page and "family.read" in page


def test_coordinator_invites_from_the_family_file(logged_in, family):
    response = logged_in.post(f"/portal/invite-member/{family.pk}/{_parent(family).pk}/")
    assert response.status_code == 200 and "/portal/invite/" in response.content.decode()


def test_plain_member_cannot_invite(family):
    from tests.factories import CareTeamMemberFactory

    member = CareTeamMemberFactory(family=family).professional
    with pytest.raises(Exception):
        services.invitation_create(actor=member, family_id=family.pk, person_id=_parent(family).pk)
