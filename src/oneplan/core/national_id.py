"""National identifier normalisation and checksum validation per country."""
import re

from django.conf import settings

from oneplan.core.errors import InvalidInput

BSN_WEIGHTS = range(9, 1, -1)  # the first eight digits; the ninth weighs -1


def bsn_check_digit(first_eight: str) -> int | None:
    """The ninth digit that makes eight digits a BSN passing the "11-test" (None: none does)."""
    check = sum(int(d) * w for d, w in zip(first_eight, BSN_WEIGHTS)) % 11
    return check if check < 10 else None


def _bsn_valid(digits: str) -> bool:
    if len(digits) != 9 or digits == "000000000":
        return False
    return bsn_check_digit(digits[:8]) == int(digits[8])


def normalise_national_id(value: str, *, country: str | None = None) -> str:
    """Return the canonical identifier or raise InvalidInput with a readable reason."""
    country = country or settings.ONEPLAN["NATIONAL_ID_COUNTRY"]
    cleaned = re.sub(r"[\s.\-]", "", value or "")
    if not cleaned:
        raise InvalidInput("The national identifier is empty.", field="national_id")
    if country == "NL":
        if not cleaned.isdigit():
            raise InvalidInput("A BSN has digits only.", field="national_id")
        if len(cleaned) not in (8, 9):  # old eight-digit numbers get a leading zero
            raise InvalidInput("A BSN has nine digits.", field="national_id")
        cleaned = cleaned.zfill(9)
        if not _bsn_valid(cleaned):
            raise InvalidInput(
                "This is not a valid BSN: it must be nine digits and pass the 11-test.",
                field="national_id",
            )
        return cleaned
    if len(cleaned) > 32 or not cleaned.isalnum():
        raise InvalidInput("A national identifier has at most 32 letters and digits.", field="national_id")
    return cleaned.upper()
