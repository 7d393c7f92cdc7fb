"""What the receiving organisation sees of a family through a referral: the shared categories,
each checked against the family's consent at the moment it is read (withdrawal hides it).

Both sides of a referral are told the same thing per asked category (`sharing`): shared now,
shared but nothing recorded yet, asked but not covered by the consent, or covered but held back
because the consent no longer covers who is referred."""
from django.db.models import Q
from django.utils.translation import gettext as _

from oneplan.access import consent as consent_rules
from oneplan.access.models import Category
from oneplan.assessments.models import Assessment, AssessmentScore
from oneplan.directory import domains
from oneplan.families.models import Note
from oneplan.plans.models import Goal, PlanVersion

SCORE_CATEGORIES = ("assessment", "health", "finance", "safety")
# One state per asked category; SHOWN and EMPTY are shared, the others are not.
SHOWN, EMPTY, NOT_COVERED, WITHHELD = "shown", "empty", "not_covered", "withheld"


def gaps(referral, persons: list) -> dict[str, str]:
    """{category: why the consent does not cover it} for the referral's categories, as of today."""
    return consent_rules.referral_gaps(family=referral.family, organisation=referral.organisation,
                                       categories=referral.shared_categories, persons=persons)


def _label(category: str) -> str:
    return str(Category(category).label) if category in Category.values else category


def sharing(referral, missing: dict[str, str], present: set[str] | None = None) -> list[dict]:
    """Per asked category, identity first: {"category", "label", "state", "text", "why"}.

    `present`: the categories with data the receiver would see (None: not looked at, so a covered
    category counts as shown)."""
    asked = ["identity", *[c for c in referral.shared_categories if c != "identity"]]
    rows = []
    for category in asked:
        label = _label(category)
        row = {"category": category, "label": label, "state": SHOWN, "text": "", "why": ""}
        if category in missing:
            row.update(state=NOT_COVERED, why=missing[category],
                       text=_("%(category)s: asked, but not covered by the family's consent.")
                       % {"category": label})
        elif "identity" in missing:
            row.update(state=WITHHELD, text=_("%(category)s: covered, but not shown while the family's "
                                              "consent does not cover who is referred.") % {"category": label})
        elif present is not None and category != "identity" and category not in present:
            row.update(state=EMPTY, text=_("%(category)s: nothing recorded yet.") % {"category": label})
        rows.append(row)
    return rows


def snapshot(referral, persons: list) -> dict:
    """{"hidden": {category: why}, "visible": [...], "sharing": [...], "goals": [...],
    "scores": [...], "notes": [...]}."""
    missing = gaps(referral, persons)
    visible = [c for c in referral.shared_categories if c not in missing]
    result = {"hidden": missing, "visible": visible, "goals": [], "scores": [], "notes": []}
    if "identity" in missing:  # without consent for who is referred, nothing else is shown
        result["visible"] = []
        result["sharing"] = sharing(referral, missing)
        return result
    person_ids = [p.pk for p in persons]
    present = set()
    if "plan" in visible:
        version = (PlanVersion.objects.filter(plan__family=referral.family_id,
                                              status=PlanVersion.Status.AGREED)
                   .order_by("-number").first())
        if version:
            result["goals"] = list(Goal.objects.filter(version=version, status=Goal.Status.ACTIVE)
                                   .order_by("priority", "id"))
        if result["goals"]:
            present.add("plan")
    score_cats = [c for c in visible if c in SCORE_CATEGORIES]
    if score_cats:
        result["scores"] = _scores(referral, person_ids, score_cats)
        present.update(row["category"] for row in result["scores"])
    categories = [c for c in visible if c != "identity"]
    if categories:
        notes = (Note.objects.filter(family=referral.family_id, category__in=categories,
                                     visibility=Note.Visibility.TEAM)
                 .filter(_about(person_ids)))
        result["notes"] = list(notes.select_related("author__user", "organisation", "about")
                               .order_by("-created_at")[:10])
        # Only the newest ten are shown; which categories have any note at all is asked apart.
        present.update(notes.order_by().values_list("category", flat=True).distinct())
    result["sharing"] = sharing(referral, missing, present)
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
                     "category": domains.category_of(score.domain_key),
                     "person": score.person.full_name if score.person else _("Household"),
                     "professional": score.professional_score, "family": score.family_score,
                     "words": score.family_words, "held_on": assessment.held_on,
                     "need": score.domain_key in referral.needs})
    rows.sort(key=lambda r: (not r["need"], r["domain"]))
    return rows
