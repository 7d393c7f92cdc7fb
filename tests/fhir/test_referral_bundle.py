"""A partner's system sends a referral as a FHIR transaction (ServiceRequest + Task): the same
checks as the referral page, consent included; all or nothing."""
import json

import pytest

from oneplan.audit.models import AuditEvent
from oneplan.referrals.models import Referral
from oneplan.referrals.workflow import Status
from tests.fhir.test_tasks import _client_for, valid
from tests.referrals.factories import scene

pytestmark = pytest.mark.django_db


def _bundle(s, *, task_status="requested", persons=None, categories=("finance",), **request):
    service_request = {
        "resourceType": "ServiceRequest", "status": "active", "intent": "order", "priority": "urgent",
        "subject": {"reference": f"Group/{s.family.pk}"},
        "performer": [{"reference": f"HealthcareService/{s.service.pk}"}],
        "category": [{"coding": [{"system": "urn:oneplan:life-domain", "code": "finances_debts"}]}],
        "supportingInfo": [{"reference": f"Patient/{p.pk}"} for p in (persons or [s.parent])],
        "orderDetail": [{"coding": [{"system": "urn:oneplan:data-category", "code": c}]} for c in categories],
        "note": [{"text": "Debts are piling up; the bailiff came twice."}], **request}
    task = {"resourceType": "Task", "status": task_status, "intent": "order",
            "code": {"coding": [{"system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "fulfill"}]},
            "focus": {"reference": "urn:uuid:0b4c3f4e-1d2a-4f7e-9c1a-2f6a9b8d7e01"},
            "for": {"reference": f"Group/{s.family.pk}"}}
    return {"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": "urn:uuid:0b4c3f4e-1d2a-4f7e-9c1a-2f6a9b8d7e01", "resource": service_request,
         "request": {"method": "POST", "url": "ServiceRequest"}},
        {"fullUrl": "urn:uuid:7d1f0c55-8e3b-4c4a-a0a4-5e8f3c2b1a10", "resource": task,
         "request": {"method": "POST", "url": "Task"}}]}


def _post(client, body):
    return client.post("/fhir/R4/", json.dumps(body), content_type="application/fhir+json")


def test_a_partners_system_sends_a_referral_as_on_the_page(client):
    s = scene()
    response = _post(_client_for(client, s.referrer), _bundle(s))
    assert response.status_code == 200, response.content
    body = valid(json.loads(response.content))
    assert body["type"] == "transaction-response"
    referral = Referral.objects.get()
    assert (referral.status, referral.urgency, referral.referrer) == (Status.SENT, "soon", s.referrer)
    assert list(referral.persons.all()) == [s.parent] and referral.shared_categories == ["identity", "finance"]
    assert [e["response"]["location"].split("/_history")[0] for e in body["entry"]] == [
        f"ServiceRequest/{referral.pk}", f"Task/{referral.pk}"]


def test_a_draft_task_keeps_the_referral_a_draft(client):
    s = scene()
    _post(_client_for(client, s.referrer), _bundle(s, task_status="draft"))
    assert Referral.objects.get().status == Status.DRAFT


def test_missing_consent_says_which_and_saves_nothing(client):
    s = scene(consent=False)
    response = _post(_client_for(client, s.referrer), _bundle(s))
    outcome = valid(json.loads(response.content))
    assert response.status_code == 422 and outcome["issue"][0]["code"] == "business-rule"
    words = outcome["issue"][0]["diagnostics"]
    assert s.organisation.name in words and s.parent.given_name in words and "finance" in words
    assert not Referral.objects.exists()
    assert AuditEvent.objects.filter(action="referral.sent", outcome="denied").exists()


def test_someone_not_on_the_team_cannot_refer_the_family(client):
    s = scene()
    response = _post(_client_for(client, s.receiver), _bundle(s))
    assert response.status_code == 404 and not Referral.objects.exists()


@pytest.mark.parametrize("change", [
    lambda b: b["entry"].pop(),
    lambda b: b.update(type="batch"),
    lambda b: b["entry"][0]["resource"].update(subject={"reference": "Patient/1"}),
    lambda b: b["entry"][0]["resource"].update(priority="whenever"),
    lambda b: b["entry"][1]["resource"].update(status="completed"),
    lambda b: b["entry"][1]["resource"].update(focus={"reference": "ServiceRequest/999"}),
])
def test_a_malformed_transaction_is_an_operation_outcome_and_saves_nothing(client, change):
    s = scene()
    body = _bundle(s)
    change(body)
    response = _post(_client_for(client, s.referrer), body)
    assert response.status_code in (400, 422) and valid(json.loads(response.content))
    assert not Referral.objects.exists()
