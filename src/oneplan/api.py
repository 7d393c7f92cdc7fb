"""The REST API under /api/v1/ (django-ninja); routers live in each app's api.py.

Every request carries a personal token (`Authorization: Bearer <token>`); every error is
problem JSON (RFC 9457), so a client never has to parse an HTML page or a traceback.
"""
import functools
import logging

from django.http import Http404, HttpResponseNotAllowed
from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from oneplan.access.api import router as access_router
from oneplan.accounts import services as account_services
from oneplan.accounts import throttle
from oneplan.accounts.api import router as accounts_router
from oneplan.core.api import (
    MISSING_TOKEN,
    PROBLEM_CONTENT_TYPE,
    domain_problem_type,
    problem,
    problem_type,
)
from oneplan.core.errors import DomainError
from oneplan.families.api import router as families_router
from oneplan.plans.api import router as plans_router
from oneplan.referrals.api import router as referrals_router

logger = logging.getLogger(__name__)



class TokenAuth(HttpBearer):
    """A personal ApiToken; `request.auth` becomes the acting Professional."""

    def authenticate(self, request, token):
        try:
            professional = account_services.token_authenticate(
                key=token, address=throttle.source_address(request))
        except account_services.TokenRejected as rejected:
            raise AuthenticationError(message=rejected.message) from None
        # Lets the rest of the stack (security headers: Cache-Control no-store) see the user.
        request.user = professional.user
        return professional


def _problem_outside_operations(view):
    """ninja answers a wrong method (405) and its root URL (404) without its exception
    handlers; turn those into problem JSON as well."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found_view(request)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            return problem(request, status=405, title="Method not allowed",
                           type=problem_type("method-not-allowed"),
                           detail=f"{request.method} is not allowed here; use {allowed}.",
                           headers={"Allow": allowed})
        return response

    return wrapper


class OneplanAPI(NinjaAPI):
    """NinjaAPI whose every URL answers errors as problem JSON (tests/api/test_problems.py
    notices if a ninja upgrade changes _get_urls), and whose OpenAPI document says so."""

    def get_openapi_schema(self, *args, **kwargs):
        # ninja documents every response body with the renderer's type (application/json);
        # the error bodies are sent as application/problem+json, so document them as sent.
        # Every operation can also fail on our side: a 500, problem JSON like the rest.
        schema = super().get_openapi_schema(*args, **kwargs)
        problem_ref = {"$ref": "#/components/schemas/ProblemOut"}
        for path in schema["paths"].values():
            for operation in path.values():
                responses = operation.get("responses", {})
                responses.setdefault(500, {"description": "Internal Server Error",
                                           "content": {PROBLEM_CONTENT_TYPE: {"schema": problem_ref}}})
                for status, response in responses.items():
                    if int(status) >= 400 and "content" in response:
                        body = response["content"].pop(self.renderer.media_type, None)
                        if body is not None:
                            response["content"][PROBLEM_CONTENT_TYPE] = body
        return schema

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _problem_outside_operations(pattern.callback)
        return urls


api = OneplanAPI(
    title="oneplan API", version="1", urls_namespace="api", auth=TokenAuth(),
    description="Integrated care around families: family files, care teams, organisations. "
                "Authenticate with a personal API token (Bearer). Errors are problem JSON "
                "(RFC 9457). See docs/api.md.",
)


@api.exception_handler(DomainError)
def _domain_error(request, error: DomainError):
    extra = {"field": error.field} if error.field else {}
    return problem(request, status=error.status, title=error.title, detail=error.message,
                   type=domain_problem_type(error), **extra)


def _error_field(loc) -> str:
    # ninja locations look like ("query", "limit") or ("body", "payload", "name").
    parts = [str(p) for p in loc[1:]]
    if len(parts) > 1 and parts[0] in ("payload", "filters", "params"):
        parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def _validation_error(request, error: ValidationError):
    errors = [{"field": _error_field(e.get("loc", ())),
               "location": str(e.get("loc", ("",))[0]),
               "message": e.get("msg", "Invalid value.")} for e in error.errors]
    summary = "; ".join(f"{e['field'] or e['location']}: {e['message']}" for e in errors[:5])
    return problem(request, status=400, title="Invalid input", type=problem_type("invalid-input"),
                   detail=f"The request has invalid input. {summary}".strip(), errors=errors)


@api.exception_handler(AuthenticationError)
def _authentication_error(request, error: AuthenticationError):
    missing = error.message == "Unauthorized"  # ninja's own: no or malformed header
    challenge = 'Bearer realm="oneplan"' + ("" if missing else ', error="invalid_token"')
    return problem(request, status=401, title="Not authenticated",
                   type=problem_type("not-authenticated"),
                   detail=MISSING_TOKEN if missing else error.message,
                   headers={"WWW-Authenticate": challenge})


@api.exception_handler(HttpError)
def _http_error(request, error: HttpError):
    return problem(request, status=error.status_code, title=error.message,
                   detail=error.message, type="about:blank")


@api.exception_handler(Http404)
def _not_found(request, error):
    return problem(request, status=404, title="Not found", type=problem_type("not-found"),
                   detail="This does not exist or you have no access to it.")


@api.exception_handler(Exception)
def _server_error(request, error):
    logger.exception("Unhandled error in %s %s", request.method, request.path)
    return problem(request, status=500, title="Server error", type=problem_type("server-error"),
                   detail="Something went wrong on our side. The error has been logged; "
                          "nothing was half-saved. Try again later.")


def not_found_view(request, path=""):
    """For /api/v1/ paths no router knows: a 404 problem, not the HTML error page."""
    return problem(request, status=404, title="Not found", type=problem_type("not-found"),
                   detail=f"There is no API endpoint at {request.path}. "
                          "See /api/v1/openapi.json for the list.")


api.add_router("", accounts_router)
api.add_router("", families_router)
api.add_router("", referrals_router)
api.add_router("", plans_router)
api.add_router("", access_router)
