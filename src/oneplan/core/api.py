"""Plumbing every API router shares: problem-JSON responses (RFC 9457), limit/offset and
keyset pages, If-Match versions and Idempotency-Key replays."""
import base64
import binascii
import datetime as dt
import functools
import json
import re
from typing import Annotated

from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from ninja import Field, Path, Schema
from ninja.utils import contribute_operation_callback
from pydantic import AfterValidator, WithJsonSchema

from oneplan.core import idempotency
from oneplan.core.errors import (
    DomainError,
    InvalidInput,
    PreconditionFailed,
    PreconditionRequired,
    StaleEdit,
)

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Problem types are URNs: stable names a client can switch on; docs/api.md lists them.
PROBLEM_TYPE_PREFIX = "urn:oneplan:problem:"
MAX_LIMIT = 100
MISSING_TOKEN = ("Send your API token in the Authorization header: "
                 "'Authorization: Bearer <token>'. Create one under 'API tokens' in oneplan.")
# offset + limit must stay within the 64-bit integers the database takes in LIMIT/OFFSET:
# 2**63 was a database error (a 500); now it is a 400 like any other out-of-range value.
MAX_OFFSET = 2**63 - 1 - MAX_LIMIT
# A path id: positive and within a 64-bit key, so a silly number is a 400, not a DB error.
ObjectId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def path_id(description: str):
    """A path id with its description in the OpenAPI document."""
    return Annotated[int, Path(ge=1, le=2**63 - 1, description=description)]


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL: searching for one was a database error (a 500).
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no database stores it
        raise ValueError("must be valid Unicode text") from None
    return value


# Free text in a query string (a search): bounded, and a 400 for what no database can search.
SearchText = Annotated[str, AfterValidator(_no_nul)]
# Free text in a request body: the same checks.
Text = Annotated[str, AfterValidator(_no_nul)]


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


# ---- keyset pages ---------------------------------------------------------------------------

CURSOR_HELP = ("The `next` value of the previous page (keyset paging: stable while data changes). "
               "Leave out for the first page.")
MODIFIED_HELP = ("Only what changed at or after this moment (ISO 8601; without a time zone: UTC). "
                 "Use the time of your previous synchronisation.")


_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d)?")


def _moment(value: str) -> dt.datetime:
    # Only ISO 8601 date-times: pydantic alone would also take "0.5" as a Unix time.
    if not _MOMENT.fullmatch(value):
        raise ValueError("must be an ISO 8601 date-time, e.g. 2026-06-16T09:30:00Z")
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


Moment = Annotated[str, AfterValidator(_moment), WithJsonSchema({"type": "string", "format": "date-time"})]


class KeysetParams(Schema):
    limit: int = Field(25, ge=1, le=MAX_LIMIT, description=f"Items per page (1-{MAX_LIMIT}).")
    cursor: str = Field("", max_length=200, description=CURSOR_HELP)
    modified_since: Moment | None = Field(None, description=MODIFIED_HELP)


class SyncPageParams(PageParams):
    """limit/offset (kept for existing clients) or, with `cursor`, keyset paging."""

    cursor: str = Field("", max_length=200, description=CURSOR_HELP + " Not with `offset`.")
    modified_since: Moment | None = Field(None, description=MODIFIED_HELP)


def since(value: dt.datetime | None) -> dt.datetime | None:
    """`modified_since` as an aware UTC moment; a moment no database holds is a 400."""
    if value is None:
        return None
    try:
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise InvalidInput("modified_since is out of range.", field="modified_since") from None


def _encode(value, pk: int) -> str:
    kind = "d" if isinstance(value, dt.datetime) else "s" if isinstance(value, str) else "i"
    raw = json.dumps([kind, value.isoformat() if kind == "d" else value, pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str):
    bad = InvalidInput("This cursor is not one oneplan gave out; start again without it.",
                       field="cursor")
    try:
        kind, value, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if kind == "d":
            value = dt.datetime.fromisoformat(value)
        elif kind == "i" and not isinstance(value, int) or kind == "s" and not isinstance(value, str):
            raise ValueError
        if kind not in ("d", "s", "i") or not isinstance(pk, int) or not 0 < pk < 2**63:
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise bad from None
    return value, pk


def keyset_page(queryset, *, order: str, cursor: str, limit: int) -> tuple[list, str | None]:
    """(items, next cursor or None) in the order `order` ("field", "-field"), ties by id in the
    same direction. A page starts after the cursor's row, so rows added or changed meanwhile
    never shift a page: nothing is skipped or served twice."""
    desc = order.startswith("-")
    field = order.lstrip("-")
    id_order = "-id" if desc else "id"
    queryset = queryset.order_by(order, id_order)
    if cursor:
        value, pk = _decode(cursor)
        beyond = "lt" if desc else "gt"
        queryset = queryset.filter(Q(**{f"{field}__{beyond}": value})
                                   | Q(**{field: value, f"id__{beyond}": pk}))
    rows = list(queryset[:limit + 1])
    items = rows[:limit]
    if len(rows) <= limit:
        return items, None
    last = items[-1]
    return items, _encode(getattr(last, field), last.pk)


def sync_page(queryset, params: SyncPageParams, *, order: str) -> dict:
    """limit/offset pages as before, or keyset pages when a cursor is sent; `next` in both."""
    if params.cursor and params.offset:
        raise InvalidInput("Send either cursor or offset, not both.", field="cursor")
    if params.cursor:
        items, following = keyset_page(queryset, order=order, cursor=params.cursor, limit=params.limit)
        return {"items": items, "count": queryset.count(), "limit": params.limit, "offset": 0,
                "next": following}
    page = page_of(queryset.order_by(order, "-id" if order.startswith("-") else "id"), params)
    following = None
    if len(page["items"]) == params.limit and params.offset + params.limit < page["count"]:
        last = page["items"][-1]
        following = _encode(getattr(last, order.lstrip("-")), last.pk)
    return {**page, "next": following}


# ---- If-Match: updates name the version they are based on -----------------------------------

_ETAG = re.compile(r'\s*(?:W/)?"(\d{1,10})"\s*')
IF_MATCH_PARAM = {
    "in": "header", "name": "If-Match", "required": True,
    "description": "The ETag of your last read of this object, e.g. `W/\"3\"`. Missing: 428; "
                   "no longer the current version: 412 and nothing is changed.",
    "schema": {"type": "string"}, "example": 'W/"0"',
}


def etag(version: int) -> str:
    return f'W/"{version}"'


def expected_version(request) -> int:
    """The version the client's If-Match names; 428 without one, 412 for one that is no version."""
    raw = request.headers.get("If-Match", "")
    if not raw.strip():
        raise PreconditionRequired("Send If-Match with the ETag of your last read of this object "
                                   "(for example If-Match: W/\"3\"), so that you do not overwrite "
                                   "a change you have not seen.", field="If-Match")
    match = _ETAG.fullmatch(raw)
    if match is None:
        raise PreconditionFailed("If-Match does not name a current version of this object. Read "
                                 "it again and use its ETag.", field="If-Match")
    return int(match.group(1))


def stale_is_412(fn):
    """A service's StaleEdit (the version moved on) is, in HTTP, 412 Precondition Failed."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except StaleEdit as error:
            raise PreconditionFailed(error.message, field="If-Match") from None

    return wrapper


# ---- Idempotency-Key: a retried POST is answered, not done again -----------------------------

IDEMPOTENCY_PARAM = {
    "in": "header", "name": "Idempotency-Key", "required": False,
    "description": "Any unique string (a UUID) up to 255 characters. Sending the same key again "
                   "with the same body (and If-Match) within 24 hours returns the first answer without doing "
                   "the work again; the same key with another body is 422.",
    "schema": {"type": "string", "maxLength": idempotency.KEY_MAX},
    "example": "5f0c7c3e-2d1b-4a7e-9a51-8f3e0b6d2c11",
}


def _replay(row) -> HttpResponse:
    response = HttpResponse(row.body, status=row.status, content_type=row.content_type)
    for name, value in row.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(fn):
    """For a POST operation (put it under @router.post): honours Idempotency-Key per user.

    The operation itself (after authentication) claims the key or replays the stored answer;
    the answer it gives, once rendered (problem answers too, but never a 500), is stored."""

    @functools.wraps(fn)
    def operation(request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return fn(request, *args, **kwargs)
        if not 0 < len(key) <= idempotency.KEY_MAX or not key.isprintable():
            raise InvalidInput(f"Idempotency-Key is 1 to {idempotency.KEY_MAX} printable characters.",
                               field="Idempotency-Key")
        row, first = idempotency.claim(user_id=request.auth.user_id, key=key,
                                       method_path=f"{request.method} {request.path}"[:600],
                                       digest=idempotency.body_hash(
                                           request.body, request.headers.get("If-Match", "")))
        if not first:
            return _replay(row)
        request.idempotent_row = row
        return fn(request, *args, **kwargs)

    def keep_answer(run):
        @functools.wraps(run)
        def wrapper(request, *args, **kwargs):
            response = run(request, *args, **kwargs)
            row = getattr(request, "idempotent_row", None)
            if row is not None:
                if response.status_code >= 500:
                    idempotency.release(row)
                else:
                    idempotency.store(row, status=response.status_code,
                                      content_type=response["Content-Type"],
                                      body=response.content.decode(),
                                      headers={h: response[h] for h in idempotency.KEPT_HEADERS
                                               if response.has_header(h)})
            return response

        return wrapper

    def contribute(operation_):
        # As ninja's decorate_view does, so that clones of the operation keep it too.
        operation_.run = keep_answer(operation_.run)
        if not hasattr(operation_, "_run_decorators"):
            operation_._run_decorators = []
        operation_._run_decorators.append(keep_answer)
        extra = operation_.openapi_extra or {}
        extra.setdefault("parameters", []).append(IDEMPOTENCY_PARAM)
        operation_.openapi_extra = extra

    contribute_operation_callback(operation, contribute)
    return operation


def openapi(*, request: dict | None = None, response=None, status: int = 200,
            headers: list[dict] = ()) -> dict:
    """openapi_extra for an operation: an example request body and an example answer, and
    header parameters the operation reads itself (If-Match)."""
    extra: dict = {}
    if request is not None:
        extra["requestBody"] = {"content": {"application/json": {"example": request}}}
    if response is not None:
        extra["responses"] = {status: {"content": {"application/json": {"example": response}}}}
    if headers:
        extra["parameters"] = list(headers)
    return extra
