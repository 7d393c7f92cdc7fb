"""The import page: organisation and network admins upload an HSDS file; others are refused."""
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from oneplan.accounts.models import Role
from oneplan.audit.models import AuditEvent
from oneplan.directory.models import Service
from tests.factories import OrganisationFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "standards" / "hsds-3.0" / "examples" / "service_full.json"


def upload(content: bytes, name="region.json"):
    return SimpleUploadedFile(name, content, content_type="application/json")


def example() -> bytes:
    return json.dumps([json.loads(EXAMPLE.read_text())]).encode()


def test_a_network_admin_imports_a_file_and_sees_what_happened(client):
    admin = ProfessionalFactory(roles=[Role.NETWORK_ADMIN])
    client.force_login(admin.user)
    assert client.get("/directory/import/").status_code == 200
    response = client.post("/directory/import/", {"file": upload(example()), "sector": "mental_health"})
    assert response.status_code == 200 and "1 services added." not in response.content.decode()
    assert "1 service added." in response.content.decode()
    assert Service.objects.count() == 1


def test_problems_are_listed_with_their_place_and_nothing_is_saved(client):
    admin = ProfessionalFactory(roles=[Role.NETWORK_ADMIN])
    client.force_login(admin.user)
    broken = json.loads(example())
    broken[0]["id"] = "x"
    response = client.post("/directory/import/", {"file": upload(json.dumps(broken).encode()),
                                                  "sector": "mental_health"})
    assert response.status_code == 400
    assert "region.json [0] id: &#x27;x&#x27; is not a &#x27;uuid&#x27;" in response.content.decode()
    assert not Service.objects.exists()


def test_an_org_admin_has_no_sector_choice_and_imports_for_their_organisation(client):
    org = OrganisationFactory(name="Example Organization Inc.")
    admin = ProfessionalFactory(roles=[Role.ORG_ADMIN], organisations=[org])
    client.force_login(admin.user)
    assert "sector" not in client.get("/directory/import/").context["form"].fields
    client.post("/directory/import/", {"file": upload(example())})
    assert Service.objects.get().organisation == org


def test_the_page_is_refused_to_a_practitioner_and_audited(client):
    practitioner = ProfessionalFactory()
    client.force_login(practitioner.user)
    assert client.get("/directory/import/").status_code == 403
    assert AuditEvent.objects.filter(action="directory.import_page", outcome="denied").exists()


def test_a_file_of_another_kind_is_a_form_error(client):
    admin = ProfessionalFactory(roles=[Role.NETWORK_ADMIN])
    client.force_login(admin.user)
    response = client.post("/directory/import/", {"file": upload(b"x", name="region.txt")})
    assert response.status_code == 400 and response.context["form"].errors["file"]


def test_services_of_another_organisation_are_refused_on_the_page_and_audited(client):
    admin = ProfessionalFactory(roles=["org_admin"], organisations=[OrganisationFactory()])
    client.force_login(admin.user)
    with EXAMPLE.open("rb") as upload:
        response = client.post("/directory/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 403 and "organisations you administer" in page and 'type="file"' in page
    assert AuditEvent.objects.filter(action="directory.import", outcome="denied", actor_id=admin.user_id).exists()
