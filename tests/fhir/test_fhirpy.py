"""A real FHIR client (fhirpy, over HTTP against the live server) pages through a receiving
organisation's Tasks and moves one, as a partner's case system would."""
import pytest
from fhirpy import SyncFHIRClient

from oneplan.accounts.services import token_create
from oneplan.referrals.models import Referral
from oneplan.referrals.workflow import Status
from tests.directory.factories import ServiceFactory, add_contact
from tests.factories import ProfessionalFactory, family_with_team
from tests.fhir.test_family import _second_version
from tests.plans.factories import agreed_plan
from tests.referrals.factories import scene

pytestmark = pytest.mark.django_db(transaction=True)


def test_fhirpy_pages_through_the_owners_tasks_and_accepts_one(live_server):
    s = scene()
    referrals = []
    for _ in range(5):
        service = ServiceFactory(organisation=s.organisation)
        add_contact(service, s.receiver)
        referrals.append(s.step(s.sent(service_id=service.pk), Status.RECEIVED))
    _, key = token_create(actor_user=s.receiver.user, name="case system")
    client = SyncFHIRClient(f"{live_server.url}/fhir/R4", authorization=f"Bearer {key}")

    tasks = client.resources("Task").search(owner=f"Organization/{s.organisation.pk}").limit(2)
    seen = [task["id"] for task in tasks]  # fhirpy follows the Bundles' next links
    assert seen == [str(r.pk) for r in referrals]

    task = client.resources("Task").search(_id=referrals[0].pk).first()
    task["status"] = "accepted"
    # Updates carry the version read (If-Match): a client made for this one change sends it.
    versioned = SyncFHIRClient(f"{live_server.url}/fhir/R4", authorization=f"Bearer {key}",
                               extra_headers={"If-Match": f'W/"{task["meta"]["versionId"]}"'})
    versioned.resource("Task", **task.serialize()).save()  # PUT
    assert Referral.objects.get(pk=referrals[0].pk).status == Status.ACCEPTED

    task["status"] = "in-progress"  # the same stale version again: refused, nothing changes
    with pytest.raises(Exception, match="changed since version"):
        versioned.resource("Task", **task.serialize()).save()
    assert Referral.objects.get(pk=referrals[0].pk).status == Status.ACCEPTED


def test_fhirpy_pages_through_a_familys_care_plans(live_server):
    actor = ProfessionalFactory()
    family = family_with_team(coordinator=actor, members=2)
    first = agreed_plan(actor, family)
    second = _second_version(actor, family)
    _, key = token_create(actor_user=actor.user, name="case system")
    client = SyncFHIRClient(f"{live_server.url}/fhir/R4", authorization=f"Bearer {key}")
    plans = client.resources("CarePlan").search(subject=f"Group/{family.pk}").limit(1)
    assert [(p["id"], p["status"]) for p in plans] == [(str(first.pk), "revoked"), (str(second.pk), "active")]
