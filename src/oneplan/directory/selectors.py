"""Reading the directory: search by need, age, area, language and text; one service with its stats.

The directory holds no family data, so reading it is not audited; changing it is.
"""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from oneplan.accounts.models import Organisation
from oneplan.core.crypto import normalise_name
from oneplan.core.errors import NotFound
from oneplan.core.ids import valid_id
from oneplan.core.layers import selector
from oneplan.directory.models import (
    Contact,
    Location,
    Service,
    ServiceArea,
    ServiceDomain,
    ServiceLanguage,
)
from oneplan.directory.services import require_edit, require_import

SHOWN_STATUSES = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)


@dataclass
class Search:
    domain: str = ""
    age: int | None = None
    area: str = ""
    language: str = ""
    text: str = ""
    organisation_id: int | None = None
    include_inactive: bool = False


def _prefetched(qs: QuerySet[Service]) -> QuerySet[Service]:
    return (qs.select_related("organisation")
            .prefetch_related("domains", "languages", "areas",
                              Prefetch("contacts", queryset=Contact.objects.select_related("professional__user")
                                       .order_by("name", "id"))))


def search(params: Search) -> QuerySet[Service]:
    """Services matching every given criterion, by name; paginate the result."""
    qs = Service.objects.all()
    if not params.include_inactive:
        qs = qs.filter(status__in=SHOWN_STATUSES)
    if params.domain:
        qs = qs.filter(id__in=ServiceDomain.objects.filter(domain=params.domain).values("service_id"))
    if params.language:
        qs = qs.filter(id__in=ServiceLanguage.objects.filter(code=params.language).values("service_id"))
    if params.age is not None:
        qs = qs.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=params.age),
                       Q(maximum_age__isnull=True) | Q(maximum_age__gte=params.age))
    if params.area:
        # A service that lists no areas serves the whole region.
        key = normalise_name(params.area)
        listed = ServiceArea.objects.filter(service=OuterRef("pk"))
        qs = qs.filter(Q(id__in=ServiceArea.objects.filter(key=key).values("service_id")) | ~Exists(listed))
    if params.organisation_id:
        qs = qs.filter(organisation_id=params.organisation_id)
    text = " ".join(params.text.split())[:100]
    for word in text.split(" ") if text else []:
        qs = qs.filter(Q(name__icontains=word) | Q(alternate_name__icontains=word)
                       | Q(description__icontains=word) | Q(organisation__name__icontains=word)
                       | Q(target_group__icontains=word))
    return _prefetched(qs).order_by("name", "id")


def service_detail(service_id) -> Service:
    item = _prefetched(Service.objects.filter(pk=service_id)).prefetch_related("locations", "rules").first() \
        if valid_id(service_id) else None
    if item is None:
        raise NotFound("This service does not exist.")
    return item


def area_names(limit: int = 200) -> list[str]:
    """Known areas, for the search form's suggestions."""
    return list(ServiceArea.objects.order_by("name").values_list("name", flat=True).distinct()[:limit])


@selector
def editable_service(*, actor, service_id) -> Service:
    """A service the actor may keep up to date; a refusal is audited."""

    item = service_detail(service_id)
    require_edit(actor, item.organisation_id, "directory.service_edit", item.pk)
    return item


@selector
def editable_organisation(*, actor, organisation_id) -> Organisation:

    organisation = Organisation.objects.filter(pk=organisation_id).first() if valid_id(organisation_id) else None
    if organisation is None:
        raise NotFound("This organisation does not exist.")
    require_edit(actor, organisation.pk, "directory.service_new", "")
    return organisation


@dataclass
class Exchange:
    """The HSDS list filters (openapi.json), already checked: each given one narrows the result."""

    search: str = ""
    organisation_uuid: str | None = None
    domains: list[str] | None = None  # services with any of these life domains
    with_wait: bool = False  # services that give a waiting time
    modified_after: dt.datetime | None = None
    nothing: bool = False  # a well-formed filter no service can match (an unknown term)


def _words(text: str) -> list[str]:
    text = " ".join(text.split())[:100]
    return text.split(" ") if text else []


def exchange_services(params: Exchange, *, full: bool = False) -> QuerySet[Service]:
    """Services of every status (HSDS readers learn of a closed service by its status), by name."""
    qs = Service.objects.all()
    if params.nothing:
        return qs.none()
    if params.organisation_uuid is not None:
        qs = qs.filter(organisation__uuid=params.organisation_uuid)
    if params.domains is not None:
        qs = qs.filter(id__in=ServiceDomain.objects.filter(domain__in=params.domains).values("service_id"))
    if params.with_wait:
        qs = qs.filter(wait_weeks__isnull=False)
    if params.modified_after is not None:
        qs = qs.filter(updated_at__gte=params.modified_after)
    for word in _words(params.search):
        qs = qs.filter(Q(name__icontains=word) | Q(alternate_name__icontains=word)
                       | Q(description__icontains=word) | Q(organisation__name__icontains=word))
    qs = qs.select_related("organisation")
    if full:
        qs = _prefetched(qs).prefetch_related("locations")
    return qs.order_by("name", "id")


def exchange_locations(params: Exchange, *, full: bool = False) -> QuerySet[Location]:
    """Locations of the matching services (each is one service_at_location), by service, then name."""
    qs = Location.objects.filter(service__in=exchange_services(params).values("id"))
    qs = qs.select_related("service__organisation")
    if full:
        qs = qs.prefetch_related(
            "service__domains", "service__languages", "service__areas", "service__locations",
            Prefetch("service__contacts", queryset=Contact.objects.select_related("professional__user")
                     .order_by("name", "id")))
    return qs.order_by("service__name", "service_id", "name", "id")


def exchange_organisations(*, search: str = "") -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    for word in _words(search):
        qs = qs.filter(name__icontains=word)
    return qs.order_by("name", "id")


@selector
def import_page(*, actor) -> None:
    """The import page opens for organisation and network admins; a refusal is audited."""
    require_import(actor, "directory.import_page")
