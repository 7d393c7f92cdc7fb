"""What an organisation admin sees of their webhooks (no family data: ids and answers only)."""
from django.db.models import Count, Max, Q

from oneplan.accounts.models import Professional
from oneplan.core.layers import selector
from oneplan.webhooks.models import Delivery, Endpoint
from oneplan.webhooks.services import admin_organisations, endpoint_for, require_admin


@selector
def managed_organisations(*, actor: Professional) -> list:
    """The actor's organisations as an org admin, each with its endpoints (refused when none)."""
    organisations = list(admin_organisations(actor).order_by("name"))
    if not organisations:
        require_admin(actor, None, "webhooks.read", object_type="webhooks.endpoint")
    endpoints = (Endpoint.objects.filter(organisation__in=organisations)
                 .annotate(failed=Count("deliveries", filter=Q(deliveries__failed_at__isnull=False)),
                           last=Max("deliveries__created_at"))
                 .order_by("-active", "-created_at"))
    by_org = {}
    for endpoint in endpoints:
        by_org.setdefault(endpoint.organisation_id, []).append(endpoint)
    for organisation in organisations:
        organisation.endpoint_list = by_org.get(organisation.pk, [])
    return organisations


@selector
def endpoint_detail(*, actor: Professional, endpoint_id) -> Endpoint:
    return endpoint_for(actor, endpoint_id, "webhooks.read")


def deliveries(endpoint: Endpoint):
    """Newest first (a page at a time, core.pagination)."""
    return Delivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-id")
