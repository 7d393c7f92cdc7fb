"""Keeping services up to date: organisation admins for their own organisation, network admins for all."""
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.accounts.models import Organisation, Professional, Role
from oneplan.audit.services import record
from oneplan.core.crypto import normalise_name
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, refused
from oneplan.core.ids import valid_id
from oneplan.core.layers import service
from oneplan.directory import domains
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
