"""`oneplan signals seed --persons N`: synthetic reference-index signals for benchmarks."""
import time

from django.core.management.base import BaseCommand, CommandError

from oneplan.sampledata import index_persons as seed


class Command(BaseCommand):
    help = ("Reference index tools. 'seed --persons N' bulk-creates N synthetic signals (keyed values "
            "only: BSN hash, name and birth-date encodings).")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        make = actions.add_parser("seed", help="bulk-create synthetic signals across organisations")
        make.add_argument("--persons", type=int, required=True, help="how many persons to register")
        make.add_argument("--organisations", type=int, default=20,
                          help="spread over this many seed organisations (default 20)")
        make.add_argument("--start", type=int, default=0,
                          help="first synthetic person number (default 0)")

    def handle(self, *args, action, persons, organisations, start, **options):
        if persons < 1 or organisations < 1:
            raise CommandError("--persons and --organisations must be at least 1.")
        if start < 0 or start + persons > seed.MAX_PERSONS:
            raise CommandError(f"Synthetic persons are numbered 0 to {seed.MAX_PERSONS - 1:,}.")
        began = time.perf_counter()
        result = seed.seed(persons=persons, organisations=organisations, start=start)
        self.stdout.write(f"Created {result.created} signals for persons {start}..{start + persons - 1} "
                          f"across {organisations} organisations in {time.perf_counter() - began:.1f} s "
                          f"({persons - result.created} were there already).")
