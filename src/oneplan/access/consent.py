"""Consent decides the non-basic categories a team member's organisation may see.

Consents of a family are read once per access (one query) and checked in Python.
"""
import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.access.models import Category, Consent
from oneplan.core.errors import InvalidInput
from oneplan.families.models import Membership, Person

ADULT_RELATIONS = {Membership.Relation.PARENT, Membership.Relation.STEP_PARENT,
                   Membership.Relation.CARER, Membership.Relation.PARTNER,
                   Membership.Relation.GRANDPARENT}


def young_children(family, day: dt.date | None = None, memberships: list | None = None) -> set[int]:
    """The household's children too young to decide about their own data (one query, none when
    the caller has the family's memberships with their persons already)."""
    limit = settings.ONEPLAN["CONSENT_AGES"]["PARENT_ONLY"]
    if memberships is None:
        memberships = family.memberships.filter(ended_on__isnull=True).select_related("person")
    return {m.person_id for m in memberships
            if m.ended_on is None and m.is_child and m.person.age_on(day) < limit}


def covers_person(consent: Consent, person_id, young: set[int]) -> bool:
    """A family-wide consent covers the family, its givers and children too young to decide;
    anyone else's own data (an older child, another adult) needs a consent about them."""
    if person_id is None:
        return consent.subject_id is None
    if consent.subject_id is not None:
        return consent.subject_id == person_id
    return person_id in young or any(p.pk == person_id for p in consent.given_by.all())


def _consents(access) -> list[Consent]:
    if not hasattr(access, "_consents"):
        access._consents = list(Consent.objects.filter(family=access.family, withdrawn_at__isnull=True)
                                .prefetch_related("given_by"))
        # The family file hands over the memberships it read (families/selectors.py).
        access._young = young_children(access.family, memberships=getattr(access, "_memberships", None))
    return access._consents


def check(access, category: str, person_id=None) -> tuple[bool, str]:
    org = access.organisation
    today = timezone.localdate()
    if any(c.covers(organisation_id=org.pk if org else None, category=category, day=today)
           and covers_person(c, person_id, access._young) for c in _consents(access)):
        return True, ""
    return False, why_withheld(access, category, person_id)


def _person(access, person_id) -> Person | None:
    cache = access.__dict__.setdefault("_persons", {})
    if person_id not in cache:
        known = [m for m in getattr(access, "_memberships", None) or [] if m.person_id == person_id]
        if known:
            current = next((m for m in known if m.ended_on is None), known[0])
            cache[person_id] = (current.person, current)
        else:
            cache[person_id] = (Person.objects.filter(pk=person_id).first(),
                                access.family.memberships.filter(person_id=person_id).first())
    return cache[person_id]


def whose_consent(access, person_id) -> str:
    """Who gives the consent that would open a person's (or the family's) data."""
    if person_id is None or person_id in access._young:
        return _("a parent or carer")
    person, membership = _person(access, person_id)
    if person is None:
        return _("a parent or carer")
    if membership is not None and membership.is_child:
        if person.age_on(timezone.localdate()) < settings.ONEPLAN["CONSENT_AGES"]["ALONE"]:
            return _("%(name)s together with a parent or carer") % {"name": person.given_name}
    return person.given_name


def why_withheld(access, category: str, person_id=None) -> str:
    """What kind of information is withheld, and which consent (whose, for which organisation)
    would open it: the sentence every hidden note, score or section shows."""
    org = access.organisation
    label = str(Category(category).label).lower() if category in Category.values else category
    values = {"category": label, "organisation": org.name if org else _("your organisation"),
              "whose": whose_consent(access, person_id)}
    if person_id is not None and person_id not in access._young and _person(access, person_id)[0]:
        values["name"] = _person(access, person_id)[0].given_name
        return _("Information about %(name)s's %(category)s is withheld: it needs a consent from "
                 "%(whose)s for %(organisation)s to see %(category)s information.") % values
    return _("%(category_cap)s information is withheld: it needs a consent from %(whose)s for "
             "%(organisation)s to see %(category)s information.") % {
        **values, "category_cap": label[:1].upper() + label[1:]}


def required_givers(subject: Person | None, family, day: dt.date) -> str:
    """Which rule applies: 'adult', 'parent', 'child_and_parent' or 'child'."""
    if subject is None:
        return "adult"
    membership = family.memberships.filter(person=subject, ended_on__isnull=True).first()
    if membership is None:
        raise InvalidInput("The consent must be about a member of this household.", field="subject")
    if not membership.is_child:
        return "self"
    ages = settings.ONEPLAN["CONSENT_AGES"]
    age = subject.age_on(day)
    if age < ages["PARENT_ONLY"]:
        return "parent"
    return "child_and_parent" if age < ages["ALONE"] else "child"


def check_givers(rule: str, subject, givers: list[Person], family) -> None:
    adults = set(family.memberships.filter(ended_on__isnull=True, relation__in=ADULT_RELATIONS)
                 .values_list("person_id", flat=True))
    ids = {p.pk for p in givers}
    has_parent = bool(ids & adults)
    messages = {
        "adult": (has_parent, "Consent for the family as a whole is given by a parent or carer."),
        "self": (subject is not None and subject.pk in ids, "An adult gives consent about themselves."),
        "parent": (has_parent, "For a child under {0}, a parent or carer gives consent.".format(
            settings.ONEPLAN["CONSENT_AGES"]["PARENT_ONLY"])),
        "child_and_parent": (has_parent and subject is not None and subject.pk in ids,
                             "A child of {0} to {1} gives consent together with a parent or carer.".format(
                                 settings.ONEPLAN["CONSENT_AGES"]["PARENT_ONLY"],
                                 settings.ONEPLAN["CONSENT_AGES"]["ALONE"] - 1)),
        "child": (subject is not None and ids == {subject.pk},
                  "A young person of {0} or older gives consent alone.".format(
                      settings.ONEPLAN["CONSENT_AGES"]["ALONE"])),
    }
    ok, message = messages[rule]
    if not ok:
        raise InvalidInput(message, field="given_by")


REFERRAL_PURPOSES = (Consent.Purpose.REFERRAL, Consent.Purpose.CARE)


def referral_missing(**kwargs) -> list[str]:
    """What the family has not consented to for a referral, one readable line per gap."""
    return list(referral_gaps(**kwargs).values())


def referral_gaps(*, family, organisation, categories: list[str], persons: list[Person],
                  day: dt.date | None = None) -> dict[str, str]:
    """{category: why it may not be shared} for a referral's categories (empty: all covered).

    A referral shares the referred persons' identity and every chosen category with an
    organisation that may not be on the care team yet. Each needs a consent for exactly that
    organisation (a team-wide consent does not reach outside the team), with the purpose
    referral or care coordination, covering each person under the usual age rules.
    """
    day = day or timezone.localdate()
    consents = [c for c in Consent.objects.filter(family=family, organisation=organisation,
                                                  withdrawn_at__isnull=True,
                                                  purpose__in=REFERRAL_PURPOSES)
                .prefetch_related("given_by")]
    young = young_children(family, day)

    def covered(consent: Consent, category: str, person: Person) -> bool:
        return (consent.covers(organisation_id=organisation.pk, category=category, day=day,
                               purpose=consent.purpose)
                and covers_person(consent, person.pk, young))

    missing = {}
    for category in ["identity", *[c for c in categories if c != "identity"]]:
        label = str(Category(category).label).lower() if category in Category.values else category
        without = [p for p in persons if not any(covered(c, category, p) for c in consents)]
        if without:
            missing[category] = _("No consent to share %(category)s information about %(names)s "
                                  "with %(organisation)s.") % {
                "category": label, "names": ", ".join(p.full_name for p in without),
                "organisation": organisation.name}
    return missing
