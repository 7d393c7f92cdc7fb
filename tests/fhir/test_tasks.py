"""The FHIR endpoint's referrals: Task and ServiceRequest read, search, paging and status updates,
validated with fhir.resources (R4B models) and the SDOHCC guide's own profile rules."""
import json
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.careteam import CareTeam
from fhir.resources.R4B.consent import Consent
from fhir.resources.R4B.goal import Goal
from fhir.resources.R4B.group import Group
from fhir.resources.R4B.healthcareservice import HealthcareService
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole
from fhir.resources.R4B.relatedperson import RelatedPerson
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task

from oneplan.accounts.services import token_create
from oneplan.audit.models import AuditEvent
from oneplan.referrals.models import Referral, ReferralStep
from oneplan.referrals.workflow import Status
from tests.directory.factories import ServiceFactory, add_contact
from tests.factories import ProfessionalFactory
from tests.referrals.factories import scene

pytestmark = pytest.mark.django_db

GUIDE = Path(__file__).resolve().parents[2] / "standards" / "sdohcc-ig" / "input" / "fsh"
MODELS = {"Task": Task, "ServiceRequest": ServiceRequest, "Bundle": Bundle,
          "OperationOutcome": OperationOutcome, "CapabilityStatement": CapabilityStatement,
          "CarePlan": CarePlan, "Goal": Goal, "Group": Group, "Patient": Patient, "CareTeam": CareTeam,
          "Practitioner": Practitioner, "RelatedPerson": RelatedPerson, "Consent": Consent,
          "Observation": Observation, "HealthcareService": HealthcareService,
          "Organization": Organization, "PractitionerRole": PractitionerRole}


def _guide_task_statuses() -> set[str]:
    fsh = (GUIDE / "valuesets" / "SDOHCCValueSetReferralTaskStatus.fsh").read_text()
    r4 = {"draft", "requested", "received", "accepted", "rejected", "ready", "cancelled", "in-progress",
          "on-hold", "failed", "completed", "entered-in-error"}
    return r4 - {line.split("#")[1].strip() for line in fsh.splitlines() if line.startswith("* exclude")}


def _guide_sdoh_categories() -> set[str]:
    fsh = (GUIDE / "valuesets" / "SDOHCCValueSetSDOHCategory.fsh").read_text()
    return {line.split("#")[1].split()[0] for line in fsh.splitlines() if line.startswith("* SDOHCC")}


def check_profile(resource: dict) -> None:
    """The SDOHCC rules the R4B models cannot check (read off the guide's FSH profiles)."""
    if resource["resourceType"] == "Task":
        assert resource["status"] in _guide_task_statuses()           # status from ... (required)
        assert resource["intent"] == "order"                           # intent = #order (exactly)
        assert resource["code"]["coding"][0] == {"system": "http://hl7.org/fhir/CodeSystem/task-code",
                                                 "code": "fulfill", "display": "Fulfill the focal request"}
        assert resource["focus"]["reference"].startswith("ServiceRequest/")   # focus 1..
        assert resource["for"]["reference"].split("/")[0] in ("Group", "Patient", "RelatedPerson")
        assert resource["authoredOn"] and resource["requester"]["reference"]  # authoredOn 1.., requester 1..
        assert resource["requester"]["reference"].startswith(("Organization/", "PractitionerRole/"))
        if resource["status"] in ("rejected", "cancelled", "on-hold", "failed"):
            assert resource["statusReason"]["text"]                    # statusReason.text 1..
    if resource["resourceType"] == "ServiceRequest":
        assert resource["subject"]["reference"].split("/")[0] in ("Group", "Patient", "Location")
        categories = _guide_sdoh_categories()
        for category in resource.get("category", []):
            sdoh = [c for c in category["coding"] if "SDOHCC-CodeSystemTemporaryCodes" in c["system"]]
            assert all(c["code"] in categories for c in sdoh)         # category[SDOHCC] (required)


def valid(resource: dict) -> dict:
    """Parse with the R4B model (raises on any structural error) and check the profile rules."""
    MODELS[resource["resourceType"]].model_validate(resource)
    for entry in resource.get("entry", []):
        valid(entry["resource"])
    check_profile(resource)
    return resource


def _client_for(client, professional):
    _, key = token_create(actor_user=professional.user, name="case system")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def _get(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"].startswith("application/fhir+json"), response.content
    return response, json.loads(response.content)


@pytest.fixture
def s():
    return scene()


def test_metadata_needs_no_token_and_lists_what_works(client):
    response, body = _get(client, "/fhir/R4/metadata")
    assert response.status_code == 200 and valid(body)
    types = {r["type"]: r for r in body["rest"][0]["resource"]}
    assert set(types) == {"Task", "ServiceRequest", "Organization", "CarePlan", "Goal", "Group", "Patient",
                          "CareTeam", "Practitioner", "PractitionerRole", "RelatedPerson", "Consent",
                          "Observation", "HealthcareService"}
    assert {p["name"] for p in types["Task"]["searchParam"]} >= {"owner", "requester", "focus", "business-status"}


def test_a_request_without_a_token_is_an_operation_outcome_401(client):
    response, body = _get(client, "/fhir/R4/Task")
    assert response.status_code == 401 and valid(body)["issue"][0]["code"] == "login"


def test_the_receiver_reads_the_referral_as_task_and_service_request(client, s):
    referral = s.sent()
    fhir = _client_for(client, s.receiver)
    response, task = _get(fhir, f"/fhir/R4/Task/{referral.pk}")
    assert response.status_code == 200 and valid(task)
    assert task["status"] == "requested" and task["businessStatus"]["coding"][0]["code"] == "sent"
    assert task["owner"]["reference"] == f"Organization/{s.organisation.pk}"
    assert response["ETag"] == f'W/"{referral.version}"'
    _, request = _get(fhir, f"/fhir/R4/ServiceRequest/{referral.pk}")
    assert valid(request)["category"][0]["coding"][0]["code"] == "financial-insecurity"
    assert AuditEvent.objects.filter(action="fhir.task.read", family_id=s.family.pk,
                                     actor_id=s.receiver.user_id).exists()


def test_someone_on_neither_side_gets_a_404_and_the_refusal_is_audited(client, s):
    referral = s.sent()
    stranger = ProfessionalFactory()
    response, body = _get(_client_for(client, stranger), f"/fhir/R4/Task/{referral.pk}")
    assert response.status_code == 404 and valid(body)["issue"][0]["code"] == "not-found"
    assert AuditEvent.objects.filter(action="fhir.task.read", outcome="denied",
                                     actor_id=stranger.user_id).exists()


def test_a_draft_is_not_the_receivers_to_see(client, s):
    draft = s.create()
    response, _ = _get(_client_for(client, s.receiver), f"/fhir/R4/Task/{draft.pk}")
    assert response.status_code == 404


def test_search_by_owner_pages_by_keyset_and_stays_stable_while_data_changes(client, s):
    referrals = [s.sent(service_id=_other_service(s).pk) for _ in range(5)]
    fhir = _client_for(client, s.receiver)
    _, first = _get(fhir, "/fhir/R4/Task", owner=f"Organization/{s.organisation.pk}", _count=2)
    valid(first)
    assert [e["resource"]["id"] for e in first["entry"]] == [str(r.pk) for r in referrals[:2]]
    next_url = next(link["url"] for link in first["link"] if link["relation"] == "next")
    s.sent(service_id=_other_service(s).pk)  # a new referral meanwhile changes nothing for page two
    _, second = _get(fhir, next_url.split("testserver", 1)[1])
    assert [e["resource"]["id"] for e in valid(second)["entry"]] == [str(r.pk) for r in referrals[2:4]]
    previous = next(link["url"] for link in second["link"] if link["relation"] == "previous")
    _, back = _get(fhir, previous.split("testserver", 1)[1])
    assert [e["resource"]["id"] for e in back["entry"]] == [str(r.pk) for r in referrals[:2]]


def _other_service(s):
    service = ServiceFactory(organisation=s.organisation)
    add_contact(service, s.receiver)
    return service


def test_search_with_include_returns_the_focal_service_requests(client, s):
    referral = s.sent()
    _, body = _get(_client_for(client, s.receiver), "/fhir/R4/Task", _id=str(referral.pk),
                   _include="Task:focus")
    modes = [(e["resource"]["resourceType"], e["search"]["mode"]) for e in valid(body)["entry"]]
    assert modes == [("Task", "match"), ("ServiceRequest", "include")]


def test_search_filters_combine(client, s):
    sent = s.sent()
    other = s.sent(service_id=_other_service(s).pk)
    s.step(other, Status.RECEIVED)
    fhir = _client_for(client, s.receiver)
    _, body = _get(fhir, "/fhir/R4/Task", **{"business-status": "received", "requester":
                                             f"Organization/{sent.referrer_organisation_id}"})
    assert [e["resource"]["id"] for e in valid(body)["entry"]] == [str(other.pk)]
    _, body = _get(fhir, "/fhir/R4/Task", subject=f"Group/{s.family.pk}", status="requested")
    assert {e["resource"]["id"] for e in body["entry"]} == {str(sent.pk), str(other.pk)}


@pytest.mark.parametrize("params", [{"owner": "Patient/1"}, {"_count": "0"}, {"_count": "abc"},
                                    {"status": "received"}, {"_lastUpdated": "yesterday"},
                                    {"colour": "blue"}, {"_include": "Task:owner"},
                                    {"_after": "99999999999999999999999"}])
def test_malformed_or_unknown_search_parameters_are_a_400_operation_outcome(client, s, params):
    response, body = _get(_client_for(client, s.receiver), "/fhir/R4/Task", **params)
    assert response.status_code == 400 and valid(body)["resourceType"] == "OperationOutcome"


def _update(client, referral_id, body, version, *, patch=False):
    kwargs = {"HTTP_IF_MATCH": f'W/"{version}"'} if version is not None else {}
    if patch:
        return client.patch(f"/fhir/R4/Task/{referral_id}", json.dumps(body),
                            content_type="application/json-patch+json", **kwargs)
    return client.put(f"/fhir/R4/Task/{referral_id}", json.dumps(body),
                      content_type="application/fhir+json", **kwargs)


def test_the_receiving_system_accepts_with_a_put_like_on_the_page(client, s):
    referral = s.step(s.sent(), Status.RECEIVED)
    fhir = _client_for(client, s.receiver)
    _, task = _get(fhir, f"/fhir/R4/Task/{referral.pk}")
    task["status"] = "accepted"
    response = _update(fhir, referral.pk, task, referral.version)
    assert response.status_code == 200, response.content
    updated = valid(json.loads(response.content))
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED and updated["status"] == "accepted"
    step = ReferralStep.objects.filter(referral=referral).last()
    assert (step.to_status, step.actor) == (Status.ACCEPTED, s.receiver)
    assert response["ETag"] == f'W/"{referral.version}"'


def test_a_json_patch_declines_with_its_reason(client, s):
    referral = s.step(s.sent(), Status.RECEIVED)
    response = _update(_client_for(client, s.receiver), referral.pk, [
        {"op": "replace", "path": "/status", "value": "rejected"},
        {"op": "add", "path": "/statusReason", "value": {
            "coding": [{"system": "urn:oneplan:decline-reason", "code": "no_capacity"}],
            "text": "No places until March."}}], referral.version, patch=True)
    assert response.status_code == 200, response.content
    task = valid(json.loads(response.content))
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (Status.DECLINED, "no_capacity")
    assert task["status"] == "rejected" and "No places until March." in task["statusReason"]["text"]
    # One change, one trail: the step, not also a read of the Task before it.
    assert not AuditEvent.objects.filter(action="fhir.task.read", actor_id=s.receiver.user_id).exists()


def test_a_stale_version_is_412_and_changes_nothing(client, s):
    referral = s.step(s.sent(), Status.RECEIVED)
    fhir = _client_for(client, s.receiver)
    _, task = _get(fhir, f"/fhir/R4/Task/{referral.pk}")
    task["status"] = "accepted"
    response = _update(fhir, referral.pk, task, referral.version - 1)
    assert response.status_code == 412 and valid(json.loads(response.content))
    assert Referral.objects.get(pk=referral.pk).status == Status.RECEIVED


def test_an_update_without_if_match_is_refused(client, s):
    referral = s.step(s.sent(), Status.RECEIVED)
    response = _update(_client_for(client, s.receiver), referral.pk,
                       [{"op": "replace", "path": "/status", "value": "accepted"}], None, patch=True)
    assert response.status_code == 428


def test_a_step_that_is_not_the_senders_to_take_names_the_allowed_steps(client, s):
    referral = s.sent()
    response = _update(_client_for(client, s.referrer), referral.pk,
                       [{"op": "replace", "path": "/status", "value": "accepted"}], referral.version,
                       patch=True)
    body = valid(json.loads(response.content))
    assert response.status_code == 422 and body["issue"][0]["code"] == "business-rule"
    assert "cancelled (businessStatus cancelled)" in body["issue"][0]["diagnostics"]
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT
    assert AuditEvent.objects.filter(action="referral.accepted", outcome="denied").exists()


def test_an_update_may_not_change_anything_but_the_status(client, s):
    referral = s.step(s.sent(), Status.RECEIVED)
    response = _update(_client_for(client, s.receiver), referral.pk,
                       [{"op": "replace", "path": "/owner", "value": {"reference": "Organization/1"}}],
                       referral.version, patch=True)
    assert response.status_code == 422 and b"owner" in response.content


def test_the_receiver_ending_started_work_reads_as_failed(client, s):
    referral = s.step(s.step(s.step(s.sent(), Status.RECEIVED), Status.ACCEPTED), Status.IN_SERVICE)
    s.step(referral, Status.CANCELLED, note="The family stopped coming.")
    _, task = _get(_client_for(client, s.referrer), f"/fhir/R4/Task/{referral.pk}")
    assert valid(task)["status"] == "failed"
    assert task["statusReason"]["text"] == "The family stopped coming."


def test_the_referrer_cancelling_reads_as_cancelled(client, s):
    referral = s.sent()
    s.step(referral, Status.CANCELLED, actor=s.referrer, note="Found help elsewhere.")
    _, task = _get(_client_for(client, s.referrer), f"/fhir/R4/Task/{referral.pk}")
    assert valid(task)["status"] == "cancelled"


def test_an_unknown_path_or_method_is_an_operation_outcome(client, s):
    fhir = _client_for(client, s.receiver)
    response, body = _get(fhir, "/fhir/R4/Appointment")
    assert response.status_code == 404 and valid(body)
    response = fhir.delete("/fhir/R4/Task/1")
    assert response.status_code == 405 and valid(json.loads(response.content))
