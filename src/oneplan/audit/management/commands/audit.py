"""`oneplan audit verify|prove|check-proof|public-key`: the audit log's tamper evidence (docs/audit.md)."""
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oneplan.audit import keys, proofs
from oneplan.audit.services import seal, verify


class Command(BaseCommand):
    help = ("Audit log tools. 'verify' seals what is new, then checks the log against its keyed links and "
            "the signed checkpoints and reports the first place it differs (only what is new since the "
            "last check, unless --full). 'prove EVENT_ID' writes an inclusion proof (JSON) to stdout; "
            "'check-proof FILE' checks one without the database. 'public-key' prints the key that "
            "verifies checkpoints.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "prove", "check-proof", "public-key"], help="what to do")
        parser.add_argument("target", nargs="?", help="prove: the event id; check-proof: the proof file")
        parser.add_argument("--full", action="store_true", help="verify: check every event, not only the new ones")

    def handle(self, *args, action, target, full, **options):
        if action == "verify":
            self._verify(full)
        elif action == "prove":
            self._prove(target)
        elif action == "check-proof":
            self._check_proof(target)
        else:
            public = keys.signing_key().public_key()
            self.stdout.write(f"{keys.public_text(public)}  (key id {keys.key_id(public)})")

    def _verify(self, full: bool) -> None:
        sealed = seal()
        if sealed:
            self.stdout.write(f"Sealed {sealed} new events into the chain.")
        report = verify(full=full)
        if not report.ok:
            raise CommandError(f"Audit log BROKEN after {report.checked} good events: {report.message}")
        self.stdout.write(self.style.SUCCESS(report.message))

    def _prove(self, target: str | None) -> None:
        if not target or not target.isdigit():
            raise CommandError("Give the id of the event: oneplan audit prove EVENT_ID > proof.json")
        try:
            proof = proofs.build(int(target))
        except proofs.ProofUnavailable as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(proof, indent=2, ensure_ascii=False))

    def _check_proof(self, target: str | None) -> None:
        if not target:
            raise CommandError("Give the proof file: oneplan audit check-proof proof.json")
        try:
            text = sys.stdin.read() if target == "-" else Path(target).read_text(encoding="utf-8")
            proof = json.loads(text)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {target}: {exc}") from None
        result = proofs.check(proof)
        if not result.valid:
            raise CommandError(f"Not valid: {result.message}")
        self.stdout.write(self.style.SUCCESS(f"Valid: {result.message}"))
