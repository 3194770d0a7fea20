"""Reach: who lives within a straight-line radius of a play/culture point.

Demand is the village points (children and people); distance is straight-line in a metric
CRS. The NumPy core works on coordinate arrays; the GeoDataFrame adapter projects first.
"""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from planner.crs import metric_crs_for
from planner.errors import UsageError


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
    """Children and people within the radius, in total and per commune (indexed by code)."""

    radius_m: float
    metric_crs: str
    children_total: int
    children_within: int
    people_total: int
    people_within: int
    village_within: np.ndarray  # bool per village, aligned to the villages frame
    by_commune: pd.DataFrame  # children, children_within, population, population_within


def metric_crs_of(gdf: gpd.GeoDataFrame) -> str:
    return metric_crs_for(*gdf.to_crs(4326).total_bounds)


def reach(
    villages: gpd.GeoDataFrame,
    points: gpd.GeoDataFrame,
    *,
    radius_m: float,
    commune_codes: pd.Index | None = None,
    metric_crs: str | None = None,
) -> Reach:
    """Reach of `points` over `villages` (columns commune_code, children, population)."""
    radius_m = check_radius(radius_m)
    crs = metric_crs or metric_crs_of(villages)
    v = villages.geometry.to_crs(crs)
    p = points.geometry.to_crs(crs)
    inside = within_radius(np.column_stack([v.x, v.y]), np.column_stack([p.x, p.y]), radius_m=radius_m)
    frame = pd.DataFrame({
        "commune_code": villages["commune_code"].to_numpy(),
        "children": villages["children"].to_numpy(dtype=np.int64),
        "population": villages["population"].to_numpy(dtype=np.int64),
    })
    frame["children_within"] = np.where(inside, frame["children"], 0)
    frame["population_within"] = np.where(inside, frame["population"], 0)
    by = frame.groupby("commune_code")[["children", "children_within", "population", "population_within"]].sum()
    if commune_codes is not None:
        by = by.reindex(commune_codes, fill_value=0)
    by.index.name = "code"
    return Reach(
        radius_m=radius_m,
        metric_crs=crs,
        children_total=int(frame["children"].sum()),
        children_within=int(frame["children_within"].sum()),
        people_total=int(frame["population"].sum()),
        people_within=int(frame["population_within"].sum()),
        village_within=inside,
        by_commune=by,
    )
