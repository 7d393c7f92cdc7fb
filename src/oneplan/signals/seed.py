"""Synthetic reference-index data for benchmarks: many signals, hashes only, across organisations."""
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from oneplan.accounts.models import Organisation, Professional, Role, Sector, User
from oneplan.core import crypto
from oneplan.signals.identity import PURPOSE_NATIONAL_ID, add_months
from oneplan.signals.models import Basis, Signal

SEED_ORG_PREFIX = "Index seed organisation"
_WEIGHTS = range(9, 1, -1)
MAX_PERSONS = 9_000_000


def synthetic_bsn(i: int) -> str:
    """The i-th synthetic BSN (0 <= i < MAX_PERSONS): nine digits passing the 11-test, unique per i.

    Seven digits come from i (offset so none is all zeros); the eighth is the smallest that
    leaves a valid check digit.
    """
    if not 0 <= i < MAX_PERSONS:
        raise ValueError(f"i must be in 0 .. {MAX_PERSONS - 1:,}")
    head = f"{i + 1_000_000:07d}"
    partial = sum(int(d) * w for d, w in zip(head, _WEIGHTS))
    for eighth in range(10):
        check = (partial + 2 * eighth) % 11
        if check < 10:
            return f"{head}{eighth}{check}"
    raise AssertionError("unreachable: at most one eighth digit gives check 10")


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
    """Signals for synthetic persons start .. start+persons-1 (synthetic_bsn), one organisation each.

    Person i is registered by seed organisation i % organisations. Signals already there are
    skipped, so running it twice adds nothing. No matches are made (one organisation per
    person): a benchmark registers person i from another organisation to find one.
    """
    today = today or timezone.localdate()
    pros = seed_professionals(organisations)
    # Spread registration dates over the last year so expiry dates vary realistically.
    seeded = Signal.objects.filter(organisation__name__startswith=SEED_ORG_PREFIX)
    before = seeded.count()
    batch = []
    with transaction.atomic():
        for i in range(start, start + persons):
            pro = pros[i % organisations]
            registered = today - dt.timedelta(days=i % 365)
            batch.append(Signal(
                subject_hash=crypto.keyed_hash(synthetic_bsn(i), purpose=PURPOSE_NATIONAL_ID),
                basis=Basis.NATIONAL_ID, organisation_id=pro.primary_organisation.pk,
                professional=pro, registered_on=registered, expires_on=add_months(registered, 24)))
            if len(batch) >= batch_size:
                Signal.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        if batch:
            Signal.objects.bulk_create(batch, ignore_conflicts=True)
    return SeedResult(seeded.count() - before, [p.primary_organisation for p in pros], pros)
