"""Writing to the audit log and verifying its chain."""
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from oneplan.audit.models import GENESIS_HASH, AuditEvent, ChainHead, Outcome


def _actor_fields(actor, organisation) -> dict:
    if actor is None:
        return {"actor_id": None, "actor_label": "system", "organisation_id": None,
                "organisation_label": ""}
    user = getattr(actor, "user", actor)  # a Professional or a User
    if organisation is None and hasattr(actor, "primary_organisation"):
        organisation = actor.primary_organisation
    if organisation is None and hasattr(user, "professional"):
        organisation = getattr(user, "professional", None) and user.professional.primary_organisation
    return {
        "actor_id": user.pk,
        "actor_label": user.get_username(),
        "organisation_id": organisation.pk if organisation else None,
        "organisation_label": organisation.name if organisation else "",
    }


def _locked_head() -> ChainHead:
    try:
        return ChainHead.objects.select_for_update().get(pk=1)
    except ChainHead.DoesNotExist:
        try:
            with transaction.atomic():
                return ChainHead.objects.create(pk=1)
        except IntegrityError:  # another transaction made it first
            return ChainHead.objects.select_for_update().get(pk=1)


@transaction.atomic
def record(
    actor,
    action: str,
    obj=None,
    *,
    family=None,
    person=None,
    category: str = "",
    outcome: str = Outcome.ALLOWED,
    reason: str = "",
    organisation=None,
    object_type: str | None = None,
    object_id: str | int | None = None,
) -> AuditEvent:
    """Append one event. `family`/`person` may be objects or ids."""
    head = _locked_head()
    values = {
        "id": head.last_id + 1,
        "at": timezone.now(),
        **_actor_fields(actor, organisation),
        "action": action,
        "object_type": object_type if object_type is not None else (obj._meta.label_lower if obj is not None else ""),
        "object_id": str(object_id if object_id is not None else (obj.pk if obj is not None else "")),
        "family_id": getattr(family, "pk", family),
        "person_id": getattr(person, "pk", person),
        "category": category,
        "outcome": outcome,
        "reason": reason[:2000],
    }
    event = AuditEvent(**values, prev_hash=head.last_hash)
    event.hash = AuditEvent.compute_hash(head.last_hash, values)
    event.save()
    ChainHead.objects.filter(pk=1).update(last_id=event.id, last_hash=event.hash)
    return event


def record_denied(actor, action: str, *, reason: str, **kwargs) -> AuditEvent:
    """Refusals are logged outside the caller's transaction so a rollback cannot erase them."""
    return record(actor, action, outcome=Outcome.DENIED, reason=reason, **kwargs)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    message: str
    broken_at: int | None = None


def verify(*, chunk_size: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first link that does not hold."""
    prev_hash, expected_id, checked = GENESIS_HASH, None, 0
    fields = AuditEvent.HASHED_FIELDS + ("prev_hash", "hash")
    rows = AuditEvent.objects.order_by("id").values_list(*fields)
    for row in rows.iterator(chunk_size=chunk_size):
        values = dict(zip(fields, row))
        event_id = values["id"]
        if expected_id is not None and event_id != expected_id:
            return ChainReport(False, checked, f"Event #{expected_id} is missing (deleted).", expected_id)
        if values["prev_hash"] != prev_hash:
            where = "the first event" if expected_id is None else f"event #{event_id - 1}"
            return ChainReport(
                False, checked,
                f"Event #{event_id} does not link to {where}: an earlier event was deleted or changed.",
                event_id,
            )
        if AuditEvent.compute_hash(prev_hash, values) != values["hash"]:
            return ChainReport(False, checked, f"Event #{event_id} was changed after it was written.", event_id)
        prev_hash, expected_id, checked = values["hash"], event_id + 1, checked + 1
    head = ChainHead.objects.filter(pk=1).first()
    if head and head.last_id and head.last_id != (expected_id or 1) - 1:
        return ChainReport(
            False, checked,
            f"The log ends at event #{(expected_id or 1) - 1} but the chain head says #{head.last_id}: "
            "the newest events were deleted.",
            (expected_id or 1),
        )
    if head and head.last_id and head.last_hash != prev_hash:
        return ChainReport(False, checked, "The chain head does not match the last event.", head.last_id)
    return ChainReport(True, checked, f"Audit chain intact: {checked} events verified.")
