"""What-if by hand: proposed new points, where a map click lands, and what they change.

A proposal is a new play/culture point the planner is trying out. A click inside the province
becomes a proposal at that spot, or at the nearest candidate site when one lies within
`snap_m`. The effect is the Overview's figures recomputed with the proposals counted as built.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from planner.errors import UsageError
from planner.package import DataPackage
from planner.projection import lonlat_to, metric_crs_of, metric_xy
from planner.summary import Summary, summarize

MAX_VND = 10**15  # a million billion đồng: the ceiling of any cost or budget

KINDS = ("play_area", "culture_point")
DEFAULT_COST_VND = 1_500_000_000
DEFAULT_YEAR = 2026
SNAP_M = 300.0
SAME_SPOT_M = 10.0  # a click this close to a proposal is a second click on it (a double click), not a new point


@dataclass(frozen=True)
class Proposal:
    id: str
    lon: float
    lat: float
    commune_code: str
    kind: str = "play_area"
    cost_vnd: int = DEFAULT_COST_VND
    year: int = DEFAULT_YEAR
    source: str = "map"  # "map", "candidate" or "optimiser"
    candidate_id: str = ""
    funding: str = "state"  # "state" (ngân sách nhà nước) or "non_state" (xã hội hóa)


@dataclass(frozen=True)
class Effect:
    """Figures before and after the proposals."""

    before: Summary
    after: Summary

    @property
    def communes_newly_with_point(self) -> int:
        return self.after.play_point.achieved - self.before.play_point.achieved

    @property
    def communes_gaining_point(self) -> pd.Index:
        """Codes of the communes without a point before and with one after."""
        a, b = self.after.communes, self.before.communes
        return a.index[a["has_point"] & ~b["has_point"]]

    @property
    def children_newly_reached(self) -> int:
        return self.after.reach.children_within - self.before.reach.children_within


def next_id(proposals: list[Proposal] | tuple[Proposal, ...]) -> str:
    used = {p.id for p in proposals}
    n = len(used) + 1
    while f"N{n:03d}" in used:
        n += 1
    return f"N{n:03d}"


def commune_at(package: DataPackage, lon: float, lat: float) -> str | None:
    """Code of the commune containing the point, or None outside the province."""
    pt = Point(lon, lat)
    hits = package.communes.sindex.query(pt, predicate="intersects")
    return str(package.communes["code"].iloc[int(hits[0])]) if len(hits) else None


def relocate(proposals, package: DataPackage) -> tuple[tuple[Proposal, ...], tuple[str, ...]]:
    """Proposals counted for the commune each lies in on `package` (after new data came in), and
    the ids of those outside every commune (kept with their old commune code)."""
    out, outside = [], []
    for p in proposals:
        code = commune_at(package, p.lon, p.lat)
        if code is None:
            outside.append(p.id)
            out.append(p)
        else:
            out.append(replace(p, commune_code=code))
    return tuple(out), tuple(outside)


def propose_at(package: DataPackage, lon: float, lat: float, *, existing: tuple[Proposal, ...] = (),
               candidates: gpd.GeoDataFrame | None = None, snap_m: float = SNAP_M,
               default_cost_vnd: int = DEFAULT_COST_VND, year: int = DEFAULT_YEAR) -> Proposal:
    """The proposal a map click at (lon, lat) makes: the nearest candidate site within `snap_m`
    (with its cost), or a new point at the click. Raises UsageError outside the province."""
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        raise UsageError("err.proposal_outside", lon=lon, lat=lat) from None
    code = commune_at(package, lon, lat)
    if code is None:
        raise UsageError("err.proposal_outside", lon=f"{lon:.5f}", lat=f"{lat:.5f}")
    crs = metric_crs_of(package.communes)
    x, y = lonlat_to(lon, lat, crs=crs)
    for p in existing:
        px, py = lonlat_to(p.lon, p.lat, crs=crs)
        if (gap := float(np.hypot(px - x, py - y))) <= SAME_SPOT_M:
            raise UsageError("err.proposal_same_spot", id=p.id, distance=int(round(gap)))
    pid = next_id(existing)
    taken = {p.candidate_id for p in existing if p.candidate_id}
    if candidates is not None and len(candidates):
        free = np.flatnonzero(~candidates["id"].isin(taken).to_numpy())
        if len(free):
            xy = metric_xy(candidates, crs)[free]  # candidate sites are points: one row each
            dist = np.sqrt((xy[:, 0] - x) ** 2 + (xy[:, 1] - y) ** 2)  # as GEOS measures point to point
            i = int(np.argmin(dist))
            if dist[i] <= snap_m:
                row = candidates.iloc[free[i]]
                geom = row.geometry
                cost = int(round(float(row.get("cost_vnd", row.get("est_cost_vnd", default_cost_vnd)))))
                return Proposal(pid, round(geom.x, 6), round(geom.y, 6), str(row["commune_code"]), cost_vnd=cost,
                                year=year, source="candidate", candidate_id=str(row["id"]))
    return Proposal(pid, round(lon, 6), round(lat, 6), code, cost_vnd=int(default_cost_vnd), year=year, source="map")


FUNDING = ("state", "non_state")


def edit(proposal: Proposal, *, kind: str | None = None, cost_vnd=None, year=None, funding: str | None = None) -> Proposal:
    """A proposal with new kind, cost, year or funding source, checked."""
    changes = {}
    if funding is not None:
        if funding not in FUNDING:
            raise UsageError("err.proposal_funding", value=funding, known=", ".join(FUNDING))
        changes["funding"] = funding
    if kind is not None:
        if kind not in KINDS:
            raise UsageError("err.proposal_kind", value=kind, known=", ".join(KINDS))
        changes["kind"] = kind
    if cost_vnd is not None:
        try:
            cost = float(cost_vnd)
        except (TypeError, ValueError):
            raise UsageError("err.proposal_cost", value=cost_vnd) from None
        if not np.isfinite(cost) or cost < 0 or cost > MAX_VND:
            raise UsageError("err.proposal_cost", value=cost_vnd)
        changes["cost_vnd"] = int(round(cost))
    if year is not None:
        try:
            y = int(year)
        except (TypeError, ValueError):
            raise UsageError("err.proposal_year", value=year) from None
        if not 2025 <= y <= 2035:
            raise UsageError("err.proposal_year", value=year)
        changes["year"] = y
    return replace(proposal, **changes)


def proposals_frame(proposals) -> gpd.GeoDataFrame:
    """Proposals as points (EPSG:4326) with the columns summarize() needs."""
    rows = [dict(id=p.id, commune_code=p.commune_code, kind=p.kind, cost_vnd=p.cost_vnd, year=p.year,
                 source=p.source, candidate_id=p.candidate_id, funding=p.funding) for p in proposals]
    geoms = shapely.points([(p.lon, p.lat) for p in proposals]) if proposals else []
    cols = ["id", "commune_code", "kind", "cost_vnd", "year", "source", "candidate_id", "funding"]
    return gpd.GeoDataFrame(rows, columns=cols, geometry=list(geoms), crs=4326)


def effect(package: DataPackage, proposals, *, radius_m: float) -> Effect:
    """The Overview's figures without and with the proposals counted as built (`analysis.Analysis`
    keeps them for the app)."""
    before = summarize(package, radius_m=radius_m)
    after = summarize(package, radius_m=radius_m, extra_points=proposals_frame(proposals)) if proposals else before
    return Effect(before, after)


def changed_communes(eff: Effect) -> pd.DataFrame:
    """The communes the proposals change (points or children within reach), by code: name, and
    before/after points, children within reach and reach share."""
    b, a = eff.before.communes, eff.after.communes
    changed = (a["points"] != b["points"]) | (a["children_within"] != b["children_within"])
    return pd.DataFrame({
        "name": a.loc[changed, "name"],
        "points_before": b.loc[changed, "points"], "points_after": a.loc[changed, "points"],
        "children_within_before": b.loc[changed, "children_within"], "children_within_after": a.loc[changed, "children_within"],
        "reach_share_before": b.loc[changed, "reach_share"], "reach_share_after": a.loc[changed, "reach_share"],
    })
