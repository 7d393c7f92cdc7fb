"""`oneplan worker`: run background tasks (the outbox's deliveries) until stopped."""
import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from oneplan.core import outbox, worker

log = logging.getLogger(__name__)


class Poller(threading.Thread):
    """Runs the apps' polls (core/worker.py) every `interval` seconds: the outbox enqueues a
    delivery round when a message is due (so requests never wake the worker), the audit log
    seals new events."""

    def __init__(self, interval: float):
        super().__init__(name="poller", daemon=True)  # dies with the worker process
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                for name, poll in worker.polls().items():
                    try:
                        poll()
                    except Exception:  # a database hiccup: look again next time
                        log.exception("%s poll failed", name)
                        connection.close()
        finally:
            connection.close()


class Command(BaseCommand):
    help = ("Run background tasks through Django's task framework (database backend): e-mails "
            "and other side effects from the outbox. Stop with Ctrl-C or SIGTERM.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true",
                            help="deliver everything that is due, then exit")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds between looks for new tasks and due messages (default 1)")

    def handle(self, *args, batch, interval, **options):
        outbox.wake()  # anything already due, a crash's leftovers included
        poller = None
        if batch:
            for poll in worker.polls().values():
                poll()
        else:
            poller = Poller(interval)
            poller.start()
        # No autoreload: a reloading parent would leave its child running when told to stop.
        try:
            call_command("db_worker", batch=batch, interval=interval, reload=False,
                         verbosity=options["verbosity"])
        finally:
            if poller:
                poller.stopped.set()
        if batch:
            self.stdout.write(f"outbox: {outbox.pending()} messages still open")
