import datetime as dt

import pytest
from django.utils import timezone

from oneplan.audit.models import AuditEvent
from oneplan.core.errors import InvalidInput
from oneplan.portal import services
from oneplan.portal.models import Invitation
from tests.factories import MembershipFactory, PersonFactory, family_with_team

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
    assert "Who looked at our file" in page and "looked at your family file" in page


def test_coordinator_invites_from_the_family_file(logged_in, family):
    response = logged_in.post(f"/portal/invite-member/{family.pk}/{_parent(family).pk}/", {"email": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "/portal/invite/" in page
    assert 'data-copy="link"' in page and "<textarea" in page  # shown whole, with a copy button


def test_the_invitation_link_can_be_e_mailed(logged_in, family, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(f"/portal/invite-member/{family.pk}/{_parent(family).pk}/",
                                  {"email": "mum@example.org"})
    assert "The link was e-mailed to mum@example.org" in response.content.decode()
    sent = mail.outbox[-1]
    assert sent.to == ["mum@example.org"] and "/portal/invite/" in sent.body
    token = sent.body.split("/portal/invite/")[1].split("/")[0]
    assert _accept(logged_in.__class__(), token).status_code == 302


def test_a_bad_e_mail_address_is_a_form_error_and_nothing_is_made(logged_in, family):
    response = logged_in.post(f"/portal/invite-member/{family.pk}/{_parent(family).pk}/",
                              {"email": "not-an-address"})
    assert response.status_code == 400 and not Invitation.objects.exists()


def test_plain_member_cannot_invite(family):
    from tests.factories import CareTeamMemberFactory

    member = CareTeamMemberFactory(family=family).professional
    with pytest.raises(Exception):
        services.invitation_create(actor=member, family_id=family.pk, person_id=_parent(family).pk)


def _family_user(client, professional, family):
    _, token = services.invitation_create(actor=professional, family_id=family.pk,
                                          person_id=_parent(family).pk)
    _accept(client, token)


def test_family_withdraws_consent_and_the_professional_loses_access_at_once(client, professional, family):
    from oneplan.access import rules
    from tests.factories import consent_for

    consent = consent_for(family, categories=["health"])
    _family_user(client, professional, family)
    client.post(f"/portal/family/{family.pk}/consents/{consent.pk}/withdraw/")
    consent.refresh_from_db()
    assert (consent.withdrawn_how, consent.withdrawn_by_person.pk) == ("portal", _parent(family).pk)
    assert not rules.category_visible(rules.family_access(professional, family.pk), "health")[0]
    response = client.get(f"/portal/family/{family.pk}/consents/{consent.pk}/withdraw/", follow=True)
    assert "withdrawn already" in response.content.decode()


def test_family_gives_consent_in_the_portal(client, professional, family):
    from oneplan.access import rules

    _family_user(client, professional, family)
    client.post(f"/portal/family/{family.pk}/consents/", {"categories": ["finance"], "organisation": ""})
    assert family.consents.get().how == "portal"
    assert rules.category_visible(rules.family_access(professional, family.pk), "finance")[0]


def test_feedback_needs_a_rating_and_a_short_comment(client, professional, family):
    _family_user(client, professional, family)
    url = f"/portal/family/{family.pk}/feedback/"
    assert client.post(url, {"rating": "", "about": "", "comment": "x"}).status_code == 400
    assert client.post(url, {"rating": "4", "about": "", "comment": "x" * 1001}).status_code == 400
    assert client.post(url, {"rating": "4", "about": f"pro:{professional.pk}", "comment": "Kind"}).status_code == 302


def test_coordinator_sees_the_feedback(client, professional, family):
    from django.test import Client

    from oneplan.portal.family_services import feedback_give
    from oneplan.portal.models import FamilyAccount

    _family_user(client, professional, family)
    feedback_give(user=FamilyAccount.objects.get().user, family_id=family.pk, rating=5,
                  comment="She listens")
    coordinator = Client()
    coordinator.force_login(professional.user)
    assert "She listens" in coordinator.get(f"/families/{family.pk}/").content.decode()


def test_family_cannot_withdraw_another_familys_consent(client, professional, family):
    from tests.factories import consent_for

    other = family_with_team(members=1)
    consent = consent_for(other)
    _family_user(client, professional, family)
    assert client.post(f"/portal/family/{other.pk}/consents/{consent.pk}/withdraw/").status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_family_adds_progress_to_a_goal(client, professional, family):
    from tests.plans.factories import agreed_plan

    version = agreed_plan(professional, family)
    goal = version.goals.get()
    _family_user(client, professional, family)
    client.post(f"/portal/family/{family.pk}/goals/{goal.key}/progress/", {"text": "Paid two bills"})
    assert "Paid two bills" in client.get(f"/portal/family/{family.pk}/").content.decode()


def test_parent_does_not_see_a_teenagers_notes_but_the_teenager_does(professional):
    from oneplan.families.notes import note_add
    from oneplan.portal.selectors import shared_notes
    from tests.factories import consent_for

    family = family_with_team(coordinator=professional, members=1)
    teen = PersonFactory(date_of_birth=dt.date.today() - dt.timedelta(days=15 * 365))
    young = PersonFactory(date_of_birth=dt.date.today() - dt.timedelta(days=7 * 365))
    MembershipFactory(family=family, person=teen, relation="child")
    MembershipFactory(family=family, person=young, relation="child")
    consent_for(family)
    consent_for(family, subject=teen, given_by=[teen, _parent(family)])
    note_add(actor=professional, family_id=family.pk, text="For Sem only", visibility="family",
             about_id=teen.pk)
    note_add(actor=professional, family_id=family.pk, text="About the little one", visibility="family",
             about_id=young.pk)
    note_add(actor=professional, family_id=family.pk, text="Team only", visibility="team")
    parent_sees = {n.text for n in shared_notes(family, _parent(family))}
    teen_sees = {n.text for n in shared_notes(family, teen)}
    assert parent_sees == {"About the little one"}
    assert teen_sees == {"For Sem only"}


def _draft_ready(professional, family):
    from oneplan.plans import services as plan_services
    from tests.plans.factories import goal_input

    draft = plan_services.plan_draft(actor=professional, family_id=family.pk)
    draft = plan_services.draft_update_vision(actor=professional, version_id=draft.pk, lock_version=0,
                                              vision="Rust in huis")
    plan_services.goal_save(actor=professional, version_id=draft.pk, lock_version=1,
                            goal=goal_input(family))
    draft.refresh_from_db()
    return draft


def test_parent_agrees_to_the_plan_in_the_portal(client, professional, family):
    draft = _draft_ready(professional, family)
    _family_user(client, professional, family)
    page = client.get(f"/portal/family/{family.pk}/").content.decode()
    assert "A new plan is ready for you" in page
    client.post(f"/portal/family/{family.pk}/plan/{draft.pk}/agree/", {"lock_version": draft.lock_version})
    draft.refresh_from_db()
    assert (draft.status, draft.agreed_how, draft.number) == ("agreed", "portal", 1)
    assert list(draft.agreed_by.all()) == [_parent(family)]
    assert draft.plan.next_review_on > dt.date.today()


def test_stale_agreement_is_refused(client, professional, family):
    draft = _draft_ready(professional, family)
    _family_user(client, professional, family)
    response = client.post(f"/portal/family/{family.pk}/plan/{draft.pk}/agree/", {"lock_version": 0},
                           follow=True)
    draft.refresh_from_db()
    assert draft.status == "draft" and "changed while you were reading" in response.content.decode()


def test_young_teenager_cannot_agree_alone(professional, family):
    from oneplan.portal.family_services import portal_plan_agree
    from oneplan.portal.models import FamilyAccount

    teen = PersonFactory(date_of_birth=dt.date.today() - dt.timedelta(days=14 * 365))
    MembershipFactory(family=family, person=teen, relation="child")
    draft = _draft_ready(professional, family)
    _, token = services.invitation_create(actor=professional, family_id=family.pk, person_id=teen.pk)
    services.invitation_accept(token=token, username="teen", password=PASSWORD)
    with pytest.raises(InvalidInput, match="Your parent agrees"):
        portal_plan_agree(user=FamilyAccount.objects.get(person=teen).user, family_id=family.pk,
                          version_id=draft.pk, lock_version=draft.lock_version)


def test_the_family_sees_its_referrals_and_the_planned_warm_handoff(client):
    import datetime as dt

    from django.utils import timezone

    from oneplan.portal import services as portal_services
    from oneplan.referrals import services as referral_services
    from oneplan.referrals.workflow import Status
    from tests.referrals.factories import scene

    s = scene()
    referral = s.step(s.step(s.sent(), Status.RECEIVED), Status.ACCEPTED)
    referral_services.handoff_plan(actor=s.receiver, referral_id=referral.pk, mode="in_person",
                                   planned_for=timezone.now() + dt.timedelta(days=2))
    _, token = portal_services.invitation_create(actor=s.referrer, family_id=s.family.pk, person_id=s.parent.pk)
    user = portal_services.invitation_accept(token=token, username="parent-r", password="a-long-family-password")
    client.force_login(user)
    page = client.get(f"/portal/family/{s.family.pk}/").content.decode()
    assert s.service.name in page and "accepted" in page
    assert f"We meet {s.receiver.name} together on" in page


def test_a_parent_does_not_see_the_referral_of_an_older_child():
    from oneplan.portal.selectors import shared_referrals
    from tests.referrals.factories import referral_consent, scene

    s = scene()  # the "child" of this household is an adult
    referral_consent(s.family, s.organisation, subject=s.child, given_by=[s.child])
    s.sent(person_ids=[s.child.pk])
    assert shared_referrals(s.family, s.parent) == []
    assert [r.persons.get() for r in shared_referrals(s.family, s.child)] == [s.child]
