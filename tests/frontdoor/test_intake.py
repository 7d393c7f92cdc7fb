"""The intake behind the door: taking a request on, first contact, safety, matches, outcomes."""
import datetime as dt

import pytest
from django.utils import timezone

from oneplan.access.models import Consent
from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput
from oneplan.families.models import CareTeamMember, Note, Person
from oneplan.frontdoor import selectors, services
from oneplan.frontdoor.models import HelpRequest, Outcome, Status
from oneplan.inbox.models import Notification
from tests.directory.factories import ServiceFactory
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    ProfessionalFactory,
)
from tests.frontdoor.factories import front_door_worker, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    return front_door_worker()


@pytest.fixture
def item():
    return submit()[0]


def _mother(worker, item, **kwargs):
    values = {"given_name": "Sanne", "family_name": "de Vries", "date_of_birth": dt.date(1988, 3, 2),
              "relation": "parent", **kwargs}
    return services.person_note(actor=worker, request_id=item.pk, **values)


def test_first_contact_stops_the_clock_and_is_kept_with_who(worker, item):
    at = timezone.now()
    services.contact_record(actor=worker, request_id=item.pk, at=at, how="phone")
    item.refresh_from_db()
    assert (item.status, item.first_contact_at, item.first_contact_by) == (Status.IN_CONTACT, at, worker)


def test_a_second_contact_keeps_the_first_contact_time(worker, item):
    first = timezone.now() - dt.timedelta(minutes=1)
    services.contact_record(actor=worker, request_id=item.pk, at=first, how="phone")
    services.contact_record(actor=worker, request_id=item.pk, at=timezone.now(), how="email")
    item.refresh_from_db()
    assert (item.first_contact_at, item.first_contact_how) == (first, "phone")


def test_contact_in_the_future_is_refused(worker, item):
    with pytest.raises(InvalidInput):
        services.contact_record(actor=worker, request_id=item.pk, at=timezone.now() + dt.timedelta(hours=2),
                                how="phone")


def test_a_safety_worry_makes_the_request_urgent(worker, item):
    services.safety_record(actor=worker, request_id=item.pk,
                           answers={"danger_now": False, "violence": True, "child_care": False})
    item.refresh_from_db()
    assert item.priority == 0 and item.due_at <= timezone.now() + dt.timedelta(hours=4)


def test_the_safety_screen_needs_every_answer(worker, item):
    with pytest.raises(InvalidInput):
        services.safety_record(actor=worker, request_id=item.pk, answers={"danger_now": False})


def test_someone_outside_the_front_door_is_refused_and_audited(professional, item):
    with pytest.raises(AccessDenied):
        services.request_take(actor=professional, request_id=item.pk)
    assert AuditEvent.objects.filter(action="helprequest.take", outcome="denied",
                                     actor_id=professional.user_id, object_id=str(item.pk)).exists()


def test_the_queue_is_refused_outside_the_front_door(professional):
    with pytest.raises(AccessDenied):
        selectors.queue(actor=professional)
    assert AuditEvent.objects.filter(action="helprequest.queue", outcome="denied").exists()


def test_the_queue_puts_urgent_first_then_soonest_due(worker):
    routine = submit(urgency="routine", source="198.51.100.1")[0]
    urgent = submit(urgency="urgent", source="198.51.100.2")[0]
    soon = submit(urgency="soon", source="198.51.100.3")[0]
    assert [r.pk for r in selectors.queue(actor=worker).rows] == [urgent.pk, soon.pk, routine.pk]


def test_the_queue_pages_by_keyset(worker, settings, monkeypatch):
    monkeypatch.setattr(selectors, "QUEUE_PAGE", 2)
    items = [submit(source=f"198.51.100.{i}")[0] for i in range(5)]
    first = selectors.queue(actor=worker)
    second = selectors.queue(actor=worker, after=first.next_after)
    third = selectors.queue(actor=worker, after=second.next_after)
    seen = [r.pk for page in (first, second, third) for r in page.rows]
    assert seen == [i.pk for i in items] and third.next_after == ""


def test_a_known_person_is_shown_as_a_possible_match_not_linked(worker, item):
    known = PersonFactory(given_name="Sanne", family_name="de Vries", date_of_birth=dt.date(1988, 3, 2))
    member = _mother(worker, item, given_name="Sane")
    found = selectors.matches(item)
    assert [c.person for c in found[0].candidates] == [known]
    member.refresh_from_db()
    assert member.person_id is None


def test_a_match_shows_the_coordinator_of_the_persons_open_file(worker, item):
    known = PersonFactory(given_name="Sanne", family_name="de Vries", date_of_birth=dt.date(1988, 3, 2))
    membership = MembershipFactory(person=known)
    coordinator = ProfessionalFactory()
    CareTeamMember.objects.create(family=membership.family, professional=coordinator,
                                  organisation=coordinator.primary_organisation, role="coordinator")
    _mother(worker, item)
    assert [t.professional for t in selectors.matches(item)[0].candidates[0].teams] == [coordinator]


def test_the_worker_confirms_a_match(worker, item):
    known = PersonFactory(given_name="Sanne", family_name="de Vries", date_of_birth=dt.date(1988, 3, 2))
    member = _mother(worker, item)
    services.match_decide(actor=worker, request_person_id=member.pk, person_id=known.pk, same=True)
    member.refresh_from_db()
    assert member.person == known


def test_a_ruled_out_match_is_not_shown_again(worker, item):
    known = PersonFactory(given_name="Sanne", family_name="de Vries", date_of_birth=dt.date(1988, 3, 2))
    member = _mother(worker, item)
    services.match_decide(actor=worker, request_person_id=member.pk, person_id=known.pk, same=False)
    assert selectors.matches(item)[0].candidates == []


def test_advice_with_services_is_kept_with_who_and_when(worker, item):
    service = ServiceFactory()
    services.outcome_advice(actor=worker, request_id=item.pk, note="Call the debt help line.",
                            service_ids=[service.pk])
    item.refresh_from_db()
    assert (item.status, item.outcome, item.outcome_by) == (Status.DONE, Outcome.ADVICE, worker)
    assert list(item.services.all()) == [service]


def test_a_request_with_an_outcome_takes_no_second(worker, item):
    services.outcome_close(actor=worker, request_id=item.pk, reason="solved")
    with pytest.raises(Conflict):
        services.outcome_close(actor=worker, request_id=item.pk, reason="solved")


def test_closing_for_another_reason_needs_a_note(worker, item):
    with pytest.raises(InvalidInput):
        services.outcome_close(actor=worker, request_id=item.pk, reason="other", note="")


def test_new_family_file_has_the_household_the_coordinator_and_the_familys_words(worker, item):
    coordinator = ProfessionalFactory()
    _mother(worker, item)
    services.outcome_family_file(actor=worker, request_id=item.pk, coordinator_id=coordinator.pk)
    item.refresh_from_db()
    family = item.family
    assert [m.person.given_name for m in family.memberships.all()] == ["Sanne"]
    lead = CareTeamMember.objects.get(family=family)
    assert (lead.professional, lead.role) == (coordinator, "coordinator")
    assert Note.objects.get(family=family).text == item.story
    assert Notification.objects.filter(recipient=coordinator, message_key="frontdoor.family_file").exists()


def test_a_confirmed_match_is_linked_in_the_new_file_not_duplicated(worker, item):
    known = PersonFactory(given_name="Sanne", family_name="de Vries", date_of_birth=dt.date(1988, 3, 2))
    member = _mother(worker, item)
    services.match_decide(actor=worker, request_person_id=member.pk, person_id=known.pk, same=True)
    services.outcome_family_file(actor=worker, request_id=item.pk, coordinator_id=ProfessionalFactory().pk)
    item.refresh_from_db()
    assert item.family.memberships.get().person == known
    assert Person.objects.filter(date_of_birth=dt.date(1988, 3, 2)).count() == 1


def test_an_unresolved_match_blocks_the_family_file(worker, item):
    PersonFactory(given_name="Sanne", family_name="de Vries", date_of_birth=dt.date(1988, 3, 2))
    _mother(worker, item)
    with pytest.raises(Conflict):
        services.outcome_family_file(actor=worker, request_id=item.pk, coordinator_id=ProfessionalFactory().pk)
    assert not HelpRequest.objects.filter(family__isnull=False).exists()


def test_the_coordinator_must_have_the_coordinator_role(worker, item):
    _mother(worker, item)
    analyst = ProfessionalFactory(roles=["analyst"])
    with pytest.raises(InvalidInput):
        services.outcome_family_file(actor=worker, request_id=item.pk, coordinator_id=analyst.pk)


def test_a_referral_records_the_consent_first_then_sends(worker, item):
    service = ServiceFactory()
    member = _mother(worker, item)
    services.outcome_referral(
        actor=worker, request_id=item.pk, service_id=service.pk, needs=["finances_debts"],
        question="Help with the rent arrears.", shared_categories=["finance"],
        consent_given_by=[member.pk], consent_how="in_person")
    item.refresh_from_db()
    consent = Consent.objects.get(family=item.family)
    assert (consent.organisation, consent.purpose) == (service.organisation, "referral")
    assert item.referral.status == "sent" and item.outcome == Outcome.REFERRAL


def test_a_referral_without_a_consent_giver_saves_nothing(worker, item):
    service = ServiceFactory()
    _mother(worker, item)
    with pytest.raises(InvalidInput):
        services.outcome_referral(
            actor=worker, request_id=item.pk, service_id=service.pk, needs=["finances_debts"],
            question="Help.", shared_categories=[], consent_given_by=[], consent_how="in_person")
    item.refresh_from_db()
    assert item.family is None and item.is_open


def test_passing_on_names_the_organisation(worker, item):
    organisation = OrganisationFactory(name="Veilig Thuis")
    services.outcome_passed_on(actor=worker, request_id=item.pk, organisation_id=organisation.pk,
                               note="Called Veilig Thuis, spoke with the duty officer.")
    item.refresh_from_db()
    assert (item.outcome, item.passed_to) == (Outcome.PASSED_ON, organisation)
