"""Two people change the same referral at the same moment: exactly one wins, the other is told."""
import threading

import pytest
from django.db import connection

from oneplan.core.errors import StaleEdit
from oneplan.referrals import services
from oneplan.referrals.models import ReferralStep
from oneplan.referrals.workflow import Status
from tests.factories import ProfessionalFactory
from tests.referrals.factories import scene

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_accept_and_decline_one_wins_the_other_gets_a_conflict():
    s = scene()
    referral = s.step(s.sent(), Status.RECEIVED)
    colleague = ProfessionalFactory(organisations=[s.organisation])
    start = threading.Barrier(2)
    outcomes = []

    def run(actor, to, extra):
        try:
            start.wait()
            services.referral_step(actor=actor, referral_id=referral.pk, to_status=to,
                                   version=referral.version, **extra)
            outcomes.append(to)
        except Exception as exc:  # noqa: BLE001 - reported below; a thread cannot fail the test
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(s.receiver, Status.ACCEPTED, {})),
               threading.Thread(target=run, args=(colleague, Status.DECLINED, {"decline_reason": "no_capacity"}))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = [o for o in outcomes if isinstance(o, str)]
    losers = [o for o in outcomes if not isinstance(o, str)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert isinstance(losers[0], StaleEdit)
    referral.refresh_from_db()
    assert referral.status == winners[0] and referral.version == 3
    assert ReferralStep.objects.filter(referral=referral, from_status=Status.RECEIVED).count() == 1
