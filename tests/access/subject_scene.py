"""A household with data in most export sections, for the subject access tests (unit and browser)."""
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from oneplan.access.models import Consent
from oneplan.accounts.models import Professional
from oneplan.families.models import Family, Membership, Person
from tests.factories import MembershipFactory, PersonFactory, ProfessionalFactory, consent_for

FIXED_DAY = dt.date(2026, 3, 5)  # consents are valid from this day: its format is checked


@dataclass
class SubjectScene:
    coordinator: Professional
    officer: Professional
    family: Family
    parent: Person  # born 1 January 1985
    teenager: Person  # an adult child (born 2005): decides about their own data
    toddler: Person  # too young to decide: the parent's family-wide consent covers them
    family_wide: Consent  # given by the parent for the whole family
    teenager_own: Consent  # given by the teenager about themselves
    # and a family-wide consent for safety given by the parent's partner alone (covers not the parent)


def subject_scene() -> SubjectScene:
    from oneplan.assessments.services import assessment_start, score_set
    from oneplan.families.notes import note_add
    from oneplan.plans import services
    from tests.assessments.factories import life_domains
    from tests.plans.factories import agreed_plan
    from tests.referrals.factories import scene

    s = scene()
    s.sent()
    agreed_plan(s.referrer, s.family)  # its goal is about the first member: the parent
    toddler = PersonFactory(given_name="Noor",
                            date_of_birth=timezone.localdate() - dt.timedelta(days=4 * 365))
    MembershipFactory(family=s.family, person=toddler, relation=Membership.Relation.CHILD)
    family_wide = consent_for(s.family, given_by=[s.parent])
    family_wide.valid_from = FIXED_DAY
    family_wide.save(update_fields=["valid_from"])
    teenager_own = consent_for(s.family, subject=s.child, given_by=[s.child], categories=["health"])
    partner = PersonFactory(given_name="Sam", date_of_birth=dt.date(1983, 6, 1))
    MembershipFactory(family=s.family, person=partner, relation=Membership.Relation.PARTNER)
    consent_for(s.family, given_by=[partner], categories=["safety"])  # family-wide, by the partner
    services.action_add(actor=s.referrer, family_id=s.family.pk, what="Phone the bank",
                        owner=f"person:{s.parent.pk}", due_on=FIXED_DAY)
    note_add(actor=s.referrer, family_id=s.family.pk, text="Talked about the bills.", category="finance",
             about_id=s.parent.pk)
    assessment = assessment_start(actor=s.referrer, family_id=s.family.pk, instrument_id=life_domains().pk)
    score_set(actor=s.referrer, assessment_id=assessment.pk, domain_key="income_work", person_id=s.parent.pk,
              professional_score=2, family_score=3, family_words="Looking for work", safety_flag=False)
    officer = ProfessionalFactory(roles=["privacy_officer"])
    return SubjectScene(s.referrer, officer, s.family, s.parent, s.child, toddler, family_wide, teenager_own)
