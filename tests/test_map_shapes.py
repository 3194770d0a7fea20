"""Display geometry: communes simplified for the screen keep their shared edges (no gap, no overlap
at any zoom the app offers), and nothing but the screen map uses them."""
import dataclasses

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import box

from planner.map_shapes import DECIMALS, MAX_ZOOM, SIMPLIFY_M, display_shapes, pixel_m

UTM = "EPSG:32648"
MIN_ZOOM = 7  # the widest view of a province the app's maps open at or can be zoomed out to usefully


def staircase_communes(n_seeds=14, cell_m=40.0, size_m=12_000.0, seed=3) -> gpd.GeoDataFrame:
    """A detailed coverage: 40 m cells given to the nearest of `n_seeds` seeds and merged, so that
    every boundary is a staircase of thousands of vertices shared exactly by two communes."""
    rng = np.random.default_rng(seed)
    seeds = rng.random((n_seeds, 2)) * size_m
    n = int(size_m / cell_m)
    xs, ys = np.meshgrid((np.arange(n) + 0.5) * cell_m, (np.arange(n) + 0.5) * cell_m)
    owner = np.argmin(((xs[..., None] - seeds[:, 0]) ** 2 + (ys[..., None] - seeds[:, 1]) ** 2), axis=-1).ravel()
    x0, y0 = 300_000.0, 2_470_000.0  # Lai Châu, UTM 48N
    cells = shapely.box(x0 + xs.ravel() - cell_m / 2, y0 + ys.ravel() - cell_m / 2,
                        x0 + xs.ravel() + cell_m / 2, y0 + ys.ravel() + cell_m / 2)
    geoms = [shapely.union_all(cells[owner == k], grid_size=1e-3) for k in range(n_seeds)]
    frame = gpd.GeoDataFrame({"code": [f"{k:05d}" for k in range(n_seeds)]}, geometry=geoms, crs=UTM)
    return frame.to_crs(4326)


def _vertices(geoms) -> int:
    return int(sum(len(shapely.get_coordinates(g)) for g in geoms))


def _degrees(metres: float) -> float:
    return metres / 111_320.0


def _assert_clean_coverage(original: gpd.GeoSeries, shown: gpd.GeoSeries) -> None:
    geoms = shown.to_numpy()
    assert shapely.is_valid(geoms).all()
    # at every zoom the app offers: no overlap, and no gap up to a pixel wide that the data does not
    # have itself (a notch of the province's outline narrower than a pixel counts as such a gap)
    truth = original.to_crs(4326).to_numpy()
    for zoom in range(MIN_ZOOM, MAX_ZOOM + 1):
        width = _degrees(pixel_m(zoom, lat=22.0))
        assert bool(shapely.coverage_is_valid(geoms, gap_width=width)) or not bool(shapely.coverage_is_valid(truth, gap_width=width))
        flagged = lambda g: int(sum(1 for e in shapely.coverage_invalid_edges(g, gap_width=width) if e is not None and not e.is_empty))
        assert flagged(geoms) <= flagged(truth), zoom
    assert bool(shapely.coverage_is_valid(geoms, gap_width=_degrees(pixel_m(MAX_ZOOM - 4, lat=22.0))))
    # no wider gap either: the union has the holes the data has (none), and the areas add up exactly
    union = shapely.union_all(geoms)
    assert union.geom_type == "Polygon" and len(union.interiors) == 0
    assert sum(g.area for g in geoms) == pytest.approx(union.area, rel=1e-9)
    # each commune stays within the tolerance of its true outline (metres), rounding included
    metric, true = gpd.GeoSeries(geoms, crs=4326).to_crs(UTM), original.to_crs(UTM)
    worst = max(a.hausdorff_distance(b) for a, b in zip(metric, true))
    assert worst <= SIMPLIFY_M + 1.5


def test_a_detailed_coverage_is_simplified_without_gaps_or_overlaps():
    communes = staircase_communes()
    shown = display_shapes(communes)
    assert shown.crs.to_epsg() == 4326 and list(shown.index) == list(communes.index)
    before, after = _vertices(communes.geometry), _vertices(shown)
    assert before > 5_000 and after < 0.5 * before, (before, after)
    _assert_clean_coverage(communes.geometry, shown)
    # neighbours share exactly the same edge: their intersection is a line, never an area
    geoms = shown.to_numpy()
    touching = [(i, j) for i in range(len(geoms)) for j in range(i + 1, len(geoms)) if geoms[i].intersects(geoms[j])]
    assert len(touching) >= len(geoms)
    assert all(geoms[i].intersection(geoms[j]).area == 0 for i, j in touching)
    # coordinates to 5 decimals (about 1 m: under two pixels at zoom 18)
    xy = shapely.get_coordinates(geoms)
    assert np.array_equal(xy, np.round(xy, DECIMALS)) and MAX_ZOOM == 18 and pixel_m(18, lat=22.0) == pytest.approx(0.5537, abs=1e-4)


def test_demo_communes_stay_a_clean_coverage(demo):
    shown = display_shapes(demo.communes)
    _assert_clean_coverage(demo.communes.geometry, shown)
    assert display_shapes(demo.communes) is shown  # once per package


def test_communes_that_overlap_in_the_data_are_only_rounded():
    a, b = box(103.0, 22.0, 103.1, 22.1), box(103.09, 22.0, 103.2, 22.1)  # 0.01° overlap: not a coverage
    wiggly = shapely.segmentize(a, 0.001)
    frame = gpd.GeoDataFrame({"code": ["1", "2"]}, geometry=[wiggly, b], crs=4326)
    shown = display_shapes(frame)
    assert _vertices(shown) == _vertices(frame.geometry)  # not simplified
    assert shown.iloc[0].equals_exact(wiggly, tolerance=5.01e-6)


def test_the_package_and_every_figure_keep_full_precision(demo, monkeypatch):
    """Only the screen map uses the display shapes: the package keeps its geometry, and the figures,
    exports and printed maps are computed with display_shapes unavailable."""
    before = demo.communes.geometry.copy()
    display_shapes(demo.communes)
    assert demo.communes.geometry.geom_equals_exact(before, tolerance=0).all()

    import planner.map_shapes

    def refuse(*args, **kwargs):
        raise AssertionError("display geometry used outside the screen map")

    monkeypatch.setattr(planner.map_shapes, "display_shapes", refuse)
    from planner.exports import to_geojson
    from planner.printmap import print_map
    from planner.proposals import propose_at
    from planner.ranking import rank
    from planner.summary import summarize
    from planner.analysis import Analysis

    s = summarize(demo, radius_m=2000)
    assert s.reach.children_within == 18_764
    ranking = rank(demo, radius_m=2000)
    p = propose_at(demo, 103.36, 22.7547)
    assert p.commune_code in set(demo.communes["code"])
    exported = gpd.read_file(__import__("io").BytesIO(to_geojson(ranking, demo, "vi")))
    full = demo.communes.set_index("code").geometry
    assert all(g.equals_exact(full[c], tolerance=1e-9) for c, g in zip(exported["code"], exported.geometry))
    assert print_map(Analysis.of(demo), view="overview", lang="vi", file_format="png")


def test_only_the_map_package_imports_display_shapes():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    users = sorted(p.relative_to(root).as_posix() for folder in ("planner", "ui", "views") for p in (root / folder).rglob("*.py")
                   if "map_shapes" in p.read_text(encoding="utf-8") and p.name != "map_shapes.py")
    assert users == ["planner/maps/__init__.py"]


def test_a_frame_changed_into_a_new_one_gets_its_own_shapes(demo):
    moved = dataclasses.replace(demo, communes=demo.communes.assign(geometry=demo.communes.translate(0.001, 0)))
    a, b = display_shapes(demo.communes), display_shapes(moved.communes)
    assert not a.iloc[0].equals(b.iloc[0])
