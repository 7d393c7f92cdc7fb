"""A small hand-made network with history: families, plans, reviews, referrals and more, made
straight in the database with the dates each test needs (the services only make today's)."""
import datetime as dt
import uuid

from django.utils import timezone

from oneplan.accounts.models import Role
from oneplan.assessments.models import Assessment, AssessmentScore
from oneplan.families.models import CareTeamMember, Family, Membership
from oneplan.frontdoor.models import HelpRequest
from oneplan.insights import aggregates
from oneplan.insights.loader import load_defaults
from oneplan.insights.models import Indicator, MonthlyFigure
from oneplan.plans import gas
from oneplan.plans.models import CaseDiscussion, Goal, Plan, PlanVersion, Review, ReviewScore
from oneplan.portal.models import Feedback
from oneplan.referrals.models import Referral
from oneplan.signals.models import Basis, Match, Signal
from tests.assessments.factories import life_domains
from tests.directory.factories import ServiceFactory
from tests.factories import FamilyFactory, OrganisationFactory, PersonFactory, ProfessionalFactory

LEVELS = ["much less", "less", "as expected", "more", "much more"]


def definitions() -> None:
    """The shipped definitions (a transactional test's flush removes what migrate loaded)."""
    if not Indicator.objects.exists():
        load_defaults()


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def staff(org=None, *roles):
    return ProfessionalFactory(organisations=[org or OrganisationFactory()],
                               roles=list(roles) or [Role.PRACTITIONER, Role.COORDINATOR])


def family(*, opened: dt.date, closed: dt.date | None = None, reason: str = "", intensity: str = "medium",
           org=None, status: str | None = None, child_born: dt.date | None = None, coordinator: bool = True,
           coordinator_from: dt.date | None = None) -> Family:
    """A family opened (and closed) on these days, with a parent, perhaps a child, and a
    coordinator of `org` from the opening day."""
    status = status or (Family.Status.CLOSED if closed else Family.Status.ACTIVE)
    fam = FamilyFactory(opened_on=opened, closed_on=closed, closure_reason=reason, intensity=intensity,
                        status=status)
    Membership.objects.create(family=fam, person=PersonFactory(), relation="parent", started_on=opened)
    if child_born:
        Membership.objects.create(family=fam, person=PersonFactory(date_of_birth=child_born), relation="child",
                                  started_on=opened)
    if coordinator:
        pro = staff(org)
        CareTeamMember.objects.create(family=fam, professional=pro, organisation=pro.organisations.first(),
                                      role=CareTeamMember.Role.COORDINATOR, responsibilities="Coordination.",
                                      started_on=coordinator_from or opened, ended_on=closed)
    return fam


def _coordinator(fam):
    member = fam.team.filter(role=CareTeamMember.Role.COORDINATOR).first()
    return member.professional if member else staff()


def plan(fam, agreed_on: dt.date, *, how: str = "meeting", goals: list[str] = ("We pay our rent on time",),
         next_review_on: dt.date | None = None) -> PlanVersion:
    """An agreed plan version with goals in these words (a goal's levels are the LEVELS)."""
    p, _ = Plan.objects.get_or_create(family=fam)
    author = _coordinator(fam)
    number = p.versions.count() + 1
    version = PlanVersion.objects.create(plan=p, status=PlanVersion.Status.DRAFT, vision="Calm at home",
                                         created_by=author)
    for i, words in enumerate(goals, 1):
        Goal.objects.create(version=version, domain="finances_debts", family_words=words, priority=i,
                            key=uuid.uuid4(), **dict(zip(Goal.LEVEL_FIELDS, LEVELS, strict=True)))
    PlanVersion.objects.filter(pk=version.pk).update(status=PlanVersion.Status.AGREED, number=number,
                                                     agreed_on=agreed_on, agreed_how=how, recorded_by=author,
                                                     updated_at=timezone.now())
    Plan.objects.filter(pk=p.pk).update(next_review_on=next_review_on or agreed_on + dt.timedelta(days=90))
    version.refresh_from_db()
    return version


def review(fam, held_on: dt.date, levels: list[int], *, next_review_on: dt.date | None = None) -> Review:
    """A review of the family's latest agreed version, one level per goal in order."""
    version = PlanVersion.objects.filter(plan__family=fam, status="agreed").order_by("-number").first()
    item = Review.objects.create(plan=version.plan, version=version, held_on=held_on, decisions="Go on",
                                 next_review_on=next_review_on or held_on + dt.timedelta(days=90),
                                 t_score=gas.t_score(levels) if levels else None, recorded_by=_coordinator(fam))
    for goal, level in zip(version.goals.order_by("priority"), levels, strict=False):
        ReviewScore.objects.create(review=item, goal=goal, level=level)
    Plan.objects.filter(pk=version.plan_id).update(next_review_on=item.next_review_on)
    return item


def discussion(fam, held_on: dt.date, *, kind: str = "regular", present: bool = False) -> CaseDiscussion:
    return CaseDiscussion.objects.create(family=fam, kind=kind, held_on=held_on, family_took_part=present,
                                         agenda="How is it going", recorded_by=_coordinator(fam))


def service(org=None, **kwargs):
    return ServiceFactory(organisation=org or OrganisationFactory(), **kwargs)


def referral(fam, svc, *, sent: dt.datetime | None = None, accepted: dt.datetime | None = None,
             started: dt.datetime | None = None, declined: dt.datetime | None = None, reason: str = "",
             warm: bool | None = None) -> Referral:
    status = ("declined" if declined else "in_service" if started else "accepted" if accepted
              else "sent" if sent else "draft")
    referrer = _coordinator(fam)
    return Referral.objects.create(
        family=fam, service=svc, organisation=svc.organisation, referrer=referrer,
        referrer_organisation=referrer.organisations.first(), needs=["finances_debts"], question="Help, please.",
        status=status, sent_at=sent, accepted_at=accepted, in_service_at=started, closed_at=declined,
        decline_reason=reason, started_warm=warm if started else None,
        status_changed_at=max(t for t in (sent, accepted, started, declined, timezone.now()) if t))


def match(first_org, second_org, *, told: dt.datetime, agreed_after: dt.timedelta | None = None) -> Match:
    signals = []
    for org in (first_org, second_org):
        pro = staff(org)
        signals.append(Signal.objects.create(subject_hash=uuid.uuid4().hex, basis=Basis.NATIONAL_ID,
                                             organisation=org, professional=pro, registered_on=told.date(),
                                             expires_on=told.date() + dt.timedelta(days=700)))
    return Match.objects.create(first=signals[0], second=signals[1], created_at=told,
                                acknowledged_at=told + agreed_after if agreed_after is not None else None,
                                coordinator=signals[0].professional if agreed_after is not None else None)


def feedback(fam, moment: dt.datetime, rating: int, comment: str = "") -> Feedback:
    person = fam.memberships.first().person
    return Feedback.objects.create(family=fam, person=person, rating=rating, comment=comment, created_at=moment)


def help_request(created: dt.datetime, *, asker="family", channel="web", urgency="soon",
                 contacted: dt.datetime | None = None, outcome="", outcome_at: dt.datetime | None = None,
                 asked_before=False) -> HelpRequest:
    return HelpRequest.objects.create(
        reference=uuid.uuid4().hex[:12], code_hash="0" * 64, created_at=created, asker=asker,
        asker_name="Someone", contact_by="phone", story="Help", urgency=urgency, channel=channel,
        due_at=created + dt.timedelta(hours=48), first_contact_at=contacted, outcome=outcome,
        outcome_at=outcome_at, status="done" if outcome else "in_contact" if contacted else "new",
        asked_before=asked_before)


def assessment(fam, held_on: dt.date, scores: dict) -> Assessment:
    """A completed assessment: {(domain, person or None): (professional's, family's score)}."""
    instrument = life_domains()
    author = _coordinator(fam)
    item = Assessment.objects.create(family=fam, instrument=instrument, held_on=held_on, status="completed",
                                     created_by=author, completed_at=at(held_on))
    for (domain, person), (pro, own) in scores.items():
        AssessmentScore.objects.create(assessment=item, domain_key=domain, person=person, professional_score=pro,
                                       family_score=own, contributed_by=author)
    return item


def built(key: str) -> dict:
    """Rebuild one indicator; its figures as {(month, breakdown, group, series): figure}."""
    definitions()
    aggregates.rebuild(keys=[key])
    return {(f.month, f.breakdown, f.group, f.series): f for f in MonthlyFigure.objects.filter(indicator=key)}


def month(year: int, number: int) -> dt.date:
    return dt.date(year, number, 1)
