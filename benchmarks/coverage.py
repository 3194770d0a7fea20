"""Reach (children within a radius of any point): planner.coverage against the plain geopandas
way (buffer the points, spatial-join the villages), on the demo and on a synthetic national-scale
package. Prints times, the speed ratio, and checks both give the same numbers.

    .venv/bin/python benchmarks/coverage.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.coverage import nearest_m, reach  # noqa: E402
from planner.io import read_package  # noqa: E402

RADIUS_M = 2000.0


QUAD_SEGS = 16  # the peer's circles are 64-gons


def buffer_join(villages: gpd.GeoDataFrame, points: gpd.GeoDataFrame, crs: str, radius_m: float):
    """Children within reach per commune, the usual GIS way; and which villages were reached."""
    v = villages.to_crs(crs)
    zones = gpd.GeoDataFrame(geometry=points.to_crs(crs).buffer(radius_m, quad_segs=QUAD_SEGS), crs=crs)
    hit = gpd.sjoin(v, zones, predicate="intersects", how="inner")
    inside = v.index.isin(hit.index.unique())
    return v.loc[inside].groupby("commune_code")["children"].sum(), inside


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


def best_of(fn, repeat=5):
    """The fastest of `repeat` runs (seconds) and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def check(villages, r, peer, distance_m: np.ndarray, radius_m: float) -> str:
    """Both ways must reach the same villages and give the same children per commune, except for
    villages between the 64-gon's edge and the true circle (distance in (r cos(pi/64), r]), which
    the buffer misses."""
    by_commune, inside = peer
    edge = r.village_within & ~inside & (distance_m > radius_m * np.cos(np.pi / (4 * QUAD_SEGS)) - 1e-6)
    unexplained = (r.village_within != inside) & ~edge
    if unexplained.any():
        return f"DIFFERENT on {int(unexplained.sum())} villages"
    kept = np.where(r.village_within & ~edge, villages["children"].to_numpy(), 0)
    mine = pd.Series(kept).groupby(villages["commune_code"].to_numpy()).sum()
    mine = mine[mine > 0]
    if not (mine.index.equals(by_commune.index) and (mine.to_numpy() == by_commune.to_numpy()).all()):
        return "DIFFERENT per commune"
    return f"equal, except {int(edge.sum()):,} villages on the buffer's edge" if edge.any() else "equal"


def compare(name, villages, points, crs):
    once, dist = best_of(lambda: nearest_m(villages, points, metric_crs=crs))
    ours, r = best_of(lambda: reach(villages, points, radius_m=RADIUS_M, metric_crs=crs))
    theirs, peer = best_of(lambda: buffer_join(villages, points, crs, RADIUS_M), repeat=3)
    print(f"{name:<34} villages {len(villages):>7,}  points {len(points):>6,}  "
          f"planner {ours * 1000:8.1f} ms  buffer+sjoin {theirs * 1000:9.1f} ms  "
          f"ratio {theirs / ours:6.1f}x  children within {r.children_within:,}  {check(villages, r, peer, dist, RADIUS_M)}")
    for radius in (1000.0, 3000.0, 5000.0):
        again, r = best_of(lambda: reach(villages, radius_m=radius, metric_crs=crs, distance_m=dist))
        theirs, peer = best_of(lambda: buffer_join(villages, points, crs, radius), repeat=3)
        print(f"{'  another radius: ' + f'{radius:,.0f} m':<34} nearest distances once {once * 1000:6.1f} ms; "
              f"planner {again * 1000:8.1f} ms  buffer+sjoin {theirs * 1000:9.1f} ms  ratio {theirs / again:7.1f}x  "
              f"children within {r.children_within:,}  {check(villages, r, peer, dist, radius)}")


def main():
    pkg = read_package()
    existing = pkg.play_points[pkg.play_points["status"] == "existing"]
    compare("demo (Lai Châu)", pkg.villages, existing, "EPSG:32648")
    compare("demo, every school as a point", pkg.villages, pkg.schools, "EPSG:32648")
    v, p = synthetic()
    compare("synthetic national (3,300 communes)", v, p, "EPSG:32648")


if __name__ == "__main__":
    main()
