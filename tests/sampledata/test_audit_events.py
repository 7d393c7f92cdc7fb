"""Synthetic audit events for the benchmarks are sealed as the live ones are: keyed links and the
Merkle tree, so the log verifies and the next checkpoint covers them."""
import pytest

from oneplan.audit.models import AuditEvent
from oneplan.audit.services import checkpoint, record, seal, verify
from oneplan.sampledata.synthetic import generate, generate_audit_events

pytestmark = pytest.mark.django_db


def test_generated_audit_events_follow_the_live_ones_in_a_log_that_verifies():
    generate(families=5, seed=3)
    record(None, "test.live")
    made = generate_audit_events(total=AuditEvent.objects.count() + 600)
    record(None, "test.after")
    seal()
    assert made == 600 and checkpoint(force=True)
    report = verify()
    assert report.ok, report.message
    assert AuditEvent.objects.order_by("-seq").first().action == "test.after"
