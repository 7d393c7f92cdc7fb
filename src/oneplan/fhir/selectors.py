"""Reads behind the FHIR endpoint: the same access rules as the pages, every read audited."""
from oneplan.accounts.models import Professional
from oneplan.audit.services import record, record_many
from oneplan.core.layers import selector
from oneplan.fhir import resources, search
from oneplan.fhir.http import FhirError
from oneplan.referrals import selectors as referral_selectors
from oneplan.referrals.models import DeclineReason, Referral, ReferralStep
from oneplan.referrals.rules import referral_access
from oneplan.referrals.workflow import FHIR_TASK_STATUS, Status

# The steps whose note is the Task's statusReason.
REASON_STEPS = frozenset({Status.DECLINED, Status.CANCELLED})

SEARCH_PARAMS = {
    "Task": {"_id", "_lastUpdated", "subject", "patient", "status", "owner", "requester", "focus",
             "business-status", "_include"},
    "ServiceRequest": {"_id", "_lastUpdated", "subject", "patient", "status", "requester", "performer"},
}
# FHIR status -> oneplan statuses it may stand for (cancelled and failed share one).
TASK_STATUSES: dict[str, set] = {}
for _status, _fhir in FHIR_TASK_STATUS.items():
    TASK_STATUSES.setdefault(_fhir, set()).add(_status)
TASK_STATUSES["failed"] = {Status.CANCELLED}
SERVICE_REQUEST_STATUSES: dict[str, set] = {}
for _status in Status.values:
    SERVICE_REQUEST_STATUSES.setdefault(resources.SERVICE_REQUEST_STATUS.get(_status, "active"),
                                        set()).add(_status)


def tasks(referrals: list[Referral]) -> list[dict]:
    """Task resources for these referrals: with who ended them and the last reason given."""
    ended = referral_selectors.ended_by_receiver_from(referrals)
    needing = [r.pk for r in referrals if r.status in REASON_STEPS]
    notes = {}
    if needing:
        for step in ReferralStep.objects.filter(referral_id__in=needing).order_by("at", "id"):
            if step.to_status in REASON_STEPS and step.note:
                notes[step.referral_id] = step.note
    found = []
    for referral in referrals:
        reason = notes.get(referral.pk, "")
        if referral.status == Status.DECLINED and referral.decline_reason:
            label = str(DeclineReason(referral.decline_reason).label)
            reason = f"{label}: {referral.decline_text}" if referral.decline_text else label
        found.append(resources.task(referral, ended_from=ended.get(referral.pk), reason=reason))
    return found


def unknown_parameters(params, allowed: set[str]) -> None:
    unknown = sorted(set(params) - allowed - set(search.PAGING))
    if unknown:
        raise FhirError(400, "not-supported", f"Search parameter(s) not supported: {', '.join(unknown)}. "
                        f"Supported: {', '.join(sorted(allowed | set(search.PAGING)))} (see /fhir/R4/metadata).")


def _query(actor: Professional, resource_type: str, params):
    unknown_parameters(params, SEARCH_PARAMS[resource_type])
    qs = referral_selectors.visible_to(actor)
    if "_id" in params:
        qs = qs.filter(pk__in=search.id_values(params["_id"]))
    for raw in params.getlist("_lastUpdated"):
        qs = qs.filter(search.date_filter(raw, "status_changed_at", "_lastUpdated"))
    if "subject" in params:
        qs = qs.filter(family_id__in=search.reference_ids(params["subject"], "Group", "subject"))
    if "patient" in params:
        persons = search.reference_ids(params["patient"], "Patient", "patient")
        qs = qs.filter(pk__in=Referral.persons.through.objects.filter(person_id__in=persons)
                       .values("referral_id"))
    if "status" in params:
        table = TASK_STATUSES if resource_type == "Task" else SERVICE_REQUEST_STATUSES
        wanted = search.values(params["status"])
        if not wanted or any(w not in table for w in wanted):
            raise FhirError(400, "invalid", f"status takes {', '.join(sorted(table))}: not {params['status']!r}.")
        qs = qs.filter(status__in={s for w in wanted for s in table[w]})
    for param, field, kind in (("owner", "organisation_id", "Organization"),
                               ("performer", "organisation_id", "Organization"),
                               ("requester", "referrer_organisation_id", "Organization"),
                               ("focus", "pk", "ServiceRequest")):
        if param in params:
            qs = qs.filter(**{f"{field}__in": search.reference_ids(params[param], kind, param)})
    if "business-status" in params:
        codes = [v.rpartition("|")[2] for v in search.values(params["business-status"])]
        if not codes or any(c not in Status.values for c in codes):
            raise FhirError(400, "invalid", f"business-status takes {', '.join(Status.values)}.")
        qs = qs.filter(status__in=codes)
    includes = params.getlist("_include")
    if any(i != "Task:focus" for i in includes):
        raise FhirError(400, "not-supported", "Only _include=Task:focus is supported.")
    return qs.select_related("organisation", "referrer_organisation", "service"), bool(includes)


@selector
def search_referrals(*, actor: Professional, resource_type: str, params, base: str) -> dict:
    """A searchset Bundle of the referrals the actor sees, as Tasks or ServiceRequests; one audit
    event per family on the page."""
    qs, include_focus = _query(actor, resource_type, params)
    rows, marks = search.page(qs, params)
    included = []
    if resource_type == "Task":
        found = tasks(rows)
        if "status" in params:  # cancelled and failed are one oneplan status: keep what was asked
            wanted = set(search.values(params["status"]))
            kept = [(row, res) for row, res in zip(rows, found) if res["status"] in wanted]
            rows, found = [r for r, _ in kept], [res for _, res in kept]
        if include_focus:
            included = [resources.service_request(r) for r in rows]
    else:
        found = [resources.service_request(r) for r in rows]
    record_many(actor, f"fhir.{resource_type.lower()}.search", families=[r.family_id for r in rows],
                object_type="referrals.referral", reason=params.urlencode()[:500])
    return search.bundle(base, params, found, marks, included=included)


@selector
def read_referral(*, actor: Professional, resource_type: str, referral_id) -> tuple[dict, Referral]:
    """One referral as a Task or ServiceRequest (a referral the actor may not see is a 404)."""
    action = f"fhir.{resource_type.lower()}.read"
    referral = referral_access(actor, referral_id, action).referral
    record(actor, action, referral, family=referral.family_id)
    resource = tasks([referral])[0] if resource_type == "Task" else resources.service_request(referral)
    return resource, referral
