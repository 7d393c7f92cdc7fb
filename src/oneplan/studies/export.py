"""The rows of a study export: one per family in the study period, pseudonymised with the study's
own key, computed a chunk of families at a time (a few grouped queries per chunk), so an export
of any size streams in flat memory."""
import datetime as dt
import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Min, Q
from django.utils.translation import gettext_lazy as _

from oneplan.families.models import CareTeamMember, Family, Membership
from oneplan.plans.models import PlanVersion, Review, ReviewScore
from oneplan.portal.models import Feedback
from oneplan.referrals.models import Handoff, Referral

CHUNK = 2000


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    meaning: str
    kind: str  # what a value is: text, date, integer, number, yes/no


# Always in an export: the pseudonym and the period (they make a row).
BASE = [
    Field("pseudonym", _("Pseudonym"), _("The family, as a keyed hash with this study's own key: the same family "
                                         "has another pseudonym in every other study."), "text"),
    Field("period", _("Period"), _("The study period the row is about (from/until)."), "text"),
]
FIELDS = [
    Field("registered_month", _("Registered (month)"), _("Month the family file was opened (YYYY-MM)."), "text"),
    Field("intensity", _("Intensity"), _("light, medium or intensive, as the file says today."), "text"),
    Field("open_at_end", _("Open at the end"), _("Whether the file was still open at the end of the period."),
          "yes/no"),
    Field("closed_goals_reached", _("Closed with goals reached"),
          _("Closed within the period with the reason 'goals reached'."), "yes/no"),
    Field("children_0_3", _("Children 0-3"), _("Household members who are children aged 0-3 at the end."),
          "integer"),
    Field("children_4_11", _("Children 4-11"), _("Children aged 4-11 at the end."), "integer"),
    Field("children_12_17", _("Children 12-17"), _("Children aged 12-17 at the end."), "integer"),
    Field("adults", _("Adults"), _("Household members who are not children."), "integer"),
    Field("coordinator_at_end", _("Coordinator at the end"),
          _("Whether a care coordinator was on the team at the end of the period."), "yes/no"),
    Field("days_to_first_plan", _("Days to the first agreed plan"),
          _("Days from opening the file to the first plan version agreed with the family (empty: none)."),
          "integer"),
    Field("referrals_sent", _("Referrals sent"), _("Referrals sent within the period."), "integer"),
    Field("referrals_accepted", _("Referrals accepted"), _("Of those, accepted by the receiving service."),
          "integer"),
    Field("warm_handoffs", _("Warm handoffs"), _("Of those, with a warm handoff held."), "integer"),
    Field("reviews", _("Reviews"), _("Plan reviews held within the period."), "integer"),
    Field("last_t_score", _("Last GAS T-score"),
          _("Goal Attainment Scaling T-score of the last review in the period (50 = as expected)."), "number"),
    Field("goals_at_or_above_expected", _("Goals at or above expected"),
          _("At the last review in the period, goals scored 0 or higher."), "integer"),
    Field("goals_scored", _("Goals scored"), _("At the last review in the period, goals scored at all."),
          "integer"),
    Field("feedback_count", _("Family feedback given"), _("Feedback the family gave in the portal in the period."),
          "integer"),
    Field("feedback_mean", _("Family feedback (mean)"), _("Mean rating of that feedback (1-5)."), "number"),
]
BY_KEY = {f.key: f for f in BASE + FIELDS}


def pseudonym(key: str, family_id: int) -> str:
    return hmac.new(key.encode(), f"family:{family_id}".encode(), hashlib.sha256).hexdigest()[:20]


def families_in(start: dt.date, end: dt.date):
    """Families whose file was open at some time within the period."""
    return Family.objects.filter(opened_on__lte=end).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))


def _age(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _chunk_facts(ids: list[int], start: dt.date, end: dt.date) -> dict[int, dict]:
    facts: dict[int, dict] = defaultdict(dict)
    for m in Membership.objects.filter(family_id__in=ids, started_on__lte=end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=end)).values("family_id", "relation", "person__date_of_birth"):
        child = m["relation"] in (Membership.Relation.CHILD, Membership.Relation.FOSTER_CHILD)
        age = _age(m["person__date_of_birth"], end)
        band = "adults" if not child or age >= 18 else (
            "children_0_3" if age <= 3 else "children_4_11" if age <= 11 else "children_12_17")
        facts[m["family_id"]][band] = facts[m["family_id"]].get(band, 0) + 1
    for family_id in CareTeamMember.objects.filter(
            family_id__in=ids, role=CareTeamMember.Role.COORDINATOR, started_on__lte=end).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=end)).order_by().values_list("family_id", flat=True).distinct():
        facts[family_id]["coordinator_at_end"] = True
    for row in PlanVersion.objects.filter(plan__family_id__in=ids, status=PlanVersion.Status.AGREED).values(
            "plan__family_id").annotate(first=Min("agreed_on")):
        facts[row["plan__family_id"]]["first_plan"] = row["first"]
    sent = Referral.objects.filter(family_id__in=ids, sent_at__date__gte=start, sent_at__date__lte=end)
    for row in sent.values("family_id").annotate(
            n=Count("id"), accepted=Count("id", filter=Q(accepted_at__isnull=False))):
        facts[row["family_id"]].update(referrals_sent=row["n"], referrals_accepted=row["accepted"])
    for row in Handoff.objects.filter(referral__in=sent, state=Handoff.State.HELD).values(
            "referral__family_id").annotate(n=Count("id")):
        facts[row["referral__family_id"]]["warm_handoffs"] = row["n"]
    reviews = Review.objects.filter(plan__family_id__in=ids, held_on__gte=start, held_on__lte=end)
    last_ids = []
    for row in reviews.values("plan__family_id").annotate(n=Count("id"), last=Max("id")):
        facts[row["plan__family_id"]]["reviews"] = row["n"]
        last_ids.append(row["last"])
    for review in Review.objects.filter(pk__in=last_ids).values("id", "plan__family_id", "t_score"):
        facts[review["plan__family_id"]]["last_t_score"] = review["t_score"]
    for row in ReviewScore.objects.filter(review_id__in=last_ids).values("review__plan__family_id").annotate(
            scored=Count("id"), ok=Count("id", filter=Q(level__gte=0))):
        facts[row["review__plan__family_id"]].update(goals_scored=row["scored"], goals_at_or_above_expected=row["ok"])
    for row in Feedback.objects.filter(family_id__in=ids, created_at__date__gte=start,
                                       created_at__date__lte=end).values("family_id").annotate(
            n=Count("id"), mean=Avg("rating")):
        facts[row["family_id"]].update(feedback_count=row["n"], feedback_mean=round(row["mean"], 2))
    return facts


def _value(family: dict, facts: dict, key: str, start: dt.date, end: dt.date):
    closed = family["closed_on"]
    if key == "registered_month":
        return family["opened_on"].strftime("%Y-%m")
    if key == "intensity":
        return family["intensity"]
    if key == "open_at_end":
        return closed is None or closed > end
    if key == "closed_goals_reached":
        return bool(closed and start <= closed <= end and family["closure_reason"] == Family.ClosureReason.GOALS_REACHED)
    if key == "coordinator_at_end":
        return facts.get(key, False)
    if key == "days_to_first_plan":
        first = facts.get("first_plan")
        return (first - family["opened_on"]).days if first else None
    if key in ("last_t_score", "feedback_mean"):
        value = facts.get(key)
        return None if value is None else round(value, 1)
    return facts.get(key, 0)


def rows(*, key: str, fields: list[str], start: dt.date, end: dt.date, chunk: int = CHUNK) -> Iterator[tuple[list, list[int]]]:
    """([values per row], [family ids]) per chunk, in family id order."""
    period = f"{start.isoformat()}/{end.isoformat()}"
    last = 0
    while True:
        families = list(families_in(start, end).filter(pk__gt=last).order_by("pk").values(
            "id", "opened_on", "closed_on", "closure_reason", "intensity")[:chunk])
        if not families:
            return
        ids = [f["id"] for f in families]
        facts = _chunk_facts(ids, start, end)
        out = [[pseudonym(key, f["id"]), period] + [_value(f, facts[f["id"]], k, start, end) for k in fields]
               for f in families]
        yield out, ids
        last = ids[-1]
