"""Break-glass grants and their review by a privacy officer."""
import datetime as dt
from typing import Callable

from django.conf import settings
from django.utils import timezone

from oneplan.access import rules
from oneplan.access.models import AccessGrant
from oneplan.accounts.models import Professional, Role
from oneplan.audit.services import record
from oneplan.core import crypto
from oneplan.core.errors import Conflict, InvalidInput, NotFound, refused
from oneplan.core.layers import service
from oneplan.core.national_id import normalise_national_id
from oneplan.families.models import Family, Person

MIN_REASON = 20


# fn(grant) for every new emergency access: the inbox app tells the privacy officers.
BREAK_GLASS_OPENED: list[Callable] = []


def _denied_lookup(actor, reason: str, message: str, field: str) -> NotFound:
    error = NotFound(message, field=field)
    refused(error, actor=actor, action="breakglass.open", reason=reason,
            object_type="families.family")
    return error


def _family_for(actor, reference: str, national_id: str, date_of_birth) -> Family:
    """By the file reference, or, for someone outside the team in a crisis, by a person's
    national identifier together with their date of birth (both must match)."""
    reference = (reference or "").strip().upper()
    if reference:
        family = Family.objects.filter(reference=reference).first()
        if family is None:
            raise _denied_lookup(actor, "no such reference", "No family has this reference.",
                                 "reference")
        return family
    if not (national_id or "").strip() or date_of_birth is None:
        raise InvalidInput("Give the family reference, or the person's national identifier and "
                           "date of birth.", field="reference")
    digest = crypto.keyed_hash(normalise_national_id(national_id), purpose="national_id")
    person = Person.objects.filter(national_id_hash=digest, date_of_birth=date_of_birth).first()
    families = list(Family.objects.filter(
        memberships__person=person, memberships__ended_on__isnull=True).exclude(
        status=Family.Status.CLOSED).distinct().order_by("reference")) if person else []
    if not families:
        # The same answer for an unknown identifier and a wrong date of birth: no probing.
        raise _denied_lookup(actor, "no open family for this identifier and date of birth",
                             "No open family file matches this national identifier and date of "
                             "birth.", "national_id")
    if len(families) > 1:
        raise InvalidInput("This person lives in more than one household: "
                           + ", ".join(f.reference for f in families)
                           + ". Enter the reference of the one you need.", field="reference")
    return families[0]


@service
def break_glass_open(*, actor: Professional, reason: str, reference: str = "",
                     national_id: str = "", date_of_birth: dt.date | None = None,
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
    family = _family_for(actor, reference, national_id, date_of_birth)
    if rules.active_team(family).filter(professional=actor).exists():
        raise Conflict("You are on this family's team already; open it from your caseload.",
                       field="reference")
    now = timezone.now()
    grant = AccessGrant.objects.create(
        professional=actor, organisation=actor.primary_organisation, family=family,
        reason=reason, granted_at=now, expires_at=now + dt.timedelta(hours=hours))
    record(actor, "breakglass.open", grant, family=family, reason=reason)
    for hook in BREAK_GLASS_OPENED:
        hook(grant)
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
