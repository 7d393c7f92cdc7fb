"""Telling the person who asked, in their language, by the channels they gave: the status page
always, an e-mail when they gave an address, a text message when they chose it. Messages say
only that something happened and where to read it: a phone or mailbox may be shared."""
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from oneplan.core import email, sms
from oneplan.core.web import absolute_url
from oneplan.frontdoor.models import ContactBy, HelpRequest
from oneplan.inbox.services import notify


def _send(item: HelpRequest, subject: str, text: str) -> None:
    link = absolute_url(reverse("help_status"))
    with translation.override(item.language):
        body = "\n\n".join([text, _("See it on %(link)s with your reference %(ref)s and your code.")
                            % {"link": link, "ref": display_reference(item.reference)}])
        if item.email:
            email.send(to=item.email, subject=subject, text=body)
        if item.contact_by == ContactBy.SMS and sms.normalise_number(item.phone):
            sms.send(to=item.phone, text=body)


def display_reference(reference: str) -> str:
    return f"{reference[:4]}-{reference[4:]}"


def received(item: HelpRequest) -> None:
    with translation.override(item.language):
        _send(item, _("We received your request for help"),
              _("We received your request for help. Someone of the front-door team will contact you."))


def message_waiting(item: HelpRequest) -> None:
    with translation.override(item.language):
        _send(item, _("A message about your request for help"),
              _("The front-door team sent you a message about your request for help."))


def handled(item: HelpRequest) -> None:
    with translation.override(item.language):
        _send(item, _("Your request for help was handled"),
              _("The front-door team has handled your request for help."))


def asker_wrote(item: HelpRequest) -> None:
    """The intake worker who handles the request sees the new message in her inbox."""
    if item.handler_id:
        notify(recipient=item.handler, kind="other", message="frontdoor.asker_message",
               params={"ref": display_reference(item.reference)},
               link=reverse("frontdoor:detail", args=[item.pk]))
