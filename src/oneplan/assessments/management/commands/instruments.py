"""`oneplan instruments load FILE... | --defaults`: load assessment instruments (new versions)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oneplan.assessments.loader import DEFAULTS, load
from oneplan.core.errors import DomainError


class Command(BaseCommand):
    help = "Load instrument definitions from YAML; a changed file becomes a new version."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])
        parser.add_argument("paths", nargs="*")
        parser.add_argument("--defaults", action="store_true", help="load the shipped instruments")

    def handle(self, *args, action, paths, defaults, **options):
        files = [Path(p) for p in paths] + (sorted(DEFAULTS.glob("*.yaml")) if defaults else [])
        if not files:
            raise CommandError("Name one or more instrument files, or use --defaults.")
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: no such file.")
            try:
                instrument, created = load(path.read_text(encoding="utf-8"), source=path.name)
            except DomainError as error:
                raise CommandError(error.message)
            except UnicodeDecodeError:
                raise CommandError(f"{path}: not UTF-8 text.")
            verb = "loaded as" if created else "unchanged,"
            self.stdout.write(f"{path.name}: {verb} {instrument.key} version {instrument.version} "
                              f"({len(instrument.domains)} domains)")
