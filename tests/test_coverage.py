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


def test_nearest_distance_on_tiny_package(tiny_dir):
    from planner.coverage import nearest_m

    pkg = read_package(tiny_dir)
    existing = pkg.play_points[pkg.play_points["status"] == "existing"]
    d = nearest_m(pkg.villages, existing, metric_crs="EPSG:32648")
    # A1 0.5 km, A2 1.5 km from A's point; B1 8 km; C1 on C's point, C2 0.9 km; D1 6 km from C's point
    # (to the metre: the package stores rounded coordinates)
    assert dict(zip(pkg.villages["id"], d.round(0))) == {"A1": 500, "A2": 1500, "B1": 8000, "C1": 0, "C2": 900, "D1": 6000}
    assert np.isinf(nearest_m(pkg.villages, existing.iloc[:0])).all()


@pytest.mark.parametrize("radius", [500, 1000, 1500, 5999, 6000, 20_000])
def test_reach_from_distances_equals_reach_from_points(tiny_dir, radius):
    from planner.coverage import nearest_m
    from planner.summary import existing_distance_m, summarize

    pkg = read_package(tiny_dir)
    existing = pkg.play_points[pkg.play_points["status"] == "existing"]
    direct = reach(pkg.villages, existing, radius_m=radius)
    kept = reach(pkg.villages, radius_m=radius, distance_m=nearest_m(pkg.villages, existing))
    assert direct.by_commune.equals(kept.by_commune)
    assert (direct.children_within, direct.people_within) == (kept.children_within, kept.people_within)
    a = summarize(pkg, radius_m=radius)
    b = summarize(pkg, radius_m=radius, distance_m=existing_distance_m(pkg))
    assert a.to_json() == b.to_json() and a.communes.equals(b.communes)


def test_villages_of_unlisted_communes_count_in_totals_only(tiny_dir):
    import pandas as pd

    pkg = read_package(tiny_dir)
    existing = pkg.play_points[pkg.play_points["status"] == "existing"]
    r = reach(pkg.villages, existing, radius_m=1000, commune_codes=pd.Index(["003", "001"]))
    assert r.by_commune.index.tolist() == ["003", "001"]
    assert r.by_commune["children_within"].tolist() == [45, 10]
    assert r.by_commune["children"].tolist() == [45, 30]
    assert (r.children_total, r.children_within) == (155, 55)
