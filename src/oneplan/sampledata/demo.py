"""A believable municipality for `oneplan demo`: organisations, professionals, 60 families."""
import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from oneplan.access.services import break_glass_open
from oneplan.accounts.models import Organisation, Professional, Sector, User
from oneplan.audit.services import record
from oneplan.families.models import CareTeamMember, Family, Membership, NetworkMember, Person
from oneplan.families.services import new_reference
from oneplan.plans.models import Plan
from oneplan.portal import services as portal
from oneplan.sampledata.demo_frontdoor import seed_requests
from oneplan.sampledata.demo_network import seed_referrals, seed_services
from oneplan.sampledata.demo_partnership import seed_partnership
from oneplan.sampledata.demo_plans import seed_plans
from oneplan.sampledata.names import FAMILY, GIVEN, NETWORK, birth_date, valid_bsn

DEMO_PASSWORD = "oneplan-demo-2026"

ORGANISATIONS = [
    ("Sociaal Wijkteam Noord", Sector.MUNICIPALITY, "020 555 0100"),
    ("Maatschappelijk Werk Stad", Sector.SOCIAL_WORK, "020 555 0110"),
    ("Jeugdhulp Rivierenland", Sector.YOUTH_CARE, "020 555 0120"),
    ("GGD Jeugdgezondheid", Sector.CHILD_HEALTH, "020 555 0130"),
    ("Huisartsenpraktijk De Linde", Sector.PRIMARY_CARE, "020 555 0140"),
    ("GGZ Centrum Oost", Sector.MENTAL_HEALTH, "020 555 0150"),
    ("Basisschool De Regenboog", Sector.EDUCATION, "020 555 0160"),
    ("Werk en Inkomen Gemeente", Sector.EMPLOYMENT_INCOME, "020 555 0170"),
    ("Woonstichting Thuis", Sector.HOUSING, "020 555 0180"),
    ("Schuldhulp Stadsbank", Sector.DEBT_COUNSELLING, "020 555 0190"),
    ("Reclassering Midden", Sector.JUSTICE, "020 555 0200"),
    ("Humanitas Thuisadministratie", Sector.VOLUNTARY, "020 555 0210"),
]

# username, first, last, organisation index, discipline, roles
PROFESSIONALS = [
    ("coordinator", "Sanne", "de Wit", 0, "Social worker (wijkcoach)", ["practitioner", "coordinator"]),
    ("privacy", "Pieter", "Hoekstra", 0, "Privacy officer", ["privacy_officer"]),
    ("analyst", "Lin", "Zhang", 0, "Policy analyst", ["analyst"]),
    ("netadmin", "Marco", "Bianchi", 0, "Network coordinator", ["network_admin", "org_admin"]),
    ("manager", "Ingrid", "Smeets", 0, "Team manager social team", ["team_manager", "practitioner"]),
    ("wijkcoach2", "Youssef", "El Idrissi", 0, "Social worker (wijkcoach)", ["practitioner", "coordinator"]),
    ("wijkcoach3", "Kim", "Verbeek", 0, "Social worker (wijkcoach)", ["practitioner", "coordinator"]),
    ("amw1", "Hanneke", "Postma", 1, "Social worker", ["practitioner", "coordinator"]),
    ("amw2", "Dewi", "Sastro", 1, "Social worker", ["practitioner"]),
    ("jeugd1", "Tom", "Brouwer", 2, "Youth care worker", ["practitioner", "coordinator"]),
    ("jeugd2", "Aisha", "Mahamud", 2, "Family therapist", ["practitioner"]),
    ("jeugd3", "Ruben", "Koster", 2, "Youth care worker", ["practitioner"]),
    ("ggd1", "Marloes", "Dijkstra", 3, "Youth health nurse", ["practitioner"]),
    ("ggd2", "Samir", "Benali", 3, "Youth doctor", ["practitioner"]),
    ("ha1", "Erik", "van Leeuwen", 4, "General practitioner", ["practitioner"]),
    ("poh1", "Nadia", "Haddou", 4, "Practice nurse mental health (POH-GGZ)", ["practitioner"]),
    ("ggz1", "Joost", "Meulenbelt", 5, "Psychiatric nurse", ["practitioner"]),
    ("ggz2", "Olga", "Petrenko", 5, "Psychologist", ["practitioner"]),
    ("school1", "Linda", "Vos", 6, "Intern care coordinator (IB-er)", ["practitioner"]),
    ("school2", "Mehmet", "Arslan", 6, "School attendance officer", ["practitioner"]),
    ("werk1", "Petra", "Kramer", 7, "Income consultant", ["practitioner"]),
    ("werk2", "Daniel", "Osei", 7, "Job coach", ["practitioner"]),
    ("wonen1", "Gerard", "Bosman", 8, "Housing consultant", ["practitioner"]),
    ("wonen2", "Fenna", "Wolters", 8, "Tenancy support officer", ["practitioner", "org_admin"]),
    ("schuld1", "Hans", "Timmer", 9, "Debt counsellor", ["practitioner"]),
    ("schuld2", "Esra", "Demir", 9, "Budget coach", ["practitioner", "org_admin"]),
    ("recl1", "Bas", "van der Meer", 10, "Probation officer", ["practitioner"]),
    ("vrijw1", "Ria", "Schouten", 11, "Volunteer coordinator", ["practitioner"]),
    ("vrijw2", "Jamal", "Bouzid", 11, "Home administration volunteer", ["practitioner"]),
    ("jeugd4", "Eva", "Lammers", 2, "Youth protection worker", ["practitioner", "coordinator"]),
    ("voordeur", "Noor", "Jansen", 0, "Front-door worker (Sociaal Loket)", ["front_door", "practitioner"]),
]

# Scenario: (family-name hint, adults, children, team usernames [coordinator first], status, intensity,
# closure reason, has_coordinator)
SCENARIOS = [
    ("single parent with debts and a child missing school", 1, 2,
     ["coordinator", "schuld1", "school2", "vrijw2"], "active", "intensive"),
    ("parent in mental-health care", 2, 2, ["wijkcoach2", "ggz1", "poh1", "ggd1"], "active", "medium"),
    ("young parents, baby, unstable housing", 2, 1, ["coordinator", "wonen2", "ggd1"], "active", "medium"),
    ("large family, unemployment and debts", 2, 5, ["amw1", "werk1", "schuld2", "school1"], "active", "intensive"),
    ("teenager in contact with police", 2, 2, ["jeugd1", "recl1", "school2", "coordinator"], "active", "intensive"),
    ("grandmother raising grandchildren", 1, 2, ["coordinator", "jeugd2", "vrijw1"], "scaling_down", "light"),
    ("parent with addiction, child worries", 1, 1, ["jeugd4", "ggz2", "ha1", "ggd2"], "active", "intensive"),
    ("newcomer family, language and work", 2, 3, ["wijkcoach3", "werk2", "school1", "vrijw1"], "active", "medium"),
    ("intake: debts reported by housing", 1, 1, ["wonen1"], "intake", "light"),
    ("closed: goals reached", 2, 2, ["coordinator", "schuld1"], "closed", "light"),
]
CLOSURES = ["goals_reached", "transferred", "moved_away", "family_declined"]


def _pros(rng) -> dict[str, Professional]:
    orgs = [Organisation.objects.create(name=n, sector=s, phone=p,
                                        email=f"info@{n.split()[0].lower()}.example.nl")
            for n, s, p in ORGANISATIONS]
    pros = {}
    for username, first, last, org_i, discipline, roles in PROFESSIONALS:
        user = User(username=username, first_name=first, last_name=last,
                    email=f"{username}@{orgs[org_i].name.split()[0].lower()}.example.nl")
        user.set_password(DEMO_PASSWORD)
        user.save()
        pro = Professional.objects.create(user=user, discipline=discipline, roles=roles,
                                          phone=f"06 {rng.randint(10000000, 99999999)}")
        pro.organisations.add(orgs[org_i])
        pros[username] = pro
    # A debt counsellor who also volunteers: professionals may work for two organisations.
    pros["schuld2"].organisations.add(orgs[11])
    return pros


def _person(rng, surname, min_age, max_age, with_bsn=True) -> Person:
    person = Person(given_name=rng.choice(GIVEN), family_name=surname,
                    date_of_birth=birth_date(rng, min_age, max_age))
    if with_bsn:
        person.set_national_id(valid_bsn(rng))
    person.save()
    return person


RESPONSIBILITIES = {
    CareTeamMember.Role.COORDINATOR: "Care coordination: one plan with the family, keeps the team "
                                     "together, first contact for the family.",
}
DISCIPLINE_TASKS = {
    "Debt counsellor": "Debt settlement: inventory of debts, contact with creditors, payment plan.",
    "Budget coach": "Weekly budget coaching with the parents.",
    "School attendance officer": "School attendance: daily check, talks with the child and school.",
    "Home administration volunteer": "Helps sort the post and pay the bills every two weeks.",
    "Psychiatric nurse": "Treatment of the parent's depression; medication check monthly.",
    "Youth health nurse": "Growth and development of the children; parenting questions.",
    "Housing consultant": "Rent arrears and preventing eviction.",
    "Probation officer": "Supervision under the probation order; weekly meetings.",
}


def _family(rng, pros, scenario, index, today) -> Family:
    hint, adults, children, team, status, intensity = scenario
    surname = rng.choice(FAMILY)
    opened = today - dt.timedelta(days=rng.randint(20, 700))
    family = Family.objects.create(
        reference=new_reference(), name=f"{surname} household", status=status, intensity=intensity,
        opened_on=opened, closed_on=today - dt.timedelta(days=rng.randint(1, 60)) if status == "closed" else None,
        closure_reason=rng.choice(CLOSURES) if status == "closed" else "",
        closure_note=hint if status == "closed" else "")
    for a in range(adults):
        Membership.objects.create(family=family, person=_person(rng, surname, 22, 55, rng.random() < .8),
                                  relation="parent" if a < 2 else "grandparent", started_on=opened)
    for _ in range(children):
        Membership.objects.create(family=family, person=_person(rng, surname, 0, 17, rng.random() < .7),
                                  relation="child", started_on=opened)
    for i, username in enumerate(team):
        pro = pros[username]
        role = CareTeamMember.Role.COORDINATOR if i == 0 and status != "intake" else CareTeamMember.Role.MEMBER
        CareTeamMember.objects.create(
            family=family, professional=pro, organisation=pro.organisations.first(), role=role,
            focus=rng.choice(["whole_family", "parents", "children"]) if role == "member" else "whole_family",
            responsibilities=RESPONSIBILITIES.get(role) or DISCIPLINE_TASKS.get(
                pro.discipline, f"{pro.discipline}: support within the family plan."),
            started_on=opened + dt.timedelta(days=rng.randint(0, 14)))
    for _ in range(rng.randint(1, 5)):
        NetworkMember.objects.create(
            family=family, name=rng.choice(NETWORK), relation=rng.choice(NetworkMember.Relation.values),
            support=rng.choice(NetworkMember.Support.values), strength=rng.choice(NetworkMember.Strength.values),
            load=rng.randint(1, 5), consent_to_involve=rng.random() < .7)
    record(None, "demo.seed", family, family=family, reason=hint)
    return family


def _shared_children(rng, pros, today):
    """Two households sharing children after a divorce: the children are one Person each."""
    surname_a, surname_b = "Jansen", "El Amrani"
    kids = [_person(rng, surname_a, 4, 12) for _ in range(2)]
    for surname, team in ((surname_a, ["coordinator", "jeugd2"]), (surname_b, ["jeugd1", "ggd1"])):
        family = Family.objects.create(reference=new_reference(), name=f"{surname} household",
                                       status="active", intensity="medium",
                                       opened_on=today - dt.timedelta(days=200))
        Membership.objects.create(family=family, person=_person(rng, surname, 30, 45), relation="parent")
        for kid in kids:
            Membership.objects.create(family=family, person=kid, relation="child")
        for i, username in enumerate(team):
            pro = pros[username]
            CareTeamMember.objects.create(
                family=family, professional=pro, organisation=pro.organisations.first(),
                role="coordinator" if i == 0 else "member", focus="children" if i else "whole_family",
                responsibilities="Co-parenting arrangements and the children's wellbeing in both homes.")
        record(None, "demo.seed", family, family=family, reason="two households sharing children")


def _portal_account() -> None:
    """One parent with a portal account, invited by their coordinator like any family."""

    plan = Plan.objects.filter(versions__status="agreed").select_related("family").order_by("id").first()
    coordinator = plan.family.team.filter(role="coordinator", ended_on__isnull=True).first().professional
    parent = plan.family.memberships.filter(relation="parent").order_by("id").first().person
    _invitation, token = portal.invitation_create(actor=coordinator, family_id=plan.family_id,
                                                  person_id=parent.pk)
    portal.invitation_accept(token=token, username="family", password=DEMO_PASSWORD)


@transaction.atomic
def load_demo(*, families: int = 60, seed: int = 2026) -> dict:
    rng = random.Random(seed)
    today = timezone.localdate()
    pros = _pros(rng)
    _shared_children(rng, pros, today)
    for i in range(families - 2):
        _family(rng, pros, SCENARIOS[i % len(SCENARIOS)], i, today)
    # One open family lost its coordinator: flagged on every page that shows it.
    orphan = Family.objects.filter(status="active").order_by("id").last()
    orphan.team.filter(role="coordinator").update(ended_on=today, end_reason="Left the organisation")
    if not orphan.team.filter(professional=pros["coordinator"]).exists():
        pro = pros["coordinator"]
        CareTeamMember.objects.create(family=orphan, professional=pro, organisation=pro.organisations.first(),
                                      role="member", responsibilities="Temporary contact until a new "
                                      "coordinator is found.")

    plans = seed_plans(rng)

    services = seed_services()
    referrals = seed_referrals(rng, services)
    _portal_account()
    _emergency_access(pros)
    seed_requests(pros["voordeur"])
    referrals += seed_partnership(rng)
    return {"organisations": len(ORGANISATIONS), "professionals": len(pros), "plans": plans,
            "services": len(services), "referrals": referrals,
            "families": Family.objects.count(), "persons": Person.objects.count()}


def _emergency_access(pros) -> None:
    """One emergency access at night, waiting for the privacy officer's review (login `privacy`)."""
    outsider = pros["recl1"]
    family = (Family.objects.filter(status="active").exclude(team__professional=outsider)
              .order_by("id").first())
    break_glass_open(actor=outsider, reference=family.reference, hours=4,
                     reason="Called by the police at 23:40: a teenager of this family was picked up "
                            "and we must know who coordinates the family's care tonight.")
