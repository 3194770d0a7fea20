"""Where to build new play points: a maximal covering location model (MCLP).

Villages are the demand (children); a candidate site covers the villages within the radius.
Choose sites, within a budget in VND and optionally at most `max_new` of them, so that as many
children as possible are newly reached. Villages already within reach of an existing point add
nothing; existing points are never bought (the caller does not pass them as candidates).

Target mode (`target_communes`): lexicographic, first as many communes with a point as the
target needs, then children. Solved as one weighted objective,
    W x min(gap, communes newly with a point) + children newly reached,
with gap = target_communes - communes that already have a point and W = (children that any
candidate could newly reach) + 1, so one commune towards the target outweighs every child.

Two solvers: `solve_exact` (HiGHS mixed-integer program) and `solve_greedy` (children per VND,
lazy evaluation). Both drop chosen sites that add nothing. Pure: numpy, scipy and highspy;
the GeoDataFrame adapter is `planner.candidates`.
"""
from __future__ import annotations

import heapq
import logging
import math
import os
import sys
import threading
import numbers
import time
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

from planner.errors import UsageError

log = logging.getLogger("planner.siting")
_BANNER_LOCK = threading.Lock()
_banner_done = False


def _new_highs() -> highspy.Highs:
    """A silent HiGHS instance. HiGHS prints a licence banner to stdout (file descriptor 1) when
    the first instance of a process is made, before any option can stop it; that would corrupt
    CLI output, so the first construction runs with fd 1 pointed at /dev/null."""
    global _banner_done
    with _BANNER_LOCK:
        if not _banner_done:
            sys.stdout.flush()
            saved = os.dup(1)
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, 1)
                h = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(devnull)
            _banner_done = True
        else:
            h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


@dataclass(frozen=True)
class SitingResult:
    """Chosen candidate indices (sorted, into the caller's candidate arrays) and their effect."""

    method: str  # "exact" or "greedy"
    chosen: tuple[int, ...]
    children_newly_reached: int
    communes_newly_with_point: int  # communes without an existing point that get a chosen site
    total_cost_vnd: int | float  # an exact int when the costs were given as integers
    objective: float  # children, plus W per commune towards the target in target mode
    status: str  # "optimal", "time_limit", ... (exact); "heuristic" (greedy)
    gap: float | None  # HiGHS relative MIP gap; None for greedy or without a solution
    seconds: float  # wall time, model building included


def cover_matrix(demand_xy, candidate_xy, *, radius_m: float) -> sparse.csr_matrix:
    """Boolean n_demand x n_candidates: distance <= radius_m (metric coordinates, inclusive)."""
    demand_xy = np.asarray(demand_xy, dtype=float).reshape(-1, 2)
    candidate_xy = np.asarray(candidate_xy, dtype=float).reshape(-1, 2)
    shape = (len(demand_xy), len(candidate_xy))
    if 0 in shape:
        return sparse.csr_matrix(shape, dtype=bool)
    # ndarray output keeps zero distances (a candidate at a village); the margin matches coverage.within_radius
    pairs = cKDTree(demand_xy).sparse_distance_matrix(
        cKDTree(candidate_xy), radius_m * (1 + 1e-9) + 1e-6, output_type="ndarray")
    pairs = pairs[pairs["v"] <= radius_m]
    return sparse.csr_matrix((np.ones(len(pairs), dtype=bool), (pairs["i"], pairs["j"])), shape=shape)


def _budget(value) -> int | float | None:
    """None or +inf: no budget. Otherwise a non-negative number of VND (ints kept exact)."""
    if value is None:
        return None
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if value < 0:
            raise UsageError("err.siting_budget", value=value)
        return int(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UsageError("err.siting_budget", value=value) from None
    if isinstance(value, bool) or math.isnan(number) or number < 0:
        raise UsageError("err.siting_budget", value=value)
    return None if math.isinf(number) else number


def _count(value, key: str) -> int | None:
    """None, or a non-negative whole number."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise UsageError(key, value=value)
    return int(value)


def _merge_rows(weight: np.ndarray, cover: sparse.spmatrix) -> tuple[np.ndarray, sparse.csc_matrix]:
    """One row per distinct set of covering sites, weights summed: the same optimum, fewer rows."""
    a = sparse.csr_matrix(cover)
    a.sort_indices()
    groups: dict[bytes, int] = {}
    group = np.array([groups.setdefault(a.indices[a.indptr[i]:a.indptr[i + 1]].tobytes(), len(groups))
                      for i in range(a.shape[0])], dtype=np.int64)
    summed = np.zeros(len(groups), dtype=np.int64)
    np.add.at(summed, group, weight)
    return summed, a[np.unique(group, return_index=True)[1]].tocsc()


@dataclass(frozen=True, eq=False)
class SitingProblem:
    """A checked and reduced instance. Build it with `from_arrays`."""

    weight: np.ndarray  # int64 children per group of villages not yet reached that the same kept sites reach
    cover: sparse.csc_matrix  # those groups x kept candidates, bool
    cost: np.ndarray  # per kept candidate, int64 or float64 VND
    index: np.ndarray  # per kept candidate, its index in the caller's arrays
    slot: np.ndarray  # per kept candidate, its commune's number among communes without a point, or -1
    budget_vnd: int | float | None
    max_new: int | None
    gap: int  # communes still to gain a point to reach the target (0 outside target mode)
    w_commune: int  # W, the weight of one commune towards the target

    @classmethod
    def from_arrays(cls, demand_weight, demand_commune, demand_covered, cover, candidate_cost_vnd,
                    candidate_commune, commune_has_point, *, budget_vnd, max_new: int | None = None,
                    target_communes: int | None = None) -> "SitingProblem":
        """Check the arrays and options, then drop what cannot matter.

        Dropped: villages already reached, with no children or that no kept site reaches; sites
        dearer than the budget; sites that reach nobody new (unless they add a commune in
        target mode). Villages reached by the same sites are merged. `budget_vnd` None or inf
        means no budget. `demand_commune` is only checked: the model needs no village's commune.
        """
        weight = np.asarray(demand_weight)
        n = len(weight)
        covered = np.asarray(demand_covered, dtype=bool)
        cost = np.asarray(candidate_cost_vnd)
        m = len(cost)
        cand_commune = np.asarray(candidate_commune, dtype=np.int64)
        has_point = np.asarray(commune_has_point, dtype=bool)
        cover = sparse.csr_matrix(cover, dtype=bool)
        if len(np.asarray(demand_commune)) != n or len(covered) != n or cover.shape[0] != n:
            raise ValueError(f"demand arrays disagree: {n} weights, {len(covered)} flags, {cover.shape[0]} cover rows")
        if len(cand_commune) != m or cover.shape[1] != m:
            raise ValueError(f"candidate arrays disagree: {m} costs, {len(cand_commune)} communes, {cover.shape[1]} columns")
        if m and (cand_commune.min() < 0 or cand_commune.max() >= len(has_point)):
            raise ValueError("candidate_commune holds an index outside commune_has_point")
        if n and (not np.issubdtype(weight.dtype, np.integer) or weight.min() < 0):
            raise ValueError("demand_weight must be non-negative integers")
        if not np.issubdtype(cost.dtype, np.integer):
            cost = cost.astype(np.float64)
        if m and (not np.isfinite(cost).all() or cost.min() < 0):
            raise ValueError("candidate_cost_vnd must be finite and non-negative")
        budget = _budget(budget_vnd)
        max_new = _count(max_new, "err.siting_max_new")
        target = _count(target_communes, "err.siting_target")
        if m == 0:
            raise UsageError("err.siting_no_candidates")
        keep = np.ones(m, dtype=bool) if budget is None else cost <= budget
        open_rows = (weight > 0) & ~covered
        sub = cover[open_rows][:, keep]
        reachable = np.diff(sub.indptr) > 0
        a = sub[reachable].tocsc()
        gap = 0 if target is None else max(0, target - int(has_point.sum()))
        slot_of = np.cumsum(~has_point) - 1
        slot = np.where(has_point[cand_commune[keep]], -1, slot_of[cand_commune[keep]])
        useful = (np.diff(a.indptr) > 0) | ((slot >= 0) & (gap > 0))
        w, a = _merge_rows(weight[open_rows][reachable].astype(np.int64), a[:, useful])
        return cls(weight=w, cover=a, cost=cost[keep][useful], index=np.flatnonzero(keep)[useful],
                   slot=slot[useful], budget_vnd=budget, max_new=max_new, gap=gap, w_commune=int(w.sum()) + 1)

    # --- shared -------------------------------------------------------------------------
    def _rows(self, j: int) -> np.ndarray:
        return self.cover.indices[self.cover.indptr[j]:self.cover.indptr[j + 1]]

    def _result(self, method: str, picked, status: str, gap: float | None, t0: float) -> SitingResult:
        """Drop sites that add nothing (dearest first), then score what is left."""
        picked = sorted({int(j) for j in picked}, key=lambda j: (-self.cost[j], -j))
        times = np.asarray(self.cover[:, picked].sum(axis=1)).ravel() if picked else np.zeros(len(self.weight))
        per_slot: dict[int, int] = {}
        for j in picked:
            if self.slot[j] >= 0:
                per_slot[int(self.slot[j])] = per_slot.get(int(self.slot[j]), 0) + 1
        kept = []
        for j in picked:
            rows, s = self._rows(j), int(self.slot[j])
            alone = int(self.weight[rows[times[rows] == 1]].sum())
            commune_lost = s >= 0 and per_slot[s] == 1 and len(per_slot) <= self.gap
            if alone or commune_lost:
                kept.append(j)
                continue
            times[rows] -= 1
            if s >= 0:
                per_slot[s] -= 1
                if per_slot[s] == 0:
                    del per_slot[s]
        children, communes = int(self.weight[times > 0].sum()), len(per_slot)
        total = sum(self.cost[j].item() for j in kept)
        slack = 0 if isinstance(total, int) else 1e-9 * max(1.0, abs(total))
        if self.budget_vnd is not None and total > self.budget_vnd + slack:
            raise RuntimeError(f"{method} chose sites costing {total} VND, over the budget of {self.budget_vnd}")
        if self.max_new is not None and len(kept) > self.max_new:
            raise RuntimeError(f"{method} chose {len(kept)} sites, more than max_new={self.max_new}")
        objective = float(children + self.w_commune * min(communes, self.gap))
        return SitingResult(method, tuple(sorted(int(self.index[j]) for j in kept)), children, communes,
                            total, objective, status, gap, time.perf_counter() - t0)

    # --- greedy -------------------------------------------------------------------------
    def _greedy_picks(self) -> list[int]:
        m = len(self.cost)
        covered = np.zeros(len(self.weight), dtype=bool)
        gained: set[int] = set()
        picks: list[int] = []
        left = [math.inf if self.budget_vnd is None else self.budget_vnd]
        limit = m if self.max_new is None else min(m, self.max_new)

        def children(j: int) -> int:
            rows = self._rows(j)
            return int(self.weight[rows[~covered[rows]]].sum())

        def commune_first(j: int) -> int:
            return 0 if self.slot[j] in gained else self.w_commune + children(j)

        def key(v: int, j: int) -> tuple:
            # best value per VND first (free sites before all), then larger value, then lower index
            c = self.cost[j]
            return (-(v / c) if c > 0 else -math.inf, -v, j)

        def run(pool, value, done) -> None:
            heap = [(key(v, j), j, len(picks)) for j in pool if (v := value(j)) > 0]
            heapq.heapify(heap)
            while heap and len(picks) < limit and not done():
                _, j, stamp = heapq.heappop(heap)
                if stamp != len(picks):  # stale: values only shrink, so re-evaluate and push back
                    if (v := value(j)) > 0:
                        heapq.heappush(heap, (key(v, j), j, len(picks)))
                    continue
                if self.cost[j] > left[0]:
                    continue  # does not fit now nor later; cheaper ones may
                picks.append(j)
                left[0] -= self.cost[j]
                covered[self._rows(j)] = True
                if self.slot[j] >= 0:
                    gained.add(int(self.slot[j]))

        if self.gap:
            run([j for j in range(m) if self.slot[j] >= 0], commune_first, lambda: len(gained) >= self.gap)
        taken = set(picks)
        run([j for j in range(m) if j not in taken], children, lambda: False)
        return picks

    def solve_greedy(self) -> SitingResult:
        """Lazy greedy on children newly reached per VND, skipping sites that no longer fit.

        Target mode: first, among sites in communes without a point, the best (W + children) per
        VND, one commune at a time until the target is met; then the plain greedy.
        """
        t0 = time.perf_counter()
        return self._result("greedy", self._greedy_picks(), "heuristic", None, t0)

    # --- exact --------------------------------------------------------------------------
    def solve_exact(self, *, time_limit_s: float = 30.0, mip_rel_gap: float = 0.0) -> SitingResult:
        """HiGHS MIP: binary x_j per site, y_i in [0, 1] per village group, z_c in [0, 1] per commune.

        max sum w_i y_i + W sum z_c  s.t.  y_i <= sum_j a_ij x_j,  z_c <= sum_{j in c} x_j,
        sum z_c <= gap,  sum cost_j x_j <= budget,  sum x_j <= max_new. y and z take integral
        values at any integral x, so they need not be integer variables. The greedy picks are
        the starting solution, so the result is never worse than greedy's. Among equally good
        selections HiGHS returns any one: ties are not broken by cost.
        """
        try:
            limit, rel_gap = float(time_limit_s), float(mip_rel_gap)
        except (TypeError, ValueError):
            raise UsageError("err.siting_solver", time_limit=time_limit_s, gap=mip_rel_gap) from None
        if not (limit > 0 and 0 <= rel_gap < 1):
            raise UsageError("err.siting_solver", time_limit=time_limit_s, gap=mip_rel_gap)
        t0 = time.perf_counter()
        m, n = len(self.cost), len(self.weight)
        if m == 0:
            return self._result("exact", [], "optimal", 0.0, t0)
        in_slot = (self.slot >= 0) & (self.gap > 0)
        slots = np.unique(self.slot[in_slot])
        k = len(slots)

        def block(x, y=None, z=None):
            h = x.shape[0]
            y = sparse.csr_matrix((h, n)) if y is None else y
            z = sparse.csr_matrix((h, k)) if z is None else z
            return sparse.hstack([x, y, z], format="csr")

        a = self.cover.tocsr().astype(float)
        blocks, upper = [block(-a, sparse.identity(n, format="csr"))], [np.zeros(n)]
        if k:
            member = sparse.csr_matrix((np.ones(int(in_slot.sum())),
                                        (np.searchsorted(slots, self.slot[in_slot]), np.flatnonzero(in_slot))), shape=(k, m))
            blocks.append(block(-member, None, sparse.identity(k, format="csr")))
            upper.append(np.zeros(k))
            if k > self.gap:
                blocks.append(block(sparse.csr_matrix((1, m)), None, sparse.csr_matrix(np.ones((1, k)))))
                upper.append([self.gap])
        if self.budget_vnd is not None and sum(c.item() for c in self.cost) > self.budget_vnd:
            cost, budget = self._scaled_budget()
            blocks.append(block(sparse.csr_matrix(cost.reshape(1, -1))))
            upper.append([budget])
        if self.max_new is not None and m > self.max_new:
            blocks.append(block(sparse.csr_matrix(np.ones((1, m)))))
            upper.append([self.max_new])
        rows = sparse.vstack(blocks, format="csr")
        ub = np.concatenate([np.asarray(u, dtype=float) for u in upper])
        h = _new_highs()
        h.setOptionValue("time_limit", limit)
        h.setOptionValue("mip_rel_gap", rel_gap)
        size = m + n + k
        obj = np.concatenate([np.zeros(m), self.weight.astype(float), np.full(k, float(self.w_commune))])
        h.addCols(size, obj, np.zeros(size), np.ones(size), 0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
        h.changeColsIntegrality(m, np.arange(m, dtype=np.int32), np.ones(m, dtype=np.uint8))
        h.addRows(rows.shape[0], np.full(rows.shape[0], -highspy.kHighsInf), ub, rows.nnz,
                  rows.indptr[:-1].astype(np.int32), rows.indices.astype(np.int32), rows.data.astype(float))
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        start = highspy.HighsSolution()
        start.col_value = self._start(self._greedy_picks(), a, slots).tolist()
        h.setSolution(start)
        h.run()
        status = h.getModelStatus()
        name = _STATUS.get(status) or h.modelStatusToString(status).lower().replace(" ", "_")
        info = h.getInfo()
        found = info.primal_solution_status == 2
        gap = float(info.mip_gap) if found and math.isfinite(info.mip_gap) else None
        if name != "optimal":
            log.warning("HiGHS stopped with status %s after %.2f s (time limit %g s): %s, gap %s; %d sites, "
                        "%d village groups, budget %s VND, max_new %s, target gap %d", name, time.perf_counter() - t0,
                        limit, "a solution" if found else "no solution", "unknown" if gap is None else f"{gap:.4%}",
                        m, n, self.budget_vnd, self.max_new, self.gap)
        if not found:
            return self._result("exact", [], name, None, t0)
        x = np.asarray(h.getSolution().col_value[:m])
        return self._result("exact", np.flatnonzero(x > 0.5), name, gap, t0)

    def _scaled_budget(self) -> tuple[np.ndarray, float]:
        """The budget row in small exact numbers: integer costs over their gcd with the budget."""
        if np.issubdtype(self.cost.dtype, np.integer):
            budget = math.floor(self.budget_vnd)
            g = math.gcd(int(np.gcd.reduce(self.cost)), budget) or 1
            return (self.cost // g).astype(float), float(budget // g)
        scale = float(self.cost.max()) or 1.0
        return self.cost / scale, self.budget_vnd / scale

    def _start(self, picks: list[int], a: sparse.csr_matrix, slots: np.ndarray) -> np.ndarray:
        """Column values of a feasible solution that builds `picks`."""
        x = np.zeros(len(self.cost))
        x[picks] = 1.0
        z = np.zeros(len(slots))
        if len(slots):
            gained = np.unique(self.slot[picks])
            gained = gained[gained >= 0][: self.gap]
            z[np.searchsorted(slots, gained)] = 1.0
        return np.concatenate([x, (a @ x > 0).astype(float), z])


_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
}
