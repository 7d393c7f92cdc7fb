"""A referral scene: a family with its coordinator, a service of another organisation with a
contact professional, and (optionally) the family's consent for the referral."""
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from oneplan.access.models import Consent
from oneplan.accounts.models import Organisation, Professional
from oneplan.directory.models import Service
from oneplan.families.models import Family, Person
from oneplan.referrals import services
from oneplan.referrals.models import Referral
from tests.directory.factories import ServiceFactory, add_contact
from tests.factories import OrganisationFactory, ProfessionalFactory, family_with_team


@dataclass
class Scene:
    referrer: Professional
    family: Family
    parent: Person
    child: Person
    service: Service
    receiver: Professional
    organisation: Organisation

    def create(self, **kwargs) -> Referral:
        values = {"actor": self.referrer, "family_id": self.family.pk, "service_id": self.service.pk,
                  "person_ids": [self.parent.pk], "needs": ["finances_debts"],
                  "question": "Help with the debts, please.", "shared_categories": ["finance"]}
        values.update(kwargs)
        return services.referral_create(**values)

    def sent(self, **kwargs) -> Referral:
        referral = self.create(**kwargs)
        return services.referral_send(actor=self.referrer, referral_id=referral.pk)

    def step(self, referral, to_status, actor=None, **kwargs) -> Referral:
        return services.referral_step(actor=actor or self.receiver, referral_id=referral.pk,
                                      to_status=to_status, **kwargs)


def referral_consent(family, organisation, *, categories=("identity", "finance"), subject=None,
                     given_by=None) -> Consent:
    consent = Consent.objects.create(
        family=family, organisation=organisation, subject=subject, purpose=Consent.Purpose.REFERRAL,
        categories=list(categories), how="in_person",
        valid_from=timezone.localdate() - dt.timedelta(days=1))
    consent.given_by.set(given_by or [family.memberships.order_by("person__date_of_birth").first().person])
    return consent


def scene(*, consent=True, **service_kwargs) -> Scene:
    referrer = ProfessionalFactory()
    family = family_with_team(coordinator=referrer, members=2)
    parent, child = [m.person for m in family.memberships.order_by("person__date_of_birth")]
    organisation = OrganisationFactory(name=f"Stadsbank {Organisation.objects.count()}")
    receiver = ProfessionalFactory(organisations=[organisation])
    service = ServiceFactory(organisation=organisation, **service_kwargs)
    add_contact(service, receiver)
    if consent:
        referral_consent(family, organisation)
    return Scene(referrer, family, parent, child, service, receiver, organisation)
