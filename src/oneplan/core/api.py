"""Plumbing every API router shares: problem-JSON responses (RFC 9457) and limit/offset pages."""
import re
from typing import Annotated

from django.http import JsonResponse
from ninja import Field, Path, Schema
from pydantic import AfterValidator

from oneplan.core.errors import DomainError

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Problem types are URNs: stable names a client can switch on; docs/api.md lists them.
PROBLEM_TYPE_PREFIX = "urn:oneplan:problem:"
MAX_LIMIT = 100
# offset + limit must stay within the 64-bit integers the database takes in LIMIT/OFFSET:
# 2**63 was a database error (a 500); now it is a 400 like any other out-of-range value.
MAX_OFFSET = 2**63 - 1 - MAX_LIMIT
# A path id: positive and within a 64-bit key, so a silly number is a 400, not a DB error.
ObjectId = Annotated[int, Path(ge=1, le=2**63 - 1)]




def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL: searching for one was a database error (a 500).
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    return value


# Free text in a query string (a search): bounded, and a 400 for what no database can search.
SearchText = Annotated[str, AfterValidator(_no_nul)]


def problem_type(name: str) -> str:
    return PROBLEM_TYPE_PREFIX + name


def domain_problem_type(error: DomainError) -> str:
    """NotFound -> urn:oneplan:problem:not-found, InvalidTransition -> ...:invalid-transition."""
    return problem_type(re.sub(r"(?<!^)(?=[A-Z])", "-", type(error).__name__).lower())


def problem(request, *, status: int, title: str, detail: str, type: str | None = None,
            headers: dict | None = None, **extensions) -> JsonResponse:
    body = {"type": type or "about:blank", "title": title, "status": status, "detail": detail,
            "instance": request.path, **extensions}
    response = JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE,
                            json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class ProblemOut(Schema):
    """Documents the error body in the OpenAPI file (every error response has this shape)."""

    type: str = Field(..., examples=["urn:oneplan:problem:not-found"])
    title: str
    status: int
    detail: str
    instance: str = ""
    errors: list[dict] | None = Field(None, description="Per-field messages (400 only).")
    field: str | None = Field(None, description="The input a domain error is about, if one.")


class PageParams(Schema):
    limit: int = Field(25, ge=1, le=MAX_LIMIT, description=f"Items per page (1-{MAX_LIMIT}).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


def page_of(queryset, params: PageParams) -> dict:
    """One page as {items, count, limit, offset}; the count query is skipped when not needed."""
    items = list(queryset[params.offset:params.offset + params.limit])
    if params.offset == 0 and len(items) < params.limit:
        count = len(items)
    else:
        count = queryset.count()
    return {"items": items, "count": count, "limit": params.limit, "offset": params.offset}
