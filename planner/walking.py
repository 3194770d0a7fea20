"""Walking time over the terrain: Tobler's hiking function on a 16-neighbour grid.

A child's time from home to a point is found on a grid of cells in a metric CRS: each move to one
of 16 neighbours (4 straight, 4 diagonal, 8 knight's moves) takes its length divided by the walking
speed on that move's slope, and the speed depends on the sign of the slope (downhill is faster
than uphill, down to about -5 %). Cells with no elevation and barriers (rivers, lakes) are never
entered or crossed; a path or road over a barrier is a bridge. Times run from home to the point,
the way children walk, so searches start at the points on the reversed graph. The heavy lifting
is SciPy's Dijkstra on a compressed sparse graph built here with NumPy, without sorting.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage, sparse
from scipy.sparse import csgraph

from planner.errors import UsageError

TOBLER_KMH = 6.0  # Tobler (1993): v = 6 exp(-3.5 |s + 0.05|) km/h, s = rise over run
TOBLER_FLAT_KMH = TOBLER_KMH * math.exp(-3.5 * 0.05)  # 5.04 km/h on flat ground
# A child on flat ground: 3.5 ft/s (1.07 m/s), the US MUTCD's (2009, 4E.06) design walking speed
# for pedestrian signals, lowered there from 4 ft/s so that slower walkers, children among them, cross.
CHILD_FLAT_KMH = 3.84
PATH_CLASSES = ("road", "track", "path")  # what a line of the path network can be
OFFSETS = np.array([(0, 1), (1, 0), (0, -1), (-1, 0),
                    (1, 1), (1, -1), (-1, 1), (-1, -1),
                    (1, 2), (2, 1), (2, -1), (1, -2), (-1, -2), (-2, -1), (-2, 1), (-1, 2)], dtype=np.int64)


@dataclass(frozen=True)
class WalkingModel:
    """How fast a child walks. Speeds are on flat ground; Tobler's function scales them by slope."""

    child_flat_kmh: float = CHILD_FLAT_KMH
    off_path_factor: float = 1.0  # Tobler suggests 0.6 off paths; 1.0 as most paths are not mapped
    road_kmh: float = 4.0
    track_kmh: float = CHILD_FLAT_KMH
    path_kmh: float = CHILD_FLAT_KMH

    def __post_init__(self):
        for name in ("child_flat_kmh", "off_path_factor", "road_kmh", "track_kmh", "path_kmh"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and 0 < value <= 50):
                raise UsageError("err.walk_param", name=name, value=value)

    def class_kmh(self, path_class: str) -> float:
        return {"road": self.road_kmh, "track": self.track_kmh, "path": self.path_kmh}[path_class]

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in ("child_flat_kmh", "off_path_factor", "road_kmh", "track_kmh", "path_kmh")}


def tobler_kmh(slope, *, flat_kmh: float = TOBLER_FLAT_KMH):
    """Walking speed in km/h on `slope` (rise over run, signed in the walking direction), scaled so
    that flat ground gives `flat_kmh`."""
    return flat_kmh * np.exp(-3.5 * np.abs(np.asarray(slope, dtype=float) + 0.05)) / math.exp(-3.5 * 0.05)


@dataclass(frozen=True, eq=False)
class Terrain:
    """The walking surface: elevation on square cells, and per cell the flat speed (km/h).

    `x0, y0` is the top-left corner, rows run south; NaN elevation or speed is a cell no one enters.
    """

    elevation_m: np.ndarray
    flat_kmh: np.ndarray
    x0: float
    y0: float
    cell_m: float
    crs: str

    @property
    def shape(self) -> tuple[int, int]:
        return self.elevation_m.shape

    @property
    def passable(self) -> np.ndarray:
        return np.isfinite(self.elevation_m) & np.isfinite(self.flat_kmh) & (self.flat_kmh > 0)

    def cell_of(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row, column of each (x, y) and whether it falls on the grid."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        col = np.floor((xy[:, 0] - self.x0) / self.cell_m).astype(np.int64)
        row = np.floor((self.y0 - xy[:, 1]) / self.cell_m).astype(np.int64)
        inside = (row >= 0) & (row < self.shape[0]) & (col >= 0) & (col < self.shape[1])
        return np.where(inside, row, 0), np.where(inside, col, 0), inside

    def centre_of(self, row: np.ndarray, col: np.ndarray) -> np.ndarray:
        return np.column_stack([self.x0 + (np.asarray(col) + 0.5) * self.cell_m,
                                self.y0 - (np.asarray(row) + 0.5) * self.cell_m])


def flat_speed_grid(shape: tuple[int, int], *, model: WalkingModel, path_class: np.ndarray | None = None,
                    barrier: np.ndarray | None = None) -> np.ndarray:
    """Each cell's flat speed: off-path speed, a path class's speed where `path_class` (0 none,
    i + 1 for PATH_CLASSES[i]) marks one, NaN on a barrier that no path crosses."""
    kmh = np.full(shape, model.child_flat_kmh * model.off_path_factor, dtype=np.float64)
    if path_class is not None:
        for i, name in enumerate(PATH_CLASSES):
            kmh[path_class == i + 1] = model.class_kmh(name)
    if barrier is not None:
        on_path = path_class > 0 if path_class is not None else np.zeros(shape, dtype=bool)
        kmh[np.asarray(barrier, dtype=bool) & ~on_path] = np.nan
    return kmh


@dataclass(frozen=True)
class Snap:
    """Where points were placed on the grid: node per point (-1 when off the grid or with no
    passable cell), and how far each was moved to reach a passable cell (metres)."""

    node: np.ndarray
    moved_m: np.ndarray

    @property
    def placed(self) -> np.ndarray:
        return self.node >= 0

    def report(self) -> dict:
        """How many were moved onto a passable cell and how far at most (metres), and how many
        could not be placed at all (off the grid): what the planner is told."""
        moved = self.placed & (self.moved_m > 0)
        return {"moved": int(moved.sum()), "max_moved_m": float(self.moved_m[moved].max()) if moved.any() else 0.0,
                "not_placed": int((~self.placed).sum())}


@dataclass(frozen=True, eq=False)
class WalkingGraph:
    """The reversed walking graph of a terrain: an edge v -> u carries the time to walk u -> v."""

    terrain: Terrain
    node_of_cell: np.ndarray  # int32 per cell, -1 where impassable
    cell_of_node: np.ndarray  # flat cell index per node
    reversed_minutes: sparse.csr_matrix
    _nearest_passable: list = field(default_factory=list, repr=False)

    @property
    def nodes(self) -> int:
        return len(self.cell_of_node)

    def snap(self, xy: np.ndarray) -> Snap:
        """Each point's node: its own cell when passable, else the nearest passable cell."""
        t = self.terrain
        row, col, inside = t.cell_of(xy)
        cells = row * t.shape[1] + col
        node = np.where(inside, self.node_of_cell.ravel()[cells], -1)
        moved = np.zeros(len(node))
        need = inside & (node < 0)
        if need.any() and self.nodes:
            if not self._nearest_passable:  # computed once, on first need
                _, idx = ndimage.distance_transform_edt(self.node_of_cell < 0, return_indices=True)
                self._nearest_passable.append(idx)
            idx = self._nearest_passable[0]
            r2, c2 = idx[0][row[need], col[need]], idx[1][row[need], col[need]]
            node[need] = self.node_of_cell[r2, c2]
            moved[need] = np.hypot(r2 - row[need], c2 - col[need]) * t.cell_m
        return Snap(node=node.astype(np.int64), moved_m=moved)

    def minutes_to_nearest(self, sources: np.ndarray, *, limit_min: float = np.inf) -> np.ndarray:
        """For every node, the walking time (minutes) from it to the nearest source node; inf
        beyond `limit_min` or where no source can be reached."""
        sources = np.unique(np.asarray(sources, dtype=np.int64))
        sources = sources[sources >= 0]
        if len(sources) == 0 or self.nodes == 0:
            return np.full(self.nodes, np.inf)
        return csgraph.dijkstra(self.reversed_minutes, directed=True, indices=sources, min_only=True,
                                limit=float(limit_min))

    def minutes_from_each(self, sources: np.ndarray, *, limit_min: float, chunk: int = 0):
        """Per source, the nodes that can walk to it within `limit_min` minutes and their times:
        yields (source position, node indices, minutes). Searches are bounded, so each touches only
        the cells around its source."""
        sources = np.asarray(sources, dtype=np.int64)
        radius = self._reach_cells(limit_min)
        if radius is not None:
            yield from self._windowed(sources, limit_min, radius)
            return
        chunk = chunk or max(1, min(64, int(2e8 // max(self.nodes * 8, 1))))
        positions = np.flatnonzero(sources >= 0)
        for start in range(0, len(positions), chunk):
            part = positions[start:start + chunk]
            times = csgraph.dijkstra(self.reversed_minutes, directed=True, indices=sources[part],
                                     limit=float(limit_min))
            for k, pos in enumerate(part):
                row = times[k] if times.ndim == 2 else times
                hit = np.flatnonzero(row <= limit_min)
                yield int(pos), hit, row[hit]
            del times, row  # else the next chunk's distances are allocated while these are still held

    def _reach_cells(self, limit_min: float):
        """How many cells from its source a walk of `limit_min` can end, at most (the fastest flat
        speed at Tobler's peak, -5 %); None when unbounded or when its window is not much smaller
        than the grid."""
        t = self.terrain
        if not math.isfinite(limit_min) or self.nodes == 0:
            return None
        vmax = float(np.max(t.flat_kmh[t.passable])) * math.exp(3.5 * 0.05)
        radius = int(math.ceil(limit_min / 60 * vmax * 1000 / t.cell_m)) + 2
        return radius if (2 * radius + 1) ** 2 * 32 <= t.shape[0] * t.shape[1] else None

    def _windowed(self, sources: np.ndarray, limit_min: float, radius: int):
        """minutes_from_each with each search on the graph of its source's window: the same
        nodes and times (no walk within the limit leaves the window), without SciPy's per-call
        work over every node of the grid."""
        t = self.terrain
        rows, cols = t.shape
        for pos in np.flatnonzero(sources >= 0):
            r, c = divmod(int(self.cell_of_node[sources[pos]]), cols)
            r0, r1, c0, c1 = max(0, r - radius), min(rows, r + radius + 1), max(0, c - radius), min(cols, c + radius + 1)
            sub = walking_graph(Terrain(t.elevation_m[r0:r1, c0:c1], t.flat_kmh[r0:r1, c0:c1], t.x0 + c0 * t.cell_m,
                                        t.y0 - r0 * t.cell_m, t.cell_m, t.crs))
            times = csgraph.dijkstra(sub.reversed_minutes, directed=True, indices=int(sub.node_of_cell[r - r0, c - c0]),
                                     limit=float(limit_min))
            hit = np.flatnonzero(times <= limit_min)
            lr, lc = np.divmod(sub.cell_of_node[hit], c1 - c0)
            yield int(pos), self.node_of_cell[lr + r0, lc + c0].astype(np.int64), times[hit]

    def surface(self, node_minutes: np.ndarray) -> np.ndarray:
        """Node values as a grid (NaN on impassable cells)."""
        out = np.full(self.terrain.shape, np.nan)
        out.ravel()[self.cell_of_node] = node_minutes
        return out


def walking_graph(terrain: Terrain) -> WalkingGraph:
    """The reversed 16-neighbour graph of `terrain`, in minutes.

    A move from cell u to v of horizontal length L takes L/2 at u's flat speed and L/2 at v's, both
    scaled by Tobler's function of the move's slope (z_v - z_u) / L. A diagonal move needs both
    cells it passes by to be passable, a knight's move the two cells it crosses, so no barrier drawn
    one cell thick lets a path through at a corner. Built on whole-grid slices, without sorting."""
    passable = terrain.passable
    node_of_cell = np.full(terrain.shape, -1, dtype=np.int32)
    cell_of_node = np.flatnonzero(passable.ravel())
    node_of_cell.ravel()[cell_of_node] = np.arange(len(cell_of_node), dtype=np.int32)
    n = len(cell_of_node)
    if n == 0:
        return WalkingGraph(terrain, node_of_cell, cell_of_node, sparse.csr_matrix((0, 0)))
    z = np.where(passable, terrain.elevation_m, 0).astype(np.float32)
    pace = np.where(passable, 1.0 / np.where(passable, terrain.flat_kmh, 1.0), 0.0).astype(np.float32)  # h/km
    factor = 60.0 / 1000.0 * math.exp(-3.5 * 0.05)  # km/h and metres to minutes; Tobler at flat = 1

    # Every node gets 16 slots in offset order; a move that cannot be made weighs inf, which
    # Dijkstra never takes. Computed offset by offset and written straight into the node-major
    # arrays the graph keeps (float64 weights: float32 sums would drift).
    data = np.empty((n, len(OFFSETS)), dtype=np.float64)
    indices = np.empty((n, len(OFFSETS)), dtype=np.int32)
    whole = n == passable.size
    grid = np.empty(terrain.shape, dtype=np.float32)  # every cell is written below: ok ones, then ~ok
    target = np.empty(terrain.shape, dtype=np.int32)
    for k, (dr, dc) in enumerate(OFFSETS):
        ok, vs, ws = _move(passable, dr, dc)
        length = terrain.cell_m * math.hypot(dr, dc)
        rise = (z[vs] - z[ws]) * np.float32(1 / length) + np.float32(0.05)
        with np.errstate(over="ignore"):  # a cliff (or a cell beside nodata, set to 0 m) costs inf: never taken
            grid[vs] = (pace[vs] + pace[ws]) * np.float32(length * factor * 0.5) * np.exp(np.float32(3.5) * np.abs(rise))
        grid[~ok] = np.inf
        target[vs] = node_of_cell[ws]
        target[~ok] = 0  # a move that cannot be made still points at a real node (SciPy reads it)
        data[:, k] = grid.ravel() if whole else grid.ravel()[cell_of_node]
        indices[:, k] = target.ravel() if whole else target.ravel()[cell_of_node]
    data, indices = data.ravel(), indices.ravel()
    indptr = np.arange(0, len(OFFSETS) * n + 1, len(OFFSETS), dtype=np.int64)
    if indptr[-1] < np.iinfo(np.int32).max:
        indptr = indptr.astype(np.int32)
    graph = sparse.csr_matrix((data, indices, indptr), shape=(n, n))
    return WalkingGraph(terrain, node_of_cell, cell_of_node, graph)


def _move(passable: np.ndarray, dr: int, dc: int):
    """For the move from w = v + (dr, dc) to v: on which cells v it can be made (a grid), and the
    slices of the grid that hold v and w."""
    rows, cols = passable.shape

    def span(d: int, size: int, shift: int) -> slice:
        return slice(max(0, -d) + shift, size - max(0, d) + shift)

    vs = (span(dr, rows, 0), span(dc, cols, 0))
    ws = (span(dr, rows, dr), span(dc, cols, dc))
    ok = np.zeros(passable.shape, dtype=bool)
    ok[vs] = passable[vs] & passable[ws]
    for pr, pc in _passed(dr, dc):
        ok[vs] &= passable[span(dr, rows, pr), span(dc, cols, pc)]
    return ok, vs, ws


def _passed(dr: int, dc: int) -> tuple[tuple[int, int], ...]:
    """The cells (besides the two ends) a move touches, which must be passable too."""
    if abs(dr) == 1 and abs(dc) == 1:
        return ((dr, 0), (0, dc))
    if abs(dr) == 2:
        return ((dr // 2, 0), (dr // 2, dc))
    if abs(dc) == 2:
        return ((0, dc // 2), (dr, dc // 2))
    return ()
