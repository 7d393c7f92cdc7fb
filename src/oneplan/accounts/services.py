"""Personal API tokens (creating, revoking, checking: only a hash is ever stored) and the
audit of failed logins."""
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from oneplan.accounts.models import ApiToken, Professional, Role, User
from oneplan.audit.models import Outcome
from oneplan.audit.services import record
from oneplan.core.errors import Conflict, InvalidInput, NotFound
from oneplan.core.layers import service

TOKEN_NAME_MAX = 100
# last_used_at is bookkeeping for the owner ("is this token still in use?"), not an audit
# trail: writing it on every request would turn each API read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenRejected(Exception):
    """The bearer token cannot be used; `message` says why, for the 401 response."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Claimed:
    """Who a refused login or token said it was, as the audit log's actor: the user name typed
    (or the token's owner unknown), never an authenticated account, so the actor id stays empty."""

    username: str
    pk = None

    def get_username(self) -> str:
        return self.username


def login_failure_record(*, username: str, address: str | None, action: str, reason: str):
    """Audit one failed login (NEN 7513: who tried which user name, when, from which address,
    what, refused). The account is the object when the user name exists, so its owner's
    failed logins can be listed; the message on screen stays the same either way."""
    username = (username or "")[:150]
    account = User.objects.filter(username=username).first() if username else None
    if account is None and username:
        reason = f"{reason} (unknown user name)"
    return record(Claimed(username or "(none)"), action, account, outcome=Outcome.DENIED,
                  reason=f"{reason}; from address {address or 'unknown'}")


def _professional_or_none(user: User):
    return getattr(user, "professional", None)


@service
def token_create(*, actor_user: User, name: str, via: str = "") -> tuple[ApiToken, str]:
    """A new token for the actor; returns it with the plain key, which is never stored."""
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("Give the token a name, for example the program that will use it.",
                           field="name")
    if len(name) > TOKEN_NAME_MAX:
        raise InvalidInput(f"A token name can be at most {TOKEN_NAME_MAX} characters.", field="name")
    if not actor_user.is_active:
        raise InvalidInput("This account is switched off; it cannot get API tokens.")
    if _professional_or_none(actor_user) is None:
        raise InvalidInput("API tokens are for professionals only.")
    if actor_user.api_tokens.filter(name__iexact=name, revoked_at__isnull=True).exists():
        raise Conflict(f"You already have a token called “{name}”. Choose another name or revoke "
                       "the old token first.", field="name")
    key = ApiToken.generate()
    token = ApiToken.objects.create(user=actor_user, name=name, key_hash=ApiToken.hash(key),
                                    prefix=key[:8])
    record(actor_user, "token.create", token, reason=f"{name} ({token.prefix}){via and ' via ' + via}")
    return token, key


@service
def token_revoke(*, actor_user: User | None, token_id: int | None = None,
                 prefix: str | None = None, via: str = "") -> ApiToken:
    """Revoke one token, by id or by its prefix. Without an actor (the operator's command
    line) any user's token can be revoked; otherwise only one's own."""
    tokens = ApiToken.objects.select_related("user")
    if actor_user is not None:
        tokens = tokens.filter(user=actor_user)
    if token_id is not None:
        tokens = tokens.filter(pk=token_id)
    elif prefix:
        tokens = tokens.filter(prefix=prefix.strip())
    else:
        raise InvalidInput("Say which token to revoke.", field="prefix")
    found = list(tokens.select_for_update(of=("self",)))
    if not found:
        raise NotFound("There is no such token.")
    if len(found) > 1:
        active = [t for t in found if t.revoked_at is None]
        if len(active) != 1:
            raise Conflict("More than one token starts with this prefix; revoke it from the "
                           "owner's API tokens page instead.")
        found = active
    token = found[0]
    if token.revoked_at is not None:
        raise Conflict("This token has already been revoked.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor_user, "token.revoke", token,
           reason=f"{token.name} ({token.prefix}) of {token.user.get_username()}"
                  f"{via and ' via ' + via}")
    return token


def token_authenticate(*, key: str, address: str | None = None):
    """The Professional a bearer key belongs to, or TokenRejected with the reason.

    Not a @service: a successful check writes nothing but last_used_at (at most once a
    minute); the reads that follow are audited by their selectors. Every refusal is audited
    with the source address: an unknown key may be someone guessing, a revoked one or a
    switched-off account means a key is still around.
    """
    key = (key or "").strip()
    where = f"from address {address or 'unknown'}"
    token = None
    if key:
        token = (ApiToken.objects.select_related("user__professional")
                 .filter(key_hash=ApiToken.hash(key)).first())
    if token is None:
        # Only the first characters: enough to recognise a mistyped key of one's own, too
        # few to be of use to anyone reading the log.
        record(Claimed("(unknown token)"), "token.use", outcome=Outcome.DENIED,
               object_type="accounts.apitoken", object_id="",
               reason=f"unknown token starting “{key[:6]}”; {where}")
        raise TokenRejected("The token is not valid. Check that you copied the whole key.")
    if token.revoked_at is not None:
        record(token.user, "token.use", token, outcome=Outcome.DENIED, reason=f"token revoked; {where}")
        raise TokenRejected("This token has been revoked.")
    if not token.user.is_active:
        record(token.user, "token.use", token, outcome=Outcome.DENIED,
               reason=f"account inactive; {where}")
        raise TokenRejected("The account this token belongs to is switched off.")
    professional = _professional_or_none(token.user)
    if professional is None:
        record(token.user, "token.use", token, outcome=Outcome.DENIED,
               reason=f"not a professional; {where}")
        raise TokenRejected("The API is for professionals only.")
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    professional.api_token = token
    return professional


def language_set(*, professional: Professional, language: str) -> None:
    """The language of the professional's e-mails (a preference, not family data: not audited)."""
    if language in dict(settings.LANGUAGES) and professional.language != language:
        Professional.objects.filter(pk=professional.pk).update(language=language)
        professional.language = language


@service
def role_set(*, username: str, role: str, granted: bool, via: str = "command line") -> Professional:
    """Give or take one role of a professional (the operator's command line: `oneplan roles`).
    Roles decide what a person may do (access/rules.py), so every change is audited."""
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}; roles are: {', '.join(Role.values)}.", field="role")
    professional = Professional.objects.select_related("user").filter(
        user__username=username, acting_for__isnull=True).first()
    if professional is None:
        raise NotFound(f"There is no professional called {username!r}.")
    roles = [r for r in professional.roles if r != role] + ([role] if granted else [])
    if roles == professional.roles:
        raise Conflict(f"{username} {'has' if granted else 'does not have'} the role {role} already.")
    professional.roles = roles
    professional.save(update_fields=["roles"])
    record(None, "role.grant" if granted else "role.revoke", professional.user,
           reason=f"{role} for {username} ({via})")
    return professional
