"""`oneplan demo`: load a believable municipality and print the demo logins."""
from django.core.management.base import BaseCommand, CommandError

from oneplan.core.demo import DEMO_PASSWORD, PROFESSIONALS, load_demo
from oneplan.families.models import Family


class Command(BaseCommand):
    help = "Create demo organisations, professionals and 60 families, and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing when the database already holds families")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, if_empty, seed, **options):
        if Family.objects.exists():
            if if_empty:
                self.stdout.write("Demo data not loaded: the database already holds families.")
                return
            raise CommandError("The database already holds families; the demo needs an empty one "
                               "(delete var/oneplan.sqlite3 for a fresh start).")
        counts = load_demo(seed=seed)
        self.stdout.write(self.style.SUCCESS(
            "Demo loaded: {organisations} organisations, {professionals} professionals, "
            "{families} families, {persons} persons, {plans} agreed plans.".format(**counts)))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}) at http://127.0.0.1:8000/")
        for username, first, last, _org, discipline, roles in PROFESSIONALS[:8]:
            self.stdout.write(f"  {username:<12} {first} {last}, {discipline} ({', '.join(roles)})")
        self.stdout.write(f"  ... and {len(PROFESSIONALS) - 8} more professionals")
        self.stdout.write("  family       a parent with a family portal account")
