"""The optimiser workflow in one call (`run`: candidates, problem, greedy, exact, settle) and what
it chose, as a table planners can read, export, or take on as proposals. The Sites page and
`python -m planner site` both call `run`, so they give the same figures for the same request."""
from __future__ import annotations

import logging
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.candidates import METHODS, SOURCES, TARGET_YEARS, candidates_from_package, problem_from_package
from planner.coverage import check_radius, metric_crs_of, metric_xy, within_radius
from planner.errors import UsageError
from planner.exports import csv_bytes, geojson_bytes, localise, safe_text, xlsx_bytes
from planner.i18n import fmt_int, fmt_pct, t
from planner.package import DataPackage
from planner.proposals import Proposal
from planner.siting import SitingResult, cover_matrix
from planner.summary import existing_points

SITE_FORMATS = (".csv", ".xlsx", ".geojson")
EXACT_TIME_LIMIT_S = 60.0  # how long the Sites page and the CLI let HiGHS look for the optimum
DEFAULT_COST_VND = 1_500_000_000  # a village point; school grounds 60% (planner.candidates)
log = logging.getLogger("planner.site_plan")


def _number(value) -> int | float | None:
    """`value` (a number, or its text from the command line) as an int when whole, else a float;
    None when it is not a finite number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number


@dataclass(frozen=True)
class SitingRequest:
    """What the planner asks the optimiser (Sites page form, `python -m planner site` options).

    Checked and normalised when made, so a request that exists is valid: each field also takes
    its text (command-line options), and a bad value raises UsageError with the field's message
    key. The budget is whole đồng (a fraction is dropped); max_new 0 means no new point at all.
    """

    budget_vnd: int
    radius_m: float = 2000.0
    target_year: int | None = None  # 2025 or 2030: reach that commune target first
    method: str = "exact"  # "exact" (greedy first, then HiGHS) or "greedy"
    max_new: int | None = None
    sources: tuple[str, ...] = SOURCES
    default_cost_vnd: int = DEFAULT_COST_VND
    time_limit_s: float | None = None  # None: EXACT_TIME_LIMIT_S when the request is made; a float once made

    def __post_init__(self):
        def put(name: str, value) -> None:
            object.__setattr__(self, name, value)

        budget = _number(self.budget_vnd)
        if budget is None or budget < 0:
            raise UsageError("err.siting_budget", value=self.budget_vnd)
        put("budget_vnd", math.floor(budget))
        put("radius_m", check_radius(self.radius_m))
        if self.target_year is not None:
            year = _number(self.target_year)
            if year not in TARGET_YEARS:
                raise UsageError("err.siting_year", value=self.target_year, allowed=", ".join(map(str, TARGET_YEARS)))
            put("target_year", year)
        if self.method not in METHODS:
            raise UsageError("err.siting_method", value=self.method)
        if self.max_new is not None:
            most = _number(self.max_new)
            if not isinstance(most, int) or most < 0:
                raise UsageError("err.siting_max_new", value=self.max_new)
            put("max_new", most)
        try:
            sources = (self.sources,) if isinstance(self.sources, str) else tuple(self.sources)
        except TypeError:
            raise UsageError("err.siting_source", value=self.sources, allowed=", ".join(SOURCES)) from None
        for source in sources:
            if source not in SOURCES:
                raise UsageError("err.siting_source", value=source, allowed=", ".join(SOURCES))
        put("sources", tuple(dict.fromkeys(sources)))
        cost = _number(self.default_cost_vnd)
        if cost is None or cost < 0:
            raise UsageError("err.siting_cost", value=self.default_cost_vnd)
        put("default_cost_vnd", cost)
        limit = _number(EXACT_TIME_LIMIT_S if self.time_limit_s is None else self.time_limit_s)
        if limit is None or limit <= 0:
            raise UsageError("err.siting_time", value=self.time_limit_s)
        put("time_limit_s", float(limit))

    @classmethod
    def from_text(cls, *, budget_vnd: str, radius_m: str = "2000", target_year: str | None = None,
                  method: str = "exact", max_new: str | None = None, sources: str = ",".join(SOURCES),
                  default_cost_vnd: str = str(DEFAULT_COST_VND), time_limit_s: str | None = None) -> "SitingRequest":
        """A request from command-line text: sources as a comma list, an empty year, max_new or time limit as none."""
        return cls(budget_vnd=budget_vnd, radius_m=radius_m, target_year=target_year or None, method=method,
                   max_new=max_new or None, sources=tuple(s.strip() for s in sources.split(",") if s.strip()),
                   default_cost_vnd=default_cost_vnd, time_limit_s=time_limit_s or None)


@dataclass(frozen=True, eq=False)  # holds a GeoDataFrame: equal only to itself
class SitePlan:
    """What `run` answered: the request, the answer shown (`result`), the fast greedy answer
    (`fast`, the same object as `result` for the greedy method), a note (i18n key, values) when
    the exact answer is not a proven optimum, and the chosen sites (one row each)."""

    request: SitingRequest
    result: SitingResult
    fast: SitingResult
    note: tuple[str, dict] | None
    sites: gpd.GeoDataFrame  # id, source, commune_code, commune, cost_vnd, children_newly_within, geometry

    @property
    def radius_m(self) -> float:
        return self.request.radius_m

    @property
    def budget_vnd(self) -> int:
        return self.request.budget_vnd

    @property
    def target_year(self) -> int | None:
        return self.request.target_year

    @property
    def max_new(self) -> int | None:
        return self.request.max_new

    @property
    def sources(self) -> tuple[str, ...]:
        return self.request.sources


def run(package: DataPackage, request: SitingRequest, *,
        on_greedy: Callable[[SitingResult], None] | None = None) -> SitePlan:
    """Build the candidates and the problem once, solve greedy (reported through `on_greedy`, for
    progress on the page), then exact unless the method is greedy, settle, and return the plan.
    The request was checked when it was made; package problems (no candidates, a candidate
    outside every commune) raise UsageError here."""
    candidates = candidates_from_package(package, sources=request.sources, default_cost_vnd=request.default_cost_vnd)
    problem = problem_from_package(package, candidates, radius_m=request.radius_m, budget_vnd=request.budget_vnd,
                                   max_new=request.max_new, target_year=request.target_year)
    fast = problem.solve_greedy()
    if on_greedy is not None:
        on_greedy(fast)
    if request.method == "greedy":
        best, note = fast, None
    else:
        exact = problem.solve_exact(time_limit_s=request.time_limit_s)
        best, note = settle(fast, exact, time_limit_s=request.time_limit_s)
    return SitePlan(request, best, fast, note, _chosen_sites(package, candidates, best, radius_m=request.radius_m))


def plan(package: DataPackage, candidates: gpd.GeoDataFrame, result: SitingResult, **request) -> SitePlan:
    """A plan for a result solved outside `run` (tests, older callers); `request` holds the
    SitingRequest fields other than the method, which is the result's."""
    req = SitingRequest(method=result.method, **request)
    return SitePlan(req, result, result, None, _chosen_sites(package, candidates, result, radius_m=req.radius_m))


def _chosen_sites(package: DataPackage, candidates: gpd.GeoDataFrame, result: SitingResult, *, radius_m: float) -> gpd.GeoDataFrame:
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
    return gpd.GeoDataFrame(chosen[cols].reset_index(drop=True), geometry="geometry", crs=candidates.crs)


def as_proposals(site_plan: SitePlan, *, start: int = 1, year: int = 2026) -> list[Proposal]:
    """The chosen sites as editable proposals (ids N<start>, N<start+1>, ...)."""
    out = []
    for k, row in enumerate(site_plan.sites.itertuples()):
        out.append(Proposal(f"N{start + k:03d}", round(row.geometry.x, 6), round(row.geometry.y, 6), row.commune_code,
                            cost_vnd=int(round(float(row.cost_vnd))), year=year, source="optimiser",
                            candidate_id=str(row.id)))
    return out


def _request_rows(req: SitingRequest, lang: str) -> list[tuple[str, str]]:
    return [
        (t("opt.method", lang), t(f"opt.method_{req.method}", lang)),
        (t("opt.budget", lang), f"{fmt_int(req.budget_vnd, lang)} ₫"),
        (t("param.radius_m", lang), f"{req.radius_m:g}"),
        (t("opt.mode", lang), t("opt.mode_target", lang, year=req.target_year) if req.target_year else t("opt.mode_children", lang)),
        (t("opt.max_new", lang), "—" if req.max_new is None else str(req.max_new)),
        (t("opt.sources", lang), ", ".join(t(f"opt.source_{s}", lang) for s in req.sources) or "—"),
        (t("opt.default_cost", lang), f"{fmt_int(req.default_cost_vnd, lang)} ₫"),
        (t("opt.time_limit", lang), f"{req.time_limit_s:g}" if req.method == "exact" else "—"),
    ]


def _result_rows(r: SitingResult, lang: str) -> list[tuple[str, str]]:
    return [
        (t("opt.status", lang), r.status),
        (t("opt.gap", lang), "—" if r.gap is None else f"{r.gap:.4%}"),
        (t("opt.seconds", lang), f"{r.seconds:.2f}"),
        (t("opt.children", lang), fmt_int(r.children_newly_reached, lang)),
        (t("opt.communes", lang), str(r.communes_newly_with_point)),
        (t("opt.total_cost", lang), f"{fmt_int(r.total_cost_vnd, lang)} ₫"),
    ]


def parameters(site_plan: SitePlan, package: DataPackage, lang: str, *, now: datetime | None = None) -> list[tuple[str, str]]:
    """The rows written above every export: the request, the answer (and its note), the data."""
    now = now or datetime.now(timezone.utc)
    rows = _request_rows(site_plan.request, lang) + _result_rows(site_plan.result, lang)
    if site_plan.note:
        rows.append((t("opt.note", lang), note_text(site_plan.note, lang)))
    rows += [
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


def summary_lines(site_plan: SitePlan, lang: str) -> list[str]:
    """What `planner site` prints: the request and the answer, then the note when there is one."""
    rows = _request_rows(site_plan.request, lang) + _result_rows(site_plan.result, lang)
    lines = [f"{k}: {v}" for k, v in rows]
    return lines + ([note_text(site_plan.note, lang)] if site_plan.note else [])


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
