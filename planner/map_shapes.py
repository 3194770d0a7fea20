"""Display geometry: commune polygons made light enough to send to a browser on a slow link.

Only the map on screen uses it. The package keeps its full-precision geometry, and every figure,
export and printed map is computed from that (`tests/test_map_shapes.py` checks both).

- Simplified as a coverage (GEOS `CoverageSimplify` through `shapely.coverage_simplify`): an edge
  two communes share is simplified once, for both, so no gap or sliver opens between neighbours at
  any zoom. Tolerance: `SIMPLIFY_M` metres, about a pixel at zoom 15.
- Rounded to `DECIMALS` decimal places of a degree (about 1 m, under two pixels at zoom 18, the
  deepest zoom the app offers). The same vertex rounds the same way in both communes, so shared
  edges stay shared.
- Communes that are not a clean coverage in the data (overlaps, gaps) are only rounded: simplifying
  them edge by edge could widen what is already wrong, and the data's own faults stay visible.
"""
from __future__ import annotations

import weakref

import geopandas as gpd
import numpy as np
import shapely

from planner.crs import metric_crs_for

SIMPLIFY_M = 5.0
DECIMALS = 5
MAX_ZOOM = 18  # Leaflet's default, which the app's maps keep

_cache: dict[int, dict[float, gpd.GeoSeries]] = {}  # by id of the frame; an entry goes with its frame


def rounded(geoms: np.ndarray, *, decimals: int = DECIMALS) -> np.ndarray:
    """Geometries (EPSG:4326) with every coordinate rounded to `decimals` places."""
    return shapely.transform(geoms, lambda xy: np.round(xy, decimals))


def display_shapes(communes: gpd.GeoDataFrame, *, tolerance_m: float = SIMPLIFY_M) -> gpd.GeoSeries:
    """The communes' polygons for the screen, in EPSG:4326, aligned to `communes`. Computed once per
    frame (the package's frames are never changed in place) and shared by every map."""
    key = float(tolerance_m)
    per_frame = _cache.get(id(communes))
    if per_frame is not None and key in per_frame:
        return per_frame[key]
    geo = communes.geometry.to_crs(4326)
    geoms = geo.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    out = geoms.copy()
    if present.any() and tolerance_m > 0 and bool(shapely.coverage_is_valid(geoms[present])):
        crs = metric_crs_for(*geo[present].total_bounds)
        metric = gpd.GeoSeries(geoms[present], crs=4326).to_crs(crs)
        simple = shapely.coverage_simplify(metric.to_numpy(), tolerance=tolerance_m)
        out[present] = gpd.GeoSeries(simple, crs=crs).to_crs(4326).to_numpy()
    out[present] = rounded(out[present])
    shapes = gpd.GeoSeries(out, index=communes.index, crs=4326)
    if id(communes) not in _cache:
        _cache[id(communes)] = {}
        weakref.finalize(communes, _cache.pop, id(communes), None)
    _cache[id(communes)][key] = shapes
    return shapes


def pixel_m(zoom: int, *, lat: float) -> float:
    """Ground size of one screen pixel at `zoom` (Web Mercator, 256-pixel tiles), in metres."""
    return 40_075_016.686 * np.cos(np.radians(lat)) / (256 * 2 ** zoom)
