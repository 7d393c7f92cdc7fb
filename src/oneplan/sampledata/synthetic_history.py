"""Two years of synthetic history for the insights benchmark: for every generated family without a
plan, agreed plan versions, reviews with goal attainment, assessments, case discussions, feedback
and referrals spread over its open period; requests for help at the front door and reference-index
matches over the same two years. Bulk inserts in batches (never run it on production data)."""
import datetime as dt
import random
import time
import uuid

from django.db import connection, transaction
from django.utils import timezone

from oneplan.assessments.loader import load_defaults
from oneplan.assessments.models import Assessment, AssessmentScore, Instrument
from oneplan.directory.models import Service
from oneplan.families.models import CareTeamMember, Family, Membership
from oneplan.frontdoor.models import PRIORITY, HelpRequest
from oneplan.plans import gas
from oneplan.plans.models import CaseDiscussion, Goal, Plan, PlanVersion, Review, ReviewScore
from oneplan.portal.models import Feedback
from oneplan.referrals.models import DeclineReason, Referral
from oneplan.sampledata.synthetic_network import generate_services
from oneplan.signals.models import Basis, Match, Signal

HISTORY_DAYS = 760
LEVEL_TEXTS = dict(zip(Goal.LEVEL_FIELDS, ["much less", "less", "as expected", "more", "much more"], strict=True))
DOMAINS = ["finances_debts", "housing", "family_relations", "parenting", "income_work"]
FAMILY_WORDS = ["We want calm at home", "No more letters from the bailiff", "Our son goes to school again",
                "I find work three days a week", "We keep this house"]
HOURS = {"urgent": 4, "soon": 48, "routine": 120}


def _aware(day: dt.date, rng) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59))))


def _day(rng, start: dt.date, end: dt.date) -> dt.date | None:
    if end < start:
        return None
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


class _Batch:
    """The rows of one batch of families, inserted parent tables first."""

    def __init__(self):
        self.plans, self.versions, self.goals, self.reviews, self.scores = [], [], [], [], []
        self.assessments, self.assessment_scores, self.discussions, self.feedback, self.referrals = [], [], [], [], []


def _family_history(rng, batch: _Batch, fam, coordinator, parent, services, instrument_id, today, start):
    opened, closed = fam["opened_on"], fam["closed_on"] if fam["status"] == "closed" else None
    end = min(closed or today, today)
    begin = max(opened, start)
    pro, org = coordinator
    # Every family gets its plan (a draft's, when nothing was agreed): the next run skips it.
    plan = Plan(family_id=fam["id"])
    batch.plans.append(plan)
    if rng.random() < 0.85:
        first = opened + dt.timedelta(days=rng.randint(7, 120))
        if first <= end:
            plan.next_review_on = first + dt.timedelta(days=90)
            agreed, number = first, 1
            while agreed <= end and number <= 3:
                following = agreed + dt.timedelta(days=rng.randint(150, 300))
                _version(rng, batch, plan, number, agreed, min(end, following - dt.timedelta(days=1)), pro)
                agreed, number = following, number + 1
    if end < begin:  # closed before the two years began
        return
    held = begin + dt.timedelta(days=rng.randint(0, 60))
    for _ in range(rng.choice([1, 2, 3])):
        if held > end:
            break
        assessment = Assessment(family_id=fam["id"], instrument_id=instrument_id, held_on=held, status="completed",
                                created_by_id=pro, completed_at=_aware(held, rng))
        batch.assessments.append(assessment)
        base = rng.randint(1, 4)
        batch.assessment_scores += [(assessment, domain, max(1, min(5, base + rng.randint(-1, 2))),
                                     max(1, min(5, base + rng.randint(-1, 2)))) for domain in DOMAINS]
        held += dt.timedelta(days=rng.randint(90, 240))
    for _ in range(rng.choice([0, 1, 2, 2, 3, 4])):
        day = _day(rng, begin, end)
        if day:
            batch.discussions.append(CaseDiscussion(family_id=fam["id"], kind=rng.choices(
                ["regular", "crisis", "consultation", "handoff"], [6, 2, 1, 1])[0], held_on=day,
                family_took_part=rng.random() < 0.55, agenda="How is it going", recorded_by_id=pro))
    if parent and rng.random() < 0.3:
        day = _day(rng, begin, end)
        if day:
            batch.feedback.append(Feedback(family_id=fam["id"], person_id=parent, rating=rng.choices(
                [1, 2, 3, 4, 5], [1, 2, 4, 8, 6])[0], comment=rng.choice(["", "", "Finally someone listens"]),
                created_at=_aware(day, rng)))
    for service_id, service_org in rng.sample(services, k=min(len(services), rng.choice([0, 1, 1, 2]))):
        day = _day(rng, begin, end)
        if not day:
            continue
        sent = _aware(day, rng)
        row = Referral(family_id=fam["id"], service_id=service_id, organisation_id=service_org, referrer_id=pro,
                       referrer_organisation_id=org, needs=["finances_debts"], question="Help, please.",
                       status="sent", sent_at=sent, received_at=sent + dt.timedelta(hours=rng.randint(1, 72)),
                       created_at=sent, status_changed_at=sent)
        chance = rng.random()
        now = timezone.now()
        if chance < 0.15:
            row.status, row.closed_at = "declined", row.received_at + dt.timedelta(days=rng.randint(1, 20))
            row.decline_reason = rng.choice(DeclineReason.values)
        elif chance < 0.9:
            row.status, row.accepted_at = "accepted", row.received_at + dt.timedelta(days=rng.randint(1, 40))
            if rng.random() < 0.8:
                row.status = "in_service"
                row.in_service_at = row.accepted_at + dt.timedelta(days=rng.randint(0, 80))
                row.started_warm = rng.random() < 0.5
        last = max(t for t in (row.sent_at, row.received_at, row.accepted_at, row.in_service_at, row.closed_at) if t)
        if last > now:  # not reached yet: still waiting at the step before
            row.status, row.accepted_at, row.in_service_at, row.closed_at = "received", None, None, None
            row.decline_reason, row.started_warm = "", None
            last = row.received_at if row.received_at <= now else sent
        row.status_changed_at = last
        batch.referrals.append(row)


def _version(rng, batch: _Batch, plan, number: int, agreed: dt.date, until: dt.date, pro: int) -> None:
    """An agreed version with its goals, reviewed every few months until the next version."""
    version = PlanVersion(plan=plan, number=number, status="agreed", vision="Calm at home", agreed_on=agreed,
                          agreed_how=rng.choices(["meeting", "paper", "portal"], [7, 2, 1])[0],
                          created_by_id=pro, recorded_by_id=pro)
    batch.versions.append(version)
    goals = [Goal(version=version, domain=rng.choice(DOMAINS), priority=priority, **LEVEL_TEXTS,
                  family_words=rng.choice(FAMILY_WORDS) if rng.random() < 0.9 else "as expected")
             for priority in range(1, rng.randint(2, 3) + 1)]
    batch.goals += goals
    held = agreed + dt.timedelta(days=rng.randint(60, 130))
    while held <= until:
        levels = [max(-2, min(2, round(rng.gauss(0.1 * number, 1)))) for _g in goals]
        review = Review(plan=plan, version=version, held_on=held, decisions="Going on",
                        next_review_on=held + dt.timedelta(days=90), t_score=gas.t_score(levels), recorded_by_id=pro)
        batch.reviews.append(review)
        batch.scores += [(review, goal, level) for goal, level in zip(goals, levels, strict=True)]
        plan.next_review_on = review.next_review_on
        held += dt.timedelta(days=rng.randint(70, 150))


def _insert(batch: _Batch) -> None:
    Plan.objects.bulk_create(batch.plans)
    for version in batch.versions:
        version.plan_id = version.plan.pk
    PlanVersion.objects.bulk_create(batch.versions)
    for goal in batch.goals:
        goal.version_id = goal.version.pk
    Goal.objects.bulk_create(batch.goals)
    for review in batch.reviews:
        review.plan_id, review.version_id = review.plan.pk, review.version.pk
    Review.objects.bulk_create(batch.reviews)
    ReviewScore.objects.bulk_create([ReviewScore(review_id=r.pk, goal_id=g.pk, level=lv) for r, g, lv in batch.scores])
    Plan.objects.bulk_update(batch.plans, ["next_review_on"])
    Assessment.objects.bulk_create(batch.assessments)
    AssessmentScore.objects.bulk_create([
        AssessmentScore(assessment_id=a.pk, domain_key=d, professional_score=p, family_score=f,
                        contributed_by_id=a.created_by_id) for a, d, p, f in batch.assessment_scores])
    CaseDiscussion.objects.bulk_create(batch.discussions)
    Feedback.objects.bulk_create(batch.feedback)
    Referral.objects.bulk_create(batch.referrals)


def _services(count: int) -> list[tuple[int, int]]:
    generate_services(total=count)
    return list(Service.objects.filter(status=Service.Status.ACTIVE).values_list("id", "organisation_id"))


def generate_history(*, seed: int = 31, batch: int = 5000, progress=None) -> dict:
    """History for every family without a plan; returns what it made."""
    rng = random.Random(seed)
    today = timezone.localdate()
    start = today - dt.timedelta(days=HISTORY_DAYS)
    if not Instrument.objects.exists():
        load_defaults()
    instrument_id = Instrument.objects.filter(key="family-life-domains", is_active=True).values_list(
        "id", flat=True).get()
    todo = list(Family.objects.filter(plan__isnull=True).order_by("id").values("id", "opened_on", "closed_on",
                                                                                 "status"))
    services = _services(max(50, min(5000, len(todo) // 20)))
    totals = {"families": 0, "versions": 0, "reviews": 0, "assessments": 0, "discussions": 0, "referrals": 0}
    started = time.perf_counter()
    for first in range(0, len(todo), batch):
        chunk = todo[first:first + batch]
        ids = [f["id"] for f in chunk]
        coordinators = {f: (p, o) for f, p, o in CareTeamMember.objects.filter(
            family_id__in=ids, role="coordinator").values_list("family_id", "professional_id", "organisation_id")}
        parents = {}
        for family_id, person_id in Membership.objects.filter(family_id__in=ids, relation="parent").values_list(
                "family_id", "person_id"):
            parents.setdefault(family_id, person_id)
        rows = _Batch()
        for fam in chunk:
            if fam["id"] in coordinators:
                _family_history(rng, rows, fam, coordinators[fam["id"]], parents.get(fam["id"]), services,
                                instrument_id, today, start)
            else:
                rows.plans.append(Plan(family_id=fam["id"]))
        with transaction.atomic():
            _insert(rows)
        totals["families"] += len(chunk)
        totals["versions"] += len(rows.versions)
        totals["reviews"] += len(rows.reviews)
        totals["assessments"] += len(rows.assessments)
        totals["discussions"] += len(rows.discussions)
        totals["referrals"] += len(rows.referrals)
        if progress:
            progress(totals["families"], len(todo), time.perf_counter() - started)
    if todo:
        totals["requests"] = front_door_history(rng, per_day=max(5, len(todo) // 3000), days=HISTORY_DAYS)
        totals["matches"] = match_history(rng, total=max(50, len(todo) // 10))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    totals["seconds"] = round(time.perf_counter() - started, 1)
    return totals


def front_door_history(rng, *, per_day: int, days: int) -> int:
    """Requests for help over the last `days` days, most contacted and ended with an outcome."""
    now, rows = timezone.now(), []
    for k in range(per_day * days):
        created = now - dt.timedelta(minutes=rng.randint(60, days * 24 * 60))
        urgency = rng.choices(["urgent", "soon", "routine"], [1, 3, 4])[0]
        contacted = created + dt.timedelta(hours=rng.expovariate(1 / (HOURS[urgency] * 0.6)))
        contacted = contacted if contacted < now else None
        done = contacted + dt.timedelta(hours=rng.randint(1, 400)) if contacted else None
        done = done if done and done < now else None
        rows.append(HelpRequest(
            reference=f"H{k:011d}", code_hash="0" * 64, created_at=created, asker=rng.choices(
                ["family", "school", "health", "professional", "relative", "neighbour", "other"],
                [10, 4, 3, 3, 2, 1, 1])[0], channel=rng.choices(["web", "phone", "desk", "email"], [6, 3, 1, 1])[0],
            asker_name="", contact_by="phone", story="[removed]", urgency=urgency, priority=PRIORITY[urgency],
            due_at=created + dt.timedelta(hours=HOURS[urgency]), first_contact_at=contacted,
            outcome=rng.choice(["advice", "referral", "family_file", "passed_on", "closed"]) if done else "",
            outcome_at=done, status="done" if done else "in_contact" if contacted else "new",
            asked_before=rng.random() < 0.12))
    HelpRequest.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def match_history(rng, *, total: int, days: int = HISTORY_DAYS) -> int:
    """Pairs of signals of two organisations and their matches over the last `days` days, most
    agreed within two weeks."""
    pros = list(CareTeamMember.objects.filter(role="coordinator").values_list(
        "professional_id", "organisation_id").distinct()[:200])
    if len(pros) < 2:
        return 0
    now, signals, pairs = timezone.now(), [], []
    for _ in range(total):
        (p1, o1), (p2, o2) = rng.sample(pros, 2)
        told = now - dt.timedelta(minutes=rng.randint(1, max(1, days * 24 * 60)))
        day = timezone.localtime(told).date()
        a, b = (Signal(subject_hash=uuid.uuid4().hex, basis=Basis.NATIONAL_ID, organisation_id=o, professional_id=p,
                       registered_on=day, expires_on=day + dt.timedelta(days=730)) for p, o in ((p1, o1), (p2, o2)))
        signals += [a, b]
        after = dt.timedelta(days=rng.expovariate(1 / 8))
        pairs.append((a, b, told, told + after if told + after < now and rng.random() < 0.85 else None, p1))
    Signal.objects.bulk_create(signals, batch_size=5000)
    Match.objects.bulk_create([Match(first=a, second=b, created_at=told, acknowledged_at=ack,
                                     coordinator_id=p if ack else None) for a, b, told, ack, p in pairs],
                              batch_size=5000)
    return len(pairs)
