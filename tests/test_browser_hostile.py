"""The shared server survives hostile uploads: while session A uploads, one after another, a workbook
bomb, a polygon that crashes GDAL, a list that takes longer than the worker may, one that eats its
memory and one over the row limit, session B's Overview keeps answering, and A is told what stopped
each file. A server of its own, with small worker limits so the test is quick."""
from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from test_browser import ARTIFACTS, CHROMIUM, LOCAL, ROOT, _browser_args, _free_port, _idle, _upload
from test_worker import big_csv, workbook_bomb


@pytest.fixture(scope="module")
def small_limits_server():
    port = _free_port()
    workspace = Path(tempfile.mkdtemp(prefix="planner-ws-"))
    log = open(ARTIFACTS / "streamlit-hostile.log", "w")
    env = dict(os.environ, PLANNER_WORKSPACE=str(workspace), PLANNER_WORKER_MEMORY_MB="1024", PLANNER_WORKER_CPU_S="3",
               PLANNER_WORKER_WALL_S="3")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(180):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start; see test-artifacts/streamlit-hostile.log")
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()
    shutil.rmtree(workspace, ignore_errors=True)


def polygon_of_a_million_vertices() -> bytes:
    n = 1_000_000
    ring = [[round(103.4 + 0.05 * math.cos(2 * math.pi * k / n), 7), round(22.4 + 0.05 * math.sin(2 * math.pi * k / n), 7)]
            for k in range(n)]
    feature = {"type": "Feature", "properties": {"code": "03388", "name": "Xã X"},
               "geometry": {"type": "Polygon", "coordinates": [ring + ring[:1]]}}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def kml_of_placemarks(n: int) -> bytes:
    marks = "".join(f"<Placemark><name>T{i}</name><ExtendedData><Data name='Dân số'><value>{i}</value></Data></ExtendedData>"
                    f"<Point><coordinates>103.4{i % 10},22.4{i % 10}</coordinates></Point></Placemark>" for i in range(n))
    return (f"<?xml version='1.0' encoding='UTF-8'?><kml xmlns='http://www.opengis.net/kml/2.2'><Document>{marks}"
            "</Document></kml>").encode()


def test_hostile_uploads_leave_other_sessions_answering(small_limits_server, tmp_path):
    from playwright.sync_api import sync_playwright

    url = small_limits_server
    bomb, big, huge = tmp_path / "thon-ban.xlsx", tmp_path / "thon-ban-lon.csv", tmp_path / "thon-ban-rat-lon.csv"
    bomb.write_bytes(workbook_bomb())  # refused by its dimension before it is read
    big.write_bytes(big_csv(100_000, name_chars=450))  # 48 MB under every cheap limit: read, and stopped by the worker
    huge.write_bytes(big_csv(600_000))  # over the row limit: refused before it is read
    crash, slow = tmp_path / "ranh-gioi.geojson", tmp_path / "thon-ban.kml"
    crash.write_bytes(polygon_of_a_million_vertices())  # GDAL dies on it (SIGSEGV) under the memory cap
    slow.write_bytes(kml_of_placemarks(190_000))  # 4.5 s or more to read: stopped by the wall-time limit
    external: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=_browser_args())

        def context():
            c = browser.new_context(viewport={"width": 1400, "height": 1300}, locale="en-US")
            c.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else (external.append(r.request.url), r.abort()))
            return c.new_page()

        a, b = context(), context()
        try:
            b.goto(url)
            b.get_by_text("Bảng theo xã").first.wait_for(timeout=90_000)
            a.goto(f"{url}/data")
            a.get_by_text("Tải tệp lên").first.wait_for(timeout=90_000)
            answers = []
            # what should stop each file; on a busy machine the worker's wall time may come first,
            # which is a right answer too: any of the worker's messages
            worker_stop = ("nên đã dừng", "trình đọc tệp bị lỗi")
            seen = {}
            villages, communes = "Thôn, bản", "Ranh giới xã (hiện hành)"
            for upload, where, expected in ((bomb, villages, "trang tính có ô tới XFD1048576"),
                                            (crash, communes, "trình đọc tệp bị lỗi"),
                                            (slow, villages, "nên đã dừng"), (big, villages, "nên đã dừng"),
                                            (huge, villages, "quá giới hạn của một danh sách")):
                _upload(a, where, upload)
                t0 = time.time()
                for radius in ("2500", "3000"):  # B works while A's file is being read
                    box = b.get_by_role("spinbutton", name="Bán kính tiếp cận (m)")
                    box.fill(radius)
                    box.press("Enter")
                    b.get_by_text(f"Trẻ em trong bán kính {radius[0]}.{radius[1:]} m").first.wait_for(timeout=20_000)
                    answers.append(time.time() - t0)
                alert = a.locator("[data-testid='stAlertContentError']").filter(has_text=upload.name).first
                alert.wait_for(timeout=60_000)
                seen[upload.name] = text = alert.inner_text()
                assert expected in text or any(w in text for w in worker_stop), seen
                _idle(a)
            a.screenshot(path=str(ARTIFACTS / "hostile-upload-refused.png"), full_page=True)
            b.reload()
            b.get_by_text("Bảng theo xã").first.wait_for(timeout=30_000)
            assert max(answers) < 20, answers
        finally:
            browser.close()
    assert external == [], external
