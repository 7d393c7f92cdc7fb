"""A durable outbox for side effects outside the database (e-mail, webhooks).

A service calls `put(kind, payload)` inside its transaction: the message is stored with the
change, so a rolled-back change sends nothing and a committed one is never lost. Delivery runs
as `deliver_due` tasks through Django's task framework (the django-tasks backport). With its
database backend (the default) `oneplan worker` looks at the outbox itself every second and
enqueues a round when something is due (`poll`), so a request that writes a message pays nothing
more; with any other backend (immediate in tests, a broker) a round is enqueued after the commit.
The task claims due
messages one at a time with a conditional UPDATE (a lease), hands each to the handler
registered for its kind, and marks it sent. A failure is retried with exponential back-off
until RETRY_FOR has passed, then the message is marked failed and `FAILED` hooks are told.

Delivery is at least once: a worker killed after a handler finished but before the "sent"
mark was written delivers that one message again once its lease runs out. E-mails carry a
Message-ID made from the outbox id, so mail clients recognise such a repeat.
"""
import datetime as dt
import logging
from typing import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from oneplan.core.models import OutboxMessage

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=2)
RETRY_FOR = dt.timedelta(hours=24)
FIRST_RETRY = dt.timedelta(seconds=30)
MAX_BACKOFF = dt.timedelta(hours=2)

# kind -> fn(payload, message): delivers or raises. Registered by the app owning the kind.
HANDLERS: dict[str, Callable] = {}
# fn(message) when a message is given up on (the webhooks tell the org admin).
FAILED: list[Callable] = []


def put(kind: str, payload: dict, *, due_at: dt.datetime | None = None) -> OutboxMessage:
    """Store a side effect with the current transaction; delivered after it commits."""
    if kind not in HANDLERS:
        raise ValueError(f"no outbox handler for {kind!r}")
    message = OutboxMessage.objects.create(kind=kind, payload=payload, due_at=due_at or timezone.now())
    _after_commit()
    return message


def put_many(kind: str, payloads: list[dict]) -> list[OutboxMessage]:
    """Several messages of one kind in one INSERT."""
    if kind not in HANDLERS:
        raise ValueError(f"no outbox handler for {kind!r}")
    if not payloads:
        return []
    messages = OutboxMessage.objects.bulk_create([OutboxMessage(kind=kind, payload=p) for p in payloads])
    _after_commit()
    return messages


def polled() -> bool:
    """True when the worker finds due messages by itself (`poll`): the database backend."""
    return isinstance(deliver_due.get_backend(), DatabaseBackend)


def _after_commit() -> None:
    if not polled():
        transaction.on_commit(wake, robust=True)


def poll() -> bool:
    """The worker's look at the outbox (every `--interval` seconds): enqueue a round when a
    message is due and no round is waiting already. One indexed read when nothing is due."""
    if not OutboxMessage.objects.filter(_open(), due_at__lte=timezone.now()).exists():
        return False
    wake()
    return True


def wake(run_after: dt.datetime | None = None) -> None:
    """Ask the task backend to run a delivery round (now, or at `run_after`).

    With the database backend a round that is enqueued and not started yet will see this
    message (a round delivers everything due), so a second wake-up is not written: a busy
    request path then pays one indexed read instead of a write transaction."""
    if run_after is None and _round_waiting():
        return
    (deliver_due.using(run_after=run_after) if run_after else deliver_due).enqueue()


def _round_waiting() -> bool:
    if not isinstance(deliver_due.get_backend(), DatabaseBackend):
        return False
    return DBTaskResult.objects.ready().filter(task_path=deliver_due.module_path).exists()


def backoff(attempts: int) -> dt.timedelta:
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def _open() -> Q:
    return Q(sent_at__isnull=True, failed_at__isnull=True)


def _claim(now: dt.datetime) -> OutboxMessage | None:
    """The oldest due message nobody holds, claimed by a conditional UPDATE (or None)."""
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    for pk in (OutboxMessage.objects.filter(_open(), free, due_at__lte=now)
               .order_by("due_at", "id").values_list("pk", flat=True)[:20]):
        if OutboxMessage.objects.filter(_open(), free, pk=pk).update(claimed_until=now + LEASE):
            return OutboxMessage.objects.get(pk=pk)
    return None


def deliver_one(message: OutboxMessage) -> bool:
    """Run the handler of a claimed message; True when it was delivered."""
    now = timezone.now()
    try:
        HANDLERS[message.kind](message.payload, message)
    except Exception as exc:  # any failure of the outside world is retried, never raised
        attempts = message.attempts + 1
        give_up = now - message.created_at >= RETRY_FOR or message.kind not in HANDLERS
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=attempts, claimed_until=None, last_error=f"{type(exc).__name__}: {exc}"[:2000],
            due_at=now + backoff(attempts), failed_at=now if give_up else None)
        log.warning("outbox %s attempt %s failed: %s", message, attempts, exc)
        if give_up:
            message.refresh_from_db()
            for hook in FAILED:
                hook(message)
        elif not polled():  # a polling worker sees the retry fall due by itself
            wake(now + backoff(attempts))
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), claimed_until=None,
                                                       attempts=message.attempts + 1)
    return True


BATCH = 50


def deliver_round(limit: int | None = None) -> int:
    """Deliver due messages until none is left (or `limit` were tried); returns how many
    were sent."""
    sent = tried = 0
    while limit is None or tried < limit:
        message = _claim(timezone.now())
        if message is None:
            break
        tried += 1
        sent += deliver_one(message)
    return sent


@task()
def deliver_due() -> int:
    """One round of at most BATCH messages, then the next round as a new task: a worker told
    to stop (SIGTERM) stops after the current round and nothing is left half done."""
    sent = deliver_round(limit=BATCH)
    if OutboxMessage.objects.filter(_open(), due_at__lte=timezone.now()).exists():
        wake()
    return sent


def pending() -> int:
    return OutboxMessage.objects.filter(_open()).count()


def tick() -> str:
    """`oneplan tick`: wake the worker for anything due that no task is on its way for (a
    wake-up lost in a crash right after a commit)."""
    due = OutboxMessage.objects.filter(_open(), due_at__lte=timezone.now()).count()
    if due:
        wake()
    failed = OutboxMessage.objects.filter(failed_at__gte=timezone.now() - dt.timedelta(days=1)).count()
    return f"outbox: {due} due, {pending()} open, {failed} failed in the last day"
