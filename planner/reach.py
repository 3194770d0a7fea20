"""How reach is measured: a straight-line radius (metres) or a child's walk (minutes).

A `ReachRule` says which, and how far. A `Measure` answers the two questions every figure asks of
a package under a rule: how far is each village from the nearest of some points, and which
villages does each candidate site reach. The straight-line measure searches a k-d tree; the
walking measure searches the terrain's walking graph (`planner.walking`), built once per package.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

from planner.coverage import check_radius
from planner.errors import UsageError
from planner.package import DataPackage
from planner.projection import metric_crs_of, metric_xy
from planner.siting import cover_matrix
from planner.walking import Snap, Terrain, WalkingGraph, WalkingModel, walking_graph

REACH_MODES = ("line", "walk")
DEFAULT_RADIUS_M = 2000.0
DEFAULT_MINUTES = 30.0
MINUTES_RANGE = (1.0, 240.0)
BANDS_MIN = (15.0, 30.0, 60.0)


def check_minutes(minutes) -> float:
    """Whole or decimal minutes within MINUTES_RANGE, or a UsageError saying what was wrong."""
    try:
        value = float(minutes)
    except (TypeError, ValueError):
        raise UsageError("err.minutes", value=minutes, low=MINUTES_RANGE[0], high=MINUTES_RANGE[1]) from None
    if not math.isfinite(value) or not MINUTES_RANGE[0] <= value <= MINUTES_RANGE[1]:
        raise UsageError("err.minutes", value=minutes, low=MINUTES_RANGE[0], high=MINUTES_RANGE[1])
    return value


@dataclass(frozen=True)
class ReachRule:
    """Straight line within `radius_m`, or a walk of at most `minutes` (both kept, one used)."""

    mode: str = "line"
    radius_m: float = DEFAULT_RADIUS_M
    minutes: float = DEFAULT_MINUTES

    def __post_init__(self):
        if self.mode not in REACH_MODES:
            raise UsageError("err.reach_mode", value=self.mode, known=", ".join(REACH_MODES))
        object.__setattr__(self, "radius_m", check_radius(self.radius_m))
        object.__setattr__(self, "minutes", check_minutes(self.minutes))

    @property
    def walking(self) -> bool:
        return self.mode == "walk"

    @property
    def limit(self) -> float:
        """The threshold in the measure's unit: metres or minutes."""
        return self.minutes if self.walking else self.radius_m

    def within(self, lang: str) -> str:
        """"trong bán kính 2.000 m" / "trong 30 phút đi bộ": what "reached" means, in words."""
        from planner.formats import fmt_int, fmt_num
        from planner.i18n import t

        if self.walking:
            return t("reach.within_walk", lang, minutes=fmt_num(self.minutes, lang, 1, trim=True))
        return t("reach.within_line", lang, radius=fmt_int(self.radius_m, lang))

    def words(self, lang: str) -> str:
        """"đi bộ, tối đa 30 phút" / "đường chim bay, bán kính 2.000 m": the rule, for parameters and titles."""
        from planner.formats import fmt_int, fmt_num
        from planner.i18n import t

        if self.walking:
            return t("reach.rule_walk", lang, minutes=fmt_num(self.minutes, lang, 1, trim=True))
        return t("reach.rule_line", lang, radius=fmt_int(self.radius_m, lang))


class Measure:
    """Distance (metres) or walking time (minutes) from villages to points, for one package."""

    def __init__(self, package: DataPackage, *, crs: str | None = None):
        """Cheap: the villages' metric coordinates are projected once per package and CRS
        (`planner.projection`), so a measure made per call costs no projection."""
        self.package = package
        self.crs = crs or metric_crs_of(package.communes)
        self.village_xy = metric_xy(package.villages, self.crs)

    def to_nearest(self, points: gpd.GeoDataFrame, *, limit: float = np.inf) -> np.ndarray:
        """Each village's distance to the nearest of `points` (inf when none within `limit`)."""
        if len(points) == 0 or len(self.village_xy) == 0:
            return np.full(len(self.village_xy), np.inf)
        bound = limit * (1 + 1e-9) + 1e-6 if np.isfinite(limit) else np.inf
        dist, _ = cKDTree(metric_xy(points, self.crs)).query(self.village_xy, k=1, distance_upper_bound=bound, workers=-1)
        return dist

    def cover(self, sites: gpd.GeoDataFrame, *, limit: float) -> sparse.csr_matrix:
        """Boolean villages x sites: the village is within `limit` of the site."""
        return cover_matrix(self.village_xy, metric_xy(sites, self.crs), radius_m=limit)


class WalkMeasure(Measure):
    """Walking minutes from each village (home) to points, over the package's terrain."""

    def __init__(self, package: DataPackage, *, model: WalkingModel | None = None, terrain: Terrain | None = None):
        self.model = model or WalkingModel()
        if terrain is None:
            if not package.has_terrain:
                raise UsageError("err.no_terrain")
            from planner.terrain import load_terrain  # rasterio is loaded only when walking is used

            terrain = load_terrain(package, self.model)
        super().__init__(package, crs=terrain.crs)
        self.graph: WalkingGraph = walking_graph(terrain)
        self.villages: Snap = self.graph.snap(self.village_xy)
        placed = np.flatnonzero(self.villages.placed)  # villages x nodes: which node each village walks from
        self._on_node = sparse.csr_matrix((np.ones(len(placed), dtype=np.int32), (placed, self.villages.node[placed])),
                                          shape=(len(self.village_xy), self.graph.nodes))

    def snap(self, points: gpd.GeoDataFrame) -> Snap:
        return self.graph.snap(metric_xy(points, self.crs))

    def snapped(self, points: gpd.GeoDataFrame) -> dict:
        """What was moved onto a passable cell to be walked from or to: villages and `points`."""
        return {"villages": self.villages.report(), "points": self.snap(points).report()}

    def node_minutes(self, points: gpd.GeoDataFrame, *, limit: float = np.inf) -> np.ndarray:
        """Every node's walking time to the nearest of `points` (the travel-time surface)."""
        return self.graph.minutes_to_nearest(self.snap(points).node, limit_min=limit)

    def to_nearest(self, points: gpd.GeoDataFrame, *, limit: float = np.inf) -> np.ndarray:
        if len(points) == 0:
            return np.full(len(self.village_xy), np.inf)
        return self.at_villages(self.node_minutes(points, limit=limit))

    def at_villages(self, node_minutes: np.ndarray) -> np.ndarray:
        node = self.villages.node
        return np.where(node >= 0, node_minutes[np.maximum(node, 0)], np.inf)

    def cover(self, sites: gpd.GeoDataFrame, *, limit: float) -> sparse.csr_matrix:
        shape = (len(self.village_xy), len(sites))
        if 0 in shape:
            return sparse.csr_matrix(shape, dtype=bool)
        rows, cols = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]
        for j, nodes, _ in self.graph.minutes_from_each(self.snap(sites).node, limit_min=limit):
            rows.append(nodes)
            cols.append(np.full(len(nodes), j, dtype=np.int64))
        rows, cols = np.concatenate(rows), np.concatenate(cols)
        reached = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(self.graph.nodes, len(sites)))
        return (self._on_node @ reached) > 0  # nodes x sites, read at each village's node

    def per_point(self, points: gpd.GeoDataFrame, *, limit: float):
        """Per point, the grid cells that can walk to it within `limit` and their minutes:
        yields (point position, flat cell indices, minutes)."""
        for j, nodes, minutes in self.graph.minutes_from_each(self.snap(points).node, limit_min=limit):
            yield j, self.graph.cell_of_node[nodes], minutes


def snapped_text(snapped: dict | None, lang: str) -> str | None:
    """The sentence saying what walking moved onto passable cells, or None when nothing was."""
    if not snapped:
        return None
    from planner.formats import fmt_int
    from planner.i18n import t

    v, p = snapped["villages"], snapped["points"]
    if not (v["moved"] or p["moved"] or v["not_placed"] or p["not_placed"]):
        return None
    outside = v["not_placed"] + p["not_placed"]
    return t("reach.snapped", lang, villages=fmt_int(v["moved"], lang), points=fmt_int(p["moved"], lang),
             max_m=fmt_int(max(v["max_moved_m"], p["max_moved_m"]), lang),
             outside=t("reach.not_placed", lang, n=fmt_int(outside, lang)) if outside else "")


def measure_for(package: DataPackage, rule: ReachRule) -> Measure:
    """A fresh measure of `package` for `rule` (callers that keep one pass it instead)."""
    return WalkMeasure(package) if rule.walking else Measure(package)


@dataclass(frozen=True, eq=False)
class Measures:
    """One package's measures, built on first use and shared by every rule and session (a lock per
    mode: building the walking graph does not hold up a straight-line question)."""

    package: DataPackage
    _made: dict = field(default_factory=dict, repr=False)
    _locks: dict = field(default_factory=lambda: {mode: threading.Lock() for mode in REACH_MODES}, repr=False)

    def of(self, mode: str) -> Measure:
        if mode not in self._made:
            with self._locks[mode]:
                if mode not in self._made:
                    self._made[mode] = measure_for(self.package, ReachRule(mode=mode))
        return self._made[mode]
