"""Matching: across organisations only, while both signals are active, by BSN or name + birth date."""
import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oneplan.core.errors import Conflict, InvalidInput
from oneplan.inbox.models import Notification
from oneplan.sampledata.index_persons import seed, synthetic_bsn
from oneplan.signals import services
from oneplan.signals.identity import subject_for
from oneplan.signals.models import Basis, Match, Signal
from tests.factories import OrganisationFactory, ProfessionalFactory
from tests.signals.helpers import BSN, OTHER_BSN, days_ago, register

pytestmark = pytest.mark.django_db


def test_second_organisation_registering_the_same_person_makes_a_match(youth_care, debt_help):
    first = register(youth_care)
    second = register(debt_help)
    assert first.new_matches == []
    [match] = second.new_matches
    assert (match.first, match.second) == (first, second)
    assert Match.objects.count() == 1


def test_different_persons_do_not_match(youth_care, debt_help):
    register(youth_care, national_id=BSN)
    assert register(debt_help, national_id=OTHER_BSN).new_matches == []


def test_national_id_spacing_and_dots_do_not_matter(youth_care, debt_help):
    register(youth_care, national_id="111.222.333")
    assert len(register(debt_help, national_id=" 111 222 333 ").new_matches) == 1


def test_same_organisation_does_not_match_and_is_told_to_renew(youth_care, colleague):
    register(youth_care)
    with pytest.raises(Conflict, match="already registered this person"):
        register(colleague)
    assert Match.objects.count() == 0
    assert Signal.objects.count() == 1
    assert Notification.objects.count() == 0


def test_same_organisation_may_register_again_after_ending(youth_care, colleague):
    signal = register(youth_care)
    services.signal_end(actor=youth_care, signal_id=signal.pk)
    again = register(colleague)
    assert again.new_matches == []
    assert Signal.objects.filter(ended_on__isnull=True).get() == again


def test_third_organisation_matches_both_earlier_ones(youth_care, debt_help):
    register(youth_care)
    register(debt_help)
    third = ProfessionalFactory()
    assert len(register(third).new_matches) == 2
    assert Match.objects.count() == 3


def test_ended_signal_stops_matching(youth_care, debt_help):
    signal = register(youth_care)
    services.signal_end(actor=youth_care, signal_id=signal.pk)
    assert register(debt_help).new_matches == []


def test_expired_signal_stops_matching_even_before_tick_ends_it(youth_care, debt_help):
    register(youth_care, today=days_ago(800))  # expired about 70 days ago
    assert register(debt_help).new_matches == []


def test_renewed_signal_still_matches_after_its_first_expiry(youth_care, debt_help):
    signal = register(youth_care, today=days_ago(700))
    services.signal_renew(actor=youth_care, signal_id=signal.pk, today=days_ago(10))
    assert len(register(debt_help).new_matches) == 1


@pytest.mark.parametrize("given, family", [
    ("jose", "de la cruz"),
    ("JOSÉ", "DE LA CRUZ"),
    ("  José ", "de  la   Cruz"),
    ("Jose", "De-La Cruz"),
])
def test_name_matching_ignores_case_accents_and_spacing(youth_care, debt_help, given, family):
    dob = dt.date(1990, 5, 17)
    register(youth_care, given_name="José", family_name="de la Cruz", date_of_birth=dob)
    second = register(debt_help, given_name=given, family_name=family, date_of_birth=dob)
    assert len(second.new_matches) == 1
    assert second.basis == Basis.NAME_DOB


def test_same_name_with_another_birth_date_does_not_match(youth_care, debt_help):
    register(youth_care, given_name="José", family_name="de la Cruz", date_of_birth=dt.date(1990, 5, 17))
    second = register(debt_help, given_name="Jose", family_name="de la Cruz",
                      date_of_birth=dt.date(1990, 5, 18))
    assert second.new_matches == []


def test_swapped_given_and_family_name_match(youth_care, debt_help):
    dob = dt.date(1990, 5, 17)
    register(youth_care, given_name="Cruz", family_name="Jose", date_of_birth=dob)
    [match] = register(debt_help, given_name="Jose", family_name="Cruz", date_of_birth=dob).new_matches
    assert match.evidence["swapped"] is True


def test_national_id_is_used_when_both_are_given(youth_care, debt_help):
    register(youth_care, national_id=BSN)
    second = register(debt_help, national_id=BSN, given_name="Someone", family_name="Else",
                      date_of_birth=dt.date(2001, 1, 1))
    assert second.basis == Basis.NATIONAL_ID
    assert len(second.new_matches) == 1


def test_invalid_bsn_is_refused_with_the_reason(youth_care):
    with pytest.raises(InvalidInput, match="11-test") as error:
        register(youth_care, national_id="123456789")
    assert error.value.field == "national_id"
    assert Signal.objects.count() == 0


def test_bsn_with_letters_is_refused(youth_care):
    with pytest.raises(InvalidInput, match="digits only"):
        register(youth_care, national_id="12345678A")


def test_birth_date_in_the_future_is_refused(youth_care):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(InvalidInput, match="future") as error:
        register(youth_care, given_name="Ann", family_name="Lee", date_of_birth=tomorrow)
    assert error.value.field == "date_of_birth"
    assert Signal.objects.count() == 0


def test_name_without_birth_date_is_refused(youth_care):
    with pytest.raises(InvalidInput, match="Date of birth is required"):
        register(youth_care, given_name="Ann", family_name="Lee")


def test_nothing_to_identify_the_person_is_refused(youth_care):
    with pytest.raises(InvalidInput, match="Given name is required"):
        register(youth_care, national_id="  ", given_name="", family_name="")


def test_registering_for_an_organisation_one_is_not_in_is_refused(youth_care):
    with pytest.raises(InvalidInput, match="your own organisations"):
        register(youth_care, national_id=BSN, organisation=OrganisationFactory())


def test_professional_in_two_organisations_registers_for_the_chosen_one(youth_care):
    other_org = OrganisationFactory()
    youth_care.organisations.add(other_org)
    signal = register(youth_care, national_id=BSN, organisation=other_org.pk)
    assert signal.organisation == other_org


def test_match_notifies_both_professionals_with_each_others_contact_details_only(
        youth_care, debt_help, django_capture_on_commit_callbacks):
    register(youth_care, given_name="José", family_name="de la Cruz", date_of_birth=dt.date(1990, 5, 17))
    with django_capture_on_commit_callbacks(execute=True):
        register(debt_help, given_name="Jose", family_name="de la Cruz", date_of_birth=dt.date(1990, 5, 17))
    to_first = Notification.objects.get(recipient=youth_care)
    to_second = Notification.objects.get(recipient=debt_help)
    assert to_first.kind == to_second.kind == Notification.Kind.MATCH
    assert to_first.family is None and to_second.family is None
    for text, who in ((to_first.text, debt_help), (to_second.text, youth_care)):
        assert who.name in text
        assert who.primary_organisation.name in text
        assert who.phone in text
        assert who.email in text
    for text in (to_first.heading + to_first.text, to_second.heading + to_second.text):
        for secret in ("José", "Jose", "Cruz", "1990", "17-05", "05-17"):
            assert secret not in text
    assert "please contact them" in to_first.text
    assert "asked to contact you" in to_second.text
    assert sorted(m.to[0] for m in mail.outbox) == sorted([youth_care.email, debt_help.email])
    for message in mail.outbox:
        assert "Cruz" not in message.body and "1990" not in message.body
        assert "/signals/matches/" in message.body


def test_match_notification_falls_back_to_the_organisation_phone(youth_care, debt_help):
    youth_care.phone = ""
    youth_care.save()
    register(youth_care)
    register(debt_help)
    assert "+31 20 111 0000" in Notification.objects.get(recipient=debt_help).text


def test_refused_registration_sends_no_email(youth_care, colleague, django_capture_on_commit_callbacks):
    register(youth_care)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        register(colleague)
    assert mail.outbox == []


def _register_and_match_queries(bsn: str) -> int:
    register(ProfessionalFactory(), national_id=bsn)
    actor = ProfessionalFactory()
    assert actor.primary_organisation  # loaded with the request in real use
    with CaptureQueriesContext(connection) as ctx:
        assert len(register(actor, national_id=bsn).new_matches) == 1
    return len(ctx.captured_queries)


def test_register_and_match_queries_do_not_grow_with_the_index(db):
    seed(persons=20, organisations=2)
    few = _register_and_match_queries(synthetic_bsn(90_000))
    seed(persons=600, organisations=4, start=20)
    assert _register_and_match_queries(synthetic_bsn(90_001)) == few


def test_match_lookup_uses_an_index(db):
    sql = services._candidates_sql(1, 0)  # the statement a registration by BSN runs
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # tiny test tables: make the planner show its index
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, [subject_for(national_id=BSN).hash])
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, [subject_for(national_id=BSN).hash])
        plan = " ".join(str(cell) for row in cursor.fetchall() for cell in row).upper()
    if connection.vendor == "postgresql":
        # Which index PostgreSQL picks on tiny tables depends on its statistics; what matters
        # is that the signals table is not scanned whole.
        assert "SEQ SCAN ON SIGNALS_SIGNAL" not in plan, plan
        assert "SIGNALS_SIGNAL" in plan, plan
    else:
        assert "SIGNAL_HASH_IDX" in plan or "SIGNAL_ONE_OPEN_PER_ORG" in plan, plan


def test_a_match_notice_is_read_in_the_readers_language(youth_care, debt_help):
    from django.utils import translation

    register(youth_care, national_id=BSN)
    register(debt_help, national_id=BSN)
    notice = Notification.objects.get(recipient=youth_care)
    with translation.override("nl"):
        assert "U registreerde als eerste" in notice.text and "Telefoon:" in notice.text
