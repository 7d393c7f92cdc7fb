"""Reads of access data: the privacy officer's break-glass review queue, a family's consents."""
from django.db.models import QuerySet

from oneplan.access import rules
from oneplan.access.models import AccessGrant, Consent
from oneplan.accounts.models import Professional, Role
from oneplan.audit.services import record
from oneplan.core.errors import NotFound
from oneplan.core.layers import selector


@selector
def review_queue(*, actor: Professional, status: str = AccessGrant.Review.PENDING):
    rules.require_role(actor, Role.PRIVACY_OFFICER, "breakglass.queue")
    record(actor, "breakglass.queue.read", reason=status)
    qs = AccessGrant.objects.select_related(
        "professional__user", "organisation", "family", "reviewed_by__user")
    return qs.filter(review=status) if status else qs


def active_grant(*, actor: Professional, family_id: int) -> AccessGrant | None:
    return (AccessGrant.objects.filter(rules.active_grants_q(), professional=actor,
                                       family_id=family_id).order_by("-expires_at").first())


@selector
def grant_detail(*, actor: Professional, grant_id: int) -> AccessGrant:
    rules.require_role(actor, Role.PRIVACY_OFFICER, "breakglass.review.read")
    grant = (AccessGrant.objects.select_related("professional__user", "organisation", "family",
                                                "reviewed_by__user").filter(pk=grant_id).first())
    if grant is None:
        raise NotFound("No such emergency access grant.")
    record(actor, "breakglass.review.read", grant, family=grant.family_id)
    return grant


@selector
def family_consents(*, actor: Professional, family_id: int) -> QuerySet[Consent]:
    """A family's consents, given and withdrawn (as on the family file); paginate the result."""
    access = rules.family_access(actor, family_id, "family.read")
    record(actor, "consent.read", access.family, family=access.family, organisation=access.organisation,
           reason="break-glass" if access.via_break_glass else "")
    return (Consent.objects.filter(family=access.family)
            .select_related("organisation").prefetch_related("given_by"))
