"""Writes through the FHIR endpoint: a receiving (or referring) system moves a referral's Task.

The step goes through `referrals.services.referral_step`, exactly as on the referral page: the
same side rules, the same history, inbox notices and audit events.
"""
from oneplan.accounts.models import Professional
from oneplan.core.errors import InvalidTransition
from oneplan.core.layers import service
from oneplan.families.models import Membership
from oneplan.fhir import patch, resources
from oneplan.fhir.http import FhirError
from oneplan.fhir.selectors import tasks
from oneplan.referrals import services as referral_services
from oneplan.referrals.models import DeclineReason, Referral
from oneplan.referrals.rules import referral_access
from oneplan.referrals.workflow import FHIR_TASK_STATUS, Status, next_steps

# A status a system asks for, as FHIR says it, when it sends no businessStatus of ours.
FROM_FHIR_STATUS = {"accepted": Status.ACCEPTED, "rejected": Status.DECLINED,
                    "in-progress": Status.IN_SERVICE, "completed": Status.COMPLETED,
                    "cancelled": Status.CANCELLED, "failed": Status.CANCELLED}
# What an update may change; everything else must be as the Task is now.
CHANGEABLE = frozenset({"status", "businessStatus", "statusReason", "meta", "lastModified"})


def _target(current: dict, wanted: dict, referral: Referral) -> str:
    """oneplan's status the update asks for: a changed businessStatus in oneplan's code system
    wins; otherwise a changed Task.status."""
    business = wanted.get("businessStatus")
    for coding in (business.get("coding", []) if isinstance(business, dict) else []):
        if isinstance(coding, dict) and coding.get("system") == resources.REFERRAL_STATUS_SYSTEM:
            code = coding.get("code")
            if code not in Status.values:
                raise FhirError(422, "code-invalid", f"businessStatus {code!r} is not one of "
                                f"{', '.join(Status.values)}.")
            if code != referral.status:
                return code
    status = wanted.get("status")
    if status == current["status"]:
        return referral.status
    if status == "requested" and referral.status == Status.SENT:
        return Status.RECEIVED  # receipt confirmed; the guide keeps Task.status `requested`
    if status not in FROM_FHIR_STATUS:
        raise FhirError(422, "business-rule", f"A referral Task cannot be set to status {status!r}.")
    return FROM_FHIR_STATUS[status]


def _reason(wanted: dict) -> tuple[str, str]:
    """(note, decline reason code) from statusReason."""
    reason = wanted.get("statusReason")
    if not isinstance(reason, dict):
        return "", ""
    text = reason.get("text") if isinstance(reason.get("text"), str) else ""
    codes = [c.get("code") for c in reason.get("coding", []) if isinstance(c, dict)
             and c.get("system") == resources.DECLINE_REASON_SYSTEM]
    return text, (codes[0] if codes and codes[0] in DeclineReason.values else "")


@service
def task_update(*, actor: Professional, referral_id, version: str, wanted: dict | None = None,
                operations: list | None = None) -> tuple[dict, Referral]:
    """Apply an updated Task (`wanted`, a PUT) or a JSON Patch (`operations`) to the Task as it
    is: only status, businessStatus and statusReason may change; `version` is the If-Match
    version. Returns the Task as it is afterwards, with its referral."""
    access = referral_access(actor, referral_id, "fhir.task.update", for_update=True)
    referral = access.referral
    if str(referral.version) != version:
        raise FhirError(412, "conflict", f"The Task changed since version {version}: it is at version "
                        f"{referral.version} now. Read it again and decide on what it says now.")
    current = tasks([referral])[0]
    if operations is not None:
        wanted = patch.apply(current, operations)
    if not isinstance(wanted, dict) or wanted.get("resourceType") != "Task" \
            or str(wanted.get("id", referral.pk)) != str(referral.pk):
        raise FhirError(400, "invalid", "The body must be this Task (resourceType Task, the same id).")
    changed = sorted(k for k in set(current) | set(wanted)
                     if k not in CHANGEABLE and current.get(k) != wanted.get(k))
    if changed:
        raise FhirError(422, "business-rule", "Only status, businessStatus and statusReason of a "
                        f"referral Task can change; this update also changes: {', '.join(changed)}.")
    to = _target(current, wanted, referral)
    if to == referral.status:
        return current, referral
    note, decline = _reason(wanted)
    if to == Status.DECLINED and not decline:
        decline = DeclineReason.OTHER
    try:
        referral = referral_services.referral_step(actor=actor, referral_id=referral.pk, to_status=to,
                                                   version=referral.version, note=note, decline_reason=decline)
        return tasks([referral])[0], referral
    except InvalidTransition as error:
        allowed = next_steps(referral.status, set(access.sides))
        steps = ", ".join(f"{FHIR_TASK_STATUS[s]} (businessStatus {s})" for s in allowed) or "none"
        error.message = f"{error.message} Steps you may take now: {steps}."
        raise


# --- a referral from a partner's system: a transaction Bundle -----------------------------------

def _entries(bundle) -> dict[str, tuple[str, dict]]:
    """{resourceType: (fullUrl, resource)} of a transaction Bundle with one ServiceRequest and one Task."""
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle" or bundle.get("type") != "transaction":
        raise FhirError(400, "invalid", "POST a Bundle of type transaction to /fhir/R4/.")
    found = {}
    for entry in bundle.get("entry") or []:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        request = entry.get("request") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if kind not in ("ServiceRequest", "Task") or kind in found:
            raise FhirError(422, "not-supported", "A transaction here holds one ServiceRequest and one Task "
                            "(the referral), nothing else.")
        if not isinstance(request, dict) or request.get("method") != "POST" or request.get("url") != kind:
            raise FhirError(400, "invalid", f"The {kind} entry needs request {{method: POST, url: {kind}}}.")
        found[kind] = (entry.get("fullUrl", ""), resource)
    if set(found) != {"ServiceRequest", "Task"}:
        raise FhirError(422, "required", "A referral is a ServiceRequest and a Task in one transaction.")
    return found


def _codes(concepts, system: str) -> list[str]:
    return [c.get("code") for concept in (concepts or []) if isinstance(concept, dict)
            for c in concept.get("coding", []) if isinstance(c, dict) and c.get("system") == system]


def _referral_input(request: dict) -> dict:
    """referral_create's arguments from the ServiceRequest (docs/interoperability.md)."""
    subject = (request.get("subject") or {}).get("reference", "")
    kind, _, family_id = subject.partition("/")
    if kind != "Group" or not family_id.isdigit():
        raise FhirError(422, "required", "ServiceRequest.subject is the household: Group/<id>.")
    services = [r.get("reference", "").partition("/")[2] for r in request.get("performer") or []
                if isinstance(r, dict) and r.get("reference", "").startswith("HealthcareService/")]
    services += _codes([request.get("code")], "urn:oneplan:service")
    if len(services) != 1:
        raise FhirError(422, "required", "Name the service once: ServiceRequest.performer "
                        "HealthcareService/<id> (or code in system urn:oneplan:service).")
    persons = [r.get("reference", "").partition("/")[2] for r in request.get("supportingInfo") or []
               if isinstance(r, dict) and r.get("reference", "").startswith("Patient/")]
    notes = [n.get("text") for n in request.get("note") or [] if isinstance(n, dict) and n.get("text")]
    priority = {v: k for k, v in resources.PRIORITY.items()}.get(request.get("priority", "routine"))
    if priority is None:
        raise FhirError(422, "code-invalid", "ServiceRequest.priority takes routine, urgent or asap.")
    return {"family_id": int(family_id), "service_id": services[0], "person_ids": persons,
            "needs": _codes(request.get("category"), resources.LIFE_DOMAIN_SYSTEM),
            "question": "\n\n".join(notes), "urgency": priority,
            "shared_categories": [c for c in _codes(request.get("orderDetail"), "urn:oneplan:data-category")
                                  if c != "identity"]}


@service
def referral_from_bundle(*, actor: Professional, bundle) -> Referral:
    """Create the referral a partner's system sends (and send it when its Task is `requested`):
    the same checks as the referral page, consent included; all or nothing."""
    found = _entries(bundle)
    request_url, request = found["ServiceRequest"]
    _, task = found["Task"]
    focus = (task.get("focus") or {}).get("reference")
    if request_url and focus != request_url:
        raise FhirError(422, "invalid", f"Task.focus must point at the ServiceRequest ({request_url}).")
    if task.get("intent") != "order" or task.get("status") not in ("draft", "requested"):
        raise FhirError(422, "business-rule", "A new referral Task has intent order and status draft "
                        "(keep it as a draft) or requested (send it).")
    values = _referral_input(request)
    if not values["person_ids"]:  # no one named: everyone living in the household now
        values["person_ids"] = list(Membership.objects.filter(family_id=values["family_id"], ended_on__isnull=True)
                                    .values_list("person_id", flat=True))
    referral = referral_services.referral_create(actor=actor, **values)
    if task["status"] == "requested":
        referral = referral_services.referral_send(actor=actor, referral_id=referral.pk)
    return referral
