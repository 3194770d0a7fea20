"""Ranking on the four-commune fixture, computed by hand (see tests/conftest.py for the data).

Raw criterion values at radius 1000 m (communes A, B, C, D):
  no_point            0, 1, 0, 1      (B's point is only under construction)
  children            30, 30, 45, 50  -> scaled 0, 0, .75, 1
  out of reach        20, 30, 0, 50   -> scaled .4, .6, 0, 1
  poverty_rate        .3, .4, .5, .6  -> scaled 0, 1/3, 2/3, 1
  ethnic share        all .9          -> all 0
  especially diff.    1, 0, 1, 0
  schools w/o toilet  1, 0, 1, 0      -> scaled 1, 0, 1, 0
  land available      all 1000        -> all 0
"""
import pytest

from planner.errors import UsageError
from planner.io import read_package
from planner.ranking import (CRITERIA, PRESETS, check_weights, explain, parse_weights, rank,
                             target_path)


@pytest.fixture()
def tiny(tiny_dir):
    return read_package(tiny_dir)


def scores(r):
    return {row.code: round(row.score, 3) for row in r.table.itertuples()}


def test_balanced_by_hand(tiny):
    r = rank(tiny, preset="balanced", radius_m=1000)
    # weights 2,1,2,1,1,1,1,1 / 10. D: .2 + .1 + .2 + .1 = .6; B: .2 + .2*.6 + .1/3;
    # C: .1*.75 + .1*2/3 + .1 + .1; A: .2*.4 + .1 + .1
    assert scores(r) == {"004": 60.0, "002": 35.333, "003": 34.167, "001": 28.0}
    assert list(r.table["code"]) == ["004", "002", "003", "001"]
    assert list(r.table["rank"]) == [1, 2, 3, 4]
    row = r.table.iloc[1]  # B
    assert row["no_point_points"] == pytest.approx(20.0)
    assert row["children_out_of_reach_value"] == 30 and row["children_out_of_reach_points"] == pytest.approx(12.0)
    parts = sum(row[f"{c}_points"] for c in CRITERIA)
    assert parts == pytest.approx(row["score"])  # the score is the visible sum of its parts


def test_equity_first_by_hand(tiny):
    r = rank(tiny, preset="equity_first", radius_m=1000)
    # weights 1, .5, 2, 3, 2, 3, 1, .5 (sum 13): D 6.5/13, C 6.375/13, A 4.8/13, B 3.2/13
    assert scores(r) == {"004": 50.0, "003": 49.038, "001": 36.923, "002": 24.615}


def test_target_fastest_by_hand(tiny):
    r = rank(tiny, preset="target_fastest", radius_m=1000)
    # weights no_point 6, children 1, out of reach 1, land 2 (sum 10)
    assert scores(r) == {"004": 80.0, "002": 66.0, "003": 7.5, "001": 4.0}


def test_custom_weights_override_and_normalise(tiny):
    r = rank(tiny, weights={"no_point": 3, "children": 1}, radius_m=1000)
    assert r.preset is None
    assert r.weights["no_point"] == 0.75 and r.weights["children"] == 0.25 and r.weights["poverty_rate"] == 0
    assert scores(r) == {"004": 100.0, "002": 75.0, "003": 18.75, "001": 0.0}


def test_ties_go_to_more_children_then_code(tiny):
    r = rank(tiny, weights={"land_available": 1}, radius_m=1000)  # everyone scores 0
    assert list(r.table["code"]) == ["004", "003", "001", "002"]  # 50, 45, then 30 and 30 by code


def test_radius_changes_out_of_reach(tiny):
    r = rank(tiny, weights={"children_out_of_reach": 1}, radius_m=2000)
    # at 2 km A2 is reached too: out of reach A 0, B 30, C 0, D 50 -> 0, 60, 0, 100
    assert scores(r) == {"004": 100.0, "002": 60.0, "001": 0.0, "003": 0.0}


@pytest.mark.parametrize(
    "weights, key",
    [
        ({"nope": 1}, "err.rank_criterion"),
        ({"no_point": -1}, "err.rank_weight"),
        ({"no_point": "x"}, "err.rank_weight"),
        ({"no_point": float("nan")}, "err.rank_weight"),
        ({"no_point": 0, "children": 0}, "err.rank_zero"),
    ],
)
def test_weight_errors(weights, key):
    with pytest.raises(UsageError) as err:
        check_weights(weights)
    assert err.value.key == key
    assert err.value.message("vi") != err.value.message("en")


def test_error_messages_say_what_to_do():
    with pytest.raises(UsageError) as err:
        check_weights({"nope": 1})
    assert err.value.message("en") == "Unknown criterion: nope. Criteria: " + ", ".join(CRITERIA)
    with pytest.raises(UsageError) as err:
        rank(None, preset="fastest", radius_m=1000)
    assert err.value.message("en") == "No preset 'fastest'. Presets: balanced, equity_first, target_fastest"
    with pytest.raises(UsageError) as err:
        parse_weights("no_point:3")
    assert "name=value" in err.value.message("en") and "tên=giá_trị" in err.value.message("vi")


def test_parse_weights():
    assert parse_weights(" no_point=3, children=1 ,") == {"no_point": "3", "children": "1"}
    assert check_weights(parse_weights("no_point=3,children=1"))["no_point"] == 0.75


def test_target_path_on_demo(demo):
    r = rank(demo, preset="target_fastest", radius_m=2000)
    path = target_path(r)
    assert (path["communes_with_point"] == r.communes_with_point + path["step"]).all()
    assert path.loc[path["reaches"] == "2025", "communes_with_point"].item() == 12
    assert path.loc[path["reaches"] == "2030", "communes_with_point"].item() == 14
    assert len(path) == 38 - r.communes_with_point
    assert list(path["score"]) == sorted(path["score"], reverse=True)


def test_explanation_in_both_languages(tiny):
    r = rank(tiny, preset="balanced", radius_m=1000)
    assert explain(r, "004", "vi") == (
        "Xã D xếp thứ 1/4 (điểm ưu tiên 60,0), chủ yếu vì: chưa có điểm vui chơi (+20,0); "
        "50 trẻ em ngoài tầm tiếp cận (+20,0); 50 trẻ em (+10,0).")
    assert explain(r, "001", "en").startswith("Xã A ranks 4 of 4 (score 28.0), mainly because of: ")
    zero = rank(tiny, weights={"land_available": 1}, radius_m=1000)
    assert "no weighted criterion" in explain(zero, "001", "en")


def test_presets_cover_every_criterion():
    for weights in PRESETS.values():
        assert set(weights) == set(CRITERIA)
