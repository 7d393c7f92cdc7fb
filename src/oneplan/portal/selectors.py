"""What a family member sees: only households they belong to, in plain language."""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from oneplan.access import rules
from oneplan.access.consent import ADULT_RELATIONS
from oneplan.access.models import Consent
from oneplan.audit.services import record
from oneplan.core.errors import InvalidInput, NotFound, refused
from oneplan.core.layers import selector
from oneplan.families.models import Family, Note
from oneplan.plans.models import Action, Plan, PlanVersion
from oneplan.portal.models import GoalProgress
from oneplan.portal.timeline import Timeline, family_timeline
from oneplan.referrals.models import Referral


def _account(user):
    account = getattr(user, "family_account", None)
    if account is None:
        error = NotFound("This page does not exist.")
        refused(error, actor=user, action="portal.read", reason="not a family account")
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
    timeline: Timeline


def _household(user, family_id, action: str) -> tuple:
    """(account, family) of a current member of this household; anyone else: not found, audited."""
    account = _account(user)
    family = Family.objects.filter(pk=family_id, memberships__person=account.person,
                                   memberships__ended_on__isnull=True).first()
    if family is None:
        error = NotFound("This page does not exist.")
        refused(error, actor=user, action=action,
                family=family_id if str(family_id).isdigit() else None,
                reason="not a member of this household")
        raise error
    return account, family


@selector
def portal_family(*, user, family_id: int) -> PortalFamily:
    account, family = _household(user, family_id, "portal.family.read")

    plan = Plan.objects.filter(family=family).first()
    agreed = (PlanVersion.objects.filter(plan=plan, status="agreed").order_by("-number")
              .prefetch_related("goals").first()) if plan else None
    actions = list(Action.objects.filter(family=family, status="open")
                   .select_related("professional__user", "network_member", "person").order_by("due_on"))
    team = list(rules.active_team(family).select_related("professional__user", "organisation")
                .order_by("role"))
    consents = list(Consent.objects.filter(family=family).filter(
        Q(subject__isnull=True) | Q(subject=account.person)).select_related("organisation"))
    # Who opened this family's file (the newest page of the timeline), never other families'.
    timeline = family_timeline(family_id=family.pk, viewer_id=user.pk, short=True)
    record(user, "portal.family.read", family, family=family, person=account.person)
    page = PortalFamily(family, account.person, plan, agreed, actions, team, consents, timeline)
    page.notes = shared_notes(family, account.person)
    page.draft = (PlanVersion.objects.filter(plan=plan, status="draft").prefetch_related("goals").first()
                  if plan else None)
    page.referrals = shared_referrals(family, account.person)

    page.progress = {}
    for item in GoalProgress.objects.filter(family=family).select_related("person")[:100]:
        page.progress.setdefault(item.goal_key, []).append(item)
    return page


FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(9000, 1, 1)


@selector
def who_looked(*, user, family_id: int, before: str = "") -> tuple[Family, Timeline]:
    """One page of the family's timeline, back in time from `before` (YYYY-MM-DD, exclusive)."""
    account, family = _household(user, family_id, "portal.timeline.read")
    day = None
    if before:
        try:
            day = dt.date.fromisoformat(before)
            if not FIRST_DAY <= day <= LAST_DAY:  # beyond these the time-zone shift overflows
                raise ValueError(before)
        except ValueError:
            raise InvalidInput(_("This page of the list does not exist: go back to the newest page."),
                               field="before") from None
    timeline = family_timeline(family_id=family.pk, viewer_id=user.pk, before=day)
    record(user, "portal.timeline.read", family, family=family, person=account.person,
           reason=f"before={day}" if day else "")
    return family, timeline


def _age_rule(family, viewer):
    """What a family member may read about whom: about themselves always; about the family
    or children under 12 if they are an adult of the household; about anyone else of 12 or
    older never (that is the other person's own). fn(persons about) -> bool."""
    from django.conf import settings


    adult = family.memberships.filter(person=viewer, relation__in=ADULT_RELATIONS,
                                      ended_on__isnull=True).exists()
    limit = settings.ONEPLAN["CONSENT_AGES"]["PARENT_ONLY"]
    return lambda persons: (any(p.pk == viewer.pk for p in persons)
                            or (adult and all(p.age < limit for p in persons)))


def shared_notes(family, viewer) -> list:
    """Notes shared with the family, under the age rule."""

    may_read = _age_rule(family, viewer)
    return [note for note in Note.objects.filter(family=family, visibility=Note.Visibility.FAMILY)
            .select_related("about", "author__user") if may_read([note.about] if note.about else [])]


def shared_referrals(family, viewer) -> list:
    """The family's sent referrals, under the same age rule as notes."""

    may_read = _age_rule(family, viewer)
    visible = []
    for referral in (Referral.objects.filter(family=family).exclude(status="draft")
                     .select_related("service", "organisation", "handoff__receiving_professional__user")
                     .prefetch_related("persons").order_by("-status_changed_at")[:20]):
        referral.person_list = list(referral.persons.all())
        if may_read(referral.person_list):
            visible.append(referral)
    return visible
