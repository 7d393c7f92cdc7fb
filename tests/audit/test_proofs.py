"""Inclusion proofs: `oneplan audit prove` and `check-proof`, offline checks, and the privacy
officer's page with a download per event and an upload that says valid or not valid."""
import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from oneplan.audit import checkpoints, keys, proofs
from oneplan.audit.models import AuditEvent
from oneplan.audit.services import append_sealed, checkpoint
from tests.audit.helpers import sealed_events
from tests.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db


def _proof(n=5, which=2) -> tuple[dict, AuditEvent]:
    events = sealed_events(n, published=True)
    return proofs.build(events[which].id), events[which]


def _officer():
    return ProfessionalFactory(roles=["privacy_officer"])


def test_prove_writes_a_proof_that_check_proof_accepts(tmp_path, capsys):
    event = sealed_events(5, published=True)[3]
    call_command("audit", "prove", str(event.id))
    path = tmp_path / "proof.json"
    path.write_text(capsys.readouterr().out)
    call_command("audit", "check-proof", str(path))
    out = capsys.readouterr().out
    assert out.startswith("Valid:") and f"event #{event.id}" in out.lower()


def test_a_proof_carries_the_event_its_place_the_signed_checkpoint_and_the_path():
    proof, event = _proof()
    assert proof["event"]["reason"] == event.reason and proof["event"]["hash"] == event.hash
    assert proof["leaf_index"] == event.seq - 1
    assert {"checkpoint", "signature", "public_key", "audit_path"} <= set(proof)


def test_a_proof_with_a_changed_event_is_not_valid():
    proof, event = _proof()
    proof["event"]["reason"] = "nothing to see"
    result = proofs.check(proof)
    assert not result.valid and "the proof or the event was changed" in result.message


def test_a_proof_with_a_changed_checkpoint_is_not_valid():
    proof, _event = _proof()
    proof["checkpoint"]["tree_size"] += 1
    result = proofs.check(proof)
    assert not result.valid and "changed after it was signed" in result.message


def test_a_proof_signed_with_another_key_is_not_valid():
    proof, _event = _proof()
    stranger = Ed25519PrivateKey.generate()
    body = {**proof["checkpoint"], "key_id": keys.key_id(stranger.public_key())}
    proof.update({k: v for k, v in checkpoints.sign(body, stranger, None).items() if k != "consistency"})
    result = proofs.check(proof)
    assert not result.valid and "not signed with this installation's audit signing key" in result.message


def test_a_proof_with_a_changed_path_is_not_valid():
    proof, _event = _proof(9)
    first = bytes.fromhex(proof["audit_path"][0])
    proof["audit_path"][0] = bytes([first[0] ^ 1]).hex() + first[1:].hex()
    assert not proofs.check(proof).valid


def test_check_proof_command_fails_on_a_tampered_proof(tmp_path):
    proof, _event = _proof()
    proof["event"]["actor_label"] = "someone else"
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(proof))
    with pytest.raises(CommandError, match="Not valid"):
        call_command("audit", "check-proof", str(path))


def test_a_proof_is_checked_without_the_database(django_db_blocker):
    proof, event = _proof()
    with django_db_blocker.block():
        result = proofs.check(json.loads(json.dumps(proof)))
    assert result.valid and result.event_id == event.id


def test_no_proof_before_the_event_is_in_a_checkpoint():
    sealed_events(2, published=True)
    newer = sealed_events(1)[0]
    with pytest.raises(proofs.ProofUnavailable, match="not in a signed checkpoint yet"):
        proofs.build(newer.id)


@pytest.mark.parametrize("size", [300, 3000])
def test_a_proof_reads_a_few_rows_at_any_log_size(size, django_assert_max_num_queries):
    now = timezone.now()
    append_sealed({"at": now, "action": "family.read", "family_id": n} for n in range(size))
    checkpoint(force=True)
    middle = AuditEvent.objects.get(seq=size // 2)
    with django_assert_max_num_queries(5):
        proof = proofs.build(middle.id)
    assert proofs.check(proof).valid


def test_officer_downloads_the_proof_of_an_event(client):
    event = sealed_events(3, published=True)[1]
    client.force_login(_officer().user)
    page = client.get("/audit/").content.decode()
    assert f'href="/audit/events/{event.id}/proof.json"' in page
    response = client.get(f"/audit/events/{event.id}/proof.json")
    assert response["Content-Disposition"] == f'attachment; filename="audit-proof-{event.id}.json"'
    assert proofs.check(json.loads(response.content)).valid
    assert AuditEvent.objects.filter(action="audit.proof", object_id=str(event.id)).exists()


def test_an_event_not_yet_in_a_checkpoint_has_no_download_link(client):
    event = sealed_events(1)[0]
    client.force_login(_officer().user)
    page = client.get("/audit/").content.decode()
    assert f"/audit/events/{event.id}/proof.json" not in page and "After the next checkpoint" in page


def test_a_professional_without_the_role_gets_no_proof(client, professional):
    event = sealed_events(1, published=True)[0]
    client.force_login(professional.user)
    assert client.get(f"/audit/events/{event.id}/proof.json").status_code == 403


def _upload(client, data: bytes):
    return client.post("/audit/check-proof/", {"proof": SimpleUploadedFile("proof.json", data)})


def test_officer_checks_a_proof_and_reads_it_is_valid(client):
    proof, event = _proof()
    client.force_login(_officer().user)
    page = _upload(client, json.dumps(proof).encode()).content.decode()
    assert "This proof is valid." in page and f"Event #{event.id}" in page


def test_officer_checks_a_changed_proof_and_reads_it_is_not_valid(client):
    proof, _event = _proof()
    proof["event"]["reason"] = "nothing to see"
    client.force_login(_officer().user)
    page = _upload(client, json.dumps(proof).encode()).content.decode()
    assert "This proof is not valid." in page and 'role="alert"' in page


def test_a_file_that_is_not_json_is_a_form_error(client):
    client.force_login(_officer().user)
    response = _upload(client, base64.b64decode("iVBORw0KGgo="))
    assert response.status_code == 400 and "it is not JSON" in response.content.decode()


def test_the_proof_page_speaks_dutch(client):
    proof, _event = _proof()
    client.force_login(_officer().user)
    page = client.post("/audit/check-proof/", {"proof": SimpleUploadedFile("p.json", json.dumps(proof).encode())},
                       HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Bewijs controleren" in page and "Dit bewijs is geldig." in page
