"""Scenario figures and phasing, worked out by hand on the tiny fixture, and the file round trip."""
from dataclasses import replace

import geopandas as gpd
import pytest
from shapely.geometry import Point

from planner.analysis import Analysis
from planner.errors import PlannerError, UsageError
from planner.io import read_package
from planner.proposals import propose_at
from planner.scenario_file import from_gpkg, to_gpkg
from planner.scenarios import Scenario, auto_phase, figures, from_json
from tests.conftest import UTM, X0, Y0


def lonlat(x, y):
    p = gpd.GeoSeries([Point(X0 + x, Y0 + y)], crs=UTM).to_crs(4326).iloc[0]
    return p.x, p.y


@pytest.fixture()
def tiny(tiny_dir):
    return read_package(tiny_dir)


@pytest.fixture()
def plan(tiny):
    d = propose_at(tiny, *lonlat(31_000, 5_000))  # D1: gives D a point, 50 children
    b = propose_at(tiny, *lonlat(13_000, 5_000), existing=(d,))  # B1: gives B a point, 30 children
    d = replace(d, cost_vnd=2_000_000_000, year=2027)
    b = replace(b, cost_vnd=1_000_000_000, year=2026, funding="non_state")
    return Scenario(name="Thử", radius_m=1000, budget_by_year={2026: 0, 2027: 1_500_000_000, 2028: 0, 2029: 0, 2030: 0},
                    proposals=(d, b))


def test_figures_by_hand(tiny, plan):
    f = figures(Analysis.of(tiny), plan)
    assert (f.communes_with_point_before, f.communes_with_point, f.communes_total) == (2, 4, 4)
    assert (f.children_newly_reached, f.communes_newly_with_point) == (80, 2)
    assert f.cost_total_vnd == 3_000_000_000
    assert f.cost_by_year == {2026: 1_000_000_000, 2027: 2_000_000_000}
    assert f.cost_by_funding == {"state": 2_000_000_000, "non_state": 1_000_000_000}
    assert f.over_budget == {2027: 500_000_000}  # 2 bn of state money against 1.5 bn
    assert f.cost_per_child_vnd == pytest.approx(3_000_000_000 / 80)
    # 2 of 4 communes already meet 30% and 35% (ceil(1.2) = ceil(1.4) = 2)
    assert (f.year_2025_target, f.year_2030_target, f.short_2030_end) == (2025, 2025, 0)


def test_year_target_reached(demo):
    # demo: 9 of 38 communes; 35% needs 14. Five communes without a point, one a year 2026-2030.
    from planner.ranking import rank
    codes = [c for c in rank(demo, preset="target_fastest", radius_m=2000).table["code"]][:5]
    centres = demo.communes.set_index("code").geometry.representative_point()
    props = []
    for k, code in enumerate(codes):
        p = propose_at(demo, centres[code].x, centres[code].y, existing=tuple(props))
        props.append(replace(p, year=2026 + k))
    f = figures(Analysis.of(demo), Scenario(name="x", proposals=tuple(props)))
    assert f.communes_with_point == 14
    assert (f.year_2025_target, f.year_2030_target, f.short_2030_end) == (2028, 2030, 0)
    f2 = figures(Analysis.of(demo), Scenario(name="y", proposals=tuple(props[:2])))
    assert (f2.year_2025_target, f2.year_2030_target, f2.short_2030_end) == (None, None, 3)


def test_auto_phase_fills_earliest_year(plan):
    a, b = plan.proposals  # a: 2.0 bn state; b: 1.0 bn non-state
    c = replace(a, id="N003", cost_vnd=700_000_000)
    placed, unfit = auto_phase((a, b, c), {2026: 1_000_000_000, 2027: 2_500_000_000, 2028: 0, 2029: 0, 2030: 0})
    assert [(p.id, p.year) for p in placed] == [("N001", 2027), ("N002", 2026), ("N003", 2026)]
    assert unfit == ()
    placed, unfit = auto_phase((a,), {2026: 1_000_000_000})
    assert placed == () and unfit == (a,)


def test_json_and_gpkg_round_trip(plan, tmp_path):
    assert from_json(plan.to_json()) == plan
    data = to_gpkg(plan)
    back = from_gpkg(data)
    assert back == plan
    path = tmp_path / "s.gpkg"
    path.write_bytes(data)
    import pyogrio
    layers = dict(pyogrio.list_layers(path))
    assert layers["proposals"] == "Point" and "parameters" in layers  # a point layer QGIS can show
    assert from_gpkg(to_gpkg(replace(plan, proposals=()))).proposals == ()


def test_bad_files_are_explained():
    with pytest.raises(PlannerError) as err:
        from_gpkg(b"not a geopackage")
    assert err.value.key == "err.gpkg_not_sqlite"  # checked before GDAL opens it (tests/test_untrusted.py)
    with pytest.raises(UsageError) as err:
        from_json('{"description": "no name"}')
    assert "malformed" in err.value.message("en")


def test_the_reach_rule_is_saved_with_the_scenario(tmp_path):
    from planner.reach import ReachRule
    from planner.scenarios import from_dict, from_json
    from planner.store import ScenarioStore

    s = Scenario(name="Đi bộ 45 phút", reach_mode="walk", walk_minutes=45.0)
    assert from_json(s.to_json()) == s and s.reach_rule == ReachRule(mode="walk", minutes=45)
    store = ScenarioStore(tmp_path / "s.sqlite")
    saved = store.save(s)
    assert store.load("Đi bộ 45 phút").reach_rule == ReachRule(mode="walk", minutes=45) and saved.version == 1
    old = {k: v for k, v in s.to_dict().items() if k not in ("reach_mode", "walk_minutes")}
    assert from_dict(old).reach_rule == ReachRule(mode="line", radius_m=2000)  # files from before issue 15
    for field, value in (("reach_mode", "fly"), ("walk_minutes", 0), ("walk_minutes", 1e9)):
        with pytest.raises(UsageError) as e:
            from_dict({**s.to_dict(), field: value})
        assert e.value.key == "err.scenario_value" and field in e.value.message("vi")
