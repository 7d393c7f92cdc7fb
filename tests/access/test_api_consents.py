"""A family's consents through the REST API: keyset pages, modified_since, refusals audited."""
import datetime as dt

import pytest
from django.utils import timezone

from oneplan.access.models import Consent
from oneplan.audit.models import AuditEvent
from tests.api.conftest import Caller, assert_problem
from tests.factories import ProfessionalFactory, consent_for, family_with_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(professional):
    return family_with_team(coordinator=professional)


def test_the_team_reads_the_consents_given_and_withdrawn(client, professional, family):
    given = consent_for(family, categories=["health"])
    withdrawn = consent_for(family, categories=["finance"])
    Consent.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now(), withdrawn_reason="No.")
    body = Caller(client, professional).get(f"/families/{family.pk}/consents").json()
    assert [(c["id"], c["withdrawn_reason"]) for c in body["items"]] == [(given.pk, ""),
                                                                          (withdrawn.pk, "No.")]
    assert body["items"][0]["given_by"] == [family.memberships.order_by("person__date_of_birth")
                                            .first().person_id]
    assert AuditEvent.objects.filter(actor_id=professional.user.pk, action="consent.read").exists()


def test_keyset_pages_neither_skip_nor_repeat_when_consents_are_added(client, professional, family):
    made = [consent_for(family, categories=["health"]) for _ in range(3)]
    caller = Caller(client, professional)
    first = caller.get(f"/families/{family.pk}/consents", limit=2).json()
    later = consent_for(family, categories=["safety"])
    second = caller.get(f"/families/{family.pk}/consents", limit=2, cursor=first["next"]).json()
    assert [c["id"] for c in first["items"] + second["items"]] == [*[c.pk for c in made], later.pk]
    assert second["next"] is None


def test_modified_since_finds_recorded_and_withdrawn_consents(client, professional, family):
    old, withdrawn, new = (consent_for(family, categories=["health"]) for _ in range(3))
    earlier = timezone.now() - dt.timedelta(days=2)
    Consent.objects.filter(pk__in=[old.pk, withdrawn.pk, new.pk]).update(recorded_at=earlier)
    Consent.objects.filter(pk=new.pk).update(recorded_at=timezone.now())
    Consent.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    body = Caller(client, professional).get(f"/families/{family.pk}/consents",
                                            modified_since=since).json()
    assert [c["id"] for c in body["items"]] == [withdrawn.pk, new.pk]


def test_someone_outside_the_team_cannot_read_consents_and_is_audited(client, family):
    stranger = ProfessionalFactory()
    assert_problem(Caller(client, stranger).get(f"/families/{family.pk}/consents"), 404)
    assert AuditEvent.objects.filter(actor_id=stranger.user.pk, family_id=family.pk,
                                     outcome="denied").exists()
