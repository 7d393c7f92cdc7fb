"""Reading a region's HSDS 3.0 directory for import: JSON (a list of full services, or a page of
them) or the tabular CSV datapackage (a .zip or a folder of the standard's CSV files).

Everything is checked against the official schemas and against what oneplan can hold before
anything is written; each problem names its file and JSON index/path or CSV line. The result is
a list of `Incoming` services the import service (services.directory_import) writes in one go.
What HSDS carries and oneplan has no place for is listed in `not_kept`, never silently lost.
"""
import csv
import io
import json
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from oneplan.core.errors import InvalidInput
from oneplan.directory import hsds_out, hsds_schema
from oneplan.directory.models import Language

MAX_PROBLEMS = 50
# The service fields oneplan keeps; the rest of service.json is reported as not kept.
KEPT = {"id", "organization_id", "name", "alternate_name", "description", "url", "email", "status",
        "interpretation_services", "application_process", "fees_description", "eligibility_description",
        "minimum_age", "maximum_age", "last_modified", "phones", "schedules", "service_areas",
        "service_at_locations", "languages", "organization", "contacts", "attributes"}
LIMITS = {"name": 200, "alternate_name": 200, "description": 4000, "url": 200, "email": 254,
          "interpretation_services": 300, "application_process": 2000, "fees_description": 300,
          "eligibility_description": 2000}


class ImportRejected(InvalidInput):
    """The file cannot be imported; `problems` lists every reason with its place in the file."""

    def __init__(self, problems: list[str]):
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        super().__init__("Nothing was imported. " + " ".join(shown) + (f" (and {more} more)" if more else ""))
        self.problems = shown + ([f"... and {more} more."] if more else [])


@dataclass
class IncomingOrg:
    uuid: str
    name: str
    email: str = ""
    website: str = ""
    phone: str = ""


@dataclass
class Incoming:
    """One service as oneplan will store it; `where` places it in the file for messages."""

    where: str
    uuid: str
    org: IncomingOrg
    fields: dict
    phone: str = ""
    schedule: str = ""
    wait_weeks: int | None = None
    domains: list[tuple[str, str]] = field(default_factory=list)  # (attribute id, domain)
    languages: list[tuple[str, str]] = field(default_factory=list)  # (id, code)
    areas: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    # (location id, link id, name, address_1, postal_code, city, state_province, country)
    locations: list[tuple] = field(default_factory=list)
    contacts: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # id, name, title, email, phone


@dataclass
class Parsed:
    services: list[Incoming]
    not_kept: set[str] = field(default_factory=set)


# Reading -------------------------------------------------------------------------------------

def read(name: str, data: bytes) -> Parsed:
    """A .json file or a .zip of CSV files, by its name."""
    if name.lower().endswith(".zip"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                files = {Path(n).name: archive.read(n) for n in archive.namelist() if n.lower().endswith(".csv")}
        except zipfile.BadZipFile:
            raise ImportRejected([f"{name}: this is not a readable .zip file."]) from None
        return read_tables(files)
    if name.lower().endswith(".json"):
        return read_json(name, data)
    raise ImportRejected([f"{name}: give an HSDS .json file or a .zip of the HSDS CSV files."])


def read_folder(path: Path) -> Parsed:
    return read_tables({p.name: p.read_bytes() for p in sorted(path.glob("*.csv"))})


def read_json(name: str, data: bytes) -> Parsed:
    try:
        content = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportRejected([f"{name}: not valid JSON ({error})."]) from None
    if isinstance(content, dict) and isinstance(content.get("contents"), list):
        content = content["contents"]  # a page of services (/services?full=true)
    elif isinstance(content, dict):
        content = [content]
    if not isinstance(content, list):
        raise ImportRejected([f"{name}: expected a list of HSDS services."])
    problems, parsed = [], Parsed([])
    for index, item in enumerate(content):
        where = f"{name} [{index}]"
        found = hsds_schema.problems(item, "service")
        problems += [f"{where} {p}" for p in found]
        if not found:
            _convert(item, where, parsed, problems)
    if problems:
        raise ImportRejected(problems)
    return parsed


def _cell(value: str, prop: dict):
    kind = prop.get("type")
    if kind == "number":
        try:
            number = float(value)
        except ValueError:
            return value  # the schema check reports it
        return int(number) if number.is_integer() else number
    return value


def read_tables(files: dict[str, bytes]) -> Parsed:
    """The tabular form: each row checked against its table's schema, then nested like JSON."""
    schemas = hsds_schema.table_schemas()
    if "services.csv" not in files:
        raise ImportRejected(["services.csv is missing: the tabular datapackage needs it."])
    problems, tables = [], {}
    for file_name, schema in schemas.items():
        if file_name not in files:
            continue
        try:
            text = files[file_name].decode("utf-8-sig")
        except UnicodeDecodeError:
            problems.append(f"{file_name}: not UTF-8 text.")
            continue
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = []
        flat = {k: v for k, v in schema["properties"].items() if v.get("type") != "array" and "$ref" not in v}
        for row in reader:
            where = f"{file_name} line {reader.line_num}"
            record = {k: _cell(v, flat.get(k, {})) for k, v in row.items() if k and v not in ("", None)}
            found = hsds_schema.problems(record, schema["file"])
            problems += [f"{where}: {p}" for p in found]
            rows.append((where, record))
        tables[file_name] = rows
    if problems:
        raise ImportRejected(problems)
    parsed = Parsed([])
    for where, item in _nest(tables, problems):
        _convert(item, where, parsed, problems)
    if problems:
        raise ImportRejected(problems)
    return parsed


def _by(rows, key: str) -> dict[str, list]:
    out = {}
    for where, row in rows:
        if key in row:
            out.setdefault(row[key], []).append(row | {"_where": where})
    return out


def _nest(tables: dict, problems: list[str]):
    """Tabular rows into nested services, as service_full.json has them."""
    get = lambda name: tables.get(name, [])  # noqa: E731
    orgs = {row["id"]: row for _, row in get("organizations.csv")}
    locations = {row["id"]: row | {"_where": w} for w, row in get("locations.csv")}
    addresses = _by(get("addresses.csv"), "location_id")
    terms = {row["id"]: row for _, row in get("taxonomy_terms.csv")}
    phones, contact_phones = _by(get("phones.csv"), "service_id"), _by(get("phones.csv"), "contact_id")
    children = {name: _by(get(name), "service_id") for name in
                ("languages.csv", "service_areas.csv", "schedules.csv", "contacts.csv", "service_at_location.csv")}
    attributes = _by(get("attributes.csv"), "link_id")
    for where, row in get("services.csv"):
        sid = row["id"]
        item = dict(row)
        if "organization_id" in row:
            if row["organization_id"] in orgs:
                item["organization"] = orgs[row["organization_id"]]
        item["phones"] = phones.get(sid, [])
        item["languages"] = children["languages.csv"].get(sid, [])
        item["service_areas"] = children["service_areas.csv"].get(sid, [])
        item["schedules"] = children["schedules.csv"].get(sid, [])
        item["contacts"] = [c | {"phones": contact_phones.get(c["id"], [])}
                            for c in children["contacts.csv"].get(sid, [])]
        links = []
        for link in children["service_at_location.csv"].get(sid, []):
            loc = locations.get(link.get("location_id"))
            if loc is None:
                problems.append(f"{link['_where']}: location_id {link.get('location_id')!r} is not in locations.csv.")
                continue
            links.append(link | {"location": loc | {"addresses": addresses.get(loc["id"], [])}})
        item["service_at_locations"] = links
        item["attributes"] = [a | ({"taxonomy_term": terms[a["taxonomy_term_id"]]}
                                   if a.get("taxonomy_term_id") in terms else {})
                              for a in attributes.get(sid, [])]
        yield where, item


# What oneplan keeps ---------------------------------------------------------------------------

def _place(child: dict, where: str, path: str) -> str:
    return child.get("_where") or f"{where} {path}"


def _convert(item: dict, where: str, parsed: Parsed, problems: list[str]) -> None:
    parsed.not_kept |= {f"service.{k}" for k in item if k not in KEPT and not k.startswith("_")}
    org = item.get("organization")
    if not isinstance(org, dict) and item.get("organization_id"):
        org = {"id": item["organization_id"], "name": ""}  # must be one oneplan knows by this id
    if not isinstance(org, dict):
        problems.append(f"{where}: the service names no organization (oneplan files every service under one).")
        return
    if item.get("organization_id") not in (None, org.get("id")):
        problems.append(f"{where}: organization_id differs from organization/id.")
    if not item.get("description", "").strip():
        problems.append(f"{where}: description is missing; oneplan shows it to every professional who refers.")
    for name, limit in LIMITS.items():
        if len(str(item.get(name, ""))) > limit:
            problems.append(f"{where}: {name} is longer than {limit} characters.")
    ages = {}
    for name in ("minimum_age", "maximum_age"):
        value = item.get(name)
        if value is not None and (value != int(value) or not 0 <= value <= 120):
            problems.append(f"{where}: {name} must be a whole number of years from 0 to 120.")
        elif value is not None:
            ages[name] = int(value)
    if len(ages) == 2 and ages["maximum_age"] < ages["minimum_age"]:
        problems.append(f"{where}: maximum_age is below minimum_age.")
    fields = {k: item.get(k, "").strip() for k in LIMITS} | {"status": item["status"]} | {
        "minimum_age": ages.get("minimum_age"), "maximum_age": ages.get("maximum_age")}
    phones = [p["number"].strip() for p in item.get("phones", [])]
    if len(phones) > 1:
        parsed.not_kept.add("service.phones beyond the first")
    if phones and len(phones[0]) > 40:
        problems.append(f"{where}: phones/0/number is longer than 40 characters.")
    incoming = Incoming(
        where=where, uuid=str(uuid.UUID(item["id"])), fields=fields, phone=phones[0] if phones else "",
        schedule="; ".join(s["description"].strip() for s in item.get("schedules", []) if s.get("description"))[:300],
        org=IncomingOrg(uuid=str(uuid.UUID(org["id"])), name=org["name"].strip()[:200],
                        email=org.get("email", ""), website=org.get("website", ""),
                        phone=next((p["number"] for p in org.get("phones", [])), "")[:40]))
    if len(org.get("website", "")) > 200 or len(org.get("email", "")) > 254:
        problems.append(f"{where}: the organization's website or email is too long for oneplan.")
    _languages(item, incoming, parsed)
    for i, area in enumerate(item.get("service_areas", [])):
        if area.get("name", "").strip():
            incoming.areas.append((area["id"], " ".join(area["name"].split())[:100]))
        else:
            problems.append(f"{_place(area, where, f'service_areas/{i}')}: a service area needs a name.")
    _locations(item, where, incoming, parsed, problems)
    _contacts(item, where, incoming, problems)
    _attributes(item, where, incoming, parsed, problems)
    parsed.services.append(incoming)


def _languages(item, incoming: Incoming, parsed: Parsed) -> None:
    for lang in item.get("languages", []):
        code = lang.get("code", "").lower()
        if code in Language.values:
            incoming.languages.append((lang["id"], code))
        else:
            parsed.not_kept.add(f"language {code or lang.get('name', '?')!r} (not in oneplan's list)")


def _locations(item, where: str, incoming: Incoming, parsed: Parsed, problems: list[str]) -> None:
    for i, link in enumerate(item.get("service_at_locations", [])):
        loc = link.get("location")
        addresses = (loc or {}).get("addresses", [])
        address = next((a for a in addresses if a.get("address_type") == "physical"), addresses[0] if addresses else None)
        if loc is None or address is None:
            parsed.not_kept.add("service_at_locations without a location address")
            continue
        place = _place(address, where, f"service_at_locations/{i}/location/addresses/0")
        values = (loc.get("name", "").strip()[:200] or incoming.fields["name"], address["address_1"].strip(),
                  address.get("postal_code", "").strip(), address["city"].strip(),
                  address.get("state_province", "").strip(), address.get("country", "").strip().upper())
        if len(values[1]) > 200 or len(values[2]) > 20 or len(values[3]) > 100 or len(values[4]) > 100:
            problems.append(f"{place}: an address part is longer than oneplan keeps.")
        if len(values[5]) != 2:
            problems.append(f"{place}: country must be a two-letter ISO 3166 code.")
        if not values[1] or not values[3]:
            problems.append(f"{place}: address_1 and city are needed.")
        incoming.locations.append((loc["id"], link["id"], *values))


def _contacts(item, where: str, incoming: Incoming, problems: list[str]) -> None:
    for i, contact in enumerate(item.get("contacts", [])):
        place = _place(contact, where, f"contacts/{i}")
        name = contact.get("name", "").strip()
        phone = next((p["number"].strip() for p in contact.get("phones", [])), "")
        if not name:
            problems.append(f"{place}: a contact needs a name.")
        elif len(name) > 150 or len(contact.get("title", "")) > 150 or len(phone) > 40:
            problems.append(f"{place}: name, title or phone is longer than oneplan keeps.")
        else:
            incoming.contacts.append((contact["id"], name, contact.get("title", "").strip(),
                                      contact.get("email", ""), phone))


def _attributes(item, where: str, incoming: Incoming, parsed: Parsed, problems: list[str]) -> None:
    ours = {t.id: t for t in hsds_out.terms()}
    by_code = {(t.taxonomy.id, t.code): t for t in ours.values()}
    for i, attribute in enumerate(item.get("attributes", [])):
        term_data = attribute.get("taxonomy_term") or {}
        term_id = attribute.get("taxonomy_term_id") or term_data.get("id")
        term = ours.get(term_id) or by_code.get((term_data.get("taxonomy_id"), term_data.get("code")))
        if term is None:
            parsed.not_kept.add("attributes of other taxonomies")
        elif term.taxonomy == hsds_out.LIFE_DOMAINS:
            incoming.domains.append((attribute["id"], term.code))
        else:
            value = attribute.get("value", "")
            if not (value.isascii() and value.isdigit() and int(value) <= 260):
                place = _place(attribute, where, f"attributes/{i}")
                problems.append(f"{place}: the waiting time is a whole number of weeks from 0 to 260.")
            else:
                incoming.wait_weeks = int(value)

