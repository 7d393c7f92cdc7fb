"""Turning what a professional knows about a person into the keyed values the index stores."""
import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from oneplan.core import crypto
from oneplan.core.errors import InvalidInput
from oneplan.core.national_id import normalise_national_id
from oneplan.families.models import NAME_MAX
from oneplan.signals import linkage
from oneplan.signals.models import Basis

# Separate hash spaces: a signal hash never equals Person.national_id_hash (purpose
# "national_id") or any other keyed hash of the same value, so tables cannot be joined on it.
PURPOSE_NATIONAL_ID = "signal-id"
PURPOSE_NAME_DOB = "signal-name"


@dataclass(frozen=True)
class Subject:
    hash: str
    basis: str
    # A BSN registration that also gave name + date of birth: the exact name hash too (to find
    # signals registered by name before similarity encodings existed).
    name_hash: str = ""
    # Name + date of birth, for similarity matching (linkage); None for a BSN-only registration.
    query: linkage.Query | None = None

    @property
    def hashes(self) -> list[str]:
        return [h for h in (self.hash, self.name_hash) if h]


def _name(value: str, field: str, label: str, required: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise InvalidInput(f"{label} is required {required}.", field=field)
    if len(value) > NAME_MAX:
        raise InvalidInput(f"{label} can be at most {NAME_MAX} characters.", field=field)
    if not crypto.normalise_name(value):
        raise InvalidInput(f"{label} needs at least one letter.", field=field)
    return value


def _birth_date(value: dt.date | None, required: str) -> dt.date:
    if value is None:
        raise InvalidInput(f"Date of birth is required {required}.", field="date_of_birth")
    if value > timezone.localdate():
        raise InvalidInput("A date of birth cannot be in the future.", field="date_of_birth")
    if value.year < 1900:
        raise InvalidInput("A date of birth before 1900 is not plausible.", field="date_of_birth")
    return value


def _name_hash(given: str, family: str, dob: dt.date) -> str:
    # Unchanged since the first release: signals registered before the similarity encoding
    # existed still match a registration with exactly the same (folded) name and date.
    key = f"{crypto.normalise_name(given)}|{crypto.normalise_name(family)}|{dob.isoformat()}"
    return crypto.keyed_hash(key, purpose=PURPOSE_NAME_DOB)


def _query(given: str, family: str, dob: dt.date) -> linkage.Query | None:
    """The similarity query, or None for a name without any letter a-z after folding (a name in
    another script): such a registration still matches on the exact hash."""
    names = linkage.Names.of(given, family)
    if not names.given or not names.family:
        return None
    return linkage.Query(names, dob)


def subject_for(*, national_id: str = "", given_name: str = "", family_name: str = "",
                date_of_birth: dt.date | None = None) -> Subject:
    """The national identifier when there is one, otherwise name + date of birth; both when
    both are given, so that a registration by name at another organisation finds this one.

    Raises InvalidInput (with the field) for an invalid BSN, a missing name or a birth date in
    the future, and for a BSN with only part of the name and birth date.
    """
    named = any([(given_name or "").strip(), (family_name or "").strip(), date_of_birth])
    if (national_id or "").strip():
        normalised = normalise_national_id(national_id)
        bsn_hash = crypto.keyed_hash(normalised, purpose=PURPOSE_NATIONAL_ID)
        if not named:
            return Subject(bsn_hash, Basis.NATIONAL_ID)
        required = "when you give a name with the BSN"
    else:
        required = "when there is no national identifier"
    given = _name(given_name, "given_name", "Given name", required)
    family = _name(family_name, "family_name", "Family name", required)
    dob = _birth_date(date_of_birth, required)
    query = _query(given, family, dob)
    if (national_id or "").strip():
        return Subject(bsn_hash, Basis.NATIONAL_ID, _name_hash(given, family, dob), query)
    return Subject(_name_hash(given, family, dob), Basis.NAME_DOB, query=query)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
