"""Walking catchments and travel-time maps, from a `WalkMeasure` (no folium, no streamlit).

A point's catchment at T minutes is the set of grid cells from which a child walks to it within T
(`WalkMeasure.per_point`), turned into polygons cell by cell (rasterio's polygonizer on the cells'
own grid), joined, simplified by half a cell and reprojected to EPSG:4326. Catchments are kept
per point (a planner asks which villages one point serves); `bands` gives the merged 15/30/60
minute bands to the nearest point, `surface_image` the whole travel-time surface as a PNG laid on
a web map (EPSG:3857), with the breaks and colours its legend shows.
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Polygon, shape

from planner.reach import BANDS_MIN, WalkMeasure

SURFACE_BREAKS = (0.0, 15.0, 30.0, 60.0, 120.0)  # minutes: 0–15, 15–30, 30–60, 60–120
SURFACE_COLOURS = ("#54278f", "#756bb1", "#9e9ac8", "#cbc9e2")  # near (dark) to far (light), as "reach" purple
SURFACE_ALPHA = 170  # of 255: the communes and points stay readable beneath
MAX_PIXELS = 4_000_000  # a larger surface is drawn on coarser pixels
KEPT = {"catchment": 4096, "surface": 2}  # answers kept per measure: the app redraws the same points often
_kept_by_measure: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_kept_lock = threading.Lock()


def _memo(measure: WalkMeasure, kind: str) -> OrderedDict:
    with _kept_lock:
        return _kept_by_measure.setdefault(measure, {}).setdefault(kind, OrderedDict())


def _keep(memo: OrderedDict, kind: str, key, value) -> None:
    with _kept_lock:
        memo[key] = value
        memo.move_to_end(key)
        while len(memo) > KEPT[kind]:
            memo.popitem(last=False)


def ramp(max_minutes: float = SURFACE_BREAKS[-1]) -> list[tuple[float, float, str]]:
    """(from, to, colour) of each class the surface and the bands are drawn in, up to `max_minutes`."""
    edges = [b for b in SURFACE_BREAKS if b < max_minutes] + [float(max_minutes)]
    return [(lo, hi, SURFACE_COLOURS[min(i, len(SURFACE_COLOURS) - 1)]) for i, (lo, hi) in enumerate(zip(edges, edges[1:]))]


def _window(terrain, rows: np.ndarray, cols: np.ndarray):
    """The smallest block of the grid holding the cells, and its affine transform."""
    from rasterio.transform import from_origin

    r0, c0 = int(rows.min()), int(cols.min())
    shape_ = (int(rows.max()) - r0 + 1, int(cols.max()) - c0 + 1)
    transform = from_origin(terrain.x0 + c0 * terrain.cell_m, terrain.y0 - r0 * terrain.cell_m, terrain.cell_m, terrain.cell_m)
    return r0, c0, shape_, transform


def _polygons(values: np.ndarray, transform, cell_m: float) -> dict[int, object]:
    """Per non-zero value of a uint8 block, the union of its cells as one (Multi)Polygon in the
    grid's CRS, simplified by half a cell."""
    from rasterio.features import shapes

    parts: dict[int, list] = {}
    for geom, value in shapes(values, mask=values > 0, transform=transform, connectivity=4):
        parts.setdefault(int(value), []).append(shape(geom))
    return {v: shapely.union_all(g).simplify(cell_m / 2) for v, g in parts.items()}


def _cells_polygon(terrain, cells: np.ndarray):
    if len(cells) == 0:
        return Polygon()
    rows, cols = np.divmod(cells, terrain.shape[1])
    r0, c0, size, transform = _window(terrain, rows, cols)
    block = np.zeros(size, dtype=np.uint8)
    block[rows - r0, cols - c0] = 1
    return _polygons(block, transform, terrain.cell_m).get(1, Polygon())


def _to_wgs(geoms: list, crs: str) -> gpd.GeoSeries:
    return gpd.GeoSeries(geoms, crs=crs).to_crs(4326)


def catchments(measure: WalkMeasure, points: gpd.GeoDataFrame, *, minutes: float) -> gpd.GeoDataFrame:
    """One row per point, in order: its `id` (or, without an id column, its `position`), `minutes`,
    and the (Multi)Polygon (EPSG:4326) of the cells from which a child walks to it within
    `minutes`; empty when the point is off the terrain."""
    terrain, minutes = measure.graph.terrain, float(minutes)
    memo = _memo(measure, "catchment")
    nodes = measure.snap(points).node if len(points) else np.zeros(0, dtype=np.int64)
    with _kept_lock:
        known = {int(n): memo[(int(n), minutes)] for n in nodes if (int(n), minutes) in memo}
    todo = {int(n): pos for pos, n in enumerate(nodes) if n >= 0 and int(n) not in known}
    if todo:  # each node once, only those not drawn before at these minutes
        made = [_cells_polygon(terrain, cells) for _, cells, _ in measure.per_point(points.iloc[list(todo.values())], limit=minutes)]
        for node, geom in zip(todo, _to_wgs(made, terrain.crs)):
            known[node] = geom
            _keep(memo, "catchment", (node, minutes), geom)
    geoms = [known.get(int(n), Polygon()) for n in nodes]
    key = "id" if "id" in points.columns else "position"
    ids = points["id"].to_numpy() if key == "id" else np.arange(len(points))
    return gpd.GeoDataFrame({key: ids, "minutes": np.full(len(points), minutes)}, geometry=geoms, crs=4326)


def _surface(measure: WalkMeasure, points: gpd.GeoDataFrame, limit: float) -> np.ndarray:
    """Minutes to the nearest point per cell, NaN where impassable or beyond `limit`."""
    graph = measure.graph
    if len(points) == 0:
        return np.full(graph.terrain.shape, np.nan)
    memo, key = _memo(measure, "surface"), frozenset(measure.snap(points).node.tolist())
    with _kept_lock:
        done, grid = memo.get(key, (-1.0, None))
    if done < limit:  # a surface to more minutes answers for fewer
        done, grid = limit, graph.surface(measure.node_minutes(points, limit=limit))
        _keep(memo, "surface", key, (done, grid))
    return np.where(grid <= limit, grid, np.nan)


def bands(measure: WalkMeasure, points: gpd.GeoDataFrame, *, minutes=BANDS_MIN) -> gpd.GeoDataFrame:
    """The merged travel-time bands to the nearest point: one row per band (0–15, 15–30, 30–60 by
    default) with `from_minutes`, `to_minutes` and the (Multi)Polygon (EPSG:4326; empty when no
    cell falls in it). A band holds the cells whose time t has from < t ≤ to (the first: 0 ≤ t)."""
    edges = [0.0] + sorted(float(m) for m in minutes)
    terrain = measure.graph.terrain
    grid = _surface(measure, points, edges[-1])
    found = {}
    rows, cols = np.nonzero(np.isfinite(grid))
    if len(rows):
        r0, c0, size, transform = _window(terrain, rows, cols)
        block = grid[r0:r0 + size[0], c0:c0 + size[1]]
        classes = np.where(np.isfinite(block), np.searchsorted(edges[1:], np.nan_to_num(block, nan=0.0), side="left") + 1, 0)
        found = _polygons(classes.astype(np.uint8), transform, terrain.cell_m)
    geoms = [found.get(k + 1, Polygon()) for k in range(len(edges) - 1)]
    return gpd.GeoDataFrame({"from_minutes": edges[:-1], "to_minutes": edges[1:]},
                            geometry=_to_wgs(geoms, terrain.crs).to_numpy(), crs=4326)


def surface_image(measure: WalkMeasure, points: gpd.GeoDataFrame, *, max_minutes: float = SURFACE_BREAKS[-1]
                  ) -> tuple[bytes, list[list[float]]]:
    """The travel-time surface to the nearest point as a PNG in the colours of `ramp(max_minutes)`
    (transparent where impassable or beyond `max_minutes`; a palette image, written by GDAL), on a
    EPSG:3857 grid so that it lies right on a web map, and its [[south, west], [north, east]] in degrees."""
    import rasterio
    from pyproj import Transformer
    from rasterio.io import MemoryFile
    from rasterio.transform import from_origin
    from rasterio.warp import Resampling, calculate_default_transform, reproject

    terrain = measure.graph.terrain
    grid = _surface(measure, points, float(max_minutes)).astype(np.float32)
    h, w = grid.shape
    c = terrain.cell_m
    bounds = (terrain.x0, terrain.y0 - h * c, terrain.x0 + w * c, terrain.y0)
    dst_t, dw, dh = calculate_default_transform(terrain.crs, "EPSG:3857", w, h, *bounds)
    if dw * dh > MAX_PIXELS:
        res = dst_t.a * float(np.sqrt(dw * dh / MAX_PIXELS))
        dst_t, dw, dh = calculate_default_transform(terrain.crs, "EPSG:3857", w, h, *bounds, resolution=res)
    out = np.full((dh, dw), np.nan, dtype=np.float32)
    reproject(grid, out, src_transform=from_origin(terrain.x0, terrain.y0, c, c), src_crs=terrain.crs,
              dst_transform=dst_t, dst_crs="EPSG:3857", resampling=Resampling.nearest, src_nodata=np.nan, dst_nodata=np.nan)
    classes = ramp(max_minutes)
    upper = np.array([hi for _, hi, _ in classes])
    index = np.where(np.isfinite(out), np.searchsorted(upper, np.nan_to_num(out, nan=0.0), side="left"), len(classes))
    palette = {k: (*(int(colour[i:i + 2], 16) for i in (1, 3, 5)), SURFACE_ALPHA) for k, (_, _, colour) in enumerate(classes)}
    palette[len(classes)] = (0, 0, 0, 0)  # the last index: transparent
    with rasterio.Env(GDAL_PAM_ENABLED="NO"), MemoryFile() as file:  # a plain picture: the bounds go beside it
        with file.open(driver="PNG", width=dw, height=dh, count=1, dtype="uint8", transform=dst_t, crs="EPSG:3857") as png:
            png.write(np.minimum(index, len(classes)).astype(np.uint8), 1)
            png.write_colormap(1, palette)
        data = file.read()
    to_deg = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)
    west, north = to_deg.transform(dst_t.c, dst_t.f)
    east, south = to_deg.transform(dst_t.c + dw * dst_t.a, dst_t.f + dh * dst_t.e)
    return data, [[south, west], [north, east]]
