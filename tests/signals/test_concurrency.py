"""Two organisations registering the same person at the same moment still find each other."""
import threading

import pytest
from django.db import connection

from oneplan.signals.models import Match, Signal
from tests.factories import ProfessionalFactory
from tests.signals.helpers import BSN, register

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_registrations_by_two_organisations_make_exactly_one_match():
    pros = [ProfessionalFactory(), ProfessionalFactory()]
    start = threading.Barrier(len(pros))
    errors = []

    def run(pro):
        try:
            start.wait()
            register(pro, national_id=BSN)
        except Exception as exc:  # noqa: BLE001 - reported below; a thread cannot fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(pro,)) for pro in pros]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Signal.objects.count() == 2
    assert Match.objects.count() == 1
