"""Break-glass grants and their review by a privacy officer."""
import datetime as dt

from django.conf import settings
from django.utils import timezone

from oneplan.access import rules
from oneplan.access.models import AccessGrant
from oneplan.accounts.models import Professional, Role
from oneplan.audit.services import record
from oneplan.core.errors import Conflict, InvalidInput, NotFound
from oneplan.core.layers import service
from oneplan.families.models import Family

MIN_REASON = 20


@service
def break_glass_open(*, actor: Professional, reference: str, reason: str,
                     hours: int | None = None) -> AccessGrant:
    """Open a family one is not on the team of; audited and queued for review."""
    max_hours = settings.ONEPLAN["BREAK_GLASS_MAX_HOURS"]
    hours = max_hours if hours is None else hours
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise InvalidInput(f"Give a reason of at least {MIN_REASON} characters: it is reviewed by "
                           "the privacy officer.", field="reason")
    if not 1 <= hours <= max_hours:
        raise InvalidInput(f"Emergency access lasts 1 to {max_hours} hours.", field="hours")
    family = Family.objects.filter(reference=(reference or "").strip().upper()).first()
    if family is None:
        raise NotFound("No family has this reference.", field="reference")
    if rules.active_team(family).filter(professional=actor).exists():
        raise Conflict("You are on this family's team already; open it from your caseload.",
                       field="reference")
    now = timezone.now()
    grant = AccessGrant.objects.create(
        professional=actor, organisation=actor.primary_organisation, family=family,
        reason=reason, granted_at=now, expires_at=now + dt.timedelta(hours=hours))
    record(actor, "breakglass.open", grant, family=family, reason=reason)
    return grant


@service
def grant_review(*, actor: Professional, grant_id: int, justified: bool, note: str = "") -> AccessGrant:
    rules.require_role(actor, Role.PRIVACY_OFFICER, "breakglass.review")
    grant = AccessGrant.objects.select_for_update().filter(pk=grant_id).first()
    if grant is None:
        raise NotFound("No such emergency access grant.")
    if grant.review != AccessGrant.Review.PENDING:
        raise Conflict("This grant has been reviewed already.")
    if grant.professional_id == actor.pk:
        raise Conflict("You cannot review your own emergency access.")
    note = (note or "").strip()
    if not justified and not note:
        raise InvalidInput("Say why the access was not justified.", field="note")
    grant.review = AccessGrant.Review.JUSTIFIED if justified else AccessGrant.Review.UNJUSTIFIED
    grant.reviewed_by, grant.reviewed_at, grant.review_note = actor, timezone.now(), note
    grant.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note"])
    record(actor, "breakglass.review", grant, family=grant.family_id,
           reason=f"{grant.review}: {note}"[:2000])
    return grant
