"""Reach: who lives within a straight-line radius of a play/culture point.

Demand is the village points (children and people); distance is straight-line in a metric
CRS. The NumPy core works on coordinate arrays; the GeoDataFrame adapter takes the layers' metric
coordinates from `planner.projection`, which projects each package layer once.
"""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from planner.errors import UsageError
from planner.projection import metric_crs_of, metric_xy  # noqa: F401  (projected once per package layer)


def check_radius(radius_m) -> float:
    """A positive, finite radius in metres, or a UsageError saying what was wrong."""
    try:
        value = float(radius_m)
    except (TypeError, ValueError):
        raise UsageError("err.radius", value=radius_m) from None
    if not np.isfinite(value) or value <= 0:
        raise UsageError("err.radius", value=radius_m)
    return value


def within_radius(demand_xy: np.ndarray, facility_xy: np.ndarray, *, radius_m: float) -> np.ndarray:
    """For each demand point, whether some facility lies at distance <= radius_m (metres)."""
    radius_m = check_radius(radius_m)
    demand_xy = np.asarray(demand_xy, dtype=float).reshape(-1, 2)
    facility_xy = np.asarray(facility_xy, dtype=float).reshape(-1, 2)
    if len(facility_xy) == 0 or len(demand_xy) == 0:
        return np.zeros(len(demand_xy), dtype=bool)
    dist, _ = cKDTree(facility_xy).query(demand_xy, k=1, distance_upper_bound=radius_m * (1 + 1e-9) + 1e-6, workers=-1)
    return dist <= radius_m


@dataclass(frozen=True)
class Reach:
    """Children and people within reach, in total and per commune (indexed by code)."""

    mode: str  # "line" (limit in metres) or "walk" (limit in minutes), see planner.reach
    limit: float
    metric_crs: str
    children_total: int
    children_within: int
    people_total: int
    people_within: int
    village_within: np.ndarray  # bool per village, aligned to the villages frame
    by_commune: pd.DataFrame  # children, children_within, population, population_within


def nearest_m(villages: gpd.GeoDataFrame, points: gpd.GeoDataFrame, *, metric_crs: str | None = None) -> np.ndarray:
    """Straight-line distance from each village to its nearest point, in metres (inf when there is
    no point). Computed once, it answers "who is within r" for every radius r without a new search."""
    crs = metric_crs or metric_crs_of(villages)
    if len(points) == 0:
        return np.full(len(villages), np.inf)
    dist, _ = cKDTree(metric_xy(points, crs)).query(metric_xy(villages, crs), k=1, workers=-1)
    return dist


def reach(
    villages: gpd.GeoDataFrame,
    points: gpd.GeoDataFrame | None = None,
    *,
    radius_m: float | None = None,
    commune_codes: pd.Index | None = None,
    metric_crs: str | None = None,
    distance_m: np.ndarray | None = None,
    within: np.ndarray | None = None,
    mode: str = "line",
    limit: float | None = None,
) -> Reach:
    """Reach of `points` over `villages` (columns commune_code, children, population). With
    `distance_m` (from `nearest_m`, aligned to `villages`) the points are not searched again; with
    `within` (bool per village, from any measure: walking time too) nothing is searched."""
    crs = metric_crs or metric_crs_of(villages)
    if within is not None:
        inside = np.asarray(within, dtype=bool)
    elif distance_m is not None:
        radius_m = check_radius(radius_m)
        inside = np.asarray(distance_m) <= radius_m
    else:
        radius_m = check_radius(radius_m)
        inside = within_radius(metric_xy(villages, crs), metric_xy(points, crs), radius_m=radius_m)
    children = villages["children"].to_numpy(dtype=np.int64)
    people = villages["population"].to_numpy(dtype=np.int64)
    which, found = pd.factorize(villages["commune_code"])
    codes = pd.Index(found.sort_values() if commune_codes is None else commune_codes, name="code")
    pos = codes.get_indexer(found)[which] if len(found) else np.empty(0, dtype=np.intp)
    slot = np.where(pos >= 0, pos, len(codes))  # villages of unlisted communes go to a last slot, dropped

    def per_commune(values: np.ndarray) -> np.ndarray:
        return np.bincount(slot, weights=values, minlength=len(codes) + 1)[:-1].astype(np.int64)

    by = pd.DataFrame({
        "children": per_commune(children),
        "children_within": per_commune(np.where(inside, children, 0)),
        "population": per_commune(people),
        "population_within": per_commune(np.where(inside, people, 0)),
    }, index=codes)
    return Reach(
        mode=mode,
        limit=float(limit if limit is not None else radius_m),
        metric_crs=crs,
        children_total=int(children.sum()),
        children_within=int(children[inside].sum()),
        people_total=int(people.sum()),
        people_within=int(people[inside].sum()),
        village_within=inside,
        by_commune=by,
    )
