"""Requests that led nowhere are pseudonymised after the retention period; erasure and subject access."""
import datetime as dt

import pytest
from django.utils import timezone

from oneplan.access import erasure
from oneplan.access.subject import subject_export
from oneplan.frontdoor import jobs, services
from oneplan.frontdoor.models import HelpRequest
from tests.factories import ProfessionalFactory
from tests.frontdoor.factories import front_door_worker, submit

pytestmark = pytest.mark.django_db


def _closed(worker, **kwargs):
    item, _code = submit(**kwargs)
    services.outcome_close(actor=worker, request_id=item.pk, reason="not_reached")
    return item


def test_a_closed_request_past_retention_loses_what_identifies_anyone(time_machine):
    worker = front_door_worker()
    item = _closed(worker)
    time_machine.move_to(timezone.now() + dt.timedelta(days=800))
    jobs.retention_run()
    item.refresh_from_db()
    assert (item.asker_name, item.phone, item.story) == ("", "", jobs.REMOVED)
    assert (item.asker, item.outcome) == ("family", "closed")  # still counts in the figures


def test_a_recent_closed_request_is_kept():
    item = _closed(front_door_worker())
    jobs.retention_run()
    item.refresh_from_db()
    assert item.pseudonymised_at is None


def test_an_open_request_is_never_pseudonymised(time_machine):
    item, _code = submit()
    time_machine.move_to(timezone.now() + dt.timedelta(days=2000))
    jobs.retention_run()
    item.refresh_from_db()
    assert item.pseudonymised_at is None


def _with_family(worker):
    item, _code = submit()
    services.person_note(actor=worker, request_id=item.pk, given_name="Sanne", family_name="de Vries",
                         date_of_birth=dt.date(1988, 3, 2), relation="parent")
    services.outcome_family_file(actor=worker, request_id=item.pk, coordinator_id=ProfessionalFactory().pk)
    item.refresh_from_db()
    return item


def test_the_subject_access_export_lists_the_request():
    worker = front_door_worker()
    item = _with_family(worker)
    officer = ProfessionalFactory(roles=["privacy_officer"])
    person = item.family.memberships.get().person
    export = subject_export(actor=officer, person_id=person.pk)
    section = next(s for s in export["sections"] if s["title"] == "Requests for help")
    assert section["rows"][0]["story"] == item.story


def test_erasing_a_person_removes_the_request_about_them():
    worker = front_door_worker()
    item = _with_family(worker)
    officer = ProfessionalFactory(roles=["privacy_officer"])
    person = item.family.memberships.get().person
    erasure.person_erase(actor=officer, person_id=person.pk, legal_basis="Art. 17 request granted")
    item = HelpRequest.objects.get(pk=item.pk)
    assert item.story == jobs.REMOVED and item.persons.get().given_name == ""
