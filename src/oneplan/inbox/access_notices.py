"""Notices about access to a family file (registered in InboxConfig.ready).

- the family gives or withdraws a consent: the coordinators and the affected organisation's
  team members are told;
- someone opens a family in an emergency: every privacy officer is told, to review it.
"""
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from oneplan.access import rules
from oneplan.access.models import AccessGrant, Category, Consent
from oneplan.accounts.models import Professional, Role
from oneplan.families.models import CareTeamMember
from oneplan.inbox import messages
from oneplan.inbox.models import Notification
from oneplan.inbox.services import notify_many

messages.register(
    "consent.given", _("Consent given: %(categories)s"),
    _("Family %(family)s now allows %(organisation)s to see %(categories)s about %(about)s "
      "(%(how)s, recorded by %(who)s)."))
messages.register(
    "consent.withdrawn", _("Consent withdrawn: %(categories)s"),
    _("Family %(family)s withdrew the consent for %(organisation)s to see %(categories)s about "
      "%(about)s (%(how)s, recorded by %(who)s). Access that depended on it has ended."))
messages.register(
    "breakglass.opened", _("Emergency access to review: %(family)s"),
    _("%(who)s (%(organisation)s) opened family file %(family)s in an emergency until %(until)s. "
      "Reason given: %(reason)s"))
EVERY_ORGANISATION = gettext_noop("every organisation on the care team")
WHOLE_FAMILY = gettext_noop("the whole family")


def recipients(consent: Consent) -> list:
    """The coordinators and the team members of the organisation the consent is for (the whole
    team for a team-wide consent)."""
    team = rules.active_team(consent.family_id).select_related("professional__user")
    return [m.professional for m in team
            if m.role in CareTeamMember.COORDINATING or consent.organisation_id is None
            or m.organisation_id == consent.organisation_id]


def _english(label) -> str:
    with translation.override("en"):
        return str(label)


def params(consent: Consent, change: str, actor) -> dict:
    """Parameters in English msgids where the reader's language must decide the words."""
    if actor is not None:
        who = actor.name
    else:  # the family in the portal
        person = consent.withdrawn_by_person if change == "withdrawn" else consent.given_by.first()
        who = person.full_name if person else ""
    how = consent.withdrawn_how if change == "withdrawn" else consent.how
    values = {"family": consent.family.reference, "who": who,
              "_categories": [_english(Category(c).label) for c in consent.categories
                              if c in Category.values],
              "_how": _english(Consent.How(how).label) if how else ""}
    if consent.organisation_id:
        values["organisation"] = consent.organisation.name
    else:
        values["_organisation"] = EVERY_ORGANISATION
    if consent.subject_id:
        values["about"] = consent.subject.full_name
    else:
        values["_about"] = WHOLE_FAMILY
    return values


def consent_changed(consent: Consent, *, change: str, actor) -> None:
    values = params(consent, change, actor)
    link = reverse("families:file", args=[consent.family_id]) + "#consent-h"
    notify_many([{"recipient": pro, "kind": Notification.Kind.CONSENT, "message": f"consent.{change}",
                  "params": values, "link": link, "family": consent.family}
                 for pro in {p.pk: p for p in recipients(consent)}.values()
                 if actor is None or pro.pk != actor.pk])


def privacy_officers() -> list[Professional]:
    officers = Professional.objects.filter(user__is_active=True).select_related("user")
    return [p for p in officers if p.has_role(Role.PRIVACY_OFFICER)]


def break_glass_opened(grant: AccessGrant) -> None:
    until = timezone.localtime(grant.expires_at).strftime("%d-%m-%Y %H:%M")
    params = {"family": grant.family.reference, "who": grant.professional.name,
              "organisation": grant.organisation.name if grant.organisation else "",
              "until": until, "reason": grant.reason[:300]}
    notify_many([{"recipient": officer, "kind": Notification.Kind.EMERGENCY_ACCESS,
                  "message": "breakglass.opened", "params": params,
                  "link": reverse("access:review", args=[grant.pk])}
                 for officer in privacy_officers() if officer.pk != grant.professional_id])
