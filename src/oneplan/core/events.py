"""Domain events other systems may hear about: the apps that own a change publish, upper apps
subscribe (in their AppConfig.ready; the webhooks app turns events into signed deliveries).

`publish` is called INSIDE the owning service's transaction, so a subscriber that writes (a
delivery, an outbox message) commits or rolls back with the change itself. An event names the
organisations that may hear it and carries ids and FHIR-style references only, never personal
data (no names, no free text, no national identifiers): a receiver that needs more asks the API
with its own credentials, where the access rules apply.

Event types:

- `referral.status_changed`  every step of a referral (sent, received, accepted, ...);
  heard by the referring and the receiving organisation.
- `handoff.held`             a warm handoff meeting was recorded; both sides of the referral.
- `plan.agreed`              a plan version was agreed; the organisations on the family's team.
- `consent.given`            a consent was recorded; the consent's organisation, or the team's
- `consent.withdrawn`        organisations for a consent given to the whole team.
- `team.member_added`        someone joined a family's care team; the member's organisation.
- `team.member_ended`        someone left a family's care team; the member's organisation.
- `signal.matched`           two organisations registered the same person in the reference
                             index (a match, or a possible match confirmed); both sides.
"""
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

REFERRAL_STATUS_CHANGED = "referral.status_changed"
HANDOFF_HELD = "handoff.held"
PLAN_AGREED = "plan.agreed"
CONSENT_GIVEN = "consent.given"
CONSENT_WITHDRAWN = "consent.withdrawn"
TEAM_MEMBER_ADDED = "team.member_added"
TEAM_MEMBER_ENDED = "team.member_ended"
SIGNAL_MATCHED = "signal.matched"

TYPES = (REFERRAL_STATUS_CHANGED, HANDOFF_HELD, PLAN_AGREED, CONSENT_GIVEN, CONSENT_WITHDRAWN,
         TEAM_MEMBER_ADDED, TEAM_MEMBER_ENDED, SIGNAL_MATCHED)


@dataclass(frozen=True)
class Event:
    id: str  # "evt_" + 32 hex digits, unique per published event
    type: str
    organisations: tuple[int, ...]
    data: dict
    occurred_at: object  # an aware datetime


# fn(event), called inside the publishing transaction. Registered by upper apps.
SUBSCRIBERS: list[Callable[[Event], None]] = []


def subscribe(fn: Callable[[Event], None]) -> None:
    if fn not in SUBSCRIBERS:
        SUBSCRIBERS.append(fn)


def reference(resource: str, pk) -> str | None:
    """A FHIR-style relative reference ("Group/12"), or None when there is no object."""
    return f"{resource}/{pk}" if pk is not None else None


def publish(event_type: str, *, organisations: Iterable, data: dict) -> Event:
    """Tell the subscribers about a change, inside the caller's transaction."""
    if event_type not in TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    orgs = tuple(sorted({int(getattr(o, "pk", o)) for o in organisations if o is not None}))
    event = Event(id=f"evt_{uuid.uuid4().hex}", type=event_type, organisations=orgs, data=dict(data),
                  occurred_at=timezone.now())
    for subscriber in SUBSCRIBERS:
        subscriber(event)
    return event
