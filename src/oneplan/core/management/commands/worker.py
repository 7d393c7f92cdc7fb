"""`oneplan worker`: run background tasks (the outbox's deliveries) until stopped."""
from django.core.management import call_command
from django.core.management.base import BaseCommand

from oneplan.core import outbox


class Command(BaseCommand):
    help = ("Run background tasks through Django's task framework (database backend): e-mails "
            "and other side effects from the outbox. Stop with Ctrl-C or SIGTERM.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true",
                            help="deliver everything that is due, then exit")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds between looks for new tasks when idle (default 1)")

    def handle(self, *args, batch, interval, **options):
        outbox.wake()  # anything left by a crash before its wake-up was enqueued
        # No autoreload: a reloading parent would leave its child running when told to stop.
        call_command("db_worker", batch=batch, interval=interval, reload=False,
                     verbosity=options["verbosity"])
        if batch:
            self.stdout.write(f"outbox: {outbox.pending()} messages still open")
