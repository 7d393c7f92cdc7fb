"""Who may register, renew, end and see what in the reference index; refusals are audited."""
import datetime as dt

import pytest

from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from oneplan.families.models import Membership
from oneplan.inbox.models import Notification
from oneplan.signals import selectors, services
from oneplan.signals.models import Match, Signal
from tests.factories import (
    CareTeamMemberFactory,
    MembershipFactory,
    PersonFactory,
    ProfessionalFactory,
    family_with_team,
)
from tests.signals.helpers import BSN, register

pytestmark = pytest.mark.django_db


def _denied(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action, outcome="denied").latest("id")


def test_other_organisation_cannot_end_a_signal(youth_care, debt_help):
    signal = register(youth_care)
    with pytest.raises(NotFound):
        services.signal_end(actor=debt_help, signal_id=signal.pk)
    signal.refresh_from_db()
    assert signal.ended_on is None
    event = _denied("signal.end")
    assert event.actor_id == debt_help.user_id
    assert event.object_id == str(signal.pk)
    assert event.reason == "signal of another organisation"


def test_other_organisation_cannot_renew_a_signal(youth_care, debt_help):
    signal = register(youth_care)
    with pytest.raises(NotFound):
        services.signal_renew(actor=debt_help, signal_id=signal.pk)
    assert _denied("signal.renew").object_id == str(signal.pk)


def test_unknown_signal_is_refused_and_audited(youth_care):
    with pytest.raises(NotFound):
        services.signal_end(actor=youth_care, signal_id=999_999)
    assert _denied("signal.end").reason == "no such signal"


def test_colleague_in_the_same_organisation_may_end_a_signal(youth_care, colleague):
    signal = register(youth_care)
    services.signal_end(actor=colleague, signal_id=signal.pk)
    signal.refresh_from_db()
    assert signal.ended_on is not None


def test_analyst_may_not_register(db):
    analyst = ProfessionalFactory(roles=["analyst"])
    with pytest.raises(AccessDenied):
        register(analyst)
    assert Signal.objects.count() == 0
    assert _denied("signal.register").actor_id == analyst.user_id


def test_other_organisations_signals_are_not_listed(youth_care, debt_help):
    register(youth_care)
    assert list(selectors.organisation_signals(actor=debt_help)) == []
    assert len(selectors.organisation_signals(actor=youth_care)) == 1


# Matches -----------------------------------------------------------------------------------

@pytest.fixture
def match(youth_care, debt_help):
    register(youth_care)
    return register(debt_help).new_matches[0]


def test_outsider_cannot_see_a_match(match):
    outsider = ProfessionalFactory()
    with pytest.raises(NotFound):
        selectors.match_detail(actor=outsider, match_id=match.pk)
    assert _denied("match.read").reason == "match of other organisations"


def test_either_side_may_acknowledge_and_the_other_is_told(match, youth_care, debt_help):
    Notification.objects.all().delete()
    services.match_acknowledge(actor=youth_care, match_id=match.pk, coordinator_id=debt_help.pk,
                               note="Bram coordinates; I keep the parenting support.")
    match.refresh_from_db()
    assert match.coordinator == debt_help and match.acknowledged_by == youth_care
    [told] = Notification.objects.all()
    assert told.recipient == debt_help
    assert "parenting" not in told.text  # the note stays on the match page
    assert AuditEvent.objects.filter(action="match.acknowledge", outcome="allowed").exists()


def test_outsider_cannot_acknowledge(match, debt_help):
    with pytest.raises(NotFound):
        services.match_acknowledge(actor=ProfessionalFactory(), match_id=match.pk,
                                   coordinator_id=debt_help.pk)
    assert _denied("match.acknowledge")
    assert Match.objects.get().acknowledged_at is None


def test_coordinator_must_be_one_of_the_two(match, youth_care):
    with pytest.raises(InvalidInput, match="one of the two"):
        services.match_acknowledge(actor=youth_care, match_id=match.pk,
                                   coordinator_id=ProfessionalFactory().pk)


def test_acknowledging_twice_is_a_conflict(match, youth_care, debt_help):
    services.match_acknowledge(actor=youth_care, match_id=match.pk, coordinator_id=youth_care.pk)
    with pytest.raises(Conflict, match="already recorded"):
        services.match_acknowledge(actor=debt_help, match_id=match.pk, coordinator_id=debt_help.pk)


# From a family file ----------------------------------------------------------------------------

@pytest.fixture
def family(youth_care):
    family = family_with_team(coordinator=youth_care, members=0)
    person = PersonFactory(given_name="José", family_name="de la Cruz", date_of_birth=dt.date(1990, 5, 17))
    person.set_national_id(BSN)
    person.save()
    MembershipFactory(family=family, person=person)
    MembershipFactory(family=family, person=PersonFactory(given_name="Lena", family_name="de la Cruz",
                                                          date_of_birth=dt.date(2015, 3, 3)),
                      relation=Membership.Relation.CHILD)
    return family


def _person(family, given):
    return family.memberships.get(person__given_name=given).person


def test_team_member_registers_a_person_with_the_stored_national_id(family, youth_care, debt_help):
    signal = services.signal_register_person(actor=youth_care, family_id=family.pk,
                                             person_id=_person(family, "José").pk)
    assert signal.basis == "national_id"
    assert len(register(debt_help, national_id=BSN).new_matches) == 1
    event = AuditEvent.objects.get(action="signal.register", object_id=str(signal.pk))
    assert event.family_id == family.pk


def test_person_without_national_id_is_registered_by_name_and_birth_date(family, youth_care, debt_help):
    signal = services.signal_register_person(actor=youth_care, family_id=family.pk,
                                             person_id=_person(family, "Lena").pk)
    assert signal.basis == "name_dob"
    second = register(debt_help, given_name="lena", family_name="De La Cruz",
                      date_of_birth=dt.date(2015, 3, 3))
    assert len(second.new_matches) == 1


def test_signal_from_a_family_file_is_for_the_team_membership_organisation(family, youth_care):
    signal = services.signal_register_person(actor=youth_care, family_id=family.pk,
                                             person_id=_person(family, "José").pk)
    assert signal.organisation == family.team.get(professional=youth_care).organisation


def test_professional_outside_the_team_cannot_register_from_the_family_file(family, debt_help):
    with pytest.raises(NotFound):
        services.signal_register_person(actor=debt_help, family_id=family.pk,
                                        person_id=_person(family, "José").pk)
    assert Signal.objects.count() == 0
    assert _denied("family.edit").family_id == family.pk


def test_person_from_another_family_cannot_be_registered_through_this_one(family, youth_care):
    stranger = MembershipFactory().person
    with pytest.raises(NotFound, match="not in this household"):
        services.signal_register_person(actor=youth_care, family_id=family.pk, person_id=stranger.pk)


def test_consultant_on_the_team_may_register(family):
    consultant = CareTeamMemberFactory(family=family, role="consultant").professional
    services.signal_register_person(actor=consultant, family_id=family.pk,
                                    person_id=_person(family, "Lena").pk)
    assert Signal.objects.count() == 1
