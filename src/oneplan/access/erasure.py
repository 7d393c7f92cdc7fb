"""Erasure and retention: remove what identifies a person, keep the audit trail verifiable.

Audit events refer to persons and families by number only, so they stay untouched and the
hash chain still verifies; the rows they point at no longer say who it was.
"""
import datetime as dt
from typing import Callable

from django.conf import settings
from django.utils import timezone

from oneplan.access import rules
from oneplan.accounts.models import Professional, Role
from oneplan.audit.services import record
from oneplan.core.errors import Conflict, InvalidInput, NotFound
from oneplan.core.layers import service
from oneplan.families.models import Family, Membership, NetworkMember, Note, Person

ERASED = "[erased]"


# fn(person): an app above access blanks the free text it keeps about the person (assessments
# registers one in its AppConfig.ready()).
ERASERS: list[Callable] = []


def _pseudonymise(person: Person) -> None:
    person.given_name, person.family_name = "Erased", f"person {person.pk}"
    person.date_of_birth = dt.date(person.date_of_birth.year, 1, 1)  # keeps the age band only
    person.national_id_hash, person.national_id_encrypted = None, ""
    person.phone, person.email, person.erased_at = "", "", timezone.now()
    person.save()
    Note.objects.filter(about=person).update(text=ERASED)
    for eraser in ERASERS:
        eraser(person)


@service
def person_erase(*, actor: Professional, person_id: int, legal_basis: str) -> Person:
    """A privacy officer erases one person's identifying data where that is lawful."""
    rules.require_role(actor, Role.PRIVACY_OFFICER, "subject.erase")
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None:
        raise NotFound("No such person.")
    if person.erased_at:
        raise Conflict("This person's data was erased already.")
    legal_basis = (legal_basis or "").strip()
    if len(legal_basis) < 10:
        raise InvalidInput("Record the legal basis for the erasure.", field="legal_basis")
    _pseudonymise(person)
    record(actor, "subject.erase", person, person=person, category="identity",
           reason=legal_basis[:500])
    return person


def retention_run(*, today: dt.date | None = None) -> str:
    """Pseudonymise families closed longer than the retention period (run by `oneplan tick`)."""
    today = today or timezone.localdate()
    years = settings.ONEPLAN["RETENTION_YEARS"]
    cutoff = today.replace(year=today.year - years) if not (today.month == 2 and today.day == 29) \
        else today.replace(year=today.year - years, day=28)
    due = Family.objects.filter(status=Family.Status.CLOSED, closed_on__lt=cutoff,
                                pseudonymised_at__isnull=True)
    families = persons = 0
    for family in due.iterator():
        # A person who also belongs to a family still within retention keeps their data.
        keep = set(Membership.objects.filter(person__memberships__family=family)
                   .exclude(family__status=Family.Status.CLOSED, family__closed_on__lt=cutoff)
                   .values_list("person_id", flat=True))
        for person in Person.objects.filter(memberships__family=family, erased_at__isnull=True).distinct():
            if person.pk not in keep:
                _pseudonymise(person)
                persons += 1
        NetworkMember.objects.filter(family=family).update(name=ERASED, phone="", support_note="")
        Note.objects.filter(family=family).update(text=ERASED)
        Family.objects.filter(pk=family.pk).update(name="Pseudonymised household", closure_note="",
                                                   pseudonymised_at=timezone.now())
        record(None, "retention.pseudonymise", family, family=family,
               reason=f"closed {family.closed_on}, retention {years} years")
        families += 1
    return (f"pseudonymised {families} families closed before {cutoff} "
            f"({persons} persons); nothing was deleted")
