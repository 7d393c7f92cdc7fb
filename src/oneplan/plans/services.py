"""Every change to a plan: drafting, goals, agreeing, actions, reviews, case discussions."""
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from oneplan.access import rules
from oneplan.access.models import Category
from oneplan.accounts.models import Professional
from oneplan.audit.services import record
from oneplan.core import events
from oneplan.core.errors import Conflict, InvalidInput, NotFound, StaleEdit
from oneplan.core.layers import service
from oneplan.core.text import clean_text
from oneplan.families.models import NetworkMember, Person
from oneplan.families.teams import team_organisations
from oneplan.plans import gas
from oneplan.plans.domains import LifeDomain
from oneplan.plans.models import (
    LOCK_VERSION_MAX,
    TEXT_MAX,
    Action,
    CaseDiscussion,
    Goal,
    Plan,
    PlanVersion,
    Review,
    ReviewScore,
)


class TooManyGoals(Conflict):
    title = "Many goals"


def _text(value, field, label, *, required=True, limit=TEXT_MAX) -> str:
    return clean_text(value, field, label, limit=limit, required=required)


def _household(family, person_ids) -> list[Person]:
    ids = {int(i) for i in person_ids or []}
    persons = list(Person.objects.filter(pk__in=ids, memberships__family=family,
                                         memberships__ended_on__isnull=True).distinct())
    if len(persons) != len(ids):
        raise InvalidInput("Choose persons from this household only.", field="persons")
    return persons


def _draft_for_edit(actor, version_id, lock_version) -> tuple[rules.FamilyAccess, PlanVersion]:
    access, version = rules.family_object(actor, PlanVersion.objects.select_related("plan"), version_id,
                                          "family.edit", family="plan.family_id", lock=True)
    if version.is_agreed:
        raise Conflict("This plan version has been agreed and can no longer change. Start a new draft.")
    if _checked_lock_version(lock_version) != version.lock_version:
        raise StaleEdit(_what_changed(version))
    return access, version


def _checked_lock_version(value) -> int:
    """The version the editor saw is required: without it the "someone else changed this"
    check would be skipped and a stale page would silently overwrite newer work."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= LOCK_VERSION_MAX:
        raise InvalidInput(gettext("This page did not say which version of the draft you "
                                   "changed. Reload the page and make your change again."),
                           field="lock_version")
    return value


def _what_changed(version: PlanVersion) -> str:
    goals = "; ".join(f"{g.priority}. {g.family_words[:60]}" for g in version.goals.all()) or "none"
    return (f"Someone else saved this draft while you were editing it, so your change was not "
            f"saved. The draft now reads — vision: “{version.vision[:200] or '(empty)'}”; "
            f"goals: {goals}. Check it and make your change again.")


def _touch(version: PlanVersion) -> None:
    version.lock_version += 1
    version.updated_at = timezone.now()
    version.save(update_fields=["lock_version", "updated_at", "vision"])


@service
def plan_draft(*, actor: Professional, family_id: int) -> PlanVersion:
    """The family's open draft, made from the last agreed version when there is none."""
    access = rules.family_access(actor, family_id, "family.edit")
    plan, _ = Plan.objects.get_or_create(family=access.family)
    draft = plan.versions.filter(status=PlanVersion.Status.DRAFT).first()
    if draft:
        return draft
    agreed = plan.versions.filter(status=PlanVersion.Status.AGREED).order_by("-number").first()
    draft = PlanVersion.objects.create(plan=plan, vision=agreed.vision if agreed else "",
                                       based_on=agreed, created_by=actor)
    for goal in (agreed.goals.prefetch_related("persons") if agreed else []):
        _copy_goal(goal, draft)
    record(actor, "plan.draft", draft, family=access.family, category=Category.PLAN)
    return draft


def _copy_goal(goal: Goal, draft: PlanVersion) -> Goal:
    """The same goal (same key, every field, the same persons) in the new draft.

    Built as a new object: re-saving the prefetched instance kept its prefetch cache, so
    `persons.set()` compared against the old goal's persons and copied none.
    """
    values = {f.attname: getattr(goal, f.attname) for f in Goal._meta.concrete_fields
              if not f.primary_key and f.name != "version"}
    copy = Goal.objects.create(version=draft, **values)
    copy.persons.set([p.pk for p in goal.persons.all()])
    return copy


@service
def draft_update_vision(*, actor: Professional, version_id: int, lock_version: int,
                        vision: str) -> PlanVersion:
    access, version = _draft_for_edit(actor, version_id, lock_version)
    version.vision = _text(vision, "vision", "The family's vision", required=False)
    _touch(version)
    record(actor, "plan.vision", version, family=access.family, category=Category.PLAN)
    return version


@dataclass
class GoalInput:
    domain: str
    family_words: str
    levels: list[str]
    persons: list[int]
    priority: int = 1
    target_date: dt.date | None = None
    status: str = Goal.Status.ACTIVE


def _clean_goal(family, data: GoalInput) -> dict:
    if data.domain not in LifeDomain.values:
        raise InvalidInput("Choose the life domain this goal is about.", field="domain")
    words = _text(data.family_words, "family_words", "The goal in the family's own words")
    if len(data.levels) != 5 or any(not (level or "").strip() for level in data.levels):
        missing = [lv for lv, text in zip(gas.LEVELS, data.levels + [""] * 5) if not (text or "").strip()]
        raise InvalidInput("Describe every attainment level from -2 to +2; missing: "
                           + ", ".join(f"{lv:+d}" if lv else "0" for lv in missing) + ".",
                           field="level_0" if 0 in missing else f"level_{'minus' if missing[0] < 0 else 'plus'}{abs(missing[0])}")
    if data.status not in Goal.Status.values:
        raise InvalidInput("Choose a goal status.", field="status")
    if not 1 <= int(data.priority) <= 99:
        raise InvalidInput("Priority is a rank from 1 (most important).", field="priority")
    levels = [_text(text, f, "A level", limit=500) for text, f in zip(data.levels, Goal.LEVEL_FIELDS)]
    return {"domain": data.domain, "family_words": words, "priority": int(data.priority),
            "target_date": data.target_date, "status": data.status,
            **dict(zip(Goal.LEVEL_FIELDS, levels)), "persons": _household(family, data.persons)}


@service
def goal_save(*, actor: Professional, version_id: int, lock_version: int, goal: GoalInput,
              goal_id: int | None = None, confirm_many: bool = False) -> Goal:
    """Add or change a goal of the draft; above the goal limit only with confirmation."""
    access, version = _draft_for_edit(actor, version_id, lock_version)
    values = _clean_goal(access.family, goal)
    persons = values.pop("persons")
    limit = settings.ONEPLAN["GOAL_LIMIT"]
    others = version.goals.filter(status=Goal.Status.ACTIVE).exclude(pk=goal_id).count()
    if values["status"] == Goal.Status.ACTIVE and others + 1 > limit and not confirm_many:
        raise TooManyGoals(f"This would make {others + 1} active goals. More than {limit} goals "
                           "at once overburden most families: agree on fewer, or confirm that the "
                           "family wants them all.", field="confirm_many")
    if goal_id:
        target = version.goals.filter(pk=goal_id).first()
        if target is None:
            raise NotFound("This goal is not in the draft.")
        for key, value in values.items():
            setattr(target, key, value)
        target.save()
    else:
        target = Goal.objects.create(version=version, **values)
    target.persons.set(persons)
    _touch(version)
    record(actor, "plan.goal.save", target, family=access.family, category=Category.PLAN)
    return target


@service
def goal_remove(*, actor: Professional, version_id: int, lock_version: int, goal_id: int) -> None:
    access, version = _draft_for_edit(actor, version_id, lock_version)
    deleted, _ = version.goals.filter(pk=goal_id).delete()
    if not deleted:
        raise NotFound("This goal is not in the draft.")
    _touch(version)
    record(actor, "plan.goal.remove", version, family=access.family, category=Category.PLAN,
           reason=f"goal {goal_id}")


@service
def plan_agree(*, actor: Professional, version_id: int, lock_version: int, agreed_by: list[int],
               agreed_how: str, next_review_on: dt.date, agreed_on: dt.date | None = None) -> PlanVersion:
    """The draft becomes the family's plan: an immutable, numbered version."""
    access, version = _draft_for_edit(actor, version_id, lock_version)
    today = timezone.localdate()
    if not version.vision.strip():
        raise InvalidInput("Write down the family's vision before agreeing the plan.", field="vision")
    if not version.goals.exists():
        raise InvalidInput("A plan needs at least one goal before the family can agree to it.")
    persons = _household(access.family, agreed_by)
    if not persons:
        raise InvalidInput("Say who in the family agreed.", field="agreed_by")
    if agreed_how not in PlanVersion.AgreedHow.values:
        raise InvalidInput("Say how the family agreed.", field="agreed_how")
    agreed_on = agreed_on or today
    if agreed_on > today:
        raise InvalidInput("The plan cannot be agreed in the future.", field="agreed_on")
    if next_review_on is None or next_review_on <= today:
        raise InvalidInput("Set a review date after today.", field="next_review_on")
    return agree_version(version=version, persons=persons, how=agreed_how, agreed_on=agreed_on,
                         next_review_on=next_review_on, recorded_by=actor, audit_actor=actor)


def agree_version(*, version: PlanVersion, persons, how: str, agreed_on, next_review_on,
                  recorded_by, audit_actor) -> PlanVersion:
    """Make a checked draft the family's next fixed version (callers check access and input)."""
    number = (version.plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    PlanVersion.objects.filter(pk=version.pk).update(
        status=PlanVersion.Status.AGREED, number=number, agreed_on=agreed_on, agreed_how=how,
        recorded_by=recorded_by, lock_version=version.lock_version + 1, updated_at=timezone.now())
    version.refresh_from_db()
    version.agreed_by.set(persons)
    Plan.objects.filter(pk=version.plan_id).update(next_review_on=next_review_on)
    record(audit_actor, "plan.agree", version, family=version.plan.family_id, category=Category.PLAN,
           reason=f"version {number}, {how}")
    family_id = version.plan.family_id
    events.publish(events.PLAN_AGREED, organisations=team_organisations(family_id), data={
        "family": events.reference("Group", family_id),
        "carePlan": events.reference("CarePlan", version.pk), "version": number,
        "agreedOn": agreed_on.isoformat()})
    return version


def _owner(family, owner: str) -> dict:
    kind, _, raw = (owner or "").partition(":")
    try:
        pk = int(raw)
    except ValueError:
        raise InvalidInput("Choose who does this.", field="owner")
    if kind == "pro" and rules.active_team(family).filter(professional_id=pk).exists():
        return {"professional_id": pk}
    if kind == "net" and NetworkMember.objects.filter(pk=pk, family=family, ended_on__isnull=True).exists():
        return {"network_member_id": pk}
    if kind == "person" and family.memberships.filter(person_id=pk, ended_on__isnull=True).exists():
        return {"person_id": pk}
    raise InvalidInput("Choose someone from the team, the household or the network.", field="owner")


def _goal_key(family, goal_key):
    if not goal_key:
        return None
    if not Goal.objects.filter(key=goal_key, version__plan__family=family).exists():
        raise InvalidInput("Choose a goal of this family's plan.", field="goal_key")
    return goal_key


@service
def action_add(*, actor: Professional, family_id: int, what: str, owner: str,
               due_on: dt.date | None = None, goal_key=None, discussion=None) -> Action:
    access = rules.family_access(actor, family_id, "family.edit")
    action = Action.objects.create(family=access.family, what=_text(what, "what", "What", limit=500),
                                   goal_key=_goal_key(access.family, goal_key), due_on=due_on,
                                   discussion=discussion, **_owner(access.family, owner))
    record(actor, "plan.action.add", action, family=access.family, category=Category.PLAN)
    return action


@service
def action_set_status(*, actor: Professional, action_id: int, status: str) -> Action:
    access, action = rules.family_object(actor, Action.objects, action_id, "family.edit", lock=True)
    if status not in Action.Status.values:
        raise InvalidInput("Choose a status.", field="status")
    action.status = status
    action.done_at = timezone.now() if status == Action.Status.DONE else None
    action.save(update_fields=["status", "done_at"])
    record(actor, "plan.action.status", action, family=access.family, category=Category.PLAN,
           reason=status)
    return action


@service
def review_record(*, actor: Professional, family_id: int, held_on: dt.date, levels: dict[int, int],
                  decisions: str, next_review_on: dt.date, family_present: bool = True,
                  family_attendees: list[int] = (), professionals: list[int] = ()) -> Review:
    """A review of the agreed plan: attainment per goal, decisions, the next review date."""
    access = rules.family_access(actor, family_id, "family.edit")
    plan = Plan.objects.filter(family=access.family).first()
    version = plan and plan.versions.filter(status=PlanVersion.Status.AGREED).order_by("-number").first()
    if version is None:
        raise Conflict("There is no agreed plan to review yet.")
    today = timezone.localdate()
    if held_on is None or held_on > today:
        raise InvalidInput("A review is recorded on or after the day it was held.", field="held_on")
    if next_review_on is None or next_review_on <= today:
        raise InvalidInput("The next review date must be after today.", field="next_review_on")
    goals = {g.pk: g for g in version.goals.filter(status=Goal.Status.ACTIVE)}
    missing = [g.family_words[:40] for pk, g in goals.items() if pk not in levels]
    if missing:
        raise InvalidInput("Give the attainment level for every goal: " + "; ".join(missing),
                           field="levels")
    if any(level not in gas.LEVELS for level in levels.values()):
        raise InvalidInput("Attainment levels run from -2 to +2.", field="levels")
    scored = {pk: level for pk, level in levels.items() if pk in goals}
    review = Review.objects.create(
        plan=plan, version=version, held_on=held_on, family_present=family_present,
        decisions=_text(decisions, "decisions", "What was decided"), next_review_on=next_review_on,
        t_score=gas.t_score(list(scored.values())), recorded_by=actor)
    ReviewScore.objects.bulk_create([ReviewScore(review=review, goal_id=pk, level=level)
                                     for pk, level in scored.items()])
    review.family_attendees.set(_household(access.family, family_attendees) if family_present else [])
    team = set(rules.active_team(access.family).values_list("professional_id", flat=True))
    review.professionals.set([p for p in professionals if int(p) in team])
    plan.next_review_on = next_review_on
    plan.save(update_fields=["next_review_on"])
    record(actor, "plan.review", review, family=access.family, category=Category.PLAN,
           reason=f"T={review.t_score:.1f}" if review.t_score is not None else "")
    return review


@dataclass
class NewAction:
    what: str
    owner: str
    due_on: dt.date | None = None
    goal_key: str | None = None


@service
def discussion_record(*, actor: Professional, family_id: int, kind: str, held_on: dt.date,
                      participants: list[int], agenda: str, notes: str = "", decisions: str = "",
                      family_took_part: bool = False, actions: list[NewAction] = ()) -> CaseDiscussion:
    """A multidisciplinary case discussion; its actions go straight into the plan."""
    access = rules.family_access(actor, family_id, "family.edit")
    if kind not in CaseDiscussion.Kind.values:
        raise InvalidInput("Choose the type of discussion.", field="kind")
    if held_on is None or held_on > timezone.localdate():
        raise InvalidInput("Record a discussion on or after the day it was held.", field="held_on")
    team = set(rules.active_team(access.family).values_list("professional_id", flat=True))
    chosen = {int(p) for p in participants}
    if not chosen or not chosen <= team:
        raise InvalidInput("Choose the participants from the care team.", field="participants")
    discussion = CaseDiscussion.objects.create(
        family=access.family, kind=kind, held_on=held_on, family_took_part=family_took_part,
        agenda=_text(agenda, "agenda", "The agenda"), notes=_text(notes, "notes", "Notes", required=False,
                                                               limit=TEXT_MAX * 2),
        decisions=_text(decisions, "decisions", "Decisions", required=False), recorded_by=actor)
    discussion.participants.set(chosen)
    record(actor, "plan.discussion", discussion, family=access.family, category=Category.NOTES,
           reason=kind)
    for new in actions:
        action_add(actor=actor, family_id=access.family.pk, what=new.what, owner=new.owner,
                   due_on=new.due_on, goal_key=new.goal_key, discussion=discussion)
    return discussion
