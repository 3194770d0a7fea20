"""A data package under one reach rule, with its figures computed once and kept.

The app and the CLI ask the same questions of a package (the Overview's figures, a ranking, what
some proposals change, a scenario's figures); an `Analysis` answers them and keeps what it
computed, so no caller passes cached pieces back into the core. Each village's distance (or
walking time) to the nearest existing point does not depend on the limit: `at(...)` gives the same
package at another radius, another number of minutes or the other mode, sharing the measures
(the walking graph is built once per package) and those distances. The app shares one Analysis between sessions: every kept answer is
guarded by a lock of its own instance, and the memory of effects and rankings is bounded.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import geopandas as gpd
import shapely

from planner.package import DataPackage
from planner.proposals import Effect, Proposal, proposals_frame
from planner.ranking import Ranking, rank, resolve_weights
from planner.reach import DEFAULT_RADIUS_M, Measure, Measures, ReachRule
from planner.summary import Summary, existing_points, summarize

MEMO_ENTRIES = 64  # effects and rankings kept per package and radius


class _Once:
    """A value computed on first use, once, whatever the number of threads asking."""

    def __init__(self, compute):
        self._compute, self._lock, self._value, self._done = compute, threading.Lock(), None, False

    @property
    def done(self) -> bool:
        return self._done

    def get(self):
        if not self._done:
            with self._lock:
                if not self._done:
                    self._value, self._done = self._compute(), True
        return self._value


class _Shared:
    """What every rule on one package shares: the measures, and per mode each village's distance
    or time to the nearest existing point."""

    def __init__(self, package: DataPackage):
        self.measures = Measures(package)
        self.nearest = {mode: _Once(lambda mode=mode: self.measures.of(mode).to_nearest(existing_points(package)))
                        for mode in ("line", "walk")}


@dataclass(frozen=True, eq=False)
class Analysis:
    package: DataPackage
    rule: ReachRule
    _shared: _Shared = field(repr=False)
    _summary: _Once = field(repr=False)
    _memo: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def of(cls, package: DataPackage, *, radius_m: float = DEFAULT_RADIUS_M, reach: ReachRule | None = None) -> Analysis:
        """`package` under `reach` (default: straight line within `radius_m`; checked, UsageError
        for a value out of range or walking on a package without terrain)."""
        return cls._make(package, reach or ReachRule(radius_m=radius_m), _Shared(package))

    @classmethod
    def _make(cls, package: DataPackage, rule: ReachRule, shared: _Shared) -> Analysis:
        if rule.walking and not package.has_terrain:
            from planner.errors import UsageError

            raise UsageError("err.no_terrain")
        return cls(package, rule, shared, _Once(lambda: summarize(
            package, rule=rule, distance_m=shared.nearest[rule.mode].get(), measure=shared.measures.of(rule.mode))))

    @property
    def radius_m(self) -> float:
        return self.rule.radius_m

    @property
    def ready(self) -> bool:
        """Whether the figures are computed (asking for them now costs nothing)."""
        return self._summary.done

    @property
    def measure(self) -> Measure:
        """The package's measure under this rule (the walking graph is built on first use)."""
        return self._shared.measures.of(self.rule.mode)

    def at(self, *, radius_m: float | None = None, reach: ReachRule | None = None) -> Analysis:
        """The same package under another rule (or this rule at another radius), sharing what does
        not depend on it."""
        rule = reach or ReachRule(mode=self.rule.mode, radius_m=radius_m if radius_m is not None else self.rule.radius_m,
                                  minutes=self.rule.minutes)
        return self if rule == self.rule else Analysis._make(self.package, rule, self._shared)

    @property
    def summary(self) -> Summary:
        """Every Overview figure at this radius."""
        return self._summary.get()

    def effect(self, proposals: tuple[Proposal, ...] | list[Proposal]) -> Effect:
        """The figures without and with `proposals` counted as built."""
        proposals = tuple(proposals)
        if not proposals:
            return Effect(self.summary, self.summary)
        return self._kept(("effect", proposals), lambda: Effect(self.summary, summarize(
            self.package, rule=self.rule, extra_points=proposals_frame(proposals),
            distance_m=self._shared.nearest[self.rule.mode].get(), measure=self.measure)))

    def children_within(self, points: gpd.GeoDataFrame) -> int:
        """Children within reach when exactly `points` (EPSG:4326) are the points in use, instead
        of the package's existing ones: a year of the progress record. One bounded search."""
        xy = tuple(shapely.get_coordinates(points.geometry).round(7).ravel())
        return self._kept(("children_within", xy), lambda: int(self.package.villages["children"].to_numpy()[
            self.measure.to_nearest(points, limit=self.rule.limit) <= self.rule.limit].sum()))

    def ranking(self, *, preset: str | None = None, weights: dict | None = None) -> Ranking:
        """The commune ranking for a preset or custom weights (one rule: `ranking.resolve_weights`)."""
        preset, weights = resolve_weights(preset, weights)
        return self._kept(("ranking", preset, tuple(sorted(weights.items()))), lambda: rank(
            self.package, weights=None if preset else weights, preset=preset, radius_m=self.radius_m,
            summary=self.summary))

    def _kept(self, key: tuple, compute):
        """The answer kept under `key`, else `compute()` kept (the least recently used goes first)."""
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = compute()  # outside the lock: another session's question need not wait for this one
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > MEMO_ENTRIES:
                self._memo.popitem(last=False)
        return value
