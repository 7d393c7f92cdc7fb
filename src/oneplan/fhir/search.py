"""FHIR search: the parameters each resource type supports, and keyset paging in Bundles.

Pages follow the id order and carry where they stopped (`_after` / `_before`, an id), never an
offset: a `next` link keeps pointing at the same next records while others are added or change.
"""
import datetime as dt
from urllib.parse import urlencode

from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime

from oneplan.core.ids import valid_id
from oneplan.fhir.http import FhirError

DEFAULT_COUNT, MAX_COUNT = 20, 100
PAGING = ("_count", "_after", "_before")
PREFIXES = {"gt": "gt", "lt": "lt", "ge": "gte", "le": "lte", "eq": None}


def values(raw: str) -> list[str]:
    """A FHIR parameter value: a comma means "any of"."""
    return [v.strip() for v in raw.split(",") if v.strip()]


def reference_ids(raw: str, resource_type: str, param: str) -> list[int]:
    """`Organization/12`, `12` or a comma list of them, as ids; anything else is a 400."""
    ids = []
    for value in values(raw):
        kind, _, ident = value.rpartition("/")
        if kind not in ("", resource_type) or not valid_id(ident):
            raise FhirError(400, "invalid", f"{param} takes {resource_type}/<id> (or the id): not {value!r}.")
        ids.append(int(ident))
    if not ids:
        raise FhirError(400, "invalid", f"{param} is empty.")
    return ids


def id_values(raw: str) -> list[int]:
    ids = values(raw)
    if not ids or not all(valid_id(v) for v in ids):
        raise FhirError(400, "invalid", f"_id takes resource ids (numbers): not {raw!r}.")
    return [int(v) for v in ids]


def date_filter(raw: str, field: str, param: str) -> Q:
    """`_lastUpdated=gt2026-11-01` (gt, lt, ge, le, eq; a date or a date-time with zone)."""
    prefix = raw[:2] if raw[:2] in PREFIXES else "eq"
    text = raw[2:] if raw[:2] in PREFIXES else raw
    moment = parse_datetime(text) if "T" in text else None
    day = None if moment else parse_date(text) if len(text) == 10 else None
    if moment is None and day is None:
        raise FhirError(400, "invalid", f"{param} takes a prefix (gt, lt, ge, le, eq) and a date or a "
                        f"date-time with its zone, e.g. gt2026-11-01T00:00:00Z: not {raw!r}.")
    if moment is not None and moment.tzinfo is None:
        raise FhirError(400, "invalid", f"{param}: give the time zone (e.g. Z or +01:00).")
    if day is not None:
        start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.timezone.utc)
        end = start + dt.timedelta(days=1)
        ranges = {"gt": Q(**{f"{field}__gte": end}), "ge": Q(**{f"{field}__gte": start}),
                  "lt": Q(**{f"{field}__lt": start}), "le": Q(**{f"{field}__lt": end}),
                  "eq": Q(**{f"{field}__gte": start, f"{field}__lt": end})}
        return ranges[prefix]
    lookup = PREFIXES[prefix]
    return Q(**{f"{field}__{lookup}" if lookup else field: moment})


def by_id_and_update(queryset, params, updated_field: str):
    """The two parameters every resource takes: `_id` (a comma list) and `_lastUpdated` (each
    occurrence one bound, e.g. ge2026-11-01&_lastUpdated=lt2026-12-01)."""
    if "_id" in params:
        queryset = queryset.filter(pk__in=id_values(params["_id"]))
    for raw in params.getlist("_lastUpdated"):
        queryset = queryset.filter(date_filter(raw, updated_field, "_lastUpdated"))
    return queryset


def count(params) -> int:
    raw = params.get("_count", "")
    if raw == "":
        return DEFAULT_COUNT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_COUNT:
        raise FhirError(400, "invalid", f"_count takes a number from 1 to {MAX_COUNT}: not {raw!r}.")
    return int(raw)


def page(queryset, params) -> tuple[list, dict]:
    """One page in id order from `_after`/`_before`: (rows, {"next": id, "previous": id})."""
    size = count(params)
    after, before = params.get("_after", ""), params.get("_before", "")
    for name, value in (("_after", after), ("_before", before)):
        if value and not valid_id(value):
            raise FhirError(400, "invalid", f"{name} takes an id from a link this server gave.")
    if after and before:
        raise FhirError(400, "invalid", "Use _after or _before, not both.")
    if before:
        rows = list(queryset.filter(pk__lt=int(before)).order_by("-pk")[:size + 1])
        more_back = len(rows) > size
        rows = list(reversed(rows[:size]))
        marks = {"previous": rows[0].pk if rows and more_back else None,
                 "next": rows[-1].pk if rows else None}
        return rows, marks
    if after:
        queryset = queryset.filter(pk__gt=int(after))
    rows = list(queryset.order_by("pk")[:size + 1])
    more = len(rows) > size
    rows = rows[:size]
    marks = {"next": rows[-1].pk if rows and more else None,
             "previous": rows[0].pk if rows and after else None}
    return rows, marks


def link(base: str, params, **paging) -> str:
    kept = [(k, v) for k, v in params.items() if k not in PAGING]
    kept += [("_count", str(count(params)))] + [(k, str(v)) for k, v in paging.items()]
    return f"{base}?{urlencode(kept)}"


def bundle(base: str, params, rows: list[dict], marks: dict, *, included: list[dict] = ()) -> dict:
    links = [{"relation": "self", "url": link(base, params, **{k: v for k, v in params.items()
                                                                   if k in ("_after", "_before")})}]
    if marks.get("next"):
        links.append({"relation": "next", "url": link(base, params, _after=marks["next"])})
    if marks.get("previous"):
        links.append({"relation": "previous", "url": link(base, params, _before=marks["previous"])})
    entries = [{"fullUrl": f"{base.rsplit('/', 1)[0]}/{r['resourceType']}/{r['id']}", "resource": r,
                "search": {"mode": "match"}} for r in rows]
    entries += [{"fullUrl": f"{base.rsplit('/', 1)[0]}/{r['resourceType']}/{r['id']}", "resource": r,
                 "search": {"mode": "include"}} for r in included]
    return {"resourceType": "Bundle", "type": "searchset", "link": links, "entry": entries}
