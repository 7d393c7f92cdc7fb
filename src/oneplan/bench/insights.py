"""The insights benchmark (`oneplan bench --insights-only`): two years of history for N families,
a full rebuild of the 24 monthly aggregates, every dashboard page in-process, then a day of
changes and the incremental refresh `oneplan tick` runs."""
import datetime as dt
import random
import statistics
import time
import uuid

from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from oneplan.accounts.models import Organisation, Professional, Role, User
from oneplan.assessments.models import Assessment, AssessmentScore, Instrument
from oneplan.families.models import CareTeamMember, Family, Membership, Person
from oneplan.frontdoor.models import PRIORITY, HelpRequest
from oneplan.insights import aggregates
from oneplan.insights.loader import load_defaults
from oneplan.insights.models import MonthlyFigure
from oneplan.plans import gas
from oneplan.plans.models import CaseDiscussion, Goal, Plan, PlanVersion, Review, ReviewScore
from oneplan.portal.models import Feedback
from oneplan.referrals.models import Referral
from oneplan.sampledata.synthetic_history import DOMAINS, LEVEL_TEXTS, match_history
from oneplan.sampledata.synthetic_network import RECEIVING_ORGANISATION

TARGET_PAGE_MS = 300.0
TARGET_REBUILD_S = 300.0
TARGET_REFRESH_S = 10.0
# What one day brings in an installation of 100,000 families (scaled to the families there are).
DAY_PER_100K = {"families": 80, "closures": 20, "plans": 150, "reviews": 250, "discussions": 200,
                "referrals_sent": 100, "referrals_accepted": 100, "referrals_started": 100, "feedback": 60,
                "assessments": 30, "requests": 60, "contacts": 60, "outcomes": 50, "matches": 10}

PAGES = [
    ("analyst", "analyst dashboard, per quarter", "/insights/analyst/"),
    ("analyst", "analyst dashboard, per month", "/insights/analyst/?grain=month"),
    ("analyst", "indicator by youngest child's age", "/insights/analyst/open_with_agreed_plan/?by=age_band"),
    ("analyst", "indicator by service", "/insights/analyst/referrals/?by=service&grain=month"),
    ("analyst", "waiting time by organisation", "/insights/analyst/wait_sent_to_accepted/?by=organisation"),
    ("analyst", "GAS T-score with distributions", "/insights/analyst/gas_t_score/?by=team"),
    ("analyst", "front door first contact", "/insights/analyst/frontdoor_first_contact/"),
    ("analyst", "CSV of a breakdown", "/insights/analyst/families_registered/period-a.csv?by=team"),
    ("network", "network dashboard", "/insights/network/"),
    ("network", "indicator by area", "/insights/network/warm_handoffs/?by=area"),
    ("team", "team manager's dashboard", "/insights/team/"),
    ("team", "team against the network", "/insights/team/reviews_overdue/?grain=month"),
]


def percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] if len(values) > 1 else values[0]


def _reader(username: str, role: str, organisation: Organisation | None) -> Professional:
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": "Bench",
                                                                            "last_name": role})
    if created:
        user.set_unusable_password()
        user.save()
    pro, _ = Professional.objects.get_or_create(user=user, defaults={"roles": [role]})
    if organisation:
        pro.organisations.add(organisation)
    return pro


def readers() -> dict[str, Client]:
    """An analyst, a network coordinator, and a team manager of the organisation that coordinates
    the most families."""
    busiest = (CareTeamMember.objects.filter(role="coordinator").values("organisation_id")
               .annotate(n=Count("id")).order_by("-n").first())
    team_org = Organisation.objects.get(pk=busiest["organisation_id"]) if busiest else None
    out = {}
    for audience, role, org in (("analyst", Role.ANALYST, None), ("network", Role.NETWORK_ADMIN, None),
                                ("team", Role.TEAM_MANAGER, team_org)):
        client = Client()
        client.force_login(_reader(f"bench-insights-{audience}", role, org).user)
        out[audience] = client
    return out


def rebuild() -> dict:
    load_defaults()
    started = time.perf_counter()
    result = aggregates.rebuild()
    return {"seconds": round(time.perf_counter() - started, 1), "figures": result.figures,
            "rows": MonthlyFigure.objects.count()}


def pages(requests: int, warmup: int = 5) -> list[dict]:
    clients = readers()
    clients["healthz"] = Client()
    results = []
    for audience, name, url in [("healthz", "framework ceiling (/healthz)", "/healthz"), *PAGES]:
        client, timings = clients[audience], []
        for i in range(warmup + requests):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            if i >= warmup:
                timings.append(elapsed)
        p95 = percentile(timings, 95)
        target = None if audience == "healthz" else TARGET_PAGE_MS
        results.append({"name": name, "url": url, "p50": percentile(timings, 50), "p95": p95, "n": len(timings),
                        "target": target, "ok": target is None or p95 < target})
    return results


def _n(key: str, families: int) -> int:
    return max(1, round(DAY_PER_100K[key] * families / 100_000))


def day_of_changes(families: int, seed: int = 41) -> dict:
    """What a working day writes, stamped today (as the services would), in bulk."""
    rng = random.Random(seed + int(time.time()))
    now, today = timezone.now(), timezone.localdate()
    made = {}
    coordinators = list(CareTeamMember.objects.filter(role="coordinator", ended_on__isnull=True)
                        .values_list("family_id", "professional_id", "organisation_id")[:20000])
    with transaction.atomic():
        new = [Family(reference=f"OP-DAY-{uuid.uuid4().hex[:10]}", name="Day household", status="intake",
                      intensity=rng.choice(Family.Intensity.values), opened_on=today) for _ in range(_n("families", families))]
        Family.objects.bulk_create(new)
        persons = Person.objects.bulk_create([Person(given_name="Day", family_name="Household",
                                                     date_of_birth=dt.date(1990, 1, 1)) for _ in new])
        Membership.objects.bulk_create([Membership(family=f, person=p, relation="parent", started_on=today)
                                        for f, p in zip(new, persons, strict=True)])
        CareTeamMember.objects.bulk_create([CareTeamMember(
            family=f, professional_id=pro, organisation_id=org, role="coordinator", responsibilities="Coordination.",
            started_on=today) for f, (_f, pro, org) in zip(new, rng.sample(coordinators, len(new)), strict=True)])
        made["families"] = len(new)
        closing = list(Family.objects.exclude(status="closed").values_list("id", flat=True)[:5000])
        made["closures"] = Family.objects.filter(pk__in=rng.sample(closing, _n("closures", families))).update(
            status="closed", closed_on=today, closure_reason="goals_reached", updated_at=now)
        made.update(_plans_and_reviews(rng, families, today, now))
        sample = rng.sample(coordinators, _n("discussions", families))
        CaseDiscussion.objects.bulk_create([CaseDiscussion(family_id=f, kind=rng.choice(["regular", "crisis"]),
                                                           held_on=today, family_took_part=rng.random() < .5,
                                                           agenda="Today", recorded_by_id=p) for f, p, _o in sample])
        made["discussions"] = len(sample)
        made.update(_referrals(rng, families, coordinators, now))
        parents = dict(Membership.objects.filter(relation="parent").values_list("family_id", "person_id")[:20000])
        given = [f for f in rng.sample(list(parents), _n("feedback", families))]
        Feedback.objects.bulk_create([Feedback(family_id=f, person_id=parents[f], rating=rng.randint(1, 5),
                                               comment=rng.choice(["", "Thanks"]), created_at=now) for f in given])
        made["feedback"] = len(given)
        made.update(_assessments(rng, families, coordinators, today, now))
        made.update(_front_door(rng, families, now))
        made["matches"] = match_history(rng, total=_n("matches", families), days=0)
    return made


def _plans_and_reviews(rng, families: int, today: dt.date, now) -> dict:
    plans = list(Plan.objects.values_list("id", "family_id")[:20000])
    agreeing = rng.sample(plans, _n("plans", families))
    reviewed = rng.sample(plans, _n("reviews", families))
    numbers = dict(PlanVersion.objects.filter(plan_id__in=[p for p, _f in agreeing]).values("plan_id")
                   .annotate(n=Count("id")).values_list("plan_id", "n"))
    authors = dict(CareTeamMember.objects.filter(
        role="coordinator", family_id__in=[f for _p, f in agreeing + reviewed]).values_list(
        "family_id", "professional_id"))
    versions = PlanVersion.objects.bulk_create([PlanVersion(
        plan_id=p, number=numbers.get(p, 0) + 1, status="agreed", vision="Calm at home", agreed_on=today,
        agreed_how="meeting", created_by_id=authors.get(f), recorded_by_id=authors.get(f), updated_at=now)
        for p, f in agreeing if authors.get(f)])
    Goal.objects.bulk_create([Goal(version=v, domain=rng.choice(DOMAINS), family_words="We keep this house",
                                   priority=1, **LEVEL_TEXTS) for v in versions])
    latest = {}
    for version_id, plan_id in PlanVersion.objects.filter(plan_id__in=[p for p, _f in reviewed], status="agreed") \
            .order_by("number").values_list("id", "plan_id"):
        latest[plan_id] = version_id
    goals = {}
    for goal_id, version_id in Goal.objects.filter(version_id__in=list(latest.values())).values_list("id", "version_id"):
        goals.setdefault(version_id, []).append(goal_id)
    reviews, scores = [], []
    for plan_id, family_id in reviewed:
        version = latest.get(plan_id)
        if version is None or family_id not in authors or not goals.get(version):
            continue
        levels = [rng.randint(-2, 2) for _g in goals.get(version, [])]
        review = Review(plan_id=plan_id, version_id=version, held_on=today, decisions="Today",
                        next_review_on=today + dt.timedelta(days=90), t_score=gas.t_score(levels),
                        recorded_by_id=authors[family_id])
        reviews.append(review)
        scores.append((review, goals.get(version, []), levels))
    Review.objects.bulk_create(reviews)
    ReviewScore.objects.bulk_create([ReviewScore(review_id=r.pk, goal_id=g, level=lv)
                                     for r, gs, levels in scores for g, lv in zip(gs, levels, strict=True)])
    return {"plans": len(versions), "reviews": len(reviews)}


def _referrals(rng, families: int, coordinators, now) -> dict:
    services = list(Referral.objects.values_list("service_id", "organisation_id").distinct()[:500])
    sent = []
    for family_id, pro, org in rng.sample(coordinators, _n("referrals_sent", families)):
        service, service_org = rng.choice(services)
        sent.append(Referral(family_id=family_id, service_id=service, organisation_id=service_org, referrer_id=pro,
                             referrer_organisation_id=org, needs=["housing"], question="Today", status="sent",
                             sent_at=now, created_at=now, status_changed_at=now))
    Referral.objects.bulk_create(sent, ignore_conflicts=True)
    waiting = list(Referral.objects.filter(status="received").exclude(organisation__name=RECEIVING_ORGANISATION)
                   .values_list("id", flat=True)[:5000])
    accepted = Referral.objects.filter(pk__in=rng.sample(waiting, min(len(waiting), _n("referrals_accepted", families)))
                                       ).update(status="accepted", accepted_at=now, status_changed_at=now)
    ready = list(Referral.objects.filter(status="accepted", accepted_at__lt=now).values_list("id", flat=True)[:5000])
    started = Referral.objects.filter(pk__in=rng.sample(ready, min(len(ready), _n("referrals_started", families)))
                                      ).update(status="in_service", in_service_at=now, started_warm=True,
                                               status_changed_at=now)
    return {"referrals_sent": len(sent), "referrals_accepted": accepted, "referrals_started": started}


def _assessments(rng, families: int, coordinators, today, now) -> dict:
    instrument = Instrument.objects.filter(key="family-life-domains", is_active=True).first()
    if instrument is None:
        return {"assessments": 0}
    made = Assessment.objects.bulk_create([Assessment(
        family_id=f, instrument=instrument, held_on=today, status="completed", created_by_id=p, completed_at=now,
        created_at=now) for f, p, _o in rng.sample(coordinators, _n("assessments", families))])
    AssessmentScore.objects.bulk_create([AssessmentScore(
        assessment=a, domain_key=d, professional_score=rng.randint(1, 5), family_score=rng.randint(1, 5),
        contributed_by_id=a.created_by_id, updated_at=now) for a in made for d in DOMAINS])
    return {"assessments": len(made)}


def _front_door(rng, families: int, now) -> dict:
    HelpRequest.objects.bulk_create([HelpRequest(
        reference=f"D{uuid.uuid4().hex[:11]}", code_hash="0" * 64, created_at=now, asker="family",
        asker_name="", contact_by="phone", story="Today", urgency="soon", priority=PRIORITY["soon"],
        due_at=now + dt.timedelta(hours=48)) for _ in range(_n("requests", families))])
    fresh = list(HelpRequest.objects.filter(status="new", first_contact_at__isnull=True)
                 .values_list("id", flat=True)[:2000])
    contacted = HelpRequest.objects.filter(pk__in=rng.sample(fresh, min(len(fresh), _n("contacts", families)))).update(
        first_contact_at=now, status="in_contact", updated_at=now)
    open_ = list(HelpRequest.objects.filter(status="in_contact").values_list("id", flat=True)[:2000])
    done = HelpRequest.objects.filter(pk__in=rng.sample(open_, min(len(open_), _n("outcomes", families)))).update(
        outcome="advice", outcome_at=now, status="done", updated_at=now)
    return {"requests": _n("requests", families), "contacts": contacted, "outcomes": done}


def refresh() -> dict:
    # A refresh also reads what changed in the few minutes before the last one began (a late
    # commit is never missed). Here the two years of history were written in bulk seconds before
    # the rebuild, so that look-back would take all of it for the day's changes: as in production,
    # where the last refresh ran long after the history was written, it looks back no further.
    aggregates.OVERLAP = dt.timedelta(0)
    started = time.perf_counter()
    result = aggregates.refresh()
    return {"seconds": round(time.perf_counter() - started, 2), "months": result.months, "figures": result.figures}


def table(results: list[dict]) -> str:
    lines = ["| page | p50 ms | p95 ms | target p95 | |", "| --- | ---: | ---: | ---: | --- |"]
    for r in results:
        target = f"< {r['target']:.0f} ms" if r["target"] else "—"
        verdict = ("PASS" if r["ok"] else "FAIL") if r["target"] else ""
        lines.append(f"| {r['name']} (`{r['url']}`) | {r['p50']:.1f} | {r['p95']:.1f} | {target} | {verdict} |")
    return "\n".join(lines)
