import numpy as np
import pytest

from planner.coverage import reach, within_radius
from planner.errors import UsageError
from planner.io import read_package


def test_within_radius_is_inclusive_and_straight_line():
    demand = np.array([[3.0, 4.0], [3.0, 4.1], [100.0, 0.0], [-5.0, 0.0]])
    facilities = np.array([[0.0, 0.0], [100.0, 0.5]])
    # distances to the nearest facility: 5 (exactly), ~5.08, 0.5, 5 (exactly)
    assert within_radius(demand, facilities, radius_m=5).tolist() == [True, False, True, True]
    assert within_radius(demand, facilities, radius_m=0.4).tolist() == [False, False, False, False]


def test_no_facilities_reaches_nobody():
    assert within_radius(np.zeros((3, 2)), np.empty((0, 2)), radius_m=10).tolist() == [False] * 3


@pytest.mark.parametrize("bad", [0, -1, "abc", float("nan"), float("inf"), None])
def test_bad_radius_is_a_usage_error(bad):
    with pytest.raises(UsageError) as err:
        within_radius(np.zeros((1, 2)), np.zeros((1, 2)), radius_m=bad)
    assert "radius" in err.value.message("en")
    assert "Bán kính" in err.value.message("vi")


@pytest.mark.parametrize(
    "radius, children, people",
    [(1000, 55, 160), (2000, 75, 210), (5999, 75, 210), (6001, 125, 330), (20_000, 155, 420)],
)
def test_reach_on_tiny_package(tiny_dir, radius, children, people):
    pkg = read_package(tiny_dir)
    existing = pkg.play_points[pkg.play_points["status"] == "existing"]
    r = reach(pkg.villages, existing, radius_m=radius)
    assert r.metric_crs == "EPSG:32648"
    assert (r.children_within, r.people_within) == (children, people)
    assert (r.children_total, r.people_total) == (155, 420)


def test_reach_per_commune(tiny_dir):
    pkg = read_package(tiny_dir)
    existing = pkg.play_points[pkg.play_points["status"] == "existing"]
    r = reach(pkg.villages, existing, radius_m=1000, commune_codes=pkg.communes["code"])
    assert r.by_commune["children_within"].to_dict() == {"001": 10, "002": 0, "003": 45, "004": 0}
    assert r.by_commune["children"].to_dict() == {"001": 30, "002": 30, "003": 45, "004": 50}


def test_adding_a_point_never_lowers_reach(demo):
    existing = demo.play_points[demo.play_points["status"] == "existing"]
    before = reach(demo.villages, existing, radius_m=2000).children_within
    more = demo.play_points  # existing + under construction
    after = reach(demo.villages, more, radius_m=2000).children_within
    assert after >= before
    assert reach(demo.villages, existing, radius_m=3000).children_within >= before
