"""`oneplan token create|revoke|list`: personal API tokens from the operator's command line."""
from django.core.management.base import BaseCommand, CommandError

from oneplan.accounts import services
from oneplan.accounts.models import ApiToken, User
from oneplan.core.errors import DomainError


class Command(BaseCommand):
    help = ("Personal API tokens. 'create USERNAME --name NAME' prints the new key once; "
            "'revoke PREFIX' revokes the token whose key starts with PREFIX; "
            "'list [USERNAME]' shows tokens without their keys.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="create a token and print its key once")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what the token is for")
        revoke = actions.add_parser("revoke", help="revoke a token by the start of its key")
        revoke.add_argument("prefix", help="the first 8 characters of the key, e.g. op_AbC12")
        listing = actions.add_parser("list", help="list tokens (never their keys)")
        listing.add_argument("username", nargs="?")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as error:
            raise CommandError(error.message) from None

    def _create(self, *, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user called {username!r}.")
        token, key = services.token_create(actor_user=user, name=name, via="command line")
        self.stderr.write(f"Token {token.name!r} for {user.username} created. Copy the key "
                          "below now: it is not stored and cannot be shown again.")
        self.stdout.write(key)

    def _revoke(self, *, prefix, **options):
        token = services.token_revoke(actor_user=None, prefix=prefix, via="command line")
        self.stdout.write(self.style.SUCCESS(
            f"Revoked token {token.name!r} ({token.prefix}) of {token.user.username}."))

    def _list(self, *, username=None, **options):
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
        if username:
            tokens = tokens.filter(user__username=username)
        for token in tokens:
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(f"{token.prefix}  {token.user.username:<20} {state:<18} "
                              f"last used {used:<16} {token.name}")
        if not tokens:
            self.stdout.write("No tokens.")
