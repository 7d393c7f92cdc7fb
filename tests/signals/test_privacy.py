"""The reference index never holds the plain identifier, the name or the birth date."""
import datetime as dt

import pytest
from django.db import connection

from oneplan.core import crypto
from oneplan.families.models import Person
from oneplan.signals import services
from oneplan.signals.models import Match, Signal, SignalKey
from tests.factories import MembershipFactory, PersonFactory, family_with_team
from tests.signals.helpers import BSN, register

pytestmark = pytest.mark.django_db

DOB = dt.date(1990, 5, 17)


def _raw_rows(model) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
        return cursor.fetchall()


@pytest.fixture
def registered(youth_care, debt_help):
    """The same two persons registered by two organisations, one through a family file."""
    family = family_with_team(coordinator=youth_care, members=0)
    person = PersonFactory(given_name="José", family_name="de la Cruz", date_of_birth=DOB)
    person.set_national_id(BSN)
    person.save()
    MembershipFactory(family=family, person=person)
    services.signal_register_person(actor=youth_care, family_id=family.pk, person_id=person.pk)
    register(youth_care, given_name="Marieke", family_name="Van Dijk", date_of_birth=DOB)
    register(debt_help, national_id="111 222 333")
    register(debt_help, given_name="marieke", family_name="van dijk", date_of_birth=DOB)
    assert Match.objects.count() == 2
    return person


def test_no_signals_row_holds_the_identifier_name_or_birth_date(registered):
    forbidden = ["111222333", "111 222 333", "José", "Jose", "jose", "Cruz", "cruz", "Marieke",
                 "marieke", "Dijk", "dijk", DOB.isoformat(), DOB.strftime("%d-%m-%Y"), "19900517"]
    rows = _raw_rows(Signal) + _raw_rows(Match)
    assert len(rows) == 6
    for row in rows:
        for cell in row:
            for secret in forbidden:
                assert secret not in str(cell), f"{secret!r} stored in the index: {row}"


def test_notifications_and_audit_events_of_the_index_hold_no_identifier_either(registered):
    from oneplan.audit.models import AuditEvent
    from oneplan.inbox.models import Notification

    assert Notification.objects.count() == 4
    for row in _raw_rows(Notification) + _raw_rows(AuditEvent):
        for cell in row:
            for secret in ("111222333", "José", "Cruz", "Marieke", "Dijk", DOB.isoformat()):
                assert secret not in str(cell), f"{secret!r} stored: {row}"


def test_signal_columns_are_only_the_documented_ones():
    assert sorted(f.column for f in Signal._meta.concrete_fields) == sorted([
        "id", "subject_hash", "basis", "organisation_id", "professional_id", "registered_on",
        "expires_on", "renewed_on", "ended_on", "ended_how", "name_filter", "dob_digest"])
    assert sorted(f.column for f in SignalKey._meta.concrete_fields) == ["id", "key", "signal_id"]


def test_signal_hash_cannot_be_joined_to_the_persons_table(registered):
    person = Person.objects.get(pk=registered.pk)
    hashes = set(Signal.objects.values_list("subject_hash", flat=True))
    assert person.national_id_hash not in hashes
    assert crypto.keyed_hash(BSN) not in hashes  # the default purpose is another hash space
    assert all(len(h) == 64 for h in hashes)


def test_signal_hash_depends_on_the_installation_key(settings, youth_care):
    first = register(youth_care).subject_hash
    services.signal_end(actor=youth_care, signal_id=Signal.objects.get().pk)
    settings.INDEX_HASH_KEY = "another installation"
    assert register(youth_care).subject_hash != first
