"""The FHIR R4 endpoint at /fhir/R4/: referrals (Task, ServiceRequest) and organisations.

Every request acts as the professional whose token it carries, through the same selectors and
services as the pages: the same access rules, the same consent checks, the same audit log.
"""
import functools
import logging

from django.views.decorators.csrf import csrf_exempt

from oneplan.core.api import etag, expected_version
from oneplan.core.errors import DomainError
from oneplan.fhir import capability, resources, selectors, services
from oneplan.fhir.http import (
    FhirError,
    authenticate,
    body_json,
    from_domain_error,
    outcome,
    respond,
)
from oneplan.referrals.models import Referral

log = logging.getLogger(__name__)


def fhir_view(methods: tuple[str, ...], *, public: bool = False):
    """Method check, token, and every error as an OperationOutcome (never an HTML page)."""

    def decorate(view):
        @csrf_exempt  # bearer tokens, never cookies: nothing for a forged form to ride on
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                if request.method not in methods:
                    raise FhirError(405, "not-supported", f"{request.method} is not supported here; use "
                                    f"{', '.join(methods)}.", headers={"Allow": ", ".join(methods)})
                actor = None if public else authenticate(request)
                return view(request, actor, *args, **kwargs)
            except FhirError as error:
                return outcome(error)
            except DomainError as error:
                return outcome(from_domain_error(error))
            except Exception:
                log.exception("FHIR %s %s failed", request.method, request.path)
                return outcome(FhirError(500, "exception", "Something went wrong on our side; it is "
                                         "logged and nothing was half-saved. Try again later."))

        return wrapper

    return decorate


def _base(request) -> str:
    return request.build_absolute_uri(request.path)


@fhir_view(("POST",))
def transaction(request, actor):
    """A transaction Bundle: today, a referral (a ServiceRequest and its Task) from a partner."""
    referral = services.referral_from_bundle(actor=actor, bundle=body_json(request))
    entries = [{"fullUrl": request.build_absolute_uri(f"/fhir/R4/{kind}/{referral.pk}"),
                "resource": resource,
                "response": {"status": "201 Created", "location": f"{kind}/{referral.pk}/_history/{referral.version}",
                             "etag": etag(referral.version)}}
               for kind, resource in (("ServiceRequest", resources.service_request(referral)),
                                      ("Task", selectors.tasks([referral])[0]))]
    return respond({"resourceType": "Bundle", "type": "transaction-response", "entry": entries})


@fhir_view(("GET",), public=True)
def metadata(request, actor):
    return respond(capability.statement(request.build_absolute_uri("/fhir/R4")))


def _referral_response(resource: dict, referral: Referral):
    return respond(resource, headers={
        "ETag": etag(referral.version),
        "Last-Modified": referral.status_changed_at.strftime("%a, %d %b %Y %H:%M:%S GMT")})


@fhir_view(("GET",))
def task_search(request, actor):
    return respond(selectors.search_referrals(actor=actor, resource_type="Task", params=request.GET,
                                              base=_base(request)))


@fhir_view(("GET",))
def service_request_search(request, actor):
    return respond(selectors.search_referrals(actor=actor, resource_type="ServiceRequest",
                                              params=request.GET, base=_base(request)))


@fhir_view(("GET",))
def service_request_read(request, actor, resource_id):
    return _referral_response(*selectors.read_referral(actor=actor, resource_type="ServiceRequest",
                                                       referral_id=resource_id))


@fhir_view(("GET", "PUT", "PATCH"))
def task_instance(request, actor, resource_id):
    """Read a Task; or update its status (PUT of the Task, or a JSON Patch), If-Match required."""
    if request.method == "GET":
        return _referral_response(*selectors.read_referral(actor=actor, resource_type="Task",
                                                           referral_id=resource_id))
    version = str(expected_version(request))
    body = body_json(request)
    if request.method == "PATCH" and request.content_type != "application/json-patch+json":
        raise FhirError(415, "not-supported", "PATCH takes a JSON Patch (RFC 6902): Content-Type "
                        "application/json-patch+json.")
    change = {"operations": body} if request.method == "PATCH" else {"wanted": body}
    return _referral_response(*services.task_update(actor=actor, referral_id=resource_id, version=version,
                                                    **change))


# --- the family and its plan -------------------------------------------------------------------

@fhir_view(("GET",))
def group_read(request, actor, resource_id):
    return respond(selectors.read_group(actor=actor, family_id=resource_id))


@fhir_view(("GET",))
def patient_read(request, actor, resource_id):
    return respond(selectors.read_patient(actor=actor, person_id=resource_id))


@fhir_view(("GET",))
def care_plan_read(request, actor, resource_id):
    resource = selectors.read_care_plan(actor=actor, version_id=resource_id)
    return respond(resource, headers={"ETag": etag(resource["meta"]["versionId"])})


@fhir_view(("GET",))
def care_plan_search(request, actor):
    return respond(selectors.search_care_plans(actor=actor, params=request.GET, base=_base(request)))


@fhir_view(("GET",))
def goal_read(request, actor, resource_id):
    return respond(selectors.read_goal(actor=actor, goal_id=resource_id))


@fhir_view(("GET",))
def care_team_read(request, actor, resource_id):
    return respond(selectors.read_care_team(actor=actor, family_id=resource_id))


@fhir_view(("GET",))
def related_person_read(request, actor, resource_id):
    return respond(selectors.read_related_person(actor=actor, member_id=resource_id))


@fhir_view(("GET",))
def practitioner_read(request, actor, resource_id):
    return respond(selectors.read_practitioner(actor=actor, professional_id=resource_id))


@fhir_view(("GET",))
def consent_read(request, actor, resource_id):
    return respond(selectors.read_consent(actor=actor, consent_id=resource_id))


@fhir_view(("GET",))
def consent_search(request, actor):
    return respond(selectors.search_consents(actor=actor, params=request.GET, base=_base(request)))


@fhir_view(("GET",))
def observation_read(request, actor, resource_id):
    return respond(selectors.read_observation(actor=actor, observation_id=resource_id))


@fhir_view(("GET",))
def observation_search(request, actor):
    return respond(selectors.search_observations(actor=actor, params=request.GET, base=_base(request)))


@fhir_view(("GET",))
def healthcare_service_read(request, actor, resource_id):
    return respond(selectors.read_healthcare_service(service_id=resource_id))


@fhir_view(("GET",))
def healthcare_service_search(request, actor):
    return respond(selectors.search_healthcare_services(params=request.GET, base=_base(request)))


@fhir_view(("GET",))
def practitioner_search(request, actor):
    return respond(selectors.search_practitioners(params=request.GET, base=_base(request)))


@fhir_view(("GET",))
def practitioner_role_read(request, actor, resource_id):
    return respond(selectors.read_practitioner_role(actor=actor, member_id=resource_id))


def _family_search(kind: str):
    @fhir_view(("GET",))
    def view(request, actor):
        return respond(selectors.search_family_records(actor=actor, kind=kind, params=request.GET,
                                                       base=_base(request)))
    view.__name__ = f"{kind.lower()}_search"
    return view


group_search = _family_search("Group")
patient_search = _family_search("Patient")
care_team_search = _family_search("CareTeam")
related_person_search = _family_search("RelatedPerson")
practitioner_role_search = _family_search("PractitionerRole")
goal_search = _family_search("Goal")


# --- organisations -------------------------------------------------------------------------------

@fhir_view(("GET",))
def organization_read(request, actor, resource_id):
    return respond(selectors.read_organization(organisation_id=resource_id))


@fhir_view(("GET",))
def organization_search(request, actor):
    return respond(selectors.search_organizations(params=request.GET, base=_base(request)))


@fhir_view(("GET", "POST", "PUT", "PATCH", "DELETE"))
def unknown(request, actor, path=""):
    raise FhirError(404, "not-supported", f"There is nothing at {request.path}. The resources and "
                    "interactions this server supports are listed at /fhir/R4/metadata.")
