"""`oneplan roles grant|revoke USERNAME ROLE` and `oneplan roles list [ROLE]`: the operator gives
professionals their roles (the front-door team, privacy officers, analysts...)."""
from django.core.management.base import BaseCommand, CommandError

from oneplan.accounts import services
from oneplan.accounts.models import Professional, Role
from oneplan.core.errors import DomainError


class Command(BaseCommand):
    help = "Professionals' roles: grant or revoke one, or list who has which."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name in ("grant", "revoke"):
            sub = actions.add_parser(name, help=f"{name} a role")
            sub.add_argument("username")
            sub.add_argument("role", help=", ".join(Role.values))
        listing = actions.add_parser("list", help="list professionals and their roles")
        listing.add_argument("role", nargs="?", help="only those with this role")

    def handle(self, *args, action, **options):
        try:
            if action == "list":
                return self._list(options.get("role"))
            professional = services.role_set(username=options["username"], role=options["role"],
                                             granted=action == "grant")
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS(
            f"{professional.user.username}: {', '.join(professional.roles) or 'no roles'}"))

    def _list(self, role: str | None):
        if role and role not in Role.values:
            raise CommandError(f"Unknown role {role!r}; roles are: {', '.join(Role.values)}.")
        people = Professional.objects.filter(acting_for__isnull=True).select_related("user") \
            .prefetch_related("organisations").order_by("user__username")
        for p in people:
            if role is None or p.has_role(role):
                orgs = ", ".join(o.name for o in p.organisations.all())
                self.stdout.write(f"{p.user.username:20} {', '.join(p.roles):40} {orgs}")
