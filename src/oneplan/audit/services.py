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
    """Append one event: one INSERT, no lock; the sealer chains it shortly after (`seal`).
    `family`/`person` may be objects or ids."""
    event = AuditEvent(
        at=timezone.now(),
        **_actor_fields(actor, organisation),
        action=action,
        object_type=object_type if object_type is not None else (obj._meta.label_lower if obj is not None else ""),
        object_id=str(object_id if object_id is not None else (obj.pk if obj is not None else "")),
        family_id=getattr(family, "pk", family),
        person_id=getattr(person, "pk", person),
        category=category,
        outcome=outcome,
        reason=reason[:2000],
    )
    event.save()
    return event


def record_many(actor, action: str, *, families: list, object_type: str, reason: str = "",
                category: str = "", organisation=None) -> int:
    """One event per family in one INSERT: a search that returns several families' records
    leaves a trace in each family's log (the family's "who looked at our file")."""
    actor_fields = _actor_fields(actor, organisation)
    now = timezone.now()
    events = [AuditEvent(at=now, **actor_fields, action=action, object_type=object_type, object_id="",
                         family_id=family_id, category=category, reason=reason[:2000])
              for family_id in dict.fromkeys(families)]
    AuditEvent.objects.bulk_create(events)
    return len(events)


def _hashed_values(event: AuditEvent) -> dict:
    return {f: getattr(event, f) for f in AuditEvent.HASHED_FIELDS}


def seal(*, batch: int = 2000) -> int:
    """Give every committed event that has no place in the chain yet its place, in id order:
    `seq`, the previous event's hash and its own. Returns how many were sealed.

    Only the sealer locks the chain head, one batch per transaction, so a crash loses nothing
    (the batch rolls back and is sealed next time) and no event is skipped: one whose
    transaction committed after a higher id was sealed (it waited longer) takes the next place.
    Run by the worker every second and by `oneplan tick`; `oneplan audit verify` runs it first.
    """
    sealed = 0
    while True:
        with transaction.atomic():
            head = _locked_head()
            events = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:batch])
            seq, last = head.last_seq, head.last_hash
            for event in events:
                seq += 1
                event.seq, event.prev_hash = seq, last
                event.hash = last = AuditEvent.compute_hash(last, _hashed_values(event))
            if events:
                AuditEvent.objects.bulk_update(events, ["seq", "prev_hash", "hash"], batch_size=500)
                ChainHead.objects.filter(pk=1).update(last_seq=seq, last_hash=last)
        sealed += len(events)
        if len(events) < batch:
            return sealed


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
    """Walk the sealed chain in order; report the first link that does not hold, and how many
    events wait to be sealed."""
    prev_hash, expected, checked = GENESIS_HASH, 1, 0
    fields = AuditEvent.HASHED_FIELDS + ("seq", "prev_hash", "hash")
    rows = AuditEvent.objects.filter(seq__isnull=False).order_by("seq").values_list(*fields)
    for row in rows.iterator(chunk_size=chunk_size):
        values = dict(zip(fields, row))
        seq, event_id = values["seq"], values["id"]
        if seq != expected:
            return ChainReport(False, checked, f"Place {expected} in the chain is missing (an event was "
                               f"deleted before event #{event_id}).", event_id)
        if values["prev_hash"] != prev_hash:
            return ChainReport(
                False, checked,
                f"Event #{event_id} does not link to the event before it: an earlier event was deleted "
                "or changed.", event_id)
        if AuditEvent.compute_hash(prev_hash, values) != values["hash"]:
            return ChainReport(False, checked, f"Event #{event_id} was changed after it was written.", event_id)
        prev_hash, expected, checked = values["hash"], expected + 1, checked + 1
    head = ChainHead.objects.filter(pk=1).first()
    if head and head.last_seq and head.last_seq != expected - 1:
        return ChainReport(
            False, checked,
            f"The chain ends at place {expected - 1} but the chain head says {head.last_seq}: "
            "the newest events were deleted.", None)
    if head and head.last_seq and head.last_hash != prev_hash:
        return ChainReport(False, checked, "The chain head does not match the last event.", None)
    waiting = AuditEvent.objects.filter(seq__isnull=True).count()
    message = f"Audit chain intact: {checked} events verified."
    if waiting:
        message += f" Not sealed yet: {waiting} newer events (the worker seals them every second)."
    return ChainReport(True, checked, message)
