"""The referral status workflow: every allowed step works for its side, every other step is
refused with a clear message and changes nothing; concurrent changes: one wins."""
import itertools

import pytest

from oneplan.audit.models import AuditEvent
from oneplan.core.errors import InvalidTransition, NotFound, StaleEdit
from oneplan.referrals import services, workflow
from oneplan.referrals.models import Referral, ReferralStep
from oneplan.referrals.workflow import RECEIVER, REFERRER, Status
from tests.factories import CareTeamMemberFactory
from tests.referrals.factories import scene

pytestmark = pytest.mark.django_db

ALL_PAIRS = list(itertools.product(Status.values, Status.values))
ALLOWED = [pair for pair in ALL_PAIRS if pair in workflow.STEPS]
FORBIDDEN = [pair for pair in ALL_PAIRS if pair not in workflow.STEPS]
EXTRA = {Status.DECLINED: {"decline_reason": "no_capacity", "note": "Full until spring."},
         Status.INFO_REQUESTED: {"note": "What was tried before?"},
         Status.CANCELLED: {"note": "The family moved."}}


def _in_status(s, status) -> Referral:
    referral = s.create()
    Referral.objects.filter(pk=referral.pk).update(status=status)
    referral.refresh_from_db()
    return referral


def _take(s, referral, to, actor):
    if to == Status.SENT:
        return services.referral_send(actor=actor, referral_id=referral.pk, version=referral.version)
    extra = dict(EXTRA.get(to, {}))
    if to == Status.RECEIVED and referral.status == Status.INFO_REQUESTED:
        extra["note"] = "Nothing was tried yet."
    return services.referral_step(actor=actor, referral_id=referral.pk, to_status=to,
                                  version=referral.version, **extra)


def _both_sides(s):
    """The receiving professional also on the family's team: only the workflow can refuse."""
    CareTeamMemberFactory(family=s.family, professional=s.receiver, organisation=s.organisation)
    return s.receiver


@pytest.mark.parametrize("frm,to", ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_every_allowed_step_works_for_its_side(frm, to):
    s = scene()
    referral = _in_status(s, frm)
    side = next(iter(workflow.STEPS[(frm, to)]))
    actor = s.referrer if side == REFERRER else s.receiver
    moved = _take(s, referral, to, actor)
    assert moved.status == to and moved.version == referral.version + 1
    step = ReferralStep.objects.filter(referral=referral).last()
    assert (step.from_status, step.to_status, step.actor) == (frm, to, actor)
    assert AuditEvent.objects.filter(action=f"referral.{to}", object_id=str(referral.pk)).exists()


@pytest.mark.parametrize("frm,to", FORBIDDEN, ids=[f"{a}->{b}" for a, b in FORBIDDEN])
def test_every_other_step_is_refused_and_changes_nothing(frm, to):
    s = scene()
    actor = _both_sides(s)
    referral = _in_status(s, frm)
    steps_before = ReferralStep.objects.count()
    with pytest.raises(InvalidTransition) as refused:
        _take(s, referral, to, actor)
    assert refused.value.message
    referral.refresh_from_db()
    assert (referral.status, referral.version) == (frm, 0)
    assert ReferralStep.objects.count() == steps_before


@pytest.mark.parametrize("frm,to", [p for p in ALLOWED if len(workflow.STEPS[p]) == 1],
                         ids=[f"{a}->{b}" for a, b in ALLOWED if len(workflow.STEPS[(a, b)]) == 1])
def test_the_other_side_cannot_take_a_one_sided_step(frm, to):
    s = scene()
    referral = _in_status(s, frm)
    side = next(iter(workflow.STEPS[(frm, to)]))
    other = s.receiver if side == REFERRER else s.referrer
    # A draft is the referrer's own: to the receiving side it does not exist.
    expected = NotFound if frm == Status.DRAFT else InvalidTransition
    with pytest.raises(expected) as refused:
        _take(s, referral, to, other)
    if expected is InvalidTransition:
        assert "other organisation" in refused.value.message
    referral.refresh_from_db()
    assert referral.status == frm


def test_completed_cannot_go_back_to_sent_and_says_why():
    s = scene()
    referral = _in_status(s, Status.COMPLETED)
    with pytest.raises(InvalidTransition, match="completed: it cannot change any more"):
        services.referral_send(actor=s.referrer, referral_id=referral.pk)


def test_of_two_concurrent_changes_one_wins_and_the_other_gets_a_conflict():
    s = scene()
    referral = s.step(s.sent(), Status.RECEIVED)
    seen_by_both = referral.version
    s.step(referral, Status.ACCEPTED, version=seen_by_both)
    with pytest.raises(StaleEdit, match="changed this referral meanwhile: it is now accepted"):
        s.step(referral, Status.DECLINED, version=seen_by_both, decline_reason="no_capacity")
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED and referral.decline_reason == ""


def test_history_keeps_every_step_with_time_and_actor():
    s = scene()
    referral = s.step(s.step(s.sent(), Status.RECEIVED), Status.ACCEPTED)
    steps = list(referral.steps.order_by("at", "id"))
    assert [(x.from_status, x.to_status) for x in steps] == [
        ("", "draft"), ("draft", "sent"), ("sent", "received"), ("received", "accepted")]
    assert [x.actor for x in steps] == [s.referrer, s.referrer, s.receiver, s.receiver]
    assert all(x.at for x in steps) and steps[-1].organisation == s.organisation
    assert referral.sent_at and referral.received_at and referral.accepted_at


def _guide_referral_task_statuses() -> set[str]:
    """The SDOHCC referral Task status value set, read from the guide: FHIR R4 Task status
    (its 12 codes) minus the codes the value set excludes."""
    from pathlib import Path

    fsh = (Path(__file__).resolve().parents[2] / "standards" / "sdohcc-ig" / "input" / "fsh"
           / "valuesets" / "SDOHCCValueSetReferralTaskStatus.fsh").read_text()
    assert "include codes from valueset TaskStatus" in fsh
    r4_task_status = {"draft", "requested", "received", "accepted", "rejected", "ready", "cancelled",
                      "in-progress", "on-hold", "failed", "completed", "entered-in-error"}
    excluded = {line.split("#")[1].strip() for line in fsh.splitlines() if line.startswith("* exclude")}
    return r4_task_status - excluded


def test_every_status_maps_to_a_status_the_guide_allows_for_a_referral_task():
    allowed = _guide_referral_task_statuses()
    assert "received" not in allowed and "ready" not in allowed
    assert set(workflow.FHIR_TASK_STATUS) == set(Status.values)
    assert set(workflow.FHIR_TASK_STATUS.values()) <= allowed
    assert workflow.FHIR_TASK_STATUS[Status.RECEIVED] == "requested"
    assert workflow.FHIR_TASK_STATUS[Status.INFO_REQUESTED] == "requested"  # not on-hold
    assert workflow.FHIR_TASK_STATUS[Status.DECLINED] == "rejected"
    assert workflow.FHIR_TASK_STATUS[Status.IN_SERVICE] == "in-progress"


def test_the_receiver_ending_accepted_work_is_failed_the_referrer_cancelling_is_cancelled():
    assert workflow.fhir_task_status(Status.CANCELLED, ended_by_receiver_from=Status.IN_SERVICE) == "failed"
    assert workflow.fhir_task_status(Status.CANCELLED, ended_by_receiver_from=Status.WAITING_LIST) == "failed"
    assert workflow.fhir_task_status(Status.CANCELLED, ended_by_receiver_from=None) == "cancelled"


def test_terminal_statuses_have_no_next_step():
    for status in workflow.TERMINAL:
        assert workflow.next_steps(status, {REFERRER, RECEIVER}) == []
