"""HSDS 3.0 exchange of the directory under /hsds/: other directories read our services in the
Open Referral shape (`/hsds/services`, `/hsds/services/{id}`), with a personal API token.

The directory holds no family data, but it names professionals as contact people, so a token
(or a logged-in session) is required. Life domains travel as HSDS attributes of the
taxonomy "oneplan-life-domains"; the waiting time in weeks as an attribute as well.
"""
import math

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from oneplan.accounts import services as account_services
from oneplan.accounts import throttle
from oneplan.core.api import MISSING_TOKEN, problem, problem_type
from oneplan.core.errors import NotFound
from oneplan.directory import domains, selectors
from oneplan.directory.models import Service

HSDS_VERSION = "3.0"
MAX_PER_PAGE = 100
TAXONOMY = "oneplan-life-domains"


def _authenticated(request) -> JsonResponse | None:
    """The same token check and wording as /api/v1/ (oneplan.api), answered as problem JSON."""

    if request.user.is_authenticated and hasattr(request.user, "professional"):
        return None
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return problem(request, status=401, title="Not authenticated", type=problem_type("not-authenticated"),
                       detail=MISSING_TOKEN,
                       headers={"WWW-Authenticate": 'Bearer realm="oneplan"'})
    try:
        account_services.token_authenticate(key=header[len("Bearer "):],
                                            address=throttle.source_address(request))
    except account_services.TokenRejected as rejected:
        return problem(request, status=401, title="Not authenticated", type=problem_type("not-authenticated"),
                       detail=rejected.message, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return None


def _int(request, name: str, default: int, low: int, high: int) -> int:
    value = request.GET.get(name, "")
    if value == "":
        return default
    # ASCII digits only: str.isdigit() and int() also take "١٢" and "²".
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise ValueError(f"'{name}' must be a whole number from {low} to {high}.")
    return int(value)


def service_json(item: Service, *, full: bool) -> dict:
    names = domains.names()
    data = {
        "id": str(item.pk), "organization_id": str(item.organisation_id), "name": item.name,
        "alternate_name": item.alternate_name or None, "description": item.description,
        "url": item.url or None, "email": item.email or None, "status": item.status,
        "interpretation_services": item.interpretation_services or None,
        "application_process": item.application_process or None,
        "fees_description": item.fees_description or None,
        "eligibility_description": item.eligibility_description or None,
        "minimum_age": item.minimum_age, "maximum_age": item.maximum_age,
        "last_modified": item.updated_at.isoformat(),
        "organization": {"id": str(item.organisation_id), "name": item.organisation.name,
                         "email": item.organisation.email or None, "website": item.organisation.website or None},
        "languages": [{"id": f"{item.pk}-{lang.code}", "name": lang.get_code_display(), "code": lang.code}
                      for lang in item.languages.all()],
        "service_areas": [{"id": str(area.pk), "name": area.name} for area in item.areas.all()],
        "attributes": [{"id": f"{item.pk}-{d.domain}", "link_entity": "service", "value": d.domain,
                        "taxonomy_term": {"id": d.domain, "term": d.domain, "name": names.get(d.domain, d.domain),
                                          "taxonomy": TAXONOMY}} for d in item.domains.all()]
        + ([{"id": f"{item.pk}-wait", "link_entity": "service", "value": str(item.wait_weeks),
             "label": "waiting time in weeks", "taxonomy_term": {"id": "wait_weeks", "term": "wait_weeks",
                                                                 "name": "Waiting time (weeks)",
                                                                 "taxonomy": "oneplan"}}]
           if item.wait_weeks is not None else []),
    }
    if full:
        data["phones"] = [{"id": f"{item.pk}-phone", "number": item.phone}] if item.phone else []
        data["contacts"] = [{"id": str(c.pk), "name": c.shown_name, "title": c.shown_title or None,
                             "email": c.shown_email or None,
                             "phones": [{"id": f"c{c.pk}", "number": c.shown_phone}] if c.shown_phone else []}
                            for c in item.contacts.all()]
        data["service_at_locations"] = [{"id": str(loc.pk), "location": {
            "id": str(loc.pk), "location_type": "physical", "name": loc.name,
            "addresses": [{"id": str(loc.pk), "address_1": loc.address_1, "city": loc.city,
                           "postal_code": loc.postal_code, "country": "NL", "address_type": "physical"}]}}
            for loc in item.locations.all()]
        data["schedules"] = ([{"id": f"{item.pk}-schedule", "description": item.schedule_description}]
                             if item.schedule_description else [])
    return data


@require_GET
def root(request):
    return JsonResponse({"version": HSDS_VERSION, "profile": "https://openreferral.org/hsds",
                         "openapi_url": "https://docs.openreferral.org/en/latest/hsds/openapi.html"})


@require_GET
def services(request):
    refused = _authenticated(request)
    if refused:
        return refused
    try:
        page = _int(request, "page", 1, 1, 10**6)
        per_page = _int(request, "per_page", 50, 1, MAX_PER_PAGE)
        if "\x00" in request.GET.get("search", ""):  # PostgreSQL text cannot hold NUL: a 500
            raise ValueError("'search' must not contain a NUL character.")
    except ValueError as error:
        return problem(request, status=400, title="Invalid input", type=problem_type("invalid-input"),
                       detail=str(error))
    qs = selectors.search(selectors.Search(text=request.GET.get("search", ""),
                                           include_inactive=request.GET.get("status") == "all"))
    total = qs.count()
    items = list(qs[(page - 1) * per_page:page * per_page])
    pages = max(1, math.ceil(total / per_page))
    return JsonResponse({"total_items": total, "total_pages": pages, "page_number": page, "size": len(items),
                         "first_page": page == 1, "last_page": page >= pages, "empty": not items,
                         "contents": [service_json(i, full=False) for i in items]},
                        json_dumps_params={"ensure_ascii": False})


@require_GET
def service(request, service_id):
    refused = _authenticated(request)
    if refused:
        return refused
    try:
        item = selectors.service_detail(service_id)
    except NotFound:  # problem JSON, not the HTML page
        return problem(request, status=404, title="Not found", type=problem_type("not-found"),
                       detail="There is no service with this id.")
    return JsonResponse(service_json(item, full=True), json_dumps_params={"ensure_ascii": False})
