"""The year-by-year figures of the progress record: planner.progress against a plain pandas +
geopandas way of doing the same (for each year's end, the latest status of each point, communes
with a point in use, a nearest spatial join within the radius for children within reach), on the demo with a
synthetic record of many points. Prints times, the ratio, and checks both give the same numbers.

    .venv/bin/python benchmarks/progress.py [--points 2000]
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.analysis import Analysis  # noqa: E402
from planner.io import DEMO_DIR, read_package  # noqa: E402
from planner.progress import progress  # noqa: E402
from planner.record import Entry  # noqa: E402

TODAY = date(2026, 12, 1)
RADIUS_M = 2000.0


def synthetic_record(package, n_points: int, seed: int = 11) -> list[Entry]:
    """New points at random villages, each planned, built and in use on random days 2015-2026;
    one in ten closed later."""
    rng = np.random.default_rng(seed)
    villages = package.villages.sample(n_points, replace=True, random_state=seed)
    out, seq = [], 0
    for i, v in enumerate(villages.itertuples()):
        start = date(2015, 1, 1) + timedelta(days=int(rng.integers(0, 4000)))
        days = [start + timedelta(days=int(d)) for d in np.cumsum(rng.integers(30, 400, size=4))]
        statuses = ["planned", "approved", "under_construction", "in_use"] + (["closed"] if rng.random() < 0.1 else [])
        days.append(days[-1] + timedelta(days=int(rng.integers(100, 900))))
        for status, day in zip(statuses, days):
            if day > TODAY:
                break
            seq += 1
            out.append(Entry(f"S{i:05d}", status, day, name=f"S{i}", commune_code=v.commune_code, lon=v.geometry.x,
                             lat=v.geometry.y, seq=seq))
    return out


def plain_way(package, entries: list[Entry], years: range, crs: str) -> list[tuple[int, int, int]]:
    """(year, communes with a point in use, children within reach) at each year's end, the usual
    pandas/geopandas way, from the demo's existing points (in use from 31/12 of their year) and
    the entries (each point's latest status on or before the day)."""
    pts = package.play_points[package.play_points["status"] == "existing"]
    base = pd.DataFrame({"point_id": pts["id"], "status": "in_use", "on": [date(int(y), 12, 31) for y in pts["year"]],
                         "seq": 0, "commune_code": pts["commune_code"], "lon": pts.geometry.x, "lat": pts.geometry.y})
    rec = pd.DataFrame([dict(point_id=e.point_id, status=e.status, on=e.on, seq=e.seq, commune_code=e.commune_code,
                             lon=e.lon, lat=e.lat) for e in entries])
    allx = pd.concat([base, rec], ignore_index=True).sort_values(["on", "seq"])
    villages = package.villages.to_crs(crs)
    out = []
    for y in years:
        day = min(date(y, 12, 31), TODAY)
        now = allx[allx["on"] <= day].groupby("point_id").last()
        use = now[now["status"] == "in_use"]
        geo = gpd.GeoDataFrame(geometry=gpd.points_from_xy(use["lon"], use["lat"]), crs=4326).to_crs(crs)
        hit = gpd.sjoin_nearest(villages, geo, max_distance=RADIUS_M, how="inner").index.unique()  # exact distance
        out.append((y, use["commune_code"].nunique(), int(villages.loc[hit, "children"].sum())))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=2000)
    args = ap.parse_args()
    package = read_package(DEMO_DIR)
    # the plain way dates the demo's points by year only: give planner.progress the same history
    package = package.__class__(**{**package.__dict__, "manifest": {**package.manifest, "demo": False}})
    entries = synthetic_record(package, args.points)
    print(f"demo package, {len(package.villages):,} villages; record of {args.points:,} new points, {len(entries):,} entries")
    ours, theirs = [], []
    for rep in range(3):  # interleaved; medians
        an = Analysis.of(package)  # a fresh one: nothing kept from the last run
        t = time.perf_counter()
        p = progress(an, entries, today=TODAY)
        ours.append(time.perf_counter() - t)
        years = range(p.years[0].year, TODAY.year + 1)
        t = time.perf_counter()
        plain = plain_way(package, entries, years, an.measure.crs)
        theirs.append(time.perf_counter() - t)
    mine = [(f.year, f.communes_with_point, f.children_within) for f in p.years]
    same = mine == plain
    print(f"planner.progress        {np.median(ours):7.3f} s  ({len(p.years)} years)")
    print(f"pandas + sjoin_nearest  {np.median(theirs):7.3f} s")
    print(f"ratio (plain / ours)    {np.median(theirs) / np.median(ours):7.1f}x   same figures: {same}")
    if not same:
        for a, b in zip(mine, plain):
            if a != b:
                print("  differs:", a, b)
        sys.exit(1)


if __name__ == "__main__":
    main()
