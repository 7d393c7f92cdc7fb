"""Finding a person oneplan already knows when a household member is added without a national
identifier (a child who already lives in another household): the same date of birth and a name
spelt alike or nearly alike, never merged without a person confirming it."""
import difflib

from oneplan.core.names import family_core, given_core
from oneplan.families.models import Person

SIMILAR = 0.85


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a=a, b=b).ratio()


def alike(given: str, family: str, person: Person) -> bool:
    """Both names alike (or the two swapped), folded as the reference index folds them."""
    g, f = given_core(given), family_core(family)
    pg, pf = given_core(person.given_name), family_core(person.family_name)
    straight = min(_similar(g, pg), _similar(f, pf))
    swapped = min(_similar(g, pf), _similar(f, pg))
    return max(straight, swapped) >= SIMILAR


def possible_duplicates(*, given: str, family: str, date_of_birth, exclude_family=None) -> list[Person]:
    """Persons born that day with names alike, not already in `exclude_family` (one indexed query)."""
    born = Person.objects.filter(date_of_birth=date_of_birth)
    if exclude_family is not None:
        born = born.exclude(memberships__family=exclude_family, memberships__ended_on__isnull=True)
    return [p for p in born.order_by("id")[:200] if alike(given, family, p)]
