"""Factories shared by every app's tests (each app adds its own in tests/<app>/factories.py)."""
import datetime as dt

import factory
from django.utils import timezone

from oneplan.accounts.models import Organisation, Professional, Role, Sector, User
from oneplan.families.models import CareTeamMember, Family, Membership, NetworkMember, Person


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Sector.SOCIAL_WORK


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProfessionalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Professional
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    discipline = "Social worker"
    phone = "+31 20 555 0100"
    roles = factory.LazyFunction(lambda: [Role.PRACTITIONER, Role.COORDINATOR])

    @factory.post_generation
    def organisations(obj, create, extracted, **kwargs):
        if not create:
            return
        for org in extracted or [OrganisationFactory()]:
            obj.organisations.add(org)


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    reference = factory.Sequence(lambda n: f"OP-TEST-{n:04d}")
    name = factory.Sequence(lambda n: f"Household {n}")
    status = Family.Status.ACTIVE


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    date_of_birth = factory.LazyFunction(lambda: dt.date(1985, 4, 12))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    family = factory.SubFactory(FamilyFactory)
    person = factory.SubFactory(PersonFactory)
    relation = Membership.Relation.PARENT


class NetworkMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMember

    family = factory.SubFactory(FamilyFactory)
    name = factory.Faker("name")
    relation = NetworkMember.Relation.GRANDPARENT
    support = NetworkMember.Support.CHILDCARE
    strength = NetworkMember.Strength.STRONG
    load = 3


class CareTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareTeamMember

    family = factory.SubFactory(FamilyFactory)
    professional = factory.SubFactory(ProfessionalFactory)
    organisation = factory.LazyAttribute(lambda m: m.professional.organisations.first())
    role = CareTeamMember.Role.MEMBER
    responsibilities = "Supports the parents with debts."
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


def family_with_team(*, coordinator=None, members=2, **kwargs) -> Family:
    """An active family with a household and a coordinator (the given professional or a new one)."""
    family = FamilyFactory(**kwargs)
    for i in range(members):
        MembershipFactory(family=family, relation=Membership.Relation.PARENT if i == 0
                          else Membership.Relation.CHILD,
                          person=PersonFactory(date_of_birth=dt.date(1985 + 20 * min(i, 1), 1, 1 + i)))
    CareTeamMemberFactory(family=family, professional=coordinator or ProfessionalFactory(),
                          role=CareTeamMember.Role.COORDINATOR)
    return family


def consent_for(family, *, categories=None, organisation=None, subject=None, given_by=None):
    """A consent recorded straight in the database (tests of other rules build on it)."""
    from oneplan.access.models import BASIC_CATEGORIES, Category, Consent

    consent = Consent.objects.create(
        family=family, subject=subject, organisation=organisation, how="in_person",
        categories=categories or [c for c in Category.values if c not in BASIC_CATEGORIES],
        valid_from=timezone.localdate() - dt.timedelta(days=1))
    consent.given_by.set(given_by or [family.memberships.order_by("person__date_of_birth").first().person])
    return consent


def parent_of(family):
    """The household's parent (family_with_team makes one)."""
    return family.memberships.get(relation=Membership.Relation.PARENT).person


def child_of(family, age: float):
    """A new child of `age` years in the household."""
    person = PersonFactory(date_of_birth=timezone.localdate() - dt.timedelta(days=int(age * 365.25) + 10))
    MembershipFactory(family=family, person=person, relation=Membership.Relation.CHILD)
    return person
