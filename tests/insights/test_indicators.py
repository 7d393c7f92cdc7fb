"""Each indicator computed on a small hand-made history (the clock stands at 16 June 2026)."""
import datetime as dt

import pytest

from oneplan.insights.compute.care import own_words
from tests.factories import OrganisationFactory, PersonFactory
from tests.insights.factories import (
    assessment,
    at,
    built,
    discussion,
    family,
    feedback,
    help_request,
    match,
    month,
    plan,
    referral,
    review,
    service,
)

pytestmark = pytest.mark.django_db

MARCH, APRIL, MAY, JUNE = month(2026, 3), month(2026, 4), month(2026, 5), month(2026, 6)
D = dt.date


def value(figures, when, series="", breakdown="all", group=""):
    f = figures.get((when, breakdown, group, series))
    return None if f is None else (f.numerator, f.denominator)


def test_families_registered_count_in_their_opening_month():
    for day in (D(2026, 3, 2), D(2026, 3, 30), D(2026, 4, 1)):
        family(opened=day)
    figures = built("families_registered")
    assert value(figures, MARCH) == (2, 2) and value(figures, APRIL) == (1, 1)


def test_families_registered_by_team_area_intensity_and_age_band():
    north = OrganisationFactory(name="Wijkteam Noord")
    service(north).areas.create(name="Noord", key="noord")
    family(opened=D(2026, 3, 2), org=north, intensity="intensive", child_born=D(2024, 1, 1))
    family(opened=D(2026, 3, 3), intensity="light", child_born=D(2014, 1, 1))
    figures = built("families_registered")
    assert value(figures, MARCH, breakdown="team", group=str(north.pk)) == (1, 1)
    assert value(figures, MARCH, breakdown="area", group="Noord") == (1, 1)
    assert value(figures, MARCH, breakdown="intensity", group="intensive") == (1, 1)
    assert value(figures, MARCH, breakdown="age_band", group="0-3") == (1, 1)
    assert value(figures, MARCH, breakdown="age_band", group="12-17") == (1, 1)


def test_a_family_without_children_is_in_the_adults_band():
    family(opened=D(2026, 3, 2))
    assert value(built("families_registered"), MARCH, breakdown="age_band", group="adults") == (1, 1)


def test_time_to_first_plan_has_median_and_90th_percentile_in_days():
    for wait in (10, 20, 30, 40, 100):
        plan(family(opened=D(2026, 1, 1)), D(2026, 1, 1) + dt.timedelta(days=wait))
    figures = built("time_to_first_plan")
    spring = [f for f in figures.values() if f.breakdown == "all"]
    assert sum(f.denominator for f in spring) == 5
    april = figures[(APRIL, "all", "", "")]  # 1 Jan + 100 days = 11 April
    assert april.histogram == {"100": 1}


def test_time_to_first_plan_counts_only_the_first_agreed_version():
    fam = family(opened=D(2026, 3, 1))
    plan(fam, D(2026, 3, 11))
    plan(fam, D(2026, 5, 20))
    figures = built("time_to_first_plan")
    assert figures[(MARCH, "all", "", "")].value == 10 and (MAY, "all", "", "") not in figures


def test_open_families_with_an_agreed_plan_at_the_months_end():
    planned = family(opened=D(2026, 1, 5))
    plan(planned, D(2026, 4, 10))
    family(opened=D(2026, 1, 5))
    family(opened=D(2026, 1, 5), closed=D(2026, 3, 15), reason="moved_away")
    figures = built("open_with_agreed_plan")
    assert value(figures, MARCH) == (0, 2)
    assert value(figures, APRIL) == (1, 2)
    assert value(figures, month(2026, 2)) == (0, 3)


def test_open_families_with_a_coordinator_leave_out_families_in_intake():
    family(opened=D(2026, 1, 5))
    family(opened=D(2026, 1, 5), coordinator=False)
    family(opened=D(2026, 1, 5), coordinator=False, status="intake")
    family(opened=D(2026, 1, 5), coordinator_from=D(2026, 4, 20))
    figures = built("open_with_coordinator")
    assert value(figures, MARCH) == (1, 3) and value(figures, APRIL) == (2, 3)


def test_reviews_overdue_at_the_months_end():
    late = family(opened=D(2026, 1, 5))
    plan(late, D(2026, 1, 20), next_review_on=D(2026, 3, 10))
    on_time = family(opened=D(2026, 1, 5))
    plan(on_time, D(2026, 1, 20))
    review(on_time, D(2026, 2, 25), [0], next_review_on=D(2026, 5, 25))
    figures = built("reviews_overdue")
    assert value(figures, month(2026, 2)) == (0, 2)
    assert value(figures, MARCH) == (1, 2)
    assert value(figures, JUNE) == (2, 2)  # on 16 June the 25 May review date has passed too


def test_plans_agreed_with_the_family_present_are_agreed_in_a_meeting():
    plan(family(opened=D(2026, 3, 1)), D(2026, 3, 20), how="meeting")
    plan(family(opened=D(2026, 3, 1)), D(2026, 3, 21), how="portal")
    assert value(built("plans_agreed_family_present"), MARCH) == (1, 2)


def test_goals_in_own_words_are_not_a_copy_of_an_attainment_level():
    assert own_words("We want calm at home", ["less", "as expected"])
    assert not own_words("  As   Expected ", ["less", "as expected"])
    assert not own_words("", ["less"])
    plan(family(opened=D(2026, 3, 1)), D(2026, 3, 20), goals=["We pay the rent", "as expected"])
    assert value(built("goals_own_words"), MARCH) == (1, 2)


def test_case_discussions_with_the_family_present_and_about_a_crisis():
    fam = family(opened=D(2026, 1, 5))
    discussion(fam, D(2026, 3, 3), kind="crisis", present=False)
    discussion(fam, D(2026, 3, 9), kind="regular", present=True)
    discussion(fam, D(2026, 3, 19), kind="regular", present=True)
    assert value(built("discussions_family_present"), MARCH) == (2, 3)
    assert value(built("discussions_crisis"), MARCH) == (1, 3)


def _referrals():
    fam = family(opened=D(2026, 1, 5))
    svc = service()
    referral(fam, svc, sent=at(D(2026, 3, 2)), accepted=at(D(2026, 3, 12)), started=at(D(2026, 4, 1)), warm=True)
    referral(fam, service(svc.organisation), sent=at(D(2026, 3, 5)), accepted=at(D(2026, 4, 4)),
             started=at(D(2026, 4, 24)), warm=False)
    referral(fam, service(), sent=at(D(2026, 3, 6)), declined=at(D(2026, 3, 20)), reason="no_capacity")
    return svc


def test_referrals_sent_accepted_and_declined_by_month():
    svc = _referrals()
    figures = built("referrals")
    assert value(figures, MARCH, "sent") == (3, 3)
    assert value(figures, MARCH, "accepted") == (1, 1) and value(figures, APRIL, "accepted") == (1, 1)
    assert value(figures, MARCH, "declined") == (1, 1)
    assert value(figures, MARCH, "sent", "organisation", str(svc.organisation_id)) == (2, 2)
    assert value(figures, MARCH, "sent", "service", str(svc.pk)) == (1, 1)


def test_declined_referrals_by_reason():
    _referrals()
    assert value(built("referrals_declined_reasons"), MARCH, "no_capacity") == (1, 1)


def test_waiting_times_sent_to_accepted_and_accepted_to_service():
    _referrals()
    assert built("wait_sent_to_accepted")[(MARCH, "all", "", "")].histogram == {"10": 1}
    assert built("wait_accepted_to_service")[(APRIL, "all", "", "")].histogram == {"20": 2}


def test_warm_handoffs_share_of_starts():
    _referrals()
    assert value(built("warm_handoffs"), APRIL) == (1, 2)


def test_reference_index_matches_with_coordination_agreed_within_14_days():
    one, two = OrganisationFactory(), OrganisationFactory()
    match(one, two, told=at(D(2026, 3, 2)), agreed_after=dt.timedelta(days=3))
    match(one, two, told=at(D(2026, 3, 3)), agreed_after=dt.timedelta(days=20))
    match(one, two, told=at(D(2026, 3, 4)))
    figures = built("index_matches_coordinated")
    assert value(figures, MARCH) == (1, 3)
    assert value(figures, MARCH, breakdown="organisation", group=str(two.pk)) == (1, 3)


def test_gas_t_score_per_review_mean_and_distribution():
    fam = family(opened=D(2026, 1, 5))
    plan(fam, D(2026, 1, 20), goals=["One", "Two"])
    review(fam, D(2026, 3, 1), [0, 0])
    review(fam, D(2026, 3, 20), [2, 2])
    figure = built("gas_t_score")[(MARCH, "all", "", "")]
    assert figure.denominator == 2 and figure.value == pytest.approx((50 + 50 + 10 * 4 / (1.4 + 1.2) ** .5) / 2)
    assert figure.histogram == {"10": 1, "14": 1}  # bins of five points: 50-54.9 and 70-74.9


def test_goals_at_expected_use_the_latest_review_so_far():
    fam = family(opened=D(2026, 1, 5))
    plan(fam, D(2026, 1, 20), goals=["One", "Two"])
    review(fam, D(2026, 2, 10), [-1, -2])
    review(fam, D(2026, 4, 10), [1, -1])
    figures = built("goals_at_expected")
    assert value(figures, MARCH) == (0, 2) and value(figures, APRIL) == (1, 2)


def test_domain_scores_first_to_latest_professional_and_family_apart():
    fam = family(opened=D(2026, 1, 5))
    child = PersonFactory()
    assessment(fam, D(2026, 1, 10), {("housing", None): (2, 3), ("parenting", child): (3, 3)})
    assessment(fam, D(2026, 3, 5), {("housing", None): (2, 2), ("parenting", child): (4, 3)})
    assessment(fam, D(2026, 3, 25), {("housing", None): (3, 2), ("parenting", child): (4, 4)})
    figures = built("domain_scores_change")
    counts = {s: f.denominator for (mo, b, _g, s), f in figures.items() if mo == MARCH and b == "all"}
    assert counts == {"professional:improved": 2, "family:worse": 1, "family:improved": 1}


def test_families_closed_with_goals_reached():
    family(opened=D(2025, 5, 1), closed=D(2026, 3, 3), reason="goals_reached")
    family(opened=D(2025, 5, 1), closed=D(2026, 3, 9), reason="moved_away")
    assert value(built("families_closed_goals_reached"), MARCH) == (1, 2)


def test_families_registered_again_within_12_months_of_closing():
    back = family(opened=D(2025, 5, 1), closed=D(2025, 9, 3), reason="goals_reached")
    family(opened=D(2025, 5, 1), closed=D(2025, 9, 9), reason="goals_reached")
    again = family(opened=D(2026, 2, 1))
    again.memberships.create(person=back.memberships.first().person, relation="parent", started_on=D(2026, 2, 1))
    assert value(built("registered_again"), month(2025, 9)) == (1, 2)


def test_family_feedback_score_and_comments():
    fam = family(opened=D(2026, 1, 5))
    feedback(fam, at(D(2026, 3, 2)), 5, "Finally someone listens")
    feedback(fam, at(D(2026, 3, 9)), 2)
    score = built("feedback_score")[(MARCH, "all", "", "")]
    assert score.value == 3.5 and score.histogram == {"5": 1, "2": 1}
    assert value(built("feedback_comments"), MARCH) == (1, 1)


def test_front_door_requests_by_who_asked_and_by_channel():
    help_request(at(D(2026, 3, 2)), asker="school", channel="phone")
    help_request(at(D(2026, 3, 3)), asker="family", channel="web")
    help_request(at(D(2026, 3, 4)), asker="family", channel="web", asked_before=True)
    assert value(built("frontdoor_requests_asker"), MARCH, "family") == (2, 2)
    assert value(built("frontdoor_requests_channel"), MARCH, "phone") == (1, 1)
    assert value(built("frontdoor_asked_before"), MARCH) == (1, 3)


def test_front_door_time_to_first_contact_against_the_agreed_time(settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "FRONT_DOOR_RESPONSE_HOURS": {"urgent": 4, "soon": 48, "routine": 120}}
    start = at(D(2026, 3, 2), 9)
    help_request(start, urgency="urgent", contacted=start + dt.timedelta(hours=2))
    help_request(start, urgency="urgent", contacted=start + dt.timedelta(hours=6))
    help_request(start, urgency="soon", contacted=start + dt.timedelta(hours=30))
    figures = built("frontdoor_first_contact")
    urgent, soon = figures[(MARCH, "all", "", "urgent")], figures[(MARCH, "all", "", "soon")]
    assert (urgent.numerator, urgent.denominator) == (1, 2) and urgent.histogram == {"8": 1, "24": 1}
    assert (soon.numerator, soon.denominator) == (1, 1)


def test_front_door_outcomes_and_time_to_outcome():
    start = at(D(2026, 3, 2), 9)
    help_request(start, contacted=start + dt.timedelta(hours=1), outcome="advice",
                 outcome_at=start + dt.timedelta(hours=5))
    help_request(start, contacted=start + dt.timedelta(hours=1), outcome="referral",
                 outcome_at=start + dt.timedelta(days=3))
    assert value(built("frontdoor_outcomes"), MARCH, "advice") == (1, 1)
    outcome = built("frontdoor_time_to_outcome")[(MARCH, "all", "", "")]
    assert outcome.histogram == {"20": 1, "288": 1} and outcome.value == 5
