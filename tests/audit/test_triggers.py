"""The database itself refuses to change or remove audit events, on both engines; the sealer may
place an event in the chain once."""
from importlib import import_module

import pytest
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from oneplan.audit.models import AuditEvent
from oneplan.audit.services import record
from tests.audit.helpers import sealed_events

pytestmark = pytest.mark.django_db


def _refused(statement: str, params=()) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement, params)


def test_database_refuses_to_update_a_sealed_event():
    event = sealed_events(1)[0]
    _refused("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [event.id])


def test_database_refuses_to_delete_an_event():
    event = sealed_events(1)[0]
    _refused("DELETE FROM audit_auditevent WHERE id = %s", [event.id])


def test_database_refuses_to_delete_an_event_not_sealed_yet():
    event = record(None, "test.event")
    _refused("DELETE FROM audit_auditevent WHERE id = %s", [event.id])


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_to_truncate_the_log():
    sealed_events(1)
    _refused("TRUNCATE audit_auditevent")


def test_the_sealer_cannot_change_a_sealed_event_or_its_content():
    event = sealed_events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(seq=None)
    unsealed = record(None, "test.event")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=unsealed.pk).update(seq=10**9, reason="rewritten")


def test_the_sealer_cannot_change_the_key_of_a_sealed_event():
    event = sealed_events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(key_id="")


def test_djangos_own_flush_cannot_empty_the_log():
    """Only the test suite's backends (tests/backends/) step around the triggers for a flush;
    the backends oneplan runs on in production refuse like any other DELETE or TRUNCATE."""
    sealed_events(1)
    engine = {"sqlite": "sqlite3", "postgresql": "postgresql"}[connection.vendor]
    ops = import_module(f"django.db.backends.{engine}.base").DatabaseWrapper.ops_class(connection)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            for statement in ops.sql_flush(no_style(), ["audit_auditevent"]):
                cursor.execute(statement)
