"""E-mail through the outbox: `send` stores it with the transaction, the worker sends it."""
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid

from oneplan.core import outbox

KIND = "email"


def send(*, to: str, subject: str, text: str, html: str = "") -> None:
    outbox.put(KIND, message(to=to, subject=subject, text=text, html=html))


def message(*, to: str, subject: str, text: str, html: str = "") -> dict:
    return {"to": to, "subject": subject, "text": text, "html": html}


def send_many(messages: list[dict]) -> None:
    """Several e-mails (each made by `message`) in one INSERT."""
    outbox.put_many(KIND, messages)


def deliver(payload: dict, message) -> None:
    send_now(payload, message)


def send_now(payload: dict, message) -> None:
    """Hand one e-mail (to, subject, text, html) of outbox `message` to the mail backend."""
    email = EmailMultiAlternatives(
        subject=payload["subject"], body=payload["text"], to=[payload["to"]],
        from_email=settings.DEFAULT_FROM_EMAIL,
        # The same outbox message always has the same Message-ID, so a repeat is recognisable.
        headers={"Message-ID": make_msgid(f"outbox-{message.pk}", domain="oneplan"),
                 "X-Oneplan-Outbox": str(message.pk)})
    if payload.get("html"):
        email.attach_alternative(payload["html"], "text/html")
    email.send()


outbox.HANDLERS[KIND] = deliver
