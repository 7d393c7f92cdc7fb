"""Reads of plans, actions, reviews and discussions; each takes the acting professional."""
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from oneplan.access import rules
from oneplan.access.models import Category
from oneplan.accounts.models import Professional
from oneplan.audit.services import record
from oneplan.core.errors import NotFound
from oneplan.core.layers import selector
from oneplan.families.selectors import flags_for
from oneplan.plans.diff import version_diff
from oneplan.plans.models import (
    Action,
    CaseDiscussion,
    Goal,
    Plan,
    PlanVersion,
    Review,
    ReviewScore,
)

_GOALS = Prefetch("goals", queryset=Goal.objects.prefetch_related("persons").order_by("priority", "id"))


@dataclass
class PlanPage:
    access: rules.FamilyAccess
    plan: Plan | None
    agreed: PlanVersion | None
    draft: PlanVersion | None
    versions: list[PlanVersion]
    actions: list[Action]
    reviews: list[Review]
    overdue: bool = False
    actions_by_goal: dict = field(default_factory=dict)
    latest_levels: dict = field(default_factory=dict)
    flags: list = field(default_factory=list)

    @property
    def family(self):
        return self.access.family


def _plan_page(access) -> PlanPage:
    plan = Plan.objects.filter(family=access.family).first()
    versions = list(plan.versions.prefetch_related(_GOALS, "agreed_by").order_by("-status", "-number")
                    ) if plan else []
    agreed = next((v for v in versions if v.is_agreed), None)
    draft = next((v for v in versions if not v.is_agreed), None)
    actions = list(Action.objects.filter(family=access.family)
                   .exclude(status=Action.Status.CANCELLED)
                   .select_related("professional__user", "network_member", "person")
                   .order_by("status", "due_on", "id"))
    reviews = list(plan.reviews.prefetch_related(
        Prefetch("scores", queryset=ReviewScore.objects.select_related("goal"))
    ).order_by("-held_on", "-id")) if plan else []
    page = PlanPage(access, plan, agreed, draft, [v for v in versions if v.is_agreed], actions,
                    reviews)
    page.overdue = bool(plan and plan.next_review_on and plan.next_review_on < timezone.localdate())
    # The family's flags show on every page of it (an active family without a coordinator).
    family = access.family
    family.has_coordinator = rules.active_team(family).filter(role="coordinator").exists()
    page.flags = flags_for(family)
    for action in actions:
        page.actions_by_goal.setdefault(action.goal_key, []).append(action)
    # Goals keep their key across versions, so the last review's levels show on the new version.
    page.latest_levels = {s.goal.key: s.level for s in reviews[0].scores.all()} if reviews else {}
    return page


@selector
def plan_page(*, actor: Professional, family_id: int) -> PlanPage:
    access = rules.family_access(actor, family_id, "family.read")
    page = _plan_page(access)
    record(actor, "plan.read", page.plan, family=access.family, category=Category.PLAN,
           object_type="plans.plan", object_id=page.plan.pk if page.plan else "")
    return page


def plan_summary(access) -> PlanPage:
    """For the family file section; the family file read is audited already."""
    return _plan_page(access)


@selector
def version_detail(*, actor: Professional, family_id: int, number: int):
    access = rules.family_access(actor, family_id, "family.read")
    versions = (PlanVersion.objects.filter(plan__family=access.family, status=PlanVersion.Status.AGREED)
                .prefetch_related(_GOALS, "agreed_by").select_related("recorded_by__user"))
    version = versions.filter(number=number).first()
    if version is None:
        raise NotFound("This plan version does not exist.")
    previous = versions.filter(number__lt=number).order_by("-number").first()
    record(actor, "plan.version.read", version, family=access.family, category=Category.PLAN)
    return access, version, previous, version_diff(previous, version)


@selector
def my_open_actions(*, actor: Professional) -> QuerySet[Action]:
    """Open actions of the actor across every family whose team they are on now."""
    families = rules.CareTeamMember.objects.filter(rules.active_team_q(), professional=actor
                                                   ).values("family_id")
    record(actor, "plan.actions.mine")
    return (Action.objects.filter(professional=actor, status=Action.Status.OPEN, family_id__in=families)
            .select_related("family").order_by(F("due_on").asc(nulls_last=True), "id"))


@selector
def discussions(*, actor: Professional, family_id: int):
    access = rules.family_access(actor, family_id, "family.read")
    visible, reason = rules.category_visible(access, Category.NOTES)
    items = []
    if visible:
        items = list(CaseDiscussion.objects.filter(family=access.family)
                     .prefetch_related("participants__user", "actions")
                     .select_related("recorded_by__user"))
    record(actor, "plan.discussions.read", family=access.family, category=Category.NOTES,
           outcome="allowed" if visible else "denied", reason=reason)
    return access, items, reason
