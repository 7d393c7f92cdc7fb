"""Recording and withdrawing consent: the coordinator records what the family said.

Consent is the family's. Only the coordinator or co-coordinator records or withdraws it on
the family's behalf (the family itself does so in the portal). Every change is announced
through `CONSENT_CHANGED`: the inbox app registers there (AppConfig.ready) to tell the
coordinators and the affected organisation's team members.
"""
import datetime as dt
from typing import Callable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.access import consent, rules
from oneplan.access.models import BASIC_CATEGORIES, Category, Consent
from oneplan.accounts.models import Organisation, Professional
from oneplan.audit.services import record
from oneplan.core import events
from oneplan.core.errors import Conflict, InvalidInput
from oneplan.core.layers import service
from oneplan.families.models import Person
from oneplan.families.teams import team_organisations

# fn(consent, *, change, actor) with change "given" or "withdrawn"; actor a Professional or
# None (the family in the portal). Registered by apps above this one.
CONSENT_CHANGED: list[Callable] = []


def announce(consent: Consent, *, change: str, actor: Professional | None) -> None:
    """Tell the hooks, and publish the change (core/events.py) to the consent's organisation,
    or to the team's organisations when it was given to the whole team."""
    for hook in CONSENT_CHANGED:
        hook(consent, change=change, actor=actor)
    events.publish(
        events.CONSENT_GIVEN if change == "given" else events.CONSENT_WITHDRAWN,
        organisations=[consent.organisation_id] if consent.organisation_id
        else team_organisations(consent.family_id),
        data={"family": events.reference("Group", consent.family_id),
              "consent": events.reference("Consent", consent.pk),
              "subject": events.reference("Patient", consent.subject_id),
              "organization": events.reference("Organization", consent.organisation_id),
              "purpose": consent.purpose, "categories": list(consent.categories),
              "start": consent.valid_from.isoformat() if consent.valid_from else None,
              "end": consent.valid_until.isoformat() if consent.valid_until else None})


def not_covered(consent: Consent, day: dt.date | None = None) -> list[tuple[Person, str]]:
    """Household members whose own data a family-wide consent does not cover, with why.

    A consent for the family as a whole, given by a parent, covers the givers and the children
    too young to decide; a child of 12 to 15 decides together with a parent, from 16 alone,
    and another adult about themselves.
    """
    if consent.subject_id is not None:
        return []
    day = day or timezone.localdate()
    ages = consent_ages()
    givers = {p.pk for p in consent.given_by.all()}
    out = []
    for m in consent.family.memberships.filter(ended_on__isnull=True).select_related("person"):
        person = m.person
        if person.pk in givers:
            continue
        age = person.age_on(day)
        if m.is_child and age < ages["PARENT_ONLY"]:
            continue
        if m.is_child and age < ages["ALONE"]:
            why = _("at %(low)s to %(high)s a child decides together with a parent") % {
                "low": ages["PARENT_ONLY"], "high": ages["ALONE"] - 1}
        elif m.is_child:
            why = _("from %(age)s a young person decides alone") % {"age": ages["ALONE"]}
        else:
            why = _("an adult decides about themselves")
        out.append((person, why))
    return out


def consent_ages() -> dict:
    return settings.ONEPLAN["CONSENT_AGES"]


@service
def consent_record(*, actor: Professional, family_id: int, categories: list[str], given_by: list[int],
                   how: str, organisation_id: int | None = None, subject_id: int | None = None,
                   purpose: str = Consent.Purpose.CARE, valid_from: dt.date | None = None,
                   valid_until: dt.date | None = None) -> Consent:
    access = rules.family_access(actor, family_id, "consent.manage")
    family = access.family
    today = timezone.localdate()
    valid_from = valid_from or today
    # Identity, team and plan are the whole team's anyway; sharing them outside the team (a
    # referral) is what a referral consent is for, so only there they count.
    referral = purpose == Consent.Purpose.REFERRAL
    skip = frozenset() if referral else BASIC_CATEGORIES
    cats = [c for c in dict.fromkeys(categories or []) if c in Category.values and c not in skip]
    if not cats or len(cats) != len(set(categories) - skip):
        raise InvalidInput("Choose the data categories the consent is for.", field="categories")
    if valid_until and valid_until < valid_from:
        raise InvalidInput("The consent ends before it starts.", field="valid_until")
    if how not in Consent.How.values:
        raise InvalidInput("Say how the consent was given.", field="how")
    if purpose not in Consent.Purpose.values:
        raise InvalidInput("Choose the purpose.", field="purpose")
    organisation = None
    if organisation_id:
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        outside_team = organisation is not None and not rules.active_team(family).filter(
            organisation=organisation).exists()
        if organisation is None or (outside_team and not referral):
            raise InvalidInput("Choose an organisation on the care team, or every organisation. "
                               "A consent for an organisation outside the team has the purpose "
                               "referral.", field="organisation")
    elif referral:
        raise InvalidInput("A consent for a referral names the organisation the family is "
                           "referred to.", field="organisation")
    subject = Person.objects.filter(pk=subject_id).first() if subject_id else None
    if subject_id and subject is None:
        raise InvalidInput("The consent must be about a member of this household.", field="subject")
    givers = list(Person.objects.filter(pk__in=given_by or [], memberships__family=family,
                                        memberships__ended_on__isnull=True).distinct())
    if not givers or len(givers) != len(set(given_by)):
        raise InvalidInput("Say who in the household gave consent.", field="given_by")
    consent.check_givers(consent.required_givers(subject, family, today), subject, givers, family)
    item = Consent.objects.create(family=family, subject=subject, organisation=organisation,
                                  categories=cats, purpose=purpose, valid_from=valid_from,
                                  valid_until=valid_until, how=how, recorded_by=actor)
    item.given_by.set(givers)
    record(actor, "consent.record", item, family=family, person=subject, category=Category.IDENTITY,
           reason=f"{','.join(cats)} for {organisation.name if organisation else 'the whole team'}")
    announce(item, change="given", actor=actor)
    return item


@service
def consent_withdraw(*, actor: Professional, consent_id: int, how: str,
                     reason: str = "") -> Consent:
    """The family withdraws a consent; the coordinator records how the family said so."""
    access, item = rules.family_object(actor, Consent.objects, consent_id, "consent.manage", lock=True)
    if how not in (Consent.How.IN_PERSON, Consent.How.PAPER):
        raise InvalidInput("Say how the family withdrew the consent.", field="how")
    if item.withdrawn_at:
        raise Conflict("This consent was withdrawn already.")
    item.withdrawn_at, item.withdrawn_reason = timezone.now(), (reason or "").strip()[:300]
    item.withdrawn_by, item.withdrawn_how = actor, how
    item.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by", "withdrawn_how"])
    record(actor, "consent.withdraw", item, family=access.family, person=item.subject_id,
           category=Category.IDENTITY, reason=item.withdrawn_reason)
    announce(item, change="withdrawn", actor=actor)
    return item
