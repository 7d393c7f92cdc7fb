"""Reading the directory: search by need, age, area, language and text; one service with its stats.

The directory holds no family data, so reading it is not audited; changing it is.
"""
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from oneplan.accounts.models import Organisation
from oneplan.core.crypto import normalise_name
from oneplan.core.errors import NotFound
from oneplan.core.ids import valid_id
from oneplan.core.layers import selector
from oneplan.directory.models import Contact, Service, ServiceArea, ServiceDomain, ServiceLanguage
from oneplan.directory.services import require_edit

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
