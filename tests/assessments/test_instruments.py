import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oneplan.assessments.loader import load, parse
from oneplan.core.errors import InvalidInput
from tests.assessments.factories import life_domains

pytestmark = pytest.mark.django_db

GOOD = """
key: test-instrument
name: Test
domains:
  - key: housing
    name: Housing
    personal: false
    levels: {1: a, 2: b, 3: c, 4: d, 5: e}
"""


def test_default_instruments_cover_the_life_domains_and_girfec():
    domains = {d["key"] for d in life_domains().domains}
    assert {"finances_debts", "housing", "parenting", "mental_health", "safety", "justice"} <= domains
    assert len(domains) == 14
    from oneplan.assessments.models import Instrument
    girfec = Instrument.objects.get(key="girfec-wellbeing", is_active=True)
    assert [d["key"] for d in girfec.domains] == ["safe", "healthy", "achieving", "nurtured", "active",
                                                  "respected", "responsible", "included"]


@pytest.mark.parametrize("text,message", [
    (GOOD.replace("key: housing", "key: housing\n    x: 1") + GOOD.split("domains:\n")[1], "used twice"),
    (GOOD.replace("5: e", "5: ''"), "every level needs a description"),
    (GOOD.replace(", 5: e", ""), "level 5 is missing"),
    (GOOD.replace("5: e", "6: e"), "outside the 1-5 scale"),
    (GOOD.replace("name: Housing", "name: ''"), "'name' is missing"),
    ("just text", "expected a mapping"),
    ("key: [", "not valid YAML"),
])
def test_bad_instrument_files_are_refused_with_the_domain_named(text, message):
    with pytest.raises(InvalidInput, match=message):
        parse(text, source="bad.yaml")


def test_changed_file_becomes_a_new_version_and_old_one_stays():
    first, created = load(GOOD)
    same, created_again = load(GOOD)
    second, _ = load(GOOD.replace("1: a", "1: acute"))
    assert (created, created_again, same.pk) == (True, False, first.pk)
    assert second.version == first.version + 1
    first.refresh_from_db()
    assert not first.is_active and first.domains[0]["levels"]["1"] == "a"


def test_command_loads_a_file_and_reports_errors(tmp_path, capsys):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(GOOD)
    bad.write_text(GOOD.replace(", 5: e", ""))
    call_command("instruments", "load", str(good))
    assert "loaded as test-instrument version 1" in capsys.readouterr().out
    with pytest.raises(CommandError, match="bad.yaml, domain 'housing': level 5 is missing"):
        call_command("instruments", "load", str(bad))


def test_only_network_admin_may_upload(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from oneplan.audit.models import AuditEvent
    from tests.factories import ProfessionalFactory

    user = ProfessionalFactory().user
    client.force_login(user)
    response = client.post("/assessments/instruments/", {"file": SimpleUploadedFile("x.yaml", GOOD.encode())})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor_id=user.pk, outcome="denied", action="instrument.load").exists()
    admin = ProfessionalFactory(roles=["network_admin"]).user
    client.force_login(admin)
    response = client.post("/assessments/instruments/", {"file": SimpleUploadedFile("x.yaml", GOOD.encode())})
    assert response.status_code == 302
