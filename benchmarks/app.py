"""The app as a planner meets it: cold start to the first painted map, a rerun after changing the
radius, bytes sent to the browser for the Overview, and the server's memory. Linux only (reads
/proc); needs Debian's chromium.

    .venv/bin/python benchmarks/app.py
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = os.environ.get("PLANNER_CHROMIUM", "/usr/bin/chromium")
from load import memory_mb, start_server  # noqa: E402  (the same server helpers as the load benchmark)

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def server_rerun_ms() -> list[tuple[str, float]]:
    """Server-side script time of reruns, through AppTest (the same script the server runs)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    t0 = time.perf_counter()
    at.run()
    out = [("first run (loads and caches the package)", (time.perf_counter() - t0) * 1000)]
    for radius, label in ((3000, "radius 2000 -> 3000 m (new radius)"), (2000, "radius 3000 -> 2000 m (cached)"),
                          (3000, "radius 2000 -> 3000 m (cached)")):
        t0 = time.perf_counter()
        at.number_input(key="radius_m").set_value(radius).run()
        out.append((label, (time.perf_counter() - t0) * 1000))
    return out


def main() -> None:
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    proc, url = start_server(str(tmp / "workspace"), tmp / "server.log")
    try:
        rss0, _ = memory_mb(proc.pid)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for attempt in ("cold (first session after start)", "warm (second session)"):
                page = browser.new_context(viewport={"width": 1400, "height": 1200}).new_page()
                received = {"ws": 0, "http": 0}
                page.on("websocket", lambda w, r=received: w.on("framereceived", lambda f, r=r: r.__setitem__(
                    "ws", r["ws"] + (len(f) if isinstance(f, (bytes, str)) else 0))))
                page.on("response", lambda resp, r=received: r.__setitem__("http", r["http"] + len(resp.body() or b""))
                        if resp.ok and resp.request.resource_type != "websocket" else None)
                t0 = time.perf_counter()
                page.goto(url)
                frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
                frame.locator("path.leaflet-interactive").nth(37).wait_for(timeout=120_000)
                painted = time.perf_counter() - t0
                page.get_by_text("Bảng theo xã").wait_for(timeout=60_000)
                print(f"{attempt}: first painted map {painted:.2f} s; received over WebSocket "
                      f"{received['ws'] / 1024:.0f} KiB, over HTTP {received['http'] / 1024:.0f} KiB")
                if attempt.startswith("warm"):
                    box = page.get_by_test_id("stNumberInputField").first
                    before = page.locator("[data-testid='stMetricValue']").nth(4).inner_text()
                    t0 = time.perf_counter()
                    box.fill("3500")
                    box.press("Enter")
                    page.wait_for_function(
                        "b => document.querySelectorAll('[data-testid=stMetricValue]')[4].innerText !== b", arg=before,
                        timeout=60_000)
                    print(f"browser: radius 2000 -> 3500 m, reach card updated after {(time.perf_counter() - t0) * 1000:.0f} ms")
                page.close()
            browser.close()
        rss, hwm = memory_mb(proc.pid)
        print(f"server memory: {rss0:.0f} MiB idle after start, {rss:.0f} MiB now, peak {hwm:.0f} MiB (VmHWM)")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    from planner.io import read_package
    from planner.maps import overview_map
    from planner.summary import summarize

    pkg = read_package()
    html = overview_map(pkg, summarize(pkg, radius_m=2000)).get_root().render()
    print(f"Overview map document (folium HTML: data, styles, script): {len(html.encode()) / 1024:.0f} KiB")
    for label, ms in server_rerun_ms():
        print(f"server script time, {label}: {ms:.0f} ms")


if __name__ == "__main__":
    main()
