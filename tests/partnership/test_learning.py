"""Learning sessions and their actions, followed up until done."""
import datetime as dt

import pytest
from django.utils import timezone

from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput
from oneplan.partnership import selectors, services_learning
from tests.factories import ProfessionalFactory
from tests.partnership.factories import partnership

pytestmark = pytest.mark.django_db


def _session(setup, **kwargs):
    values = {"actor": setup.coordinator, "partnership_id": setup.partnership.pk,
              "held_on": timezone.localdate() - dt.timedelta(days=7), "title": "Warm handoffs",
              "participant_ids": [r.pk for r in setup.reps], "others": "Two parents of the family council",
              "learned": "A joint first meeting saves the family a second intake."}
    values.update(kwargs)
    return services_learning.session_record(**values)


def _action(setup, session, owner, due_in=14):
    return services_learning.action_add(actor=setup.coordinator, session_id=session.pk,
                                        text="Write the handoff checklist", owner_id=owner.pk,
                                        due_on=timezone.localdate() + dt.timedelta(days=due_in))


def test_a_session_records_who_took_part_and_what_was_learned():
    setup = partnership()
    session = _session(setup)
    assert (set(session.participants.all()), session.others) == (set(setup.reps), "Two parents of the family council")


def test_participants_are_professionals_of_the_members():
    setup = partnership()
    with pytest.raises(InvalidInput):
        _session(setup, participant_ids=[ProfessionalFactory().pk])


def test_an_action_owner_is_a_professional_of_the_members():
    setup = partnership()
    with pytest.raises(InvalidInput):
        _action(setup, _session(setup), ProfessionalFactory())


def test_open_actions_are_listed_with_the_overdue_flagged():
    setup = partnership()
    session = _session(setup)
    late = _action(setup, session, setup.reps[0], due_in=-1)
    _action(setup, session, setup.reps[1], due_in=10)
    _access, view = selectors.learning(actor=setup.colleague(), partnership_id=setup.partnership.pk)
    assert (len(view.open_actions), view.overdue, view.open_actions[0]) == (2, 1, late)


def test_the_owner_marks_an_action_done_and_it_leaves_the_open_list():
    setup = partnership()
    action = _action(setup, _session(setup), setup.reps[0])
    services_learning.action_done(actor=setup.reps[0], action_id=action.pk, note="Shared at the team meeting")
    _access, view = selectors.learning(actor=setup.colleague(), partnership_id=setup.partnership.pk)
    action.refresh_from_db()
    assert (view.open_actions, action.done_by, action.done_on) == ([], setup.reps[0], timezone.localdate())


def test_someone_else_cannot_mark_it_done_and_the_refusal_is_audited():
    setup = partnership()
    action = _action(setup, _session(setup), setup.reps[0])
    with pytest.raises(AccessDenied):
        services_learning.action_done(actor=setup.reps[1], action_id=action.pk)
    assert AuditEvent.objects.filter(actor_id=setup.reps[1].user_id, action="partnership.learning.done",
                                     outcome="denied").exists()


def test_an_action_is_done_once():
    setup = partnership()
    action = _action(setup, _session(setup), setup.reps[0])
    services_learning.action_done(actor=setup.coordinator, action_id=action.pk)
    with pytest.raises(Conflict):
        services_learning.action_done(actor=setup.coordinator, action_id=action.pk)


def test_only_the_managers_record_sessions():
    setup = partnership()
    with pytest.raises(AccessDenied):
        _session(setup, actor=setup.reps[0])


def test_a_session_cannot_be_in_the_future():
    setup = partnership()
    with pytest.raises(InvalidInput):
        _session(setup, held_on=timezone.localdate() + dt.timedelta(days=1))
