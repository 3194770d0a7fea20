"""The elevation model (planner/terrain.py): tiles read, mosaicked, reprojected onto the package's
metric grid and clipped, every refusal by its message key, and a package's terrain read back for
walking with roads, rivers and bridges (planner/network.py rasterize_network).

The tiny package (tests/conftest.py) is four 10 km squares from (300 000, 2 450 000) to
(340 000, 2 460 000) in EPSG:32648. With a margin of 2 950 m its box is 297 050..342 950 x
2 447 050..2 462 950, so 100 m cells aligned to multiples of 100 m start at (297 000, 2 463 000) and
the grid is 460 columns x 160 rows, every figure below counted from that.
"""
import io
import math
import zipfile

import numpy as np
import pytest
from rasterio.io import MemoryFile
from rasterio.transform import from_origin
from shapely.geometry import LineString, box

import planner.terrain as terrain
from planner import walking
from planner.contracts import ELEVATION, PATH_CLASSES
from planner.errors import DataPackageError
from planner.io import DEMO_DIR, read_package, write_package
from planner.terrain import Upload, grid_over, load_terrain, read_dem
from tests.conftest import tiny_layers

UTM = "EPSG:32648"
MARGIN = 2_950.0
pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # rasterio's own use of affine's `*`


def geotiff(values, *, x0, y0, cell, crs=UTM, nodata=None, dtype="float32", **options) -> bytes:
    values = np.asarray(values)
    with MemoryFile() as mem:
        with mem.open(driver="GTiff", width=values.shape[1], height=values.shape[0], count=1, dtype=dtype, crs=crs,
                      transform=from_origin(x0, y0, cell, cell), nodata=nodata, **options) as ds:
            ds.write(values.astype(dtype), 1)
        return mem.read()


def read_back(data: bytes):
    with MemoryFile(data) as mem, mem.open() as ds:
        return ds.read(1), ds.profile, ds.transform


def ramp(rows=200, cols=500):
    """Elevation 100 + row + col / 2 on 100 m cells from (296 000, 2 464 000): 296..346 km x 2444..2464 km."""
    r, c = np.mgrid[0:rows, 0:cols]
    return (100 + r + c / 2).astype("float32")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return read_package(write_package(tiny_layers(), {"name": "tiny", "demo": False}, tmp_path_factory.mktemp("t") / "tiny"))


@pytest.fixture(scope="module")
def demo():
    return read_package(DEMO_DIR)


def dem_of(package, *files, margin=MARGIN):
    return read_dem(list(files), communes=package.communes, metric_crs=UTM, margin_m=margin)


def test_same_classes_as_walking():
    assert PATH_CLASSES == walking.PATH_CLASSES


def test_a_dem_in_the_package_crs_keeps_its_cells_and_values(tiny):
    dem = dem_of(tiny, Upload("dem.tif", geotiff(ramp(), x0=296_000, y0=2_464_000, cell=100)))
    assert dem.problems == () and dem.ok
    assert (dem.crs, dem.cell_m, dem.shape, dem.covered_share) == (UTM, 100.0, (160, 460), 1.0)
    values, profile, transform = read_back(dem.geotiff)
    assert tuple(transform)[:6] == (100.0, 0.0, 297_000.0, 0.0, -100.0, 2_463_000.0)
    assert profile["dtype"] == "float32" and math.isnan(profile["nodata"]) and profile["count"] == 1
    assert profile["tiled"] and profile["compress"] == "deflate"
    # grid cell (i, j) is source cell (i + 10, j + 10): 100 + (i + 10) + (j + 10) / 2, exactly
    i, j = np.mgrid[0:160, 0:460]
    expected = 100 + (i + 10) + (j + 10) / 2
    # a cell is NaN when its centre is farther than the margin from the four squares
    cx, cy = 297_050 + 100 * j, 2_462_950 - 100 * i
    dx, dy = np.maximum(0, np.maximum(300_000 - cx, cx - 340_000)), np.maximum(0, np.maximum(2_450_000 - cy, cy - 2_460_000))
    distance = np.hypot(dx, dy)
    clear = np.abs(distance - MARGIN) > 10  # the buffer's polygon is within a few metres of the true circle
    assert np.array_equal(np.isnan(values)[clear], (distance > MARGIN)[clear])
    inside = np.isfinite(values)
    assert np.array_equal(values[inside], expected[inside].astype("float32"))
    assert np.isnan(values[0, 0]) and values[80, 230] == 100 + 90 + 120
    assert dem.elevation_m == (float(values[inside].min()), float(values[inside].max()))


def test_two_tiles_make_the_same_grid_as_one(tiny):
    whole = dem_of(tiny, Upload("dem.tif", geotiff(ramp(), x0=296_000, y0=2_464_000, cell=100)))
    z = ramp()
    west = Upload("west.tif", geotiff(z[:, :240], x0=296_000, y0=2_464_000, cell=100))
    east = Upload("east.tif", geotiff(z[:, 240:], x0=320_000, y0=2_464_000, cell=100))
    both = dem_of(tiny, west, east)
    assert both.problems == () and both.files == ("west.tif", "east.tif")
    assert np.array_equal(read_back(both.geotiff)[0], read_back(whole.geotiff)[0], equal_nan=True)


def test_half_the_province_warns_and_an_eighth_is_refused(tiny):
    z = ramp()
    west = dem_of(tiny, Upload("west.tif", geotiff(z[:, :240], x0=296_000, y0=2_464_000, cell=100)))
    # west of x = 320 000: 200 of the province's 400 columns
    assert west.covered_share == 0.5 and west.ok
    assert [(p.key, p.severity) for p in west.problems] == [("ter.dem_partly", "warning")]
    assert "50,0%" in west.problems[0].message("vi") and "50.0%" in west.problems[0].message("en")
    strip = dem_of(tiny, Upload("strip.tif", geotiff(z[:, :90], x0=296_000, y0=2_464_000, cell=100)))
    # west of x = 305 000: 50 of 400 columns
    assert strip.covered_share == 0.125 and not strip.ok and strip.geotiff == b""
    assert [p.key for p in strip.problems] == ["err.dem_outside"]
    assert "12,5%" in strip.problems[0].message("vi")


def test_a_geographic_dem_is_warped_to_utm_at_its_own_resolution(demo):
    """0.01° cells over Lai Châu (lon 102.2-103.99, lat 21.6-22.85). At the DEM's centre (103.095° E,
    22.225° N), 0.01° of longitude is 111 320 m x cos 22.225° / 100 = 1030.6 m and of latitude
    1107.3 m, both x 1.00007 (UTM 48N's scale 196 km west of 105° E): sqrt(1030.7 x 1107.4) = 1068.4 m,
    so cells of 1069 m (PROJ's exact figure: 1068.6 m)."""
    rng = np.random.default_rng(15)
    z = 300 + 1500 * rng.random((125, 179))
    dem = read_dem([Upload("srtm.tif", geotiff(z, x0=102.2, y0=22.85, cell=0.01, crs="EPSG:4326"))],
                   communes=demo.communes, metric_crs=UTM, margin_m=3_000)
    assert dem.problems == () and dem.crs == UTM
    assert dem.native_cell_m == pytest.approx(1068.4, abs=0.5) and dem.cell_m == 1069.0 and not dem.coarsened
    values, profile, transform = read_back(dem.geotiff)
    assert transform.a == 1069.0 and transform.e == -1069.0 and transform.c % 1069 == 0 and transform.f % 1069 == 0
    assert dem.covered_share == 1.0
    assert 300 <= dem.elevation_m[0] < dem.elevation_m[1] <= 1800  # bilinear stays within the values


def test_the_grid_is_coarsened_to_six_million_cells():
    """Lai Châu's box with its 3 km margin (171 km x 131 km) at 30 m would be 24.89 million cells:
    cells of ceil(sqrt(171 000 x 131 000 / 6 000 000)) = ceil(61.10) = 62 m, 2 759 x 2 113 = 5 829 767."""
    grid = grid_over((0, 0, 171_000, 131_000), UTM, 30)
    assert (grid.cell_m, grid.cols, grid.rows, grid.y0) == (62.0, 2_759, 2_113, 131_006.0)
    assert grid.rows * grid.cols == 5_829_767 <= terrain.MAX_CELLS
    assert grid_over((0, 0, 1_000, 500), UTM, 30) == terrain.Grid(UTM, 0.0, 510.0, 30.0, 17, 34)


def test_a_coarsened_grid_says_so(tiny, monkeypatch):
    monkeypatch.setattr(terrain, "MAX_CELLS", 10_000)
    dem = dem_of(tiny, Upload("dem.tif", geotiff(ramp(), x0=296_000, y0=2_464_000, cell=100)))
    # 45 900 m x 15 900 m / 10 000 = 72 981 m² a cell: sqrt = 270.1, so 271 m, then 272 to fit the aligned grid
    assert dem.cell_m == 272.0 and dem.coarsened and dem.shape[0] * dem.shape[1] <= 10_000
    from planner.terrain_import import TerrainPlan, report_rows

    rows = dict(report_rows(TerrainPlan(dem, None, None, MARGIN), "vi"))
    assert rows["Kích thước ô lưới"] == "272 m (DEM khoảng 100,0 m; nới rộng để lưới không quá 10.000 ô)"


def hgt(value=777, *, void=(600, 600), noise=False) -> bytes:
    n = 1201
    z = np.full((n, n), value, dtype=">i2")
    if noise:
        z = np.random.default_rng(3).integers(200, 2000, (n, n)).astype(">i2")
    if void:
        z[void] = -32768  # SRTM's void: nodata by definition, never an elevation
    return z.tobytes()


def test_an_srtm_hgt_tile_is_read_by_its_name(tiny):
    """N22E103.hgt: 1201 x 1201 points, 3″ apart, lon 103-104, lat 22-23, EPSG:4326 by definition.
    At its centre 3″ is 85.7 m x 92.3 m in UTM 48N: cells of 89 m."""
    dem = dem_of(tiny, Upload("N22E103.hgt", hgt()))
    assert dem.problems == () and dem.cell_m == 89.0 and dem.native_cell_m == pytest.approx(88.94, abs=0.05)
    assert dem.elevation_m == (777.0, 777.0) and dem.covered_share == 1.0
    named = dem_of(tiny, Upload("n22e103.HGT", hgt()))
    assert named.problems == () and named.elevation_m == (777.0, 777.0)


def test_a_zipped_hgt_tile_is_the_same_tile(tiny):
    data = hgt(noise=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("N22E103.hgt", data)
    zipped = dem_of(tiny, Upload("N22E103.hgt.zip", buf.getvalue()))
    plain = dem_of(tiny, Upload("N22E103.hgt", data))
    assert zipped.problems == () == plain.problems
    assert np.array_equal(read_back(zipped.geotiff)[0], read_back(plain.geotiff)[0], equal_nan=True)
    assert 200 <= zipped.elevation_m[0] and zipped.elevation_m[1] <= 2000


def test_huge_claims_are_refused_before_any_pixel_is_read(tiny, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("pixels read")

    monkeypatch.setattr(terrain, "_all_nodata", never)
    monkeypatch.setattr(terrain, "merge", never)
    dem = dem_of(tiny, Upload("huge.tif", claiming_10_gb()))
    assert [p.key for p in dem.problems] == ["err.dem_too_big"] and dem.problems[0].params["claimed"] == 10**10
    assert "10 GB" in dem.problems[0].message("vi") and "50.000 × 50.000" in dem.problems[0].message("vi")
    bomb = dem_of(tiny, Upload("bomb.tif", decompression_bomb()))
    assert [p.key for p in bomb.problems] == ["err.dem_too_big"]


def claiming_10_gb() -> bytes:
    """A sparse GeoTIFF: a header for 50 000 x 50 000 float32 cells (10 GB) and no data blocks."""
    with MemoryFile() as mem:
        with mem.open(driver="GTiff", width=50_000, height=50_000, count=1, dtype="float32", crs="EPSG:4326",
                      transform=from_origin(102.0, 23.0, 0.00004, 0.00004), tiled=True, blockxsize=2048,
                      blockysize=2048, compress="deflate", sparse_ok=True):
            pass
        return mem.read()


def decompression_bomb() -> bytes:
    """Every one of its 625 blocks is real ZSTD data that unpacks to 16 MB of zeros: 10 GB in all."""
    with MemoryFile() as mem:
        with mem.open(driver="GTiff", width=50_000, height=50_000, count=1, dtype="float32", crs="EPSG:4326",
                      transform=from_origin(102.0, 23.0, 0.00004, 0.00004), tiled=True, blockxsize=2048,
                      blockysize=2048, compress="zstd"):
            pass
        return mem.read()


def test_the_hostile_files_are_small():
    assert len(claiming_10_gb()) < 100_000 and len(decompression_bomb()) < 1_000_000


def flat_package(tmp_path, *, paths=None, barriers=None, elevation=500.0):
    """The tiny package with a flat elevation model on the 460 x 160 grid of 100 m cells."""
    grid = terrain.Grid(UTM, 297_000.0, 2_463_000.0, 100.0, 160, 460)
    layers = tiny_layers() | {k: v for k, v in (("paths", paths), ("barriers", barriers)) if v is not None}
    out = write_package(layers, {"name": "tiny", "demo": False}, tmp_path / "flat",
                        files={ELEVATION: terrain.geotiff_bytes(np.full((160, 460), elevation), grid)})
    return read_package(out)


def utm_lines(rows):
    import geopandas as gpd

    return gpd.GeoDataFrame(rows, geometry="geometry", crs=UTM).to_crs(4326)


def test_a_road_over_a_river_is_a_bridge(tmp_path):
    """The road runs along row 79 (y = 2 455 050, cell centres) from column 80 to 180; the river down
    column 130 (x = 310 050) from row 39 to 119. Where they cross, (79, 130), the road is a bridge."""
    road = utm_lines([dict(path_class="road", name="QL 4D", geometry=LineString([(305_050, 2_455_050), (315_050, 2_455_050)]))])
    river = utm_lines([dict(kind="river", name="Nậm Na", geometry=LineString([(310_050, 2_459_050), (310_050, 2_451_050)]))])
    package = flat_package(tmp_path, paths=road, barriers=river)
    model = walking.WalkingModel()
    t = load_terrain(package, model)
    assert (t.x0, t.y0, t.cell_m, t.crs, t.shape) == (297_000.0, 2_463_000.0, 100.0, UTM, (160, 460))
    assert np.all(t.elevation_m[np.isfinite(t.elevation_m)] == 500.0)
    assert t.flat_kmh[79, 130] == model.road_kmh  # the bridge
    assert t.flat_kmh[79, 80] == t.flat_kmh[79, 180] == model.road_kmh and t.flat_kmh[78, 100] == model.child_flat_kmh
    river_cells = [(r, 130) for r in range(39, 120) if r != 79]
    assert all(np.isnan(t.flat_kmh[r, c]) for r, c in river_cells)
    assert np.isnan(t.flat_kmh).sum() == len(river_cells) == 80
    assert t.flat_kmh[38, 130] == t.flat_kmh[120, 130] == model.child_flat_kmh  # the river ends there


def test_priority_road_over_track_over_path_and_lakes_filled(tmp_path):
    lines = utm_lines([dict(path_class=c, name=None, geometry=LineString([(305_050, 2_455_050), (315_050, 2_455_050)]))
                       for c in ("road", "path", "track")])
    lake = utm_lines([dict(kind="lake", name="Hồ", geometry=box(320_025, 2_452_025, 321_025, 2_453_025))])
    package = flat_package(tmp_path, paths=lines, barriers=lake)
    model = walking.WalkingModel(road_kmh=4.0, track_kmh=3.0, path_kmh=2.0)
    t = load_terrain(package, model)
    assert t.flat_kmh[79, 100] == 4.0
    # the lake spans columns 230.25-240.25 and rows 99.75-109.75 of the grid: its centres fill 10 x 10
    # cells, and the cells its edges touch make it 11 x 11 (columns 230-240, rows 99-109)
    assert np.isnan(t.flat_kmh).sum() == 121 and np.isnan(t.flat_kmh[99:110, 230:241]).all()


def test_a_package_without_terrain(tiny):
    assert tiny.terrain_file == "" and not tiny.has_terrain
    with pytest.raises(DataPackageError) as err:
        load_terrain(tiny, walking.WalkingModel())
    assert err.value.key == "err.no_terrain"


def test_a_broken_elevation_file_is_a_warning_not_a_broken_package(tmp_path):
    package = flat_package(tmp_path)
    (tmp_path / "flat" / ELEVATION).write_bytes(b"not a tiff")
    again = read_package(tmp_path / "flat")
    assert again.terrain_file == "" and [p.key for p in again.warnings] == ["prob.elevation"]
    assert package.has_terrain
