"""The referral status workflow: one table of allowed steps, which side takes each, FHIR mapping.

Kept apart from the models so it can be read (and tested exhaustively) as the table it is.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    INFO_REQUESTED = "info_requested", _("More information asked")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WAITING_LIST = "waiting_list", _("On the waiting list")
    IN_SERVICE = "in_service", _("In service")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


REFERRER, RECEIVER = "referrer", "receiver"

# (from, to) -> the side that may take the step.
STEPS: dict[tuple[str, str], frozenset] = {
    (Status.DRAFT, Status.SENT): frozenset({REFERRER}),
    (Status.DRAFT, Status.CANCELLED): frozenset({REFERRER}),
    (Status.SENT, Status.RECEIVED): frozenset({RECEIVER}),
    (Status.SENT, Status.CANCELLED): frozenset({REFERRER}),
    (Status.RECEIVED, Status.ACCEPTED): frozenset({RECEIVER}),
    (Status.RECEIVED, Status.DECLINED): frozenset({RECEIVER}),
    (Status.RECEIVED, Status.INFO_REQUESTED): frozenset({RECEIVER}),
    (Status.RECEIVED, Status.CANCELLED): frozenset({REFERRER}),
    # The referrer answers the question; the referral is back with the receiver.
    (Status.INFO_REQUESTED, Status.RECEIVED): frozenset({REFERRER}),
    (Status.INFO_REQUESTED, Status.CANCELLED): frozenset({REFERRER}),
    (Status.ACCEPTED, Status.WAITING_LIST): frozenset({RECEIVER}),
    (Status.ACCEPTED, Status.IN_SERVICE): frozenset({RECEIVER}),
    (Status.ACCEPTED, Status.CANCELLED): frozenset({REFERRER, RECEIVER}),
    (Status.WAITING_LIST, Status.IN_SERVICE): frozenset({RECEIVER}),
    (Status.WAITING_LIST, Status.CANCELLED): frozenset({REFERRER, RECEIVER}),
    (Status.IN_SERVICE, Status.COMPLETED): frozenset({RECEIVER}),
    (Status.IN_SERVICE, Status.CANCELLED): frozenset({REFERRER, RECEIVER}),
}

TERMINAL = frozenset({Status.DECLINED, Status.COMPLETED, Status.CANCELLED})
# Open: counts against "one open referral per family and service".
OPEN = tuple(s for s in Status.values if s not in TERMINAL)
# What the receiving organisation works on (drafts are the referrer's own).
QUEUE = tuple(s for s in OPEN if s != Status.DRAFT)

# FHIR R4 Task.status for each status, per the SDOH Clinical Care guide's referral Task profile
# (SDOHCC-TaskForReferralManagement: "status from SDOHCCValueSetReferralTaskStatus (required)",
# which is Task status without `ready` and `received`). So a referral received but not yet
# decided stays `requested`, and "more information asked" before acceptance is not `on-hold`
# (R4: work that started and is paused); Task.businessStatus carries oneplan's own status.
FHIR_TASK_STATUS = {
    Status.DRAFT: "draft",
    Status.SENT: "requested",
    Status.RECEIVED: "requested",
    Status.INFO_REQUESTED: "requested",
    Status.ACCEPTED: "accepted",
    Status.WAITING_LIST: "accepted",
    Status.DECLINED: "rejected",
    Status.IN_SERVICE: "in-progress",
    Status.COMPLETED: "completed",
    Status.CANCELLED: "cancelled",
}
# Accepted work the receiver ended without completing it is `failed`, not `cancelled`.
STARTED = frozenset({Status.ACCEPTED, Status.WAITING_LIST, Status.IN_SERVICE})


def fhir_task_status(status: str, *, ended_by_receiver_from: str | None = None) -> str:
    """Task.status for a referral; `ended_by_receiver_from` is the status the receiving side
    cancelled it from (None when the referrer cancelled it, or it was not cancelled)."""
    if status == Status.CANCELLED and ended_by_receiver_from in STARTED:
        return "failed"
    return FHIR_TASK_STATUS[status]


def allowed(from_status: str, to_status: str, side: str) -> bool:
    return side in STEPS.get((from_status, to_status), ())


def next_steps(status: str, sides: set[str]) -> list[str]:
    """The statuses the actor (on these sides) may move a referral in `status` to."""
    return [to for (frm, to), who in STEPS.items() if frm == status and who & sides]


def refusal(from_status: str, to_status: str) -> str:
    """Why a step is not allowed, in words for the person who tried it."""
    frm, to = Status(from_status).label, Status(to_status).label
    if from_status in TERMINAL:
        return str(_("This referral is %(frm)s: it cannot change any more.")) % {"frm": str(frm).lower()}
    if (from_status, to_status) in STEPS:
        return str(_("The other organisation takes this step (%(frm)s → %(to)s), not you.")) % {
            "frm": str(frm).lower(), "to": str(to).lower()}
    return str(_("A referral cannot go from %(frm)s to %(to)s.")) % {
        "frm": str(frm).lower(), "to": str(to).lower()}
