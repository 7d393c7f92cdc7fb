"""Outcome and experience indicators: goal attainment, domain scores, closures, families coming
back, and what families say (feedback)."""
import datetime as dt

from django.utils.translation import gettext as _

from oneplan.assessments.models import Assessment, AssessmentScore
from oneplan.families.models import Family, Membership
from oneplan.insights import months as m
from oneplan.insights import rows as fast_rows
from oneplan.insights.compute.care import reviews
from oneplan.insights.compute.common import days, in_months, local_day, moments_in, snapshot_days
from oneplan.insights.registry import FIVE_POINTS, WHOLE, Obs, indicator
from oneplan.plans.models import Review, ReviewScore
from oneplan.portal.models import Feedback


@indicator("gas_t_score", sources=("reviews",), resolution=FIVE_POINTS)
def gas_t_score(data, months):
    wanted = in_months(months)
    start, end = days(months)
    for family_id, held, t in (Review.objects.filter(held_on__gte=start, held_on__lt=end, t_score__isnull=False)
                               .values_list("plan__family_id", "held_on", "t_score")):
        if wanted(held):
            yield Obs(m.start_of(held), family_id, value=t)


@indicator("goals_at_expected", sources=("families", "reviews"), snapshot=True)
def goals_at_expected(data, months):
    """Per open family, the goals scored at its latest review so far: at or above 0?"""
    days, by_family = snapshot_days(data, months), reviews(data)
    latest: list[tuple] = []  # (month, family, review id)
    for pk, rows in by_family.items():
        facts = data.families.get(pk)
        if facts is None:
            continue
        for month, day in days:
            if not facts.open_on(day) and not (facts.closed_on and m.start_of(facts.closed_on) == month):
                continue
            found = None
            for held, _due, review_id in rows:
                if held > day:
                    break
                found = review_id
            if found is not None:
                latest.append((month, pk, found))
    levels = _levels(sorted({review_id for _m, _f, review_id in latest}))
    for month, pk, review_id in latest:
        for level in levels.get(review_id, ()):
            yield Obs(month, pk, hit=int(level >= 0))


CHUNK = 10000  # ids per IN list (SQLite allows 32,766 parameters)


def _levels(review_ids: list[int]) -> dict[int, list[int]]:
    """The goal levels of these reviews only (an incremental refresh needs the latest ones)."""
    levels: dict[int, list[int]] = {}
    for start in range(0, len(review_ids), CHUNK):
        for review_id, level in fast_rows.fast(ReviewScore.objects.filter(
                review_id__in=review_ids[start:start + CHUNK]).values_list("review_id", "level").order_by()):
            levels.setdefault(review_id, []).append(level)
    return levels


def _domain_series():
    who = {"professional": _("Professional's score"), "family": _("Family's own score")}
    how = {"improved": _("improved"), "same": _("the same"), "worse": _("worse")}
    return [(f"{w}:{h}", f"{who[w]}: {how[h]}") for w in who for h in how]


def _compare(first, later) -> str | None:
    if first is None or later is None:
        return None
    return "improved" if later > first else "worse" if later < first else "same"


@indicator("domain_scores_change", sources=("assessments",), series=_domain_series)
def domain_scores_change(data, months):
    """Per family and instrument, the last completed assessment of the month against the first
    one ever: every domain (and person) scored in both, professional's and family's score apart."""
    start, end = days(months)
    wanted = in_months(months)
    completed = Assessment.objects.filter(status=Assessment.Status.COMPLETED)
    recent = completed.filter(held_on__gte=start, held_on__lt=end).values("family_id")
    firsts: dict[tuple, tuple] = {}
    lasts: dict[tuple, tuple] = {}
    for pk, family_id, key, held in (completed.filter(family_id__in=recent).order_by("held_on", "id")
                                     .values_list("id", "family_id", "instrument__key", "held_on")
                                     .iterator(chunk_size=20000)):
        first = firsts.setdefault((family_id, key), (held, pk))
        if first[1] != pk and wanted(held):
            lasts[(family_id, key, m.start_of(held))] = (held, pk)
    needed = sorted({pk for _h, pk in firsts.values()} | {pk for _h, pk in lasts.values()})
    scores: dict[int, dict] = {}
    for start in range(0, len(needed), CHUNK):
        for assessment_id, domain, person, pro, fam in (
                AssessmentScore.objects.filter(assessment_id__in=needed[start:start + CHUNK])
                .values_list("assessment_id", "domain_key", "person_id", "professional_score", "family_score")):
            scores.setdefault(assessment_id, {})[(domain, person)] = (pro, fam)
    for (family_id, key, month), (_held, pk) in lasts.items():
        before = scores.get(firsts[(family_id, key)][1], {})
        for slot, (pro, fam) in scores.get(pk, {}).items():
            if slot not in before:
                continue
            for who, first, later in (("professional", before[slot][0], pro), ("family", before[slot][1], fam)):
                how = _compare(first, later)
                if how:
                    yield Obs(month, family_id, series=f"{who}:{how}")


def _closed(months):
    start, end = days(months)
    return Family.objects.filter(status=Family.Status.CLOSED, closed_on__gte=start, closed_on__lt=end)


@indicator("families_closed_goals_reached", sources=("families",))
def families_closed_goals_reached(data, months):
    wanted = in_months(months)
    for pk, closed, reason in _closed(months).values_list("id", "closed_on", "closure_reason"):
        if wanted(closed):
            yield Obs(m.start_of(closed), pk, hit=int(reason == Family.ClosureReason.GOALS_REACHED))


AGAIN_DAYS = 365


@indicator("registered_again", sources=("families", "members"), reach_back=12)
def registered_again(data, months):
    """Families closed in the month: did one of their members come back in a family file opened
    within 12 months of the closing?"""
    wanted = in_months(months)
    closed = _closed(months)
    members: dict[int, set] = {}
    for family_id, person_id in Membership.objects.filter(family__in=closed).values_list("family_id", "person_id"):
        members.setdefault(family_id, set()).add(person_id)
    opened: dict[int, list] = {}
    for person_id, family_id, opened_on in Membership.objects.filter(
            person_id__in=Membership.objects.filter(family__in=closed).values("person_id")).values_list(
            "person_id", "family_id", "family__opened_on"):
        opened.setdefault(person_id, []).append((family_id, opened_on))
    for pk, closed_on in closed.values_list("id", "closed_on"):
        if not wanted(closed_on):
            continue
        limit = closed_on + dt.timedelta(days=AGAIN_DAYS)
        again = any(other != pk and closed_on < day <= limit
                    for person in members.get(pk, ()) for other, day in opened.get(person, ()))
        yield Obs(m.start_of(closed_on), pk, hit=int(again))


def _feedback(months):
    return Feedback.objects.filter(moments_in(months, "created_at"))


@indicator("feedback_score", sources=("feedback",), resolution=WHOLE)
def feedback_score(data, months):
    wanted = in_months(months)
    for family_id, at, rating in _feedback(months).values_list("family_id", "created_at", "rating"):
        day = local_day(at)
        if wanted(day):
            yield Obs(m.start_of(day), family_id, value=rating)


@indicator("feedback_comments", sources=("feedback",))
def feedback_comments(data, months):
    wanted = in_months(months)
    for family_id, at, comment in _feedback(months).exclude(comment="").values_list(
            "family_id", "created_at", "comment"):
        day = local_day(at)
        if comment.strip() and wanted(day):
            yield Obs(m.start_of(day), family_id)
