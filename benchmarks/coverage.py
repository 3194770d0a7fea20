"""Reach (children within a radius of any point, per commune), timed in one run against its peers:

- arrays only: a KD-tree of the points queried from every village, on metric arrays made ahead
  (and commune indices made ahead): the practical limit of the job;
- ours: `planner.coverage.reach` as the app calls it, with the layers' projection kept (the app's
  case: one package, many radii), on the first call (projection computed), and at a changed
  radius with each village's nearest distance kept (what a radius change costs the app);
- geopandas, buffer + sjoin: buffer every point, spatial-join the villages;
- the analyst's workflow: buffer, dissolve (union) the buffers, explode the union into its
  parts, spatial-join the villages, sum children per commune;
- spopt: `MCLP.from_geodataframe` (dense distance matrix, coverage matrix, PuLP model), where its
  dense villages x points matrices stay small.

Four instances: the demo package and a synthetic national one (100,000 villages, 20,000 points,
~3,300 communes), each stored in EPSG:4326 (as packages are) and in UTM 48N. The methods run
interleaved (A, B, C, A, B, C, ...) in two blocks per instance: arrays only and ours (many
rounds), then the peers with arrays only and ours among them (fewer rounds: the analyst's dissolve
takes seconds). Every figure is the median over its rounds with the spread (min-max), and every
ratio the median of the per-round ratios within one block. Every method's villages and children
per commune are checked against ours. Memory: each method in a fresh process that imports
everything first (spopt and PuLP included) and builds the instance, then resets the peak resident
size (/proc/self/clear_refs) and reports the peak added by the work alone (VmHWM minus VmRSS just
before the work).

    .venv/bin/python benchmarks/coverage.py            # about 4 minutes on 2 cores; Linux (/proc)
    .venv/bin/python benchmarks/coverage.py --quick    # fewer rounds, memory on national EPSG:4326 only
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner import projection  # noqa: E402
from planner.coverage import nearest_m, reach  # noqa: E402
from planner.io import read_package  # noqa: E402

RADIUS_M = 2000.0
QUAD_SEGS = 16  # the geopandas peers' circles are 64-gons
METRIC = "EPSG:32648"
INSTANCES = {
    "demo-4326": "demo (Lai Châu), stored in EPSG:4326",
    "demo-utm": "demo (Lai Châu), stored in UTM 48N",
    "national-4326": "synthetic national, stored in EPSG:4326",
    "national-utm": "synthetic national, stored in UTM 48N",
}
METHODS = {
    "arrays": "arrays only (KD-tree on ready metric arrays)",
    "ours_kept": "ours, projection kept",
    "ours_first": "ours, first call (projection computed)",
    "ours_radius": "ours, radius changed (nearest distances kept)",
    "buffer_sjoin": "geopandas buffer + sjoin",
    "analyst": "analyst: buffer + dissolve + sjoin",
    "spopt": "spopt MCLP.from_geodataframe",
}
SPOPT_MAX_PAIRS = 1_000_000  # villages x points: spopt builds dense matrices and a PuLP term per pair


def synthetic(n_communes=3300, n_villages=100_000, n_points=20_000, seed=7):
    """Villages and points scattered over Vietnam's extent (UTM 48N metres), communes as a grid."""
    rng = np.random.default_rng(seed)
    x0, y0, w, h = 200_000, 950_000, 700_000, 1_600_000
    side = int(np.ceil(np.sqrt(n_communes)))
    cx = rng.integers(0, side, n_villages)
    cy = rng.integers(0, side, n_villages)
    vx = x0 + (cx + rng.random(n_villages)) * w / side
    vy = y0 + (cy + rng.random(n_villages)) * h / side
    villages = gpd.GeoDataFrame({
        "commune_code": [f"{a:03d}{b:03d}" for a, b in zip(cx, cy)],
        "children": rng.integers(10, 400, n_villages),
        "population": rng.integers(100, 1500, n_villages),
    }, geometry=shapely.points(vx, vy), crs=32648)
    px = x0 + rng.random(n_points) * w
    py = y0 + rng.random(n_points) * h
    points = gpd.GeoDataFrame(geometry=shapely.points(px, py), crs=32648)
    return villages, points


def instance(name: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """(villages, points) of an instance, stored as its name says."""
    if name.startswith("demo"):
        pkg = read_package()
        v, p = pkg.villages, pkg.play_points[pkg.play_points["status"] == "existing"].reset_index(drop=True)
        return (v, p) if name.endswith("4326") else (v.to_crs(METRIC), p.to_crs(METRIC))
    v, p = synthetic()
    return (v.to_crs(4326), p.to_crs(4326)) if name.endswith("4326") else (v, p)


@dataclass
class Prep:
    """What a method may have ready before it is timed (only what its own name says it keeps)."""

    vx: np.ndarray | None = None
    px: np.ndarray | None = None
    code: np.ndarray | None = None
    codes: pd.Index | None = None
    children: np.ndarray | None = None
    distance_m: np.ndarray | None = None
    notes: list = field(default_factory=list)


def prepare(method: str, villages, points) -> Prep:
    prep = Prep()
    if method == "arrays":
        prep.vx = shapely.get_coordinates(villages.geometry.to_crs(METRIC).to_numpy())
        prep.px = shapely.get_coordinates(points.geometry.to_crs(METRIC).to_numpy())
        prep.code, prep.codes = pd.factorize(villages["commune_code"])
        prep.children = villages["children"].to_numpy(dtype=np.int64)
    elif method == "ours_kept":
        reach(villages, points, radius_m=RADIUS_M)  # the projection is now kept
    elif method == "ours_radius":
        prep.distance_m = nearest_m(villages, points)  # once per package, as the app keeps it
    return prep


def run(method: str, villages, points, prep: Prep):
    """Children within reach per commune (Series by code, zeros dropped) and which villages."""
    if method == "arrays":
        d, _ = cKDTree(prep.px).query(prep.vx, k=1, distance_upper_bound=RADIUS_M * (1 + 1e-9) + 1e-6, workers=-1)
        inside = d <= RADIUS_M
        per = np.bincount(prep.code, weights=np.where(inside, prep.children, 0), minlength=len(prep.codes))
        return pd.Series(per.astype(np.int64), index=prep.codes), inside
    if method in ("ours_kept", "ours_first", "ours_radius"):
        if method == "ours_first":
            projection.clear()
        r = reach(villages, points, radius_m=RADIUS_M, distance_m=prep.distance_m)
        return r.by_commune["children_within"], r.village_within
    v = villages.to_crs(METRIC)
    p = points.to_crs(METRIC)
    if method == "spopt":
        from spopt.locate import MCLP

        model = MCLP.from_geodataframe(v, p, "geometry", "geometry", "children", service_radius=RADIUS_M,
                                       p_facilities=len(p))
        inside = model.aij.any(axis=1)
    else:
        zones = gpd.GeoDataFrame(geometry=p.buffer(RADIUS_M, quad_segs=QUAD_SEGS), crs=METRIC)
        if method == "analyst":
            zones = zones.dissolve().explode(index_parts=False)
        hit = gpd.sjoin(v, zones, predicate="intersects", how="inner")
        inside = v.index.isin(hit.index.unique())
    return v.loc[inside].groupby("commune_code")["children"].sum(), inside


def agreement(method: str, villages: gpd.GeoDataFrame, mine: np.ndarray, theirs: tuple, distance_m: np.ndarray) -> str:
    """Whether `theirs` reaches the villages ours reaches (`mine`) and gives the same children per
    commune. Buffers are 64-gons: villages between the polygon's edge and the true circle
    (distance in (r cos(pi/64), r]) are missed by them and allowed for."""
    by_commune, inside = theirs
    edge = np.zeros(len(mine), dtype=bool)
    if method in ("buffer_sjoin", "analyst"):
        edge = mine & ~inside & (distance_m > RADIUS_M * np.cos(np.pi / (4 * QUAD_SEGS)) - 1e-6)
    unexplained = (mine != inside) & ~edge
    if unexplained.any():
        return f"DIFFERENT on {int(unexplained.sum())} villages"
    kept = np.where(mine & ~edge, villages["children"].to_numpy(dtype=np.int64), 0)
    expected = pd.Series(kept).groupby(villages["commune_code"].to_numpy()).sum()
    expected, got = expected[expected > 0].sort_index(), by_commune[by_commune > 0].sort_index()
    if expected.index.tolist() != got.index.tolist() or expected.tolist() != got.tolist():
        return "DIFFERENT per commune"
    return f"equal, except {int(edge.sum()):,} villages on the buffer's edge" if edge.any() else "equal"


def methods_for(villages, points) -> list[str]:
    return [m for m in METHODS if m != "spopt" or len(villages) * len(points) <= SPOPT_MAX_PAIRS]


FAST = ("arrays", "ours_kept", "ours_first", "ours_radius")
SLOW = ("arrays", "ours_kept", "buffer_sjoin", "analyst", "spopt")


def timed(methods, villages, points, preps, rounds: int) -> dict[str, list[float]]:
    """Seconds per run of each method, the methods interleaved (A, B, C, A, B, C, ...)."""
    times = {m: [] for m in methods}
    for _ in range(rounds):
        for m in methods:
            gc.collect()
            t0 = time.perf_counter()
            run(m, villages, points, preps[m])
            times[m].append(time.perf_counter() - t0)
    return times


def _spread(values: list[float], fmt: str) -> str:
    return f"{median(values):{fmt}} ({min(values):{fmt}}-{max(values):{fmt}})"


def interleaved(name: str, *, fast_rounds: int, slow_rounds: int) -> None:
    """Time every method on one instance and print medians, spreads, ratios and checks. Two blocks:
    ours and arrays only (fast, many rounds), then the peers with arrays only and ours among them
    (slow, fewer rounds); a peer's ratios are taken against the runs of its own rounds."""
    villages, points = instance(name)
    methods = methods_for(villages, points)
    preps = {m: prepare(m, villages, points) for m in methods}
    distance_m = nearest_m(villages, points)
    results = {m: run(m, villages, points, preps[m]) for m in methods}  # warm-up round, and the answers checked
    fast = timed([m for m in FAST if m in methods], villages, points, preps, fast_rounds)
    slow = timed([m for m in SLOW if m in methods], villages, points, preps, slow_rounds)
    r = reach(villages, points, radius_m=RADIUS_M)
    print(f"\n{INSTANCES[name]}: {len(villages):,} villages, {len(points):,} points, "
          f"{villages['commune_code'].nunique():,} communes, radius {RADIUS_M:,.0f} m, metric CRS {r.metric_crs}; "
          f"children within reach {r.children_within:,}")
    print(f"  {'method':<48}{'rounds':>7}{'median ms':>11}{'min-max ms':>20}{'x arrays only':>22}"
          f"{'÷ ours, kept':>22}  same numbers as ours?")
    for m in methods:
        block = fast if m in FAST else slow
        t = block[m]
        vs_arrays = [a / b for a, b in zip(t, block["arrays"])]
        vs_ours = [a / b for a, b in zip(t, block["ours_kept"])]
        check = agreement(m, villages, results["ours_kept"][1], results[m], distance_m)
        print(f"  {METHODS[m]:<48}{len(t):>7}{median(t) * 1000:>11,.1f}{f'{min(t) * 1000:,.1f}-{max(t) * 1000:,.1f}':>20}"
              f"{_spread(vs_arrays, ',.2f'):>22}{_spread(vs_ours, ',.1f'):>22}  {check}")
    if "spopt" not in methods:
        gb = len(villages) * len(points) * 8 / 1e9
        print(f"  {METHODS['spopt']:<48} not run: dense {len(villages):,} x {len(points):,} matrices, {gb:,.0f} GB each")
    if name == "national-4326":
        ratio = median([a / b for a, b in zip(fast["ours_kept"], fast["arrays"])])
        print(f"  aim (issue 17): national reach from EPSG:4326, projection kept, <= 2x arrays only: "
              f"{'met' if ratio <= 2 else 'NOT met'} ({ratio:.2f}x, median of {fast_rounds} per-round ratios)")


def _status_kib(field_name: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    raise RuntimeError(field_name)


def child(name: str, method: str) -> None:
    """One method once, in this fresh process: print the peak memory the work alone added."""
    import pulp  # noqa: F401  (imported before the measure, as every other library)
    import spopt.locate  # noqa: F401

    villages, points = instance(name)
    prep = prepare(method, villages, points)
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # give freed heap back, so the work's pages are counted
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset VmHWM to the current resident size
    before = _status_kib("VmRSS")
    run(method, villages, points, prep)
    print(json.dumps({"added_mib": (_status_kib("VmHWM") - before) / 1024, "before_mib": before / 1024}))


def memory(names: list[str]) -> None:
    print("\nPeak memory added by the work alone (MiB; fresh process per cell, everything imported and the "
          "instance built first; VmHWM reset through /proc/self/clear_refs, minus VmRSS before the work):")
    print(f"  {'method':<48}" + "".join(f"{n:>16}" for n in names))
    rows = {}
    for m in METHODS:
        cells = []
        for n in names:
            if m == "spopt" and n.startswith("national"):
                cells.append("not run")
                continue
            out = subprocess.run([sys.executable, __file__, "--child", n, m], capture_output=True, text=True, check=True)
            got = json.loads(out.stdout.strip().splitlines()[-1])
            cells.append(f"{got['added_mib']:,.1f}")
            rows.setdefault(n, got["before_mib"])
        print(f"  {METHODS[m]:<48}" + "".join(f"{c:>16}" for c in cells))
    print("  resident before the work (imports + instance): " + ", ".join(f"{n} {b:,.0f} MiB" for n, b in rows.items()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="5 and 3 rounds; memory on the national EPSG:4326 instance only")
    ap.add_argument("--child", nargs=2, metavar=("INSTANCE", "METHOD"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    import pulp
    import pyproj
    import scipy
    import spopt

    print(f"{os.cpu_count()} cores; geopandas {gpd.__version__}, shapely {shapely.__version__}, pyproj {pyproj.__version__}, "
          f"scipy {scipy.__version__}, spopt {spopt.__version__}, PuLP {pulp.__version__}")
    started = time.perf_counter()
    for name in INSTANCES:
        demo = name.startswith("demo")
        interleaved(name, fast_rounds=5 if args.quick else (41 if demo else 21),
                    slow_rounds=3 if args.quick else (11 if demo else 5))
    memory(["national-4326"] if args.quick else list(INSTANCES))
    print(f"\nwhole run {time.perf_counter() - started:,.0f} s")


if __name__ == "__main__":
    main()
