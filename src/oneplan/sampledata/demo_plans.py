"""Plans, assessments and reviews for the demo families, made through the real services."""
import datetime as dt
import random

from django.utils import timezone

from oneplan.access.services_consent import consent_record
from oneplan.assessments import services as assessment_services
from oneplan.assessments.models import Instrument
from oneplan.families.models import CareTeamMember
from oneplan.plans import services
from oneplan.plans.models import Plan
from oneplan.plans.services import GoalInput, NewAction

GOALS = [
    ("finances_debts", "We want our debts under control and no more letters from bailiffs",
     ["New debts, no overview", "Overview of all debts", "Payment plan agreed with creditors",
      "Payment plan kept for three months", "Debt settlement running, no new debts"]),
    ("child_development_school", "The children go to school every day again",
     ["Absent most days", "Goes two days a week", "Goes four days a week",
      "Goes every day", "Goes every day and joins the after-school club"]),
    ("housing", "A home where the children have their own room",
     ["Threat of eviction", "Rent arrears, no plan", "Arrears in a payment plan",
      "On the list for a bigger home", "Moved to a bigger home"]),
    ("mental_health", "Less worry at night and better sleep",
     ["Not sleeping, no help", "Waiting for treatment", "In treatment, sleeps some nights",
      "Sleeps most nights", "Sleeps well and goes out again"]),
]


def _goal(family, spec, priority):
    domain, words, levels = spec
    person = family.memberships.order_by("person__date_of_birth").first().person_id
    return GoalInput(domain=domain, family_words=words, levels=levels, persons=[person],
                     priority=priority, target_date=timezone.localdate() + dt.timedelta(days=120))


def seed_plans(rng: random.Random, limit: int = 30) -> int:
    today = timezone.localdate()
    instrument = Instrument.objects.filter(key="family-life-domains", is_active=True).first()
    coordinators = (CareTeamMember.objects.filter(role="coordinator", ended_on__isnull=True,
                                                  family__status__in=["active", "scaling_down"])
                    .select_related("family", "professional")[:limit])
    made = 0
    for member in coordinators:
        actor, family = member.professional, member.family
        draft = services.plan_draft(actor=actor, family_id=family.pk)
        draft = services.draft_update_vision(
            actor=actor, version_id=draft.pk, lock_version=draft.lock_version,
            vision="Rust in huis: no debt letters, the children at school, time for each other.")
        for priority, spec in enumerate(rng.sample(GOALS, 2), 1):
            draft.refresh_from_db()
            services.goal_save(actor=actor, version_id=draft.pk, lock_version=draft.lock_version,
                               goal=_goal(family, spec, priority))
        draft.refresh_from_db()
        parent = family.memberships.order_by("person__date_of_birth").first().person_id
        version = services.plan_agree(
            actor=actor, version_id=draft.pk, lock_version=draft.lock_version, agreed_by=[parent],
            agreed_how="meeting", agreed_on=today - dt.timedelta(days=rng.randint(30, 120)),
            next_review_on=today + dt.timedelta(days=rng.randint(14, 60)))
        if made % 5 == 4:
            # Seed data stands for months of history: this plan's review date has since passed.
            Plan.objects.filter(pk=version.plan_id).update(
                next_review_on=today - dt.timedelta(days=rng.randint(3, 30)))
        for goal in version.goals.all():
            services.action_add(actor=actor, family_id=family.pk, what="Plan the next step together",
                                owner=f"pro:{actor.pk}", goal_key=goal.key,
                                due_on=today + dt.timedelta(days=rng.randint(-10, 30)))
        if made % 2 == 0 and made % 5 != 4:
            services.review_record(
                actor=actor, family_id=family.pk, held_on=today, family_present=True,
                family_attendees=[parent], levels={g.pk: rng.choice([-1, 0, 0, 1, 2])
                                                   for g in version.goals.all()},
                decisions="Going well on the debts; school attendance needs more attention.",
                next_review_on=today + dt.timedelta(days=90))
        if made % 3 == 0:
            services.discussion_record(
                actor=actor, family_id=family.pk, kind="regular", held_on=today,
                participants=[actor.pk], agenda="Progress on the plan; who takes the school talk?",
                decisions="The school attendance officer joins the next review.",
                actions=[NewAction("Invite the school attendance officer", f"pro:{actor.pk}",
                                   today + dt.timedelta(days=7))])
        if made % 6 != 5:  # most families consented to sharing with the whole team
            consent_record(actor=actor, family_id=family.pk, given_by=[parent], how="in_person",
                           categories=["assessment", "health", "finance", "safety", "notes"],
                           valid_from=today - dt.timedelta(days=160))
        if instrument and made % 6 != 5:
            # Two rounds, four months apart: most scores move up a little.
            base = {d["key"]: (rng.randint(1, 3), rng.randint(2, 4)) for d in instrument.domains[:6]}
            for days_ago, step in ((150, 0), (30, 1)):
                assessment = assessment_services.assessment_start(
                    actor=actor, family_id=family.pk, instrument_id=instrument.pk,
                    held_on=today - dt.timedelta(days=days_ago))
                for domain in instrument.domains[:6]:
                    pro, fam = base[domain["key"]]
                    assessment_services.score_set(
                        actor=actor, assessment_id=assessment.pk, domain_key=domain["key"],
                        person_id=parent if domain["personal"] else None,
                        professional_score=min(5, pro + step * rng.randint(0, 2)),
                        family_score=min(5, fam + step * rng.randint(0, 1)))
                assessment_services.assessment_complete(actor=actor, assessment_id=assessment.pk)
        made += 1
    return made
