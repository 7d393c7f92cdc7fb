"""Benchmark data for the reference index: synthetic BSNs and `oneplan signals seed`."""
import pytest
from django.core.management import CommandError, call_command

from oneplan.core.national_id import normalise_national_id
from oneplan.sampledata.index_persons import synthetic_bsn
from oneplan.signals.models import Signal
from tests.factories import ProfessionalFactory
from tests.signals.helpers import register


def test_synthetic_bsns_are_valid_and_unique():
    numbers = [synthetic_bsn(i) for i in list(range(3000)) + [8_999_999]]
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        assert normalise_national_id(number, country="NL") == number


@pytest.mark.django_db
def test_seed_command_creates_signals_once(capsys):
    call_command("signals", "seed", "--persons", "120", "--organisations", "4")
    assert Signal.objects.count() == 120
    assert Signal.objects.values("organisation").distinct().count() == 4
    call_command("signals", "seed", "--persons", "120", "--organisations", "4")
    assert Signal.objects.count() == 120
    assert "Created 0 signals" in capsys.readouterr().out


@pytest.mark.django_db
def test_seeded_person_registered_by_another_organisation_matches():
    call_command("signals", "seed", "--persons", "30", "--organisations", "3")
    assert len(register(ProfessionalFactory(), national_id=synthetic_bsn(17)).new_matches) == 1


@pytest.mark.django_db
def test_seed_command_refuses_nonsense():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("signals", "seed", "--persons", "0")


@pytest.mark.django_db
def test_seeded_person_registered_by_a_misspelt_name_matches_by_similarity():
    from oneplan.sampledata.index_persons import seed, synthetic_person

    seed(persons=40, organisations=3)
    given, family, dob = synthetic_person(23)
    signal = register(ProfessionalFactory(), given_name=given[:-1], family_name=family, date_of_birth=dob)
    found = signal.new_matches + signal.possible_matches
    assert any(m.first.basis == "national_id" for m in found)
    assert Signal.objects.get(pk=found[0].first_id).keys.count() == 3


@pytest.mark.django_db
def test_seed_gives_older_seeded_signals_their_encoding():
    from oneplan.sampledata.index_persons import seed
    from oneplan.signals.models import SignalKey

    seed(persons=10, organisations=2)
    Signal.objects.update(name_filter=None, dob_digest=None)
    SignalKey.objects.all().delete()
    assert seed(persons=10, organisations=2).created == 0
    assert not Signal.objects.filter(dob_digest__isnull=True).exists()
    assert SignalKey.objects.count() == 30
