"""What the subject access export lists from the portal app (registered in its AppConfig.ready)."""
from django.utils.translation import gettext as _

from oneplan.access import subject
from oneplan.access.subject import Coded, _date
from oneplan.portal.models import FamilyAccount, Feedback, GoalProgress, Invitation


def _portal(person):
    rows = [{"kind": Coded("portal account", _("Account for the family portal")),
             "user_name": a.user.username, "since": _date(a.created_at)}
            for a in FamilyAccount.objects.filter(person=person).select_related("user")]
    rows += [{"kind": Coded("invitation", _("Invitation to the family portal")), "user_name": "",
              "since": _date(i.created_at)}
             for i in Invitation.objects.filter(person=person)]
    return rows


def _feedback(person):
    return [{"family": f.family.reference, "date": _date(f.created_at), "rating": f.rating,
             "comment": f.comment} for f in Feedback.objects.filter(person=person).select_related("family")]


def _progress(person):
    return [{"family": g.family.reference, "date": _date(g.created_at), "text": g.text}
            for g in GoalProgress.objects.filter(person=person).select_related("family")]


def register() -> None:
    subject.register_section("Family portal", "portal.familyaccount.person portal.invitation.person", _portal, order=90)
    subject.register_section("Feedback given", "portal.feedback.person", _feedback, order=100)
    subject.register_section("Progress notes on goals", "portal.goalprogress.person", _progress, order=110)
