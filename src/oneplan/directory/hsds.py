"""HSDS 3.0 exchange of the directory under /hsds/: the eleven endpoints of the standard's
openapi.json (services, organizations, service_at_locations, taxonomies, taxonomy_terms, each
listed and by id, and the root), with a personal API token.

The directory holds no family data, but it names professionals as contact people, so a token
(or a logged-in session) is required. Every query parameter the standard names for an endpoint
is honoured and they combine; an unknown parameter or a malformed value is a 400 problem JSON,
never ignored. Shapes: hsds_out.py.
"""
import copy
import datetime as dt
import uuid

from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET

from oneplan.accounts import services as account_services
from oneplan.accounts import throttle
from oneplan.core.api import MISSING_TOKEN, problem, problem_type
from oneplan.directory import hsds_out as out
from oneplan.directory import hsds_schema, selectors

HSDS_VERSION = "3.0"
MAX_PER_PAGE = 100
# `minimal` asks to "aim to return all services within one page" (openapi.json): a larger page.
MAX_MINIMAL_PER_PAGE = 10_000
DEFAULT_PER_PAGE = 50

PAGING = ("page", "per_page", "format")
ALLOWED = {
    "services": {"search", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after",
                 "minimal", "full", *PAGING},
    "organizations": {"search", "full_service", "full", *PAGING},
    "organization": {"full_service"},
    "service_at_locations": {"search", "taxonomy_term_id", "taxonomy_id", "organization_id",
                             "modified_after", "full", "postcode", "proximity", *PAGING},
    "taxonomies": {"search", *PAGING},
    "taxonomy_terms": {"search", "taxonomy_id", "top_only", "parent_id", *PAGING},
    "one": set(),
}


class BadParameter(ValueError):
    pass


class NotThere(LookupError):
    pass


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


class Params:
    """The query string of one endpoint: only its names, each value checked once."""

    def __init__(self, request, endpoint: str):
        self.get = request.GET
        unknown = sorted(set(self.get) - ALLOWED[endpoint])
        if unknown:
            allowed = ", ".join(sorted(ALLOWED[endpoint])) or "none"
            raise BadParameter(f"Unknown parameter {unknown[0]!r}; this endpoint takes: {allowed}.")
        for name in self.get:
            if len(self.get.getlist(name)) > 1:
                raise BadParameter(f"Give {name!r} once.")
            if "\x00" in self.get[name]:  # PostgreSQL text cannot hold NUL
                raise BadParameter(f"{name!r} must not contain a NUL character.")
        if self.get.get("format", "json") != "json":
            raise BadParameter("'format' can only be 'json' here; 'ndjson' streaming is not offered.")

    def text(self, name: str) -> str:
        return self.get.get(name, "")

    def flag(self, name: str) -> bool:
        value = self.get.get(name, "false")
        if value not in ("true", "false"):
            raise BadParameter(f"{name!r} must be 'true' or 'false'.")
        return value == "true"

    def whole(self, name: str, default: int, high: int) -> int:
        value = self.get.get(name, "")
        if value == "":
            return default
        # ASCII digits only: str.isdigit() and int() also take "١٢" and "²".
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= high:
            raise BadParameter(f"{name!r} must be a whole number from 1 to {high}.")
        return int(value)

    def uuid(self, name: str) -> str | None:
        value = self.get.get(name)
        return None if value is None else _uuid(value, name)

    def moment(self, name: str) -> dt.datetime | None:
        value = self.get.get(name)
        if value is None:
            return None
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None:
            raise BadParameter(f"{name!r} must be a date and time, like 2026-06-01T00:00:00Z.")
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _uuid(value: str, name: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise BadParameter(f"{name!r} must be a UUID, like 3f7b145d-84af-42d7-8fae-eaca714b02b2.") from None


def _bad(request, error: BadParameter) -> JsonResponse:
    return problem(request, status=400, title="Invalid input", type=problem_type("invalid-input"),
                   detail=str(error))


def _json(data) -> JsonResponse:
    return JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})


def endpoint(name: str):
    """Token check, parameter check, 400 for bad input and 404 for an unknown id, as problem JSON."""

    def wrap(fn):
        @require_GET
        def view(request, **kwargs):
            refused = _authenticated(request)
            if refused:
                return refused
            try:
                params = Params(request, name)
                return _json(fn(request, params, **kwargs))
            except BadParameter as error:
                return _bad(request, error)
            except NotThere as error:
                return problem(request, status=404, title="Not found", type=problem_type("not-found"),
                               detail=str(error))

        view.__name__ = fn.__name__
        view.__doc__ = fn.__doc__
        return view

    return wrap


def _page(params: Params, qs, render, *, default: int = DEFAULT_PER_PAGE, high: int = MAX_PER_PAGE) -> dict:
    page = params.whole("page", 1, 10**6)
    per_page = params.whole("per_page", default, high)
    total = len(qs) if isinstance(qs, list) else qs.count()
    items = list(qs[(page - 1) * per_page:page * per_page])
    return out.page_json(total=total, page=page, per_page=per_page, contents=[render(i) for i in items])


def _filters(params: Params) -> selectors.Exchange:
    """organization_id, taxonomy_term_id, taxonomy_id, modified_after and search, combined."""
    found = selectors.Exchange(search=params.text("search"), organisation_uuid=params.uuid("organization_id"),
                               modified_after=params.moment("modified_after"))
    wanted = set(out.terms())
    term_id = params.uuid("taxonomy_term_id")
    if term_id is not None:
        wanted &= {t for t in wanted if t.id == term_id}
    taxonomy_id = params.uuid("taxonomy_id")
    if taxonomy_id is not None:
        wanted &= {t for t in wanted if t.taxonomy.id == taxonomy_id}
    if term_id is None and taxonomy_id is None:
        return found
    # Either filter names one taxonomy, so the terms left belong to one of the two (or none).
    if not wanted:
        found.nothing = True
    elif any(t.taxonomy == out.SERVICE_FACTS for t in wanted):
        found.with_wait = True
    else:
        found.domains = [t.code for t in wanted]
    return found


def _one_service(service_id: str):
    item = selectors.exchange_services(selectors.Exchange(), full=True).filter(uuid=_uuid(service_id, "id")).first()
    if item is None:
        raise NotThere("There is no service with this id.")
    return item


@require_GET
def root(request):
    """The standard's root: HSDS version and where this API's OpenAPI document is."""
    return _json({"version": HSDS_VERSION, "openapi_url": request.build_absolute_uri(reverse("hsds_openapi"))})


@require_GET
def openapi(request):
    """The standard's openapi.json with this server's URL and oneplan's own info filled in."""
    document = copy.deepcopy(hsds_schema.openapi())
    document["info"] = {
        "title": "oneplan service directory (HSDS 3.0)",
        "version": HSDS_VERSION,
        "summary": "The services of this oneplan network in the Open Referral HSDS 3.0 shape.",
        "description": ("Read with a personal API token (Authorization: Bearer ...). Unknown parameters and "
                        "malformed values are a 400 application/problem+json response. Not offered: "
                        "format=ndjson, and postcode and proximity on /service_at_locations (no geodata "
                        "is kept); these are a 400 too."),
        "license": {"name": "HSDS schemas: CC BY-SA 4.0 (Open Referral)",
                    "url": "https://creativecommons.org/licenses/by-sa/4.0/"},
    }
    base = request.build_absolute_uri(reverse("hsds_root")).rstrip("/")
    document["servers"] = [{"url": base}]
    return _json(document)


@endpoint("services")
def services(request, params):
    minimal, full = params.flag("minimal"), params.flag("full")
    if minimal and full:
        raise BadParameter("Ask for 'minimal' or 'full', not both.")
    qs = selectors.exchange_services(_filters(params), full=full)
    if minimal:
        # "just 'id' and 'modified_date'": the schema calls the date last_modified and requires
        # name and status, so those come too.
        def render(item):
            return {"id": str(item.uuid), "name": item.name, "status": item.status,
                    "last_modified": out._when(item.updated_at)}
        return _page(params, qs.select_related(None).only("uuid", "name", "status", "updated_at"), render,
                     default=MAX_MINIMAL_PER_PAGE, high=MAX_MINIMAL_PER_PAGE)
    return _page(params, qs, lambda item: out.service_json(item, full=full))


@endpoint("one")
def service(request, params, service_id):
    return out.service_json(_one_service(service_id), full=True)


@endpoint("service_at_locations")
def service_at_locations(request, params):
    for name in ("postcode", "proximity"):
        if name in params.get:
            raise BadParameter(f"{name!r} is not offered: oneplan keeps no geodata to check coverage with.")
    full = params.flag("full")
    qs = selectors.exchange_locations(_filters(params), full=full)
    return _page(params, qs, lambda loc: out.service_at_location_json(loc, full=full))


@endpoint("one")
def service_at_location(request, params, sal_id):
    loc = selectors.exchange_locations(selectors.Exchange(), full=True).filter(link_uuid=_uuid(sal_id, "id")).first()
    if loc is None:
        raise NotThere("There is no service_at_location with this id.")
    return out.service_at_location_json(loc, full=True)


def _organization(org, params: Params, *, nested: bool) -> dict:
    full_service = params.flag("full_service")
    data = out.organization_json(org, phones=nested or full_service)
    if nested or full_service:
        services_qs = selectors.exchange_services(selectors.Exchange(organisation_uuid=str(org.uuid)),
                                                  full=full_service)
        data["services"] = [out.service_json(s, full=full_service) for s in services_qs]
    return data


@endpoint("organizations")
def organizations(request, params):
    full = params.flag("full")
    params.flag("full_service")
    qs = selectors.exchange_organisations(search=params.text("search"))
    return _page(params, qs, lambda org: _organization(org, params, nested=full))


@endpoint("organization")
def organization(request, params, organization_id):
    org = selectors.exchange_organisations().filter(uuid=_uuid(organization_id, "id")).first()
    if org is None:
        raise NotThere("There is no organization with this id.")
    return _organization(org, params, nested=True)


def _matches(params: Params, *texts: str) -> bool:
    words = params.text("search").lower().split()
    return all(any(w in t.lower() for t in texts) for w in words)


@endpoint("taxonomies")
def taxonomies(request, params):
    found = [t for t in out.TAXONOMIES if _matches(params, t.name, t.description)]
    return _page(params, found, out.taxonomy_json)


@endpoint("one")
def taxonomy(request, params, taxonomy_id):
    wanted = _uuid(taxonomy_id, "id")
    for item in out.TAXONOMIES:
        if item.id == wanted:
            return out.taxonomy_json(item)
    raise NotThere("There is no taxonomy with this id.")


@endpoint("taxonomy_terms")
def taxonomy_terms(request, params):
    taxonomy_id, parent_id = params.uuid("taxonomy_id"), params.uuid("parent_id")
    params.flag("top_only")  # the terms here have no children and no parent: every term is both
    found = [t for t in out.terms() if _matches(params, t.code, t.name, t.description)
             and (taxonomy_id is None or t.taxonomy.id == taxonomy_id) and parent_id is None]
    return _page(params, found, out.term_json)


@endpoint("one")
def taxonomy_term(request, params, term_id):
    term = out.term_by_id().get(_uuid(term_id, "id"))
    if term is None:
        raise NotThere("There is no taxonomy term with this id.")
    return out.term_json(term)
