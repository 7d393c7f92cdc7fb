"""The demo's partnership: the first thousand days in Noord, made through the partnership's own
services: members and representatives, a vision in two versions, roles, cooperation agreements
measured against referrals, funding, two self-evaluation rounds and a learning session."""
import datetime as dt
import random

from django.utils import timezone

from oneplan.access.services_consent import consent_record
from oneplan.accounts.models import Organisation, Professional
from oneplan.core.errors import DomainError
from oneplan.directory.models import Service
from oneplan.families.models import CareTeamMember
from oneplan.partnership import services, services_evaluation, services_funding, services_learning
from oneplan.partnership.models import Group, Round
from oneplan.referrals import services as referrals
from oneplan.referrals.models import Referral, ReferralStep

NAME = "Eerste duizend dagen Noord"

# organisation, representative, role, leads on
MEMBERS = [
    ("Sociaal Wijkteam Noord", "manager", "Hosts the partnership; the social team's coaches coordinate the "
     "care of families with more than one problem and run the front door.", ["family_relations", "safety"]),
    ("GGD Jeugdgezondheid", "ggd2", "Sees every baby and toddler: growth, development, first signals.",
     ["physical_health", "child_development_school"]),
    ("Jeugdhulp Rivierenland", "jeugd1", "Parenting support and intensive family treatment at home.",
     ["parenting"]),
    ("Schuldhulp Stadsbank", "schuld2", "Debt counselling and budget coaching, with a quick first talk for "
     "young parents.", ["finances_debts"]),
    ("Woonstichting Thuis", "wonen2", "Prevents evictions of families with young children.", ["housing"]),
    ("Huisartsenpraktijk De Linde", "ha1", "GPs and the practice nurse: health of parents and children.", []),
    ("Maatschappelijk Werk Stad", "amw1", "Social work for parents; seconds a co-coordinator.",
     ["social_network"]),
    ("GGZ Centrum Oost", "ggz2", "Mental-health care for parents, with the children in mind.",
     ["mental_health"]),
]

VISION_1 = ("Every child in Noord gets a good start in its first thousand days. Parents who struggle get "
            "help early, from one team around the family, with one plan and one coordinator.")
VISION_2 = ("Every child in Noord gets a good start in its first thousand days. Parents who struggle get "
            "help early and close to home, from one team around the family, with one plan, one coordinator "
            "and the family's own words in it. We measure together whether families are better off.")

# from organisation (or sector), to organisation, need, days to accept, contacts
AGREEMENTS = [
    ("Sociaal Wijkteam Noord", "Schuldhulp Stadsbank", "finances_debts", 10, "coordinator", "schuld1"),
    ("Sociaal Wijkteam Noord", "GGZ Centrum Oost", "mental_health", 14, "wijkcoach2", "ggz1"),
    ("Sociaal Wijkteam Noord", "Jeugdhulp Rivierenland", "parenting", 10, "coordinator", "jeugd2"),
    ("Sociaal Wijkteam Noord", "Woonstichting Thuis", "housing", 5, "wijkcoach3", "wonen1"),
    ("primary_care", "Jeugdhulp Rivierenland", "parenting", 10, None, "jeugd1"),
]

CONTRIBUTIONS = [  # organisation, purpose, euros, hours
    ("Sociaal Wijkteam Noord", "pooled", 40000, 0), ("Sociaal Wijkteam Noord", "coordination", 62000, 0),
    ("GGD Jeugdgezondheid", "pooled", 10000, 120), ("Jeugdhulp Rivierenland", "pooled", 15000, 200),
    ("Schuldhulp Stadsbank", "pooled", 5000, 80), ("Woonstichting Thuis", "pooled", 7500, 0),
    ("GGZ Centrum Oost", "pooled", 0, 160), ("Huisartsenpraktijk De Linde", "pooled", 0, 60),
    ("Maatschappelijk Werk Stad", "coordination", 0, 640),
]
BUDGET = {"coordination": 20000, "training": 18000, "family_participation": 8000, "flexible_support": 25000,
          "communication": 4000, "evaluation": 5000}
SPENDING = [  # days ago, category, euros, what for
    (150, "training", 6400, "Training day 'one family, one plan' for 60 professionals"),
    (120, "flexible_support", 2750, "Emergency payments for three families (rent, energy)"),
    (95, "family_participation", 1200, "Expenses of the family council, first half year"),
    (80, "coordination", 9500, "Partnership secretary, first quarter"),
    (60, "communication", 4600, "Partnership meetings and the leaflet for parents"),
    (30, "training", 7900, "Two courses on warm handoffs"),
    (10, "flexible_support", 3100, "Childcare while parents attend debt counselling"),
]

# Answers per person: score per aspect (vision, roles, monitoring, funding, relationships).
PROFESSIONAL_ANSWERS = [(4, 3, 2, 2, 4), (5, 4, 3, 1, 4), (4, 3, 2, 2, 3), (4, 4, 3, 1, 5), (5, 3, 2, 2, 4),
                        (4, 2, 3, 2, 4)]
FAMILY_ANSWERS = [(3, 2, 2, 3, 3), (4, 2, 1, 3, 2), (3, 3, 2, 4, 3), (2, 2, 1, 3, 3), (4, 3, 2, 3, 4)]
MANAGER_ANSWERS = [(5, 4, 4, 5, 4), (5, 4, 3, 4, 4)]
EARLIER_ANSWERS = [(3, 2, 2, 2, 3), (4, 2, 2, 1, 3), (3, 3, 1, 2, 3), (3, 2, 2, 2, 4), (4, 2, 2, 2, 3)]


def _pro(username: str) -> Professional:
    return Professional.objects.get(user__username=username)


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _answers(item: Round, scores: tuple, rng: random.Random) -> dict:
    out = {}
    for aspect, score in zip(item.questionnaire.definition["aspects"], scores):
        for question in aspect["questions"]:
            out[question["key"]] = str(min(5, max(1, score + rng.choice((-1, 0, 0, 0, 1)))))
    return out


def _members(admin, partnership) -> dict:
    members = {}
    for org_name, rep, role, leads in MEMBERS:
        org = _org(org_name)
        member = services.member_add(actor=admin, partnership_id=partnership.pk, organisation_id=org.pk)
        services.representative_add(actor=admin, member_id=member.pk, professional_id=_pro(rep).pk)
        own = Service.objects.filter(organisation=org).values_list("pk", flat=True)
        services.member_role_save(actor=_pro(rep), member_id=member.pk, role=role, lead_domains=leads,
                                  service_ids=list(own))
        members[org_name] = (member, _pro(rep))
    return members


def _vision(partnership, members) -> None:
    coordinator = partnership.coordinator
    first = services.vision_propose(actor=coordinator, partnership_id=partnership.pk, text=VISION_1)
    for member, rep in members.values():
        services.vision_agree(actor=rep, version_id=first.pk, member_id=member.pk)
    second = services.vision_propose(actor=coordinator, partnership_id=partnership.pk, text=VISION_2,
                                     note="After the learning session: close to home, the family's own words, "
                                          "measuring together.")
    for org_name in ("Sociaal Wijkteam Noord", "GGD Jeugdgezondheid", "Jeugdhulp Rivierenland",
                     "Schuldhulp Stadsbank", "Maatschappelijk Werk Stad"):
        member, rep = members[org_name]
        services.vision_agree(actor=rep, version_id=second.pk, member_id=member.pk)
    now = timezone.now()
    first.agreements.update(agreed_at=now - dt.timedelta(days=300))
    type(first).objects.filter(pk=first.pk).update(created_at=now - dt.timedelta(days=320))
    type(second).objects.filter(pk=second.pk).update(created_at=now - dt.timedelta(days=12))


def _agreements(partnership) -> None:
    start = timezone.localdate() - dt.timedelta(days=330)
    for source, target, need, days, from_contact, to_contact in AGREEMENTS:
        from_org = Organisation.objects.filter(name=source).first()
        services.agreement_save(
            actor=partnership.coordinator, partnership_id=partnership.pk, need=need, response_days=days,
            from_organisation_id=from_org.pk if from_org else None, from_sector="" if from_org else source,
            to_organisation_id=_org(target).pk, from_contact_id=_pro(from_contact).pk if from_contact else None,
            to_contact_id=_pro(to_contact).pk, valid_from=start,
            note="Urgent referrals: a phone call the same day, then the referral in oneplan.")


def _backdate(referral: Referral, sent_ago: float, accept_after: float | None) -> None:
    now = timezone.now()
    sent = now - dt.timedelta(days=sent_ago)
    accepted = sent + dt.timedelta(days=accept_after) if accept_after is not None else None
    for step in ReferralStep.objects.filter(referral=referral):
        at = sent if step.to_status in ("draft", "sent") else accepted or sent + dt.timedelta(hours=4)
        if step.to_status == "received":
            at = sent + dt.timedelta(hours=6)
        ReferralStep.objects.filter(pk=step.pk).update(at=at)
    Referral.objects.filter(pk=referral.pk).update(
        created_at=sent, sent_at=sent, received_at=sent + dt.timedelta(hours=6), accepted_at=accepted,
        status_changed_at=accepted or sent + dt.timedelta(hours=6))


def _pathway_referrals(rng: random.Random) -> int:
    """Referrals from the social team to the debt counsellors over the past months, so the first
    agreement has enough referrals to measure (most in time, a few late, one overdue)."""
    team = _org("Sociaal Wijkteam Noord")
    service = Service.objects.get(name="Schuldhulpverlening")
    receiver = service.contacts.filter(professional__isnull=False).first().professional
    coordinators = CareTeamMember.objects.filter(role="coordinator", ended_on__isnull=True, organisation=team,
                                                 family__status="active").select_related("family", "professional")
    waits = [2, 3, 4, 5, 6, 6, 7, 8, 8, 9, 12, 15, None]
    made = 0
    for member in coordinators.order_by("family_id"):
        if made == len(waits):
            break
        family = member.family
        adult = family.memberships.filter(relation="parent", ended_on__isnull=True).first()
        if adult is None or Referral.objects.filter(family=family, service=service).exists():
            continue
        try:
            consent_record(actor=member.professional, family_id=family.pk, organisation_id=service.organisation_id,
                           purpose="referral", how="in_person", given_by=[adult.person_id],
                           categories=["identity", "finance"])
            item = referrals.referral_create(
                actor=member.professional, family_id=family.pk, service_id=service.pk, person_ids=[adult.person_id],
                needs=["finances_debts"], question="Debts are piling up; the family asks for a debt settlement.",
                shared_categories=["finance"])
            referrals.referral_send(actor=member.professional, referral_id=item.pk)
            wait = waits[made]
            if wait is not None:
                referrals.referral_step(actor=receiver, referral_id=item.pk, to_status="received")
                referrals.referral_step(actor=receiver, referral_id=item.pk, to_status="accepted",
                                        receiving_professional_id=receiver.pk)
        except DomainError:
            continue
        _backdate(item, rng.randint(20, 300) if wait is not None else 25, wait)
        made += 1
    return made


def _funding(partnership, members) -> None:
    today = timezone.localdate()
    for org_name, purpose, euros, hours in CONTRIBUTIONS:
        member, rep = members[org_name]
        services_funding.contribution_save(actor=rep, member_id=member.pk, year=today.year, purpose=purpose,
                                           money=euros, staff_hours=hours)
    for category, amount in BUDGET.items():
        services_funding.budget_line_save(actor=partnership.coordinator, partnership_id=partnership.pk,
                                          year=today.year, category=category, amount=amount)
    first_day = dt.date(today.year, 1, 1)
    for days, category, amount, what in SPENDING:
        services_funding.spending_record(actor=partnership.coordinator, partnership_id=partnership.pk,
                                         category=category, amount=amount, description=what,
                                         spent_on=max(first_day, today - dt.timedelta(days=days)))


def _respond_external(item: Round, group: str, scores: tuple, rng: random.Random) -> None:
    _invitation, token = services_evaluation.invitation_external(actor=item.partnership.coordinator,
                                                                 round_id=item.pk, group=group)
    services_evaluation.response_submit(token=token, answers=_answers(item, scores, rng))


def _evaluation(partnership, rng: random.Random) -> None:
    today = timezone.localdate()
    earlier = services_evaluation.round_open(actor=partnership.coordinator, partnership_id=partnership.pk,
                                             closes_on=today + dt.timedelta(days=14))
    for scores in EARLIER_ANSWERS:
        _respond_external(earlier, Group.FAMILY, scores, rng)
    pros = [i.professional for i in earlier.invitations.filter(professional__isnull=False, group=Group.PROFESSIONAL)
            .select_related("professional").order_by("professional_id")[:5]]
    for pro, scores in zip(pros, EARLIER_ANSWERS):
        services_evaluation.response_submit_mine(actor=pro, round_id=earlier.pk, answers=_answers(earlier, scores, rng))
    services_evaluation.round_close(actor=partnership.coordinator, round_id=earlier.pk)
    Round.objects.filter(pk=earlier.pk).update(opened_on=today - dt.timedelta(days=200),
                                               closes_on=today - dt.timedelta(days=180))
    current = services_evaluation.round_open(actor=partnership.coordinator, partnership_id=partnership.pk,
                                             closes_on=today + dt.timedelta(days=21))
    invited = current.invitations.filter(professional__isnull=False).select_related("professional") \
        .exclude(professional__user__username__in=["coordinator", "manager"]).order_by("professional_id")
    pros = [i.professional for i in invited if i.group == Group.PROFESSIONAL][:len(PROFESSIONAL_ANSWERS)]
    for pro, scores in zip(pros, PROFESSIONAL_ANSWERS):
        services_evaluation.response_submit_mine(actor=pro, round_id=current.pk, answers=_answers(current, scores, rng))
    managers = [i.professional for i in invited if i.group == Group.MANAGER][:len(MANAGER_ANSWERS)]
    for pro, scores in zip(managers, MANAGER_ANSWERS):
        services_evaluation.response_submit_mine(actor=pro, round_id=current.pk, answers=_answers(current, scores, rng))
    for scores in FAMILY_ANSWERS:
        _respond_external(current, Group.FAMILY, scores, rng)


def _learning(partnership) -> None:
    today = timezone.localdate()
    session = services_learning.session_record(
        actor=partnership.coordinator, partnership_id=partnership.pk, held_on=today - dt.timedelta(days=21),
        title="Warm handoffs between the social team and debt counselling",
        participant_ids=[_pro(u).pk for u in ("manager", "coordinator", "schuld1", "schuld2", "ggd1", "jeugd1")],
        others="Two parents of the family council",
        learned="Families drop out between the referral and the first appointment when they have to tell their "
                "story again. A joint first meeting at home keeps them in. Debt counselling accepts most "
                "referrals within the agreed ten days, but not when the referral lacks an overview of income.")
    actions = [("Add 'overview of income' to the referral checklist", "schuld2", -14, True),
               ("Plan joint first meetings for all new debt referrals", "coordinator", -3, False),
               ("Invite the GPs to the next learning session", "manager", 20, False)]
    for text, owner, due, done in actions:
        action = services_learning.action_add(actor=partnership.coordinator, session_id=session.pk, text=text,
                                              owner_id=_pro(owner).pk, due_on=today + dt.timedelta(days=due))
        if done:
            services_learning.action_done(actor=_pro(owner), action_id=action.pk, note="In the checklist since May.")


def seed_partnership(rng: random.Random) -> int:
    admin = _pro("netadmin")
    partnership = services.partnership_create(
        actor=admin, name=NAME, area="Noord",
        purpose="Every child a good start: the organisations around young families in Noord work as one "
                "team, from pregnancy to the child's second birthday.",
        coordinator_id=_pro("manager").pk)
    members = _members(admin, partnership)
    _vision(partnership, members)
    _agreements(partnership)
    made = _pathway_referrals(rng)
    _funding(partnership, members)
    _evaluation(partnership, rng)
    _learning(partnership)
    return made
