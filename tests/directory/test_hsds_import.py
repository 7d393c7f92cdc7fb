"""Importing a region's HSDS 3.0 directory: the standard's own examples, idempotent re-import,
all-or-nothing with the place of each problem, and who may import."""
import copy
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from oneplan.accounts.models import Organisation, Role, Sector
from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied
from oneplan.directory import hsds_import, services
from oneplan.directory.models import (
    Contact,
    Location,
    Service,
    ServiceArea,
    ServiceDomain,
    ServiceLanguage,
)
from tests.directory.factories import ServiceFactory
from tests.factories import OrganisationFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "standards" / "hsds-3.0" / "examples"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"


def example_services() -> list[dict]:
    return [json.loads((EXAMPLES / "service_full.json").read_text())]


def as_json(items) -> bytes:
    return json.dumps(items).encode()


def csv_zip(changes: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((EXAMPLES / "csv").glob("*.csv")):
            text = path.read_text(encoding="utf-8")
            for old, new in (changes or {}).get(path.name, {}).items():
                text = text.replace(old, new)
            archive.writestr(f"hsds/{path.name}", text)
    return buffer.getvalue()


@pytest.fixture
def network_admin():
    return ProfessionalFactory(roles=[Role.NETWORK_ADMIN])


def do_import(actor, name, data, sector=Sector.MENTAL_HEALTH):
    return services.directory_import(actor=actor, parsed=hsds_import.read(name, data), source=name,
                                     new_organisation_sector=sector)


def counts():
    return tuple(m.objects.count() for m in (Organisation, Service, ServiceLanguage, ServiceArea, Location,
                                             Contact, ServiceDomain))


def test_the_standards_json_example_imports(network_admin):
    report = do_import(network_admin, "service_full.json", as_json(example_services()))
    item = Service.objects.get(uuid=SERVICE_ID)
    assert (report.created, report.updated, report.organisations_created) == (1, 0, ["Example Organization Inc."])
    assert str(item.organisation.uuid) == ORG_ID and item.organisation.sector == Sector.MENTAL_HEALTH
    assert (item.name, item.minimum_age, item.maximum_age, item.status) == ("Community Counselling", 12, 100, "active")
    assert item.locations.get().postal_code == "ABC 1234" and item.contacts.get().name == "Ann Persona"
    assert item.areas.count() == 1 and item.phone == '"+44 1234 234567"'
    assert any("ur" in note for note in report.not_kept)  # Urdu is not in oneplan's language list


def test_the_standards_csv_datapackage_imports(network_admin):
    report = do_import(network_admin, "directory.zip", csv_zip())
    item = Service.objects.get(uuid=SERVICE_ID)
    assert report.created == 1 and item.organisation.name == "Example Organization Inc."
    assert item.locations.get().city == "MyCity" and item.contacts.count() == 1


def test_the_list_example_imports_and_a_page_is_read_as_its_contents(network_admin):
    report = do_import(network_admin, "service_list.json", (EXAMPLES / "service_list.json").read_bytes())
    assert report.created == 1


def test_reimport_updates_by_id_and_never_duplicates(network_admin):
    do_import(network_admin, "a.json", as_json(example_services()))
    before = counts()
    changed = example_services()
    changed[0]["name"] = "Community Counselling (new name)"
    report = do_import(network_admin, "a.json", as_json(changed))
    assert (report.created, report.updated) == (0, 1) and counts() == before
    assert Service.objects.get(uuid=SERVICE_ID).name == "Community Counselling (new name)"
    do_import(network_admin, "b.zip", csv_zip())
    assert counts() == before


def test_an_export_imports_back_with_the_same_ids(client, network_admin):
    from oneplan.accounts.services import token_create

    org = OrganisationFactory()
    network_admin.organisations.add(org)
    ServiceFactory(organisation=org, name="Round trip", areas=["Noord"], domains=["housing"])
    _, key = token_create(actor_user=network_admin.user, name="t")
    page = client.get("/hsds/services?full=true", HTTP_AUTHORIZATION=f"Bearer {key}").content
    before = counts()
    report = do_import(network_admin, "export.json", page)
    assert (report.created, report.updated) == (0, 1) and counts() == before


def test_a_broken_json_item_is_reported_with_its_index_and_nothing_is_saved(network_admin):
    items = example_services() * 2
    items[1] = copy.deepcopy(items[1]) | {"id": "not-a-uuid"}
    before = counts()
    with pytest.raises(hsds_import.ImportRejected) as caught:
        do_import(network_admin, "region.json", as_json(items))
    assert any(p.startswith("region.json [1] id:") for p in caught.value.problems)
    assert counts() == before


def test_a_broken_csv_row_is_reported_with_file_and_line_and_nothing_is_saved(network_admin):
    broken = csv_zip({"addresses.csv": {",US,postal": ",US,sideways"}})
    before = counts()
    with pytest.raises(hsds_import.ImportRejected) as caught:
        do_import(network_admin, "region.zip", broken)
    assert caught.value.problems[0].startswith("addresses.csv line 2: address_type: 'sideways'")
    assert counts() == before


def test_what_oneplan_cannot_hold_stops_the_whole_import(network_admin):
    good, bad = example_services()[0], copy.deepcopy(example_services()[0])
    bad.update(id="6f0e4a3c-1111-4a3c-9a3c-6f0e4a3c1111", name="Other", minimum_age=50, maximum_age=20)
    bad["description"] = ""
    with pytest.raises(hsds_import.ImportRejected) as caught:
        do_import(network_admin, "r.json", as_json([good, bad]))
    assert "r.json [1]: description is missing" in " ".join(caught.value.problems)
    assert "r.json [1]: maximum_age is below minimum_age." in caught.value.problems
    assert not Service.objects.exists()


def test_an_org_admin_imports_for_their_own_organisation():
    org = OrganisationFactory(name="Example Organization Inc.")
    admin = ProfessionalFactory(roles=[Role.ORG_ADMIN], organisations=[org])
    report = do_import(admin, "mine.json", as_json(example_services()), sector="")
    assert report.created == 1 and Service.objects.get().organisation == org
    assert AuditEvent.objects.filter(action="directory.import", outcome="allowed").exists()


def test_an_org_admin_is_refused_for_another_organisation_and_it_is_audited():
    admin = ProfessionalFactory(roles=[Role.ORG_ADMIN])
    OrganisationFactory(name="Example Organization Inc.")
    with pytest.raises(AccessDenied):
        do_import(admin, "theirs.json", as_json(example_services()))
    assert not Service.objects.exists()
    assert AuditEvent.objects.filter(action="directory.import", outcome="denied").exists()


def test_a_practitioner_is_refused_and_it_is_audited():
    practitioner = ProfessionalFactory()
    with pytest.raises(AccessDenied):
        do_import(practitioner, "x.json", as_json(example_services()))
    assert AuditEvent.objects.filter(action="directory.import", outcome="denied",
                                     actor_id=practitioner.user_id).exists()


def test_new_organisations_need_a_sector(network_admin):
    with pytest.raises(hsds_import.ImportRejected) as caught:
        do_import(network_admin, "x.json", as_json(example_services()), sector="")
    assert "Example Organization Inc." in caught.value.problems[0]


def test_not_json_and_unknown_files_are_readable_errors(network_admin):
    with pytest.raises(hsds_import.ImportRejected, match="not valid JSON"):
        hsds_import.read("x.json", b"{nope")
    with pytest.raises(hsds_import.ImportRejected, match="give an HSDS"):
        hsds_import.read("x.txt", b"")
    with pytest.raises(hsds_import.ImportRejected, match="not a readable .zip"):
        hsds_import.read("x.zip", b"nope")


def test_the_command_imports_and_reports(network_admin, tmp_path, capsys):
    path = tmp_path / "region.json"
    path.write_bytes(as_json(example_services()))
    call_command("directory", "import", str(path), "--as", network_admin.user.username, "--sector", "mental_health")
    assert "1 services created" in capsys.readouterr().out
    call_command("directory", "import", str(EXAMPLES / "csv"), "--as", network_admin.user.username)
    assert Service.objects.count() == 1


def test_the_command_lists_problems_and_saves_nothing(network_admin, tmp_path):
    path = tmp_path / "region.json"
    path.write_bytes(as_json([example_services()[0] | {"status": "sleeping"}]))
    with pytest.raises(CommandError, match=r"region.json \[0\] status: 'sleeping'"):
        call_command("directory", "import", str(path), "--as", network_admin.user.username, "--sector",
                     "mental_health")
    assert not Service.objects.exists()
