"""What reading an upload in the bounded worker costs, against reading it in the server process
(the peer: the same `planner.importing` call in-process, as before issue 13). Prints the median of
several runs for a small CSV, the demo's villages as CSV and as GeoPackage, and the check of a
play-point list over the demo; the difference is the worker's start (a Python process importing
geopandas) and the pickles.

    .venv/bin/python benchmarks/worker.py
"""
from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.importing import ImportSource, inspect_upload, prepare_import, worker  # noqa: E402
from planner.io import DEMO_DIR, read_package  # noqa: E402

RUNS = 5


def median_s(fn) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    demo = read_package(DEMO_DIR)
    v = demo.villages
    csv = ("Tên thôn,Mã xã,Dân số,Trẻ em,Kinh độ,Vĩ độ\n" + "".join(
        f"{n},{c},{p},{k},{g.x:.6f},{g.y:.6f}\n" for n, c, p, k, g in
        zip(v["name"], v["commune_code"], v["population"], v["children"], v.geometry))).encode()
    small = b"Ten thon,Ma xa,Dan so,Tre em,Kinh do,Vi do\nA,03388,100,30,103.45,22.40\n"
    buf = io.BytesIO()
    v.to_file(buf, driver="GPKG", layer="villages")
    gpkg = buf.getvalue()
    points = b"Ten diem,Loai,Trang thai,Nam,Dien tich (m2),Kinh do,Vi do\nX,play_area,existing,2025,400,103.45,22.40\n"
    cases = [
        ("inspect: 1-row CSV", lambda: inspect_upload("a.csv", small, kind="villages"),
         lambda: worker.run("inspect_upload", "a.csv", small, kind="villages")),
        (f"inspect: {len(v)} villages CSV", lambda: inspect_upload("v.csv", csv, kind="villages"),
         lambda: worker.run("inspect_upload", "v.csv", csv, kind="villages")),
        (f"inspect: {len(v)} villages GPKG", lambda: inspect_upload("v.gpkg", gpkg, kind="villages"),
         lambda: worker.run("inspect_upload", "v.gpkg", gpkg, kind="villages")),
        ("check: 1 play point over the demo", lambda: prepare_import([ImportSource("play_points", "p.csv", points)], package=demo, mode="add"),
         lambda: worker.run("prepare_import", [ImportSource("play_points", "p.csv", points)], package=demo, mode="add")),
    ]
    print(f"{'case':40} {'in-process s':>13} {'worker s':>10} {'added s':>9}")
    for name, here, there in cases:
        a, b = median_s(here), median_s(there)
        print(f"{name:40} {a:13.3f} {b:10.3f} {b - a:9.3f}")


if __name__ == "__main__":
    main()
