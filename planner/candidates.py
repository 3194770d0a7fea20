"""Candidate sites from a data package, and siting on a package: the GeoDataFrame adapter.

Costs of candidates (assumptions, for want of per-site estimates):
- a row of facilities/candidate_sites.geojson costs its `est_cost_vnd`;
- the ground of a main school (`is_satellite` false) costs 60% of `default_cost_vnd`, since the
  land is public and already fenced and served;
- a village point costs `default_cost_vnd`.
A candidate counts for the commune in its `commune_code` (the counting rule of the Overview).
"""
from __future__ import annotations

import math
from fractions import Fraction

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.coverage import check_radius
from planner.reach import Measure, ReachRule, measure_for
from planner.errors import UsageError
from planner.package import DataPackage
from planner.siting import SitingProblem, SitingResult
from planner.summary import existing_points
from planner.targets import TARGETS, indicator

SOURCES = ("candidate_sites", "school_grounds", "villages")
SCHOOL_GROUND_COST_SHARE = Fraction(3, 5)
METHODS = ("exact", "greedy")
TARGET_YEARS = tuple(year for year, _ in TARGETS["play_point"])
MAX_IDS = 5
COLUMNS = ["id", "source", "commune_code", "cost_vnd", "geometry"]


def _ids(values) -> str:
    values = [str(v) for v in values]
    return ", ".join(values[:MAX_IDS]) + (", …" if len(values) > MAX_IDS else "")


def _whole(values: np.ndarray) -> np.ndarray:
    """Costs as int64 when every one is a whole number of VND, else float64."""
    values = np.asarray(values, dtype=np.float64)
    if np.all(np.isfinite(values)) and np.all(values == np.round(values)) and np.all(np.abs(values) < 2**53):
        return values.astype(np.int64)
    return values


def candidates_from_package(package: DataPackage, *, sources=SOURCES, default_cost_vnd: int) -> gpd.GeoDataFrame:
    """One frame of candidate sites (columns id, source, commune_code, cost_vnd, geometry).

    Raises UsageError when a source is unknown, the default cost is not a non-negative number,
    or a candidate lies outside every commune polygon.
    """
    sources = (sources,) if isinstance(sources, str) else tuple(sources)
    for source in sources:
        if source not in SOURCES:
            raise UsageError("err.siting_source", value=source, allowed=", ".join(SOURCES))
    try:
        default = float(default_cost_vnd)
    except (TypeError, ValueError):
        raise UsageError("err.siting_cost", value=default_cost_vnd) from None
    if isinstance(default_cost_vnd, bool) or not math.isfinite(default) or default < 0:
        raise UsageError("err.siting_cost", value=default_cost_vnd)
    if default == int(default):  # whole VND stay exact: round(3/5 x default)
        school_cost = round(Fraction(int(default)) * SCHOOL_GROUND_COST_SHARE)
    else:
        school_cost = default * float(SCHOOL_GROUND_COST_SHARE)

    parts = []
    if "candidate_sites" in sources and package.candidate_sites is not None:
        c = package.candidate_sites
        parts.append(pd.DataFrame({"id": c["id"].to_numpy(), "source": "candidate_sites", "commune_code": c["commune_code"].to_numpy(),
                                   "cost_vnd": c["est_cost_vnd"].to_numpy(dtype=float), "geometry": c.geometry.to_numpy()}))
    if "school_grounds" in sources:
        s = package.schools[~package.schools["is_satellite"].astype(bool)]
        parts.append(pd.DataFrame({"id": s["id"].to_numpy(), "source": "school_grounds", "commune_code": s["commune_code"].to_numpy(),
                                   "cost_vnd": float(school_cost), "geometry": s.geometry.to_numpy()}))
    if "villages" in sources:
        v = package.villages
        parts.append(pd.DataFrame({"id": v["id"].to_numpy(), "source": "villages", "commune_code": v["commune_code"].to_numpy(),
                                   "cost_vnd": default, "geometry": v.geometry.to_numpy()}))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({c: [] for c in COLUMNS})
    frame["cost_vnd"] = _whole(frame["cost_vnd"].to_numpy())
    out = gpd.GeoDataFrame(frame[COLUMNS], geometry="geometry", crs=package.communes.crs)
    if len(out):
        hit = gpd.sjoin(out[["geometry"]], package.communes[["geometry"]], predicate="intersects", how="left")
        outside = ~out.index.isin(hit.index[hit["index_right"].notna()])
        if outside.any():
            raise UsageError("err.siting_outside", n=int(outside.sum()), ids=_ids(out.loc[outside, "id"]))
    return out


def problem_from_package(package: DataPackage, candidates: gpd.GeoDataFrame, *, radius_m: float | None = None,
                         budget_vnd, max_new: int | None = None, target_year: int | None = None,
                         rule: ReachRule | None = None, measure: Measure | None = None) -> SitingProblem:
    """The siting instance of `package` with `candidates` (rows of `candidates_from_package`):
    reach by `rule` (default: straight line within `radius_m`), measured by `measure` (the
    package's measure for that rule, built when not given)."""
    rule = rule or ReachRule(radius_m=check_radius(radius_m))
    measure = measure or measure_for(package, rule)
    if target_year is not None and (isinstance(target_year, bool) or target_year not in TARGET_YEARS):
        raise UsageError("err.siting_year", value=target_year, allowed=", ".join(map(str, TARGET_YEARS)))
    codes = pd.Index(package.communes["code"])
    existing = existing_points(package)
    has_point = codes.isin(existing["commune_code"])
    target = None
    if target_year is not None:
        target = indicator("play_point", achieved=int(has_point.sum()), total=len(codes)).gap(target_year).required
    cand_commune = codes.get_indexer(candidates["commune_code"]) if len(candidates) else np.zeros(0, np.int64)
    if (cand_commune < 0).any():
        raise UsageError("err.siting_unknown_commune", n=int((cand_commune < 0).sum()), ids=_ids(candidates["id"][cand_commune < 0]))
    villages = package.villages
    return SitingProblem.from_arrays(
        villages["children"].to_numpy(dtype=np.int64),
        codes.get_indexer(villages["commune_code"]),
        measure.to_nearest(existing, limit=rule.limit) <= rule.limit,
        measure.cover(candidates, limit=rule.limit),
        candidates["cost_vnd"].to_numpy(),
        cand_commune,
        np.asarray(has_point),
        budget_vnd=budget_vnd,
        max_new=max_new,
        target_communes=target,
    )


def site(package: DataPackage, candidates: gpd.GeoDataFrame, *, radius_m: float, budget_vnd, method: str = "exact",
         max_new: int | None = None, target_year: int | None = None, time_limit_s: float = 30.0,
         mip_rel_gap: float = 0.0) -> SitingResult:
    """New sites among `candidates` (rows of `candidates_from_package`) reaching the most children:
    one solver, nothing settled (the Sites page and the CLI use `planner.site_plan.run`).

    `chosen` indexes the rows of `candidates`. With `target_year` (2025 or 2030), first as many
    communes with a point as that year's play-point target requires (see planner.siting).
    """
    if method not in METHODS:
        raise UsageError("err.siting_method", value=method)
    problem = problem_from_package(package, candidates, radius_m=radius_m, budget_vnd=budget_vnd,
                                   max_new=max_new, target_year=target_year)
    if method == "greedy":
        return problem.solve_greedy()
    return problem.solve_exact(time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap)
