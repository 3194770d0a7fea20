"""Reach in walking minutes on the tiny package, worked out by hand, and the same figures from
the analysis, the optimiser and the CLI.

The tiny package (tests/conftest.py) lies on a 100 m grid whose ground rises eastwards at 20 %.
A child walks 3.84 km/h (64 m/min) on flat ground; walking west is downhill at -20 %, where Tobler
gives exp(-3.5 * 0.15) / exp(-3.5 * 0.05) = exp(-0.35) of the flat speed; north-south is flat.
Times from home to the nearest existing point (P1 at x = 5 km, P2 at x = 25 km, y = 5 km):
  A1 500 m west, downhill   500 / 64 / exp(-0.35) = 11.087 min
  A2 1 500 m west, downhill                        = 33.260 min
  B1 8 000 m west to P1, downhill                  = 177.38 min (12 km uphill to P2 is longer)
  C1 on P2                                         = 0
  C2 900 m north, flat      900 / 64               = 14.0625 min
  D1 6 000 m west, downhill                        = 133.04 min
"""
import heapq
import json
import math

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from planner.analysis import Analysis
from planner.errors import UsageError
from planner.io import read_package
from planner.reach import Measure, ReachRule, WalkMeasure
from planner.summary import existing_points, summarize
from planner.walking import CHILD_FLAT_KMH, OFFSETS, Terrain, WalkingModel, flat_speed_grid
from tests.conftest import X0, Y0

SLOPE, CELL = 0.2, 100.0
DOWN = math.exp(-0.35)
BY_HAND = {"A1": 500 / 64 / DOWN, "A2": 1500 / 64 / DOWN, "B1": 8000 / 64 / DOWN, "C1": 0.0, "C2": 900 / 64,
           "D1": 6000 / 64 / DOWN}


def tilted_grid():
    rows, cols = 100, 400  # 10 km x 40 km
    z = np.tile(np.arange(cols) * CELL * SLOPE, (rows, 1)).astype(np.float32)
    return z, from_origin(X0 - CELL / 2, Y0 + 10_000 + CELL / 2, CELL, CELL)  # the package's points at cell centres


def write_terrain(folder):
    z, transform = tilted_grid()
    (folder / "terrain").mkdir(exist_ok=True)
    with rasterio.open(folder / "terrain" / "elevation.tif", "w", driver="GTiff", width=z.shape[1], height=z.shape[0],
                       count=1, dtype="float32", crs="EPSG:32648", transform=transform, nodata=float("nan")) as dst:
        dst.write(z, 1)


def tiny_terrain() -> Terrain:
    z, _ = tilted_grid()
    return Terrain(z.astype(float), flat_speed_grid(z.shape, model=WalkingModel()), X0 - CELL / 2, Y0 + 10_000 + CELL / 2,
                   CELL, "EPSG:32648")


@pytest.fixture
def tiny(tiny_dir):
    return read_package(tiny_dir)


def test_walking_minutes_by_hand(tiny):
    assert CHILD_FLAT_KMH == 3.84
    m = WalkMeasure(tiny, terrain=tiny_terrain())
    got = dict(zip(tiny.villages["id"], m.to_nearest(existing_points(tiny))))
    assert got == pytest.approx(BY_HAND, rel=1e-6)


@pytest.mark.parametrize("minutes, children", [(10, 40), (15, 55), (30, 55), (35, 75), (140, 125), (180, 155)])
def test_children_within_a_walk(tiny, minutes, children):
    m = WalkMeasure(tiny, terrain=tiny_terrain())
    s = summarize(tiny, rule=ReachRule(mode="walk", minutes=minutes), measure=m)
    assert s.reach.children_within == children
    assert s.rule.walking and s.to_json()["walk_minutes"] == minutes and s.to_json()["radius_m"] is None


def test_a_proposal_counts_by_walking_time(tiny):
    from planner.proposals import Proposal, proposals_frame

    m = WalkMeasure(tiny, terrain=tiny_terrain())
    rule = ReachRule(mode="walk", minutes=30)
    # a point 1 km EAST of D1 (x = 32 km): D1 walks 1 km uphill = 1000 / 64 / exp(-0.7) = 31.5 min > 30;
    # a point 1 km WEST of D1: downhill, 1000 / 64 / exp(-0.35) = 22.2 min
    lon_lat = lambda x: tuple(  # noqa: E731
        __import__("geopandas").GeoSeries.from_xy([X0 + x], [Y0 + 5_000], crs="EPSG:32648").to_crs(4326).iloc[0].coords[0])
    east, west = lon_lat(32_050), lon_lat(29_950)
    up = summarize(tiny, rule=rule, measure=m, extra_points=proposals_frame([Proposal("N1", *east, "004")]))
    down = summarize(tiny, rule=rule, measure=m, extra_points=proposals_frame([Proposal("N1", *west, "004")]))
    assert up.reach.children_within == 55 and down.reach.children_within == 105


def test_straight_line_measure_unchanged(tiny):
    d = Measure(tiny).to_nearest(existing_points(tiny))
    assert dict(zip(tiny.villages["id"], d)) == pytest.approx(  # coordinates kept to 6 decimals: 0.1 m
        {"A1": 500, "A2": 1500, "B1": 8000, "C1": 0, "C2": 900, "D1": 6000}, abs=0.2)


def test_cover_matrix_by_walking(tiny):
    import geopandas as gpd
    from shapely.geometry import Point

    m = WalkMeasure(tiny, terrain=tiny_terrain())
    sites = gpd.GeoDataFrame({"id": ["W", "E"]}, geometry=[Point(X0 + 12_050, Y0 + 5_050), Point(X0 + 13_950, Y0 + 5_050)],
                             crs="EPSG:32648").to_crs(4326)
    cover = m.cover(sites, limit=20.0).toarray()
    ids = list(tiny.villages["id"])
    # B1 (x = 13 km, cell centre 13.05 km) to W (12.05 km): 1 km downhill = 22.2 min: out;
    # to E (13.95 km): 900 m uphill = 900 / 64 / exp(-0.7) = 28.3 min: out; at 30 min only W... and at 25 min W
    assert not cover[ids.index("B1")].any()
    cover25 = m.cover(sites, limit=25.0).toarray()
    assert cover25[ids.index("B1")].tolist() == [True, False]
    assert m.cover(sites, limit=30.0).toarray()[ids.index("B1")].tolist() == [True, True]


def test_rule_checks():
    with pytest.raises(UsageError) as e:
        ReachRule(mode="fly")
    assert e.value.key == "err.reach_mode"
    for bad in (0, -5, 241, "abc", float("nan")):
        with pytest.raises(UsageError) as e:
            ReachRule(mode="walk", minutes=bad)
        assert e.value.key == "err.minutes"
    assert ReachRule(mode="walk", minutes="45").minutes == 45.0
    assert ReachRule(mode="walk", minutes=30).words("vi") == "đi bộ, tối đa 30 phút"
    assert ReachRule(radius_m=2000).within("vi") == "trong bán kính 2.000 m"
    assert ReachRule(mode="walk", minutes=30).within("en") == "within a 30-minute walk"


def test_walking_without_terrain_is_refused_with_a_clear_message(tiny):
    with pytest.raises(UsageError) as e:
        Analysis.of(tiny, reach=ReachRule(mode="walk"))
    assert e.value.key == "err.no_terrain"
    assert "DEM" in e.value.message("vi")


def independent_minutes(terrain: Terrain, home_rc, targets: set, *, limit: float) -> float:
    """A plain heap Dijkstra FORWARD from home (the other direction from the planner's search),
    with the same moves and rules written out again: the time to the first target cell reached."""
    z, kmh = terrain.elevation_m, terrain.flat_kmh
    rows, cols = z.shape
    ok = lambda r, c: 0 <= r < rows and 0 <= c < cols and np.isfinite(z[r, c]) and np.isfinite(kmh[r, c])  # noqa: E731
    best = {home_rc: 0.0}
    heap = [(0.0, home_rc)]
    while heap:
        t, (r, c) = heapq.heappop(heap)
        if (r, c) in targets:
            return t
        if t > best.get((r, c), np.inf) or t > limit:
            continue
        for dr, dc in OFFSETS:
            r2, c2 = r + int(dr), c + int(dc)
            passed = []
            if abs(dr) == 1 and abs(dc) == 1:
                passed = [(r + dr, c), (r, c + dc)]
            elif abs(dr) == 2:
                passed = [(r + dr // 2, c), (r + dr // 2, c + dc)]
            elif abs(dc) == 2:
                passed = [(r, c + dc // 2), (r + dr, c + dc // 2)]
            if not ok(r2, c2) or not all(ok(*p) for p in passed):
                continue
            length = terrain.cell_m * math.hypot(dr, dc)
            slope = (z[r2, c2] - z[r, c]) / length
            speed_ratio = math.exp(-3.5 * abs(slope + 0.05)) / math.exp(-3.5 * 0.05)
            minutes = 0.5 * length / 1000 * 60 * (1 / kmh[r, c] + 1 / kmh[r2, c2]) / speed_ratio
            if t + minutes < best.get((r2, c2), np.inf):
                best[(r2, c2)] = t + minutes
                heapq.heappush(heap, (t + minutes, (r2, c2)))
    return np.inf


def test_independent_forward_search_agrees_on_a_rough_terrain(tiny):
    rng = np.random.default_rng(11)
    z, _ = tilted_grid()
    rough = (z + rng.normal(0, 15, z.shape).cumsum(axis=0)).astype(float)
    river = np.zeros(z.shape, dtype=bool)
    river[:, 120] = True  # between A and B, crossed by a path at row 70 only
    path = np.zeros(z.shape, dtype=np.int8)
    path[70, 100:140] = 3
    ter = Terrain(rough, flat_speed_grid(z.shape, model=WalkingModel(), path_class=path, barrier=river), X0 - CELL / 2,
                  Y0 + 10_000 + CELL / 2, CELL, "EPSG:32648")
    m = WalkMeasure(tiny, terrain=ter)
    ours = m.to_nearest(existing_points(tiny), limit=200.0)
    pts = m.snap(existing_points(tiny))
    targets = {divmod(int(m.graph.cell_of_node[n]), z.shape[1]) for n in pts.node}
    for i, node in enumerate(m.villages.node):
        home = divmod(int(m.graph.cell_of_node[node]), z.shape[1])
        theirs = independent_minutes(ter, home, targets, limit=200.0)
        assert ours[i] == pytest.approx(theirs, rel=1e-5) or (np.isinf(ours[i]) and theirs > 200.0)


def test_summary_json_and_cli_in_walking_mode(tiny_dir, capsys):
    write_terrain(tiny_dir)
    pkg = read_package(tiny_dir)
    assert pkg.has_terrain
    from planner.cli import main

    assert main(["summary", "--data", str(tiny_dir), "--reach", "walk", "--minutes", "30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["reach_mode"] == "walk" and out["walk_minutes"] == 30 and out["children_within_reach"] == 55
    an = Analysis.of(pkg, reach=ReachRule(mode="walk", minutes=30))
    assert an.summary.reach.children_within == 55
    assert an.at(reach=ReachRule(mode="walk", minutes=35)).summary.reach.children_within == 75
    assert an.at(reach=ReachRule(radius_m=1000)).summary.reach.children_within == 55  # A1, C1, C2
    assert main(["summary", "--data", str(tiny_dir), "--reach", "walk", "--minutes", "0"]) == 2
    assert "phút" in capsys.readouterr().err


def test_cli_options_that_do_not_fit_the_mode_are_refused(capsys):
    from planner.cli import main

    assert main(["summary", "--minutes", "30"]) == 2
    assert "--minutes chỉ dùng với --reach walk" in capsys.readouterr().err
    assert main(["summary", "--reach", "walk", "--radius-m", "2000"]) == 2
    assert "--radius-m chỉ dùng với --reach line" in capsys.readouterr().err
    assert main(["summary", "--reach", "fly"]) == 2
    assert "fly" in capsys.readouterr().err


def test_villages_on_a_river_are_moved_and_the_planner_is_told(tiny):
    z, _ = tilted_grid()
    river = np.zeros(z.shape, dtype=bool)
    river[:, 55] = True  # through A1's cell (x = 5.5 km)
    ter = Terrain(z.astype(float), flat_speed_grid(z.shape, model=WalkingModel(), barrier=river), X0 - CELL / 2,
                  Y0 + 10_000 + CELL / 2, CELL, "EPSG:32648")
    s = summarize(tiny, rule=ReachRule(mode="walk"), measure=WalkMeasure(tiny, terrain=ter))
    assert s.snapped == {"villages": {"moved": 1, "max_moved_m": 100.0, "not_placed": 0},
                         "points": {"moved": 0, "max_moved_m": 0.0, "not_placed": 0}}
    assert s.to_json()["snapped"] == s.snapped
    from planner.reach import snapped_text

    assert snapped_text(s.snapped, "vi") == ("Trên lưới địa hình, 1 thôn bản và 0 điểm nằm trên sông, hồ hoặc ô không có "
                                             "độ cao được dời đến ô đi được gần nhất (xa nhất 100 m).")
    assert snapped_text(summarize(tiny, rule=ReachRule(mode="walk"), measure=WalkMeasure(tiny, terrain=tiny_terrain()))
                        .snapped, "vi") is None
    assert summarize(tiny).snapped is None and "snapped" not in summarize(tiny).to_json()
