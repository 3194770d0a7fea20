"""A data package at one reach radius, with its figures computed once and kept.

The app and the CLI ask the same questions of a package (the Overview's figures, a ranking, what
some proposals change, a scenario's figures); an `Analysis` answers them and keeps what it
computed, so no caller passes cached pieces back into the core. Each village's distance to the
nearest existing point does not depend on the radius: `at(radius_m=...)` gives the same package at
another radius sharing it. The app shares one Analysis between sessions: every kept answer is
guarded by a lock of its own instance, and the memory of effects and rankings is bounded.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from planner.coverage import check_radius
from planner.package import DataPackage
from planner.proposals import Effect, Proposal, proposals_frame
from planner.ranking import Ranking, rank, resolve_weights
from planner.summary import DEFAULT_RADIUS_M, Summary, existing_distance_m, summarize

MEMO_ENTRIES = 64  # effects and rankings kept per package and radius


class _Once:
    """A value computed on first use, once, whatever the number of threads asking."""

    def __init__(self, compute):
        self._compute, self._lock, self._value, self._done = compute, threading.Lock(), None, False

    def get(self):
        if not self._done:
            with self._lock:
                if not self._done:
                    self._value, self._done = self._compute(), True
        return self._value


@dataclass(frozen=True, eq=False)
class Analysis:
    package: DataPackage
    radius_m: float
    _nearest: _Once = field(repr=False)  # distances to the nearest existing point, shared between radii
    _summary: _Once = field(repr=False)
    _memo: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def of(cls, package: DataPackage, *, radius_m: float = DEFAULT_RADIUS_M) -> Analysis:
        """`package` at `radius_m` (checked: UsageError for a radius out of range)."""
        return cls._make(package, check_radius(radius_m), _Once(lambda: existing_distance_m(package)))

    @classmethod
    def _make(cls, package: DataPackage, radius_m: float, nearest: _Once) -> Analysis:
        return cls(package, radius_m, nearest, _Once(lambda: summarize(package, radius_m=radius_m, distance_m=nearest.get())))

    def at(self, *, radius_m: float) -> Analysis:
        """The same package at another radius, sharing what does not depend on it."""
        radius_m = check_radius(radius_m)
        return self if radius_m == self.radius_m else Analysis._make(self.package, radius_m, self._nearest)

    @property
    def summary(self) -> Summary:
        """Every Overview figure at this radius."""
        return self._summary.get()

    def effect(self, proposals: tuple[Proposal, ...] | list[Proposal]) -> Effect:
        """The figures without and with `proposals` counted as built."""
        proposals = tuple(proposals)
        if not proposals:
            return Effect(self.summary, self.summary)
        return self._kept(("effect", proposals), lambda: Effect(
            self.summary, summarize(self.package, radius_m=self.radius_m, extra_points=proposals_frame(proposals))))

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
