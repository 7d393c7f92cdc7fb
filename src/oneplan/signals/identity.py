"""Turning what a professional knows about a person into the keyed hash the index stores."""
import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from oneplan.core import crypto
from oneplan.core.errors import InvalidInput
from oneplan.core.national_id import normalise_national_id
from oneplan.families.models import NAME_MAX
from oneplan.signals.models import Basis

# Separate hash spaces: a signal hash never equals Person.national_id_hash (purpose
# "national_id") or any other keyed hash of the same value, so tables cannot be joined on it.
PURPOSE_NATIONAL_ID = "signal-id"
PURPOSE_NAME_DOB = "signal-name"


@dataclass(frozen=True)
class Subject:
    hash: str
    basis: str


def _name(value: str, field: str, label: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise InvalidInput(f"{label} is required when there is no national identifier.", field=field)
    if len(value) > NAME_MAX:
        raise InvalidInput(f"{label} can be at most {NAME_MAX} characters.", field=field)
    if not crypto.normalise_name(value):
        raise InvalidInput(f"{label} needs at least one letter.", field=field)
    return value


def _birth_date(value: dt.date | None) -> dt.date:
    if value is None:
        raise InvalidInput("Date of birth is required when there is no national identifier.",
                           field="date_of_birth")
    if value > timezone.localdate():
        raise InvalidInput("A date of birth cannot be in the future.", field="date_of_birth")
    if value.year < 1900:
        raise InvalidInput("A date of birth before 1900 is not plausible.", field="date_of_birth")
    return value


def subject_for(*, national_id: str = "", given_name: str = "", family_name: str = "",
                date_of_birth: dt.date | None = None) -> Subject:
    """The national identifier when there is one, otherwise name + date of birth.

    Raises InvalidInput (with the field) for an invalid BSN, a missing name or a birth date in
    the future. Names are compared case-, accent- and spacing-insensitively.
    """
    if (national_id or "").strip():
        normalised = normalise_national_id(national_id)
        return Subject(crypto.keyed_hash(normalised, purpose=PURPOSE_NATIONAL_ID), Basis.NATIONAL_ID)
    given = _name(given_name, "given_name", "Given name")
    family = _name(family_name, "family_name", "Family name")
    dob = _birth_date(date_of_birth)
    key = f"{crypto.normalise_name(given)}|{crypto.normalise_name(family)}|{dob.isoformat()}"
    return Subject(crypto.keyed_hash(key, purpose=PURPOSE_NAME_DOB), Basis.NAME_DOB)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
