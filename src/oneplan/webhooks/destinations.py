"""Where a webhook may go: never into our own network (server-side request forgery).

A URL is checked when it is registered and again at every delivery, and the connection itself
is checked once made (the address actually connected to), so a name that resolves to a public
address at registration and to a private one later (DNS rebinding) is still refused. Private,
loopback, link-local, multicast, reserved and unspecified addresses are refused unless
ONEPLAN['WEBHOOKS_ALLOW_PRIVATE'] is true (development and tests with a local receiver); plain
http is allowed only then too. Redirects are not followed (the spec counts a 3xx as a failure),
and no proxy from the environment is used.
"""
import http.client
import ipaddress
import socket
import ssl
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from oneplan.core.errors import InvalidInput

TIMEOUT = 10  # seconds; a receiver should answer at once and do its work afterwards


class UnsafeDestination(InvalidInput):
    """The URL or the address it leads to is not one oneplan sends webhooks to."""


def allow_private() -> bool:
    return bool(settings.ONEPLAN.get("WEBHOOKS_ALLOW_PRIVATE", False))


def refused_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


def check_url(url: str) -> None:
    """Refuse a URL oneplan will not call (raises UnsafeDestination with a readable reason)."""
    parts = urlsplit(url or "")
    schemes = ("https", "http") if allow_private() else ("https",)
    if parts.scheme not in schemes:
        raise UnsafeDestination(_("Give an https:// address."), field="url")
    try:
        host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        host = port = None
    if not host:
        raise UnsafeDestination(_("Give a complete address, with the name of the host."), field="url")
    if parts.username or parts.password:
        raise UnsafeDestination(_("Leave the user name and password out of the address."), field="url")
    if allow_private():
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError):
        raise UnsafeDestination(_("The host %(host)s cannot be found.") % {"host": host}, field="url")
    if not addresses or any(refused_address(a) for a in addresses):
        raise UnsafeDestination(_("%(host)s leads to a private or local network address; oneplan "
                                  "only sends webhooks to public addresses.") % {"host": host},
                                field="url")


def _connect(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, *args, **kwargs):
    sock = socket.create_connection(address, timeout, source_address, *args, **kwargs)
    if not allow_private() and refused_address(sock.getpeername()[0]):
        sock.close()
        raise UnsafeDestination(_("%(host)s leads to a private or local network address.")
                                % {"host": address[0]})
    return sock


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_HTTPSConnection, req, context=ssl.create_default_context())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx answer comes back as an HTTPError: a failed attempt


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect(), _HTTPHandler(),
                                      _HTTPSHandler())


def post(url: str, data: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST and return (status, the first 500 characters of the answer); raises on a network
    failure or a refused address. Any status comes back, 2xx or not."""
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=TIMEOUT) as response:
            return response.status, _excerpt(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, _excerpt(error)


def _excerpt(response) -> str:
    try:
        return response.read(2000).decode("utf-8", "replace")[:500]
    except (OSError, http.client.HTTPException):
        return ""
