"""FHIR's HTTP plumbing: JSON as application/fhir+json, OperationOutcome errors, bearer tokens."""
import json
import logging

from django.http import HttpResponse

from oneplan.accounts import services as account_services
from oneplan.accounts import throttle
from oneplan.core.errors import (
    AccessDenied,
    ConsentMissing,
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    StaleEdit,
)

log = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json"


class FhirError(Exception):
    """An answer as an OperationOutcome: HTTP status, issue code (R4 issue-type) and words."""

    def __init__(self, status: int, code: str, diagnostics: str, *, headers: dict | None = None):
        super().__init__(diagnostics)
        self.status, self.code, self.diagnostics, self.headers = status, code, diagnostics, headers or {}


# A domain error from a service, as FHIR says it (R4 issue-type codes).
DOMAIN_ERRORS = [
    (NotFound, 404, "not-found"),
    (PreconditionRequired, 428, "required"),
    (PreconditionFailed, 412, "conflict"),
    (StaleEdit, 412, "conflict"),
    (InvalidTransition, 422, "business-rule"),
    (ConsentMissing, 422, "business-rule"),
    (AccessDenied, 403, "forbidden"),
    (InvalidInput, 400, "invalid"),
]


def from_domain_error(error: DomainError) -> FhirError:
    for cls, status, code in DOMAIN_ERRORS:
        if isinstance(error, cls):
            return FhirError(status, code, error.message)
    return FhirError(error.status, "processing", error.message)


def respond(resource: dict, *, status: int = 200, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(resource, ensure_ascii=False), status=status,
                            content_type=f"{FHIR_JSON}; charset=utf-8")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def outcome(error: FhirError) -> HttpResponse:
    severity = "fatal" if error.status >= 500 else "error"
    body = {"resourceType": "OperationOutcome",
            "issue": [{"severity": severity, "code": error.code, "diagnostics": error.diagnostics}]}
    return respond(body, status=error.status, headers=error.headers)


def authenticate(request):
    """The Professional behind `Authorization: Bearer <token>`, or FhirError 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise FhirError(401, "login", "Send your API token in the Authorization header: "
                        "'Authorization: Bearer <token>'.",
                        headers={"WWW-Authenticate": 'Bearer realm="oneplan"'})
    try:
        professional = account_services.token_authenticate(key=key.strip(),
                                                            address=throttle.source_address(request))
    except account_services.TokenRejected as rejected:
        raise FhirError(401, "login", rejected.message,
                        headers={"WWW-Authenticate": 'Bearer realm="oneplan", error="invalid_token"'}) from None
    request.user = professional.user
    return professional


def body_json(request) -> dict:
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise FhirError(400, "structure", "The body is not valid JSON.") from None
    if not isinstance(data, (dict, list)):
        raise FhirError(400, "structure", "The body must be a JSON object.")
    return data
