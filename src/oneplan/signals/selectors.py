"""Reading the reference index: one's own organisation's signals and the matches they made."""
import datetime as dt

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from oneplan.accounts.models import Professional
from oneplan.audit.services import record
from oneplan.core.layers import selector
from oneplan.signals.models import Match, Signal
from oneplan.signals.services import visible_match

STATES = ("active", "ended", "all")


@selector
def organisation_signals(*, actor: Professional, state: str = "active",
                         today: dt.date | None = None) -> QuerySet[Signal]:
    """Signals of the actor's organisations, soonest expiry first; paginate the result."""
    today = today or timezone.localdate()
    qs = (Signal.objects.filter(organisation__in=actor.organisations.values("pk"))
          .select_related("organisation", "professional__user"))
    if state == "active":
        qs = qs.filter(ended_on__isnull=True, expires_on__gte=today).order_by("expires_on", "id")
    elif state == "ended":
        qs = qs.filter(Q(ended_on__isnull=False) | Q(expires_on__lt=today)).order_by("-registered_on", "-id")
    else:
        qs = qs.order_by("-registered_on", "-id")
    record(actor, "signals.read", object_type="signals.signal", reason=f"state={state}"[:200])
    return qs


@selector
def organisation_matches(*, actor: Professional) -> QuerySet[Match]:
    """Matches involving the actor's organisations; those still to agree on first."""
    orgs = actor.organisations.values("pk")
    open_first = ExpressionWrapper(Q(acknowledged_at__isnull=True), output_field=BooleanField())
    return (Match.objects.filter(Q(first__organisation__in=orgs) | Q(second__organisation__in=orgs),
                                 state=Match.State.MATCHED)
            .select_related("first__organisation", "first__professional__user",
                            "second__organisation", "second__professional__user",
                            "coordinator__user")
            .alias(open=open_first).order_by("-open", "-created_at", "-id"))


@selector
def possible_matches(*, actor: Professional) -> QuerySet[Match]:
    """Possible matches of the actor's organisations' registrations, waiting to be checked.

    Only the registering (second) side sees them; the first side learns of a match only once
    it is confirmed.
    """
    return (Match.objects.filter(second__organisation__in=actor.organisations.values("pk"),
                                 state=Match.State.POSSIBLE)
            .select_related("second__professional__user").order_by("-created_at", "-id"))


@selector
def match_detail(*, actor: Professional, match_id: int) -> Match:
    match = visible_match(actor, match_id, "match.read")
    record(actor, "match.read", match)
    return match
