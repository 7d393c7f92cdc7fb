"""Who may see and move a referral, built on the family access rules (oneplan.access.rules).

Two sides see a referral: the referrer side (active members of the family's care team) and
the receiver side (practitioners, coordinators, team managers and organisation admins of the
receiving organisation). Anyone else is told it does not exist, and the attempt is audited.
Drafts are the referrer side's own.
"""
from dataclasses import dataclass

from oneplan.access import rules
from oneplan.accounts.models import Professional, Role
from oneplan.core.errors import DomainError, NotFound
from oneplan.core.errors import refused as audited
from oneplan.core.ids import valid_id
from oneplan.referrals.models import Referral
from oneplan.referrals.workflow import RECEIVER, REFERRER, Status

RECEIVER_ROLES = frozenset({Role.PRACTITIONER, Role.COORDINATOR, Role.TEAM_MANAGER, Role.ORG_ADMIN})


@dataclass
class ReferralAccess:
    professional: Professional
    referral: Referral
    sides: frozenset
    family_access: rules.FamilyAccess | None  # set on the referrer side

    @property
    def is_referrer(self) -> bool:
        return REFERRER in self.sides

    @property
    def is_receiver(self) -> bool:
        return RECEIVER in self.sides


def receiving_organisation_ids(actor: Professional | None) -> list[int]:
    """The organisations whose incoming referrals the actor works on."""
    if actor is None or not any(actor.has_role(r) for r in RECEIVER_ROLES):
        return []
    if actor.is_system_client:
        return [actor.acting_for_id]
    return [o.pk for o in actor.organisations.all()]


def refused(error, *, actor, referral_id, action: str, reason: str, family_id=None):
    """`error` carrying its audit refusal (written after the rollback by @service/@selector)."""
    return audited(error, actor=actor, action=action, reason=reason, family=family_id,
                   object_type="referrals.referral", object_id=referral_id)


def _not_found(actor, referral_id, action: str, reason: str, family_id=None) -> NotFound:
    return refused(NotFound("This referral does not exist or you have no access to it."), actor=actor,
                   referral_id=referral_id, action=action, reason=reason, family_id=family_id)


def referral_access(actor: Professional | None, referral_id, action: str = "referral.read",
                    *, for_update: bool = False) -> ReferralAccess:
    """The actor's sides on one referral, or NotFound carrying the audit refusal."""
    # Users come by prefetch, not join: PostgreSQL plans an 8-table join longer than it runs it.
    qs = (Referral.objects.select_related("family", "service", "organisation", "referrer_organisation")
          .prefetch_related("referrer__user", "receiving_professional__user"))
    if for_update:
        qs = qs.select_for_update(of=("self",))
    referral = qs.filter(pk=referral_id).first() if valid_id(referral_id) else None
    if actor is None or referral is None:
        raise _not_found(actor, referral_id, action, "no such referral" if actor else "not a professional")
    sides, family_access = set(), None
    try:
        family_access = rules.family_access(actor, referral.family_id, "referral.send")
        sides.add(REFERRER)
    except DomainError:
        pass  # not on the team: maybe the receiving side
    if referral.status != Status.DRAFT and referral.organisation_id in receiving_organisation_ids(actor):
        sides.add(RECEIVER)
    if not sides:
        raise _not_found(actor, referral_id, action, "neither on the family's team nor in the receiving "
                         "organisation", family_id=referral.family_id)
    return ReferralAccess(actor, referral, frozenset(sides), family_access)
