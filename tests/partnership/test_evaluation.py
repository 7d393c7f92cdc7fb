"""Self-evaluation rounds: invitations, anonymous answers, the 5-respondent threshold, spread and
disagreement, the comparison with the previous round."""
import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from oneplan.accounts.models import Role
from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from oneplan.core.models import OutboxMessage
from oneplan.partnership import results, services_evaluation
from oneplan.partnership.models import Group, Invitation, Response, Round
from tests.partnership.factories import answers, open_round, partnership, respond

pytestmark = pytest.mark.django_db


def test_opening_a_round_invites_every_professional_of_the_members_and_the_coordinator():
    setup = partnership()
    manager = setup.colleague(1, roles=[Role.TEAM_MANAGER])
    current = open_round(setup)
    invited = {i.professional: i.group for i in current.invitations.all()}
    assert invited == {setup.coordinator: Group.PROFESSIONAL, setup.reps[0]: Group.PROFESSIONAL,
                       setup.reps[1]: Group.PROFESSIONAL, manager: Group.MANAGER}


def test_each_invited_professional_gets_an_e_mail_with_a_personal_link():
    setup = partnership()
    current = open_round(setup)
    mails = [m.payload for m in OutboxMessage.objects.filter(kind="email")]
    assert sorted(m["to"] for m in mails) == sorted(i.professional.email for i in current.invitations.all())
    assert all("/partnership/respond/" in m["text"] for m in mails)


def test_the_link_is_stored_only_as_a_keyed_hash():
    setup = partnership()
    current = open_round(setup)
    invitation, token = services_evaluation.invitation_external(actor=setup.coordinator, round_id=current.pk,
                                                                group=Group.FAMILY)
    assert invitation.token_hash == services_evaluation.token_hash(token) != token
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_only_the_coordinator_or_a_network_administrator_opens_a_round_and_refusals_are_audited():
    setup = partnership()
    with pytest.raises(AccessDenied):
        services_evaluation.round_open(actor=setup.reps[0], partnership_id=setup.partnership.pk,
                                       closes_on=timezone.localdate() + dt.timedelta(days=7))
    assert AuditEvent.objects.filter(actor_id=setup.reps[0].user_id, action="partnership.evaluation.open",
                                     outcome="denied").exists()


def test_one_round_is_open_at_a_time():
    setup = partnership()
    open_round(setup)
    with pytest.raises(Conflict):
        open_round(setup)


def test_only_family_representatives_and_policymakers_are_invited_by_link():
    setup = partnership()
    current = open_round(setup)
    with pytest.raises(InvalidInput):
        services_evaluation.invitation_external(actor=setup.coordinator, round_id=current.pk,
                                                group=Group.PROFESSIONAL)


# ---- anonymity -----------------------------------------------------------------------------------

def test_answers_are_stored_without_the_link_the_invitation_or_a_time():
    setup = partnership()
    current = open_round(setup)
    respond(current, group=Group.FAMILY, score=5)
    response = Response.objects.get()
    assert {f.name for f in Response._meta.get_fields()} == {"id", "round", "group", "answers"}
    assert (response.group, set(response.answers.values())) == (Group.FAMILY, {5})


def test_the_invitation_keeps_only_that_it_was_used():
    setup = partnership()
    current = open_round(setup)
    respond(current)
    assert list(Invitation.objects.filter(professional__isnull=True).values_list("used", flat=True)) == [True]


def test_a_link_works_once():
    setup = partnership()
    current = open_round(setup)
    _invitation, token = services_evaluation.invitation_external(actor=setup.coordinator, round_id=current.pk,
                                                                 group=Group.FAMILY)
    services_evaluation.response_submit(token=token, answers=answers(current))
    with pytest.raises(Conflict):
        services_evaluation.response_submit(token=token, answers=answers(current, 1))
    assert Response.objects.count() == 1


def test_an_unknown_link_is_not_found():
    with pytest.raises(NotFound):
        services_evaluation.response_submit(token="made-up", answers={})


def test_every_question_needs_an_answer_or_dont_know():
    setup = partnership()
    current = open_round(setup)
    _invitation, token = services_evaluation.invitation_external(actor=setup.coordinator, round_id=current.pk,
                                                                 group=Group.FAMILY)
    values = answers(current, trust="dk")
    values.pop("expertise")
    with pytest.raises(InvalidInput):
        services_evaluation.response_submit(token=token, answers=values)
    assert not Response.objects.exists()


def test_dont_know_is_stored_as_no_score():
    setup = partnership()
    current = open_round(setup)
    respond(current, trust="dk")
    assert Response.objects.get().answers["trust"] is None


def test_the_audit_log_records_a_response_without_who_gave_it():
    setup = partnership()
    current = open_round(setup)
    services_evaluation.response_submit_mine(actor=setup.reps[0], round_id=current.pk, answers=answers(current))
    event = AuditEvent.objects.get(action="partnership.evaluation.respond")
    assert (event.actor_id, event.object_id) == (None, str(current.pk))


def test_a_professional_answers_once_from_the_partnership_pages():
    setup = partnership()
    current = open_round(setup)
    services_evaluation.response_submit_mine(actor=setup.reps[0], round_id=current.pk, answers=answers(current))
    with pytest.raises(Conflict):
        services_evaluation.response_submit_mine(actor=setup.reps[0], round_id=current.pk,
                                                 answers=answers(current))


def test_a_professional_who_joined_after_the_round_opened_was_not_invited():
    setup = partnership()
    current = open_round(setup)
    with pytest.raises(Conflict):
        services_evaluation.response_submit_mine(actor=setup.colleague(), round_id=current.pk,
                                                 answers=answers(current))


def test_a_closed_round_takes_no_answers():
    setup = partnership()
    current = open_round(setup)
    _invitation, token = services_evaluation.invitation_external(actor=setup.coordinator, round_id=current.pk,
                                                                 group=Group.FAMILY)
    services_evaluation.round_close(actor=setup.coordinator, round_id=current.pk)
    with pytest.raises(Conflict):
        services_evaluation.response_submit(token=token, answers=answers(current))


def test_closing_removes_the_names_and_addresses_of_people_without_an_account():
    setup = partnership()
    current = open_round(setup)
    services_evaluation.invitation_external(actor=setup.coordinator, round_id=current.pk, group=Group.FAMILY,
                                            name="Fatima", email_to="fatima@example.org")
    services_evaluation.round_close(actor=setup.coordinator, round_id=current.pk)
    assert list(Invitation.objects.filter(professional__isnull=True).values_list("name", "email")) == [("", "")]


def test_tick_closes_rounds_past_their_closing_date(time_machine):
    setup = partnership()
    current = open_round(setup, days=3)
    time_machine.move_to(timezone.now() + dt.timedelta(days=4))
    services_evaluation.close_due()
    current.refresh_from_db()
    assert current.status == Round.Status.CLOSED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row versions are PostgreSQL's xmin")
def test_row_versions_do_not_pair_an_invitation_with_its_answers():
    setup = partnership()
    current = open_round(setup)
    for score in (2, 4, 5):
        respond(current, score=score)
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT xmin::text FROM partnership_response UNION "
                       "SELECT DISTINCT xmin::text FROM partnership_invitation WHERE used")
        assert len(cursor.fetchall()) == 1


# ---- results -------------------------------------------------------------------------------------

def test_results_appear_only_from_five_respondents():
    setup = partnership()
    current = open_round(setup)
    for _ in range(4):
        respond(current)
    before = results.for_round(current)
    respond(current)
    after = results.for_round(current)
    assert (before.shown, before.rows[0].overall.mean, after.shown, after.rows[0].overall.mean) == (
        False, None, True, 4.0)


def test_a_group_below_five_is_not_shown_apart_but_counts_for_everyone():
    setup = partnership()
    current = open_round(setup)
    for _ in range(5):
        respond(current, group=Group.FAMILY, score=2)
    respond(current, group=Group.POLICYMAKER, score=5)
    result = results.for_round(current)
    assert [g for g, _label, _n in result.shown_groups] == [Group.FAMILY]
    assert (result.rows[0].overall.n, result.rows[0].overall.mean, result.rows[0].groups[Group.POLICYMAKER].mean) == (
        6, 2.5, None)


def test_an_aspect_scored_by_fewer_than_five_stays_hidden():
    setup = partnership()
    current = open_round(setup)
    for i in range(5):
        respond(current, funding_enough="dk" if i else "3", funding_fair="dk" if i else "3",
                funding_rules="dk" if i else "3")
    funding = next(r for r in results.for_round(current).rows if r.key == "funding")
    assert (funding.overall.n, funding.overall.shown) == (1, False)


def test_the_spread_shows_disagreement():
    setup = partnership()
    current = open_round(setup)
    for score in (1, 1, 5, 5, 5):
        respond(current, score=score)
    cell = results.for_round(current).rows[0].overall
    assert (cell.mean, cell.low, cell.high, cell.sd, cell.disagreement) == (3.4, 1, 5, 2.19, True)


def test_agreement_is_not_flagged():
    setup = partnership()
    current = open_round(setup)
    for score in (4, 4, 4, 5, 4):
        respond(current, score=score)
    assert not results.for_round(current).rows[0].overall.disagreement


def test_results_are_compared_with_the_previous_round():
    setup = partnership()
    first = open_round(setup)
    for _ in range(5):
        respond(first, score=2)
    services_evaluation.round_close(actor=setup.coordinator, round_id=first.pk)
    second = open_round(setup)
    for _ in range(5):
        respond(second, score=3)
    result = results.for_round(second)
    assert (result.previous, result.rows[0].overall.change) == (first, 1.0)


def test_stakeholder_groups_that_see_it_differently_are_flagged():
    setup = partnership()
    current = open_round(setup)
    for _ in range(5):
        respond(current, group=Group.FAMILY, score=2)
        respond(current, group=Group.POLICYMAKER, score=3)
    row = results.for_round(current).rows[0]
    assert (row.overall.disagreement, row.group_gap, row.groups_differ) == (False, 1.0, True)
