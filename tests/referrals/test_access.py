"""Who may see and move a referral: the family's team and the receiving organisation; everyone
else is told it does not exist, and the refusal is audited."""
import datetime as dt

import pytest
from django.utils import timezone

from oneplan.audit.models import AuditEvent, Outcome
from oneplan.core.errors import AccessDenied, NotFound
from oneplan.referrals import selectors, services
from oneplan.referrals.workflow import Status
from tests.factories import ProfessionalFactory
from tests.referrals.factories import scene

pytestmark = pytest.mark.django_db


def _denied(actor, action) -> AuditEvent:
    return AuditEvent.objects.filter(actor_id=actor.user_id, action=action, outcome=Outcome.DENIED).last()


def test_the_referrer_and_the_receiving_organisation_both_read_a_sent_referral():
    s = scene()
    referral = s.sent()
    colleague = ProfessionalFactory(organisations=[s.organisation])
    for actor in (s.referrer, s.receiver, colleague):
        assert selectors.referral_detail(actor=actor, referral_id=referral.pk).referral == referral
    assert AuditEvent.objects.filter(action="referral.read", object_id=str(referral.pk)).count() == 3


def test_a_stranger_is_told_the_referral_does_not_exist_and_it_is_audited():
    s = scene()
    referral = s.sent()
    stranger = ProfessionalFactory()
    with pytest.raises(NotFound):
        selectors.referral_detail(actor=stranger, referral_id=referral.pk)
    event = _denied(stranger, "referral.read")
    assert event.object_id == str(referral.pk) and event.family_id == s.family.pk


def test_an_unknown_referral_and_a_forbidden_one_look_the_same():
    s = scene()
    referral = s.sent()
    stranger = ProfessionalFactory()
    messages = []
    for referral_id in (referral.pk, 987654, "x"):
        with pytest.raises(NotFound) as refused:
            selectors.referral_detail(actor=stranger, referral_id=referral_id)
        messages.append(refused.value.message)
    assert len(set(messages)) == 1


def test_the_receiving_organisation_cannot_see_a_draft():
    s = scene()
    draft = s.create()
    with pytest.raises(NotFound):
        selectors.referral_detail(actor=s.receiver, referral_id=draft.pk)
    assert _denied(s.receiver, "referral.read")


def test_a_former_team_member_loses_the_referral():
    s = scene()
    referral = s.sent()
    s.family.team.filter(professional=s.referrer).update(ended_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(NotFound):
        selectors.referral_detail(actor=s.referrer, referral_id=referral.pk)


def test_a_privacy_officer_of_the_receiving_organisation_does_not_work_referrals():
    s = scene()
    referral = s.sent()
    officer = ProfessionalFactory(organisations=[s.organisation], roles=["privacy_officer"])
    with pytest.raises(NotFound):
        selectors.referral_detail(actor=officer, referral_id=referral.pk)
    with pytest.raises(AccessDenied):
        selectors.incoming(actor=officer)
    assert _denied(officer, "referral.queue")


def test_the_queue_holds_only_the_own_organisations_sent_referrals():
    mine, theirs = scene(), scene()
    sent = mine.sent()
    mine.create(service_id=_second_service(mine).pk)  # a draft: not in the queue
    theirs.sent()
    assert list(selectors.incoming(actor=mine.receiver)) == [sent]


def _second_service(s):
    from tests.directory.factories import ServiceFactory

    return ServiceFactory(organisation=s.organisation)


def test_a_stranger_cannot_move_a_referral_and_the_refusal_is_audited():
    s = scene()
    referral = s.sent()
    stranger = ProfessionalFactory()
    with pytest.raises(NotFound):
        services.referral_step(actor=stranger, referral_id=referral.pk, to_status=Status.RECEIVED)
    assert _denied(stranger, "referral.received")
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_break_glass_access_does_not_allow_referring():
    from oneplan.access.models import AccessGrant

    s = scene()
    outsider = ProfessionalFactory()
    AccessGrant.objects.create(professional=outsider, family=s.family, reason="Emergency",
                               expires_at=timezone.now() + dt.timedelta(hours=2))
    with pytest.raises(AccessDenied):
        s.create(actor=outsider)
    assert _denied(outsider, "referral.send")


def test_only_the_referrer_or_the_receiving_professional_records_the_handoff():
    s = scene()
    referral = s.step(s.step(s.sent(), Status.RECEIVED), Status.ACCEPTED)
    services.handoff_plan(actor=s.receiver, referral_id=referral.pk, mode="phone", planned_for=timezone.now())
    colleague = ProfessionalFactory(organisations=[s.organisation])
    with pytest.raises(AccessDenied):
        services.handoff_record(actor=colleague, referral_id=referral.pk, held_on=timezone.localdate())
    assert _denied(colleague, "referral.handoff_record")


def test_a_step_belonging_to_the_other_side_is_refused_and_audited():
    s = scene()
    referral = s.step(s.sent(), Status.RECEIVED)
    from oneplan.core.errors import InvalidTransition

    with pytest.raises(InvalidTransition):
        services.referral_step(actor=s.referrer, referral_id=referral.pk, to_status=Status.ACCEPTED)
    assert "other organisation" in _denied(s.referrer, "referral.accepted").reason


def test_sending_without_consent_is_audited_as_refused():
    s = scene(consent=False)
    referral = s.create()
    from oneplan.core.errors import ConsentMissing

    with pytest.raises(ConsentMissing):
        services.referral_send(actor=s.referrer, referral_id=referral.pk)
    assert _denied(s.referrer, "referral.sent").reason.startswith("consent missing: No consent")
