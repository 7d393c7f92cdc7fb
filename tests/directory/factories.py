"""Directory factories: services with their HSDS children."""
import factory
from django.utils import timezone

from oneplan.accounts.models import Sector
from oneplan.directory.models import (
    Contact,
    EligibilityRule,
    Service,
    ServiceArea,
    ServiceDomain,
    ServiceLanguage,
)
from tests.factories import OrganisationFactory


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory, sector=Sector.DEBT_COUNSELLING)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Help with debts: an overview, talks with creditors, a payment plan."
    sector = factory.LazyAttribute(lambda s: s.organisation.sector)
    wait_weeks = 4
    wait_updated_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def domains(obj, create, extracted, **kwargs):
        if create:
            for domain in extracted if extracted is not None else ["finances_debts"]:
                ServiceDomain.objects.create(service=obj, domain=domain)

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        if create:
            for code in extracted if extracted is not None else ["nl"]:
                ServiceLanguage.objects.create(service=obj, code=code)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        from oneplan.core.crypto import normalise_name

        if create:
            for name in extracted or []:
                ServiceArea.objects.create(service=obj, name=name, key=normalise_name(name))


def add_contact(service, professional) -> Contact:
    return Contact.objects.create(service=service, professional=professional, name=professional.name,
                                  email=professional.email, phone=professional.phone)


def add_rule(service, domain, min_score=None, max_score=None) -> EligibilityRule:
    return EligibilityRule.objects.create(service=service, domain=domain, min_score=min_score,
                                          max_score=max_score)
