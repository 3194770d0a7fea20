"""Metric coordinates of geometries, projected once per geometry column and CRS, then shared.

Packages are stored in EPSG:4326 and every distance is taken in a metric CRS. A package's
villages and points never move, so their metric (x, y) are computed once and kept, read-only,
for every reach, ranking and siting call. The projection runs pyproj on the raw coordinate
arrays (`GeoSeries.to_crs` builds new geometries first, ~5x slower), with the same transformer
geopandas uses, so the numbers are the same to the bit.

An answer is kept under the identity of the geometry column's array, the column's CRS and what
was asked (the target CRS, or the EPSG:4326 bounds). Each entry holds a shallow pandas view of
the column: under pandas' copy-on-write, writing into a frame whose column is viewed elsewhere
copies the column first, so a frame changed in place gets a new array (a new entry), never the
old coordinates. Writing into the GeometryArray itself (`frame.geometry.values[i] = ...`) goes
around pandas and is not supported; the package's frames are read-only anyway. At most
MAX_ENTRIES answers and MAX_ROWS coordinate rows are kept, the least recently used dropped first.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer

from planner.crs import STORAGE_CRS, metric_crs_for

MAX_ENTRIES = 64
MAX_ROWS = 4_000_000  # kept (x, y) rows in all: 64 MB of float64


class _Entry:
    """A kept answer, with the array it was computed from (held: its id cannot be reused while
    kept) and a shallow pandas view of the column (so that pandas copies the column on write)."""

    __slots__ = ("values", "view", "answer", "rows")

    def __init__(self, values, view: gpd.GeoSeries, answer):
        self.values, self.view, self.answer = values, view, answer
        self.rows = len(answer) if isinstance(answer, np.ndarray) else 0


_kept: OrderedDict[tuple, _Entry] = OrderedDict()
_lock = threading.Lock()


@lru_cache(maxsize=64)
def _crs(value) -> CRS:
    return CRS.from_user_input(value)


@lru_cache(maxsize=64)
def transformer(source: CRS, target: CRS) -> Transformer:
    """The pyproj transformer from `source` to `target` (x = longitude or easting), made once."""
    return Transformer.from_crs(source, target, always_xy=True)


def _project(column: gpd.GeoSeries, target: CRS) -> np.ndarray:
    """Every coordinate of `column` in `target`, as an n x 2 array (what `to_crs` then
    `shapely.get_coordinates` give, without building the projected geometries)."""
    source = column.crs
    if source is None:
        raise ValueError("Cannot transform naive geometries.  Please set a crs on the object first.")
    data = column.to_numpy()
    if shapely.has_z(data).any():  # 3D geometries: geopandas' own path, heights included in the transform
        return shapely.get_coordinates(column.to_crs(target).to_numpy())
    xy = shapely.get_coordinates(data)
    if source.is_exact_same(target):
        return xy
    x, y = transformer(source, target).transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def _bounds_4326(column: gpd.GeoSeries) -> tuple[float, float, float, float]:
    """(lon_min, lat_min, lon_max, lat_max) of the column: its own bounds when it is stored in
    EPSG:4326, else the extremes of its coordinates carried to EPSG:4326 (the same numbers as
    `to_crs(4326).total_bounds`: a geometry's bounds are the extremes of its coordinates)."""
    storage = _crs(STORAGE_CRS)
    if column.crs is not None and column.crs.is_exact_same(storage):
        return tuple(float(b) for b in column.total_bounds)
    xy = _project(column, storage)
    if len(xy) == 0:
        return (np.nan,) * 4
    lo, hi = np.nanmin(xy, axis=0), np.nanmax(xy, axis=0)
    return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])


def _kept_or(geoms: gpd.GeoDataFrame | gpd.GeoSeries, what: str, compute):
    """The answer kept for `geoms`' geometry column and `what`, else `compute(column)`, kept."""
    column = geoms.geometry
    values = column.values
    key = (id(values), None if column.crs is None else column.crs.to_wkt(), what)
    with _lock:
        hit = _kept.get(key)
        if hit is not None and hit.values is values:
            _kept.move_to_end(key)
            return hit.answer
    answer = compute(column)
    with _lock:
        _kept[key] = _Entry(values, column.copy(deep=False), answer)
        rows = sum(entry.rows for entry in _kept.values())
        while len(_kept) > MAX_ENTRIES or (rows > MAX_ROWS and len(_kept) > 1):
            rows -= _kept.popitem(last=False)[1].rows
    return answer


def metric_xy(geoms: gpd.GeoDataFrame | gpd.GeoSeries, crs) -> np.ndarray:
    """The (x, y) of each point of `geoms` in the metric `crs`, as a read-only n x 2 array,
    projected once per geometry column and CRS (every vertex, for lines and polygons)."""
    target = _crs(crs)

    def project(column: gpd.GeoSeries) -> np.ndarray:
        xy = _project(column, target)
        xy.flags.writeable = False
        return xy

    return _kept_or(geoms, f"xy {target.to_wkt()}", project)


def lonlat_to(lon: float, lat: float, *, crs) -> tuple[float, float]:
    """One EPSG:4326 position (a map click) in `crs`."""
    x, y = transformer(_crs(STORAGE_CRS), _crs(crs)).transform(np.array([float(lon)]), np.array([float(lat)]))
    return float(x[0]), float(y[0])


def metric_crs_of(geoms: gpd.GeoDataFrame | gpd.GeoSeries) -> str:
    """The UTM zone of the extent's centre (`planner.crs.metric_crs_for`), from the bounds in
    EPSG:4326, read once per geometry column."""
    return metric_crs_for(*_kept_or(geoms, "bounds 4326", _bounds_4326))


def clear() -> None:
    """Forget every kept answer (tests; a long-running process never needs it)."""
    with _lock:
        _kept.clear()
