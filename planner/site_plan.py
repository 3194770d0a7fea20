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
from planner.coverage import check_radius
from planner.errors import UsageError
from planner.exports import (Param, Sheet, check_field_names, csv_bytes, geojson_bytes, localise, params_csv_bytes, provenance,
                             rename_fields, safe_params, xlsx_bytes)
from planner.i18n import t
from planner.formats import fmt_int, fmt_num, fmt_pct, value_text
from planner.package import DataPackage
from planner.proposals import Proposal
from planner.reach import DEFAULT_MINUTES, Measure, ReachRule, measure_for
from planner.siting import SitingResult
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
    reach_mode: str = "line"  # "line": straight line within radius_m; "walk": walking within minutes
    minutes: float = DEFAULT_MINUTES
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
        rule = ReachRule(mode=self.reach_mode, radius_m=self.radius_m, minutes=self.minutes)
        put("minutes", rule.minutes)
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

    @property
    def rule(self) -> ReachRule:
        return ReachRule(mode=self.reach_mode, radius_m=self.radius_m, minutes=self.minutes)

    @classmethod
    def from_text(cls, *, budget_vnd: str, radius_m: str = "2000", target_year: str | None = None,
                  method: str = "exact", max_new: str | None = None, sources: str = ",".join(SOURCES),
                  default_cost_vnd: str = str(DEFAULT_COST_VND), time_limit_s: str | None = None,
                  reach_mode: str = "line", minutes: str = str(DEFAULT_MINUTES)) -> "SitingRequest":
        """A request from command-line text: sources as a comma list, an empty year, max_new or time limit as none."""
        return cls(budget_vnd=budget_vnd, radius_m=radius_m, target_year=target_year or None, method=method,
                   max_new=max_new or None, sources=tuple(s.strip() for s in sources.split(",") if s.strip()),
                   default_cost_vnd=default_cost_vnd, time_limit_s=time_limit_s or None, reach_mode=reach_mode,
                   minutes=minutes)


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


def run(package: DataPackage, request: SitingRequest, *, measure: Measure | None = None,
        on_greedy: Callable[[SitingResult], None] | None = None) -> SitePlan:
    """Build the candidates and the problem once, solve greedy (reported through `on_greedy`, for
    progress on the page), then exact unless the method is greedy, settle, and return the plan.
    The request was checked when it was made; package problems (no candidates, a candidate
    outside every commune) raise UsageError here. `measure`: the package's measure for the
    request's reach rule when the caller keeps one (the walking graph is costly to build)."""
    candidates = candidates_from_package(package, sources=request.sources, default_cost_vnd=request.default_cost_vnd)
    measure = measure or measure_for(package, request.rule)
    problem = problem_from_package(package, candidates, rule=request.rule, measure=measure, budget_vnd=request.budget_vnd,
                                   max_new=request.max_new, target_year=request.target_year)
    fast = problem.solve_greedy()
    if on_greedy is not None:
        on_greedy(fast)
    if request.method == "greedy":
        best, note = fast, None
    else:
        exact = problem.solve_exact(time_limit_s=request.time_limit_s)
        best, note = settle(fast, exact, time_limit_s=request.time_limit_s)
    return SitePlan(request, best, fast, note, _chosen_sites(package, candidates, best, request.rule, measure))


def plan(package: DataPackage, candidates: gpd.GeoDataFrame, result: SitingResult, **request) -> SitePlan:
    """A plan for a result solved outside `run` (tests, older callers); `request` holds the
    SitingRequest fields other than the method, which is the result's."""
    req = SitingRequest(method=result.method, **request)
    return SitePlan(req, result, result, None, _chosen_sites(package, candidates, result, req.rule, measure_for(package, req.rule)))


def _chosen_sites(package: DataPackage, candidates: gpd.GeoDataFrame, result: SitingResult, rule: ReachRule,
                  measure: Measure) -> gpd.GeoDataFrame:
    """The chosen rows of `candidates`, each with the children it newly brings within reach
    (children not reached by any existing point; a child near two chosen sites counts for both)."""
    chosen = candidates.iloc[list(result.chosen)].copy()
    villages = package.villages
    reached = measure.to_nearest(existing_points(package), limit=rule.limit) <= rule.limit
    new_kids = np.where(reached, 0, villages["children"].to_numpy(dtype=np.int64))
    gains = measure.cover(chosen, limit=rule.limit).T @ new_kids
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


def parameters(site_plan: SitePlan, package: DataPackage, lang: str, *, now: datetime | None = None) -> list[Param]:
    """What every export carries: the request, the answer (and its note), the data; numbers as
    numbers, each with its kind (money in đồng, the gap as a fraction, the time in seconds)."""
    now = now or datetime.now(timezone.utc)
    rows = _figures(site_plan, lang)
    if site_plan.note:
        rows.append(Param(t("opt.note", lang), note_text(site_plan.note, lang)))
    return safe_params(rows + provenance(package, lang, now=now, tool="planner site"))


def _figures(site_plan: SitePlan, lang: str) -> list[Param]:
    """The request and the answer, each value with its kind."""
    req, r = site_plan.request, site_plan.result
    return [
        Param(t("opt.method", lang), t(f"opt.method_{req.method}", lang)),
        Param(t("opt.budget", lang), req.budget_vnd, "vnd"),
        Param(t("param.reach", lang), req.rule.words(lang)),
        *([] if req.rule.walking else [Param(t("param.radius_m", lang), float(req.radius_m), "num")]),
        Param(t("opt.mode", lang), t("opt.mode_target", lang, year=req.target_year) if req.target_year else t("opt.mode_children", lang)),
        Param(t("opt.max_new", lang), req.max_new, "int"),
        Param(t("opt.sources", lang), ", ".join(t(f"opt.source_{s}", lang) for s in req.sources) or None),
        Param(t("opt.default_cost", lang), req.default_cost_vnd, "vnd"),
        Param(t("opt.time_limit", lang), req.time_limit_s if req.method == "exact" else None, "num"),
        Param(t("opt.status", lang), status_text(r, lang)),
        Param(t("opt.gap", lang), r.gap, "pct2"),
        Param(t("opt.seconds", lang), round(float(r.seconds), 2), "num2"),
        Param(t("opt.children", lang), r.children_newly_reached, "int"),
        Param(t("opt.communes", lang), r.communes_newly_with_point, "int"),
        Param(t("opt.total_cost", lang), r.total_cost_vnd, "vnd"),
    ]


def parameters_csv(site_plan: SitePlan, package: DataPackage, lang: str, *, now: datetime | None = None) -> bytes:
    """The plan's parameters as a CSV: the second download beside the sites' CSV."""
    return params_csv_bytes(parameters(site_plan, package, lang, now=now), lang)


def sites_sheet(site_plan: SitePlan, lang: str) -> Sheet:
    """The chosen sites with headers in the user's language and each column's kind."""
    s = site_plan.sites
    cols = [
        (t("col.site_id", lang), s["id"], "text"),
        (t("col.source", lang), [t(f"opt.source_{v}", lang) for v in s["source"]], "text"),
        (t("col.code", lang), s["commune_code"], "text"),
        (t("col.commune", lang), s["commune"], "text"),
        (t("col.cost_vnd", lang), s["cost_vnd"].astype(float).round().astype("int64"), "vnd"),
        (t("opt.site_children", lang), s["children_newly_within"].astype("int64"), "int"),
        (t("col.lon", lang), s.geometry.x.round(6), "coord"),
        (t("col.lat", lang), s.geometry.y.round(6), "coord"),
    ]
    frame = localise(pd.DataFrame({label: values for label, values, _ in cols}))
    return Sheet(t("opt.sheet", lang), frame, {label: kind for label, _, kind in cols}, freeze_cols=1)


def site_field_labels(lang: str) -> dict[str, str]:
    """Machine field name of the sites layer -> its name in `lang` (the workbook's headers)."""
    return {"id": t("col.site_id", lang), "source": t("col.source", lang), "commune_code": t("col.code", lang),
            "commune": t("col.commune", lang), "cost_vnd": t("col.cost_vnd", lang),
            "children_newly_within": t("opt.site_children", lang)}


def render(site_plan: SitePlan, package: DataPackage, lang: str, ext: str, *, field_names: str = "machine") -> bytes:
    """The chosen sites as .csv, .xlsx or .geojson bytes. The workbook and the GeoJSON carry the
    parameters; a CSV is the table only (its parameters: `parameters_csv`). `field_names` names
    the GeoJSON fields: "machine" (default), "vi" or "en"."""
    ext = ext.lower()
    if ext not in SITE_FORMATS:
        raise UsageError("err.export_ext", ext=ext or "-", known=", ".join(SITE_FORMATS))
    check_field_names(field_names)
    if ext == ".geojson":
        layer = rename_fields(site_plan.sites, site_field_labels, field_names)
        return geojson_bytes(layer, parameters(site_plan, package, lang))
    sheet = sites_sheet(site_plan, lang)
    if ext == ".csv":
        return csv_bytes(sheet.frame, sheet.kinds)
    now = datetime.now(timezone.utc)
    return xlsx_bytes(sheet, parameters(site_plan, package, lang, now=now), lang=lang, now=now)


def summary_lines(site_plan: SitePlan, lang: str) -> list[str]:
    """What `planner site` prints: the request and the answer, then the note when there is one."""
    lines = [f"{p.label}: {value_text(p.value, p.kind, lang)}" for p in _figures(site_plan, lang)]
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
        return fast, ("opt.no_solution", {"limit": time_limit_s, "status": exact.status})
    if exact.status == "time_limit":
        if exact.gap is None:
            return exact, ("opt.time_limit_nogap", {"limit": time_limit_s})
        return exact, ("opt.time_limit_gap", {"limit": time_limit_s, "gap": exact.gap})
    return exact, ("opt.stopped", {"status": exact.status})


def status_text(result: SitingResult, lang: str) -> str:
    """The solver's state in the planner's words: "tối ưu (đã chứng minh)", "dừng khi hết thời gian"..."""
    key = f"opt.state.{result.status}"
    return t(key, lang) if t(key, lang) != key else t("opt.state.other", lang, status=result.status)


def note_text(note: tuple[str, dict], lang: str) -> str:
    """A `settle` note in the user's language."""
    key, values = note
    values = dict(values)
    if "gap" in values:
        values["gap"] = fmt_pct(values["gap"], lang, digits=2)
    if "limit" in values:
        values["limit"] = fmt_num(float(values["limit"]), lang, 1, trim=True)
    if "status" in values:
        key_ = f"opt.state.{values['status']}"
        values["status"] = t(key_, lang) if t(key_, lang) != key_ else values["status"]
    return t(key, lang, **values)
