"""The CapabilityStatement: exactly the resources, interactions and search parameters served."""
from oneplan.fhir import resources

SEARCH_TYPES = {"_id": "token", "_lastUpdated": "date", "subject": "reference", "patient": "reference",
                "status": "token", "owner": "reference", "requester": "reference", "focus": "reference",
                "business-status": "token", "performer": "reference", "name": "string",
                "organization": "reference", "active": "token"}
PAGING = [("_count", "number", "Entries per page, 1-100 (default 20)."),
          ("_after", "number", "Keyset paging: the page after this id (use the Bundle's next link)."),
          ("_before", "number", "Keyset paging: the page before this id (the Bundle's previous link).")]


def _params(names: list[str]) -> list[dict]:
    params = [{"name": n, "type": SEARCH_TYPES[n]} for n in names]
    return params + [{"name": n, "type": t, "documentation": d} for n, t, d in PAGING]


def statement(base: str) -> dict:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-11-30",
        "publisher": "oneplan",
        "kind": "instance",
        "software": {"name": "oneplan"},
        "implementation": {"description": "oneplan FHIR R4 endpoint", "url": base},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json"],
        "patchFormat": ["application/json-patch+json"],
        "rest": [{
            "mode": "server",
            "documentation": "Every request but this one needs 'Authorization: Bearer <token>' (a "
                             "personal API token); it acts as that professional, under the same "
                             "access rules as oneplan's pages. No access is a 404. Errors are "
                             "OperationOutcome resources.",
            "security": {"service": [{"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                "code": "OAuth", "display": "OAuth"}], "text": "Bearer token (oneplan API token)"}]},
            "interaction": [{"code": "transaction", "documentation": "A referral from a partner's "
                             "system: one ServiceRequest and its Task (draft, or requested to send it)."}],
            "resource": [
                {"type": "Task", "supportedProfile": [resources.TASK_PROFILE],
                 "interaction": [{"code": "read"}, {"code": "search-type"}, {"code": "update"},
                                 {"code": "patch"}, {"code": "create", "documentation": "only in a "
                                                     "transaction with its ServiceRequest"}],
                 "versioning": "versioned-update", "readHistory": False, "updateCreate": False,
                 "conditionalUpdate": False,
                 "searchInclude": ["Task:focus"],
                 "searchParam": _params(["_id", "_lastUpdated", "subject", "patient", "status", "owner",
                                         "requester", "focus", "business-status"])},
                {"type": "ServiceRequest", "supportedProfile": [resources.SERVICE_REQUEST_PROFILE],
                 "interaction": [{"code": "read"}, {"code": "search-type"}],
                 "searchParam": _params(["_id", "_lastUpdated", "subject", "patient", "status",
                                         "requester", "performer"])},
                {"type": "CarePlan", "interaction": [{"code": "read"}, {"code": "search-type"}],
                 "documentation": "An agreed plan version: active (the latest), revoked (replaced by "
                                  "a later one) or completed (the family's file is closed).",
                 "searchParam": _params(["_id", "_lastUpdated", "subject", "patient", "status"])},
                {"type": "Goal", "interaction": [{"code": "read"}, {"code": "search-type"}],
                 "searchParam": _params(["_id", "subject"]),
                 "documentation": "A goal of an agreed plan version in the family's own words, its "
                                  "Goal Attainment Scaling levels as targets, the latest level reached."},
                {"type": "Group", "interaction": [{"code": "read"}, {"code": "search-type"}],
                 "searchParam": _params(["_id"]),
                 "documentation": "The household, its members as Patients."},
                {"type": "Patient", "interaction": [{"code": "read"}, {"code": "search-type"}],
                 "searchParam": _params(["_id", "subject"]),
                 "documentation": "A person of a household (never the national identifier)."},
                {"type": "CareTeam", "interaction": [{"code": "read"}, {"code": "search-type"}],
                 "searchParam": _params(["_id", "subject"]),
                 "documentation": "A family's care team (id: the family's); members as Practitioners "
                                  "on behalf of their Organization."},
                {"type": "Practitioner", "interaction": [{"code": "read"}, {"code": "search-type"}],
                 "searchParam": _params(["_id", "name"])},
                {"type": "PractitionerRole", "interaction": [{"code": "read"}, {"code": "search-type"}],
                 "documentation": "A professional's place on one family's care team (id: the team "
                                  "membership): organisation, role, period.",
                 "searchParam": _params(["_id", "subject"])},
                {"type": "RelatedPerson", "interaction": [{"code": "read"}, {"code": "search-type"}],
                 "searchParam": _params(["_id", "subject"]),
                 "documentation": "Someone of the family's informal network."},
                {"type": "Consent", "interaction": [{"code": "read"}, {"code": "search-type"}],
                 "documentation": "Per organisation and data category, with its period and who gave it. "
                                  "Search needs subject=Group/<id>.",
                 "searchParam": _params(["subject", "patient", "status"])},
                {"type": "Observation", "interaction": [{"code": "read"}, {"code": "search-type"}],
                 "documentation": "Domain scores of an assessment; the professional's and the family's "
                                  "own score are separate Observations (method). Search needs "
                                  "subject=Group/<id>.",
                 "searchParam": _params(["subject", "patient"])},
                {"type": "HealthcareService", "interaction": [{"code": "read"}, {"code": "search-type"}],
                 "searchParam": _params(["_id", "organization", "name", "active"])},
                {"type": "Organization",
                 "interaction": [{"code": "read"}, {"code": "search-type"}],
                 "searchParam": _params(["_id", "name"])},
            ],
        }],
    }
