"""The demo's illustrative terrain (planner/demo_terrain.py): committed as generated, within the
storage contract, shaped on the province's relief, and leaving the villages walkable."""
import filecmp
import json

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from pyproj import Transformer
from rasterio import features

from planner import walking
from planner.admin_units import province_units
from planner.demo import AS_OF, build_demo
from planner.demo_terrain import SUMMITS, demo_terrain_layers, terrain_package
from planner.io import DEMO_DIR, write_package

TERRAIN = ("terrain/elevation.tif", "terrain/paths.geojson", "terrain/barriers.geojson")
UTM = 32648
TO_UTM = Transformer.from_crs(4326, UTM, always_xy=True)


@pytest.fixture(scope="module")
def communes_m():
    return gpd.read_file(DEMO_DIR / "boundaries/communes.geojson").to_crs(UTM)


@pytest.fixture(scope="module")
def dem():
    with rasterio.open(DEMO_DIR / "terrain/elevation.tif") as ds:
        return dict(z=ds.read(1), transform=ds.transform, crs=ds.crs, nodata=ds.nodata, dtype=ds.dtypes[0],
                    count=ds.count, structure=ds.tags(ns="IMAGE_STRUCTURE"), blocks=ds.block_shapes, res=ds.res)


@pytest.fixture(scope="module")
def network():
    return (gpd.read_file(DEMO_DIR / "terrain/paths.geojson"), gpd.read_file(DEMO_DIR / "terrain/barriers.geojson"))


def _cells(dem, lonlat):
    x, y = TO_UTM.transform(*np.asarray(lonlat, dtype=float).T[:2])
    rows, cols = rasterio.transform.rowcol(dem["transform"], x, y)
    return np.asarray(rows), np.asarray(cols)


def test_committed_terrain_is_a_fresh_generation(tmp_path):
    layers, files, entry = terrain_package(demo_terrain_layers(build_demo()["communes"]), AS_OF)
    write_package(layers, {}, tmp_path, files=files)
    match, mismatch, errors = filecmp.cmpfiles(DEMO_DIR, tmp_path, TERRAIN, shallow=False)
    assert match == list(TERRAIN), "regenerate with: python -m planner demo --out data"
    manifest = json.loads((DEMO_DIR / "package.json").read_text(encoding="utf-8"))
    assert manifest["terrain"] == entry


def test_raster_follows_the_storage_contract(dem, communes_m):
    assert dem["count"] == 1 and dem["dtype"] == "float32" and np.isnan(dem["nodata"])
    assert dem["crs"].to_epsg() == UTM
    t = dem["transform"]
    assert t.b == 0 and t.d == 0 and t.a == -t.e >= 90, "square, north-up cells of 90 m or coarser"
    assert dem["structure"].get("COMPRESSION") == "DEFLATE" and dem["structure"].get("PREDICTOR") == "3"
    assert dem["blocks"] == [(256, 256)]
    assert (DEMO_DIR / "terrain/elevation.tif").stat().st_size <= 3_000_000
    rows, cols = dem["z"].shape
    minx, miny, maxx, maxy = communes_m.total_bounds
    assert t.c <= minx - 3000 and t.f >= maxy + 3000
    assert t.c + cols * t.a >= maxx + 3000 and t.f + rows * t.e <= miny + 3000
    union = shapely.union_all(communes_m.geometry.to_numpy())
    far = features.geometry_mask([union.buffer(3000 + t.a)], dem["z"].shape, t)  # True: farther than margin + a cell
    assert np.isnan(dem["z"][far]).all()


def test_relief_is_the_provinces(dem, network):
    z = dem["z"]
    assert 150 <= np.nanmin(z) and np.nanmax(z) <= 3200
    summits = np.array([v for v in SUMMITS.values()])
    r, c = _cells(dem, summits)
    on_grid = (r >= 0) & (r < z.shape[0]) & (c >= 0) & (c < z.shape[1])
    assert on_grid.sum() >= 2  # Fansipan and Pu Ta Leng (Pu Si Lung lies west of the grid)
    at_summit = z[r[on_grid], c[on_grid]]
    assert np.allclose(at_summit, summits[on_grid, 2], atol=100)
    da = network[1].to_crs(UTM).set_index("name").geometry["Sông Đà"]
    on_da = z[features.rasterize([da], out_shape=z.shape, transform=dem["transform"]).astype(bool)]
    on_da = on_da[np.isfinite(on_da)]
    assert len(on_da) > 1000 and 200 <= on_da.min() and np.percentile(on_da, 95) < 350
    assert on_da.max() < at_summit.min() - 2000, "the Đà runs far below the summits"
    gy, gx = np.gradient(z.astype(float), dem["res"][0])
    slope = np.hypot(gx, gy)[np.isfinite(z)]
    assert 0.15 <= np.nanmedian(slope) <= 0.35, "typical slopes 15-35 %"


def test_communes_covered(dem, communes_m):
    union = shapely.union_all(communes_m.geometry.to_numpy())
    inside = features.geometry_mask([union], dem["z"].shape, dem["transform"], invert=True)
    assert np.isfinite(dem["z"][inside]).mean() >= 0.98


def test_paths_and_barriers(network):
    paths, barriers = network
    assert paths.crs.to_epsg() == 4326 and barriers.crs.to_epsg() == 4326
    assert list(paths.columns) == ["path_class", "name", "geometry"]
    assert set(paths["path_class"]) <= {"road", "track", "path"} and (paths["path_class"] == "road").sum() >= 4
    assert (paths.geom_type == "LineString").all() and paths["name"].str.len().gt(0).all()
    assert list(barriers.columns) == ["kind", "name", "geometry"]
    assert set(barriers["kind"]) <= {"river", "lake"} and {"Sông Đà", "Nậm Na", "Nậm Mu"} <= set(barriers["name"])
    assert barriers.geom_type.isin(["LineString", "Polygon"]).all()
    # roads and tracks start and end at official commune centres
    centres = np.column_stack(TO_UTM.transform(*np.array([(u.lon, u.lat) for u in province_units().current]).T))
    ends = paths[paths["path_class"] != "path"].to_crs(UTM).geometry
    for g in ends:
        for x, y in (g.coords[0], g.coords[-1]):
            assert np.hypot(*(centres - (x, y)).T).min() < 1.0


def test_manifest_says_demo():
    manifest = json.loads((DEMO_DIR / "package.json").read_text(encoding="utf-8"))
    terrain = manifest["terrain"]
    assert terrain["demo"] is True and terrain["source"] == "planner.demo_terrain"
    assert terrain["crs"] == "EPSG:32648" and terrain["cell_m"] >= 90 and terrain["imported_at"] == AS_OF
    assert terrain["covered_share"] >= 0.98
    assert "terrain" in manifest["note_en"].lower() and "địa hình" in manifest["note_vi"].lower()
    assert any(s["name"] == "planner.demo_terrain" for s in manifest["sources"])


def test_villages_on_passable_cells(dem, network):
    """As the walking model sees them: every cell a line or area touches is a road or barrier,
    a road over a river is a bridge, no elevation is no entry."""
    paths, barriers = network
    z, t = dem["z"], dem["transform"]
    classes = {c: i + 1 for i, c in enumerate(walking.PATH_CLASSES)}
    path_class = features.rasterize([(g, classes[c]) for g, c in zip(paths.to_crs(UTM).geometry, paths["path_class"])],
                                    out_shape=z.shape, transform=t, all_touched=True, dtype="uint8")
    barrier = features.rasterize(barriers.to_crs(UTM).geometry, out_shape=z.shape, transform=t, all_touched=True).astype(bool)
    flat = walking.flat_speed_grid(z.shape, model=walking.WalkingModel(), path_class=path_class, barrier=barrier)
    terrain = walking.Terrain(z, flat, t.c, t.f, t.a, "EPSG:32648")
    assert (barrier & (path_class > 0)).any(), "roads cross the rivers on bridges"
    villages = gpd.read_file(DEMO_DIR / "boundaries/villages.geojson").to_crs(UTM)
    r, c, inside = terrain.cell_of(np.column_stack([villages.geometry.x, villages.geometry.y]))
    ok = inside & terrain.passable[r, c]
    assert ok.mean() >= 0.95, f"{(~ok).sum()} of {len(ok)} villages on impassable cells"
