"""A local receiving system (http.server in a thread), an independent signature check, and org
admins with endpoints made through the service."""
import base64
import hashlib
import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from oneplan.accounts.models import Role
from oneplan.core import events
from oneplan.webhooks import services
from tests.factories import ProfessionalFactory


def verify(secret: str, headers: dict, body: bytes) -> dict:
    """Standard Webhooks verification written from the spec, not from our code: the key is the
    base64 after `whsec_`, the signed content `id.timestamp.body`, the header a space-separated
    list of `v1,<base64>`."""
    key = base64.b64decode(secret.split("_", 1)[1])
    headers = {k.lower(): v for k, v in headers.items()}
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = hmac.new(key, signed, hashlib.sha256).digest()
    for item in headers["webhook-signature"].split(" "):
        version, _, value = item.partition(",")
        if version == "v1" and hmac.compare_digest(base64.b64decode(value), expected):
            return json.loads(body)
    raise AssertionError("no valid signature")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Receiver:
    """A partner system on this machine: records every POST, answers `status`; may be down."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.requests: list[tuple[dict, bytes]] = []
        self.status = 200
        self.server = None
        self.lock = threading.Lock()

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"thanks" if receiver.status < 300 else b"not now")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def bodies(self) -> list[dict]:
        return [json.loads(body) for _, body in self.requests]


def org_admin(organisation=None):
    pro = ProfessionalFactory(roles=[Role.ORG_ADMIN, Role.PRACTITIONER],
                              **({"organisations": [organisation]} if organisation else {}))
    return pro


def endpoint(organisation, *, url="http://127.0.0.1:9/hook", types=events.TYPES, admin=None):
    """An endpoint of `organisation` made by one of its admins; returns (endpoint, secret)."""
    admin = admin or org_admin(organisation)
    return services.endpoint_create(actor=admin, organisation_id=organisation.pk, url=url,
                                    event_types=list(types))
