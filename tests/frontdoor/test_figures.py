"""The front door's figures, with small numbers hidden."""
import datetime as dt

import pytest
from django.utils import timezone

from oneplan.core.errors import AccessDenied
from oneplan.frontdoor import indicators, services
from tests.factories import ProfessionalFactory
from tests.frontdoor.factories import front_door_worker, submit

pytestmark = pytest.mark.django_db


def test_small_counts_are_shown_as_below_the_threshold():
    for i in range(3):
        submit(source=f"198.51.100.{i}")
    figures = indicators.figures(actor=front_door_worker(), weeks=4)
    assert figures.total == "<10"
    assert "3" not in [c for _w, cells in figures.by_asker.rows for c in cells]


def test_counts_at_the_threshold_are_shown(settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "SMALL_NUMBER": 2}
    for i in range(3):
        submit(source=f"198.51.100.{i}")
    assert indicators.figures(actor=front_door_worker(), weeks=4).total == "3"


def test_time_to_first_contact_has_median_and_90th_percentile(settings, time_machine):
    settings.ONEPLAN = {**settings.ONEPLAN, "SMALL_NUMBER": 1}
    worker = front_door_worker()
    items = [submit(source=f"198.51.100.{i}", urgency="soon")[0] for i in range(4)]
    time_machine.move_to(timezone.now() + dt.timedelta(hours=11))
    for item, hours in zip(items, [1, 2, 3, 10], strict=True):
        services.contact_record(actor=worker, request_id=item.pk,
                                at=item.created_at + dt.timedelta(hours=hours), how="phone")
    soon = next(t for t in indicators.figures(actor=worker, weeks=4).first_contact if t.agreed_hours == 48)
    assert (soon.median_hours, soon.within_agreed) == (2.5, "100%")


def test_the_figures_are_refused_to_a_practitioner():
    with pytest.raises(AccessDenied):
        indicators.figures(actor=ProfessionalFactory(roles=["practitioner"]))


def test_weeks_without_requests_count_zero(settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "SMALL_NUMBER": 1}
    figures = indicators.figures(actor=front_door_worker(), weeks=3)
    assert len(figures.by_channel.rows) == 3 and all(c == "0" for _w, cells in figures.by_channel.rows for c in cells)
    assert timezone.localdate() >= figures.since
