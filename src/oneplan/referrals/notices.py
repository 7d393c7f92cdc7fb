"""The referral notices in the inbox, as message keys the reader sees in her own language."""
from django.utils.translation import gettext_lazy as _

from oneplan.inbox import messages

messages.register(
    "referral.incoming", _("New referral %(number)s to %(service)s"),
    _("From %(who)s (%(org)s), urgency: %(urgency)s, %(n)s person(s). Open it in oneplan to read "
      "the question."))
messages.register(
    "referral.status", _("%(number)s: %(status)s"),
    _("%(number)s to %(service)s (%(organisation)s) is now: %(status)s."))
messages.register(
    "referral.status_note", _("%(number)s: %(status)s"),
    _("%(number)s to %(service)s (%(organisation)s) is now: %(status)s.\n\n%(note)s"))
messages.register(
    "referral.handoff_planned", _("Warm handoff for %(number)s on %(when)s"),
    _("%(how)s%(where)s with %(referrer)s, %(receiver)s and the family."))
messages.register(
    "referral.handoff_joined", _("%(name)s joined the team of %(family)s"),
    _("After the warm handoff for %(number)s (%(service)s). Add their part to the plan."))
