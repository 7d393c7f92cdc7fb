"""Record linkage without names: Dutch name folding, keyed blocking keys and keyed Bloom filters.

A registration by name and date of birth is turned into three things the index may store
(docs/reference-index.md, "Similar spellings"):

- blocking keys: truncated HMACs of coarse features (the date of birth; the birth year with a
  sound-alike code of the family name; both codes with day and month). Two registrations are
  compared only when they share at least one key, found through an index.
- a name filter: two Bloom filters (given name, family name) of the names' letter pairs,
  each pair placed by an HMAC under the index key, so the filter says nothing without the key.
- a birth-date digest: truncated HMACs of the full date and of each pair of its parts, so a
  date with one part mistyped still agrees on one pair.

`score()` compares a registration (whose names are known while it is being registered) with a
stored encoding: Dice similarity of the filters, the date-of-birth agreement, and the same
with given and family name swapped.
"""
import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

from oneplan.core.names import PREFIXES, family_core, fold, given_core  # noqa: F401 (part of this module's API)

PURPOSE_BLOCK = "signal-block"
PURPOSE_FILTER = "signal-filter"
PURPOSE_DOB = "signal-dob"

FILTER_BITS = 512             # per name; the stored filter is given + family: 128 bytes
FILTER_BYTES = FILTER_BITS // 8
FILTER_HASHES = 4             # bit positions per letter pair
KEY_BYTES = 12                # a blocking key is 96 bits of HMAC: 24 hex characters
DOB_PART_BYTES = 8            # four parts in the digest: 32 bytes

@dataclass(frozen=True)
class Names:
    given: str
    family: str

    @classmethod
    def of(cls, given_name: str, family_name: str) -> "Names":
        return cls(given_core(given_name), family_core(family_name))

    def swapped(self) -> "Names":
        return Names(self.family, self.given)


_SOUNDS = [("sch", "s"), ("ch", "g"), ("ck", "k"), ("ph", "f"), ("th", "t"), ("dt", "t"),
           ("gh", "g"), ("kh", "k"), ("qu", "kw"), ("x", "ks"), ("c", "k"), ("q", "k"),
           ("z", "s"), ("v", "f"), ("w", "f"), ("y", "i"), ("j", "i")]


def sound(word: str, length: int = 4) -> str:
    """A sound-alike code (a Soundex for Dutch and English spellings): first letter, then the
    consonants with doubles and vowels dropped. "Jansen"/"Janssen"/"Janszen" share "ians"."""
    for written, said in _SOUNDS:
        word = word.replace(written, said)
    if not word:
        return ""
    head, rest = word[0], re.sub(r"[aeiouh]", "", word[1:])
    code = head + re.sub(r"(.)\1+", r"\1", rest)
    return re.sub(r"(.)\1+", r"\1", code)[:length]


@lru_cache(maxsize=8)
def _mac(key: str, purpose: str) -> "hmac.HMAC":
    return hmac.new(key.encode(), purpose.encode() + b":", hashlib.sha256)


def _digest(value: str, purpose: str) -> bytes:
    mac = _mac(settings.INDEX_HASH_KEY, purpose).copy()
    mac.update(value.encode())
    return mac.digest()


def _pairs(word: str) -> set[str]:
    padded = f"_{word}_"
    return {padded[i:i + 2] for i in range(len(padded) - 1)}


def _pair_bits(pair: str) -> int:
    digest = _digest(pair, PURPOSE_FILTER)
    first, step = int.from_bytes(digest[:8], "big"), int.from_bytes(digest[8:16], "big") | 1
    bits = 0
    for i in range(FILTER_HASHES):
        bits |= 1 << ((first + i * step) % FILTER_BITS)
    return bits


def name_filter(word: str) -> int:
    """Bloom filter of the word's letter pairs (with start and end marks), each pair placed at
    FILTER_HASHES positions derived from its HMAC: without the key the bits mean nothing."""
    bits = 0
    for pair in _pairs(word):
        bits |= _pair_bits(pair)
    return bits


def dice(a: int, b: int) -> float:
    total = a.bit_count() + b.bit_count()
    return 2 * (a & b).bit_count() / total if total else 0.0


def _dob_parts(dob: dt.date) -> list[str]:
    y, m, d = f"{dob.year:04d}", f"{dob.month:02d}", f"{dob.day:02d}"
    return [f"{y}-{m}-{d}", f"y{y}m{m}", f"y{y}d{d}", f"m{m}d{d}"]


def dob_digest(dob: dt.date) -> bytes:
    return b"".join(_digest(part, PURPOSE_DOB)[:DOB_PART_BYTES] for part in _dob_parts(dob))


def _split(digest: bytes) -> list[bytes]:
    return [digest[i:i + DOB_PART_BYTES] for i in range(0, len(digest), DOB_PART_BYTES)]


def _key(value: str) -> str:
    return _digest(value, PURPOSE_BLOCK)[:KEY_BYTES].hex()


def blocking_keys(names: Names, dob: dt.date) -> list[str]:
    """Keys under which a registration is filed; a candidate shares at least one of them.

    Each key survives a different kind of error: misspelt or swapped names (the date of birth),
    a mistyped day or month (family-name sound + year), a mistyped year (both name sounds + day
    and month). There is no key on the names alone: the same name with another date of birth
    is most often another person (on FEBRL such candidates were more often wrong than right).
    A fourth key (given-name sound + year) and looking up the swapped names' keys as well
    found almost nothing more on FEBRL (recall 0.910 against 0.911) for twice the candidates.
    """
    g, f = sound(names.given), sound(names.family)
    return sorted({
        _key(f"d|{dob.isoformat()}"),
        _key(f"fy|{f}|{dob.year}"),
        _key(f"gfmd|{g}|{f}|{dob.month}|{dob.day}"),
    })


@dataclass(frozen=True)
class Encoding:
    """What the index stores for a registration by name and date of birth."""
    keys: list[str]
    names: bytes   # given filter + family filter
    dob: bytes     # four truncated HMACs


def encode(names: Names, dob: dt.date) -> Encoding:
    filters = (name_filter(names.given).to_bytes(FILTER_BYTES, "big")
               + name_filter(names.family).to_bytes(FILTER_BYTES, "big"))
    return Encoding(blocking_keys(names, dob), filters, dob_digest(dob))


def _unpack(filters: bytes) -> tuple[int, int]:
    return (int.from_bytes(filters[:FILTER_BYTES], "big"),
            int.from_bytes(filters[FILTER_BYTES:], "big"))


CERTAIN, POSSIBLE = "certain", "possible"
# Dice similarity of two names' filters: SIMILAR is a name that shares most of its letter
# pairs ("Anouk" / "Anoek" 0.67, "Pieter" / "Piet" 0.67), the threshold of the decision table;
# CLOSE (a typo, "Jansen" / "Janssen" 0.93) and SAME only word the comparison for the person who
# checks.
NAME_SAME, NAME_CLOSE, NAME_SIMILAR = 0.95, 0.8, 0.55
DOB_SAME, DOB_ONE_PART, DOB_OTHER = 1.0, 0.5, 0.0
INITIAL_ONLY = 0.5            # "J." against "Jan": below NAME_SIMILAR, so never certain
WEIGHT_GIVEN, WEIGHT_FAMILY, WEIGHT_DOB = 0.3, 0.4, 0.3


def verdict(given: float, family: float, dob: float, any_name: float | None = None) -> str | None:
    """Certain, possible or no match (the decision table in docs/reference-index.md).

    Certain: the same date of birth and both names at least similar. Possible (a person
    confirms): the same date and one name similar (a changed family name, twins; `any_name` is
    the best of the four name comparisons, so a given name written as family name counts), or
    one part of the date wrong and both names similar. Another date is never a match.
    """
    low, high = min(given, family), max(given, family, any_name or 0.0)
    if dob == DOB_SAME and low >= NAME_SIMILAR:
        return CERTAIN
    if ((dob == DOB_SAME and high >= NAME_SIMILAR)
            or (dob == DOB_ONE_PART and low >= NAME_SIMILAR)):
        return POSSIBLE
    return None


@dataclass(frozen=True)
class Score:
    total: float       # for ordering and display: 0.3 given + 0.4 family + 0.3 date
    given: float
    family: float
    dob: float
    swapped: bool
    verdict: str | None


class Query:
    """A registration being matched: its names are known, so it can compare them in both orders
    and recognise an initial on either side."""

    def __init__(self, names: Names, dob: dt.date):
        self.names, self.dob = names, dob
        self.encoding = encode(names, dob)
        self.given, self.family = _unpack(self.encoding.names)
        self.keys = self.encoding.keys
        self.dob_key = _key(f"d|{dob.isoformat()}")  # locks registrations of one birth date
        self.dob_parts = _split(self.encoding.dob)
        self.swapped_dob = (_digest(dt.date(dob.year, dob.day, dob.month).isoformat(), PURPOSE_DOB)
                            [:DOB_PART_BYTES] if dob.day <= 12 and dob.day != dob.month else None)
        self._initials = {w: name_filter(w[:1]) for w in (names.given, names.family) if w}
        self._starts = {w: _pair_bits(f"_{w[:1]}") for w in (names.given, names.family) if w}

    def _name_similarity(self, mine_word: str, mine: int, theirs: int) -> float:
        similarity = dice(mine, theirs)
        if len(mine_word) == 1:  # mine is an initial: theirs starts with that letter
            start = self._starts[mine_word]
            return max(similarity, INITIAL_ONLY if theirs & start == start else 0.0)
        if theirs == self._initials.get(mine_word):  # theirs is the initial of mine
            return max(similarity, INITIAL_ONLY)
        return similarity

    def _dob_similarity(self, digest: bytes) -> float:
        theirs = _split(digest)
        if theirs[0] == self.dob_parts[0]:
            return DOB_SAME
        if theirs[0] == self.swapped_dob or any(a == b for a, b in zip(theirs[1:], self.dob_parts[1:])):
            return DOB_ONE_PART
        return DOB_OTHER

    def score(self, filters: bytes, digest: bytes) -> Score:
        given, family = _unpack(filters)
        dob = self._dob_similarity(digest)
        straight = (self._name_similarity(self.names.given, self.given, given),
                    self._name_similarity(self.names.family, self.family, family))
        crossed = (self._name_similarity(self.names.given, self.given, family),
                   self._name_similarity(self.names.family, self.family, given))
        # Only a clear swap counts as one: both names similar the other way round, and better.
        swapped = min(crossed) >= NAME_SIMILAR and sum(crossed) > sum(straight) + 0.2
        g, f = crossed if swapped else straight
        total = WEIGHT_GIVEN * g + WEIGHT_FAMILY * f + WEIGHT_DOB * dob
        return Score(round(total, 4), round(g, 3), round(f, 3), dob, swapped,
                     verdict(g, f, dob, max(straight + crossed)))
