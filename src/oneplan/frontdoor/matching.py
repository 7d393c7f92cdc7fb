"""Possible matches of a family member the intake worker noted with persons oneplan knows: the
same date of birth and a name spelt alike (the matching families use for duplicates), shown for
the worker to confirm, never linked by oneplan itself."""
from oneplan.families.duplicates import possible_duplicates
from oneplan.families.models import Person
from oneplan.frontdoor.models import RequestPerson


def open_matches(member: RequestPerson, *, include_ruled_out: bool = False) -> list[Person]:
    """Persons who may be this member, not yet ruled out by the worker (none once linked)."""
    if member.person_id and not include_ruled_out:
        return []
    found = possible_duplicates(given=member.given_name, family=member.family_name,
                                date_of_birth=member.date_of_birth)
    found = [p for p in found if p.erased_at is None]
    if include_ruled_out:
        return found
    return [p for p in found if p.pk not in member.not_the_same]
