"""`oneplan generate --families N`: synthetic data at scale (never run it on production data)."""
from django.core.management.base import BaseCommand, CommandError

from oneplan.sampledata.synthetic import generate


class Command(BaseCommand):
    help = "Generate N synthetic families with households, networks, teams and professionals."

    def add_arguments(self, parser):
        parser.add_argument("--families", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, families, seed, batch, **options):
        if not 1 <= families <= 5_000_000:
            raise CommandError("--families must be between 1 and 5,000,000.")
        if not 100 <= batch <= 50_000 and batch < families:
            raise CommandError("--batch must be between 100 and 50,000.")

        def progress(done, total, seconds):
            self.stdout.write(f"  {done:>9,} / {total:,} families  {seconds:7.1f} s")

        totals = generate(families=families, seed=seed, batch=batch, progress=progress)
        self.stdout.write(self.style.SUCCESS(
            "Generated {families:,} families, {persons:,} persons, {team:,} team memberships, "
            "{network:,} network members, {professionals:,} professionals in {seconds} s.".format(**totals)))
