"""Consent is the family's: only the coordinator records or withdraws it on their behalf."""
import datetime as dt

import pytest

from oneplan.access.services_consent import consent_record, consent_withdraw, not_covered
from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied, InvalidInput
from oneplan.families.models import CareTeamMember
from oneplan.inbox.models import Notification
from tests.factories import (
    CareTeamMemberFactory,
    ProfessionalFactory,
    child_of,
    consent_for,
    family_with_team,
    parent_of,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date.today


@pytest.fixture
def family(professional):
    return family_with_team(coordinator=professional, members=1)


@pytest.fixture
def gp(family):
    return CareTeamMemberFactory(family=family)




def _record(actor, family, **kw):
    return consent_record(actor=actor, family_id=family.pk, categories=kw.pop("categories", ["health"]),
                          given_by=[parent_of(family).pk], how="in_person", **kw)


def test_a_team_member_cannot_record_consent_for_their_own_organisation(family, gp):
    with pytest.raises(AccessDenied):
        _record(gp.professional, family, organisation_id=gp.organisation_id)
    assert not family.consents.exists()
    refusal = AuditEvent.objects.filter(actor_id=gp.professional.user_id, outcome="denied").latest("id")
    assert refusal.action == "consent.manage"


def test_a_team_member_cannot_withdraw_another_organisations_consent(family, gp):
    consent = consent_for(family, categories=["health"])
    with pytest.raises(AccessDenied):
        consent_withdraw(actor=gp.professional, consent_id=consent.pk, how="in_person")
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert AuditEvent.objects.filter(actor_id=gp.professional.user_id, outcome="denied",
                                     action="consent.manage").exists()


def test_the_co_coordinator_records_consent(family):
    co = CareTeamMemberFactory(family=family, role=CareTeamMember.Role.CO_COORDINATOR,
                               focus=CareTeamMember.Focus.CHILDREN)
    assert _record(co.professional, family).recorded_by == co.professional


def test_withdrawal_keeps_who_recorded_it_and_how(professional, family):
    consent = consent_for(family, categories=["health"])
    consent_withdraw(actor=professional, consent_id=consent.pk, how="paper", reason="Letter")
    consent.refresh_from_db()
    assert (consent.withdrawn_by, consent.withdrawn_how) == (professional, "paper")


def test_withdrawal_needs_to_say_how_the_family_withdrew(professional, family):
    consent = consent_for(family, categories=["health"])
    with pytest.raises(InvalidInput, match="how"):
        consent_withdraw(actor=professional, consent_id=consent.pk, how="portal")


def test_a_new_consent_tells_the_affected_organisation_and_not_the_others(professional, family, gp):
    other = CareTeamMemberFactory(family=family)
    _record(professional, family, organisation_id=gp.organisation_id)
    notices = Notification.objects.filter(kind="consent")
    assert [n.recipient for n in notices] == [gp.professional]
    assert notices.get().heading == "Consent given: Health"
    assert other.professional.notifications.count() == 0


def test_a_withdrawal_in_the_portal_tells_the_coordinator(professional, family):
    from oneplan.portal import family_services
    from oneplan.portal import services as portal_services

    consent = consent_for(family, categories=["finance"])
    invitation, token = portal_services.invitation_create(actor=professional, family_id=family.pk,
                                                          person_id=parent_of(family).pk)
    user = portal_services.invitation_accept(token=token, username="mum", password="x-Very-long-pass-42")
    family_services.portal_consent_withdraw(user=user, family_id=family.pk, consent_id=consent.pk)
    notice = professional.notifications.get(kind="consent")
    assert notice.heading == "Consent withdrawn: Finance"
    assert "in the family portal" in notice.text.lower()


def test_the_notice_is_read_in_the_readers_language(professional, family, gp):
    from django.utils import translation

    _record(professional, family, organisation_id=gp.organisation_id, categories=["finance"])
    notice = gp.professional.notifications.get()
    with translation.override("nl"):
        assert notice.heading == "Toestemming gegeven: Financiën"


def test_a_family_wide_consent_says_whom_it_does_not_cover(professional, family):
    teen, toddler = child_of(family, 14), child_of(family, 3)
    consent = _record(professional, family)
    missing = [person for person, _why in not_covered(consent)]
    assert teen in missing and toddler not in missing


def test_the_consent_page_warns_when_a_teenager_is_not_covered(logged_in, family):
    teen = child_of(family, 14)
    response = logged_in.post(f"/access/family/{family.pk}/consents/new/", {
        "categories": ["health"], "organisation": "", "subject": "", "given_by": [parent_of(family).pk],
        "purpose": "care_coordination", "how": "paper", "valid_from": TODAY().isoformat()}, follow=True)
    page = response.content.decode()
    assert f"does not cover {teen.full_name}" in page and "together with a parent" in page


def test_a_plain_member_sees_no_consent_buttons(family, gp, client):
    client.force_login(gp.professional.user)
    page = client.get(f"/families/{family.pk}/").content.decode()
    assert f"/access/family/{family.pk}/consents/new/" not in page


def test_the_coordinator_sees_the_consent_buttons(family, logged_in):
    page = logged_in.get(f"/families/{family.pk}/").content.decode()
    assert f"/access/family/{family.pk}/consents/new/" in page


def test_a_professional_with_another_coordinator_cannot_grant_himself(family):
    gp = ProfessionalFactory()
    CareTeamMemberFactory(family=family, professional=gp)
    with pytest.raises(AccessDenied):
        _record(gp, family, organisation_id=gp.organisations.first().pk, categories=["health"])
