"""A data package at one reach radius, with its figures computed once and kept.

The app and the CLI ask the same questions of a package (the Overview's figures, a ranking, what
some proposals change); an `Analysis` answers them and keeps what it computed, so no caller has to
pass cached pieces back into the core. Each village's distance to the nearest existing point does
not depend on the radius: `at(radius_m)` gives the same package at another radius sharing it.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from planner.coverage import check_radius
from planner.package import DataPackage
from planner.proposals import Effect, Proposal, proposals_frame
from planner.ranking import Ranking, rank, resolve_weights
from planner.summary import DEFAULT_RADIUS_M, Summary, existing_distance_m, summarize


MEMO_ENTRIES = 64  # effects and rankings kept per package and radius


@dataclass(frozen=True, eq=False)
class _Nearest:
    """Distances to the nearest existing point, computed on first use, shared between radii."""

    package: DataPackage
    lock: threading.Lock = field(default_factory=threading.Lock)

    @cached_property
    def distance_m(self) -> np.ndarray:
        with self.lock:
            return existing_distance_m(self.package)


@dataclass(frozen=True, eq=False)
class Analysis:
    package: DataPackage
    radius_m: float
    _nearest: _Nearest = field(repr=False)
    _memo: dict = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, package: DataPackage, *, radius_m: float = DEFAULT_RADIUS_M) -> Analysis:
        """`package` at `radius_m` (checked: UsageError for a radius out of range)."""
        return cls(package, check_radius(radius_m), _Nearest(package))

    def at(self, radius_m: float) -> Analysis:
        """The same package at another radius, sharing what does not depend on it."""
        radius_m = check_radius(radius_m)
        return self if radius_m == self.radius_m else Analysis(self.package, radius_m, self._nearest)

    @cached_property
    def summary(self) -> Summary:
        """Every Overview figure at this radius."""
        return summarize(self.package, radius_m=self.radius_m, distance_m=self._nearest.distance_m)

    def effect(self, proposals: tuple[Proposal, ...] | list[Proposal]) -> Effect:
        """The figures without and with `proposals` counted as built."""
        proposals = tuple(proposals)
        if not proposals:
            return Effect(self.summary, self.summary)
        key = ("effect", proposals)
        found = self._memo.get(key)
        if found is None:
            after = summarize(self.package, radius_m=self.radius_m, extra_points=proposals_frame(proposals))
            found = Effect(self.summary, after)
            self._remember(key, found)
        return found

    def ranking(self, *, preset: str | None = None, weights: dict | None = None) -> Ranking:
        """The commune ranking for a preset or custom weights (one rule: `ranking.resolve_weights`)."""
        preset, weights = resolve_weights(preset, weights)
        key = ("ranking", preset, tuple(sorted(weights.items())))
        found = self._memo.get(key)
        if found is None:
            found = rank(self.package, weights=None if preset else weights, preset=preset,
                         radius_m=self.radius_m, summary=self.summary)
            self._remember(key, found)
        return found

    def _remember(self, key, value) -> None:
        """Keep `value`; the app shares one Analysis between sessions, so the memory is bounded
        (the oldest answers go first) and every step is one dict operation, safe between threads."""
        while len(self._memo) >= MEMO_ENTRIES:
            try:
                self._memo.pop(next(iter(self._memo)))
            except (StopIteration, KeyError, RuntimeError):  # another thread emptied or changed it meanwhile
                break
        self._memo[key] = value
