"""Walking catchments, bands and the travel-time surface on small synthetic terrains (flat ground
at 60 m a minute, so a catchment at T minutes is close to a disc of radius 60 T metres)."""
from __future__ import annotations

import io
import math
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from pyproj import Transformer
from shapely.geometry import Point

from planner import isochrones as iso
from planner.io import DEMO_DIR, read_package, write_package
from planner.reach import WalkMeasure
from planner.summary import existing_points
from planner.walking import Terrain, WalkingModel, flat_speed_grid
from tests.conftest import UTM, X0, Y0, tiny_layers

CELL = 100.0
KMH = 3.6  # 60 m a minute
MODEL = WalkingModel(child_flat_kmh=KMH, road_kmh=KMH, track_kmh=KMH, path_kmh=KMH)
SHAPE = (100, 400)  # the tiny package's four communes, 40 km x 10 km


def write_terrain_package(folder: Path, *, cell_m: float = 500.0) -> Path:
    """The demo package copied to `folder`, with a synthetic elevation model over all of Lai Châu
    (EPSG:32648, gentle hills): a package that can walk."""
    import rasterio
    from rasterio.transform import from_origin

    from planner.contracts import ELEVATION

    shutil.copytree(DEMO_DIR, folder)
    minx, miny, maxx, maxy = read_package(folder).communes.to_crs(UTM).total_bounds
    x0, y0 = math.floor(minx / cell_m) * cell_m - 3000, math.ceil(maxy / cell_m) * cell_m + 3000
    w, h = int((maxx + 3000 - x0) // cell_m) + 1, int((y0 - miny + 3000) // cell_m) + 1
    xx, yy = np.meshgrid(np.arange(w) * cell_m, np.arange(h) * cell_m)
    z = (800 + 300 * np.sin(xx / 6000.0) * np.cos(yy / 8000.0)).astype(np.float32)
    (folder / ELEVATION).parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(folder / ELEVATION, "w", driver="GTiff", width=w, height=h, count=1, dtype="float32", crs=UTM,
                       transform=from_origin(x0, y0, cell_m, cell_m), nodata=-9999.0) as ds:
        ds.write(z, 1)
    return folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return read_package(write_package(tiny_layers(), {"name": "tiny", "demo": False}, tmp_path_factory.mktemp("p") / "tiny"))


def measure(package, *, barrier=None) -> WalkMeasure:
    z = np.zeros(SHAPE)
    terrain = Terrain(z, flat_speed_grid(SHAPE, model=MODEL, barrier=barrier), X0, Y0 + SHAPE[0] * CELL, CELL, UTM)
    return WalkMeasure(package, model=MODEL, terrain=terrain)


def in_utm(frame: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return frame.to_crs(UTM).geometry


def test_flat_catchment_is_close_to_a_disc(tiny):
    points = existing_points(tiny)  # P1 at (5 km, 5 km), P2 at (25 km, 5 km) from the corner
    c = iso.catchments(measure(tiny), points, minutes=30)
    assert list(c["id"]) == ["P1", "P2"] and list(c["minutes"]) == [30.0, 30.0] and c.crs.to_epsg() == 4326
    radius = 60 * 30
    disc = Point(X0 + 5000, Y0 + 5000).buffer(radius, 256)
    shape = in_utm(c).iloc[0]
    # 16 neighbours walk at most ~2.7 % longer than the straight line: the area is a little smaller;
    # whole cells (in when the centre is) and the simplification move the edge by up to a cell or so
    rim = 2 * math.pi * radius * CELL / 2
    assert disc.area * (1 - 0.06) - rim <= shape.area <= disc.area + rim
    assert shape.hausdorff_distance(disc) <= 0.03 * radius + 1.5 * CELL
    assert shape.contains(Point(X0 + 5000, Y0 + 5000))


def test_barrier_stops_the_catchment(tiny):
    wall = np.zeros(SHAPE, dtype=bool)
    wall[:, 70] = True  # a river from edge to edge at x = 7 km, no bridge
    c = iso.catchments(measure(tiny, barrier=wall), existing_points(tiny), minutes=60)  # 3.6 km: would reach 8.6 km
    minx, _, maxx, _ = in_utm(c).iloc[0].bounds
    assert maxx <= X0 + 7000 + 1 and minx <= X0 + 5000 - 3000
    free = iso.catchments(measure(tiny), existing_points(tiny), minutes=60)
    assert in_utm(free).iloc[0].bounds[2] > X0 + 8000


def test_two_far_points_two_polygons(tiny):
    c = iso.catchments(measure(tiny), existing_points(tiny), minutes=30)
    a, b = in_utm(c)
    assert a.geom_type == b.geom_type == "Polygon" and not a.intersects(b)
    assert b.contains(Point(X0 + 25000, Y0 + 5000)) and not a.contains(Point(X0 + 25000, Y0 + 5000))
    merged = iso.catchments(measure(tiny), existing_points(tiny), minutes=200)  # 12 km: the two meet
    assert in_utm(merged).iloc[0].intersects(in_utm(merged).iloc[1])  # still one polygon per point


def test_points_without_id_or_off_the_terrain(tiny):
    pts = gpd.GeoDataFrame(geometry=[Point(X0 + 5000, Y0 + 5000), Point(X0 - 50_000, Y0)], crs=UTM).to_crs(4326)
    c = iso.catchments(measure(tiny), pts, minutes=10)
    assert list(c["position"]) == [0, 1]
    assert not c.geometry.iloc[0].is_empty and c.geometry.iloc[1].is_empty
    assert len(iso.catchments(measure(tiny), pts.iloc[:0], minutes=10)) == 0


def test_catchments_are_kept_per_point(tiny):
    m = measure(tiny)
    pts = existing_points(tiny)
    first = iso.catchments(m, pts.iloc[:1], minutes=20)
    both = iso.catchments(m, pts, minutes=20)  # P1's comes from memory, P2's is new
    assert both.geometry.iloc[0].equals(first.geometry.iloc[0])
    assert both.geometry.iloc[1].equals(iso.catchments(measure(tiny), pts.iloc[1:], minutes=20).geometry.iloc[0])


def test_bands_nest(tiny):
    m = measure(tiny)
    pts = existing_points(tiny)
    b = iso.bands(m, pts)
    assert list(b["from_minutes"]) == [0, 15, 30] and list(b["to_minutes"]) == [15, 30, 60]
    g = in_utm(b)
    assert all(not x.is_empty for x in g)
    for i in range(3):
        for j in range(i + 1, 3):
            assert g.iloc[i].intersection(g.iloc[j]).area < 0.02 * g.iloc[i].area  # touching, not overlapping
    within_30 = in_utm(iso.catchments(m, pts, minutes=30)).union_all()
    inner = g.iloc[0].union(g.iloc[1])
    assert inner.symmetric_difference(within_30).area < 0.03 * within_30.area
    assert within_30.buffer(CELL).contains(g.iloc[0])
    # each band surrounds the one inside it: the 15–30 band's outline holds the 0–15 band
    assert g.iloc[1].convex_hull.contains(g.iloc[0].buffer(-CELL))
    assert g.iloc[2].area > g.iloc[1].area > g.iloc[0].area


def test_surface_png_decodes_on_a_web_mercator_grid(tiny):
    pts = existing_points(tiny)
    png, ((south, west), (north, east)) = iso.surface_image(measure(tiny), pts, max_minutes=120)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    rgba = np.asarray(image.convert("RGBA"))
    h, w = rgba.shape[:2]
    merc = Transformer.from_crs(4326, 3857, always_xy=True)
    (x0, x1), (y0, y1) = merc.transform([west, east], [north, south])
    assert abs((x1 - x0) / w - (y0 - y1) / h) < 1e-6 * (x1 - x0)  # square pixels on the web map
    scale = 1 / math.cos(math.radians((north + south) / 2))  # Mercator metres per ground metre
    assert w == pytest.approx(SHAPE[1], rel=0.05) and h == pytest.approx(SHAPE[0], rel=0.05)
    assert (x1 - x0) / scale == pytest.approx(SHAPE[1] * CELL, rel=0.02)

    def pixel(x, y):  # UTM metres -> (row, col) of the image
        lon, lat = Transformer.from_crs(UTM, 4326, always_xy=True).transform(x, y)
        mx, my = merc.transform(lon, lat)
        return int((y0 - my) / (y0 - y1) * h), int((mx - x0) / (x1 - x0) * w)

    near = rgba[pixel(X0 + 5000, Y0 + 5000)]
    assert tuple(near) == (0x54, 0x27, 0x8f, iso.SURFACE_ALPHA)  # 0–15 minutes
    assert tuple(rgba[pixel(X0 + 5000 + 60 * 45, Y0 + 5000)]) == (0x9e, 0x9a, 0xc8, iso.SURFACE_ALPHA)  # 30–60
    assert rgba[pixel(X0 + 39_500, Y0 + 5000)][3] == 0  # 14.5 km from P2: beyond two hours
    assert (rgba[..., 3] == 0).mean() > 0.3
    assert [c for _, _, c in iso.ramp()] == list(iso.SURFACE_COLOURS)
    assert [(lo, hi) for lo, hi, _ in iso.ramp(45)] == [(0, 15), (15, 30), (30, 45)]


def test_surface_without_points_is_transparent(tiny):
    png, _ = iso.surface_image(measure(tiny), existing_points(tiny).iloc[:0])
    assert (np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))[..., 3] == 0).all()


def test_terrain_package_walks(tmp_path):
    package = read_package(write_terrain_package(tmp_path / "pkg"))
    assert package.has_terrain
    m = WalkMeasure(package)
    c = iso.catchments(m, existing_points(package), minutes=30)
    assert len(c) == len(existing_points(package)) and not c.geometry.is_empty.any()
