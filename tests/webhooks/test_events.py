"""Each event type reaches the subscribed endpoints of the organisations involved, and only
those; a payload carries references, never personal data."""
import datetime as dt
import json

import pytest
from django.utils import timezone

from oneplan.access.services_consent import consent_record, consent_withdraw
from oneplan.core import events
from oneplan.families import services as family_services
from oneplan.referrals import services as referral_services
from oneplan.referrals.workflow import Status
from oneplan.webhooks.models import Delivery
from tests.factories import OrganisationFactory, ProfessionalFactory, family_with_team, parent_of
from tests.plans.factories import agreed_plan
from tests.referrals.factories import scene
from tests.signals.helpers import BSN, register
from tests.webhooks.helpers import endpoint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_private")]


def delivered(ep, event_type=None):
    qs = Delivery.objects.filter(endpoint=ep).order_by("id")
    return list(qs.filter(event_type=event_type) if event_type else qs)


def test_a_referral_step_reaches_sender_and_receiver_and_nobody_else():
    s = scene()
    sender, _ = endpoint(s.referrer.organisations.first())
    receiver, _ = endpoint(s.organisation)
    bystander, _ = endpoint(OrganisationFactory())
    referral = s.sent()
    s.step(referral, Status.RECEIVED)
    for ep in (sender, receiver):
        steps = [d.payload["data"]["status"] for d in delivered(ep, events.REFERRAL_STATUS_CHANGED)]
        assert steps == ["sent", "received"]
    assert delivered(bystander) == []
    data = delivered(receiver)[0].payload["data"]
    assert data["referral"] == f"Task/{referral.pk}" and data["family"] == f"Group/{s.family.pk}"
    assert data["serviceRequest"] == f"ServiceRequest/{referral.pk}"


def test_an_endpoint_hears_only_the_events_it_chose():
    s = scene()
    plans_only, _ = endpoint(s.organisation, types=[events.PLAN_AGREED])
    inactive, _ = endpoint(s.organisation, url="http://127.0.0.1:10/hook")
    inactive.active = False
    inactive.save()
    s.sent()
    assert delivered(plans_only) == [] and delivered(inactive) == []


def test_a_held_handoff_reaches_both_sides_with_the_new_team_member():
    s = scene()
    receiving, _ = endpoint(s.organisation, types=[events.HANDOFF_HELD, events.TEAM_MEMBER_ADDED])
    referring, _ = endpoint(s.referrer.organisations.first(), types=[events.HANDOFF_HELD])
    referral = s.step(s.step(s.sent(), Status.RECEIVED), Status.ACCEPTED)
    referral_services.handoff_plan(actor=s.receiver, referral_id=referral.pk, mode="video",
                                   planned_for=timezone.now())
    handoff = referral_services.handoff_record(actor=s.receiver, referral_id=referral.pk,
                                               held_on=timezone.localdate())
    for ep in (receiving, referring):
        [held] = delivered(ep, events.HANDOFF_HELD)
        assert held.payload["data"]["handoff"] == handoff.pk
    [joined] = delivered(receiving, events.TEAM_MEMBER_ADDED)
    assert joined.payload["data"]["practitioner"] == f"Practitioner/{s.receiver.pk}"


def test_an_agreed_plan_reaches_the_organisations_on_the_team():
    coordinator = ProfessionalFactory()
    family = family_with_team(coordinator=coordinator)
    on_team, _ = endpoint(coordinator.organisations.first(), types=[events.PLAN_AGREED])
    off_team, _ = endpoint(OrganisationFactory(), types=[events.PLAN_AGREED])
    version = agreed_plan(coordinator, family)
    [item] = delivered(on_team)
    assert item.payload["data"] == {"family": f"Group/{family.pk}", "carePlan": f"CarePlan/{version.pk}",
                                    "version": 1, "agreedOn": timezone.localdate().isoformat()}
    assert delivered(off_team) == []


def test_consent_given_and_withdrawn_reach_the_consents_organisation():
    coordinator = ProfessionalFactory()
    family = family_with_team(coordinator=coordinator)
    mine = coordinator.organisations.first()
    ep, _ = endpoint(mine, types=[events.CONSENT_GIVEN, events.CONSENT_WITHDRAWN])
    other, _ = endpoint(OrganisationFactory(), types=[events.CONSENT_GIVEN])
    consent = consent_record(actor=coordinator, family_id=family.pk, categories=["finance"],
                             given_by=[parent_of(family).pk], how="paper", organisation_id=mine.pk)
    consent_withdraw(actor=coordinator, consent_id=consent.pk, how="in_person", reason="Her own words")
    assert [d.event_type for d in delivered(ep)] == [events.CONSENT_GIVEN, events.CONSENT_WITHDRAWN]
    assert delivered(ep)[0].payload["data"]["consent"] == f"Consent/{consent.pk}"
    assert delivered(other) == []


def test_a_team_wide_consent_reaches_every_organisation_on_the_team():
    coordinator = ProfessionalFactory()
    family = family_with_team(coordinator=coordinator)
    ep, _ = endpoint(coordinator.organisations.first(), types=[events.CONSENT_GIVEN])
    consent_record(actor=coordinator, family_id=family.pk, categories=["health"],
                   given_by=[parent_of(family).pk], how="paper")
    assert len(delivered(ep)) == 1


def test_team_changes_reach_the_members_organisation_only():
    coordinator = ProfessionalFactory()
    family = family_with_team(coordinator=coordinator)
    newcomer = ProfessionalFactory()
    theirs, _ = endpoint(newcomer.organisations.first(),
                         types=[events.TEAM_MEMBER_ADDED, events.TEAM_MEMBER_ENDED])
    coordinators, _ = endpoint(coordinator.organisations.first(),
                               types=[events.TEAM_MEMBER_ADDED, events.TEAM_MEMBER_ENDED])
    member = family_services.team_member_add(
        actor=coordinator, family_id=family.pk, professional_id=newcomer.pk,
        organisation_id=newcomer.organisations.first().pk, role="member", focus="whole_family",
        responsibilities="Debts")
    family_services.team_member_end(actor=coordinator, team_member_id=member.pk, reason="Done")
    assert [d.event_type for d in delivered(theirs)] == [events.TEAM_MEMBER_ADDED, events.TEAM_MEMBER_ENDED]
    assert delivered(theirs)[1].payload["data"]["end"] == timezone.localdate().isoformat()
    assert delivered(coordinators) == []


def test_a_reference_index_match_reaches_both_organisations():
    first, second, third = ProfessionalFactory(), ProfessionalFactory(), ProfessionalFactory()
    eps = [endpoint(p.organisations.first(), types=[events.SIGNAL_MATCHED])[0] for p in (first, second, third)]
    earlier = register(first, today=timezone.localdate() - dt.timedelta(days=3))
    later = register(second)
    for ep in eps[:2]:
        [item] = delivered(ep)
        assert sorted(item.payload["data"]["signals"]) == sorted([f"Flag/{earlier.pk}", f"Flag/{later.pk}"])
    assert delivered(eps[2]) == []


def test_no_payload_carries_personal_data():
    s = scene()
    ep, _ = endpoint(s.organisation)
    endpoint(s.referrer.organisations.first())
    referral = s.step(s.step(s.sent(), Status.RECEIVED), Status.ACCEPTED)
    referral_services.handoff_plan(actor=s.receiver, referral_id=referral.pk, mode="video",
                                   planned_for=timezone.now())
    referral_services.handoff_record(actor=s.receiver, referral_id=referral.pk,
                                     held_on=timezone.localdate(), notes="Met the family at home")
    agreed_plan(s.referrer, s.family, vision="Calm at home and no more debt letters")
    register(s.receiver, national_id=BSN)
    register(ProfessionalFactory(), national_id=BSN)
    text = json.dumps([d.payload for d in Delivery.objects.all()])
    assert Delivery.objects.count() >= 6
    users = [s.referrer.user, s.receiver.user]
    forbidden = [BSN, s.family.name, s.family.reference, "debts", "Met the family", "Calm at home",
                 referral.question, s.service.name, s.organisation.name, s.parent.phone, s.parent.email,
                 s.parent.date_of_birth.isoformat(), s.child.date_of_birth.isoformat(),
                 *[p.given_name for p in (s.parent, s.child)], *[p.family_name for p in (s.parent, s.child)],
                 *[u.first_name for u in users], *[u.last_name for u in users]]
    assert [word for word in forbidden if word and word in text] == []


def test_an_unknown_event_type_is_refused():
    with pytest.raises(ValueError):
        events.publish("family.renamed", organisations=[1], data={})
