"""Siting benchmark: exact (HiGHS) vs greedy vs spopt's MCLP, wall time and peak memory.

    .venv/bin/python benchmarks/siting.py            # about 8 minutes on 2 cores

Every run is a fresh child process (this script with --child) and reports its own peak resident
memory (VmHWM from /proc, which exec resets; getrusage's maxrss would carry the parent's over
fork + exec); the instance is rebuilt there from a fixed seed. Linux only. Two problems:

- "budget": the real one. Sites have costs in VND and a budget; spopt cannot take a budget.
- "p": every site costs 1, no budget, at most p sites, p = the number of sites the exact
  budget solution chose. This is spopt's MCLP (exactly p sites; with unit costs and free choice
  the optimum is the same). Every solver gets the same cover matrix: the villages not yet
  reached by an existing point that have children, against all candidates. spopt needs it
  dense (distance 0 = covers, 1 = does not, service radius 0.5) and solves with PuLP + HiGHS.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RADIUS_M = 2000.0
EXACT_LIMIT_S = 120.0  # HiGHS time limit per exact solve
SPOPT_WALL_S = 150.0  # wall-clock cap on a whole spopt run (dense matrix, PuLP model, solve)
SPOPT_SOLVER_S = 120.0  # PuLP's HiGHS time limit inside that run
INSTANCES = {
    # name: (description, budget VND)
    "demo": ("demo package, all candidate sources (default cost 1.5 bn VND), radius 2 km", 20_000_000_000),
    "synthetic-5k": ("synthetic: 5,000 villages, 500 candidates, 31.6 km square, radius 2 km", 20_000_000_000),
    "synthetic-50k": ("synthetic: 50,000 villages, 5,000 candidates, 100 km square, radius 2 km", 200_000_000_000),
}


def synthetic(n: int, m: int, *, side_m: float, seed: int = 2025) -> dict:
    """Clustered villages (centres of 100 villages, 3 km spread), 60% of candidates near a village,
    150 existing points at villages (n/333 for small n), communes a 10 x 10 grid, costs 0.6 to 4.07 bn VND."""
    from planner.siting import cover_matrix  # numpy, scipy and highspy only: no geopandas in the process

    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, side_m, (max(1, n // 100), 2))
    demand = np.clip(centres[rng.integers(0, len(centres), n)] + rng.normal(0, 3_000, (n, 2)), 0, side_m)
    weight = rng.integers(20, 400, n)
    k = int(m * 0.6)
    cand = np.vstack([demand[rng.integers(0, n, k)] + rng.normal(0, 300, (k, 2)), rng.uniform(0, side_m, (m - k, 2))])
    cand = np.clip(cand, 0, side_m)
    existing = demand[rng.integers(0, n, min(150, max(1, n // 333)))]

    def cell(xy):
        c = np.minimum((xy // (side_m / 10)).astype(np.int64), 9)
        return c[:, 0] * 10 + c[:, 1]

    has = np.zeros(100, dtype=bool)
    has[cell(existing)] = True
    return dict(demand_weight=weight, demand_commune=cell(demand), demand_covered=cover_matrix(demand, existing, radius_m=RADIUS_M).getnnz(axis=1) > 0,
                cover=cover_matrix(demand, cand, radius_m=RADIUS_M), candidate_cost_vnd=rng.integers(60, 408, m) * 10_000_000,
                candidate_commune=cell(cand), commune_has_point=has)


def demo_instance() -> dict:
    from planner.candidates import candidates_from_package
    from planner.coverage import metric_crs_of, within_radius
    from planner.io import read_package
    from planner.siting import cover_matrix
    from planner.summary import existing_points
    import pandas as pd

    pkg = read_package()
    c = candidates_from_package(pkg, default_cost_vnd=1_500_000_000)
    crs = metric_crs_of(pkg.communes)
    xy = lambda g: np.column_stack([g.geometry.to_crs(crs).x, g.geometry.to_crs(crs).y])  # noqa: E731
    codes = pd.Index(pkg.communes["code"])
    existing = existing_points(pkg)
    v = xy(pkg.villages)
    return dict(demand_weight=pkg.villages["children"].to_numpy(np.int64), demand_commune=codes.get_indexer(pkg.villages["commune_code"]),
                demand_covered=within_radius(v, xy(existing), radius_m=RADIUS_M), cover=cover_matrix(v, xy(c), radius_m=RADIUS_M),
                candidate_cost_vnd=c["cost_vnd"].to_numpy(), candidate_commune=codes.get_indexer(c["commune_code"]),
                commune_has_point=np.asarray(codes.isin(existing["commune_code"])))


def build(name: str) -> dict:
    if name == "demo":
        return demo_instance()
    if name == "synthetic-5k":
        return synthetic(5_000, 500, side_m=100_000 / np.sqrt(10))
    return synthetic(50_000, 5_000, side_m=100_000)


def maxrss_mb() -> float:
    return _vm_hwm_mb("self")


def child(name: str, method: str, p: int | None) -> dict:
    """One solve in this process; prints one JSON line."""
    from planner.siting import SitingProblem

    inst = build(name)
    base = maxrss_mb()
    print("phase: solving", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    out = {}
    if method in ("exact", "greedy"):
        problem = SitingProblem.from_arrays(**inst, budget_vnd=INSTANCES[name][1])
    else:
        inst["candidate_cost_vnd"] = np.ones(len(inst["candidate_cost_vnd"]), dtype=np.int64)
        problem = SitingProblem.from_arrays(**inst, budget_vnd=None, max_new=p)
    if method in ("exact", "exact_p"):
        r = problem.solve_exact(time_limit_s=EXACT_LIMIT_S)
    elif method in ("greedy", "greedy_p"):
        r = problem.solve_greedy()
    else:
        import pulp
        from spopt.locate import MCLP

        rows = (inst["demand_weight"] > 0) & ~inst["demand_covered"]
        print("phase: dense matrix and PuLP model (spopt)", file=sys.stderr, flush=True)
        dense = np.where(inst["cover"][rows].toarray(), 0.0, 1.0)
        model = MCLP.from_cost_matrix(dense, inst["demand_weight"][rows], service_radius=0.5, p_facilities=p)
        print("phase: PuLP/HiGHS solve (spopt)", file=sys.stderr, flush=True)
        model.solve(pulp.HiGHS(msg=False, timeLimit=SPOPT_SOLVER_S), results=False)
        chosen = [j for j, x in enumerate(model.fac_vars) if (x.value() or 0) > 0.5]
        out = dict(children=int(round(model.problem.objective.value())), sites=len(chosen), cost=len(chosen),
                   status=pulp.LpStatus[model.problem.status].lower(), gap=None)
    if not out:
        out = dict(children=r.children_newly_reached, sites=len(r.chosen), cost=r.total_cost_vnd, status=r.status, gap=r.gap)
    out.update(seconds=time.perf_counter() - t0, peak_mb=maxrss_mb(), base_mb=base,
               rows=int(inst["cover"].shape[0]), cols=int(inst["cover"].shape[1]), nnz=int(inst["cover"].nnz))
    return out


def run(name: str, method: str, p: int | None = None, cap_s: float | None = None) -> dict:
    """Run one child; on a wall-clock cap, kill it and report how far it got and its peak memory."""
    cmd = [sys.executable, __file__, "--child", name, method] + ([str(p)] if p is not None else [])
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    t0 = time.perf_counter()
    try:
        out, err = proc.communicate(timeout=cap_s)
    except subprocess.TimeoutExpired:
        hwm = _vm_hwm_mb(proc.pid)
        proc.kill()
        out, err = proc.communicate()
        phases = [line[7:] for line in err.splitlines() if line.startswith("phase: ")]
        return dict(killed=True, seconds=time.perf_counter() - t0, peak_mb=hwm, phase=phases[-1] if phases else "start")
    if proc.returncode != 0:
        raise RuntimeError(f"{method} on {name} failed:\n{err}")
    return json.loads(out.strip().splitlines()[-1])


def _vm_hwm_mb(pid) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    line = next((ln for ln in status.splitlines() if ln.startswith("VmHWM:")), None)
    return int(line.split()[1]) / 1024 if line else None


def fmt(r: dict) -> str:
    if r.get("killed"):
        return f"{'—':>10} {'—':>5} {'killed':>12} {'—':>8} {r['seconds']:>8.1f} {r['peak_mb'] or float('nan'):>8.0f} {'—':>7}"
    gap = "—" if r["gap"] is None else f"{100 * r['gap']:.3f}%"
    return (f"{r['children']:>10,} {r['sites']:>5} {r['status']:>12} {gap:>8} {r['seconds']:>8.2f} "
            f"{r['peak_mb']:>8.0f} {r['peak_mb'] - r['base_mb']:>7.0f}")


def main() -> None:
    from importlib.metadata import version  # the parent stays light: children measure their own memory

    print(", ".join(f"{d} {version(d)}" for d in ("highspy", "spopt", "PuLP", "numpy", "scipy")))
    print(f"exact: HiGHS MIP, time limit {EXACT_LIMIT_S:.0f} s, gap 0; greedy: lazy, children per VND; "
          f"spopt MCLP: PuLP + HiGHS, solver limit {SPOPT_SOLVER_S:.0f} s, whole run killed at {SPOPT_WALL_S:.0f} s wall")
    print("seconds = model building + solve, in a fresh process; peak MB = peak RSS of that process; "
          "+MB = over the process after building the instance\n")
    head = f"{'method':<14}{'problem':<9}{'children':>10} {'sites':>5} {'status':>12} {'gap':>8} {'seconds':>8} {'peak MB':>8} {'+MB':>7}"
    for name, (description, budget) in INSTANCES.items():
        exact = run(name, "exact")
        p = exact["sites"]
        print(f"== {name}: {description}")
        print(f"   cover matrix {exact['rows']:,} villages x {exact['cols']:,} candidates, {exact['nnz']:,} pairs; "
              f"budget {budget:,} VND; p = {p} (sites in the exact budget solution)")
        greedy = run(name, "greedy")
        exact_p, greedy_p = run(name, "exact_p", p), run(name, "greedy_p", p)
        spopt_p = run(name, "spopt_p", p, cap_s=SPOPT_WALL_S)
        print(head)
        for label, problem, r in (("exact", "budget", exact), ("greedy", "budget", greedy), ("exact", "p", exact_p),
                                  ("greedy", "p", greedy_p), ("spopt MCLP", "p", spopt_p)):
            print(f"{label:<14}{problem:<9}{fmt(r)}")
        print(f"   budget: greedy reaches {greedy['children'] / max(1, exact['children']):.4f} of exact's children, "
              f"in {greedy['seconds'] / exact['seconds']:.3f}x its time; exact spends {exact['cost']:,} VND, greedy {greedy['cost']:,}")
        print(f"   p: greedy reaches {greedy_p['children'] / max(1, exact_p['children']):.4f} of exact's children, "
              f"in {greedy_p['seconds'] / exact_p['seconds']:.3f}x its time")
        if spopt_p.get("killed"):
            print(f"   spopt: killed at the {SPOPT_WALL_S:.0f} s cap while in: {spopt_p['phase']}; "
                  f"peak RSS by then {spopt_p['peak_mb'] or float('nan'):.0f} MB "
                  f"({(spopt_p['peak_mb'] or float('nan')) / exact_p['peak_mb']:.1f}x the peak of the exact p run)")
        else:
            same = "same optimum" if spopt_p["children"] == exact_p["children"] else "DIFFERENT objective"
            print(f"   spopt vs exact (p): {same} ({spopt_p['children']:,} vs {exact_p['children']:,}); "
                  f"spopt takes {spopt_p['seconds'] / exact_p['seconds']:.1f}x the time and {spopt_p['peak_mb'] / exact_p['peak_mb']:.1f}x "
                  f"the peak memory ({spopt_p['peak_mb'] - spopt_p['base_mb']:.0f} vs {exact_p['peak_mb'] - exact_p['base_mb']:.0f} MB over the instance)")
        print()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs="+", metavar=("INSTANCE", "METHOD"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, method, *rest = args.child
        print(json.dumps(child(name, method, int(rest[0]) if rest else None)))
    else:
        main()
