import pytest

from oneplan.plans.gas import t_score


@pytest.mark.parametrize("levels,expected", [
    ([0, 0, 0], 50.0),
    ([-2], 30.0),                    # n=1: denominator sqrt(0.7 + 0.3) = 1
    ([1, 1, 1], 63.6931),            # 50 + 10*3/sqrt(0.7*3 + 0.3*9) = 50 + 30/2.19089
    ([2, -1], 56.2017),              # 50 + 10*1/sqrt(0.7*2 + 0.3*4) = 50 + 10/1.61245
    ([2, 2, 2, 2], 50 + 80 / (0.7 * 4 + 0.3 * 16) ** 0.5),
])
def test_t_score_matches_hand_computed_values(levels, expected):
    assert t_score(levels) == pytest.approx(expected, abs=1e-3)


def test_no_goals_no_score():
    assert t_score([]) is None


def test_levels_outside_the_scale_are_refused():
    with pytest.raises(ValueError):
        t_score([3])
