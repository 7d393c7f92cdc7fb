"""Tables as shown: small numbers hidden, and what a share or a total would give away too."""
import pytest

from oneplan.insights.tables import Cell, Shape, distribution, table

SHARE = Shape("share", "percent", None, [("", "")], parts=True)
COUNT_PARTS = Shape("count", "count", None, [("a", "A"), ("b", "B")], parts=True)
MEDIAN = Shape("median", "days", 1.0, [("", "")], parts=True)


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "SMALL_NUMBER": 10}


def test_a_share_of_enough_families_is_shown():
    t = table(SHARE, "t", "Period", [("2026-Q1", [Cell(30, 60)], 90)])
    assert t.rows[0][1] == ["30", "60", "50%"] and t.lines[0][1] == [50.0]


def test_a_small_numerator_hides_the_count_and_the_share():
    t = table(SHARE, "t", "Period", [("2026-Q1", [Cell(3, 60)], 90)])
    assert t.rows[0][1][0] == "<10" and t.rows[0][1][2] == "–" and t.lines[0][1] == [None]


def test_a_small_rest_hides_the_share_too():
    """48 of 50 with a plan tells that 2 families have none."""
    t = table(SHARE, "t", "Period", [("2026-Q1", [Cell(48, 50)], 90)])
    assert t.rows[0][1][2] == "–" and "48" not in t.rows[0][1]


def test_one_hidden_part_hides_one_more_so_the_total_gives_nothing_away():
    t = table(COUNT_PARTS, "t", "Period", [("2026-Q1", [Cell(0, 4), Cell(0, 25)], 90)])
    assert t.rows[0][1] == ["<10", "<10", "29"]


def test_a_breakdown_hides_one_more_group_beside_a_small_one():
    rows = [("North", [Cell(0, 3)], 90), ("South", [Cell(0, 40)], 90), ("West", [Cell(0, 50)], 90),
            ("All", [Cell(0, 93)], 90)]
    t = table(Shape("count", "count", None, [("", "")], parts=True), "t", "Team", rows, total_row=True)
    shown = [cells[0] for _label, cells in t.rows]
    assert shown == ["<10", "<10", "50", "93"]


def test_a_median_of_too_few_is_not_shown():
    t = table(MEDIAN, "t", "Period", [("2026-03", [Cell(0, 4, 40.0, {"10": 4})], 31)])
    assert t.rows[0][1] == ["<10", "–", "–"]


def test_median_and_90th_percentile_come_from_the_histogram():
    histogram = {"5": 5, "10": 4, "30": 1}
    t = table(MEDIAN, "t", "Period", [("2026-03", [Cell(0, 10, 0.0, histogram)], 31)])
    assert t.raw[0][1] == [10, 5.0, 10.0]


def test_a_distribution_hides_its_small_buckets():
    t = distribution("t", "T", Cell(0, 25, 0, {"9": 3, "10": 12, "11": 10}), 5.0)
    assert [cells[0] for _l, cells in t.rows] == ["<10", "12", "<10"]  # the total is shown elsewhere
