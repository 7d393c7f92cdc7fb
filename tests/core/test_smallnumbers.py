"""Small-number suppression: primary and secondary."""
from oneplan.core import smallnumbers


def test_counts_below_the_threshold_are_hidden(settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "SMALL_NUMBER": 10}
    assert smallnumbers.suppress([[0, 12, 30]]) == [[0, 12, 30]]
    assert smallnumbers.suppress([[3, 0, 0]])[0][0] is None


def test_one_hidden_cell_in_a_row_hides_the_next_smallest_too(settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "SMALL_NUMBER": 10}
    row = smallnumbers.suppress([[4, 20, 50, 74]])[0]
    assert row == [None, None, 50, 74]


def test_columns_are_protected_as_well(settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "SMALL_NUMBER": 10}
    table = smallnumbers.suppress([[4, 20], [30, 40], [50, 60]])
    hidden = {(r, c) for r, row in enumerate(table) for c, v in enumerate(row) if v is None}
    assert len({c for _r, c in hidden if _r == 0}) != 1 and len({r for r, c in hidden if c == 0}) != 1


def test_shown_says_below_the_threshold(settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "SMALL_NUMBER": 5}
    assert smallnumbers.shown(None) == "<5" and smallnumbers.shown(7) == "7"
