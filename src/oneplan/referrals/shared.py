"""What the receiving organisation sees of a family through a referral: the shared categories,
each checked against the family's consent at the moment it is read (withdrawal hides it)."""
from django.db.models import Q
from django.utils.translation import gettext as _

from oneplan.access import consent as consent_rules
from oneplan.assessments.models import Assessment, AssessmentScore
from oneplan.directory import domains
from oneplan.families.models import Note
from oneplan.plans.models import Goal, PlanVersion

SCORE_CATEGORIES = ("assessment", "health", "finance", "safety")


def snapshot(referral, persons: list) -> dict:
    """{"hidden": {category: why}, "goals": [...], "scores": [...], "notes": [...]}."""
    gaps = consent_rules.referral_gaps(family=referral.family, organisation=referral.organisation,
                                       categories=referral.shared_categories, persons=persons)
    visible = [c for c in referral.shared_categories if c not in gaps]
    result = {"hidden": gaps, "visible": visible, "goals": [], "scores": [], "notes": []}
    if "identity" in gaps:  # without consent for who is referred, nothing else is shown
        result["visible"] = []
        return result
    person_ids = [p.pk for p in persons]
    if "plan" in visible:
        version = (PlanVersion.objects.filter(plan__family=referral.family_id,
                                              status=PlanVersion.Status.AGREED)
                   .order_by("-number").first())
        if version:
            result["goals"] = list(Goal.objects.filter(version=version, status=Goal.Status.ACTIVE)
                                   .order_by("priority", "id"))
    score_cats = [c for c in visible if c in SCORE_CATEGORIES]
    if score_cats:
        result["scores"] = _scores(referral, person_ids, score_cats)
    if "notes" in visible or any(c in visible for c in SCORE_CATEGORIES):
        categories = [c for c in visible if c != "identity"]
        result["notes"] = list(Note.objects.filter(family=referral.family_id, category__in=categories,
                                                   visibility=Note.Visibility.TEAM)
                               .filter(_about(person_ids))
                               .select_related("author__user", "organisation", "about")
                               .order_by("-created_at")[:10])
    return result


def _about(person_ids):
    return Q(about__isnull=True) | Q(about_id__in=person_ids)


def _scores(referral, person_ids: list[int], categories: list[str]) -> list[dict]:
    """The newest completed assessment's scores in the referral's needs and shared categories."""
    assessment = (Assessment.objects.filter(family=referral.family_id, status=Assessment.Status.COMPLETED)
                  .order_by("-held_on", "-id").first())
    if assessment is None:
        return []
    names = domains.names()
    rows = []
    for score in (AssessmentScore.objects.filter(assessment=assessment)
                  .select_related("person").order_by("domain_key", "person_id")):
        if domains.category_of(score.domain_key) not in categories:
            continue
        if score.person_id and score.person_id not in person_ids:
            continue
        rows.append({"domain": names.get(score.domain_key, score.domain_key),
                     "person": score.person.full_name if score.person else _("Household"),
                     "professional": score.professional_score, "family": score.family_score,
                     "words": score.family_words, "held_on": assessment.held_on,
                     "need": score.domain_key in referral.needs})
    rows.sort(key=lambda r: (not r["need"], r["domain"]))
    return rows
