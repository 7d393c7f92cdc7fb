"""The demo's care network: services in the directory and referrals in every state, made through
the real services (consent, sending, accepting, warm handoffs) and then spread over past months."""
import datetime as dt
import random

from django.utils import timezone

from oneplan.access.services_consent import consent_record
from oneplan.accounts.models import Organisation, Professional
from oneplan.directory.services import ServiceInput, service_save
from oneplan.families.models import CareTeamMember
from oneplan.referrals import services as referrals
from oneplan.referrals.models import Referral, ReferralStep

CITY_AREAS = ["Noord", "Oost", "Zuid", "West", "Centrum"]

# organisation name, service name, domains, ages, languages, areas, wait weeks, wait age (days),
# description, rules [(domain, min, max)]
SERVICES = [
    ("Schuldhulp Stadsbank", "Schuldhulpverlening", ["finances_debts"], (18, None), ["nl", "en", "ar", "tr"],
     [], 6, 10, "Debt counselling: an overview of all debts, talks with creditors and a debt "
     "settlement of three years.", [("finances_debts", None, 3)]),
    ("Schuldhulp Stadsbank", "Budgetcoaching", ["finances_debts", "daily_living"], (16, None), ["nl", "en"],
     CITY_AREAS[:3], 2, 45, "Weekly coaching to keep income and spending in balance.", []),
    ("GGZ Centrum Oost", "Basis-GGZ volwassenen", ["mental_health"], (18, None), ["nl", "en", "pl"],
     ["Oost", "Centrum"], 9, 5, "Short treatment for anxiety, depression and stress (5-12 sessions).",
     [("mental_health", None, 3)]),
    ("GGZ Centrum Oost", "Verslavingszorg ambulant", ["substance_use", "mental_health"], (18, None),
     ["nl", "en"], [], 5, 12, "Outpatient addiction care with the family involved.", []),
    ("Jeugdhulp Rivierenland", "Intensieve ambulante gezinsbehandeling", ["parenting", "family_relations",
     "safety"], (0, 17), ["nl", "en", "ar", "ber"], [], 8, 20, "Intensive family treatment at home, "
     "several times a week, for six months.", [("parenting", None, 2)]),
    ("Jeugdhulp Rivierenland", "Opvoedondersteuning", ["parenting"], (0, 17), ["nl", "tr", "ar"], CITY_AREAS,
     3, 60, "Parenting support in a few conversations at home or in the neighbourhood.", []),
    ("GGD Jeugdgezondheid", "Jeugdverpleegkundige spreekuur", ["physical_health", "parenting",
     "child_development_school"], (0, 18), ["nl", "en", "ar", "tr", "pl", "uk"], [], 1, 3,
     "Growth, development, sleep and eating: the youth health nurse for every child.", []),
    ("Werk en Inkomen Gemeente", "Participatiebegeleiding", ["income_work", "community_participation"],
     (18, 67), ["nl", "en", "ar", "ti"], [], 4, 15, "Job coaching and daytime activity towards paid "
     "work.", []),
    ("Woonstichting Thuis", "Huurachterstand aanpak", ["housing", "finances_debts"], (18, None), ["nl"],
     [], 0, 2, "Rent arrears: a payment arrangement before eviction is on the table.", []),
    ("Humanitas Thuisadministratie", "Thuisadministratie vrijwilliger", ["finances_debts", "daily_living"],
     (18, None), ["nl", "en"], CITY_AREAS, 4, 90, "A trained volunteer helps sort the post and pay the "
     "bills every two weeks.", []),
    ("Basisschool De Regenboog", "Schoolmaatschappelijk werk", ["child_development_school",
     "family_relations"], (4, 13), ["nl"], ["Noord"], 2, 8, "The school social worker talks with "
     "children and parents about worries that show at school.", []),
    ("Maatschappelijk Werk Stad", "Algemeen maatschappelijk werk", ["family_relations", "daily_living",
     "social_network"], (18, None), ["nl", "en", "ar", "tr", "pap", "srn"], [], 3, 25,
     "Social work for adults: practical and emotional support.", []),
]


def seed_services() -> dict[str, object]:
    admin = Professional.objects.get(user__username="netadmin")
    made = {}
    today = timezone.localdate()
    for org_name, name, domains, (low, high), langs, areas, weeks, age, text, rules in SERVICES:
        org = Organisation.objects.get(name=org_name)
        staff = list(Professional.objects.filter(organisations=org).order_by("id")[:2])
        item = service_save(actor=admin, organisation_id=org.pk, data=ServiceInput(
            name=name, description=text, domains=domains, minimum_age=low, maximum_age=high,
            languages=langs, areas=areas, wait_weeks=weeks, fees_description="Free" if weeks < 9 else
            "Free; own contribution for adults with an income above the limit",
            application_process="Refer through oneplan; we call the family within a week.",
            referral_requirements="What the family wants to change and what was tried before.",
            target_group="Families in the municipality", phone=org.phone, email=org.email,
            location=(org_name, "Stationsplein 1", "1012 AB", "Amsterdam"),
            contact_ids=[p.pk for p in staff], rules=rules))
        type(item).objects.filter(pk=item.pk).update(wait_updated_on=today - dt.timedelta(days=age))
        made[name] = item
    return made


def _consent(actor, family, organisation, persons, categories):
    parent = family.memberships.filter(relation="parent").order_by("person__date_of_birth").first().person_id
    consent_record(actor=actor, family_id=family.pk, organisation_id=organisation.pk,
                   purpose="referral", how="in_person", given_by=[parent],
                   categories=["identity", *categories], subject_id=None)


def _backdate(referral: Referral, days: list[int], rng) -> None:
    """Spread the referral's history over the past: one day offset per step."""
    now = timezone.now()
    steps = list(ReferralStep.objects.filter(referral=referral).order_by("at", "id"))
    stamps = {}
    for step, ago in zip(steps, days):
        at = now - dt.timedelta(days=ago, hours=rng.randint(0, 8))
        ReferralStep.objects.filter(pk=step.pk).update(at=at)
        stamps.setdefault(step.to_status, at)
    fields = {"created_at": stamps.get("draft"), "sent_at": stamps.get("sent"),
              "received_at": stamps.get("received"), "accepted_at": stamps.get("accepted"),
              "in_service_at": stamps.get("in_service"), "status_changed_at": max(stamps.values())}
    Referral.objects.filter(pk=referral.pk).update(**{k: v for k, v in fields.items() if v})


def seed_referrals(rng: random.Random, made: dict) -> int:
    """Referrals from coordinators of demo families to the directory's services, in every state."""
    coordinators = list(CareTeamMember.objects.filter(role="coordinator", ended_on__isnull=True,
                                                      family__status="active")
                        .select_related("family", "professional").order_by("family_id"))
    plan = [("Schuldhulpverlening", "accepted_handoff"), ("Basis-GGZ volwassenen", "sent"),
            ("Opvoedondersteuning", "in_service_warm"), ("Huurachterstand aanpak", "received"),
            ("Budgetcoaching", "in_service_cold"), ("Participatiebegeleiding", "declined"),
            ("Schuldhulpverlening", "completed"), ("Intensieve ambulante gezinsbehandeling", "waiting"),
            ("Thuisadministratie vrijwilliger", "draft"), ("Basis-GGZ volwassenen", "info"),
            ("Schuldhulpverlening", "in_service_warm"), ("Budgetcoaching", "completed")]
    count = 0
    for member, (service_name, outcome) in zip(coordinators, plan * 3):
        item, actor, family = made[service_name], member.professional, member.family
        if item.referrals.filter(family=family).exists():
            continue
        adults = [m.person for m in family.memberships.filter(ended_on__isnull=True, relation="parent")]
        # Children under 12: the parent's consent covers them (older ones consent themselves).
        children = [m.person for m in family.memberships.filter(ended_on__isnull=True, relation="child")
                    .order_by("-person__date_of_birth") if m.person.age < 12]
        persons = children[:1] if item.minimum_age == 0 else adults[:1]
        if not persons:
            continue
        domain = item.domains.first().domain
        receiver = item.contacts.first().professional
        if outcome != "draft":  # the drafts wait for the family's consent
            _consent(actor, family, item.organisation, persons, ["finance", "assessment"])
        ref = referrals.referral_create(
            actor=actor, family_id=family.pk, service_id=item.pk, person_ids=[p.pk for p in persons],
            needs=[domain], urgency=rng.choice(["routine", "routine", "soon", "urgent"]),
            question="The family asks for help with this; what was tried: talks with the coordinator.",
            shared_categories=["finance", "assessment"])
        count += 1
        if outcome == "draft":
            continue
        referrals.referral_send(actor=actor, referral_id=ref.pk)
        if outcome == "sent":
            _backdate(ref, [6, 5], rng)
            continue
        referrals.referral_step(actor=receiver, referral_id=ref.pk, to_status="received")
        if outcome == "received":
            _backdate(ref, [4, 4, 3], rng)
            continue
        if outcome == "info":
            referrals.referral_step(actor=receiver, referral_id=ref.pk, to_status="info_requested",
                                    note="Is there a current overview of income and fixed costs?")
            _backdate(ref, [9, 8, 7, 5], rng)
            continue
        if outcome == "declined":
            referrals.referral_step(actor=receiver, referral_id=ref.pk, to_status="declined",
                                    decline_reason="other_service", note="Budgetcoaching fits better first.")
            _backdate(ref, [40, 39, 38, 30], rng)
            continue
        referrals.referral_step(actor=receiver, referral_id=ref.pk, to_status="accepted",
                                receiving_professional_id=receiver.pk)
        start = rng.randint(30, 200)
        if outcome == "waiting":
            referrals.referral_step(actor=receiver, referral_id=ref.pk, to_status="waiting_list",
                                    expected_start_on=timezone.localdate() + dt.timedelta(days=30))
            _backdate(ref, [start, start - 1, start - 2, start - 6, start - 6], rng)
            continue
        if outcome in ("accepted_handoff", "in_service_warm", "completed"):
            referrals.handoff_plan(actor=receiver, referral_id=ref.pk, mode="in_person",
                                   planned_for=timezone.now() + dt.timedelta(days=3),
                                   place="At the family's home")
        if outcome == "accepted_handoff":
            _backdate(ref, [12, 11, 10, 8], rng)
            continue
        if outcome in ("in_service_warm", "completed"):
            referrals.handoff_record(actor=actor, referral_id=ref.pk, held_on=timezone.localdate(),
                                     notes="Introduced; first appointment made.")
        referrals.referral_step(actor=receiver, referral_id=ref.pk, to_status="in_service")
        days = [start, start - 1, start - 2, start - rng.randint(5, 20), start - rng.randint(25, 28)]
        if outcome == "completed":
            referrals.referral_step(actor=receiver, referral_id=ref.pk, to_status="completed",
                                    note="Goals of the referral reached.")
            days.append(max(0, start - 29 - rng.randint(1, 100)))
        _backdate(ref, days, rng)
    return count
