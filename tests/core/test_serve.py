"""`oneplan serve`: the production server, debug off, logs a professional in and serves static files.

It runs on the suite's test database (fresh and migrated; SQLite or PostgreSQL, whichever the run uses)."""
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from oneplan.core.management.commands.serve import SERVERS, server_argv
from tests.core.production import production_env
from tests.factories import ProfessionalFactory

# The proxy in front of oneplan terminates TLS and says so in this header (SECURE_PROXY_SSL_HEADER).
HTTPS = {"X-Forwarded-Proto": "https"}


def _database_url() -> str:
    """The test database (fresh, migrated by pytest-django) as the server process's DATABASE_URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'])}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Just enough of a browser: keeps cookies (Secure ones too: TLS is the proxy's job)."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers={**(headers or {}), **({"Cookie": cookie} if cookie else {})})
        response = conn.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, val = value.split(";", 1)[0].partition("=")
                self.cookies[key] = val
        conn.close()
        return response, content


@pytest.fixture
def server(tmp_path, settings):
    # A hasher production knows (the suite's fast MD5 one is not in production's list).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    ProfessionalFactory(user__username="serve-test", user__password="serve-test-password-1")
    env = production_env(tmp_path, DATABASE_URL=_database_url())
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "oneplan.cli", "serve", "--port", str(port),
                                "--workers", "2"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"oneplan serve did not start:\n{process.communicate()[0]}")
                time.sleep(0.2)
        yield Browser(port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.django_db(transaction=True)  # the server process sees the user the test commits
def test_production_server_logs_in_and_serves_the_caseload_and_static_files(server):
    health, _ = server.request("GET", "/healthz")
    assert health.status == 200  # a load balancer's plain-HTTP check is not redirected
    plain, _ = server.request("GET", "/login/")
    assert plain.status == 301 and plain.getheader("Location").startswith("https://")

    login_page, html = server.request("GET", "/login/", headers=HTTPS)
    assert login_page.status == 200
    assert "max-age=31536000" in login_page.getheader("Strict-Transport-Security")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()
    logged_in, _ = server.request(
        "POST", "/login/", body=f"username=serve-test&password=serve-test-password-1&csrfmiddlewaretoken={token}",
        headers={**HTTPS, "Content-Type": "application/x-www-form-urlencoded",
                 "Referer": f"https://127.0.0.1:{server.port}/login/"})
    assert logged_in.status == 302, "login through the production server failed"
    assert "sessionid" in server.cookies

    caseload, html = server.request("GET", "/families/", headers=HTTPS)
    assert caseload.status == 200
    css = re.search(rb'href="(/static/oneplan/app\.[0-9a-f]{12}\.css)"', html).group(1).decode()
    static, body = server.request("GET", css, headers=HTTPS)
    assert static.status == 200 and static.getheader("Content-Type").startswith("text/css")
    assert "immutable" in static.getheader("Cache-Control")  # WhiteNoise: hashed name, cached for ever
    assert b"{" in body


def test_serve_refuses_to_run_with_debug_on(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="refuses to run with ONEPLAN_DEBUG on"):
        call_command("serve")


@pytest.mark.parametrize("server", SERVERS)
def test_both_measured_servers_are_installed_and_run_the_wsgi_application(server):
    argv = server_argv(server, host="127.0.0.1", port=8000, workers=2, threads=4)
    assert Path(argv[0]).name == server and os.access(argv[0], os.X_OK)
    assert "oneplan.wsgi:application" in argv


def test_an_unknown_server_is_refused():
    with pytest.raises(CommandError, match="Unknown server 'uwsgi'"):
        server_argv("uwsgi", host="127.0.0.1", port=8000, workers=2, threads=4)
