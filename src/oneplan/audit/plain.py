"""Audit actions in the words a family reads ("looked at your family file").

The first matching prefix wins, so the specific actions come before their family's prefix.
"""
from django.utils.translation import gettext_lazy as _

PLAIN = [  # (prefix of the audit action, what the family reads)
    ("breakglass", _("opened your file in an emergency")),
    ("family.read", _("looked at your family file")),
    ("plan", _("worked on your plan")),
    ("assessment", _("worked on the assessment")),
    ("consent.withdraw", _("recorded that a consent was withdrawn")),
    ("consent", _("recorded a consent")),
    ("team", _("changed your team")),
    ("person.read", _("looked at your details")),
    ("person", _("updated your household")),
    ("network", _("updated your network")),
    ("note", _("wrote a note")),
    ("referral", _("worked on a referral")),
    ("portal.family.read", _("opened the family portal")),
    ("portal.account", _("made an account for the family portal")),
    ("portal.feedback", _("gave feedback")),
    ("portal.goal_progress", _("wrote about progress on a goal")),
    ("portal", _("invited someone to this portal")),
    ("signal", _("noted in the reference index that they work with you")),
    ("retention", _("removed old data under the retention rules")),
    ("subject", _("handled a privacy request")),
]


def plain_action(action: str, reason: str = "") -> str:
    if reason == "break-glass":
        return str(PLAIN[0][1])
    return str(next((text for prefix, text in PLAIN if action.startswith(prefix)),
                    _("worked on your file")))
