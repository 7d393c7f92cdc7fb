"""Matching on similar names: typos match, different people do not, possible matches are checked."""
import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oneplan.audit.models import AuditEvent
from oneplan.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from oneplan.inbox.models import Notification
from oneplan.signals import selectors, services
from oneplan.signals.identity import subject_for
from oneplan.signals.models import Basis, Match, Signal, SignalKey
from tests.factories import ProfessionalFactory
from tests.signals.helpers import BSN, OTHER_BSN, register

pytestmark = pytest.mark.django_db

DOB = dt.date(1986, 4, 12)


def person(given="Johannes", family="van der Berg", dob=DOB, **extra):
    return {"given_name": given, "family_name": family, "date_of_birth": dob, **extra}


@pytest.mark.parametrize("written", [
    person(family="van den Berg"), person(family="Berg"), person(family="Berg, van der"),
    person(given="Johanes"), person(family="van der Bergh"), person(given="JOHANNES", family="V.d. Berg"),
    person(given="van der Berg", family="Johannes"),
])
def test_typo_and_spelling_variants_match_for_certain(youth_care, debt_help, written):
    register(youth_care, **person())
    [match] = register(debt_help, **written).new_matches
    assert match.state == Match.State.MATCHED
    assert match.similarity is not None or written == person()


def test_dutch_letters_fold_across_registrations(youth_care, debt_help):
    register(youth_care, **person(given="Søren", family="Ærtebjerg-IJzerman"))
    assert len(register(debt_help, **person(given="Soren", family="Aertebjerg Yzerman")).new_matches) == 1


@pytest.mark.parametrize("other", [
    person(given="Pieter", family="Jansen"),                       # same birthday only
    person(dob=dt.date(1991, 8, 3)),                               # same name, another person
    person(given="Karin", family="Bakker", dob=dt.date(1986, 4, 13)),
])
def test_different_people_do_not_match(youth_care, debt_help, other):
    register(youth_care, **person())
    signal = register(debt_help, **other)
    assert signal.new_matches == [] and signal.possible_matches == []
    assert Match.objects.count() == 0


def _possible(youth_care, debt_help) -> Match:
    """A changed family name with the same given name and birth date: possible, not certain."""
    register(youth_care, **person(family="Jansen"))
    signal = register(debt_help, **person(family="Bakker"))
    assert signal.new_matches == []
    [match] = signal.possible_matches
    return match


def test_possible_match_goes_only_to_the_registering_professional(youth_care, debt_help,
                                                                   django_capture_on_commit_callbacks):
    register(youth_care, **person(family="Jansen"))
    with django_capture_on_commit_callbacks(execute=True):
        [match] = register(debt_help, **person(family="Bakker")).possible_matches
    assert match.state == Match.State.POSSIBLE
    [notice] = Notification.objects.all()
    assert notice.recipient == debt_help
    assert youth_care.name not in notice.text and youth_care.primary_organisation.name not in notice.text
    assert [m.to for m in mail.outbox] == [[debt_help.email]]
    assert list(selectors.organisation_matches(actor=youth_care)) == []
    assert list(selectors.organisation_matches(actor=debt_help)) == []
    assert list(selectors.possible_matches(actor=debt_help)) == [match]
    assert list(selectors.possible_matches(actor=youth_care)) == []


def test_confirming_a_possible_match_notifies_both_sides(youth_care, debt_help):
    match = _possible(youth_care, debt_help)
    Notification.objects.all().delete()
    services.match_confirm(actor=debt_help, match_id=match.pk)
    match.refresh_from_db()
    assert match.state == Match.State.MATCHED and match.decided_by == debt_help
    assert sorted(n.recipient_id for n in Notification.objects.all()) == sorted([youth_care.pk, debt_help.pk])
    to_first = Notification.objects.get(recipient=youth_care)
    assert debt_help.name in to_first.text and "checked by" in to_first.text
    assert AuditEvent.objects.filter(action="match.confirm", outcome="allowed").exists()
    assert list(selectors.organisation_matches(actor=youth_care)) == [match]


def test_rejecting_a_possible_match_notifies_nobody(youth_care, debt_help):
    match = _possible(youth_care, debt_help)
    Notification.objects.all().delete()
    services.match_reject(actor=debt_help, match_id=match.pk)
    match.refresh_from_db()
    assert match.state == Match.State.REJECTED
    assert Notification.objects.count() == 0
    assert AuditEvent.objects.filter(action="match.reject", outcome="allowed").exists()
    assert list(selectors.possible_matches(actor=debt_help)) == []
    with pytest.raises(InvalidTransition):
        services.match_confirm(actor=debt_help, match_id=match.pk)


def test_first_side_cannot_see_or_decide_a_possible_match(youth_care, debt_help):
    match = _possible(youth_care, debt_help)
    with pytest.raises(NotFound):
        selectors.match_detail(actor=youth_care, match_id=match.pk)
    with pytest.raises(NotFound):
        services.match_confirm(actor=youth_care, match_id=match.pk)
    denied = AuditEvent.objects.filter(action="match.confirm", outcome="denied").get()
    assert denied.reason == "unconfirmed match of another organisation's registration"
    assert Match.objects.get().state == Match.State.POSSIBLE


def test_outsider_cannot_decide_a_possible_match(youth_care, debt_help):
    match = _possible(youth_care, debt_help)
    with pytest.raises(NotFound):
        services.match_reject(actor=ProfessionalFactory(), match_id=match.pk)
    assert AuditEvent.objects.filter(action="match.reject", outcome="denied",
                                     reason="match of other organisations").exists()


def test_possible_match_cannot_be_acknowledged_before_confirmation(youth_care, debt_help):
    match = _possible(youth_care, debt_help)
    with pytest.raises(InvalidTransition):
        services.match_acknowledge(actor=debt_help, match_id=match.pk, coordinator_id=debt_help.pk)


def test_bsn_registration_with_name_finds_a_name_only_registration(youth_care, debt_help):
    register(youth_care, **person())
    signal = register(debt_help, national_id=BSN, **person(family="Berg"))
    assert signal.basis == Basis.NATIONAL_ID
    assert len(signal.new_matches) == 1


def test_name_only_registration_finds_a_bsn_registration_that_gave_a_name(youth_care, debt_help):
    register(youth_care, national_id=BSN, **person())
    assert len(register(debt_help, **person(given="Johanes")).new_matches) == 1


def test_bsn_with_name_still_finds_the_bsn_only_registration(youth_care, debt_help):
    register(youth_care, national_id=BSN)
    assert len(register(debt_help, national_id=BSN, **person()).new_matches) == 1


def test_two_different_bsns_never_match_on_their_names(youth_care, debt_help):
    register(youth_care, national_id=BSN, **person())
    assert register(debt_help, national_id=OTHER_BSN, **person()).new_matches == []


def test_bsn_with_part_of_the_name_is_refused(youth_care):
    with pytest.raises(InvalidInput, match="Date of birth is required when you give a name") as error:
        register(youth_care, national_id=BSN, given_name="Jan", family_name="Bakker")
    assert error.value.field == "date_of_birth"
    assert Signal.objects.count() == 0


def test_bsn_with_name_finds_an_old_exact_name_signal_without_encoding(youth_care, debt_help):
    """Signals registered before the encoding existed hold only the exact name hash."""
    old = register(youth_care, **person())
    Signal.objects.filter(pk=old.pk).update(name_filter=None, dob_digest=None)
    SignalKey.objects.filter(signal=old).delete()
    assert len(register(debt_help, national_id=BSN, **person()).new_matches) == 1


def test_old_signal_without_encoding_still_matches_exactly_but_not_a_typo(youth_care, debt_help):
    old = register(youth_care, **person())
    Signal.objects.filter(pk=old.pk).update(name_filter=None, dob_digest=None)
    SignalKey.objects.filter(signal=old).delete()
    assert register(debt_help, **person(given="Johanes")).new_matches == []
    third = register(ProfessionalFactory(), **person(given="johannes"))
    assert {m.first for m in third.new_matches} == {old, Signal.objects.get(organisation=debt_help.primary_organisation)}


def test_same_organisation_with_a_typo_is_told_to_renew(youth_care, colleague):
    register(youth_care, **person())
    with pytest.raises(Conflict, match="already registered this person"):
        register(colleague, **person(given="Johanes"))


def test_one_match_per_other_organisation(youth_care, debt_help):
    register(youth_care, national_id=BSN)
    register(ProfessionalFactory(organisations=list(youth_care.organisations.all())), **person())
    assert len(register(debt_help, national_id=BSN, **person()).new_matches) == 1


def test_only_keyed_values_are_stored(youth_care, debt_help):
    register(youth_care, national_id=BSN, **person(given="Marieke", family="van Dijk"))
    register(debt_help, **person(given="Marike", family="Dijk"))
    forbidden = ["Marieke", "marieke", "Marike", "marike", "Dijk", "dijk", "mariek", "dyk", "DIJK",
                 "1986", "04-12", "12-04", BSN]
    tables = [Signal._meta.db_table, SignalKey._meta.db_table, Match._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for cell in row:
                    text = bytes(cell).decode("latin-1") if isinstance(cell, (bytes, memoryview)) else str(cell)
                    for secret in forbidden:
                        assert secret not in text, f"{secret!r} in {table}: {row}"


def _similar_match_queries(i: int) -> int:
    register(ProfessionalFactory(), **person(given=f"Johannes{'x' * i}", dob=DOB + dt.timedelta(days=i)))
    actor = ProfessionalFactory()
    assert actor.primary_organisation
    with CaptureQueriesContext(connection) as ctx:
        signal = register(actor, **person(given=f"Johanes{'x' * i}", dob=DOB + dt.timedelta(days=i)))
    assert len(signal.new_matches) == 1
    return len(ctx.captured_queries)


def test_similarity_match_queries_do_not_grow_with_the_index(db):
    few = _similar_match_queries(1)
    for k in range(40):  # the same birth date: all candidates, none a match
        register(ProfessionalFactory(), **person(given=f"Anna{k}", family=f"Visser{k}",
                                                 dob=DOB + dt.timedelta(days=2)))
    assert _similar_match_queries(2) == few


def test_candidate_lookup_uses_the_key_index(db):
    subject = subject_for(**person())
    sql = services._candidates_sql(len(subject.hashes), len(subject.query.keys))  # what a registration runs
    params = [*subject.hashes, *subject.query.keys]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(cell) for row in cursor.fetchall() for cell in row).upper()
    if connection.vendor == "postgresql":
        # On tiny test tables PostgreSQL may pick the foreign key's index; what matters is
        # that neither the keys nor the signals table is scanned whole.
        assert "SEQ SCAN ON SIGNALS_SIGNALKEY" not in plan and "SEQ SCAN ON SIGNALS_SIGNAL " not in plan, plan
    else:  # SQLite makes the unique (key, signal) constraint an automatic index
        assert "USING COVERING INDEX" in plan and "(KEY=?)" in plan, plan
        assert "SCAN S " not in plan + " ", plan


def test_a_name_in_another_script_still_matches_exactly(youth_care, debt_help):
    register(youth_care, **person(given="明", family="王"))
    signal = register(debt_help, **person(given="明", family="王"))
    assert len(signal.new_matches) == 1
    assert signal.name_filter is None and not signal.keys.exists()


def test_expired_or_ended_signals_do_not_match_by_similarity(youth_care, debt_help):
    expired = register(youth_care, today=dt.date.today() - dt.timedelta(days=800), **person())
    ended = register(ProfessionalFactory(), **person(given="Johan"))
    services.signal_end(actor=ended.professional, signal_id=ended.pk)
    signal = register(debt_help, **person(given="Johanes"))
    assert signal.new_matches == [] and signal.possible_matches == []
    assert Match.objects.count() == 0 and expired.expires_on < dt.date.today()


def test_family_file_registration_with_a_bsn_also_finds_a_registration_by_name(youth_care, debt_help):
    from tests.factories import MembershipFactory, PersonFactory, family_with_team

    family = family_with_team(coordinator=youth_care, members=0)
    member = PersonFactory(given_name="Johannes", family_name="van der Berg", date_of_birth=DOB)
    member.set_national_id(BSN)
    member.save()
    MembershipFactory(family=family, person=member)
    register(debt_help, **person(family="Berg"))
    signal = services.signal_register_person(actor=youth_care, family_id=family.pk, person_id=member.pk)
    assert signal.basis == Basis.NATIONAL_ID
    assert len(signal.new_matches) == 1
