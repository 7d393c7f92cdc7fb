"""`oneplan directory import FILE --as USERNAME`: bring a region's HSDS 3.0 directory into oneplan."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oneplan.accounts.models import Professional, Sector
from oneplan.core.errors import DomainError
from oneplan.directory import hsds_import, services


class Command(BaseCommand):
    help = ("The service directory. 'import FILE --as USERNAME' reads HSDS 3.0 JSON (a list of full "
            "services), a .zip of the HSDS CSV files or a folder of them, and creates or updates the "
            "services by their HSDS id, all or nothing.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imports = actions.add_parser("import", help="import services from an HSDS 3.0 file")
        imports.add_argument("file", help="a .json file, a .zip of CSV files, or a folder of CSV files")
        imports.add_argument("--as", dest="username", required=True,
                             help="the organisation or network admin the import is done and audited as")
        imports.add_argument("--sector", default="", choices=Sector.values,
                             help="sector of organisations new to oneplan (network admins only)")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _import(self, *, file, username, sector, **options):
        actor = Professional.objects.filter(user__username=username).select_related("user").first()
        if actor is None:
            raise CommandError(f"There is no professional with the user name {username!r}.")
        path = Path(file)
        try:
            if path.is_dir():
                parsed = hsds_import.read_folder(path)
            elif path.is_file():
                parsed = hsds_import.read(path.name, path.read_bytes())
            else:
                raise CommandError(f"{file}: no such file or folder.")
            report = services.directory_import(actor=actor, parsed=parsed, source=path.name,
                                               new_organisation_sector=sector)
        except hsds_import.ImportRejected as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(f"  {p}" for p in error.problems)) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS(f"Imported {path.name}: {report.created} services created, "
                                             f"{report.updated} updated."))
        if report.organisations_created:
            self.stdout.write("Organisations created: " + ", ".join(report.organisations_created))
        if report.not_kept:
            self.stdout.write("Not kept (oneplan has no place for it): " + "; ".join(report.not_kept))
