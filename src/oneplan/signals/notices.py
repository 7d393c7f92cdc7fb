"""The reference index's inbox notices, as message keys read in the reader's language."""
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from oneplan.inbox import messages

# The other side's contact details, filled in (and translated) when the notice is read.
CONTACT = gettext_noop("Name: %(name)s\nOrganisation: %(organisation)s\nPhone: %(phone)s\n"
                       "E-mail: %(email)s")

messages.register(
    "signal.match_first", _("Reference index: another organisation is involved with your client"),
    _("%(org)s also registered involvement with the person of your signal %(number)s (matched on "
      "%(basis)s). You registered first: please contact them and agree who coordinates.\n\n"
      "%(contact)s"))
messages.register(
    "signal.match_second", _("Reference index: another organisation is involved with your client"),
    _("%(org)s is also involved with the person of your signal %(number)s (matched on %(basis)s). "
      "They registered first and are asked to contact you to agree who coordinates.\n\n%(contact)s"))
messages.register(
    "signal.possible", _("Reference index: a possible match to check"),
    _("Your signal %(number)s may be the same person as a signal of another organisation: the name "
      "is spelt a little differently or one part of the date of birth differs. Check it and confirm "
      "or reject it; the other organisation hears of it only when you confirm."))
messages.register(
    "signal.coordination", _("Reference index: coordination agreed"),
    _("%(who)s recorded for match %(match)s that %(coordinator)s (%(org)s) coordinates."))
