from fractions import Fraction

import pytest

from planner.targets import indicator, required_count


@pytest.mark.parametrize(
    "target, total, expected",
    [
        (Fraction(35, 100), 38, 14),  # 13.3 -> 14
        (Fraction(30, 100), 38, 12),  # 11.4 -> 12
        (Fraction(30, 100), 10, 3),  # exactly 3; float 0.3 * 10 = 3.0000000000000004 would give 4
        (Fraction(30, 100), 106, 32),  # 31.8 -> 32, the 2025 base of 106 communes
        (Fraction(843, 1000), 38, 33),  # 32.034 -> 33
        (Fraction(85, 100), 20, 17),  # exactly 17
        (Fraction(1), 639, 639),
        (Fraction(35, 100), 0, 0),
    ],
)
def test_required_count_is_exact_ceiling(target, total, expected):
    assert required_count(target, total) == expected


def test_play_point_indicator_on_38_units():
    ind = indicator("play_point", achieved=9, total=38)
    assert ind.share == Fraction(9, 38)
    assert [(g.year, g.required, g.needed, g.met) for g in ind.gaps] == [(2025, 12, 3, False), (2030, 14, 5, False)]


def test_met_target_needs_nothing_more():
    ind = indicator("play_point", achieved=14, total=38)
    assert ind.gap(2030).needed == 0 and ind.gap(2030).met
    assert ind.gap(2025).needed == 0


def test_child_friendly_and_school_targets():
    cf = indicator("child_friendly", achieved=28, total=38)
    assert [(g.required, g.needed) for g in cf.gaps] == [(33, 5), (33, 5)]
    st = indicator("school_toilet", achieved=465, total=639)
    assert st.gap(2025).needed == 174


def test_achieved_outside_range_is_a_bug():
    with pytest.raises(ValueError):
        indicator("play_point", achieved=5, total=4)
