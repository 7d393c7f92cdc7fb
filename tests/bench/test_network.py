"""The care-network benchmark: generated services and referrals are valid, its scenarios answer,
and the directory search and referral queue take as many queries at any data size."""
from itertools import pairwise

import pytest
from django.utils import timezone

from oneplan.access.rules import active_team_q
from oneplan.accounts.models import Organisation
from oneplan.bench import scenarios as bench
from oneplan.core.crypto import normalise_name
from oneplan.directory.models import Service
from oneplan.families.models import CareTeamMember, Membership
from oneplan.referrals.models import Referral
from oneplan.referrals.workflow import OPEN, QUEUE, STEPS, TERMINAL, Status
from oneplan.sampledata.synthetic import generate
from oneplan.sampledata.synthetic_network import (
    RECEIVING_ORGANISATION,
    generate_referrals,
    generate_services,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

NETWORK_SCENARIOS = {"directory search", "incoming referral queue"}


@pytest.fixture
def network():
    generate(families=30, seed=3)
    generate_services(total=30)
    generate_referrals(open_total=50)


def test_generators_fill_up_to_their_totals_once(network):
    assert Service.objects.count() == 30
    assert Referral.objects.filter(organisation__name=RECEIVING_ORGANISATION, status__in=QUEUE).count() == 50
    assert Referral.objects.filter(status__in=TERMINAL).count() == 15
    assert generate_services(total=30) == 0
    assert generate_referrals(open_total=50) == {"open": 0, "closed": 0}


def test_services_are_complete_and_spread_over_organisations(network):
    assert Organisation.objects.count() >= 48
    assert Service.objects.values("organisation").distinct().count() > 10
    for item in Service.objects.prefetch_related("domains", "languages", "areas", "contacts", "locations"):
        assert 1 <= len(item.domains.all()) <= 3
        assert 1 <= len(item.languages.all()) <= 4
        assert len(item.areas.all()) <= 3
        assert all(a.key == normalise_name(a.name) for a in item.areas.all())
        assert len(item.contacts.all()) == 1 and len(item.locations.all()) == 1
        assert item.minimum_age is None or item.maximum_age is None or item.minimum_age <= item.maximum_age


def test_open_referrals_come_from_the_familys_active_team_for_its_members(network):
    today = timezone.localdate()
    for referral in Referral.objects.filter(status__in=OPEN).prefetch_related("persons"):
        assert CareTeamMember.objects.filter(
            active_team_q(today), family=referral.family_id, professional=referral.referrer_id,
            organisation=referral.referrer_organisation_id).exists()
        persons = {p.pk for p in referral.persons.all()}
        household = set(Membership.objects.filter(family=referral.family_id, ended_on__isnull=True)
                        .values_list("person_id", flat=True))
        assert 1 <= len(persons) <= 2 and persons <= household
        assert referral.shared_categories == ["identity"] and referral.needs
    pairs = list(Referral.objects.filter(status__in=OPEN).values_list("family_id", "service_id"))
    assert len(pairs) == len(set(pairs))


def test_referral_milestones_and_steps_follow_the_status(network):
    now = timezone.now()
    for referral in Referral.objects.prefetch_related("steps"):
        stamps = [t for t in (referral.created_at, referral.sent_at, referral.received_at,
                              referral.accepted_at, referral.in_service_at) if t]
        assert stamps == sorted(stamps) and stamps[-1] <= now
        assert referral.sent_at is not None and now - referral.sent_at < timezone.timedelta(days=366)
        started = referral.status in (Status.IN_SERVICE, Status.COMPLETED)
        assert (referral.in_service_at is not None) == started
        if referral.status in (Status.ACCEPTED, Status.WAITING_LIST, Status.IN_SERVICE, Status.COMPLETED):
            assert referral.accepted_at is not None
        if started:
            assert referral.in_service_at is not None and referral.started_warm is not None
        assert (referral.closed_at is not None) == (referral.status in TERMINAL)
        steps = list(referral.steps.all())
        assert steps[0].to_status == Status.DRAFT and steps[-1].to_status == referral.status
        assert all(a.to_status == b.from_status for a, b in pairwise(steps))
        assert all((s.from_status, s.to_status) in STEPS for s in steps[1:])
        assert len(steps) - 1 == referral.version


def test_network_scenarios_answer_as_a_receiving_practitioner(network):
    context = bench.build_context()
    results = bench.run(context, requests=3, warmup=1, only=NETWORK_SCENARIOS)
    assert [r["name"] for r in results] == ["framework ceiling (/healthz)", "directory search",
                                            "incoming referral queue"]
    assert all(r["p95"] > 0 for r in results)
    queue = context.extra["queue_client"].get("/referrals/")
    assert queue.context["page"].paginator.count == 50


def _queries(client, url: str) -> int:
    client.get(url)  # warm: session and first-request work are not the page's
    return page_queries(client, url)


def test_directory_search_and_queue_query_counts_do_not_grow_with_data(network):
    context = bench.build_context()
    queue = context.extra["queue_client"]
    pages = [(context.client, "/directory/"), (context.client, "/directory/?language=nl"),
             (queue, "/referrals/"), (queue, "/referrals/?page=2")]
    small = [_queries(client, url) for client, url in pages]
    generate_services(total=120)
    generate_referrals(open_total=200)
    assert [_queries(client, url) for client, url in pages] == small


def test_the_webhook_scenario_delivers_every_event_to_its_local_receiver():
    result = bench.webhook_delivery(count=20)
    assert result["sent"] == result["received"] == result["delivered"] == 20
