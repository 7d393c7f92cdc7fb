"""Text messages through the outbox and the pluggable senders."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from oneplan.core import outbox, sms
from oneplan.core.models import OutboxMessage


def test_numbers_are_normalised_or_refused():
    assert sms.normalise_number("+31 (6) 1234-5678") == "+31612345678"
    assert sms.normalise_number("call me") == ""


@pytest.mark.django_db
def test_a_text_message_is_stored_in_the_outbox():
    sms.send(to="06 1234 5678", text="Hello")
    assert OutboxMessage.objects.get(kind="sms").payload == {"to": "0612345678", "text": "Hello"}


def test_a_message_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        sms.send(to="nobody", text="Hello")


def test_the_http_sender_posts_to_the_gateway(settings):
    received = []

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers["Authorization"], json.loads(body)))
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.handle_request, daemon=True).start()
    settings.ONEPLAN = {**settings.ONEPLAN, "SMS_URL": f"http://127.0.0.1:{server.server_port}/send",
                        "SMS_TOKEN": "t0ken", "SMS_SENDER": "oneplan.core.sms.HttpSender"}
    sms.deliver({"to": "+31612345678", "text": "Hi"}, None)
    server.server_close()
    assert received == [("Bearer t0ken", {"to": "+31612345678", "text": "Hi"})]


def test_the_handler_is_registered():
    assert outbox.HANDLERS["sms"] is sms.deliver
