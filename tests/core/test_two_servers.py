"""Two app servers against one PostgreSQL: nothing depends on process-local state. A login made on
one is valid on the other, failed logins counted on one slow the next try on the other, and audit
events written through either seal into one log (docs/scaling.md)."""
import http.client
import os
import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection

from oneplan import settings as production_settings
from oneplan.audit.models import AuditEvent
from oneplan.audit.services import seal, verify
from oneplan.bench.http import server
from tests.factories import ProfessionalFactory, family_with_team

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"


def _database_url() -> str:
    db = connection.settings_dict  # the test database (settings still name the original)
    return (f"postgres://{db['USER'] or 'root'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
            f"{db['NAME']}")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "oneplan.settings", "DATABASE_URL": "", "ONEPLAN_DEBUG": "0",
            "ONEPLAN_SSL_REDIRECT": "0",
            "ONEPLAN_SECRET_KEY": settings.SECRET_KEY, "ONEPLAN_FIELD_KEY": settings.FIELD_ENCRYPTION_KEY,
            "ONEPLAN_INDEX_KEY": settings.INDEX_HASH_KEY, "ONEPLAN_AUDIT_KEYS": settings.AUDIT_KEYS,
            "ONEPLAN_AUDIT_SIGNING_KEY": settings.AUDIT_SIGNING_KEY,
            "ONEPLAN_VAR_DIR": str(tmp_path_factory.mktemp("var")),
            "ONEPLAN_AUDIT_CHECKPOINT_DIR": str(tmp_path_factory.mktemp("checkpoints"))}


@pytest.fixture(scope="module")
def two_servers(env, django_db_setup):
    if connection.vendor != "postgresql":
        pytest.skip("two app servers share one PostgreSQL (SQLite is one machine's database)")
    run_env = {**env, "DATABASE_URL": _database_url()}
    with server(run_env, workers=1, threads=2, collectstatic=True) as a, \
            server(run_env, workers=1, threads=2) as b:
        yield a, b


@pytest.fixture(autouse=True)
def _production_hashers(settings):
    """The servers run production settings: passwords must be hashed as production hashes them."""
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS


class Tab:
    def __init__(self, port: int):
        self.port, self.jar = port, {}

    def request(self, method: str, path: str, body: dict | None = None, port: int | None = None):
        port = port or self.port
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{port}",
                   "Referer": f"https://127.0.0.1:{port}{path}",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, val = value.split(";", 1)[0].partition("=")
                self.jar[key.strip()] = val.strip()
        return response.status, text

    def login(self, username: str, password: str, port: int | None = None):
        status, page = self.request("GET", "/login/", port=port)
        assert status == 200, (status, page[:500])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request("POST", "/login/", {"username": username, "password": password,
                                                "csrfmiddlewaretoken": token}, port=port)


def test_a_login_on_one_server_is_valid_on_the_other(two_servers):
    a, b = two_servers
    professional = ProfessionalFactory()
    tab = Tab(a)
    status, _ = tab.login(professional.user.username, PASSWORD)
    assert status == 302
    status, page = tab.request("GET", "/families/", port=b)
    assert status == 200 and professional.user.display_name in page


def test_failed_logins_on_one_server_slow_the_next_try_on_the_other(two_servers):
    a, b = two_servers
    professional = ProfessionalFactory()
    for _ in range(settings.ONEPLAN["LOGIN_LIMITS"]["SLOW_AFTER"]):
        Tab(a).login(professional.user.username, "wrong password")
    status, page = Tab(b).login(professional.user.username, PASSWORD, port=b)
    assert status != 302 and "Too many failed attempts" in page


def test_events_written_through_either_server_seal_into_one_log(two_servers):
    a, b = two_servers
    professional = ProfessionalFactory()
    family = family_with_team(coordinator=professional)
    tab = Tab(a)
    tab.login(professional.user.username, PASSWORD)
    assert tab.request("GET", f"/families/{family.pk}/")[0] == 200
    assert tab.request("GET", f"/families/{family.pk}/", port=b)[0] == 200
    seal()
    reads = AuditEvent.objects.filter(action="family.read", family_id=family.pk).order_by("seq")
    assert reads.count() == 2 and all(e.seq for e in reads)
    assert verify().ok
