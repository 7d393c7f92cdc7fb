"""Referral use cases: consent before sending, bad input, notices, eligibility, warm handoffs,
what the receiving organisation sees."""
import datetime as dt

import pytest
from django.utils import dateformat, timezone

from oneplan.core.errors import Conflict, ConsentMissing, InvalidInput
from oneplan.directory.models import Service
from oneplan.families.models import CareTeamMember, Membership
from oneplan.inbox.models import Notification
from oneplan.referrals import selectors, services
from oneplan.referrals.models import Referral
from oneplan.referrals.workflow import Status
from tests.assessments.factories import life_domains
from tests.directory.factories import add_rule
from tests.factories import PersonFactory, consent_for
from tests.referrals.factories import referral_consent, scene

pytestmark = pytest.mark.django_db


# ---- consent ---------------------------------------------------------------------------------

def test_without_consent_the_referral_cannot_be_sent_and_says_which_consent_is_missing():
    s = scene(consent=False)
    referral = s.create(shared_categories=["finance"])
    with pytest.raises(ConsentMissing) as refused:
        services.referral_send(actor=s.referrer, referral_id=referral.pk)
    assert refused.value.missing == [
        f"No consent to share identity information about {s.parent.full_name} with {s.organisation.name}.",
        f"No consent to share finance information about {s.parent.full_name} with {s.organisation.name}."]
    referral.refresh_from_db()
    assert referral.status == Status.DRAFT and referral.sent_at is None
    assert not Notification.objects.filter(recipient=s.receiver).exists()


def test_a_consent_for_the_receiving_organisation_lets_it_be_sent():
    s = scene(consent=False)
    referral = s.create(shared_categories=["finance"])
    referral_consent(s.family, s.organisation, categories=["identity", "finance"])
    assert services.referral_send(actor=s.referrer, referral_id=referral.pk).status == Status.SENT


def test_a_category_outside_the_consent_still_blocks():
    s = scene()  # identity and finance
    referral = s.create(shared_categories=["finance", "health"])
    with pytest.raises(ConsentMissing, match="health information"):
        services.referral_send(actor=s.referrer, referral_id=referral.pk)


def test_a_team_wide_consent_does_not_reach_an_organisation_outside_the_team():
    s = scene(consent=False)
    consent_for(s.family, categories=["identity", "finance"])  # every organisation on the team
    with pytest.raises(ConsentMissing):
        services.referral_send(actor=s.referrer, referral_id=s.create().pk)


def test_a_withdrawn_consent_blocks_sending():
    s = scene(consent=False)
    consent = referral_consent(s.family, s.organisation)
    consent.withdrawn_at = timezone.now()
    consent.save()
    with pytest.raises(ConsentMissing):
        services.referral_send(actor=s.referrer, referral_id=s.create().pk)


def test_an_older_child_needs_a_consent_about_them():
    s = scene()
    teen = PersonFactory(date_of_birth=timezone.localdate() - dt.timedelta(days=365 * 15))
    Membership.objects.create(family=s.family, person=teen, relation="child")
    referral = s.create(person_ids=[teen.pk])
    with pytest.raises(ConsentMissing, match=teen.full_name):
        services.referral_send(actor=s.referrer, referral_id=referral.pk)
    referral_consent(s.family, s.organisation, subject=teen, given_by=[teen, s.parent])
    assert services.referral_send(actor=s.referrer, referral_id=referral.pk).status == Status.SENT


def test_a_young_child_is_covered_by_the_parents_consent():
    s = scene()
    toddler = PersonFactory(date_of_birth=timezone.localdate() - dt.timedelta(days=365 * 3))
    Membership.objects.create(family=s.family, person=toddler, relation="child")
    referral = s.create(person_ids=[toddler.pk])
    assert services.referral_send(actor=s.referrer, referral_id=referral.pk).status == Status.SENT


# ---- bad input: a clear message, nothing changed ----------------------------------------------

@pytest.mark.parametrize("change,field", [
    ({"person_ids": [999_999]}, "persons"),
    ({"person_ids": []}, "persons"),
    ({"needs": []}, "needs"),
    ({"needs": ["astrology"]}, "needs"),
    ({"question": "   "}, "question"),
    ({"urgency": "yesterday"}, "urgency"),
    ({"shared_categories": ["team"]}, "shared_categories"),
    ({"service_id": 999_999}, "service"),
    ({"service_id": "abc"}, "service"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_made(change, field):
    s = scene()
    with pytest.raises(InvalidInput) as refused:
        s.create(**change)
    assert refused.value.field == field and refused.value.message
    assert not Referral.objects.exists()


def test_a_person_of_another_household_cannot_be_referred():
    s = scene()
    other = scene()
    with pytest.raises(InvalidInput, match="Only members of this household"):
        s.create(person_ids=[other.parent.pk])


def test_a_service_that_no_longer_exists_cannot_be_referred_to():
    s = scene()
    Service.objects.filter(pk=s.service.pk).update(status=Service.Status.DEFUNCT)
    with pytest.raises(InvalidInput, match="no longer exists"):
        s.create()


def test_a_draft_to_a_service_that_closed_since_cannot_be_sent():
    s = scene()
    referral = s.create()
    Service.objects.filter(pk=s.service.pk).update(status=Service.Status.INACTIVE)
    with pytest.raises(InvalidInput, match="does not take referrals"):
        services.referral_send(actor=s.referrer, referral_id=referral.pk)


def test_a_second_referral_to_the_same_service_while_one_is_open_is_refused():
    s = scene()
    s.sent()
    with pytest.raises(Conflict, match="already has an open referral"):
        s.create()
    assert Referral.objects.count() == 1


def test_after_the_first_is_closed_a_new_referral_to_the_service_is_fine():
    s = scene()
    first = s.sent()
    services.referral_step(actor=s.referrer, referral_id=first.pk, to_status="cancelled", note="Moved")
    assert s.create().status == Status.DRAFT


def test_declining_needs_a_reason_from_the_list():
    s = scene()
    referral = s.step(s.sent(), Status.RECEIVED)
    with pytest.raises(InvalidInput, match="why the referral is declined"):
        s.step(referral, Status.DECLINED, decline_reason="bored")
    declined = s.step(referral, Status.DECLINED, decline_reason="no_capacity", note="Full until May")
    assert (declined.decline_reason, declined.decline_text) == ("no_capacity", "Full until May")


def test_asking_for_information_needs_the_question_and_answering_it_the_answer():
    s = scene()
    referral = s.step(s.sent(), Status.RECEIVED)
    with pytest.raises(InvalidInput):
        s.step(referral, Status.INFO_REQUESTED, note="")
    referral = s.step(referral, Status.INFO_REQUESTED, note="Income overview?")
    with pytest.raises(InvalidInput):
        s.step(referral, Status.RECEIVED, actor=s.referrer)
    assert s.step(referral, Status.RECEIVED, actor=s.referrer, note="Attached in the plan").status == "received"


# ---- the closed loop: both sides hear of every change -----------------------------------------

def test_sending_puts_it_in_the_inbox_of_the_service_contact():
    s = scene()
    referral = s.sent()
    notice = Notification.objects.get(recipient=s.receiver)
    assert notice.kind == "referral_incoming" and referral.number in notice.heading
    assert notice.link == f"/referrals/{referral.pk}/"
    assert s.parent.full_name not in notice.heading + notice.body  # e-mails carry no names


def test_the_referrer_hears_of_every_change_the_receiver_makes():
    s = scene()
    referral = s.sent()
    for to in (Status.RECEIVED, Status.ACCEPTED, Status.WAITING_LIST, Status.IN_SERVICE, Status.COMPLETED):
        referral = s.step(referral, to)
    titles = [n.heading for n in Notification.objects.filter(recipient=s.referrer, kind="referral_status")
              .order_by("id")]
    assert titles == [f"{referral.number}: {label}" for label in
                      ("Received", "Accepted", "On the waiting list", "In service", "Completed")]


def test_the_referrer_reads_the_receivers_step_in_her_own_language():
    from django.utils import translation

    s = scene()
    referral = s.step(s.sent(), Status.RECEIVED)
    notice = Notification.objects.filter(recipient=s.referrer, kind="referral_status").get()
    with translation.override("nl"):
        assert notice.heading == f"{referral.number}: Ontvangen"


def test_accepting_assigns_the_receiving_professional_of_that_organisation_only():
    s = scene()
    referral = s.step(s.sent(), Status.RECEIVED)
    with pytest.raises(InvalidInput, match="Choose a professional of"):
        s.step(referral, Status.ACCEPTED, receiving_professional_id=s.referrer.pk)
    assert s.step(referral, Status.ACCEPTED).receiving_professional == s.receiver


def test_a_waiting_list_start_date_in_the_past_is_refused():
    s = scene()
    referral = s.step(s.step(s.sent(), Status.RECEIVED), Status.ACCEPTED)
    with pytest.raises(InvalidInput, match="past"):
        s.step(referral, Status.WAITING_LIST, expected_start_on=timezone.localdate() - dt.timedelta(days=1))


# ---- eligibility: warnings before sending, never a block --------------------------------------

def _warnings(s, referral):
    return selectors.referral_detail(actor=s.referrer, referral_id=referral.pk).warnings


def test_eligibility_warns_about_age_domains_and_scores_before_sending():
    life_domains()
    s = scene(minimum_age=60, domains=["housing"])
    add_rule(s.service, "finances_debts", max_score=2)
    from oneplan.assessments import services as assessments

    consent_for(s.family)
    assessment = assessments.assessment_start(actor=s.referrer, family_id=s.family.pk,
                                              instrument_id=life_domains().pk)
    assessments.score_set(actor=s.referrer, assessment_id=assessment.pk, domain_key="finances_debts",
                          person_id=None, professional_score=4, family_score=3)
    assessments.assessment_complete(actor=s.referrer, assessment_id=assessment.pk)
    referral = s.create()
    warnings = _warnings(s, referral)
    assert f"{s.parent.full_name} ({s.parent.age}) is younger than the minimum age of 60." in warnings
    assert "The service does not work on finances and debts." in warnings
    assert (f"Finances and debts: the service is for scores 1–2; scored 4 in the completed assessment "
            f"of {dateformat.format(assessment.held_on, 'j M Y')}." in warnings)
    assert services.referral_send(actor=s.referrer, referral_id=referral.pk).status == Status.SENT


def test_no_warnings_when_the_persons_meet_the_rules():
    s = scene(minimum_age=18, maximum_age=67)
    assert _warnings(s, s.create()) == []


def test_a_score_rule_without_a_score_says_it_was_not_checked():
    s = scene()
    consent_for(s.family)
    add_rule(s.service, "finances_debts", max_score=2)
    assert _warnings(s, s.create()) == ["Finances and debts: not checked, no assessment has scored it yet."]


def test_a_score_rule_the_referrer_may_not_see_is_not_checked_and_says_why():
    s = scene()
    add_rule(s.service, "finances_debts", max_score=2)
    assert _warnings(s, s.create()) == [
        "Finances and debts: not checked, your organisation has no consent to see these scores."]


# ---- warm handoffs -----------------------------------------------------------------------------

def _accepted(s):
    return s.step(s.step(s.sent(), Status.RECEIVED), Status.ACCEPTED)


def test_a_held_warm_handoff_adds_the_receiving_professional_to_the_care_team():
    s = scene()
    referral = _accepted(s)
    services.handoff_plan(actor=s.receiver, referral_id=referral.pk, mode="in_person",
                          planned_for=timezone.now() + dt.timedelta(days=2), place="At home")
    handoff = services.handoff_record(actor=s.receiver, referral_id=referral.pk,
                                      held_on=timezone.localdate(), notes="Met; next visit Tuesday")
    member = CareTeamMember.objects.get(family=s.family, professional=s.receiver, ended_on__isnull=True)
    assert handoff.team_member == member and member.organisation == s.organisation
    assert member.role == "member" and member.focus == "parents"
    assert member.responsibilities == f"{s.service.name} ({s.organisation.name}): finances and debts"
    coordinator_notice = Notification.objects.get(recipient=s.referrer, kind="handoff",
                                                  message_key="referral.handoff_joined")
    assert s.family.reference in coordinator_notice.heading


def test_the_service_started_after_a_held_handoff_is_warm_otherwise_cold():
    warm, cold = scene(), scene()
    referral = _accepted(warm)
    services.handoff_plan(actor=warm.receiver, referral_id=referral.pk, mode="video",
                          planned_for=timezone.now())
    services.handoff_record(actor=warm.receiver, referral_id=referral.pk, held_on=timezone.localdate())
    assert warm.step(referral, Status.IN_SERVICE).started_warm is True
    assert cold.step(_accepted(cold), Status.IN_SERVICE).started_warm is False


def test_a_handoff_cannot_be_planned_before_acceptance_or_recorded_twice():
    s = scene()
    referral = s.step(s.sent(), Status.RECEIVED)
    with pytest.raises(Exception, match="once the referral is accepted"):
        services.handoff_plan(actor=s.receiver, referral_id=referral.pk, mode="phone",
                              planned_for=timezone.now())
    referral = s.step(referral, Status.ACCEPTED)
    services.handoff_plan(actor=s.receiver, referral_id=referral.pk, mode="phone", planned_for=timezone.now())
    services.handoff_record(actor=s.receiver, referral_id=referral.pk, held_on=timezone.localdate())
    with pytest.raises(Exception, match="no planned warm handoff"):
        services.handoff_record(actor=s.receiver, referral_id=referral.pk, held_on=timezone.localdate())
    assert CareTeamMember.objects.filter(family=s.family, professional=s.receiver).count() == 1


def test_a_handoff_in_the_future_cannot_be_recorded_as_held():
    s = scene()
    referral = _accepted(s)
    services.handoff_plan(actor=s.receiver, referral_id=referral.pk, mode="phone", planned_for=timezone.now())
    with pytest.raises(InvalidInput, match="future"):
        services.handoff_record(actor=s.receiver, referral_id=referral.pk,
                                held_on=timezone.localdate() + dt.timedelta(days=1))
    assert not CareTeamMember.objects.filter(family=s.family, professional=s.receiver).exists()


# ---- what the receiving organisation sees ------------------------------------------------------

def test_the_receiver_sees_shared_categories_only_while_the_consent_holds():
    from oneplan.families.models import Note

    s = scene()
    Note.objects.create(family=s.family, author=s.referrer, organisation=s.referrer.primary_organisation,
                        category="finance", visibility="team", text="Three debt collectors.")
    Note.objects.create(family=s.family, author=s.referrer, organisation=s.referrer.primary_organisation,
                        category="health", visibility="team", text="Depression, in treatment.")
    referral = s.sent()
    view = selectors.referral_detail(actor=s.receiver, referral_id=referral.pk)
    assert [n.text for n in view.shared["notes"]] == ["Three debt collectors."]
    consent = s.family.consents.get(organisation=s.organisation)
    consent.withdrawn_at = timezone.now()
    consent.save()
    view = selectors.referral_detail(actor=s.receiver, referral_id=referral.pk)
    assert view.shared["notes"] == [] and "identity" in view.shared["hidden"]
