"""Two organisations registering the same person at the same moment still find each other."""
import datetime as dt
import threading

import pytest
from django.db import connection

from oneplan.signals.models import Match, Signal
from tests.factories import ProfessionalFactory
from tests.signals.helpers import BSN, register

pytestmark = pytest.mark.django_db(transaction=True)


def _register_at_once(identities: list[dict]) -> list[Exception]:
    pros = [ProfessionalFactory() for _ in identities]
    start = threading.Barrier(len(pros))
    errors = []

    def run(pro, identity):
        try:
            start.wait()
            register(pro, **identity)
        except Exception as exc:  # noqa: BLE001 - reported below; a thread cannot fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(pro, identity)) for pro, identity in zip(pros, identities)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def test_simultaneous_registrations_by_two_organisations_make_exactly_one_match():
    assert _register_at_once([{"national_id": BSN}, {"national_id": BSN}]) == []
    assert Signal.objects.count() == 2
    assert Match.objects.count() == 1


def test_simultaneous_registrations_with_a_typo_in_the_name_still_match():
    dob = dt.date(1979, 11, 23)
    assert _register_at_once([
        {"given_name": "Johannes", "family_name": "van der Berg", "date_of_birth": dob},
        {"given_name": "Johanes", "family_name": "Berg", "date_of_birth": dob}]) == []
    assert Signal.objects.count() == 2
    assert Match.objects.count() == 1
