"""Keeping services up to date: organisation admins for their own organisation, network admins for all."""
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.accounts.models import Organisation, Professional, Role, Sector
from oneplan.audit.services import record
from oneplan.core.crypto import normalise_name
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, refused
from oneplan.core.ids import valid_id
from oneplan.core.layers import service
from oneplan.directory import domains, hsds_import
from oneplan.directory.models import (
    Contact,
    EligibilityRule,
    FamilySituation,
    Language,
    Location,
    Service,
    ServiceArea,
    ServiceDomain,
    ServiceLanguage,
)


@dataclass
class ServiceInput:
    name: str
    description: str
    status: str = Service.Status.ACTIVE
    alternate_name: str = ""
    url: str = ""
    email: str = ""
    phone: str = ""
    target_group: str = ""
    family_situations: list[str] = field(default_factory=list)
    eligibility_description: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    application_process: str = ""
    referral_requirements: str = ""
    fees_description: str = ""
    schedule_description: str = ""
    interpretation_services: str = ""
    wait_weeks: int | None = None
    domains: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    # (name, address_1, postal_code, city); None: no location of its own.
    location: tuple[str, str, str, str] | None = None
    contact_ids: list[int] = field(default_factory=list)  # professionals of the organisation
    # (domain, min_score, max_score)
    rules: list[tuple[str, int | None, int | None]] = field(default_factory=list)


def editable_organisations(actor: Professional | None):
    """Whose services the actor keeps up to date: every organisation for a network admin, their
    own for an organisation admin, none for anyone else."""
    if actor is not None and actor.has_role(Role.NETWORK_ADMIN):
        return Organisation.objects.all()
    if actor is not None and actor.has_role(Role.ORG_ADMIN):
        return actor.organisations.all()
    return Organisation.objects.none()


def may_edit(actor: Professional | None, organisation_id: int) -> bool:
    return editable_organisations(actor).filter(pk=organisation_id).exists()


def require_edit(actor, organisation_id, action: str, obj_id="") -> None:
    if not may_edit(actor, organisation_id):
        error = AccessDenied(_("Only an organisation admin of this organisation (or a network admin) "
                               "keeps its services up to date."))
        refused(error, actor=actor, action=action,
                reason="not an admin of the service's organisation",
                object_type="directory.service", object_id=str(obj_id)[:64])
        raise error


def _check(data: ServiceInput, organisation: Organisation, service_id: int | None) -> None:
    if not data.name.strip():
        raise InvalidInput(_("Give the service a name."), field="name")
    if not data.description.strip():
        raise InvalidInput(_("Describe what the service does."), field="description")
    if data.status not in Service.Status.values:
        raise InvalidInput(_("Choose a status."), field="status")
    low, high = data.minimum_age, data.maximum_age
    if low is not None and high is not None and high < low:
        raise InvalidInput(_("The maximum age is below the minimum age."), field="maximum_age")
    if any(d not in domains.names() for d in data.domains):
        raise InvalidInput(_("Choose life domains from the list."), field="domains")
    if any(code not in Language.values for code in data.languages):
        raise InvalidInput(_("Choose languages from the list."), field="languages")
    if any(s not in FamilySituation.values for s in data.family_situations):
        raise InvalidInput(_("Choose family situations from the list."), field="family_situations")
    for domain, low_score, high_score in data.rules:
        if domain not in domains.names():
            raise InvalidInput(_("An eligibility rule needs a life domain from the list."), field="rules")
        if low_score is None and high_score is None:
            raise InvalidInput(_("An eligibility rule needs a lowest or highest score."), field="rules")
        if any(v is not None and not 1 <= v <= 5 for v in (low_score, high_score)):
            raise InvalidInput(_("Scores run from 1 to 5."), field="rules")
        if low_score is not None and high_score is not None and high_score < low_score:
            raise InvalidInput(_("In an eligibility rule the highest score is below the lowest."),
                               field="rules")
    clash = Service.objects.filter(organisation=organisation, name__iexact=data.name.strip())
    if service_id is not None:
        clash = clash.exclude(pk=service_id)
    if clash.exists():
        raise Conflict(_("%(org)s already has a service with this name.") % {"org": organisation.name},
                       field="name")


SCALAR_FIELDS = ("name", "alternate_name", "description", "url", "email", "phone", "status", "target_group",
                 "family_situations", "eligibility_description", "minimum_age", "maximum_age",
                 "application_process", "referral_requirements", "fees_description",
                 "schedule_description", "interpretation_services")


@service
def service_save(*, actor: Professional, organisation_id: int, data: ServiceInput,
                 service_id: int | None = None) -> Service:
    """Create or update a service with its domains, languages, areas, location, contacts and rules."""
    require_edit(actor, organisation_id, "directory.service_save", service_id or "")
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise InvalidInput(_("Choose an organisation."), field="organisation")
    item = None
    if service_id is not None:
        item = Service.objects.select_for_update().filter(pk=service_id, organisation=organisation).first()
        if item is None:
            raise NotFound(_("This service does not exist."))
    _check(data, organisation, service_id)
    item = item or Service(organisation=organisation, sector=organisation.sector)
    wait_changed = item.pk is None or item.wait_weeks != data.wait_weeks
    for name in SCALAR_FIELDS:
        value = getattr(data, name)
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    item.wait_weeks = data.wait_weeks
    if wait_changed:
        item.wait_updated_on = timezone.localdate() if data.wait_weeks is not None else None
    item.updated_by = actor
    item.save()
    _replace_children(item, data, organisation)
    record(actor, "directory.service_save", item, organisation=organisation,
           reason=("created" if service_id is None else "updated") + f": {item.name}")
    return item


def _replace_children(item: Service, data: ServiceInput, organisation: Organisation) -> None:
    # Children are replaced, but one that stays (the same domain, language, area, address or
    # professional) keeps its HSDS id: other directories follow it by that id.
    kept = {kind: dict(rows) for kind, rows in (
        ("domain", item.domains.values_list("domain", "uuid")),
        ("language", item.languages.values_list("code", "uuid")),
        ("area", item.areas.values_list("key", "uuid")),
        ("contact", item.contacts.exclude(professional=None).values_list("professional_id", "uuid")))}
    old_location = item.locations.first()
    item.domains.all().delete()
    ServiceDomain.objects.bulk_create([ServiceDomain(service=item, domain=d, **_same(kept["domain"], d))
                                       for d in dict.fromkeys(data.domains)])
    item.languages.all().delete()
    ServiceLanguage.objects.bulk_create([ServiceLanguage(service=item, code=c, **_same(kept["language"], c))
                                         for c in dict.fromkeys(data.languages)])
    item.areas.all().delete()
    areas = {}
    for name in data.areas:
        name = " ".join(name.split())[:100]
        if name:
            areas.setdefault(normalise_name(name), name)
    ServiceArea.objects.bulk_create([ServiceArea(service=item, name=n, key=k, **_same(kept["area"], k))
                                     for k, n in areas.items()])
    item.locations.all().delete()
    if data.location and data.location[1].strip():
        name, address, postal, city = (v.strip() for v in data.location)
        same = {"uuid": old_location.uuid, "link_uuid": old_location.link_uuid,
                "state_province": old_location.state_province,
                "country": old_location.country} if old_location else {}
        Location.objects.create(service=item, name=name or item.name, address_1=address,
                                postal_code=postal, city=city or "—", **same)
    item.contacts.all().delete()
    staff = Professional.objects.filter(pk__in=data.contact_ids, organisations=organisation).select_related("user")
    if len(set(data.contact_ids)) != len(staff):
        raise InvalidInput(_("Contact people must work for %(org)s.") % {"org": organisation.name},
                           field="contacts")
    Contact.objects.bulk_create([Contact(service=item, professional=p, name=p.name, title=p.discipline,
                                         email=p.email, phone=p.phone, **_same(kept["contact"], p.pk))
                                 for p in staff])
    item.rules.all().delete()
    EligibilityRule.objects.bulk_create([EligibilityRule(service=item, domain=d, min_score=lo, max_score=hi)
                                         for d, lo, hi in data.rules])


def _same(kept: dict, key) -> dict:
    return {"uuid": kept[key]} if key in kept else {}


@service
def service_wait_update(*, actor: Professional, service_id, wait_weeks: int | None) -> Service:
    """Confirm or change the waiting time; the date it was last updated becomes today."""
    item = Service.objects.select_for_update().filter(pk=service_id).first() if valid_id(service_id) else None
    if item is None:
        raise NotFound(_("This service does not exist."))
    require_edit(actor, item.organisation_id, "directory.wait_update", item.pk)
    if wait_weeks is not None and not 0 <= wait_weeks <= 260:
        raise InvalidInput(_("Give the waiting time in weeks, from 0 to 260."), field="wait_weeks")
    item.wait_weeks, item.wait_updated_on, item.updated_by = wait_weeks, timezone.localdate(), actor
    item.save(update_fields=["wait_weeks", "wait_updated_on", "updated_by", "updated_at"])
    record(actor, "directory.wait_update", item, organisation=item.organisation,
           reason=f"{wait_weeks} weeks" if wait_weeks is not None else "unknown")
    return item


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    organisations_created: list[str] = field(default_factory=list)
    not_kept: list[str] = field(default_factory=list)


def may_import(actor: Professional | None) -> bool:
    return editable_organisations(actor).exists()


def require_import(actor, action: str = "directory.import") -> None:
    if not may_import(actor):
        error = AccessDenied(_("Only an organisation admin (for their own organisation) or a network admin "
                               "imports services."))
        refused(error, actor=actor, action=action, reason="not an organisation or network admin",
                object_type="directory.service", object_id="")
        raise error


@service
def directory_import(*, actor: Professional, parsed: hsds_import.Parsed, source: str,
                     new_organisation_sector: str = "") -> ImportReport:
    """Create or update (by HSDS id) every service of an import, all or nothing.

    An organisation admin imports for their own organisations only; a network admin for any,
    and may let the import create organisations oneplan does not know yet (with a sector, which
    HSDS does not carry). Everything is checked before the first write."""
    require_import(actor)
    orgs, new_orgs, problems = _import_organisations(actor, parsed, new_organisation_sector)
    existing = {str(s.uuid): s for chunk in _chunks([i.uuid for i in parsed.services])
                for s in Service.objects.filter(uuid__in=chunk)}
    problems += _import_clashes(parsed, orgs, existing)
    if problems:
        raise hsds_import.ImportRejected(problems)
    for org in new_orgs:
        org.save()
    report = ImportReport(organisations_created=sorted(o.name for o in new_orgs), not_kept=sorted(parsed.not_kept))
    now, today = timezone.now(), timezone.localdate()
    items = []
    for incoming in parsed.services:
        organisation = orgs[incoming.where]
        item = existing.get(incoming.uuid) or Service(uuid=incoming.uuid, organisation=organisation,
                                                      sector=organisation.sector, created_at=now)
        if item.pk is None or item.wait_weeks != incoming.wait_weeks:
            item.wait_updated_on = today if incoming.wait_weeks is not None else None
        for name, value in incoming.fields.items():
            setattr(item, name, value)
        item.phone, item.schedule_description, item.wait_weeks = incoming.phone, incoming.schedule, incoming.wait_weeks
        item.organisation, item.updated_by, item.updated_at = organisation, actor, now
        items.append((incoming, item))
    fresh = [item for _, item in items if item.pk is None]
    old = [item for _, item in items if item.pk is not None]
    Service.objects.bulk_create(fresh, batch_size=500)
    Service.objects.bulk_update(old, [*hsds_import.LIMITS, "status", "minimum_age", "maximum_age", "phone",
                                      "schedule_description", "wait_weeks", "wait_updated_on", "organisation",
                                      "updated_by", "updated_at"], batch_size=500)
    _import_children(items)
    report.created, report.updated = len(fresh), len(old)
    record(actor, "directory.import", None, object_type="directory.service", object_id=source[:64],
           reason=f"{source}: {report.created} created, {report.updated} updated, "
                  f"{len(new_orgs)} organisations created")
    return report


def _import_organisations(actor, parsed, sector: str):
    """Each service's oneplan organisation (by HSDS id, else by name), refusing what the actor may
    not import for; organisations to create (network admins only)."""
    allowed = {o.pk for o in editable_organisations(actor)}
    wanted = {i.org.uuid for i in parsed.services}
    by_uuid = {str(o.uuid): o for o in Organisation.objects.filter(uuid__in=wanted)}
    by_name = {o.name.lower(): o for o in Organisation.objects.filter(name__in={i.org.name for i in parsed.services})}
    orgs, new, problems = {}, {}, []
    for incoming in parsed.services:
        org = by_uuid.get(incoming.org.uuid) or by_name.get(incoming.org.name.lower())
        if org is None and incoming.org.name:
            org = new.get(incoming.org.uuid) or Organisation(
                uuid=incoming.org.uuid, name=incoming.org.name, email=incoming.org.email,
                website=incoming.org.website, phone=incoming.org.phone, sector=sector)
            new[incoming.org.uuid] = org
        if org is None:
            problems.append(f"{incoming.where}: organization {incoming.org.uuid} is not in oneplan and the file "
                            "does not describe it.")
            continue
        orgs[incoming.where] = org
    refused_names = sorted({o.name for o in orgs.values() if o.pk is not None and o.pk not in allowed})
    if refused_names or (new and not actor.has_role(Role.NETWORK_ADMIN)):
        error = AccessDenied(_("You may import services only for organisations you administer; this file "
                               "also has services of: %(names)s")
                             % {"names": ", ".join(refused_names or sorted(o.name for o in new.values()))})
        refused(error, actor=actor, action="directory.import", reason="services of other organisations",
                object_type="directory.service", object_id="")
        raise error
    if new and sector not in Sector.values:
        problems.append(_("The file has organisations oneplan does not know yet (%(names)s): choose the sector "
                          "they get.") % {"names": ", ".join(sorted(o.name for o in new.values()))})
    return orgs, list(new.values()), problems


def _import_clashes(parsed, orgs, existing) -> list[str]:
    """Twice the same id, a name taken in the organisation, a child id used by another service."""
    problems, seen_ids, seen_names = [], {}, {}
    for incoming in parsed.services:
        if incoming.uuid in seen_ids:
            problems.append(f"{incoming.where}: id {incoming.uuid} is also used at {seen_ids[incoming.uuid]}.")
        seen_ids[incoming.uuid] = incoming.where
        key = (id(orgs[incoming.where]), incoming.fields["name"].lower())
        if key in seen_names:
            problems.append(f"{incoming.where}: the organisation has another service with this name at "
                            f"{seen_names[key]}.")
        seen_names[key] = incoming.where
    imported = set(seen_ids)
    known = {o.pk for o in orgs.values() if o.pk is not None}
    taken = {(org_id, name.lower()): str(uid) for org_id, name, uid in
             Service.objects.filter(organisation__in=known).values_list("organisation_id", "name", "uuid")}
    for incoming in parsed.services:
        org = orgs[incoming.where]
        other = taken.get((org.pk, incoming.fields["name"].lower())) if org.pk is not None else None
        if other is not None and other != incoming.uuid and other not in imported:
            problems.append(f"{incoming.where}: {org.name} already has a service called "
                            f"{incoming.fields['name']!r} with another id.")
    problems += _child_id_clashes(parsed, imported)
    return problems


CHILDREN = ((ServiceDomain, "domains"), (ServiceLanguage, "languages"), (ServiceArea, "areas"),
            (Location, "locations"), (Contact, "contacts"))


def _child_id_clashes(parsed, imported: set[str]) -> list[str]:
    problems = []
    for model, attr in CHILDREN:
        ids = {}
        for incoming in parsed.services:
            for row in getattr(incoming, attr):
                if row[0] in ids and ids[row[0]] != incoming.where:
                    problems.append(f"{incoming.where}: {attr} id {row[0]} is also used at {ids[row[0]]}.")
                ids.setdefault(row[0], incoming.where)
        # Rows of services outside the file (a query per chunk: SQLite caps the parameters).
        clash = [u for chunk in _chunks(list(ids)) for u, owner in
                 model.objects.filter(uuid__in=chunk).values_list("uuid", "service__uuid")
                 if str(owner) not in imported]
        problems += [f"{ids[str(u)]}: {attr} id {u} belongs to a service this file does not include." for u in clash]
    return problems


def _import_children(items) -> None:
    services_ = [item for _, item in items]
    for model, _attr in CHILDREN:
        model.objects.filter(service__in=services_).delete()
    ServiceDomain.objects.bulk_create([ServiceDomain(service=item, uuid=i, domain=d)
                                       for inc, item in items for i, d in _once(inc.domains)], batch_size=1000)
    ServiceLanguage.objects.bulk_create([ServiceLanguage(service=item, uuid=i, code=c)
                                         for inc, item in items for i, c in _once(inc.languages)], batch_size=1000)
    ServiceArea.objects.bulk_create([ServiceArea(service=item, uuid=i, name=n, key=normalise_name(n))
                                     for inc, item in items for i, n in _once(inc.areas, key=normalise_name)],
                                    batch_size=1000)
    Location.objects.bulk_create([
        Location(service=item, uuid=loc[0], link_uuid=loc[1], name=loc[2], address_1=loc[3], postal_code=loc[4],
                 city=loc[5], state_province=loc[6], country=loc[7])
        for inc, item in items for loc in inc.locations], batch_size=1000)
    Contact.objects.bulk_create([Contact(service=item, uuid=c[0], name=c[1], title=c[2], email=c[3], phone=c[4])
                                 for inc, item in items for c in inc.contacts], batch_size=1000)


def _chunks(values: list, size: int = 5000):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _once(rows, key=lambda value: value):
    """(id, value) pairs with each value once (the unique constraints per service)."""
    seen = {}
    for row_id, value in rows:
        seen.setdefault(key(value), (row_id, value))
    return list(seen.values())
