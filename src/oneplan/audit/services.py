"""Writing to the audit log, sealing it into the keyed chain and the Merkle tree, and the doors to
checkpoints (publishing.py), verification (verification.py) and proofs (proofs.py)."""
from collections.abc import Iterable
from itertools import islice

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from oneplan.audit import chain, keys, publishing, verification
from oneplan.audit.models import NODE_LEVEL, AuditEvent, ChainHead, Outcome, TreeNode

checkpoint = publishing.checkpoint
verify = verification.verify
ChainReport = verification.ChainReport


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


def record_denied(actor, action: str, *, reason: str, **kwargs) -> AuditEvent:
    """Refusals are logged outside the caller's transaction so a rollback cannot erase them."""
    return record(actor, action, outcome=Outcome.DENIED, reason=reason, **kwargs)


def _save_tree(head: ChainHead, tree, nodes: list, **fields) -> None:
    """Store the tree's new right edge, and its completed subtrees proofs read (TreeNode)."""
    TreeNode.objects.bulk_create([TreeNode(level=level, index=index, hash=node.hex())
                                  for level, index, node in nodes if level >= NODE_LEVEL],
                                 ignore_conflicts=True)
    ChainHead.objects.filter(pk=head.pk).update(tree_size=tree.size, frontier=tree.to_hex(), **fields)


def _grow_tree(head: ChainHead, limit: int) -> None:
    """Put up to `limit` events sealed before the tree existed (before migration 0005) into the
    tree, in order."""
    tree, nodes = head.tree(), []
    rows = (AuditEvent.objects.filter(seq__gt=head.tree_size, seq__lte=min(head.tree_size + limit, head.last_seq))
            .order_by("seq").values_list("seq", "key_id", "prev_hash", "hash", *AuditEvent.HASHED_FIELDS))
    for seq, key_id, prev_hash, link, *values in rows:
        if seq != tree.size + 1:
            raise RuntimeError(f"The audit event at place {tree.size + 1} is missing: run `oneplan audit verify`.")
        content = chain.content(dict(zip(AuditEvent.HASHED_FIELDS, values)))
        nodes += tree.append(chain.leaf(seq, key_id, prev_hash, link, content))
    _save_tree(head, tree, nodes)


def _place(events: list[AuditEvent]) -> None:
    """One UPDATE per event, sent together: Django's bulk_update builds a CASE per field and row,
    which cost the sealer most of its time."""
    table, q = AuditEvent._meta.db_table, connection.ops.quote_name
    sets = ", ".join(f"{q(f)} = %s" for f in ("seq", "prev_hash", "hash", "key_id"))
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {q(table)} SET {sets} WHERE {q('id')} = %s",
                           [(e.seq, e.prev_hash, e.hash, e.key_id, e.pk) for e in events])


def seal(*, batch: int = 2000) -> int:
    """Give every committed event that has no place in the chain yet its place, in id order:
    `seq`, the previous event's link, its own (keyed) link and its leaf in the Merkle tree.
    Returns how many were sealed.

    Only the sealer locks the chain head, one batch per transaction, so a crash loses nothing
    (the batch rolls back and is sealed next time) and no event is skipped: one whose
    transaction committed after a higher id was sealed (it waited longer) takes the next place.
    The tree grows by its right edge (kept in the head): a batch costs the same at any log size.
    Run by the worker every second and by `oneplan tick`; `oneplan audit verify` runs it first.
    """
    key_id, key = keys.sealing_key()
    sealed = 0
    while True:
        with transaction.atomic():
            head = ChainHead.locked()
            if head.tree_size < head.last_seq:  # once, after migration 0005
                _grow_tree(head, batch * 10)
                continue
            events = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:batch])
            seq, last, tree, nodes = head.last_seq, head.last_hash, head.tree(), []
            for event in events:
                seq += 1
                content = event.content()
                event.seq, event.prev_hash, event.key_id = seq, last, key_id
                event.hash = last = chain.keyed_link(key, key_id, seq, event.prev_hash, content)
                nodes += tree.append(chain.leaf(seq, key_id, event.prev_hash, event.hash, content))
            if events:
                _place(events)
                _save_tree(head, tree, nodes, last_seq=seq, last_hash=last)
        sealed += len(events)
        if len(events) < batch:
            return sealed


def append_sealed(rows: Iterable[dict], *, batch: int = 20000) -> int:
    """Append events sealed as they are written, ids after every event there is: synthetic data
    at scale (`oneplan generate`, `oneplan bench`), far faster than record() and seal(). `rows`
    are AuditEvent field values without id. Returns how many were written."""
    seal()  # the live events first: these follow them in the chain
    key_id, key = keys.sealing_key()
    written = 0
    with transaction.atomic():
        head = ChainHead.locked()
        last_id = AuditEvent.objects.aggregate(top=Max("id"))["top"] or 0
        seq, last, tree = head.last_seq, head.last_hash, head.tree()
        rows = iter(rows)
        while chunk := list(islice(rows, batch)):
            events, nodes = [], []
            for values in chunk:
                last_id, seq = last_id + 1, seq + 1
                event = AuditEvent(id=last_id, **values, seq=seq, prev_hash=last, key_id=key_id)
                content = event.content()
                event.hash = chain.keyed_link(key, key_id, seq, last, content)
                nodes += tree.append(chain.leaf(seq, key_id, last, event.hash, content))
                events.append(event)
                last = event.hash
            AuditEvent.objects.bulk_create(events)
            _save_tree(head, tree, nodes, last_seq=seq, last_hash=last)
            written += len(events)
        with connection.cursor() as cursor:  # ids were given here: the next live event follows them
            for sql in connection.ops.sequence_reset_sql(no_style(), [AuditEvent]):
                cursor.execute(sql)
    return written
