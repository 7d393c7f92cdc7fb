"""Text messages through the outbox: `send` stores one with the transaction, the worker sends it
through the sender named in ONEPLAN["SMS_SENDER"].

Two senders ship: `ConsoleSender` (the default: writes the message to the log, for development
and installations without a provider) and `HttpSender` (POSTs JSON {"to", "text"} with a bearer
token to ONEPLAN["SMS_URL"], the shape most SMS gateways and a small relay accept). Another
provider is a class with `send(to, text)` named in the setting.
"""
import json
import logging
import re
import urllib.request
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from oneplan.core import outbox

KIND = "sms"
MAX_LENGTH = 480  # three concatenated messages at most
log = logging.getLogger(__name__)


def normalise_number(value: str) -> str:
    """A phone number as digits with an optional leading +, or "" when it cannot be one."""
    value = (value or "").strip()
    digits = re.sub(r"[\s().-]", "", value)
    if not re.fullmatch(r"\+?\d{6,15}", digits):
        return ""
    return digits


def send(*, to: str, text: str) -> None:
    number = normalise_number(to)
    if not number:
        raise ValueError("not a phone number")
    outbox.put(KIND, {"to": number, "text": text[:MAX_LENGTH]})


class ConsoleSender:
    def send(self, to: str, text: str) -> None:
        log.warning("SMS to %s: %s", to, text)


class HttpSender:
    timeout = 10

    def send(self, to: str, text: str) -> None:
        url = settings.ONEPLAN.get("SMS_URL")
        if not url:
            raise RuntimeError("ONEPLAN_SMS_URL is not set")
        body = json.dumps({"to": to, "text": text}).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {settings.ONEPLAN.get('SMS_TOKEN', '')}"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (URL is a setting)
            if response.status >= 300:
                raise RuntimeError(f"SMS gateway answered {response.status}")


@lru_cache(maxsize=4)
def _sender(path: str):
    return import_string(path)()


def deliver(payload: dict, message) -> None:
    _sender(settings.ONEPLAN.get("SMS_SENDER", "oneplan.core.sms.ConsoleSender")).send(
        payload["to"], payload["text"])


outbox.HANDLERS[KIND] = deliver
