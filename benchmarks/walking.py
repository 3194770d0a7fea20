"""Walking time (issue 15): planner.walking against scikit-image's MCP_Geometric and GRASS GIS
r.walk, on one synthetic province-sized DEM with the same start points, candidates and villages.

    .venv/bin/python benchmarks/walking.py                      # about 65 s on 2 cores
    .venv/bin/python benchmarks/walking.py --rows 400 --cols 500 --no-grass   # a quick look

The DEM is seeded spectral noise (amplitude ~ f^-1.58) scaled to 200-3,000 m on 90 m cells; at the
default 1,500 x 2,000 cells its slopes are 13-29 % between the quartiles (a smaller grid is the
middle of that DEM, a larger one keeps its slopes close). Two cases: every cell passable, and only a
province-shaped mask (40 % of the cells, ~1.2 M) passable. Each method runs in a fresh process, so
its peak resident memory is its own: Python, the libraries, the DEM and the method's work. Builds
are timed on their first (cold) run, searches as the best of --repeat runs; GRASS runs once.
Prints a line per step, then a table, then whether the aims of issue 15 are met. Asserts nothing:
GRASS or scikit-image missing or failing is reported and skipped.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.walking import OFFSETS, Terrain, WalkingModel, flat_speed_grid, walking_graph  # noqa: E402

CELL_M = 90.0
X0, Y0 = 250_000.0, 2_550_000.0  # top-left corner, UTM 48N (about where Lai Chau is)
CRS = "EPSG:32648"
CHILD_KMH = WalkingModel().child_flat_kmh
AIMS = {"surface_s": 2.0, "matrix_s": 10.0, "peak_mib": 1024.0}


# ---------------------------------------------------------------------------- memory and timing

def peak_mib() -> float:
    """Peak resident memory of this process, MiB: VmHWM where /proc has it. Not ru_maxrss there: on
    Linux a child's ru_maxrss starts at its parent's peak (it survives fork and exec), so every
    worker would show at least the parent's ~200 MiB. Elsewhere ru_maxrss, or psutil on Windows."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import resource
    except ImportError:
        try:
            import psutil
            return psutil.Process().memory_info().peak_wset / 2**20
        except Exception:  # noqa: BLE001
            return float("nan")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


# Runs a command and reports its wall time and the peak of its largest process. A small process of
# its own, so the floor its children inherit (see peak_mib) is a few MiB, not the worker's peak.
PROBE = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
run = subprocess.run(sys.argv[3:], stdout=open(sys.argv[1], "w"), stderr=open(sys.argv[2], "w"))
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": run.returncode, "wall": time.perf_counter() - t,
                  "peak_mib": peak / 2**20 if sys.platform == "darwin" else peak / 1024}))
"""


def rss_mib() -> float:
    """Resident memory now, MiB (psutil if installed, else /proc, else the peak)."""
    try:
        import psutil
        return psutil.Process().memory_info().rss / 2**20
    except ImportError:
        try:
            return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
        except OSError:
            return peak_mib()


# ---------------------------------------------------------------------------- the synthetic province

def make_dem(rows: int, cols: int, seed: int) -> np.ndarray:
    """Seeded spectral noise, amplitude ~ f^-1.58, scaled to 200-3,000 m on the province-sized grid
    (1,500 x 2,000). A smaller grid is the middle of that one, so its slopes are the same; a larger
    one gets relief in proportion to its extent, so its slopes stay close (2,119 x 2,758: 16 / 26 /
    36 % at the quartiles against 13 / 20 / 29 %)."""
    big_rows, big_cols = max(rows, 1500), max(cols, 2000)
    rng = np.random.default_rng(seed)
    f = np.hypot(np.fft.fftfreq(big_rows)[:, None], np.fft.rfftfreq(big_cols)[None, :])
    f[0, 0] = 1.0
    amp = f ** -1.58
    amp[0, 0] = 0.0
    spectrum = amp * rng.standard_normal(amp.shape) * np.exp(2j * np.pi * rng.random(amp.shape))
    z = np.fft.irfft2(spectrum, s=(big_rows, big_cols))
    relief = 2800.0 * max(big_rows / 1500, big_cols / 2000)
    z = 200.0 + (z - z.min()) / (z.max() - z.min()) * relief
    r0, c0 = (big_rows - rows) // 2, (big_cols - cols) // 2
    return np.ascontiguousarray(z[r0:r0 + rows, c0:c0 + cols])


def province_mask(rows: int, cols: int, seed: int, share: float = 0.4) -> np.ndarray:
    """A wobbly star-shaped region covering `share` of the cells."""
    rng = np.random.default_rng(seed + 1)
    y, x = np.mgrid[0:rows, 0:cols]
    dy, dx = (y - rows / 2) / rows, (x - cols / 2) / cols
    theta = np.arctan2(dy, dx)
    wobble = 1.0 + sum(0.3 / k * np.cos(k * theta + rng.uniform(0, 2 * np.pi)) for k in range(2, 8))
    shape = np.hypot(dy, dx) / wobble
    return shape <= np.quantile(shape, share)


def scatter(mask: np.ndarray, n: int, rng) -> np.ndarray:
    """n points (x, y) at random in cells of the mask grown by two cells, so a few fall just
    outside it and have to be snapped in the masked case."""
    from scipy import ndimage
    cells = np.flatnonzero(ndimage.binary_dilation(mask, iterations=2))
    pick = rng.choice(cells, n, replace=False)
    row, col = np.divmod(pick, mask.shape[1])
    return np.column_stack([X0 + (col + rng.random(n)) * CELL_M, Y0 - (row + rng.random(n)) * CELL_M])


def move_slopes(z: np.ndarray, rng, per_offset: int = 20_000) -> np.ndarray:
    """A sample of the signed slopes of the 16 moves over the DEM."""
    rows, cols = z.shape
    out = []
    for dr, dc in OFFSETS:
        a = z[max(0, dr):rows + min(0, dr), max(0, dc):cols + min(0, dc)]
        b = z[max(0, -dr):rows + min(0, -dr), max(0, -dc):cols + min(0, -dc)]
        out.append(rng.choice(((a - b) / (CELL_M * math.hypot(dr, dc))).ravel(), per_offset))
    return np.concatenate(out)


def tobler_pace_s_per_m(s: np.ndarray) -> np.ndarray:
    """Seconds per horizontal metre by Tobler at the child's speed on flat ground."""
    return 3.6 / CHILD_KMH * np.exp(3.5 * np.abs(s + 0.05) - 3.5 * 0.05)


def fit_r_walk(slopes: np.ndarray) -> dict:
    """r.walk's time per horizontal metre is a + b*s (s >= 0), a + c*s (slope_factor <= s < 0),
    a + d*s (s < slope_factor): piecewise linear with one intercept, where Tobler's is exponential
    with its minimum at -5 %. Least squares of the relative error over the DEM's own move slopes,
    slope_factor searched on a 0.005 grid."""
    pace = tobler_pace_s_per_m(slopes)
    best = None
    for sf in np.arange(-0.40, 0.0001, 0.005):
        x = np.column_stack([np.ones_like(slopes), slopes * (slopes >= 0),
                             slopes * ((slopes < 0) & (slopes >= sf)), slopes * (slopes < sf)]) / pace[:, None]
        coef = np.linalg.lstsq(x, np.ones_like(slopes), rcond=None)[0]
        err = np.abs(x @ coef - 1)
        rms = float(np.sqrt((err ** 2).mean()))
        if best is None or rms < best["rms"]:
            best = {"a": coef[0], "b": coef[1], "c": coef[2], "d": coef[3], "slope_factor": float(sf), "rms": rms,
                    "p50": float(np.median(err)), "p95": float(np.percentile(err, 95))}
    return {k: float(v) for k, v in best.items()}


def r_walk_min_pace(coef: dict) -> float:
    """The fastest r.walk walks under these coefficients, s/m (for the search window)."""
    s = np.linspace(-1, 1, 20001)
    k = np.where(s >= 0, coef["b"], np.where(s < coef["slope_factor"], coef["d"], coef["c"]))
    return float(np.min(coef["a"] + k * s))


def calibration() -> str:
    """planner.walking's time over 10 cells on flat ground and on a 10 % slope, against Tobler."""
    model = WalkingModel()
    out = []
    for grade in (0.0, 0.10):
        z = np.tile(np.arange(12) * CELL_M * grade, (3, 1))
        g = walking_graph(Terrain(z, flat_speed_grid(z.shape, model=model), 0.0, 3 * CELL_M, CELL_M, CRS))
        t = g.surface(g.minutes_to_nearest(g.snap(np.array([[6.5 * CELL_M, 1.5 * CELL_M]])).node))[1]
        for label, col, s in (("up", 1, grade), ("down", 11, -grade)):  # from home at col to the point at 6
            if grade == 0 and label == "down":
                continue
            want = 5 * CELL_M * tobler_pace_s_per_m(np.array(s)) / 60
            name = "flat" if grade == 0 else f"{grade:.0%} {label}hill"
            ratio = t[col] / want
            out.append(f"{name} {t[col]:.3f} min vs Tobler {want:.3f} min"
                       + ("" if abs(ratio - 1) < 1e-3 else f" (x{ratio:.3f} MISMATCH)"))
    return f"calibration, 450 m at {CHILD_KMH} km/h: " + "; ".join(out)


# ---------------------------------------------------------------------------- workers (fresh processes)

def load(data: Path, case: str):
    z = np.load(data / "dem.npy")
    passable = np.load(data / "mask.npy") if case == "mask" else np.ones(z.shape, dtype=bool)
    sites = np.load(data / "sites.npz")
    return z, passable, sites


def timed(repeat: int, fn):
    """Seconds of the first run and of the fastest of `repeat` runs, and the last result. The
    previous result is dropped before each run, so repeating does not raise the peak memory. The
    first run is the cold one: its memory comes fresh from the system (a graph is built once per
    terrain; searches repeat on it)."""
    times, out = [], None
    for _ in range(max(1, repeat)):
        out = None
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return times[0], min(times), out


def village_pairs(hits, village_keys: np.ndarray):
    """(candidate, village) pairs from (candidate, sorted keys reached) and each village's key."""
    order = np.argsort(village_keys, kind="stable")
    keys = village_keys[order]
    pairs_c, pairs_v = [], []
    for pos, hit in hits:
        lo, hi = np.searchsorted(keys, hit, "left"), np.searchsorted(keys, hit, "right")
        for a, b in zip(lo[hi > lo], hi[hi > lo]):
            pairs_v.extend(order[a:b])
            pairs_c.extend([pos] * (b - a))
    return np.array(pairs_c, dtype=np.int64), np.array(pairs_v, dtype=np.int64)


def worker_ours(data: Path, case: str, limit: float, repeat: int) -> dict:
    z, passable, sites = load(data, case)
    base = rss_mib()
    terrain = Terrain(np.where(passable, z, np.nan), flat_speed_grid(z.shape, model=WalkingModel()), X0, Y0, CELL_M, CRS)
    build, build_warm, g = timed(repeat, lambda: walking_graph(terrain))
    after_build = rss_mib()
    snap_s, _, sp = timed(1, lambda: g.snap(sites["points"]))  # the first snap pays for the nearest-cell table
    search_first, search_s, minutes = timed(repeat, lambda: g.minutes_to_nearest(sp.node))
    grid = g.surface(minutes)
    grid[~np.isfinite(grid)] = np.nan
    np.save(data / f"surface_ours_{case}.npy", grid.astype(np.float32))
    del grid

    def matrix():
        sc, sv = g.snap(sites["candidates"]), g.snap(sites["villages"])
        hits = ((pos, hit) for pos, hit, _ in g.minutes_from_each(sc.node, limit_min=limit))
        return sc, sv, village_pairs(hits, sv.node)

    matrix_first, matrix_s, (sc, sv, (pc, pv)) = timed(repeat, matrix)
    np.savez(data / f"pairs_ours_{case}.npz", c=pc, v=pv)
    np.savez(data / f"cells_{case}.npz", **{name: g.cell_of_node[s.node] for name, s in
                                            (("points", sp), ("candidates", sc), ("villages", sv))})
    moved = np.concatenate([sp.moved_m, sc.moved_m, sv.moved_m])
    return {"nodes": g.nodes, "edges": int(g.reversed_minutes.nnz), "build_s": build, "build_warm_s": build_warm,
            "snap_s": snap_s, "surface_s": snap_s + search_s, "surface_first_s": snap_s + search_first,
            "matrix_s": matrix_s, "matrix_first_s": matrix_first, "pairs": len(pc), "peak_mib": peak_mib(),
            "base_mib": base, "after_build_mib": after_build, "snapped": int((moved > 0).sum()),
            "moved_max_m": float(moved.max()), "reached": int(np.isfinite(minutes).sum())}


def worker_skimage(data: Path, case: str, limit: float, repeat: int) -> dict:
    from skimage.graph import MCP_Geometric
    z, passable, _ = load(data, case)
    cells = np.load(data / f"cells_{case}.npz")
    base = rss_mib()

    def build():
        gy, gx = np.gradient(z, CELL_M)
        # Tobler without direction, on the slope's magnitude: v = child * exp(-3.5 |grad z|)
        cost = np.where(passable, 60.0 / 1000.0 / (CHILD_KMH * np.exp(-3.5 * np.hypot(gx, gy))), np.inf)  # min/m
        return cost, MCP_Geometric(cost, sampling=(CELL_M, CELL_M))

    build_s, build_warm, (cost, mcp) = timed(repeat, build)
    starts = np.column_stack(np.divmod(cells["points"], z.shape[1]))
    surface_first, surface_s, (grid, _) = timed(repeat, lambda: mcp.find_costs(starts))
    del mcp
    grid = np.where(np.isfinite(grid) & passable, grid, np.nan)
    np.save(data / f"surface_skimage_{case}.npy", grid.astype(np.float32))
    del grid
    # Bounded searches: MCP has no cheap bound (max_cumulative_cost still walks the whole array),
    # so each candidate gets its own window, as large as the fastest walker covers in `limit`.
    radius = int(math.ceil(limit / 60 * CHILD_KMH * 1000 / CELL_M)) + 1
    rows, cols = z.shape

    def matrix():
        def hits():
            for pos, cell in enumerate(cells["candidates"]):
                r, c = divmod(int(cell), cols)
                r0, r1, c0, c1 = max(0, r - radius), min(rows, r + radius + 1), max(0, c - radius), min(cols, c + radius + 1)
                win, _ = MCP_Geometric(cost[r0:r1, c0:c1], sampling=(CELL_M, CELL_M)).find_costs([(r - r0, c - c0)])
                wr, wc = np.nonzero(win <= limit)
                yield pos, np.sort((wr + r0) * cols + wc + c0)
        return village_pairs(hits(), cells["villages"])

    matrix_first, matrix_s, (pc, pv) = timed(repeat, matrix)
    np.savez(data / f"pairs_skimage_{case}.npz", c=pc, v=pv)
    return {"build_s": build_s, "build_warm_s": build_warm, "surface_s": surface_s, "surface_first_s": surface_first,
            "matrix_s": matrix_s, "matrix_first_s": matrix_first, "pairs": len(pc),
            "peak_mib": peak_mib(), "base_mib": base, "window": 2 * radius + 1}


GRASS_SCRIPT = r"""
set -e
tick() {{ if [ -n "$EPOCHREALTIME" ]; then echo "$EPOCHREALTIME"; else date +%s; fi; }}
step() {{ echo "@T $1 $2 $(tick)"; }}
t=$(tick)
{import_full}
step import_full $t
t=$(tick)
{import_mask}
step import_mask $t
g.region raster=dem_full
t=$(tick)
r.mapcalc "neg_full = -dem_full" --quiet
r.mapcalc "fr_full = 0.0" --quiet
step prep_full $t
t=$(tick)
r.mapcalc "neg_mask = -dem_mask" --quiet
r.mapcalc "fr_mask = if(isnull(dem_mask), null(), 0.0)" --quiet
step prep_mask $t
t=$(tick)
r.walk -k elevation=neg_full friction=fr_full output=walk_fit start_coordinates={starts_full} lambda=0 walk_coeff={coef} slope_factor={sf} --quiet
step walk_fit_full $t
r.out.bin -f input=walk_fit output={data}/grass_fit_full.bin bytes=4 null=-1 --quiet 2>/dev/null
t=$(tick)
r.walk -k elevation=neg_full friction=fr_full output=walk_default start_coordinates={starts_full} lambda=0 --quiet
step walk_default_full $t
r.out.bin -f input=walk_default output={data}/grass_default_full.bin bytes=4 null=-1 --quiet 2>/dev/null
g.region raster=dem_mask
t=$(tick)
r.walk -k elevation=neg_mask friction=fr_mask output=walk_mask start_coordinates={starts_mask} lambda=0 walk_coeff={coef} slope_factor={sf} --quiet
step walk_fit_mask $t
r.out.bin -f input=walk_mask output={data}/grass_fit_mask.bin bytes=4 null=-1 --quiet 2>/dev/null
t=$(tick)
{matrix}
step matrix_sample $t
"""


def worker_grass(data: Path, limit: float, sample: int) -> dict:
    z = np.load(data / "dem.npy")
    mask = np.load(data / "mask.npy")
    rows, cols = z.shape
    coef = json.loads((data / "r_walk_fit.json").read_text())
    full, masked = np.load(data / "cells_full.npz"), np.load(data / "cells_mask.npz")

    def xy(cell):
        r, c = divmod(int(cell), cols)
        return X0 + (c + 0.5) * CELL_M, Y0 - (r + 0.5) * CELL_M

    def coords(cells):
        return ",".join(f"{x:.1f},{y:.1f}" for x, y in map(xy, cells))

    imports = {}
    for case, grid in (("full", z), ("mask", np.where(mask, z, np.nan))):
        try:
            import rasterio
            from rasterio.transform import from_origin
            path = data / f"dem_{case}.tif"
            with rasterio.open(path, "w", driver="GTiff", height=rows, width=cols, count=1, dtype="float64",
                               crs=CRS, transform=from_origin(X0, Y0, CELL_M, CELL_M), nodata=np.nan) as out:
                out.write(grid, 1)
            imports[case] = f"r.in.gdal -o input={path} output=dem_{case} --quiet"
        except ImportError:  # no rasterio: the same numbers as raw doubles
            path = data / f"dem_{case}.bin"
            np.where(np.isfinite(grid), grid, -9999.0).astype("<f8").tofile(path)
            imports[case] = (f"r.in.bin -d input={path} output=dem_{case} bytes=8 order=little north={Y0} "
                             f"south={Y0 - rows * CELL_M} east={X0 + cols * CELL_M} west={X0} rows={rows} cols={cols} "
                             f"anull=-9999 --quiet")
    walk_coeff = ",".join(f"{coef[k]:.6f}" for k in "abcd")
    # Bounded searches in GRASS: a region (window) per candidate as large as the fastest walker
    # covers in `limit`, r.walk with max_cost, r.what at the villages inside.
    radius = int(math.ceil(limit * 60 / r_walk_min_pace(coef) / CELL_M)) + 1
    vr, vc = np.divmod(full["villages"], cols)
    lines = []
    for i, cell in enumerate(full["candidates"][:sample]):
        r, c = divmod(int(cell), cols)
        r0, r1, c0, c1 = max(0, r - radius), min(rows, r + radius + 1), max(0, c - radius), min(cols, c + radius + 1)
        lines.append(f"g.region n={Y0 - r0 * CELL_M} s={Y0 - r1 * CELL_M} w={X0 + c0 * CELL_M} e={X0 + c1 * CELL_M} "
                     f"res={CELL_M} --quiet")
        x, y = xy(cell)
        lines.append(f"r.walk -k elevation=neg_full friction=fr_full output=w start_coordinates={x:.1f},{y:.1f} "
                     f"lambda=0 walk_coeff={walk_coeff} slope_factor={coef['slope_factor']} max_cost={limit * 60} "
                     f"--quiet --overwrite")
        inside = np.flatnonzero((vr >= r0) & (vr < r1) & (vc >= c0) & (vc < c1))
        if len(inside):
            lines.append(f"r.what map=w coordinates={coords(full['villages'][inside])} null_value=nan separator=pipe "
                         f"> {data}/what_{i}.txt")
            np.save(data / f"what_{i}.npy", inside)
    script = GRASS_SCRIPT.format(import_full=imports["full"], import_mask=imports["mask"], data=data,
                                 starts_full=coords(full["points"]), starts_mask=coords(masked["points"]),
                                 coef=walk_coeff, sf=coef["slope_factor"], matrix="\n".join(lines) or ":")
    (data / "grass.sh").write_text(script)
    out, err = data / "grass.out", data / "grass.err"
    probe = subprocess.run([sys.executable, "-c", PROBE, str(out), str(err), "grass", "--tmp-location", CRS,
                            "--exec", "bash", str(data / "grass.sh")], capture_output=True, text=True, timeout=1800)
    run = json.loads(probe.stdout)
    wall = run["wall"]
    steps = {}
    for line in out.read_text().splitlines():
        if line.startswith("@T "):  # name, start, end (bash's EPOCHREALTIME may carry a decimal comma)
            _, name, t0, t1 = line.split()
            steps[name] = float(t1.replace(",", ".")) - float(t0.replace(",", "."))
    if run["rc"] != 0 or "matrix_sample" not in steps:
        tail = (err.read_text() or out.read_text()).strip().splitlines()[-5:]
        return {"error": f"grass exited {run['rc']}: " + " | ".join(tail)}
    pairs_c, pairs_v = [], []
    for i in range(min(sample, len(full["candidates"]))):
        if (data / f"what_{i}.txt").exists():
            inside = np.load(data / f"what_{i}.npy")
            values = [float(line.rsplit("|", 1)[1]) for line in (data / f"what_{i}.txt").read_text().splitlines() if line]
            for v, seconds in zip(inside, values):
                if seconds <= limit * 60:
                    pairs_c.append(i)
                    pairs_v.append(int(v))
    np.savez(data / "pairs_grass_full.npz", c=np.array(pairs_c, dtype=np.int64), v=np.array(pairs_v, dtype=np.int64))
    for name in ("grass_fit_full", "grass_default_full", "grass_fit_mask"):
        grid = np.fromfile(data / f"{name}.bin", dtype=np.float32).reshape(rows, cols)
        np.save(data / f"surface_{name}.npy", np.where(grid < 0, np.nan, grid / 60).astype(np.float32))
    done = min(sample, len(full["candidates"]))
    return {"steps": steps, "wall_s": wall, "startup_s": wall - sum(steps.values()), "peak_mib": run["peak_mib"],
            "sample": done, "pairs_sample": len(pairs_c), "window": 2 * radius + 1,
            "matrix_s": steps["matrix_sample"] * len(full["candidates"]) / max(done, 1)}


# ---------------------------------------------------------------------------- the parent

def in_fresh_process(args, *extra) -> dict:
    cmd = [sys.executable, __file__, "--data", str(args.data), "--limit", str(args.limit), "--repeat", str(args.repeat),
           *extra]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        return {"error": (run.stderr or run.stdout).strip().splitlines()[-1]}
    return json.loads(run.stdout.strip().splitlines()[-1])


def difference(data: Path, ours: str, peer: str) -> dict | None:
    a, b = data / f"surface_{ours}.npy", data / f"surface_{peer}.npy"
    if not (a.exists() and b.exists()):
        return None
    x, y = np.load(a).astype(np.float64), np.load(b).astype(np.float64)
    both = np.isfinite(x) & np.isfinite(y)
    d = np.abs(y[both] - x[both])
    pos = both & (x > 0)
    rel = np.abs(y[pos] - x[pos]) / x[pos]
    return {"med": float(np.median(d)), "p95": float(np.percentile(d, 95)), "rel_med": float(np.median(rel)),
            "rel_p95": float(np.percentile(rel, 95)), "ratio": float(np.median(y[pos] / x[pos])),
            "cells": int(both.sum()), "only_ours": int((np.isfinite(x) & ~np.isfinite(y)).sum()),
            "only_peer": int((~np.isfinite(x) & np.isfinite(y)).sum())}


def pair_overlap(data: Path, a: str, b: str, candidates: int | None = None) -> str:
    pa, pb = np.load(data / f"pairs_{a}.npz"), np.load(data / f"pairs_{b}.npz")
    sa = {(c, v) for c, v in zip(pa["c"], pa["v"]) if candidates is None or c < candidates}
    sb = set(zip(pb["c"], pb["v"]))
    return f"{len(sa):,} vs {len(sb):,} pairs, {len(sa & sb):,} in both"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=1500)
    p.add_argument("--cols", type=int, default=2000)
    p.add_argument("--points", type=int, default=60, help="existing play points (surface)")
    p.add_argument("--candidates", type=int, default=500)
    p.add_argument("--villages", type=int, default=1000)
    p.add_argument("--limit", type=float, default=30.0, help="minutes, for the coverage matrix")
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--repeat", type=int, default=3, help="best of N for our and scikit-image's searches")
    p.add_argument("--grass-sample", type=int, default=50, help="candidates GRASS runs for the matrix (extrapolated)")
    p.add_argument("--no-grass", action="store_true")
    p.add_argument("--no-skimage", action="store_true")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--case", default="full", help=argparse.SUPPRESS)
    p.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args()

    if args.worker:
        fn = {"ours": lambda: worker_ours(args.data, args.case, args.limit, args.repeat),
              "skimage": lambda: worker_skimage(args.data, args.case, args.limit, args.repeat),
              "grass": lambda: worker_grass(args.data, args.limit, args.grass_sample)}[args.worker]
        print(json.dumps(fn()))
        return

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="walking-bench-") as tmp:
        args.data = Path(tmp)
        z = make_dem(args.rows, args.cols, args.seed)
        mask = province_mask(args.rows, args.cols, args.seed)
        rng = np.random.default_rng(args.seed + 2)
        np.save(args.data / "dem.npy", z)
        np.save(args.data / "mask.npy", mask)
        np.savez(args.data / "sites.npz", points=scatter(mask, args.points, rng),
                 candidates=scatter(mask, args.candidates, rng), villages=scatter(mask, args.villages, rng))
        gy, gx = np.gradient(z, CELL_M)
        q = np.percentile(np.hypot(gx, gy), [25, 50, 75]) * 100
        coef = fit_r_walk(move_slopes(z, rng))
        (args.data / "r_walk_fit.json").write_text(json.dumps(coef))
        print(f"DEM {args.rows:,} x {args.cols:,} = {z.size:,} cells of {CELL_M:.0f} m, {z.min():.0f}-{z.max():.0f} m, "
              f"slope quartiles {q[0]:.0f} / {q[1]:.0f} / {q[2]:.0f} %; mask {mask.sum():,} cells "
              f"({mask.mean():.0%}); {args.points} points, {args.candidates} candidates, {args.villages:,} villages, "
              f"{args.limit:g} min")
        print(calibration())
        del z, gx, gy

        results = {}
        for case in ("full", "mask"):
            results[("ours", case)] = r = in_fresh_process(args, "--worker", "ours", "--case", case)
            if "error" in r:
                print(f"ours ({case}) FAILED: {r['error']}")
                continue
            print(f"ours ({case}): {r['nodes']:,} nodes, {r['edges']:,} edge slots; build {r['build_s']:.2f} s "
                  f"(again: {r['build_warm_s']:.2f} s); surface {r['surface_s']:.2f} s (first {r['surface_first_s']:.2f}; "
                  f"snap {r['snap_s']:.2f} s), {r['reached']:,} nodes reached; matrix {r['matrix_s']:.2f} s (first "
                  f"{r['matrix_first_s']:.2f}), {r['pairs']:,} pairs; snapped {r['snapped']} sites "
                  f"(max {r['moved_max_m']:.0f} m); RSS {r['base_mib']:.0f} MiB after loading, "
                  f"{r['after_build_mib']:.0f} after build, peak {r['peak_mib']:.0f}")
        if args.no_skimage:
            print("scikit-image: skipped (--no-skimage)")
        else:
            try:
                import skimage
                version = skimage.__version__
            except ImportError as e:
                version = None
                print(f"scikit-image: skipped, not installed ({e}); pip install -r requirements-dev.txt")
            for case in ("full", "mask") if version and ("ours", "mask") in results else ():
                results[("skimage", case)] = r = in_fresh_process(args, "--worker", "skimage", "--case", case)
                if "error" in r:
                    print(f"scikit-image ({case}) FAILED: {r['error']}")
                    continue
                print(f"scikit-image {version} MCP_Geometric ({case}): build {r['build_s']:.2f} s (again "
                      f"{r['build_warm_s']:.2f}); surface {r['surface_s']:.2f} s (first {r['surface_first_s']:.2f}); "
                      f"matrix {r['matrix_s']:.2f} s (first {r['matrix_first_s']:.2f}; {r['window']}-cell windows), "
                      f"{r['pairs']:,} pairs ({pair_overlap(args.data, 'ours_' + case, 'skimage_' + case)}); "
                      f"peak {r['peak_mib']:.0f} MiB")
        grass = shutil.which("grass")
        if args.no_grass:
            print("GRASS: skipped (--no-grass)")
        elif grass is None:
            print("GRASS: skipped, no `grass` on PATH (Debian: apt install grass-core)")
        elif "error" in results.get(("ours", "mask"), {"error": ""}):
            print("GRASS: skipped, our run failed")
        else:
            version = subprocess.run(["grass", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
            print(f"{version[0] if version else 'GRASS'}: r.walk walk_coeff a,b,c,d = {coef['a']:.4f}, {coef['b']:.4f}, "
                  f"{coef['c']:.4f}, {coef['d']:.4f}, slope_factor {coef['slope_factor']:.3f} fitted to Tobler "
                  f"(relative error of the time per metre over the DEM's move slopes: median {coef['p50']:.1%}, "
                  f"95th percentile {coef['p95']:.1%}); default 0.72, 6.0, 1.9998, -1.9998, -0.2125 (Langmuir)")
            try:
                r = in_fresh_process(args, "--worker", "grass", "--grass-sample", str(args.grass_sample))
            except Exception as e:  # noqa: BLE001 - a benchmark reports, it does not fail
                r = {"error": repr(e)}
            if "error" in r:
                print(f"GRASS: skipped, it failed: {r['error']}")
            else:
                s = r["steps"]
                print(f"GRASS: wall {r['wall_s']:.1f} s of which start-up and clean-up {r['startup_s']:.1f} s; import "
                      f"{s['import_full']:.2f} + {s['import_mask']:.2f} s, prep (negated DEM, friction) {s['prep_full']:.2f} + "
                      f"{s['prep_mask']:.2f} s; r.walk fitted "
                      f"{s['walk_fit_full']:.2f} s, default {s['walk_default_full']:.2f} s, masked "
                      f"{s['walk_fit_mask']:.2f} s; matrix {r['sample']} candidates in {s['matrix_sample']:.1f} s "
                      f"({r['window']}-cell regions), {pair_overlap(args.data, 'ours_full', 'grass_full', r['sample'])}; "
                      f"peak (largest process) {r['peak_mib']:.0f} MiB")
                for name, case, step in (("grass_fit", "full", "walk_fit_full"), ("grass_default", "full", "walk_default_full"),
                                         ("grass_fit", "mask", "walk_fit_mask")):
                    results[(name, case)] = {"build_s": s[f"import_{case}"] + s[f"prep_{case}"], "surface_s": s[step],
                                             "matrix_s": r["matrix_s"] if (name, case) == ("grass_fit", "full") else None,
                                             "peak_mib": r["peak_mib"], "sample": r["sample"]}

        rows = [("ours", "planner.walking", "16", "yes", "ours"),
                ("skimage", "skimage MCP_Geometric", "8", "no", "skimage"),
                ("grass_fit", "GRASS r.walk -k, fitted", "16", "yes", "grass_fit"),
                ("grass_default", "GRASS r.walk -k, default", "16", "yes", "grass_default")]
        print()
        print(f"| method | case | neighbours | direction-dependent | build s | surface s | matrix s | peak MiB | "
              f"median diff min (rel) | p95 diff min (rel) | median peer/ours |")
        print("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        for key, label, nb, direction, stem in rows:
            for case in ("full", "mask"):
                r = results.get((key, case))
                if not r or "error" in r:
                    continue
                d = None if key == "ours" else difference(args.data, f"ours_{case}", f"{stem}_{case}")
                matrix = "—" if r.get("matrix_s") is None else f"{r['matrix_s']:.2f}"
                if key.startswith("grass") and r.get("matrix_s") is not None:
                    matrix += f" (from {r['sample']})"
                diffs = ("— | — | —" if d is None else
                         f"{d['med']:.1f} ({d['rel_med']:.0%}) | {d['p95']:.1f} ({d['rel_p95']:.0%}) | {d['ratio']:.2f}")
                print(f"| {label} | {'whole grid' if case == 'full' else 'province mask'} | {nb} | {direction} | "
                      f"{r['build_s']:.2f} | {r['surface_s']:.2f} | {matrix} | {r['peak_mib']:.0f} | {diffs} |")
        print()
        ours = results.get(("ours", "full"), {})
        if "error" not in ours and ours:
            for key, label, unit in (("surface_s", "surface for all points", "s"), ("matrix_s", "coverage matrix", "s"),
                                     ("peak_mib", "peak memory", "MiB")):
                value, aim = ours[key], AIMS[key]
                print(f"aim: {label} <= {aim:g} {unit} on {args.rows * args.cols:,} cells: {value:.2f} {unit} "
                      f"{'MET' if value <= aim else 'NOT MET'}")
        print(f"whole script {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
