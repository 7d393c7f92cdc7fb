"""Synthetic families at scale for `oneplan generate` and the benchmark.

Same shapes as the demo, realistic distributions, written with bulk inserts in batches.
"""
import datetime as dt
import random
import time
import uuid

from django.db import connection, transaction
from django.utils import timezone

from oneplan.access.models import BASIC_CATEGORIES, Category, Consent
from oneplan.accounts.models import Organisation, Professional, Sector, User
from oneplan.assessments.loader import load_defaults
from oneplan.assessments.models import Assessment, AssessmentScore, Instrument
from oneplan.audit.models import AuditEvent
from oneplan.audit.services import append_sealed, record
from oneplan.families.models import CareTeamMember, Family, Membership, NetworkMember, Person
from oneplan.families.services import new_reference
from oneplan.plans import gas
from oneplan.plans.models import Action, Goal, Plan, PlanVersion, Review, ReviewScore
from oneplan.sampledata.names import FAMILY, GIVEN, NETWORK

FAMILIES_PER_PROFESSIONAL = 40
# Household size 1..7, weighted towards 2-4 (mean about 3).
HOUSEHOLD_SIZES, HOUSEHOLD_WEIGHTS = [1, 2, 3, 4, 5, 6, 7], [12, 24, 27, 20, 10, 5, 2]
STATUS, STATUS_WEIGHTS = ["intake", "active", "scaling_down", "closed"], [10, 55, 15, 20]


def _organisations(count: int) -> list[Organisation]:
    existing = list(Organisation.objects.filter(name__startswith="Synthetic "))
    sectors = Sector.values
    new = [Organisation(name=f"Synthetic {sectors[i % len(sectors)].replace('_', ' ')} {i:03d}",
                        sector=sectors[i % len(sectors)]) for i in range(len(existing), count)]
    Organisation.objects.bulk_create(new)
    return list(Organisation.objects.filter(name__startswith="Synthetic ").order_by("id"))


def _professionals(rng, count: int, orgs: list[Organisation], tag: str) -> list[Professional]:
    users = [User(username=f"syn{tag}-{i:06d}", first_name=rng.choice(GIVEN),
                  last_name=rng.choice(FAMILY), email=f"syn{tag}-{i:06d}@example.org",
                  password="!") for i in range(count)]  # "!" is Django's unusable password
    User.objects.bulk_create(users, batch_size=2000)
    users = list(User.objects.filter(username__startswith=f"syn{tag}-").order_by("id"))
    pros = [Professional(user=u, discipline="Social worker", phone="06 12345678",
                         roles=["practitioner", "coordinator"]) for u in users]
    Professional.objects.bulk_create(pros, batch_size=2000)
    pros = list(Professional.objects.filter(user__username__startswith=f"syn{tag}-").order_by("id"))
    links = [Professional.organisations.through(professional_id=p.pk,
                                                organisation_id=orgs[i % len(orgs)].pk)
             for i, p in enumerate(pros)]
    Professional.organisations.through.objects.bulk_create(links, batch_size=5000)
    for i, p in enumerate(pros):
        p.org_id = orgs[i % len(orgs)].pk
    return pros


def _batch(rng, size: int, pros: list[Professional], today: dt.date, bsn_share: float) -> dict:
    families = []
    for _ in range(size):
        status = rng.choices(STATUS, STATUS_WEIGHTS)[0]
        opened = today - dt.timedelta(days=rng.randint(1, 1500))
        families.append(Family(
            reference=new_reference(), name=f"{rng.choice(FAMILY)} household", status=status,
            intensity=rng.choice(Family.Intensity.values), opened_on=opened,
            closed_on=opened + dt.timedelta(days=rng.randint(60, 700)) if status == "closed" else None,
            closure_reason=rng.choice(Family.ClosureReason.values) if status == "closed" else ""))
    Family.objects.bulk_create(families)
    persons, memberships, network, team = [], [], [], []
    for family in families:
        size_ = rng.choices(HOUSEHOLD_SIZES, HOUSEHOLD_WEIGHTS)[0]
        adults = 1 if size_ == 1 else rng.choice([1, 2, 2])
        for i in range(size_):
            adult = i < adults
            age_days = rng.randint(20 * 365, 60 * 365) if adult else rng.randint(0, 17 * 365 + 300)
            person = Person(given_name=rng.choice(GIVEN), family_name=family.name[:-10],
                            date_of_birth=today - dt.timedelta(days=age_days))
            if rng.random() < bsn_share:
                # A unique synthetic identifier, hashed and encrypted like a real one.
                person.set_national_id(f"S{rng.getrandbits(60):018d}")
            persons.append(person)
            memberships.append((family, person, "parent" if adult else "child"))
        for _ in range(rng.choice([0, 1, 2, 2, 3, 3, 4, 5])):
            network.append(NetworkMember(
                family=family, name=rng.choice(NETWORK), relation=rng.choice(NetworkMember.Relation.values),
                support=rng.choice(NetworkMember.Support.values),
                strength=rng.choice(NetworkMember.Strength.values), load=rng.randint(1, 5),
                consent_to_involve=rng.random() < .7))
        members = rng.sample(pros, rng.choice([2, 3, 3, 4, 5]))
        for i, pro in enumerate(members):
            team.append(CareTeamMember(
                family=family, professional_id=pro.pk, organisation_id=pro.org_id,
                role="coordinator" if i == 0 else "member", focus="whole_family",
                responsibilities="Coordination of the family plan." if i == 0 else "Support within the plan.",
                started_on=family.opened_on,
                ended_on=family.closed_on if family.status == "closed" else None))
    Person.objects.bulk_create(persons)
    Membership.objects.bulk_create([Membership(family=f, person=p, relation=r, started_on=f.opened_on)
                                    for f, p, r in memberships])
    NetworkMember.objects.bulk_create(network)
    CareTeamMember.objects.bulk_create(team)
    return {"families": len(families), "persons": len(persons), "network": len(network),
            "team": len(team)}


def generate(*, families: int, seed: int = 1, batch: int = 5000, bsn_share: float = 0.5,
             progress=None) -> dict:
    """Create `families` synthetic families plus the professionals and organisations they need."""
    rng = random.Random(seed)
    started = time.perf_counter()
    today = timezone.localdate()
    tag = f"{seed}x{Family.objects.count()}"
    # Every family has ~3.4 team members; keep caseloads near 40 families per professional.
    orgs = _organisations(max(12, families // 2500))
    pros = _professionals(rng, max(10, round(families * 3.4 / FAMILIES_PER_PROFESSIONAL)), orgs, tag)
    totals = {"families": 0, "persons": 0, "network": 0, "team": 0}
    done = 0
    while done < families:
        size = min(batch, families - done)
        with transaction.atomic():
            for key, value in _batch(rng, size, pros, today, bsn_share).items():
                totals[key] += value
        done += size
        if progress:
            progress(done, families, time.perf_counter() - started)
    # Fresh planner statistics: without them PostgreSQL picks poor plans after a bulk load.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    totals["professionals"] = len(pros)
    totals["seconds"] = round(time.perf_counter() - started, 1)
    record(None, "data.generate", reason=f"{totals}")
    return totals


def generate_plans(*, assessments: int = 3, versions: int = 2, batch: int = 2000, seed: int = 7,
                   progress=None) -> dict:
    """Give every family without a plan `versions` agreed plan versions (2-3 goals each, some
    actions, a review) and `assessments` assessment rounds, for the plan benchmark."""

    if not Instrument.objects.exists():
        load_defaults()
    instrument = Instrument.objects.filter(key="family-life-domains", is_active=True).get()
    domains = instrument.domains
    rng = random.Random(seed)
    today = timezone.localdate()
    started, done = time.perf_counter(), 0
    todo = list(Family.objects.filter(plan__isnull=True).values_list("id", flat=True))
    totals = {"plans": 0, "assessments": 0, "scores": 0, "goals": 0, "actions": 0}
    for start in range(0, len(todo), batch):
        ids = todo[start:start + batch]
        members: dict[int, list[int]] = {}
        for family_id, person_id in Membership.objects.filter(family_id__in=ids).values_list(
                "family_id", "person_id"):
            members.setdefault(family_id, []).append(person_id)
        coordinators = dict(CareTeamMember.objects.filter(family_id__in=ids, role="coordinator")
                            .values_list("family_id", "professional_id"))
        with transaction.atomic():
            plans = Plan.objects.bulk_create([Plan(family_id=f, next_review_on=today + dt.timedelta(
                days=rng.randint(-30, 120))) for f in ids])
            pversions, goal_rows, actions, assess, scores = [], [], [], [], []
            for plan in plans:
                coordinator = coordinators.get(plan.family_id)
                for n in range(1, versions + 1):
                    pversions.append(PlanVersion(
                        plan=plan, number=n, status="agreed", vision="Calm at home and no debt letters",
                        agreed_on=today - dt.timedelta(days=200 - 80 * n), agreed_how="meeting",
                        created_by_id=coordinator, recorded_by_id=coordinator))
                for k in range(assessments):
                    assess.append(Assessment(family_id=plan.family_id, instrument=instrument,
                                             held_on=today - dt.timedelta(days=90 * (assessments - k)),
                                             status="completed", created_by_id=coordinator))
            PlanVersion.objects.bulk_create(pversions)
            Assessment.objects.bulk_create(assess)
            keys = {}
            for version in pversions:
                family_keys = keys.setdefault(version.plan_id, [uuid.uuid4() for _ in range(rng.randint(2, 3))])
                for priority, key in enumerate(family_keys, 1):
                    goal_rows.append(Goal(
                        version=version, key=key, domain=rng.choice(domains)["key"], priority=priority,
                        family_words=f"Goal {priority} in our own words",
                        level_minus2="much less", level_minus1="less", level_0="as expected",
                        level_plus1="more", level_plus2="much more"))
            Goal.objects.bulk_create(goal_rows)
            for plan in plans:
                coordinator = coordinators.get(plan.family_id)
                for key in keys[plan.pk]:
                    actions.append(Action(family_id=plan.family_id, goal_key=key, what="Call the creditor",
                                          professional_id=coordinator, status=rng.choice(["open", "done"]),
                                          due_on=today + dt.timedelta(days=rng.randint(-20, 40))))
            Action.objects.bulk_create([a for a in actions if a.professional_id])
            for a in assess:
                persons = members.get(a.family_id, [])
                for d in rng.sample(domains, 6):
                    targets = persons[:2] if d["personal"] and persons else [None]
                    for person in targets:
                        scores.append(AssessmentScore(
                            assessment=a, domain_key=d["key"], person_id=person,
                            professional_score=rng.randint(1, 5), family_score=rng.randint(1, 5),
                            contributed_by_id=a.created_by_id))
            AssessmentScore.objects.bulk_create(scores)
            last = {v.plan_id: v for v in pversions if v.number == versions}
            reviews = Review.objects.bulk_create([Review(
                plan=plan, version=last[plan.pk], held_on=today - dt.timedelta(days=10), decisions="Going on",
                next_review_on=plan.next_review_on, t_score=50.0, recorded_by_id=coordinators.get(plan.family_id))
                for plan in plans if coordinators.get(plan.family_id)])
            latest_goals = {}
            for goal in goal_rows:
                if goal.version.number == versions:
                    latest_goals.setdefault(goal.version.plan_id, []).append(goal)
            review_scores = []
            for review in reviews:
                levels = [rng.randint(-2, 2) for _ in latest_goals[review.plan_id]]
                review.t_score = gas.t_score(levels)
                review_scores += [ReviewScore(review=review, goal=g, level=lv)
                                  for g, lv in zip(latest_goals[review.plan_id], levels)]
            Review.objects.bulk_update(reviews, ["t_score"])
            ReviewScore.objects.bulk_create(review_scores)
        totals["plans"] += len(plans)
        totals["assessments"] += len(assess)
        totals["scores"] += len(scores)
        totals["goals"] += len(goal_rows)
        totals["actions"] += len(actions)
        done += len(ids)
        if progress:
            progress(done, len(todo), time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    totals["seconds"] = round(time.perf_counter() - started, 1)
    return totals


def generate_consents(*, share: float = 0.9, batch: int = 5000, seed: int = 11) -> int:
    """Most families consent to sharing with their whole team: give `share` of the families
    without any consent one, given by their first adult (the benchmark's consent checks)."""

    rng = random.Random(seed)
    categories = [c for c in Category.values if c not in BASIC_CATEGORIES]
    todo = list(Family.objects.filter(consents__isnull=True).values_list("id", flat=True))
    made = 0
    for start in range(0, len(todo), batch):
        ids = [f for f in todo[start:start + batch] if rng.random() < share]
        givers = {}
        for family_id, person_id in (Membership.objects.filter(family_id__in=ids, relation="parent")
                                     .order_by("id").values_list("family_id", "person_id")):
            givers.setdefault(family_id, person_id)
        with transaction.atomic():
            consents = Consent.objects.bulk_create([Consent(
                family_id=f, categories=categories, how="in_person",
                valid_from=timezone.localdate() - dt.timedelta(days=rng.randint(1, 400)))
                for f in ids if f in givers])
            Consent.given_by.through.objects.bulk_create([
                Consent.given_by.through(consent_id=c.pk, person_id=givers[c.family_id]) for c in consents])
        made += len(consents)
    return made


# The audit history the benchmark reads: two years, one household followed much more closely
# than the rest (the family timeline's worst case), and now and then an emergency access and a
# privacy officer's review of one.
AUDIT_HISTORY_DAYS = 730
BUSY_FAMILY_SHARE = 0.01
EMERGENCY_SHARE = 0.0002


def busy_family_id() -> int | None:
    """The household that gets BUSY_FAMILY_SHARE of the generated audit events."""
    return Family.objects.order_by("id").values_list("id", flat=True).first()


def generate_audit_events(*, total: int, batch: int = 20000, seed: int = 13,
                          days: int = AUDIT_HISTORY_DAYS) -> int:
    """Fill the audit log up to `total` events, sealed into the keyed chain and the Merkle tree as
    they are written (audit.services.append_sealed): reads and changes of random families by
    random professionals (with their organisation), spread over the last `days` days with times
    rising with the ids as in the live log, for the access-log benchmarks."""

    rng = random.Random(seed)
    have = AuditEvent.objects.count()
    if have >= total:
        return 0
    family_ids = list(Family.objects.order_by("id").values_list("id", flat=True))
    busy = family_ids[0]
    users = list(Professional.objects.values_list("pk", "user_id", "user__username")[:2000])
    orgs = {}
    for pro_id, org_id, name in (Professional.organisations.through.objects
                                 .filter(professional_id__in=[u[0] for u in users])
                                 .values_list("professional_id", "organisation_id", "organisation__name")):
        orgs.setdefault(pro_id, (org_id, name))
    actions = ["family.read"] * 6 + ["plan.read", "assessment.read", "plan.action.add", "team.add"]
    todo = total - have
    now = timezone.now()
    start, step = now - dt.timedelta(days=days), dt.timedelta(days=days) / todo

    def events():
        for n in range(todo):
            pro_id, user_id, username = rng.choice(users)
            org_id, org_name = orgs.get(pro_id, (None, ""))
            action, reason, chance = rng.choice(actions), "", rng.random()
            if chance < EMERGENCY_SHARE:
                action, reason = "breakglass.open", "Synthetic emergency: a call at night about a child's safety."
            elif chance < 2 * EMERGENCY_SHARE:
                action, reason = "breakglass.review", "justified: "
            family_id = busy if rng.random() < BUSY_FAMILY_SHARE else rng.choice(family_ids)
            yield {"at": start + step * n, "actor_id": user_id, "actor_label": username,
                   "organisation_id": org_id, "organisation_label": org_name, "action": action,
                   "object_type": "families.family", "object_id": str(family_id), "family_id": family_id,
                   "person_id": None, "category": "identity", "outcome": "allowed", "reason": reason}

    made = append_sealed(events(), batch=batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return made
