"""oneplan's directory in the HSDS 3.0 shapes (schema files in hsds_standard/schema).

Ids are UUIDs: the stored `uuid` of a service, organisation, location, contact, language, area or
life domain; parts oneplan keeps as one field of their owner (the service's phone, its opening
hours, the address of a location) get a UUID derived from the owner's (uuid5), so they are stable
too. Absent values are left out. Fields HSDS requires that oneplan does not know (an
organisation's description, an address's province) are empty strings, never made up.
Life domains and the waiting time travel as 3.0 attributes whose taxonomy terms belong to two
taxonomies of oneplan's own (TAXONOMIES).
"""
import datetime as dt
import functools
import uuid
from dataclasses import dataclass

from django.utils import timezone, translation

from oneplan.accounts.models import Organisation
from oneplan.directory import domains
from oneplan.directory.models import Location, Service

_ROOT = uuid.uuid5(uuid.NAMESPACE_URL, "urn:oneplan:hsds")


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: str
    description: str

    @property
    def id(self) -> str:
        return str(uuid.uuid5(_ROOT, f"taxonomy:{self.key}"))


@dataclass(frozen=True)
class Term:
    taxonomy: Taxonomy
    code: str
    name: str
    description: str

    @property
    def id(self) -> str:
        return str(uuid.uuid5(_ROOT, f"term:{self.taxonomy.key}:{self.code}"))


LIFE_DOMAINS = Taxonomy("life-domains", "oneplan life domains",
                        "The life domains of the family plan and the family life domains instrument; "
                        "a service names the domains it helps with.")
SERVICE_FACTS = Taxonomy("service-facts", "oneplan service facts",
                         "Facts about a service that HSDS 3.0 has no field for; the attribute's value "
                         "holds the fact.")
TAXONOMIES = (LIFE_DOMAINS, SERVICE_FACTS)
WAIT_CODE = "wait_weeks"


@functools.lru_cache(maxsize=1)
def _terms() -> tuple[Term, ...]:
    with translation.override("en"):
        out = [Term(LIFE_DOMAINS, key, name, f"Life domain: {name}.") for key, name in domains.names().items()]
    out.append(Term(SERVICE_FACTS, WAIT_CODE, "Waiting time in weeks",
                    "The service's own estimate of the waiting time, in whole weeks."))
    return tuple(out)


def terms() -> list[Term]:
    """Every term, in a fixed order: the life domains, then the waiting time (names in English)."""
    return list(_terms())


def term_by_id() -> dict[str, Term]:
    return {t.id: t for t in terms()}


def taxonomy_json(taxonomy: Taxonomy) -> dict:
    return {"id": taxonomy.id, "name": taxonomy.name, "description": taxonomy.description}


def term_json(term: Term) -> dict:
    return {"id": term.id, "code": term.code, "name": term.name, "description": term.description,
            "taxonomy": term.taxonomy.name, "taxonomy_id": term.taxonomy.id,
            "taxonomy_detail": taxonomy_json(term.taxonomy), "language": "en"}


def _derived(owner: uuid.UUID, part: str) -> str:
    return str(uuid.uuid5(owner, part))


def _put(data: dict, **values) -> dict:
    """Set only the values that are there: HSDS leaves absent values out, never null or ""."""
    data.update({k: v for k, v in values.items() if v not in (None, "")})
    return data


def _when(value) -> str:
    return timezone.localtime(value, dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def organization_json(org: Organisation, *, phones: bool = False) -> dict:
    # `description` is required by organization.json; oneplan keeps none, so it is empty.
    data = _put({"id": str(org.uuid), "name": org.name, "description": ""}, email=org.email, website=org.website)
    if phones:
        data["phones"] = ([{"id": _derived(org.uuid, "phone"), "organization_id": str(org.uuid),
                            "number": org.phone}] if org.phone else [])
    return data


def service_json(item: Service, *, full: bool) -> dict:
    """The service's one-to-one fields and organization (lists); with `full`, everything nested."""
    data = _put({"id": str(item.uuid), "organization_id": str(item.organisation.uuid), "name": item.name,
                 "status": item.status},
                alternate_name=item.alternate_name, description=item.description, url=item.url,
                email=item.email, interpretation_services=item.interpretation_services,
                application_process=item.application_process, fees_description=item.fees_description,
                eligibility_description=item.eligibility_description, minimum_age=item.minimum_age,
                maximum_age=item.maximum_age, last_modified=_when(item.updated_at))
    data["organization"] = organization_json(item.organisation)
    if full:
        data.update(_nested(item))
    return data


def _nested(item: Service) -> dict:
    sid = str(item.uuid)
    with translation.override("en"):
        languages = [{"id": str(lang.uuid), "service_id": sid, "name": str(lang.get_code_display()),
                      "code": lang.code} for lang in item.languages.all()]
    return {
        "phones": ([{"id": _derived(item.uuid, "phone"), "service_id": sid, "number": item.phone}]
                   if item.phone else []),
        "schedules": ([{"id": _derived(item.uuid, "schedule"), "service_id": sid,
                        "description": item.schedule_description}] if item.schedule_description else []),
        "service_areas": [{"id": str(area.uuid), "service_id": sid, "name": area.name} for area in item.areas.all()],
        "service_at_locations": [location_link_json(loc, item) for loc in item.locations.all()],
        "languages": languages,
        "contacts": [_contact(c, sid) for c in item.contacts.all()],
        "attributes": _attributes(item),
    }


def _contact(contact, service_id: str) -> dict:
    data = _put({"id": str(contact.uuid), "service_id": service_id, "name": contact.shown_name},
                title=contact.shown_title, email=contact.shown_email)
    phone = contact.shown_phone
    data["phones"] = ([{"id": _derived(contact.uuid, "phone"), "contact_id": str(contact.uuid), "number": phone}]
                      if phone else [])
    return data


def _attributes(item: Service) -> list[dict]:
    by_code = {t.code: t for t in terms() if t.taxonomy == LIFE_DOMAINS}
    out = []
    for row in item.domains.all():
        term = by_code.get(row.domain)
        if term is not None:  # a domain no longer in the vocabulary has no term to name it by
            out.append({"id": str(row.uuid), "link_id": str(item.uuid), "link_entity": "service",
                        "taxonomy_term_id": term.id, "taxonomy_term": term_json(term)})
    if item.wait_weeks is not None:
        term = next(t for t in terms() if t.taxonomy == SERVICE_FACTS and t.code == WAIT_CODE)
        out.append({"id": _derived(item.uuid, "attribute:wait_weeks"), "link_id": str(item.uuid),
                    "link_entity": "service", "taxonomy_term_id": term.id, "value": str(item.wait_weeks),
                    "taxonomy_term": term_json(term)})
    return out


def location_json(loc: Location, *, full: bool) -> dict:
    data = {"id": str(loc.uuid), "location_type": "physical", "name": loc.name}
    if full:
        data["addresses"] = [{"id": _derived(loc.uuid, "address"), "location_id": str(loc.uuid),
                              "address_1": loc.address_1, "city": loc.city,
                              "state_province": loc.state_province, "postal_code": loc.postal_code,
                              "country": loc.country, "address_type": "physical"}]
    return data


def location_link_json(loc: Location, item: Service) -> dict:
    """A service_at_location inside its service: with the location, not the service again."""
    return {"id": str(loc.link_uuid), "service_id": str(item.uuid), "location_id": str(loc.uuid),
            "location": location_json(loc, full=True)}


def service_at_location_json(loc: Location, *, full: bool) -> dict:
    """A service_at_location on its own (the standard's examples): location and service nested."""
    item = loc.service
    return {"id": str(loc.link_uuid), "service_id": str(item.uuid), "location_id": str(loc.uuid),
            "location": location_json(loc, full=full), "service": service_json(item, full=full)}


def page_json(*, total: int, page: int, per_page: int, contents: list[dict]) -> dict:
    """The standard's Page (openapi.json components/schemas/Page) with its contents."""
    pages = max(1, -(-total // per_page))
    return {"total_items": total, "total_pages": pages, "page_number": page, "size": len(contents),
            "first_page": page == 1, "last_page": page >= pages, "empty": total == 0, "contents": contents}
