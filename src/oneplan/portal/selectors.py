"""What a family member sees: only households they belong to, in plain language."""
from dataclasses import dataclass

from django.db.models import Q

from oneplan.access import rules
from oneplan.audit.models import AuditEvent, Outcome
from oneplan.audit.services import record
from oneplan.core.errors import NotFound
from oneplan.core.layers import selector
from oneplan.families.models import Family


def _account(user):
    account = getattr(user, "family_account", None)
    if account is None:
        error = NotFound("This page does not exist.")
        error.pending_audit = {"actor": user, "action": "portal.read", "outcome": Outcome.DENIED,
                               "reason": "not a family account"}
        raise error
    return account


def my_families(*, user) -> list[Family]:
    account = _account(user)
    return list(Family.objects.filter(memberships__person=account.person,
                                      memberships__ended_on__isnull=True).distinct())


@dataclass
class PortalFamily:
    family: Family
    person: object
    plan: object
    agreed: object
    actions: list
    team: list
    consents: list
    access_log: list


@selector
def portal_family(*, user, family_id: int) -> PortalFamily:
    account = _account(user)
    family = Family.objects.filter(pk=family_id, memberships__person=account.person,
                                   memberships__ended_on__isnull=True).first()
    if family is None:
        error = NotFound("This page does not exist.")
        error.pending_audit = {"actor": user, "action": "portal.family.read", "outcome": Outcome.DENIED,
                               "family": family_id if str(family_id).isdigit() else None,
                               "reason": "not a member of this household"}
        raise error
    from oneplan.access.models import Consent
    from oneplan.plans.models import Action, Plan, PlanVersion

    plan = Plan.objects.filter(family=family).first()
    agreed = (PlanVersion.objects.filter(plan=plan, status="agreed").order_by("-number")
              .prefetch_related("goals").first()) if plan else None
    actions = list(Action.objects.filter(family=family, status="open")
                   .select_related("professional__user", "network_member", "person").order_by("due_on"))
    team = list(rules.active_team(family).select_related("professional__user", "organisation")
                .order_by("role"))
    consents = list(Consent.objects.filter(family=family).filter(
        Q(subject__isnull=True) | Q(subject=account.person)).select_related("organisation"))
    # Who opened this family's file: professionals' reads and changes, never other families.
    access_log = list(AuditEvent.objects.filter(family_id=family.pk, actor_id__isnull=False,
                                                outcome=Outcome.ALLOWED)
                      .exclude(actor_id=user.pk).order_by("-id")[:50])
    from oneplan.accounts.models import User

    names = {u.pk: u.display_name for u in User.objects.filter(pk__in={e.actor_id for e in access_log})}
    for event in access_log:
        event.who = names.get(event.actor_id, event.actor_label)
    record(user, "portal.family.read", family, family=family, person=account.person)
    return PortalFamily(family, account.person, plan, agreed, actions, team, consents, access_log)
