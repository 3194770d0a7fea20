"""Scenarios: a named plan (parameters, proposals by year and funding) and the figures it gives.

Phasing places proposals in the years 2026-2030 within each year's state budget; non-state
("xã hội hóa") funding does not draw on it. The figures of a scenario are recomputed from the
data package, so they always match the Overview for the same parameters.
"""
from __future__ import annotations

import functools
import json
import math
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone

import pandas as pd

from planner.analysis import Analysis
from planner.errors import UsageError
from planner.package import DataPackage
from planner.proposals import FUNDING, KINDS, MAX_VND, Proposal
from planner.targets import indicator

YEARS = (2026, 2027, 2028, 2029, 2030)
FORMAT_VERSION = 1
# what a scenario may hold (a scenario file is untrusted input)
MAX_PROPOSALS = 5_000
YEAR_RANGE = (2000, 2100)
TEXT_LIMITS = {"description": 5_000, "author": 120, "id": 200, "commune_code": 40, "candidate_id": 200, "preset": 40}
SOURCES = ("map", "candidate", "optimiser")
RADIUS_RANGE_M = (1, 100_000)  # what a scenario may hold, and what the app's radius box takes


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str = ""
    author: str = ""
    radius_m: float = 2000.0
    preset: str | None = "balanced"
    reach_mode: str = "line"  # "line": straight line within radius_m; "walk": walking within walk_minutes
    walk_minutes: float = 30.0
    weights: dict = field(default_factory=dict)  # custom ranking weights when preset is None
    default_cost_vnd: int = 1_500_000_000
    budget_by_year: dict = field(default_factory=lambda: {y: 0 for y in YEARS})  # state budget, VND
    proposals: tuple[Proposal, ...] = ()
    created_at: str = ""
    updated_at: str = ""
    version: int = 0  # 0 = never saved

    @property
    def reach_rule(self):
        """How the scenario counts reach (planner.reach.ReachRule)."""
        from planner.reach import ReachRule

        return ReachRule(mode=self.reach_mode, radius_m=self.radius_m, minutes=self.walk_minutes)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["budget_by_year"] = {str(k): int(v) for k, v in self.budget_by_year.items()}
        d["proposals"] = [asdict(p) for p in self.proposals]
        d["format_version"] = FORMAT_VERSION
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)


def _proposal(p: dict) -> Proposal:
    if not isinstance(p, dict):
        raise TypeError(f"a proposal must be an object, not {type(p).__name__}")
    q = Proposal(**p)
    return replace(q, id=str(q.id), lon=float(q.lon), lat=float(q.lat), commune_code=str(q.commune_code),
                   kind=str(q.kind), cost_vnd=int(q.cost_vnd), year=int(q.year), source=str(q.source),
                   candidate_id=str(q.candidate_id), funding=str(q.funding))


def from_dict(d: dict) -> Scenario:
    """A scenario from its dict form (as stored or exported); raises UsageError when malformed or
    when a value is out of range (see `check_values`)."""
    try:
        if not isinstance(d, dict):
            raise TypeError(f"a scenario must be a JSON object, not {type(d).__name__}")
        raw_props = d.get("proposals", [])
        if not isinstance(raw_props, list):
            raise TypeError("'proposals' must be a list")
        if len(raw_props) > MAX_PROPOSALS:
            raise UsageError("err.scenario_value", field="proposals", value=len(raw_props), allowed=f"≤ {MAX_PROPOSALS}")
        props = tuple(_proposal(p) for p in raw_props)
        budget = {int(k): int(v) for k, v in (d.get("budget_by_year") or {}).items()}
        weights = {str(k): float(v) for k, v in (d.get("weights") or {}).items()}
        preset = d.get("preset")
        scenario = Scenario(
            name=str(d["name"]), description=str(d.get("description", "")), author=str(d.get("author", "")),
            radius_m=float(d.get("radius_m", 2000.0)), preset=None if preset is None else str(preset), weights=weights,
            reach_mode=str(d.get("reach_mode", "line")), walk_minutes=float(d.get("walk_minutes", 30.0)),
            default_cost_vnd=int(d.get("default_cost_vnd", 1_500_000_000)),
            budget_by_year={y: budget.get(y, 0) for y in YEARS} | budget, proposals=props,
            created_at=str(d.get("created_at", "")), updated_at=str(d.get("updated_at", "")), version=int(d.get("version", 0)),
        )
    except UsageError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise UsageError("err.scenario_malformed", detail=str(exc)[:200]) from None
    return check_values(scenario)


def _bad(field_name: str, value, allowed: str) -> UsageError:
    return UsageError("err.scenario_value", field=field_name, value=repr(value)[:60], allowed=allowed)


def check_values(s: Scenario) -> Scenario:
    """`s` when every value is in range (finite numbers, known kinds, bounded text); else UsageError
    naming the field, the value and what is allowed."""
    from planner.ranking import PRESETS

    def number(name: str, v, lo: float, hi: float) -> None:
        if not (isinstance(v, (int, float)) and math.isfinite(v) and lo <= v <= hi):
            raise _bad(name, v, " … ".join(f"{x:,.0f}" if abs(x) >= 1e6 else f"{x:g}" for x in (lo, hi)))

    for name in ("description", "author"):
        if len(getattr(s, name)) > TEXT_LIMITS[name]:
            raise _bad(name, getattr(s, name), f"≤ {TEXT_LIMITS[name]} characters")
    number("radius_m", s.radius_m, *RADIUS_RANGE_M)
    from planner.reach import MINUTES_RANGE, REACH_MODES

    if s.reach_mode not in REACH_MODES:
        raise _bad("reach_mode", s.reach_mode, ", ".join(REACH_MODES))
    number("walk_minutes", s.walk_minutes, *MINUTES_RANGE)
    number("default_cost_vnd", s.default_cost_vnd, 0, MAX_VND)
    if s.preset is not None and s.preset not in PRESETS:
        raise _bad("preset", s.preset, ", ".join(PRESETS))
    for k, v in s.weights.items():
        number(f"weights.{k[:40]}", v, 0, 1_000)
    for y, v in s.budget_by_year.items():
        number("budget_by_year (year)", y, *YEAR_RANGE)
        number(f"budget_by_year.{y}", v, 0, MAX_VND)
    for p in s.proposals:
        where = f"proposals[{p.id[:40]}]"
        for name in ("id", "commune_code", "candidate_id"):
            if len(getattr(p, name)) > TEXT_LIMITS[name]:
                raise _bad(f"{where}.{name}", getattr(p, name), f"≤ {TEXT_LIMITS[name]} characters")
        number(f"{where}.lon", p.lon, -180, 180)
        number(f"{where}.lat", p.lat, -90, 90)
        number(f"{where}.cost_vnd", p.cost_vnd, 0, MAX_VND)
        number(f"{where}.year", p.year, *YEAR_RANGE)
        for name, known in (("kind", KINDS), ("funding", FUNDING), ("source", SOURCES)):
            if getattr(p, name) not in known:
                raise _bad(f"{where}.{name}", getattr(p, name), ", ".join(known))
    return s


def from_json(text: str) -> Scenario:
    try:
        return from_dict(json.loads(text))
    except (json.JSONDecodeError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        raise UsageError("err.scenario_malformed", detail=str(exc)[:200] or type(exc).__name__) from None


def check_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name or len(name) > 120:
        raise UsageError("err.scenario_name")
    return name


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def auto_phase(proposals, budget_by_year: dict) -> tuple[tuple[Proposal, ...], tuple[Proposal, ...]]:
    """Give each state-funded proposal, in order, the earliest year 2026-2030 whose remaining
    budget covers it; non-state proposals keep their year. Returns (placed, did_not_fit)."""
    left = {y: int(budget_by_year.get(y, 0)) for y in YEARS}
    placed, unfit = [], []
    for p in proposals:
        if p.funding != "state":
            placed.append(p)
            continue
        year = next((y for y in YEARS if left[y] >= p.cost_vnd), None)
        if year is None:
            unfit.append(p)
        else:
            left[year] -= p.cost_vnd
            placed.append(replace(p, year=year))
    return tuple(placed), tuple(unfit)


@dataclass(frozen=True)
class Figures:
    """What a scenario gives, for the compare page, the brief and the workbook."""

    communes_total: int
    communes_with_point_before: int
    communes_with_point: int
    needed_2025: int
    needed_2030: int
    children_total: int
    children_newly_reached: int
    communes_newly_with_point: int
    cost_total_vnd: int
    cost_by_year: dict  # year -> VND (all funding)
    cost_by_funding: dict  # funding -> VND
    over_budget: dict  # year -> VND of state funding beyond that year's budget (only years over)
    year_2025_target: int | None  # first year whose cumulative points meet the 30% share, None if never
    year_2030_target: int | None
    short_2030_end: int  # communes still short of 35% after every proposal
    rule: object = None  # the ReachRule the children were counted under (planner.reach)

    @property
    def cost_per_child_vnd(self) -> float | None:
        return self.cost_total_vnd / self.children_newly_reached if self.children_newly_reached else None


def figures(analysis: Analysis, scenario: Scenario) -> Figures:
    """The scenario's figures on the analysed package at the scenario's radius (proposals counted
    as built in their year)."""
    analysis = analysis.at(reach=scenario.reach_rule)
    e = analysis.effect(scenario.proposals)
    total = e.after.play_point.total
    before = e.before.play_point.achieved
    costs = pd.DataFrame([{"year": p.year, "funding": p.funding, "cost": p.cost_vnd} for p in scenario.proposals],
                         columns=["year", "funding", "cost"])
    by_year = {int(y): int(c) for y, c in costs.groupby("year")["cost"].sum().items()}
    by_funding = {f: int(costs.loc[costs["funding"] == f, "cost"].sum()) for f in FUNDING}
    state = costs[costs["funding"] == "state"].groupby("year")["cost"].sum()
    over = {int(y): int(c - scenario.budget_by_year.get(int(y), 0)) for y, c in state.items()
            if c > scenario.budget_by_year.get(int(y), 0)}
    reached_year = {2025: None, 2030: None}
    ind0 = indicator("play_point", achieved=before, total=total)

    @functools.cache  # both targets look at the same years: each is computed once
    def achieved_by(y: int) -> int:
        """Communes with a point once the proposals up to year `y` are built."""
        upto = tuple(p for p in scenario.proposals if p.year <= y)
        return analysis.effect(upto).after.play_point.achieved

    for target_year in reached_year:
        if ind0.gap(target_year).met:
            reached_year[target_year] = min(YEARS[0], 2025)
            continue
        for y in sorted({p.year for p in scenario.proposals}):
            if indicator("play_point", achieved=achieved_by(y), total=total).gap(target_year).met:
                reached_year[target_year] = y
                break
    after = e.after.play_point
    return Figures(
        communes_total=total, communes_with_point_before=before, communes_with_point=after.achieved,
        needed_2025=after.gap(2025).needed, needed_2030=after.gap(2030).needed,
        children_total=e.after.reach.children_total, children_newly_reached=e.children_newly_reached,
        communes_newly_with_point=e.communes_newly_with_point, cost_total_vnd=int(costs["cost"].sum()),
        cost_by_year=by_year, cost_by_funding=by_funding, over_budget=over,
        year_2025_target=reached_year[2025], year_2030_target=reached_year[2030], short_2030_end=after.gap(2030).needed,
        rule=analysis.rule,
    )
