"""Domain exceptions, mapped once to a form error, a problem-JSON response or a CLI line."""
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base for errors a user can act on; `message` is shown to them as is."""

    status = 400
    title = _("Invalid request")

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The object does not exist or the actor may not know that it exists."""

    status = 404
    title = _("Not found")


class AccessDenied(DomainError):
    """The actor may see the object but not do this with it."""

    status = 403
    title = _("Not allowed")


class InvalidInput(DomainError):
    status = 400
    title = _("Invalid input")


class Conflict(DomainError):
    """The request clashes with the current state (duplicate, stale edit, last coordinator)."""

    status = 409
    title = _("Conflict")


class InvalidTransition(Conflict):
    title = _("Status change not allowed")


class StaleEdit(Conflict):
    title = _("Changed by someone else")


class ConsentMissing(DomainError):
    """The family's consent does not cover what the action would share; `missing` says what."""

    status = 409
    title = _("Consent missing")

    def __init__(self, message: str, *, missing: list[str] | None = None, field: str | None = None):
        super().__init__(message, field=field)
        self.missing = missing or []
