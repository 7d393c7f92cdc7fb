"""Emergency (break-glass) access is read-only, and every page of that family says so.

- The banner: `rules.family_access` notes a break-glass access of the current request
  (`noted_grant`); the context processor hands it to base.html, so every page that read the
  family through a grant shows the banner, whatever app drew it.
- Read-only: `EmergencyReadOnlyMiddleware` stops every page of a family that is not a read
  page (forms included, not only their POST) before the view runs, with a page that says why.
  A page is a read page only when listed in READ_VIEWS, so a new write page is closed by
  default. Pages addressed by another id than the family's (an assessment) are placed in their
  family by a resolver that app registers (`FAMILY_OF`).
"""
import contextvars
from typing import Callable

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.access.models import AccessGrant
from oneplan.audit.models import Outcome
from oneplan.audit.services import record
from oneplan.core.ids import valid_id
from oneplan.families.models import CareTeamMember

READ_VIEWS = frozenset({"families:file", "plans:plan", "plans:version", "plans:discussions",
                        "assessments:chart", "assessments:detail"})
# url kwarg -> fn(value) -> family id or None; registered by the app owning that object.
FAMILY_OF: dict[str, Callable] = {"family_id": lambda value: value}

_grant = contextvars.ContextVar("oneplan_emergency_grant", default=None)


def note_grant(grant: AccessGrant | None) -> None:
    _grant.set(grant)


def noted_grant() -> AccessGrant | None:
    return _grant.get()


def _family_id(kwargs: dict):
    for name, resolve in FAMILY_OF.items():
        if name in kwargs and valid_id(kwargs[name]):
            return resolve(int(kwargs[name]))
    return None


def _on_team(professional, family_id) -> bool:
    today = timezone.localdate()
    return CareTeamMember.objects.filter(family_id=family_id, professional=professional,
                                         started_on__lte=today).exclude(ended_on__lte=today).exists()


class EmergencyReadOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _grant.set(None)
        try:
            return self.get_response(request)
        finally:
            _grant.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        professional = getattr(request.user, "professional", None) \
            if request.user.is_authenticated else None
        if professional is None or match is None or match.view_name in READ_VIEWS:
            return None
        family_id = _family_id(view_kwargs)
        if family_id is None or _on_team(professional, family_id):
            return None
        grant = (AccessGrant.objects.filter(professional=professional, family_id=family_id,
                                            expires_at__gt=timezone.now())
                 .order_by("-expires_at").first())
        if grant is None:
            return None  # not on the team and no grant: the view's own 404 applies
        note_grant(grant)
        record(professional, "breakglass.write", family=family_id, outcome=Outcome.DENIED,
               reason=f"emergency access is read-only ({match.view_name}, {request.method})")
        return render(request, "access/read_only.html", {
            "title": _("Emergency access is read-only"), "family_id": family_id}, status=403)


def context(request) -> dict:
    return {"emergency_grant": noted_grant()}
