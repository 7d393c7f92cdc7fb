"""Process indicators of the care itself: registration, plans, coordinators, reviews, case
discussions, and how the family takes part."""
import datetime as dt

from django.db.models import Max, Min

from oneplan.families.models import Family
from oneplan.insights import months as m
from oneplan.insights import rows as fast_rows
from oneplan.insights.compute.common import days, in_months, snapshot_days
from oneplan.insights.registry import DAYS, Obs, indicator
from oneplan.plans.models import CaseDiscussion, Goal, Plan, PlanVersion, Review


def agreements(data) -> dict[int, tuple[dt.date, dt.date]]:
    """family -> (the day its first plan version was agreed, the day its latest was)."""
    def load():
        return {family_id: (first, latest) for family_id, first, latest in fast_rows.fast(
            PlanVersion.objects.filter(status=PlanVersion.Status.AGREED, agreed_on__isnull=False)
            .values("plan__family_id").annotate(first=Min("agreed_on"), latest=Max("agreed_on"))
            .values_list("plan__family_id", "first", "latest").order_by(), dates=(1, 2))}
    return data.memo("agreements", load)


def first_plans(data) -> dict[int, dt.date]:
    """family -> the day its first plan version was agreed."""
    return data.memo("first_plans", lambda: {f: first for f, (first, _l) in agreements(data).items()})


def reviews(data) -> dict[int, list[tuple]]:
    """family -> [(held_on, next_review_on, review id)] oldest first."""
    def load():
        out: dict[int, list[tuple]] = {}
        for family_id, held, due, pk in fast_rows.fast(Review.objects.values_list(
                "plan__family_id", "held_on", "next_review_on", "id").order_by(), dates=(1, 2)):
            out.setdefault(family_id, []).append((held, due, pk))
        for items in out.values():
            items.sort()
        return out
    return data.memo("reviews", load)


@indicator("families_registered", sources=("families",))
def families_registered(data, months):
    wanted = in_months(months)
    for pk, facts in data.families.items():
        if wanted(facts.opened_on):
            yield Obs(m.start_of(facts.opened_on), pk)


@indicator("time_to_first_plan", sources=("families", "plans"), resolution=DAYS)
def time_to_first_plan(data, months):
    wanted = in_months(months)
    for pk, agreed in first_plans(data).items():
        facts = data.families.get(pk)
        if facts and wanted(agreed):
            yield Obs(m.start_of(agreed), pk, value=max(0, (agreed - facts.opened_on).days))


@indicator("open_with_agreed_plan", sources=("families", "plans"), snapshot=True)
def open_with_agreed_plan(data, months):
    days, first = snapshot_days(data, months), first_plans(data)
    for pk, facts in data.families.items():
        agreed = first.get(pk)
        for month, day in days:
            if facts.open_on(day):
                yield Obs(month, pk, hit=int(agreed is not None and agreed <= day))


@indicator("open_with_coordinator", sources=("families", "team"), snapshot=True)
def open_with_coordinator(data, months):
    """Families still in intake are left out: a coordinator is needed from the intake's end on."""
    days, coordinators = snapshot_days(data, months), data.coordinators
    for pk, facts in data.families.items():
        if facts.status == Family.Status.INTAKE:
            continue
        rows = coordinators.get(pk, ())
        for month, day in days:
            if facts.open_on(day):
                has = any(start <= day and (end is None or end > day) for start, end, _o, _r in rows)
                yield Obs(month, pk, hit=int(has))


def _due(rows, day, plan_due, latest_agreed):
    """The review date that held on `day`: the one set by the last review before it; before any
    review, the plan's own review date, known only while no review has been held at all."""
    due = None
    for held, next_on, _pk in rows:
        if held > day:
            break
        due = next_on
    if due is None and not rows and latest_agreed is not None and latest_agreed <= day:
        due = plan_due
    return due


@indicator("reviews_overdue", sources=("families", "plans", "reviews"), snapshot=True)
def reviews_overdue(data, months):
    days, first, by_family = snapshot_days(data, months), first_plans(data), reviews(data)
    plan_due = dict(fast_rows.fast(Plan.objects.values_list("family_id", "next_review_on").order_by(), dates=(1,)))
    latest = {f: last for f, (_first, last) in agreements(data).items()}
    for pk, agreed in first.items():
        facts = data.families.get(pk)
        if facts is None:
            continue
        rows = by_family.get(pk, [])
        for month, day in days:
            if agreed <= day and facts.open_on(day):
                due = _due(rows, day, plan_due.get(pk), latest.get(pk))
                yield Obs(month, pk, hit=int(due is not None and due < day))


def _discussions(months):
    start, end = days(months)
    return (CaseDiscussion.objects.filter(held_on__gte=start, held_on__lt=end)
            .values_list("family_id", "held_on", "kind", "family_took_part").iterator(chunk_size=20000))


@indicator("discussions_family_present", sources=("discussions",))
def discussions_family_present(data, months):
    wanted = in_months(months)
    for family_id, held, _kind, present in _discussions(months):
        if wanted(held):
            yield Obs(m.start_of(held), family_id, hit=int(present))


@indicator("discussions_crisis", sources=("discussions",))
def discussions_crisis(data, months):
    wanted = in_months(months)
    for family_id, held, kind, _present in _discussions(months):
        if wanted(held):
            yield Obs(m.start_of(held), family_id, hit=int(kind == CaseDiscussion.Kind.CRISIS))


def _agreed_versions(months):
    start, end = days(months)
    return PlanVersion.objects.filter(status=PlanVersion.Status.AGREED, agreed_on__gte=start, agreed_on__lt=end)


@indicator("plans_agreed_family_present", sources=("plans",))
def plans_agreed_family_present(data, months):
    wanted = in_months(months)
    for family_id, agreed, how in _agreed_versions(months).values_list("plan__family_id", "agreed_on",
                                                                        "agreed_how"):
        if wanted(agreed):
            yield Obs(m.start_of(agreed), family_id, hit=int(how == PlanVersion.AgreedHow.MEETING))


def _normal(text: str) -> str:
    return " ".join((text or "").lower().split())


def own_words(family_words: str, levels: list[str]) -> bool:
    """The goal is written down in words of its own: not empty, and not a copy of one of the
    professional's attainment levels (who typed it, oneplan does not know)."""
    words = _normal(family_words)
    return bool(words) and words not in {_normal(level) for level in levels}


@indicator("goals_own_words", sources=("plans",))
def goals_own_words(data, months):
    wanted = in_months(months)
    versions = _agreed_versions(months)
    for family_id, agreed, words, *levels in Goal.objects.filter(version__in=versions).values_list(
            "version__plan__family_id", "version__agreed_on", "family_words", *Goal.LEVEL_FIELDS).iterator(
            chunk_size=20000):
        if wanted(agreed):
            yield Obs(m.start_of(agreed), family_id, hit=int(own_words(words, levels)))
