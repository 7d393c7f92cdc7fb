"""What a family member does in the portal: consent and feedback. Every action is audited."""
import re

from django.utils import timezone

from oneplan.access import consent as consent_rules
from oneplan.access.models import BASIC_CATEGORIES, Category, Consent
from oneplan.access.rules import active_team
from oneplan.access.services_consent import announce
from oneplan.audit.services import record
from oneplan.core.errors import Conflict, InvalidInput, NotFound, refused
from oneplan.core.layers import service
from oneplan.families.models import Family
from oneplan.plans.models import Goal, PlanVersion, Review
from oneplan.plans.services import agree_version
from oneplan.portal.models import Feedback, GoalProgress

COMMENT_MAX = 1000


def household_member(user, family_id):
    account = getattr(user, "family_account", None)
    family = account and Family.objects.filter(pk=family_id, memberships__person=account.person,
                                               memberships__ended_on__isnull=True).first()
    if family is None:
        error = NotFound("This page does not exist.")
        refused(error, actor=user, action="portal.write", family=family_id,
                reason="not a member of this household")
        raise error
    return account.person, family


@service
def portal_consent_give(*, user, family_id: int, categories: list[str], organisation_id=None) -> Consent:
    """A family member gives consent for the family as a whole (adults) or about themselves."""
    person, family = household_member(user, family_id)
    cats = [c for c in dict.fromkeys(categories or []) if c in Category.values and c not in BASIC_CATEGORIES]
    if not cats:
        raise InvalidInput("Choose what may be shared.", field="categories")
    rule = consent_rules.required_givers(None, family, timezone.localdate())
    is_adult = family.memberships.filter(person=person, relation__in=consent_rules.ADULT_RELATIONS).exists()
    subject = None if is_adult else person
    if subject is not None:
        rule = consent_rules.required_givers(subject, family, timezone.localdate())
        if rule != "child":
            raise InvalidInput("Ask your parent and your coordinator: at your age you decide together.",
                               field="categories")
    consent_rules.check_givers(rule, subject, [person], family)
    organisation = None
    if organisation_id:

        member = active_team(family).filter(organisation_id=organisation_id).select_related("organisation").first()
        if member is None:
            raise InvalidInput("Choose an organisation from your team.", field="organisation")
        organisation = member.organisation
    item = Consent.objects.create(family=family, subject=subject, organisation=organisation, categories=cats,
                                  valid_from=timezone.localdate(), how=Consent.How.PORTAL)
    item.given_by.set([person])
    record(user, "consent.record", item, family=family, person=person, category=Category.IDENTITY,
           reason="in the portal: " + ",".join(cats))
    announce(item, change="given", actor=None)
    return item


@service
def portal_consent_withdraw(*, user, family_id: int, consent_id: int) -> Consent:
    person, family = household_member(user, family_id)
    item = Consent.objects.select_for_update().filter(pk=consent_id, family=family).first()
    if item is None:
        raise NotFound("This consent does not exist.")
    is_adult = family.memberships.filter(person=person, relation__in=consent_rules.ADULT_RELATIONS).exists()
    may = item.subject_id == person.pk or item.given_by.filter(pk=person.pk).exists() or (
        item.subject_id is None and is_adult)
    if not may:
        raise Conflict("Only the person it is about, or who gave it, can withdraw this consent.")
    if item.withdrawn_at:
        raise Conflict("This consent was withdrawn already.")
    item.withdrawn_at, item.withdrawn_reason = timezone.now(), "withdrawn by the family in the portal"
    item.withdrawn_by_person, item.withdrawn_how = person, Consent.How.PORTAL
    item.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by_person", "withdrawn_how"])
    record(user, "consent.withdraw", item, family=family, person=person, category=Category.IDENTITY,
           reason="in the portal")
    announce(item, change="withdrawn", actor=None)
    return item


@service
def feedback_give(*, user, family_id: int, rating, comment: str = "", professional_id=None,
                  review_id=None) -> Feedback:
    person, family = household_member(user, family_id)
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        raise InvalidInput("Choose a rating from 1 to 5.", field="rating")
    if not 1 <= rating <= 5:
        raise InvalidInput("Choose a rating from 1 to 5.", field="rating")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(f"Your comment can be at most {COMMENT_MAX} characters.", field="comment")

    if professional_id and not active_team(family).filter(professional_id=professional_id).exists():
        raise InvalidInput("Choose someone from your team.", field="professional")
    if review_id and not Review.objects.filter(pk=review_id, plan__family=family).exists():
        raise InvalidInput("Choose one of your reviews.", field="review")
    item = Feedback.objects.create(family=family, person=person, rating=rating, comment=comment,
                                   professional_id=professional_id or None, review_id=review_id or None)
    record(user, "portal.feedback", item, family=family, person=person, category=Category.PLAN)
    return item


@service
def goal_progress_add(*, user, family_id: int, goal_key: str, text: str):

    person, family = household_member(user, family_id)
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Write how it is going.", field="text")
    if len(text) > COMMENT_MAX:
        raise InvalidInput(f"At most {COMMENT_MAX} characters.", field="text")
    if not Goal.objects.filter(key=goal_key, version__plan__family=family).exists():
        raise NotFound("This goal is not in your plan.")
    item = GoalProgress.objects.create(family=family, goal_key=goal_key, person=person, text=text)
    record(user, "portal.goal_progress", item, family=family, person=person, category=Category.PLAN)
    return item


@service
def portal_plan_agree(*, user, family_id: int, version_id: int, lock_version: int):
    """A family member (an adult, or a young person of 16 or older) agrees to the draft plan."""
    import datetime as dt

    from django.conf import settings


    person, family = household_member(user, family_id)
    version = (PlanVersion.objects.select_for_update().select_related("plan")
               .filter(pk=version_id, plan__family=family, status=PlanVersion.Status.DRAFT).first())
    if version is None:
        raise NotFound("There is no new plan to agree to.")
    adult = family.memberships.filter(person=person, relation__in=consent_rules.ADULT_RELATIONS).exists()
    if not adult and person.age < settings.ONEPLAN["CONSENT_AGES"]["ALONE"]:
        raise InvalidInput("Your parent agrees to the plan; talk it through with them and your coordinator.")
    if not re.fullmatch(r"[0-9]{1,10}", str(lock_version)):
        raise InvalidInput("The page was incomplete: open the plan again, then agree.")
    if int(lock_version) != version.lock_version:
        raise Conflict("The plan changed while you were reading it. Read it again, then agree.")
    if not version.vision.strip() or not version.goals.exists():
        raise InvalidInput("The plan is not finished yet; your coordinator will tell you when it is.")
    today = timezone.localdate()
    next_review = version.plan.next_review_on
    if next_review is None or next_review <= today:
        next_review = today + dt.timedelta(days=90)
    return agree_version(version=version, persons=[person], how=PlanVersion.AgreedHow.PORTAL,
                         agreed_on=today, next_review_on=next_review, recorded_by=None, audit_actor=user)
