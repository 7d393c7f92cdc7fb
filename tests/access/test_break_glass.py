import datetime as dt

import pytest
from django.utils import timezone

from oneplan.access import services
from oneplan.access.models import AccessGrant
from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from oneplan.families import selectors
from oneplan.families import services as family_services
from tests.factories import ProfessionalFactory, family_with_team

pytestmark = pytest.mark.django_db
REASON = "Crisis call from the police at night; child safety must be checked now."


@pytest.fixture
def officer():
    return ProfessionalFactory(roles=["privacy_officer"])


def test_break_glass_opens_family_read_only_with_banner(professional, client):
    family = family_with_team()
    services.break_glass_open(actor=professional, reference=family.reference, reason=REASON, hours=2)
    client.force_login(professional.user)
    page = client.get(f"/families/{family.pk}/").content.decode()
    assert "Emergency access." in page
    assert AuditEvent.objects.filter(action="family.read", family_id=family.pk,
                                     reason="break-glass").exists()


def test_break_glass_needs_a_real_reason(professional):
    family = family_with_team()
    with pytest.raises(InvalidInput, match="at least"):
        services.break_glass_open(actor=professional, reference=family.reference, reason="urgent")
    assert not AccessGrant.objects.exists()


def test_break_glass_lasts_at_most_24_hours(professional):
    family = family_with_team()
    with pytest.raises(InvalidInput, match="1 to 24 hours"):
        services.break_glass_open(actor=professional, reference=family.reference, reason=REASON,
                                  hours=25)


def test_break_glass_for_unknown_reference_is_refused(professional):
    with pytest.raises(NotFound):
        services.break_glass_open(actor=professional, reference="OP-NONE-0000", reason=REASON)


def test_break_glass_is_read_only_and_a_write_is_refused_and_audited(professional):
    family = family_with_team()
    services.break_glass_open(actor=professional, reference=family.reference, reason=REASON)
    with pytest.raises(AccessDenied):
        family_services.network_member_add(actor=professional, family_id=family.pk, name="Oma",
                                           relation="grandparent", support="childcare",
                                           strength="strong", load=2)
    event = AuditEvent.objects.get(outcome="denied")
    assert event.reason == "break-glass access is read-only"


def test_break_glass_expires(professional):
    family = family_with_team()
    grant = services.break_glass_open(actor=professional, reference=family.reference, reason=REASON)
    AccessGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(NotFound):
        selectors.family_file(actor=professional, family_id=family.pk)


def test_team_member_does_not_need_break_glass(professional):
    family = family_with_team(coordinator=professional)
    with pytest.raises(Conflict):
        services.break_glass_open(actor=professional, reference=family.reference, reason=REASON)


def test_grant_lands_in_review_queue_and_officer_marks_it_justified(professional, officer, client):
    family = family_with_team()
    grant = services.break_glass_open(actor=professional, reference=family.reference, reason=REASON)
    client.force_login(officer.user)
    assert family.reference in client.get("/access/reviews/").content.decode()
    response = client.post(f"/access/reviews/{grant.pk}/", {"verdict": "justified", "note": ""})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert (grant.review, grant.reviewed_by) == (AccessGrant.Review.JUSTIFIED, officer)


def test_unjustified_verdict_needs_a_note(professional, officer):
    family = family_with_team()
    grant = services.break_glass_open(actor=professional, reference=family.reference, reason=REASON)
    with pytest.raises(InvalidInput):
        services.grant_review(actor=officer, grant_id=grant.pk, justified=False, note="")


def test_officer_cannot_review_own_grant(officer):
    family = family_with_team()
    grant = services.break_glass_open(actor=officer, reference=family.reference, reason=REASON)
    with pytest.raises(Conflict):
        services.grant_review(actor=officer, grant_id=grant.pk, justified=True)


def test_non_officer_cannot_review_and_is_audited(professional):
    family = family_with_team()
    other = ProfessionalFactory()
    grant = services.break_glass_open(actor=other, reference=family.reference, reason=REASON)
    with pytest.raises(AccessDenied):
        services.grant_review(actor=professional, grant_id=grant.pk, justified=True)
    assert AuditEvent.objects.filter(actor_id=professional.user_id, outcome="denied",
                                     action="breakglass.review").exists()
