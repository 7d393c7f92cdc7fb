"""`oneplan tick`: periodic housekeeping (run it from cron every few minutes); reports every job.

It runs only what the apps registered (`<app>/jobs.py`, in their AppConfig.ready()): the data a
job works on belongs to its app, not to the kernel."""
from django.core.management.base import BaseCommand

from oneplan.core import tick


class Command(BaseCommand):
    help = "Periodic housekeeping: expiries, reminders, reports. Prints what every job did."

    def handle(self, *args, **options):
        failed = 0
        for name, job in tick.jobs().items():
            try:
                self.stdout.write(f"{name}: {job()}")
            except Exception as exc:  # one failing job must not stop the others
                failed += 1
                self.stderr.write(f"{name}: FAILED: {exc}")
        if failed:
            raise SystemExit(1)
