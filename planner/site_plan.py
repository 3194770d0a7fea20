"""What the optimiser chose, as a table planners can read, export, or take on as proposals."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.coverage import metric_crs_of, metric_xy, within_radius
from planner.errors import UsageError
from planner.exports import csv_bytes, geojson_bytes, localise, safe_text, xlsx_bytes
from planner.i18n import fmt_int, fmt_pct, t
from planner.package import DataPackage
from planner.proposals import Proposal
from planner.siting import SitingResult, cover_matrix
from planner.summary import existing_points

SITE_FORMATS = (".csv", ".xlsx", ".geojson")
EXACT_TIME_LIMIT_S = 60.0  # how long the Sites page lets HiGHS look for the optimum
log = logging.getLogger("planner.site_plan")


@dataclass(frozen=True)
class SitePlan:
    """The chosen sites (one row each) and how they were chosen."""

    sites: gpd.GeoDataFrame  # id, source, commune_code, commune, cost_vnd, children_newly_within, geometry
    result: SitingResult
    radius_m: float
    budget_vnd: float
    target_year: int | None
    max_new: int | None
    sources: tuple[str, ...]


def plan(package: DataPackage, candidates: gpd.GeoDataFrame, result: SitingResult, *, radius_m: float,
         budget_vnd, target_year: int | None = None, max_new: int | None = None, sources=()) -> SitePlan:
    """The chosen rows of `candidates`, each with the children it newly brings within reach
    (children not reached by any existing point; a child near two chosen sites counts for both)."""
    chosen = candidates.iloc[list(result.chosen)].copy()
    crs = metric_crs_of(package.communes)
    villages = package.villages
    vxy = metric_xy(villages, crs)
    reached = within_radius(vxy, metric_xy(existing_points(package), crs), radius_m=radius_m)
    new_kids = np.where(reached, 0, villages["children"].to_numpy(dtype=np.int64))
    gains = cover_matrix(vxy, metric_xy(chosen, crs), radius_m=radius_m).T @ new_kids
    names = dict(zip(package.communes["code"], package.communes["name"]))
    chosen["commune"] = [names.get(c, c) for c in chosen["commune_code"]]
    chosen["children_newly_within"] = gains
    cols = ["id", "source", "commune_code", "commune", "cost_vnd", "children_newly_within", "geometry"]
    sites = gpd.GeoDataFrame(chosen[cols].reset_index(drop=True), geometry="geometry", crs=candidates.crs)
    return SitePlan(sites, result, float(radius_m), float(budget_vnd), target_year, max_new, tuple(sources))


def as_proposals(site_plan: SitePlan, *, start: int = 1, year: int = 2026) -> list[Proposal]:
    """The chosen sites as editable proposals (ids N<start>, N<start+1>, ...)."""
    out = []
    for k, row in enumerate(site_plan.sites.itertuples()):
        out.append(Proposal(f"N{start + k:03d}", round(row.geometry.x, 6), round(row.geometry.y, 6), row.commune_code,
                            cost_vnd=int(round(float(row.cost_vnd))), year=year, source="optimiser",
                            candidate_id=str(row.id)))
    return out


def parameters(site_plan: SitePlan, package: DataPackage, lang: str, *, now: datetime | None = None) -> list[tuple[str, str]]:
    r = site_plan.result
    now = now or datetime.now(timezone.utc)
    gap = "—" if r.gap is None else f"{r.gap:.4%}"
    rows = [
        (t("opt.method", lang), t(f"opt.method_{r.method}", lang)),
        (t("opt.budget", lang), f"{fmt_int(site_plan.budget_vnd, lang)} ₫"),
        (t("param.radius_m", lang), f"{site_plan.radius_m:g}"),
        (t("opt.mode", lang), t("opt.mode_target", lang, year=site_plan.target_year) if site_plan.target_year else t("opt.mode_children", lang)),
        (t("opt.max_new", lang), "—" if site_plan.max_new is None else str(site_plan.max_new)),
        (t("opt.sources", lang), ", ".join(t(f"opt.source_{s}", lang) for s in site_plan.sources) or "—"),
        (t("opt.status", lang), r.status),
        (t("opt.gap", lang), gap),
        (t("opt.seconds", lang), f"{r.seconds:.2f}"),
        (t("opt.children", lang), fmt_int(r.children_newly_reached, lang)),
        (t("opt.communes", lang), str(r.communes_newly_with_point)),
        (t("opt.total_cost", lang), f"{fmt_int(r.total_cost_vnd, lang)} ₫"),
        (t("param.data", lang), package.display_name(lang)),
        (t("param.data_date", lang), str(package.manifest.get("as_of", "—"))),
        (t("param.demo", lang), t("yes", lang) if package.is_demo else t("no", lang)),
        (t("param.created", lang), now.strftime("%Y-%m-%d %H:%M UTC")),
        (t("param.tool", lang), "planner site"),
    ]
    return [(safe_text(k), safe_text(v)) for k, v in rows]


def sites_frame(site_plan: SitePlan, lang: str) -> pd.DataFrame:
    s = site_plan.sites
    return localise(pd.DataFrame({
        t("col.site_id", lang): s["id"],
        t("col.source", lang): [t(f"opt.source_{v}", lang) for v in s["source"]],
        t("col.code", lang): s["commune_code"],
        t("col.commune", lang): s["commune"],
        t("col.cost_vnd", lang): s["cost_vnd"].astype(float).round().astype("int64"),
        t("opt.site_children", lang): s["children_newly_within"],
        t("col.lon", lang): s.geometry.x.round(6),
        t("col.lat", lang): s.geometry.y.round(6),
    }))


def render(site_plan: SitePlan, package: DataPackage, lang: str, ext: str) -> bytes:
    """The chosen sites as .csv, .xlsx or .geojson bytes, with the parameters."""
    ext = ext.lower()
    if ext not in SITE_FORMATS:
        raise UsageError("err.export_ext", ext=ext or "-", known=", ".join(SITE_FORMATS))
    params = parameters(site_plan, package, lang)
    if ext == ".geojson":
        return geojson_bytes(site_plan.sites, params)
    frame = sites_frame(site_plan, lang)
    if ext == ".csv":
        return csv_bytes(frame, params)
    return xlsx_bytes(frame, params, sheet=t("opt.sheet", lang), lang=lang, freeze_cols=1)


def summary_lines(site_plan: SitePlan, package: DataPackage, lang: str) -> list[str]:
    """What `planner site` prints."""
    return [f"{k}: {v}" for k, v in parameters(site_plan, package, lang)[:12]]


def settle(fast: SitingResult, exact: SitingResult, *, time_limit_s: float) -> tuple[SitingResult, tuple[str, dict] | None]:
    """The answer to show after the fast and the exact runs, and a note (i18n key, values) unless
    the exact answer is a proven optimum: the best found within the time limit with its gap, or,
    when the solver found no answer (it starts from the fast one, so anything it found is at least
    as good), the fast answer."""
    if exact.status == "optimal":
        return exact, None
    if exact.objective < fast.objective:
        log.warning("exact siting found no answer (status %s, limit %g s); showing the greedy answer", exact.status, time_limit_s)
        return fast, ("opt.no_solution", {"limit": f"{time_limit_s:g}", "status": exact.status})
    if exact.status == "time_limit":
        if exact.gap is None:
            return exact, ("opt.time_limit_nogap", {"limit": f"{time_limit_s:g}"})
        return exact, ("opt.time_limit_gap", {"limit": f"{time_limit_s:g}", "gap": exact.gap})
    return exact, ("opt.stopped", {"status": exact.status})


def note_text(note: tuple[str, dict], lang: str) -> str:
    """A `settle` note in the user's language."""
    key, values = note
    values = dict(values)
    if "gap" in values:
        values["gap"] = fmt_pct(values["gap"], lang, digits=2)
    return t(key, lang, **values)
