"""Synthetic care network at scale for the benchmark: directory services and referrals.

Same shapes as the demo network (sampledata/demo_network.py) but written with bulk inserts, so
5,000 services and 10,000 open referrals take seconds, not the hours the real services
(one consent check, audit event and notification per step) would.
"""
import datetime as dt
import random

from django.db import connection, transaction
from django.utils import timezone

from oneplan.access.rules import active_team_q
from oneplan.accounts.models import Organisation, Professional, Role, Sector, User
from oneplan.core.crypto import normalise_name
from oneplan.directory.models import (
    Contact,
    EligibilityRule,
    FamilySituation,
    Language,
    Location,
    Service,
    ServiceArea,
    ServiceDomain,
    ServiceLanguage,
)
from oneplan.families.models import CareTeamMember, Family, Membership
from oneplan.plans.domains import LifeDomain
from oneplan.referrals.models import DeclineReason, Referral, ReferralStep, Urgency
from oneplan.referrals.workflow import OPEN, QUEUE, TERMINAL, Status
from oneplan.sampledata.index_persons import SEED_ORG_PREFIX
from oneplan.sampledata.names import FAMILY, GIVEN

# The one organisation whose incoming queue the benchmark reads, and how many services it runs.
RECEIVING_ORGANISATION = "Gezinshulp Centraal"
RECEIVER_SERVICES = 40
RECEIVER_STAFF = 8
MIN_ORGANISATIONS = 50

AREAS = ["Noord", "Oost", "Zuid", "West", "Centrum", "Nieuw-West", "Zuidoost", "IJburg",
         "Watergraafsmeer", "De Pijp", "Bos en Lommer", "Osdorp", "Slotervaart", "Geuzenveld",
         "Buitenveldert", "Diemen", "Amstelveen", "Ouder-Amstel", "Zaandam", "Purmerend",
         "Landsmeer", "Weesp", "Uithoorn", "Aalsmeer"]

# Per life domain: (service type, what it does, (minimum age, maximum age)).
SERVICE_TYPES = {
    LifeDomain.FINANCES: [
        ("Schuldhulpverlening", ("Debt counselling: an overview of all debts, talks with creditors and a "
         "debt settlement of three years."), (18, None)),
        ("Budgetcoaching", "Weekly coaching to keep income and spending in balance.", (16, None)),
        ("Thuisadministratie", ("A trained volunteer helps sort the post and pay the bills every two "
         "weeks."), (18, None)),
        ("Geldzorgen spreekuur", ("Walk-in hour for money worries: letters, allowances, payment "
         "arrangements."), (None, None))],
    LifeDomain.INCOME_WORK: [
        ("Participatiebegeleiding", "Job coaching and daytime activity towards paid work.", (18, 67)),
        ("Jongerenloket werk en school", ("Young people without school or job: back to training or "
         "work."), (16, 27)),
        ("Inkomensondersteuning", ("Help applying for benefits, allowances and minimum income "
         "schemes."), (18, None))],
    LifeDomain.HOUSING: [
        ("Huurachterstand aanpak", ("Rent arrears: a payment arrangement before eviction is on the "
         "table."), (18, None)),
        ("Woonbegeleiding", "Support at home to keep the tenancy and the household running.", (18, None)),
        ("Maatschappelijke opvang", ("Shelter for the homeless and a route back to a home of their "
         "own."), (18, None))],
    LifeDomain.FAMILY_RELATIONS: [
        ("Gezinscoaching", ("A family coach at home: calmer days, clear agreements, parents who "
         "support each other."), (None, None)),
        ("Scheidingsbegeleiding", ("Separated parents: agreements about the children and less "
         "conflict."), (None, None)),
        ("Familiemediation", "A mediator helps family members talk again after a conflict.", (12, None))],
    LifeDomain.PARENTING: [
        ("Opvoedondersteuning", ("Parenting support in a few conversations at home or in the "
         "neighbourhood."), (0, 17)),
        ("Intensieve ambulante gezinsbehandeling", ("Intensive family treatment at home, several times a "
         "week, for six months."), (0, 17)),
        ("Video-hometraining", "Short video recordings at home show parents what already works.", (0, 12)),
        ("Oudercursus", "A group course for parents: routines, praise and setting limits.", (0, 18))],
    LifeDomain.CHILD_DEVELOPMENT: [
        ("Schoolmaatschappelijk werk", ("The school social worker talks with children and parents about "
         "worries that show at school."), (4, 13)),
        ("Leerplicht en verzuim", ("School absence: the attendance officer looks for the reason with "
         "the family."), (5, 18)),
        ("Huiswerkbegeleiding", "Homework support after school in the neighbourhood.", (8, 16)),
        ("Vroeghulp", "Early help when a young child develops differently.", (0, 6))],
    LifeDomain.MENTAL_HEALTH: [
        ("Basis-GGZ volwassenen", ("Short treatment for anxiety, depression and stress (5-12 "
         "sessions)."), (18, None)),
        ("Jeugd-GGZ", "Mental health treatment for children and young people, with their parents.",
         (0, 17)),
        ("Praktijkondersteuner GGZ", ("Mental health nurse at the GP practice: a few talks, and a "
         "referral when more is needed."), (None, None)),
        ("Traumabehandeling", ("Trauma treatment (EMDR, trauma-focused therapy) after violence or "
         "loss."), (12, None))],
    LifeDomain.PHYSICAL_HEALTH: [
        ("Jeugdverpleegkundige spreekuur", ("Growth, development, sleep and eating: the youth health "
         "nurse for every child."), (0, 18)),
        ("Wijkverpleging", "District nursing at home after illness or for a chronic condition.",
         (18, None)),
        ("Beweegcoach", "A coach helps the family move more and eat healthily.", (None, None))],
    LifeDomain.SUBSTANCE_USE: [
        ("Verslavingszorg ambulant", "Outpatient addiction care with the family involved.", (18, None)),
        ("Preventie middelengebruik jongeren", ("Talks with young people about alcohol, cannabis and "
         "gaming."), (12, 23))],
    LifeDomain.DAILY_LIVING: [
        ("Ambulante woonbegeleiding", "Practical support with the household, post and appointments.",
         (18, None)),
        ("Dagbesteding", "A meaningful day programme with structure and company.", (18, None)),
        ("Huishoudelijke ondersteuning", ("Help with cleaning and the household when parents cannot "
         "manage."), (18, None))],
    LifeDomain.SOCIAL_NETWORK: [
        ("Buddyproject", "A volunteer buddy for company, outings and a listening ear.", (None, None)),
        ("Maatjesproject jeugd", ("A volunteer mentor for a child who needs someone outside the "
         "family."), (6, 18)),
        ("Familienetwerkberaad", "The family and its network make their own plan together.", (None, None))],
    LifeDomain.COMMUNITY: [
        ("Buurthuis activiteiten", ("Activities in the community centre: language cafe, cooking, "
         "children's clubs."), (None, None)),
        ("Vrijwilligerscentrale", "Finding volunteer work that fits.", (16, None)),
        ("Sport- en cultuurfonds", ("Sports club or music lessons for children of families with a low "
         "income."), (4, 18))],
    LifeDomain.JUSTICE: [
        ("Reclassering", "Probation supervision and help to stay out of trouble.", (18, None)),
        ("Jeugdreclassering", "Supervision of young people after contact with the police.", (12, 23)),
        ("Juridisch spreekuur", "Free legal advice on rent, benefits, debts and family law.", (18, None)),
        ("Slachtofferhulp", "Support for victims of crime and accidents.", (None, None))],
    LifeDomain.SAFETY: [
        ("Veilig Thuis advies", ("Advice and support when there are worries about domestic violence or "
         "child abuse."), (None, None)),
        ("Huiselijk geweld hulpverlening", "Treatment for the whole family after domestic violence.",
         (None, None)),
        ("Vrouwenopvang", "Safe shelter for women and their children.", (18, None))],
}

# Which sectors usually run services in a domain (organisations are chosen from these first).
DOMAIN_SECTORS = {
    LifeDomain.FINANCES: [Sector.DEBT_COUNSELLING, Sector.SOCIAL_WORK, Sector.VOLUNTARY],
    LifeDomain.INCOME_WORK: [Sector.EMPLOYMENT_INCOME, Sector.MUNICIPALITY],
    LifeDomain.HOUSING: [Sector.HOUSING, Sector.SOCIAL_WORK],
    LifeDomain.FAMILY_RELATIONS: [Sector.YOUTH_CARE, Sector.SOCIAL_WORK],
    LifeDomain.PARENTING: [Sector.YOUTH_CARE, Sector.CHILD_HEALTH],
    LifeDomain.CHILD_DEVELOPMENT: [Sector.EDUCATION, Sector.CHILD_HEALTH, Sector.YOUTH_CARE],
    LifeDomain.MENTAL_HEALTH: [Sector.MENTAL_HEALTH, Sector.PRIMARY_CARE],
    LifeDomain.PHYSICAL_HEALTH: [Sector.PRIMARY_CARE, Sector.CHILD_HEALTH],
    LifeDomain.SUBSTANCE_USE: [Sector.MENTAL_HEALTH],
    LifeDomain.DAILY_LIVING: [Sector.SOCIAL_WORK, Sector.VOLUNTARY],
    LifeDomain.SOCIAL_NETWORK: [Sector.VOLUNTARY, Sector.SOCIAL_WORK],
    LifeDomain.COMMUNITY: [Sector.VOLUNTARY, Sector.MUNICIPALITY],
    LifeDomain.JUSTICE: [Sector.JUSTICE],
    LifeDomain.SAFETY: [Sector.YOUTH_CARE, Sector.SOCIAL_WORK, Sector.JUSTICE],
}

# Extra organisations for a small installation: a kind of organisation per sector, in three areas.
NETWORK_KINDS = {
    Sector.SOCIAL_WORK: "Maatschappelijk Werk", Sector.YOUTH_CARE: "Jeugdhulp",
    Sector.CHILD_HEALTH: "Jeugdgezondheidszorg", Sector.PRIMARY_CARE: "Gezondheidscentrum",
    Sector.MENTAL_HEALTH: "GGZ", Sector.EDUCATION: "Samenwerkingsverband Onderwijs",
    Sector.EMPLOYMENT_INCOME: "Werk en Inkomen", Sector.HOUSING: "Woonstichting",
    Sector.DEBT_COUNSELLING: "Schuldhulp", Sector.JUSTICE: "Reclassering", Sector.VOLUNTARY: "Humanitas",
    Sector.MUNICIPALITY: "Wijkteam",
}

OTHER_LANGUAGES, OTHER_WEIGHTS = ([c for c in Language.values if c != Language.NL],
                                  [30, 14, 12, 8, 6, 3, 4, 3, 3, 2])
WAIT_WEEKS, WAIT_WEIGHTS = list(range(27)), [6, 8, 9, 9, 8, 8, 7, 6, 6, 5, 5, 4, 4, 3, 3, 3, 2, 2, 2,
                                                  2, 1, 1, 1, 1, 1, 1, 1]
STREETS = ["Stationsplein", "Kerkstraat", "Dorpsstraat", "Marktplein", "Schoolweg", "Buikslotermeerplein"]
SITUATIONS = [s for s in FamilySituation.values if s != FamilySituation.ANY]
QUESTIONS = [
    ("The family asks for help with {need}. Tried so far: talks with the coordinator and the "
    "family's own network."),
    "Mother wants support with {need}; the plan's goal on this is stuck for three months.",
    "Father and the coordinator agreed to ask for specialist help with {need}.",
    "The school and the coordinator worry about {need}; the family agrees to this referral.",
]


def _chunks(items: list, size: int = 2000):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _analyze() -> None:
    # Fresh planner statistics: without them PostgreSQL picks poor plans after a bulk load.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _network_organisations() -> list[Organisation]:
    """Organisations to spread services over (never the reference-index seed organisations);
    a few dozen more are made when fewer than MIN_ORGANISATIONS exist."""
    existing = Organisation.objects.exclude(name__startswith=SEED_ORG_PREFIX)
    if existing.count() < MIN_ORGANISATIONS:
        new = [Organisation(name=f"{kind} {AREAS[(i * 3 + k) % len(AREAS)]}", sector=sector,
                            phone=f"+31 20 {600 + i:03d} {k:02d}{k:02d}",
                            email=f"info-{i:02d}{k}@{sector.replace('_', '')}.example")
               for i, (sector, kind) in enumerate(NETWORK_KINDS.items()) for k in range(3)]
        Organisation.objects.bulk_create(new, ignore_conflicts=True)
    Organisation.objects.get_or_create(
        name=RECEIVING_ORGANISATION, defaults={"sector": Sector.YOUTH_CARE, "phone": "+31 20 700 1000",
                                               "email": "aanmelden@gezinshulp-centraal.example"})
    return list(existing.order_by("id"))


def receiving_staff() -> list[Professional]:
    """The receiving organisation's practitioners (made once): contacts and receivers of referrals."""
    receiver = Organisation.objects.get(name=RECEIVING_ORGANISATION)
    staff = list(Professional.objects.filter(organisations=receiver, user__username__startswith="syn-gzc-")
                 .select_related("user").order_by("id"))
    if len(staff) >= RECEIVER_STAFF:
        return staff
    rng = random.Random(5)
    for i in range(len(staff), RECEIVER_STAFF):
        user = User.objects.create(username=f"syn-gzc-{i + 1:02d}", first_name=rng.choice(GIVEN),
                                   last_name=rng.choice(FAMILY), email=f"syn-gzc-{i + 1:02d}@example.org",
                                   password="!")  # "!" is Django's unusable password
        pro = Professional.objects.create(user=user, discipline="Family worker", phone="+31 20 700 1001",
                                          roles=[Role.PRACTITIONER])
        pro.organisations.add(receiver)
    return receiving_staff()


def _pick_organisation(rng, domain: str, by_sector: dict, orgs: list[Organisation]) -> Organisation:
    sectors = [s for s in DOMAIN_SECTORS[domain] if by_sector.get(s)]
    if sectors and rng.random() < 0.75:
        return rng.choice(by_sector[rng.choice(sectors)])
    return rng.choice(orgs)


def _unique_name(base: str, org_id: int, taken: set) -> str:
    name, k = base, 2
    while (org_id, name.lower()) in taken:
        name, k = f"{base} {k}", k + 1
    taken.add((org_id, name.lower()))
    return name


def _service(rng, org: Organisation, domain: str, taken: set, today: dt.date) -> tuple[Service, dict]:
    kind, text, (low, high) = rng.choice(SERVICE_TYPES[domain])
    others = [d for d in LifeDomain.values if d != domain]
    domains = [domain, *rng.sample(others, rng.choices([0, 1, 2], [45, 40, 15])[0])]
    areas = [] if rng.random() < 0.35 else rng.sample(AREAS, rng.randint(1, 3))
    base = f"{kind} {areas[0]}" if areas else f"{kind} {org.name.split()[-1]}"
    if low is not None and rng.random() < 0.2:
        low = min(low + rng.choice([2, 4]), high if high is not None else low + 4)
    languages = [Language.NL, *rng.sample(OTHER_LANGUAGES, rng.choices([0, 1, 2, 3], [30, 35, 25, 10])[0])]
    weeks = rng.choices(WAIT_WEEKS, WAIT_WEIGHTS)[0] if rng.random() < 0.85 else None
    status = rng.choices(Service.Status.values, [92, 4, 3, 1])[0]
    item = Service(
        organisation=org, name=_unique_name(base, org.pk, taken), description=text, sector=org.sector,
        status=status, target_group=rng.choice(["Families in the municipality", "Parents and children",
                                                "Adults with multiple problems", ("Young people and their "
                                                "parents")]),
        family_situations=rng.sample(SITUATIONS, rng.choice([0, 0, 1, 2])), minimum_age=low,
        maximum_age=high, eligibility_description="Lives in the region; the family agrees to the referral.",
        application_process="Refer through oneplan; we call the family within a week.",
        referral_requirements="What the family wants to change and what was tried before.",
        fees_description=rng.choice(["Free", "Free", ("Free; own contribution for adults with an income "
                                     "above the limit"), "Covered by health insurance"]),
        schedule_description="Monday to Friday, 9:00-17:00", phone=org.phone, email=org.email,
        interpretation_services="Interpreter by phone on request" if rng.random() < 0.4 else "",
        url=f"https://{normalise_name(org.name).replace(' ', '-')}.example/{len(taken)}",
        wait_weeks=weeks, wait_updated_on=today - dt.timedelta(days=rng.randint(0, 120))
        if weeks is not None else None)
    rules = []
    if rng.random() < 0.25:
        rules.append((domain, None, rng.choice([2, 3])))
        if rng.random() < 0.2:
            rules.append((domains[-1], 1, 3))
    return item, {"domains": domains, "languages": languages, "areas": areas, "rules": rules}


def generate_services(*, total: int = 5000, seed: int = 17, progress=None) -> int:
    """Bring the directory up to `total` services spread over the organisations; returns how
    many it added. The receiving organisation (RECEIVING_ORGANISATION) gets up to
    RECEIVER_SERVICES of them (a fifth of a small total)."""
    have = Service.objects.count()
    if have >= total:
        return 0
    rng = random.Random(seed + have)
    today = timezone.localdate()
    orgs = _network_organisations()
    staff = receiving_staff()
    receiver = staff[0].primary_organisation
    others = [o for o in orgs if o.pk != receiver.pk]
    by_sector: dict[str, list[Organisation]] = {}
    for org in others:
        by_sector.setdefault(org.sector, []).append(org)
    taken = {(o, n.lower()) for o, n in Service.objects.values_list("organisation_id", "name")}
    for_receiver = max(0, min(RECEIVER_SERVICES, max(1, total // 5))
                       - Service.objects.filter(organisation=receiver).count())
    receiver_domains = [LifeDomain.PARENTING, LifeDomain.FAMILY_RELATIONS, LifeDomain.CHILD_DEVELOPMENT,
                        LifeDomain.MENTAL_HEALTH, LifeDomain.SAFETY, LifeDomain.DAILY_LIVING]
    made = 0
    while made < total - have:
        size = min(2000, total - have - made)
        rows, extras = [], []
        for k in range(size):
            if made + k < for_receiver:
                # Only active services: the queue's referrals go to services that take them.
                item, extra = _service(rng, receiver, rng.choice(receiver_domains), taken, today)
                item.status = Service.Status.ACTIVE
            else:
                domain = rng.choice(LifeDomain.values)
                item, extra = _service(rng, _pick_organisation(rng, domain, by_sector, others), domain,
                                       taken, today)
            rows.append(item)
            extras.append(extra)
        with transaction.atomic():
            Service.objects.bulk_create(rows)
            _children(rng, rows, extras, staff)
        made += size
        if progress:
            progress(made, total - have)
    _analyze()
    return made


def _children(rng, rows: list[Service], extras: list[dict], staff: list[Professional]) -> None:
    domains, languages, areas, locations, contacts, rules = [], [], [], [], [], []
    for item, extra in zip(rows, extras):
        domains += [ServiceDomain(service=item, domain=d) for d in extra["domains"]]
        languages += [ServiceLanguage(service=item, code=c) for c in extra["languages"]]
        areas += [ServiceArea(service=item, name=a, key=normalise_name(a)) for a in extra["areas"]]
        city = "Amsterdam" if not extra["areas"] or extra["areas"][0] in AREAS[:15] else extra["areas"][0]
        letters = "".join(rng.choices("ABCDEGHJKLMNPRSTVWXZ", k=2))
        locations.append(Location(service=item, name=item.organisation.name, city=city,
                                  address_1=f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
                                  postal_code=f"{rng.randint(1000, 1109)} {letters}"))
        if item.organisation.name == RECEIVING_ORGANISATION:
            pro = rng.choice(staff)
            contacts.append(Contact(service=item, professional=pro, name=pro.name, title=pro.discipline,
                                    email=pro.email, phone=pro.phone))
        else:
            contacts.append(Contact(service=item, name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                                    title="Intake", email=item.email, phone=item.phone))
        rules += [EligibilityRule(service=item, domain=d, min_score=lo, max_score=hi)
                  for d, lo, hi in extra["rules"]]
    ServiceDomain.objects.bulk_create(domains)
    ServiceLanguage.objects.bulk_create(languages)
    ServiceArea.objects.bulk_create(areas)
    Location.objects.bulk_create(locations)
    Contact.objects.bulk_create(contacts)
    EligibilityRule.objects.bulk_create(rules)


# ---- referrals --------------------------------------------------------------------------------

OPEN_STATUS, OPEN_WEIGHTS = ([Status.SENT, Status.RECEIVED, Status.INFO_REQUESTED, Status.ACCEPTED,
                              Status.WAITING_LIST, Status.IN_SERVICE], [18, 14, 5, 13, 28, 22])
CLOSED_STATUS, CLOSED_WEIGHTS = [Status.COMPLETED, Status.DECLINED, Status.CANCELLED], [55, 25, 20]
# Days from one step to the next (low, high), and how long ago the last change was per status.
GAPS = {Status.SENT: (0, 0), Status.RECEIVED: (0.05, 5), Status.INFO_REQUESTED: (1, 7),
        Status.ACCEPTED: (1, 30), Status.WAITING_LIST: (0, 3), Status.IN_SERVICE: (7, 120),
        Status.COMPLETED: (30, 200), Status.DECLINED: (1, 14), Status.CANCELLED: (1, 30)}
SINCE = {Status.SENT: 20, Status.RECEIVED: 30, Status.INFO_REQUESTED: 30, Status.ACCEPTED: 30,
         Status.WAITING_LIST: 200, Status.IN_SERVICE: 250}
RECEIVER_STEPS = {Status.RECEIVED, Status.INFO_REQUESTED, Status.ACCEPTED, Status.WAITING_LIST,
                  Status.IN_SERVICE, Status.COMPLETED, Status.DECLINED}
MILESTONES = {Status.SENT: "sent_at", Status.RECEIVED: "received_at", Status.ACCEPTED: "accepted_at",
              Status.IN_SERVICE: "in_service_at", Status.COMPLETED: "closed_at",
              Status.DECLINED: "closed_at", Status.CANCELLED: "closed_at"}


def _path(rng, status: str) -> list[str]:
    """The statuses a referral went through after its draft, ending in `status`."""
    head = [Status.SENT, Status.RECEIVED]
    if status in (Status.SENT, Status.RECEIVED):
        return head[:head.index(status) + 1]
    if status in (Status.INFO_REQUESTED, Status.ACCEPTED, Status.DECLINED):
        return [*head, status]
    if status == Status.WAITING_LIST:
        return [*head, Status.ACCEPTED, status]
    started = [*head, Status.ACCEPTED, *([Status.WAITING_LIST] if rng.random() < 0.5 else []),
               Status.IN_SERVICE]
    if status == Status.IN_SERVICE:
        return started
    if status == Status.COMPLETED:
        return [*started, status]
    return [*rng.choice([[Status.SENT], head, [*head, Status.ACCEPTED, Status.WAITING_LIST]]), status]


def _timeline(rng, path: list[str], now: dt.datetime) -> list[dt.datetime]:
    """A time for each step of the path, all within the last year, in order."""
    gaps = [rng.uniform(*GAPS[s]) for s in path]
    total = sum(gaps)
    if total > 330:
        gaps = [g * 330 / total for g in gaps]
    since = rng.uniform(0, SINCE.get(path[-1], 120))
    since = min(since, 360 - sum(gaps))
    at = now - dt.timedelta(days=since + sum(gaps))
    stamps = []
    for gap in gaps:
        at += dt.timedelta(days=gap)
        stamps.append(at)
    return stamps


def _referral(rng, status, family, service, persons, staff, today, now) -> tuple:
    """One referral with its persons and its steps (the receiver's steps by one of `staff`)."""
    family_id, (professional_id, organisation_id) = family
    path = _path(rng, status)
    stamps = _timeline(rng, path, now)
    created = stamps[0] - dt.timedelta(minutes=rng.randint(5, 180))
    needs = rng.sample(service[1], min(len(service[1]), rng.choice([1, 1, 2])))
    item = Referral(
        family_id=family_id, service_id=service[0], organisation_id=service[2],
        referrer_id=professional_id, referrer_organisation_id=organisation_id, needs=needs,
        urgency=rng.choices([Urgency.ROUTINE, Urgency.SOON, Urgency.URGENT], [65, 25, 10])[0],
        question=rng.choice(QUESTIONS).format(need=LifeDomain(needs[0]).label.lower()),
        shared_categories=["identity"], status=status, version=len(path), created_at=created,
        status_changed_at=stamps[-1])
    for step, at in zip(path, stamps):
        field = MILESTONES.get(step)
        if field and getattr(item, field) is None:
            setattr(item, field, at)
    receiver = rng.choice(staff) if staff else None
    if Status.ACCEPTED in path and receiver:
        item.receiving_professional_id = receiver.pk
    if status == Status.WAITING_LIST:
        item.expected_start_on = today + dt.timedelta(weeks=rng.randint(1, 12))
    if Status.IN_SERVICE in path:
        item.started_warm = rng.random() < 0.6
    if status == Status.DECLINED:
        item.decline_reason = rng.choice(DeclineReason.values)
        item.decline_text = "Discussed with the referrer by phone."
    steps = [(None, Status.DRAFT, created, professional_id, organisation_id)]
    previous = Status.DRAFT
    for step, at in zip(path, stamps):
        if step in RECEIVER_STEPS:
            steps.append((previous, step, at, receiver.pk if receiver else None, service[2]))
        else:
            steps.append((previous, step, at, professional_id, organisation_id))
        previous = step
    return item, persons, steps


def _candidates(rng, want: int, today: dt.date) -> list[tuple]:
    """(family_id, [(professional_id, organisation_id) of its active team], [person ids]) for a
    random sample of open families with an active team and household."""
    ids = list(Family.objects.exclude(status=Family.Status.CLOSED).values_list("id", flat=True))
    ids = rng.sample(ids, min(len(ids), max(want, 1)))
    teams: dict[int, list] = {}
    members: dict[int, list] = {}
    for chunk in _chunks(ids):
        team = CareTeamMember.objects.filter(active_team_q(today), family_id__in=chunk).order_by("id")
        for family_id, pro_id, org_id in team.values_list("family_id", "professional_id", "organisation_id"):
            teams.setdefault(family_id, []).append((pro_id, org_id))
        for family_id, person_id in (Membership.objects.filter(family_id__in=chunk, ended_on__isnull=True,
                                                               person__erased_at__isnull=True)
                                     .order_by("id").values_list("family_id", "person_id")):
            members.setdefault(family_id, []).append(person_id)
    return [(f, teams[f], members[f]) for f in ids if teams.get(f) and members.get(f)]


def _service_rows(qs) -> list[tuple]:
    """(service_id, [domains], organisation_id) for the active services in qs."""
    rows = list(qs.filter(status=Service.Status.ACTIVE).order_by("id").values_list("id", "organisation_id"))
    domains: dict[int, list] = {}
    for chunk in _chunks([r[0] for r in rows]):
        for service_id, domain in ServiceDomain.objects.filter(service_id__in=chunk).values_list(
                "service_id", "domain"):
            domains.setdefault(service_id, []).append(domain)
    return [(s, sorted(domains.get(s, [LifeDomain.FAMILY_RELATIONS])), o) for s, o in rows]


def generate_referrals(*, open_total: int = 10_000, closed_total: int | None = None, seed: int = 23,
                       batch: int = 2000) -> dict:
    """Bring the receiving organisation's open queue up to `open_total` referrals and the closed
    referrals (mostly to other organisations, for waiting-time statistics) up to `closed_total`
    (default 30 % of open_total). Each comes from an active care-team member of an open family,
    for one or two of its household members; at most one open referral per family and service.
    Run generate_services first."""
    receiver = Organisation.objects.filter(name=RECEIVING_ORGANISATION).first()
    if receiver is None:
        raise ValueError("No receiving organisation yet: run generate_services() first.")
    closed_total = open_total * 3 // 10 if closed_total is None else closed_total
    queue = Referral.objects.filter(organisation=receiver, status__in=QUEUE)
    need_open = max(0, open_total - queue.count())
    need_closed = max(0, closed_total - Referral.objects.filter(status__in=TERMINAL).count())
    if not need_open and not need_closed:
        return {"open": 0, "closed": 0}
    rng = random.Random(seed + need_open + need_closed)
    today, now = timezone.localdate(), timezone.now()
    staff = receiving_staff()
    mine = _service_rows(Service.objects.filter(organisation=receiver))
    elsewhere = _service_rows(Service.objects.exclude(organisation=receiver)) or mine
    families = _candidates(rng, need_open + need_closed, today)
    if not mine or not families:
        raise ValueError("Need active services of the receiving organisation and open families "
                         "with a team.")
    open_pairs = set(Referral.objects.filter(status__in=OPEN).values_list("family_id", "service_id"))
    plan = []
    for _ in range(need_open):
        for _attempt in range(50):
            family, service = rng.choice(families), rng.choice(mine)
            if (family[0], service[0]) not in open_pairs:
                open_pairs.add((family[0], service[0]))
                plan.append((rng.choices(OPEN_STATUS, OPEN_WEIGHTS)[0], family, service))
                break
    for _ in range(need_closed):
        service = rng.choice(mine) if rng.random() < 0.2 else rng.choice(elsewhere)
        plan.append((rng.choices(CLOSED_STATUS, CLOSED_WEIGHTS)[0], rng.choice(families), service))
    rng.shuffle(plan)
    made = {"open": 0, "closed": 0, "steps": 0}
    for chunk in _chunks(plan, batch):
        rows = []
        for status, (family_id, team, persons), service in chunk:
            chosen = rng.sample(persons, min(len(persons), rng.choice([1, 1, 2])))
            rows.append(_referral(rng, status, (family_id, rng.choice(team)), service, chosen,
                                  staff if service[2] == receiver.pk else [], today, now))
        with transaction.atomic():
            Referral.objects.bulk_create([r for r, _, _ in rows])
            Referral.persons.through.objects.bulk_create([
                Referral.persons.through(referral_id=r.pk, person_id=p)
                for r, persons, _ in rows for p in persons])
            steps = [ReferralStep(referral_id=r.pk, from_status=frm or "", to_status=to, at=at,
                                  actor_id=actor, organisation_id=org)
                     for r, _, path in rows for frm, to, at, actor, org in path]
            ReferralStep.objects.bulk_create(steps)
        made["open"] += sum(1 for r, _, _ in rows if r.status in OPEN)
        made["closed"] += sum(1 for r, _, _ in rows if r.status in TERMINAL)
        made["steps"] += len(steps)
    _analyze()
    return made
