"""The shared server survives hostile uploads: while session A uploads, one after another, a workbook
bomb, a list that takes longer than the worker may and one over the row limit, session B's Overview
keeps answering, and A is told what stopped each file. A server of its own, with a small wall-time
limit for the worker so the test is quick."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from test_browser import ARTIFACTS, CHROMIUM, LOCAL, ROOT, _browser_args, _free_port, _idle
from test_worker import big_csv, workbook_bomb


@pytest.fixture(scope="module")
def small_limits_server():
    port = _free_port()
    workspace = Path(tempfile.mkdtemp(prefix="planner-ws-"))
    log = open(ARTIFACTS / "streamlit-hostile.log", "w")
    env = dict(os.environ, PLANNER_WORKSPACE=str(workspace), PLANNER_WORKER_MEMORY_MB="1024", PLANNER_WORKER_CPU_S="3",
               PLANNER_WORKER_WALL_S="20")
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


def test_hostile_uploads_leave_other_sessions_answering(small_limits_server, tmp_path):
    from playwright.sync_api import sync_playwright

    url = small_limits_server
    bomb, big, huge = tmp_path / "thon-ban.xlsx", tmp_path / "thon-ban-lon.csv", tmp_path / "thon-ban-rat-lon.csv"
    bomb.write_bytes(workbook_bomb())  # refused by its dimension before it is read
    big.write_bytes(big_csv(100_000, name_chars=450))  # 78 MB under every cheap limit: read, and stopped by the worker
    huge.write_bytes(big_csv(600_000))  # over the row limit: refused before it is read
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
            for upload, expected in ((bomb, "trang tính có ô tới XFD1048576"), (big, "MB bộ nhớ nên đã dừng"),
                                     (huge, "quá giới hạn của một danh sách")):
                a.locator("[data-testid='stFileUploader']").nth(2).locator("input[type=file]").set_input_files(str(upload))
                t0 = time.time()
                for radius in ("2500", "3000"):  # B works while A's file is being read
                    box = b.get_by_role("spinbutton", name="Bán kính tiếp cận (m)")
                    box.fill(radius)
                    box.press("Enter")
                    b.get_by_text(f"Trẻ em trong bán kính {radius[0]}.{radius[1:]} m").first.wait_for(timeout=20_000)
                    answers.append(time.time() - t0)
                a.get_by_text(expected).first.wait_for(timeout=60_000)
                assert upload.name in a.locator("[data-testid='stAlertContentError']").first.inner_text()
                _idle(a)
            a.screenshot(path=str(ARTIFACTS / "hostile-upload-refused.png"), full_page=True)
            b.reload()
            b.get_by_text("Bảng theo xã").first.wait_for(timeout=30_000)
            assert max(answers) < 20, answers
        finally:
            browser.close()
    assert external == [], external
