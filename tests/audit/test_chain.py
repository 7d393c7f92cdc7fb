import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from oneplan.audit.models import AuditEvent
from oneplan.audit.services import record, seal, verify
from tests.audit.helpers import sealed_events, sql

pytestmark = pytest.mark.django_db


def _events(n=5):
    return sealed_events(n)


def test_events_link_to_the_previous_hash():
    first, second = _events(2)
    assert second.prev_hash == first.hash and second.seq == first.seq + 1
    assert verify().ok


def test_an_event_is_written_without_a_place_in_the_chain_until_sealed():
    seal()
    event = record(None, "test.event")
    assert (event.seq, event.hash) == (None, "")
    assert "Not sealed yet: 1 newer events" in verify().message
    assert seal() >= 1
    event.refresh_from_db()
    assert event.seq and len(event.hash) == 64 and verify().ok


def test_an_event_committed_late_is_sealed_next_not_skipped():
    """A transaction that took its id earlier but committed after a higher id was sealed."""
    top = _events(1)[0].id
    newer = AuditEvent(id=top + 10, action="test.newer")
    newer.save()
    seal()
    late = AuditEvent(id=top + 5, action="test.late")
    late.save()
    assert seal() == 1
    newer.refresh_from_db(), late.refresh_from_db()
    assert late.seq == newer.seq + 1 and verify().ok


def test_verify_detects_a_deleted_row_in_the_middle():
    events = _events(5)
    sql("DELETE FROM audit_auditevent WHERE id = %s", [events[2].id])
    report = verify()
    assert (report.ok, report.kind, report.broken_at) == (False, "deleted", events[3].id)
    assert "missing" in report.message


def test_verify_detects_deleted_newest_rows_by_the_chain_head():
    events = _events(5)
    sql("DELETE FROM audit_auditevent WHERE id >= %s", [events[3].id])
    report = verify()
    assert (report.ok, report.kind) == (False, "truncated")
    assert "newest events were deleted" in report.message


def test_model_refuses_to_change_or_delete_an_event():
    event = _events(1)[0]
    event.reason = "changed"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_verify_command_seals_then_reports_intact_chain(capsys):
    before = AuditEvent.objects.count()  # migrations load the default instruments, audited
    for i in range(3):
        record(None, "test.event", reason=f"event {i}")
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert f"{before + 3} events verified" in out and "Sealed" in out


def test_verify_command_fails_on_broken_chain():
    events = _events(3)
    sql("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [events[0].id])
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit", "verify")


def test_refusal_is_kept_when_the_service_rolls_back(professional):
    from oneplan.core.errors import NotFound
    from oneplan.families import services
    from tests.factories import family_with_team

    family = family_with_team()
    with pytest.raises(NotFound):
        services.network_member_add(actor=professional, family_id=family.pk, name="Oma",
                                    relation="grandparent", support="childcare", strength="strong",
                                    load=2)
    event = AuditEvent.objects.get(outcome="denied")
    assert (event.actor_id, event.family_id, event.action) == (
        professional.user_id, family.pk, "network.edit")


def _officer():
    from tests.factories import ProfessionalFactory

    return ProfessionalFactory(roles=["privacy_officer"])


def test_officer_searches_log_by_family_reference(client, professional):
    from oneplan.families import selectors
    from tests.factories import family_with_team

    family, other = family_with_team(coordinator=professional), family_with_team(coordinator=professional)
    selectors.family_file(actor=professional, family_id=family.pk)
    selectors.family_file(actor=professional, family_id=other.pk)
    client.force_login(_officer().user)
    page = client.get("/audit/", {"family": family.reference}).content.decode()
    assert f"families.family {family.pk}" in page
    assert f"families.family {other.pk}" not in page


def test_officer_searches_log_by_person_bsn_and_period(professional):
    import datetime as dt

    from oneplan.access.audit_log import audit_search
    from oneplan.families import services

    family = services.family_register(actor=professional, name="Test", members=[services.NewPerson(
        "Mila", "Jansen", dt.date(2015, 1, 1), "child", national_id="111222333")])
    today = dt.date.today()
    found = audit_search(actor=_officer(), person_bsn="111222333", date_from=today, date_to=today)
    assert {e.family_id for e in found} == {family.pk}
    assert not audit_search(actor=_officer(), person_bsn="111222333",
                            date_from=today + dt.timedelta(days=1)).exists()


def test_invalid_bsn_in_search_is_a_form_error(client):
    client.force_login(_officer().user)
    response = client.get("/audit/", {"person_bsn": "123"})
    assert "nine digits" in response.content.decode()


def test_officer_searches_log_by_professional(professional):
    from oneplan.access.audit_log import audit_search
    from oneplan.families import selectors
    from tests.factories import family_with_team

    family = family_with_team(coordinator=professional)
    selectors.family_file(actor=professional, family_id=family.pk)
    found = audit_search(actor=_officer(), professional=professional.user.username)
    assert [e.action for e in found] == ["family.read"]
