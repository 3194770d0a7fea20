from fractions import Fraction

from planner.io import read_package
from planner.summary import summarize


def test_tiny_summary_by_hand(tiny_dir):
    s = summarize(read_package(tiny_dir), radius_m=1000)
    assert (s.play_point.achieved, s.play_point.total) == (2, 4)  # A and C; B's point is not built yet
    assert [g.needed for g in s.play_point.gaps] == [0, 0]
    assert (s.child_friendly.achieved, [g.needed for g in s.child_friendly.gaps]) == (2, [2, 2])
    assert (s.school_toilet.achieved, s.school_toilet.total) == (3, 5)  # satellites count
    assert s.school_toilet.share == Fraction(3, 5)
    assert (s.psych_support.achieved, s.psych_support.total) == (3, 4)  # main schools only
    t = s.communes
    assert t["points"].to_dict() == {"001": 1, "002": 0, "003": 1, "004": 0}
    assert t["children_within"].to_dict() == {"001": 10, "002": 0, "003": 45, "004": 0}
    assert t.loc["003", "reach_share"] == 1.0
    assert s.legacy_total is None
    j = s.to_json()
    assert j["communes_with_point"] == 2 and j["children_within_reach"] == 55 and j["school_toilet_share"] == 0.6


def test_demo_summary_invariants(demo):
    s = summarize(demo, radius_m=2000)
    assert s.play_point.total == 38
    assert s.play_point.share < Fraction(35, 100), "the demo must leave a real gap to the 2030 target"
    assert s.play_point.gap(2030).required == 14
    assert s.play_point.gap(2030).needed == 14 - s.play_point.achieved
    assert s.reach.children_total == int(demo.communes["children"].sum())
    assert 0 < s.reach.children_within < s.reach.children_total
    assert s.communes["children_within"].sum() == s.reach.children_within
    assert 0 < s.school_toilet.share < 1
    assert s.legacy_total == 106 and s.legacy_with_point >= s.play_point.achieved
