"""`oneplan indicators load [FILE...] | rebuild | refresh | list`: indicator definitions and their
monthly aggregates."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oneplan.core.errors import DomainError
from oneplan.insights import aggregates
from oneplan.insights.loader import load, load_defaults, shipped_files
from oneplan.insights.models import Indicator


class Command(BaseCommand):
    help = ("Load indicator definitions (YAML; a changed file becomes a new version; no file: the shipped "
            "ones), rebuild all 24 months of aggregates, refresh the months that changed, or list them.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load", "rebuild", "refresh", "list"])
        parser.add_argument("paths", nargs="*")
        parser.add_argument("--only", default="", help="rebuild: these indicator ids (comma-separated)")

    def handle(self, *args, action, paths, only, **options):
        if action == "load":
            return self._load(paths)
        if action == "list":
            for i in Indicator.objects.filter(is_active=True).order_by("key"):
                built = i.built_at.strftime("%Y-%m-%d %H:%M") if i.built_at else "not built"
                self.stdout.write(f"{i.key:<32} v{i.version:<3} {i.definition['statistic']:<7} {built}")
            return
        keys = [k.strip() for k in only.split(",") if k.strip()] or None

        def progress(key, months, figures, seconds):
            self.stdout.write(f"  {key:<32} {months:>2} months {figures:>7,} figures {seconds:6.2f} s")

        result = (aggregates.rebuild(keys=keys, progress=progress) if action == "rebuild"
                  else aggregates.refresh(progress=progress))
        self.stdout.write(self.style.SUCCESS(
            f"{result.kind}: {len(result.months)} months, {result.figures:,} figures in {result.seconds:.1f} s"))

    def _load(self, paths):
        if not paths:
            for indicator, created in load_defaults():
                self._said(indicator, created, indicator.key)
            self.stdout.write(f"{len(shipped_files())} shipped definitions checked.")
            return
        for name in paths:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{path}: no such file.")
            try:
                indicator, created = load(path.read_text(encoding="utf-8"), source=path.name)
            except DomainError as error:
                raise CommandError(error.message)
            except UnicodeDecodeError:
                raise CommandError(f"{path}: not UTF-8 text.")
            self._said(indicator, created, path.name)

    def _said(self, indicator, created, name):
        verb = "loaded as" if created else "unchanged,"
        self.stdout.write(f"{name}: {verb} {indicator.key} version {indicator.version}")
