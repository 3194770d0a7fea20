"""Progress on the targets over the years, from the record of what was built.

A point counts from the day it is in use until the day it is closed; a commune counts once however
many points it has; a point planned, approved or under construction does not count. The figures of
a year are those of 31/12 of that year (of today, for the current year). The package's own history
(`planner.package_history`) comes first; what the workspace recorded comes on top of it.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from operator import attrgetter

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planner.analysis import Analysis
from planner.package_history import data_date, package_history
from planner.record import Entry, current
from planner.scenarios import YEARS, Scenario
from planner.targets import TARGETS, Indicator, indicator, required_count

LAST_YEAR = 2030  # the programme's final year
PROGRAMME_START = 2024  # the Action Programme on Directive 28-CT/TW (25/12/2023)
FUNDING_KEYS = ("state", "non_state", "unknown")


@dataclass(frozen=True)
class YearFigures:
    """The record's figures at the end of one year (today, for the current year)."""

    year: int
    day: date
    points_in_use: int
    communes_with_point: int
    children_within: int
    opened: int  # points first in use this year
    closed: int
    spent_vnd: Sequence[tuple[str, int]]  # (funding, cost of the points opened this year), FUNDING_KEYS order
    cost_unknown: int  # points opened this year without a recorded cost
    indicator: Indicator  # communes with a point against the targets
    in_use: frozenset = frozenset()  # the ids of the points in use that day

    @property
    def spent_total_vnd(self) -> int:
        return sum(v for _, v in self.spent_vnd)


@dataclass(frozen=True)
class Opening:
    """A point coming into use (first, or again after a closure), with the cost and funding recorded
    for that stretch of its life: the money is spent in the opening's year."""

    point_id: str
    on: date
    cost_vnd: int | None
    funding: str  # "" when not recorded


@dataclass(frozen=True)
class TargetCheck:
    """One target year: met or short at its end (at today for a year still ahead)."""

    year: int
    target: Fraction
    required: int  # communes needed: ceil(target x communes)
    achieved: int  # communes with a point at 31/12 of the year, or today if the year is ahead
    reached_on: date | None  # the day the count reached `required` (and held since), None if it has not
    final: bool  # the year is over: `achieved` is the year's result, not today's

    @property
    def short(self) -> int:
        return max(0, self.required - self.achieved)


@dataclass(frozen=True)
class PlanYear:
    """A scenario's plan against what was realised, at the end of one year (realised: None ahead)."""

    year: int
    planned_points: int  # the scenario's proposals of this year and before
    realised_points: int | None  # of those taken into the record, in use at the year's end
    planned_communes: int  # communes with a point if the plan up to this year is built
    realised_communes: int | None
    planned_children: int
    realised_children: int | None
    planned_vnd: int  # the proposals' cost in this year
    realised_vnd: int | None  # recorded cost of the scenario's points opened this year


@dataclass(frozen=True)
class Progress:
    today: date
    data_date: date
    communes_total: int
    children_total: int
    rule: object  # the ReachRule children were counted under
    years: tuple[YearFigures, ...]
    targets: tuple[TargetCheck, ...]
    points: pd.DataFrame  # one row per point: its state today
    by_commune: pd.DataFrame  # communes x years: points in use at each year's end
    entries: tuple[Entry, ...]  # the package's and the workspace's, newest first (corrected ones too)
    others: tuple[Indicator, ...]  # the other facility targets, at the data date only
    caveats: dict = field(default_factory=dict)  # package note code -> points (see package_history)
    scenario: str = ""
    plan: tuple[PlanYear, ...] = ()
    openings: tuple[Opening, ...] = ()  # every coming into use up to today, oldest first
    known: pd.DataFrame | None = None  # every point the package and the record name, whatever the day
    steps: tuple[tuple[date, int], ...] = ()  # (day, communes with a point after that day's changes)

    def targets_on(self, day: date) -> tuple[TargetCheck, ...]:
        """The targets as they stood on an earlier `day` (a report on a period that ended before)."""
        return tuple(target_check(self.steps, year=c.year, share=c.target, total=self.communes_total, today=day)
                     for c in self.targets)

    def year(self, y: int) -> YearFigures:
        return next(f for f in self.years if f.year == y)

    def target(self, y: int) -> TargetCheck:
        return next(t for t in self.targets if t.year == y)


def today_in_vietnam() -> date:
    """Today's date in Vietnam (the record's days are Vietnamese days, whatever the server's zone)."""
    from datetime import datetime

    from planner.formats import VN_TZ

    return datetime.now(VN_TZ).date()


def known_points(package, entries: Sequence[Entry]) -> pd.DataFrame:
    """Every point the package and `entries` name, whatever their day: name, commune, kind and place
    (the package's row, else its latest entries'), indexed by id."""
    rows = {}
    pts = package.play_points
    xy = shapely.get_coordinates(pts.geometry)
    for (pid, name, kind, code), (lon, lat) in zip(pts[["id", "name", "kind", "commune_code"]].itertuples(index=False), xy):
        rows[str(pid)] = dict(name=str(name), kind=str(kind), commune_code=str(code), lon=float(lon), lat=float(lat),
                              origin="package", scenario="")
    for e in sorted(entries, key=lambda e: e.seq):
        if e.point_id in rows and rows[e.point_id]["origin"] == "package":
            continue
        row = rows.setdefault(e.point_id, dict(name=e.point_id, kind=e.kind, commune_code="", lon=None, lat=None,
                                               origin=e.origin, scenario=e.scenario))
        row.update({k: getattr(e, k) for k in ("name", "commune_code", "scenario") if getattr(e, k)})
        if e.lon is not None:
            row.update(lon=e.lon, lat=e.lat)
    return pd.DataFrame.from_dict(rows, orient="index")


RANK = {"planned": 0, "approved": 1, "under_construction": 2, "in_use": 3, "closed": 4}


def _set_aside(entries: Sequence[Entry]) -> frozenset:
    """The seqs of the package's entries the record contradicts: a package entry gives way when the
    record has an entry of the same point on or before its day with a status further along (a
    commune's "in use from 29/02/2024" outranks a demo's "under construction from 13/10/2024"; an
    older "planned" takes nothing away from the package's later "in use")."""
    recorded: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.seq > 0:
            recorded[e.point_id].append(e)
    return frozenset(e.seq for e in entries if e.seq < 0 and any(
        w.on <= e.on and RANK[w.status] > RANK[e.status] for w in recorded.get(e.point_id, ())))


def set_aside(entries: Sequence[Entry]) -> frozenset:
    """The seqs of the package's entries the standing record contradicts (see `_set_aside`)."""
    return _set_aside(current(entries))


def _openings(standing: Sequence[Entry]) -> tuple[Opening, ...]:
    """Each coming into use, with the latest cost and funding recorded while it stays in use (or
    since it last went out of use): a reopening after a closure or works spends its own money in
    its own year, and leaves the first opening's alone."""
    out, stretch = [], {}
    fresh = {"open": None, "was_in_use": False, "cost": None, "funding": ""}
    for e in standing:  # in date order
        s = stretch.setdefault(e.point_id, dict(fresh))
        if s["was_in_use"] and not e.counts:  # closed, or out of use for works: the next opening starts afresh
            stretch[e.point_id] = s = dict(fresh)
        if e.cost_vnd is not None:
            s["cost"] = e.cost_vnd
        if e.funding:
            s["funding"] = e.funding
        if e.counts and s["open"] is None:
            s["open"] = len(out)
            out.append(Opening(e.point_id, e.on, None, ""))
        if s["open"] is not None:  # the stretch's latest cost and funding
            out[s["open"]] = Opening(e.point_id, out[s["open"]].on, s["cost"], s["funding"])
        s["was_in_use"] = e.counts
    return tuple(out)


def _walk(standing: Sequence[Entry], attrs: pd.DataFrame, codes: set):
    """(day, communes with a point) after each day's entries, in date order; only the package's
    communes (`codes`) count."""
    commune_of = attrs["commune_code"].to_dict()
    status: dict[str, Entry] = {}
    by_commune: Counter = Counter()
    for i, e in enumerate(standing):  # in date order
        before = status.get(e.point_id)
        if before is not None and before.counts:
            by_commune[commune_of[e.point_id]] -= 1
        status[e.point_id] = e
        if e.counts:
            by_commune[commune_of[e.point_id]] += 1
        if i + 1 == len(standing) or standing[i + 1].on != e.on:
            yield e.on, sum(1 for c, n in by_commune.items() if n > 0 and c in codes)


def _points_frame(attrs: pd.DataFrame, ids) -> gpd.GeoDataFrame:
    """The located points among `ids`, as points in EPSG:4326."""
    at = attrs.index.get_indexer(sorted(ids))
    lon, lat = attrs["lon"].to_numpy(float, na_value=np.nan)[at], attrs["lat"].to_numpy(float, na_value=np.nan)[at]
    keep = ~np.isnan(lon)
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon[keep], lat[keep]), crs=4326)


def _in_use_at(standing: Sequence[Entry], days: Sequence[date]) -> dict[date, frozenset]:
    """The points in use on each of `days`, in one pass over the entries in date order."""
    status: dict[str, bool] = {}
    out, i = {}, 0
    for day in sorted(days):
        while i < len(standing) and standing[i].on <= day:  # in date order
            status[standing[i].point_id] = standing[i].counts
            i += 1
        out[day] = frozenset(p for p, counts in status.items() if counts)
    return out


def progress(analysis: Analysis, recorded: Sequence[Entry], *, today: date, scenario: Scenario | None = None) -> Progress:
    """The targets over the years on `analysis`'s package and reach rule, from the package's history
    and the workspace's `recorded` entries; with `scenario`, its plan against what was realised."""
    package = analysis.package
    entries = tuple(package_history(package, today=today)) + tuple(recorded)
    standing = current(entries)
    aside = _set_aside(standing)
    standing = tuple(sorted((e for e in standing if e.on <= today and e.seq not in aside),  # nothing later
                            key=attrgetter("on", "seq")))  # in date order, once: every pass below relies on it
    attrs = known_points(package, entries)
    total = len(package.communes)
    codes = set(package.communes["code"].astype(str))
    openings = _openings(standing)
    first_in_use, cost, funding = {}, {}, {}
    for o in openings:
        first_in_use.setdefault(o.point_id, o.on)
        cost[o.point_id], funding[o.point_id] = o.cost_vnd, o.funding  # the latest stretch's
    first = min((e.on.year for e in standing), default=today.year)
    days = {y: min(date(y, 12, 31), today) for y in range(first, today.year + 1)}
    years = []
    in_use = _in_use_at(standing, list(days.values()))
    commune_of = attrs["commune_code"].to_numpy()
    opened_in, closed_in = defaultdict(list), defaultdict(set)
    for o in openings:
        opened_in[o.on.year].append(o)
    for e in standing:
        if e.status == "closed":
            closed_in[e.on.year].add(e.point_id)
    for y, day in days.items():
        ids = in_use[day]
        communes = set(commune_of[attrs.index.get_indexer(list(ids))]) & codes if ids else set()
        opened = opened_in[y]
        spent = Counter()
        for o in opened:
            if o.cost_vnd is not None:
                spent[o.funding or "unknown"] += o.cost_vnd
        years.append(YearFigures(
            year=y, day=day, points_in_use=len(ids), communes_with_point=len(communes),
            children_within=analysis.children_within(_points_frame(attrs, ids)), opened=len(opened),
            closed=len(closed_in[y]),
            spent_vnd=tuple((f, spent.get(f, 0)) for f in FUNDING_KEYS),
            cost_unknown=sum(o.cost_vnd is None for o in opened),
            indicator=indicator("play_point", achieved=len(communes), total=total), in_use=frozenset(ids)))
    steps = tuple(_walk(standing, attrs, codes))
    targets = tuple(target_check(steps, year=ty, share=share, total=total, today=today) for ty, share in TARGETS["play_point"])
    base = analysis.summary
    return Progress(
        today=today, data_date=data_date(package, today=today), communes_total=total,
        children_total=base.reach.children_total, rule=analysis.rule, years=tuple(years), targets=targets,
        points=_points_today(attrs, standing, cost, funding, first_in_use),
        by_commune=_by_commune(package, attrs, {y: in_use[d] for y, d in days.items()}),
        entries=tuple(sorted(entries, key=lambda e: -e.seq)),  # newest first (the package's have seq < 0)
        openings=openings, known=attrs, steps=steps,
        others=(base.child_friendly, base.school_toilet, base.psych_support),
        caveats=dict(Counter(e.note for e in standing if e.origin == "package" and e.note and e.note != "demo")),
        scenario=scenario.name if scenario else "",
        plan=_plan(analysis, scenario, standing, attrs, years, openings) if scenario else ())


def target_check(steps: Sequence[tuple[date, int]], *, year: int, share: Fraction, total: int,
                 today: date) -> TargetCheck:
    """The target of `year` as it stands on `today`: from `steps`, the communes with a point after
    each day's changes (`Progress.steps`)."""
    required = required_count(share, total)
    end = min(date(year, 12, 31), today)
    reached_on, achieved = None, 0
    for day, n in steps:
        if day > end:
            break
        achieved = n
        if n >= required and reached_on is None:
            reached_on = day
        elif n < required:
            reached_on = None
    return TargetCheck(year=year, target=share, required=required, achieved=achieved, reached_on=reached_on,
                       final=date(year, 12, 31) <= today)


def _points_today(attrs, standing, cost, funding, first_in_use) -> pd.DataFrame:
    """Each point the record knows on the figures' day: its status then, since when, cost, funding."""
    now = {e.point_id: e for e in standing}  # in date order: the last one stands
    frame = attrs.assign(
        status=[now[p].status if p in now else "" for p in attrs.index],
        since=[now[p].on if p in now else None for p in attrs.index],
        in_use_from=[first_in_use.get(p) for p in attrs.index],
        cost_vnd=[cost.get(p) for p in attrs.index], funding=[funding.get(p, "") for p in attrs.index])
    frame.index.name = "id"
    return frame[frame["status"] != ""]


def _by_commune(package, attrs, in_use: dict[int, frozenset]) -> pd.DataFrame:
    out = pd.DataFrame({"name": package.communes["name"].to_numpy()}, index=pd.Index(package.communes["code"], name="code"))
    commune = attrs["commune_code"].to_numpy()
    for y, ids in in_use.items():
        counts = pd.Series(commune[attrs.index.get_indexer(list(ids))]).value_counts() if ids else pd.Series(dtype=int)
        out[y] = counts.reindex(out.index, fill_value=0).astype(int).to_numpy()
    return out


def _plan(analysis, scenario, standing, attrs, years, openings) -> tuple[PlanYear, ...]:
    mine = set(attrs.index[attrs["scenario"] == scenario.name])
    done = {f.year: f for f in years}
    out = []
    for y in YEARS:
        upto = tuple(p for p in scenario.proposals if p.year <= y)
        after = analysis.effect(upto).after
        f = done.get(y)
        realised = None if f is None else len(f.in_use & mine)
        out.append(PlanYear(
            year=y, planned_points=len(upto), realised_points=realised,
            planned_communes=after.play_point.achieved, realised_communes=None if f is None else f.communes_with_point,
            planned_children=after.reach.children_within, realised_children=None if f is None else f.children_within,
            planned_vnd=sum(p.cost_vnd for p in scenario.proposals if p.year == y),
            realised_vnd=None if f is None else sum(o.cost_vnd or 0 for o in openings if o.point_id in mine and o.on.year == y)))
    return tuple(out)


def from_scenario(scenario: Scenario, *, today: date, known: set[str]) -> tuple[tuple[Entry, ...], int]:
    """A saved scenario's proposals as new points, "planned" on the day the scenario was first saved
    (today for one never saved; not yet in the record: `known` ids are left out); returns the
    entries and how many were already there."""
    from planner.formats import VN_TZ, as_datetime

    made = as_datetime(scenario.created_at)
    planned_on = min(today, made.astimezone(VN_TZ).date()) if made else today
    out, already = [], 0
    for p in scenario.proposals:
        pid = f"{scenario.name} / {p.id}"
        if pid in known:
            already += 1
            continue
        out.append(Entry(point_id=pid, status="planned", on=planned_on, name=f"Điểm đề xuất {p.id} ({scenario.name})",
                         commune_code=p.commune_code, kind=p.kind, lon=p.lon, lat=p.lat, funding=p.funding,
                         scenario=scenario.name, origin=f"scenario:{scenario.name} v{scenario.version}"))
    return tuple(out), already
