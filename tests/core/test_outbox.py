"""The outbox: side effects stored with the change, delivered after it, retried, never lost."""
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from oneplan.core import email, outbox
from oneplan.core.models import OutboxMessage

pytestmark = pytest.mark.django_db
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_a_rolled_back_change_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        email.send(to="a@example.org", subject="Hello", text="x")
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists() and not mail.outbox


def test_a_committed_message_is_delivered_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email.send(to="a@example.org", subject="Hello", text="Body", html="<p>Body</p>")
        assert not mail.outbox  # not before the commit
    message = OutboxMessage.objects.get()
    assert message.sent_at is not None and message.attempts == 1
    assert mail.outbox[0].subject == "Hello" and mail.outbox[0].extra_headers["X-Oneplan-Outbox"] == str(message.pk)


def test_a_failure_is_retried_with_back_off(settings, monkeypatch):
    settings.TASKS = DB_TASKS
    calls = []

    def flaky(payload, message):
        calls.append(message.pk)
        if len(calls) == 1:
            raise ConnectionError("mail server down")

    monkeypatch.setitem(outbox.HANDLERS, "flaky", flaky)
    message = outbox.put("flaky", {})
    assert outbox.deliver_round() == 0
    message.refresh_from_db()
    assert message.attempts == 1 and "mail server down" in message.last_error
    assert message.due_at > timezone.now() + dt.timedelta(seconds=20)
    OutboxMessage.objects.filter(pk=message.pk).update(due_at=timezone.now())
    assert outbox.deliver_round() == 1
    assert len(calls) == 2


def test_back_off_doubles_up_to_a_ceiling():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert outbox.backoff(30) == outbox.MAX_BACKOFF


def test_after_a_day_of_failures_the_message_is_given_up_and_reported(settings, monkeypatch):
    settings.TASKS = DB_TASKS
    reported = []
    monkeypatch.setitem(outbox.HANDLERS, "broken", lambda payload, message: 1 / 0)
    monkeypatch.setattr(outbox, "FAILED", [reported.append])
    message = outbox.put("broken", {})
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    outbox.deliver_round()
    message.refresh_from_db()
    assert message.failed_at is not None and reported == [message]


def test_a_message_held_by_a_crashed_worker_is_delivered_once_its_lease_runs_out(settings):
    settings.TASKS = DB_TASKS
    email.send(to="a@example.org", subject="Hi", text="x")
    message = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_until=timezone.now() + outbox.LEASE)
    assert outbox.deliver_round() == 0  # someone holds it
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    assert outbox.deliver_round() == 1 and len(mail.outbox) == 1


def test_tick_wakes_the_worker_for_messages_whose_wake_up_was_lost(settings):
    settings.TASKS = DB_TASKS
    OutboxMessage.objects.create(kind="email", payload={"to": "a@example.org", "subject": "s", "text": "t"})
    from django_tasks_db.models import DBTaskResult

    before = DBTaskResult.objects.count()
    assert "1 due" in outbox.tick()
    assert DBTaskResult.objects.count() == before + 1


def _worker(env, *args):
    return subprocess.Popen([sys.executable, "-m", "django", "worker", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_way_loses_nothing_and_sends_nothing_twice(tmp_path, settings):
    """The worker is stopped (SIGTERM, as systemd does) while it is sending 1,000 e-mails and
    started again: every message arrives exactly once."""
    settings.TASKS = DB_TASKS
    for i in range(1000):
        OutboxMessage.objects.create(kind="email", payload={"to": f"p{i}@example.org", "subject": f"m{i}",
                                                            "text": "x"})
    mails = tmp_path / "mails"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "oneplan.settings", "ONEPLAN_DEBUG": "1",
           "ONEPLAN_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
           "ONEPLAN_EMAIL_FILE_PATH": str(mails),
           "DATABASE_URL": _database_url(settings),
           # the test database's audit checkpoints stay with the test, out of the shared var dir
           "ONEPLAN_AUDIT_CHECKPOINT_DIR": str(tmp_path / "audit-checkpoints")}
    worker = _worker(env)
    deadline = time.monotonic() + 30
    while OutboxMessage.objects.filter(sent_at__isnull=False).count() < 60 and time.monotonic() < deadline:
        time.sleep(0.05)
    worker.send_signal(signal.SIGTERM)
    output = worker.communicate(timeout=30)[0].decode(errors="replace")
    sent_first = OutboxMessage.objects.filter(sent_at__isnull=False).count()
    assert 0 < sent_first < 1000, f"the worker was not stopped mid-way: {output[-3000:]}"
    OutboxMessage.objects.filter(sent_at__isnull=True).update(claimed_until=None)  # restarted later
    second = _worker(env, "--batch")
    second.wait(timeout=120)
    ids = [line.split(":", 1)[1].strip() for f in Path(mails).iterdir()
           for line in f.read_text().splitlines() if line.startswith("X-Oneplan-Outbox:")]
    import collections
    dup = [k for k, v in collections.Counter(ids).items() if v > 1]
    assert len(ids) == 1000 and len(set(ids)) == 1000, (dup, sent_first, [
        (m.pk, m.attempts, m.sent_at, m.created_at) for m in OutboxMessage.objects.filter(pk__in=dup)])
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def _database_url(settings) -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_a_second_wake_up_is_not_written_while_a_round_waits(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    outbox.wake()
    outbox.wake()
    assert DBTaskResult.objects.filter(task_path="oneplan.core.outbox.deliver_due").count() == 1
    outbox.wake(timezone.now() + dt.timedelta(minutes=1))  # a retry at its own time still is
    assert DBTaskResult.objects.filter(task_path="oneplan.core.outbox.deliver_due").count() == 2


def test_with_the_database_backend_a_request_writes_no_wake_up(settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email.send(to="a@example.org", subject="s", text="t")
    assert callbacks == [] and not DBTaskResult.objects.exists()


def test_poll_enqueues_one_round_when_a_message_is_due(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_TASKS
    assert outbox.poll() is False  # nothing due: nothing enqueued
    OutboxMessage.objects.create(kind="email", payload={"to": "a@example.org", "subject": "s", "text": "t"},
                                 due_at=timezone.now() + dt.timedelta(minutes=5))
    assert outbox.poll() is False and not DBTaskResult.objects.exists()  # not due yet
    OutboxMessage.objects.update(due_at=timezone.now())
    assert outbox.poll() is True and outbox.poll() is True
    assert DBTaskResult.objects.filter(task_path="oneplan.core.outbox.deliver_due").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_running_worker_delivers_a_message_written_after_it_started(tmp_path, settings):
    settings.TASKS = DB_TASKS
    mails = tmp_path / "mails"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "oneplan.settings", "ONEPLAN_DEBUG": "1",
           "ONEPLAN_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
           "ONEPLAN_EMAIL_FILE_PATH": str(mails), "DATABASE_URL": _database_url(settings),
           "ONEPLAN_AUDIT_CHECKPOINT_DIR": str(tmp_path / "audit-checkpoints")}
    worker = _worker(env, "--interval", "0.2")
    try:
        time.sleep(1)  # started and idle
        email.send(to="late@example.org", subject="After the start", text="x")
        deadline = time.monotonic() + 20
        while not OutboxMessage.objects.filter(sent_at__isnull=False).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    assert OutboxMessage.objects.filter(sent_at__isnull=False).count() == 1, output[-3000:]
