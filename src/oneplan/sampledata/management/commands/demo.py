"""`oneplan demo`: load a believable municipality and print the demo logins."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from oneplan.families.models import Family
from oneplan.insights import aggregates
from oneplan.sampledata.demo import DEMO_PASSWORD, ORGANISATIONS, PROFESSIONALS, load_demo


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
        # The demo's referrals and matches would e-mail every step to the console: keep them in
        # memory (the inboxes still have them).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            counts = load_demo(seed=seed)
        aggregates.rebuild()  # the dashboards have figures at once (`oneplan tick` keeps them fresh)
        self.stdout.write(self.style.SUCCESS(
            "Demo loaded: {organisations} organisations, {professionals} professionals, "
            "{families} families, {persons} persons, {plans} agreed plans.".format(**counts)))
        lines = logins()
        path = Path(settings.VAR_DIR) / "demo-logins.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.stdout.write("\n" + "\n".join(lines))
        self.stdout.write(f"\n(also written to {path})")


def logins() -> list[str]:
    """Every demo login with who it is, by organisation."""
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}) at http://127.0.0.1:8000/"]
    for index, (organisation, _sector, _phone) in enumerate(ORGANISATIONS):
        people = [p for p in PROFESSIONALS if p[3] == index]
        if people:
            lines.append(f"{organisation}:")
        for username, first, last, _org, discipline, roles in people:
            lines.append(f"  {username:<12} {first} {last}, {discipline} ({', '.join(roles)})")
    lines.append("Family portal:")
    lines.append("  family       a parent with a family portal account")
    return lines
