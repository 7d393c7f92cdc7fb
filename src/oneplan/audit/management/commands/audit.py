"""`oneplan audit verify`: check the hash chain of the audit log."""
from django.core.management.base import BaseCommand, CommandError

from oneplan.audit.services import seal, verify


class Command(BaseCommand):
    help = ("Audit log tools. 'verify' seals what is new into the hash chain, then walks the chain "
            "and reports the first broken link.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"], help="what to do")

    def handle(self, *args, action, **options):
        sealed = seal()
        if sealed:
            self.stdout.write(f"Sealed {sealed} new events into the chain.")
        report = verify()
        if not report.ok:
            raise CommandError(f"Audit chain BROKEN after {report.checked} good events: {report.message}")
        self.stdout.write(self.style.SUCCESS(report.message))
