"""Synthetic reference-index data for benchmarks: many signals, keyed values only, across organisations.

Synthetic person i has a BSN (synthetic_bsn), a name and a date of birth (synthetic_person);
the seed registers each by BSN together with the name and date, as an organisation that has
all three would, so a benchmark can find person i by BSN or by a misspelt name.
"""
import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from oneplan.accounts.models import Organisation, Professional, Role, Sector, User
from oneplan.core import crypto
from oneplan.core.national_id import bsn_check_digit
from oneplan.sampledata.names import FAMILY, GIVEN
from oneplan.signals import linkage
from oneplan.signals.identity import PURPOSE_NATIONAL_ID, add_months
from oneplan.signals.models import Basis, Signal, SignalKey

SEED_ORG_PREFIX = "Index seed organisation"
MAX_PERSONS = 9_000_000


def synthetic_bsn(i: int) -> str:
    """The i-th synthetic BSN (0 <= i < MAX_PERSONS): nine digits passing the 11-test, unique per i.

    Seven digits come from i (offset so none is all zeros); the eighth is the smallest that
    leaves a valid check digit.
    """
    if not 0 <= i < MAX_PERSONS:
        raise ValueError(f"i must be in 0 .. {MAX_PERSONS - 1:,}")
    head = f"{i + 1_000_000:07d}"
    for eighth in range(10):
        check = bsn_check_digit(f"{head}{eighth}")
        if check is not None:
            return f"{head}{eighth}{check}"
    raise AssertionError("unreachable: at most one eighth digit gives check 10")


# Name pools large enough that the candidate blocks are as small as in a city's population:
# about 350 given names and 680 family names, a quarter or so with tussenvoegsels.
_GIVEN_HEADS = ["An", "Bo", "Da", "El", "Fa", "Gi", "Ha", "Ja", "Ka", "Li", "Ma", "No", "Ro", "Sa",
                "Te", "Wi", "Yu", "Zo", "Me", "Lu"]
_GIVEN_TAILS = ["na", "ra", "lie", "mar", "tim", "nja", "rik", "sen", "vin", "ke", "yla", "dan", "ssa",
                "ron", "ina"]
_FAMILY_STEMS = ["Berg", "Dijk", "Hof", "Meer", "Broek", "Veen", "Bos", "Molen", "Kamp", "Horst",
                 "Wal", "Brink", "Beek", "Laan", "Hout", "Gaal", "Steen", "Vliet", "Rijn", "Zand",
                 "Kraai", "Smit", "Post", "Boer", "Mol", "Kok", "Vos", "Haan", "Wit", "Groen",
                 "Kuiper", "Visser", "Bakker", "Brouw", "Dekk", "Hoek", "Jong", "Leeuw", "Graaf",
                 "Ruiter", "Schouten", "Timmer", "Wolf", "Zwart", "Koning", "Akker", "Velde",
                 "Haar", "Mast", "Pols", "Kramer", "Ham", "Huis", "Lind", "Oost", "West", "Noord",
                 "Zuid", "Sloot", "Gracht", "Amrani", "Yilmaz", "Kaya", "Benali", "Mensah"]
_FAMILY_TAILS = ["", "s", "en", "sma", "ink", "stra", "man", "er", "ing", "huis"]
_PREFIXES = ["", "", "", "", "van ", "de ", "van der ", "van den ", "ter ", "van 't "]
GIVEN_POOL = sorted(set(GIVEN) | {h + t for h in _GIVEN_HEADS for t in _GIVEN_TAILS})
FAMILY_POOL = sorted(set(FAMILY) | {s + t for s in _FAMILY_STEMS for t in _FAMILY_TAILS})
BIRTH_FROM, BIRTH_DAYS = dt.date(1940, 1, 1), 84 * 365


def synthetic_person(i: int) -> tuple[str, str, dt.date]:
    """(given name, family name, date of birth) of synthetic person i, the same on every call."""
    rng = random.Random(i)
    family = rng.choice(_PREFIXES) + rng.choice(FAMILY_POOL)
    return rng.choice(GIVEN_POOL), family, BIRTH_FROM + dt.timedelta(days=rng.randrange(BIRTH_DAYS))


def _encoding(i: int) -> linkage.Encoding:
    given, family, dob = synthetic_person(i)
    return linkage.encode(linkage.Names.of(given, family), dob)


@dataclass
class SeedResult:
    created: int
    organisations: list[Organisation]
    professionals: list[Professional]


def seed_professionals(count: int) -> list[Professional]:
    """One professional in each of `count` seed organisations (made once, reused)."""
    pros = []
    for k in range(count):
        org, _ = Organisation.objects.get_or_create(name=f"{SEED_ORG_PREFIX} {k + 1}",
                                                    defaults={"sector": list(Sector.values)[k % len(Sector.values)],
                                                              "phone": f"+31 20 555 {k:04d}"})
        user, created = User.objects.get_or_create(
            username=f"index-seed-{k + 1}",
            defaults={"first_name": "Index", "last_name": f"Seed {k + 1}",
                      "email": f"index-seed-{k + 1}@example.org"})
        if created:
            user.set_unusable_password()
            user.save()
        pro, _ = Professional.objects.get_or_create(
            user=user, defaults={"roles": [Role.PRACTITIONER], "phone": f"+31 20 555 {k:04d}"})
        pro.organisations.add(org)
        pros.append(pro)
    return pros


def seed(*, persons: int, organisations: int = 20, start: int = 0, batch_size: int = 5000,
         today: dt.date | None = None) -> SeedResult:
    """Signals for synthetic persons start .. start+persons-1, one organisation each, registered by
    BSN with name and date of birth (keyed encoding and blocking keys, as signal_register stores).

    Person i is registered by seed organisation i % organisations. Signals already there are
    skipped (and given their encoding if an older seed made them without), so running it twice
    adds nothing. No matches are made (one organisation per person): a benchmark registers
    person i from another organisation to find one.
    """
    today = today or timezone.localdate()
    pros = seed_professionals(organisations)
    seeded = Signal.objects.filter(organisation__name__startswith=SEED_ORG_PREFIX)
    before = seeded.count()
    for first in range(start, start + persons, batch_size):
        with transaction.atomic():
            _seed_batch(range(first, min(first + batch_size, start + persons)), pros, today)
    return SeedResult(seeded.count() - before, [p.primary_organisation for p in pros], pros)


def _seed_batch(numbers: range, pros: list[Professional], today: dt.date) -> None:
    hashes = {crypto.keyed_hash(synthetic_bsn(i), purpose=PURPOSE_NATIONAL_ID): i for i in numbers}
    org_ids = {p.primary_organisation.pk for p in pros}
    existing = {h: (pk, digest is None) for h, pk, digest in Signal.objects.filter(
        subject_hash__in=list(hashes), organisation_id__in=org_ids, ended_on__isnull=True)
        .values_list("subject_hash", "pk", "dob_digest")}
    encodings = {i: _encoding(i) for h, i in hashes.items() if h not in existing or existing[h][1]}
    new = []
    for h, i in hashes.items():
        if h in existing:
            continue
        pro = pros[i % len(pros)]
        # Spread registration dates over the last year so expiry dates vary realistically.
        registered = today - dt.timedelta(days=i % 365)
        new.append(Signal(subject_hash=h, basis=Basis.NATIONAL_ID,
                          organisation_id=pro.primary_organisation.pk, professional=pro,
                          registered_on=registered, expires_on=add_months(registered, 24),
                          name_filter=encodings[i].names, dob_digest=encodings[i].dob))
    Signal.objects.bulk_create(new, ignore_conflicts=True)
    stale = [Signal(pk=pk, name_filter=encodings[hashes[h]].names, dob_digest=encodings[hashes[h]].dob)
             for h, (pk, missing) in existing.items() if missing]
    Signal.objects.bulk_update(stale, ["name_filter", "dob_digest"])
    ids = dict(Signal.objects.filter(subject_hash__in=[h for h in hashes if hashes[h] in encodings],
                                     organisation_id__in=org_ids, ended_on__isnull=True)
               .values_list("subject_hash", "pk"))
    SignalKey.objects.bulk_create([SignalKey(signal_id=pk, key=key) for h, pk in ids.items()
                                   for key in encodings[hashes[h]].keys], ignore_conflicts=True)
