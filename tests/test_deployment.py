"""The many-users deployment (deploy/serve.py): two Streamlit processes behind a real nginx with sticky
sessions. Through nginx the page and health answer, two protocol sessions (benchmarks/load.py's
client) load the Overview and change the radius, every request of a browser reaches one process,
an upload reaches the process that holds its session (in Chromium too), a dead process hands its
browsers to another, and stopping leaves nothing running.

Needs nginx (scripts/test.sh installs Debian's package) and, for the browser check, Debian's chromium.
"""
from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from deploy.serve import Deployment, _tail, sticky_block, upload_limit_mb
from test_browser import _upload

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("PLANNER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def _load_client():
    spec = importlib.util.spec_from_file_location("planner_load_benchmark", ROOT / "benchmarks" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


load = _load_client()


@pytest.fixture(scope="module")
def dep(tmp_path_factory):
    base = tmp_path_factory.mktemp("deployment")
    d = Deployment(2, workspace=base / "workspace", state_dir=base / "state")
    d.start()
    yield d
    d.stop()


def _get(url: str, cookies: dict | None = None) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()} | {
                "set-cookie": resp.headers.get_all("Set-Cookie") or []}, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {}, exc.read()


def _log_lines(dep: Deployment, client: str, *, wait_for: str = "", timeout_s: float = 10) -> list[dict]:
    """The access log's requests of one client (its user agent), once one of them matches `wait_for`
    (nginx logs a WebSocket when it closes)."""
    deadline = time.monotonic() + timeout_s
    while True:
        reqs = load.access_log_by_client(dep.access_log).get(client, [])
        if not wait_for or any(wait_for in q["request"] for q in reqs) or time.monotonic() > deadline:
            return reqs
        time.sleep(0.2)


def test_page_and_health_answer_through_nginx(dep):
    status, headers, body = _get(dep.url + "/")
    assert status == 200 and b'<div id="root">' in body
    (cookie,) = [c for c in headers["set-cookie"] if c.startswith("planner_route=")]
    route = re.match(r"planner_route=(p\d+);", cookie).group(1)
    assert route in dep.routes and "HttpOnly" in cookie and "Path=/" in cookie
    assert headers["x-frame-options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in headers["content-security-policy"]
    status, headers, body = _get(dep.url + "/_stcore/health", {"planner_route": route})
    assert (status, body) == (200, b"ok")
    assert not [c for c in headers["set-cookie"] if "planner_route" in c]  # the cookie is right: not sent again
    assert any(c.startswith("_streamlit_xsrf=") for c in headers["set-cookie"])
    for port in dep.ports:  # the app processes listen on loopback only, each answering for itself
        assert _get(f"http://127.0.0.1:{port}/_stcore/health")[0] == 200
    conf = (dep.state / "nginx.conf").read_text()
    assert int(re.search(r"client_max_body_size (\d+)m;", conf).group(1)) >= upload_limit_mb() == 200
    assert "proxy_read_timeout 86400s;" in conf and "proxy_set_header Upgrade $http_upgrade;" in conf


def test_streamlit_scripts_travel_compressed_through_nginx(dep):
    """Streamlit sends its own bundles uncompressed; nginx compresses them (a quarter of the bytes)."""
    _, _, page = _get(dep.url + "/")
    script = re.search(rb'src="(\./static/js/[^"]+\.js)"', page).group(1).decode().lstrip(".")
    req = urllib.request.Request(dep.url + script, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        packed = resp.read()
        assert resp.headers.get("Content-Encoding") == "gzip"
    import gzip

    assert len(packed) < 0.5 * len(gzip.decompress(packed))


def test_every_process_ran_the_app_before_the_deployment_said_ready(dep):
    """deploy/warm_up.py ran app.py once in each process (the first visitor then finds the package,
    its figures and the base map ready); the endpoint that does it answers on loopback only, not
    through nginx, where anyone could make the server run the app."""
    assert len(dep.warm_ups) == 2
    assert all(ok and said == "200 ok" for ok, said, _ in dep.warm_ups), dep.warm_ups
    assert _get(dep.url + "/_stcore/script-health-check")[0] == 404
    assert _get(f"http://127.0.0.1:{dep.ports[0]}/_stcore/script-health-check")[:3:2] == (200, b"ok")
    for i in range(2):  # the app's own failure handler leaves a reference in the log when a run fails
        assert "Traceback" not in _tail(dep.backend_log(i)) and "failure" not in _tail(dep.backend_log(i)).lower()


def test_every_process_has_the_same_cookie_secret(dep):
    secret_file = dep.state / "cookie_secret"
    assert secret_file.stat().st_mode & 0o777 == 0o600
    secret = secret_file.read_text().strip()
    for proc in dep.backends:
        env = dict(kv.split("=", 1) for kv in Path(f"/proc/{proc.pid}/environ").read_text().split("\0") if "=" in kv)
        assert env["STREAMLIT_SERVER_COOKIE_SECRET"] == secret
        assert env["PLANNER_WORKSPACE"] == str(dep.workspace)


def test_two_sessions_through_nginx_each_stay_on_one_process(dep):
    async def both():
        return await asyncio.gather(*(load.one_session(f"t{i}", dep.url, None, [2500 + 700 * i], timeout=180,
                                                       browser=True) for i in range(2)))

    results = asyncio.run(both())
    for res in results:
        assert res.errors == [], (res.errors, [_tail(dep.backend_log(i)) for i in range(dep.n)])
        assert res.overview_s is not None and len(res.radius_s) == 1
    assert sorted(r.route for r in results) == ["p1", "p2"]  # two new browsers: one to each process, in turn
    for res in results:
        reqs = _log_lines(dep, f"planner-load {res.name}", wait_for="/_stcore/stream")
        assert [q["request"].split()[1] for q in reqs] == ["/", "/_stcore/health", "/_stcore/stream"]
        assert {q["upstream"] for q in reqs} == {f"127.0.0.1:{dep.routes[res.route]}"}, reqs
    lines, problems = load.spread_report(results, dep.access_log, dep.routes)
    assert problems == [] and "p1 (port" in lines[0] and "p2 (port" in lines[0]


def _put_upload(url: str, session_id: str, cookies: dict, name: str, data: bytes) -> int:
    """What the browser does with a file given to st.file_uploader: a multipart PUT carrying the XSRF token."""
    boundary = "planner" + secrets.token_hex(8)
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(f"{url}/_stcore/upload_file/{session_id}/{secrets.token_hex(8)}", data=body,
                                 method="PUT", headers={
                                     "Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": url,
                                     "X-Xsrftoken": cookies["_streamlit_xsrf"],
                                     "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_an_upload_reaches_the_process_holding_its_session(dep):
    async def session_then_uploads():
        jar = {}
        await load.browser_cookies(dep.url, jar, "planner-load upload", 60)
        s = load.Session("upload", dep.url, None, 180, jar)
        await s.connect()
        try:
            run = await s.run_script()
            assert run.problems == [] and s.session_id
            data = b"ten,dan_so\nBan A,120\n"
            mine = await asyncio.to_thread(_put_upload, dep.url, s.session_id, jar, "a.csv", data)
            other = next(r for r in dep.routes if r != jar["planner_route"])
            wrong = await asyncio.to_thread(_put_upload, dep.url, s.session_id, jar | {"planner_route": other}, "a.csv",
                                            data)
            no_token = await asyncio.to_thread(_put_upload, dep.url, s.session_id, jar | {"_streamlit_xsrf": "2|0|0|0"},
                                               "a.csv", data)
            return mine, wrong, no_token
        finally:
            await s.close()

    mine, wrong, no_token = asyncio.run(session_then_uploads())
    assert mine == 204  # through nginx, to the process that holds the session
    assert wrong == 400  # the other process does not know the session: the cookie is what routes it
    assert no_token == 403  # XSRF protection still on behind the proxy


def test_upload_on_the_data_page_in_chromium(dep, tmp_path):
    """A real browser through nginx: the Data page takes a CSV (upload, then the server reads it), and
    the page, the WebSocket and the upload all reached the process its cookie names."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (scripts/test.sh does)")
    from playwright.sync_api import sync_playwright

    csv = tmp_path / "thon-ban.csv"
    csv.write_text("Tên thôn,Mã xã,Dân số,Trẻ em,Kinh độ,Vĩ độ\nBản Một,03562,120,30,103.36,22.75\n",
                   encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1200}, locale="vi-VN",
                                          user_agent="planner-test chromium")
            external = []
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(dep.url)
                          or route.request.url.startswith(("data:", "blob:", "about:"))
                          else (external.append(route.request.url), route.abort()))
            page = context.new_page()
            page.goto(f"{dep.url}/data")
            page.get_by_text("Tải tệp lên").first.wait_for(timeout=90_000)
            _upload(page, "Thôn, bản", csv)
            page.get_by_text("1 dòng").first.wait_for(timeout=90_000)  # read by the server: "thon-ban.csv — CSV, 1 dòng"
            page.screenshot(path=str(ARTIFACTS / "deployment-upload.png"), full_page=True)
            # the page may still be fetching a script for an element it just drew: closing the browser
            # then cuts that request short (nginx logs 499), which is not the server refusing anything
            page.wait_for_load_state("networkidle", timeout=30_000)
            (route,) = [c["value"] for c in context.cookies() if c["name"] == "planner_route"]
            assert external == []
        finally:
            browser.close()
    reqs = _log_lines(dep, "planner-test chromium", wait_for="/_stcore/stream")
    paths = [q["request"].split()[1] for q in reqs]
    assert any(p.startswith("/_stcore/upload_file/") for p in paths) and "/_stcore/stream" in paths
    assert {q["upstream"] for q in reqs} == {f"127.0.0.1:{dep.routes[route]}"}
    # nothing refused, except the frontend's probes for a base path under the page's own (/data/_stcore/health)
    assert [q for q in reqs if q["status"] not in {"101", "200", "204", "304"}
            and not q["request"].split()[1].startswith("/data/_stcore/")] == []


def test_a_dead_process_hands_its_browsers_to_another(dep):
    """systemd restarts a process that died; until then nginx sends its browsers to another and moves
    their cookie there (their session is lost: it lived in the dead process)."""
    victim = dep.backends[1]
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=10)
    assert "app process 2" in dep.problem()
    status, headers, _ = _get(dep.url + "/_stcore/health", {"planner_route": "p2"})
    assert status == 200
    assert [c.split(";")[0] for c in headers["set-cookie"] if "planner_route" in c] == ["planner_route=p1"]


def test_stopping_leaves_nothing_running(dep):
    pids = [p.pid for p in dep.backends] + dep.nginx_pids()
    temp = dep.temp
    dep.stop()
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower(), pid
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", dep.port)) != 0  # nginx's port is closed
    assert not temp.exists()


def test_launcher_says_what_to_do_when_it_cannot_start(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        out = subprocess.run([sys.executable, "deploy/serve.py", "--processes", "1", "--port", str(port),
                              "--state-dir", str(tmp_path / "s")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines() == [f"error: port {port} on 127.0.0.1 is taken (Address already in use): "
                                               "stop what listens there or choose another with --port"]
    out = subprocess.run([sys.executable, "deploy/serve.py", "--nginx", str(tmp_path / "no-nginx")], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines() == [f"error: nginx not found at {tmp_path / 'no-nginx'}: install it "
                                               "(sudo apt-get install nginx) or fix --nginx"]


def test_the_guide_shows_the_upstreams_the_launcher_writes():
    """docs/deployment.md's nginx block for four processes is what `--print-nginx-upstreams` prints."""
    printed = subprocess.run([sys.executable, "deploy/serve.py", "--processes", "4", "--print-nginx-upstreams"],
                             cwd=ROOT, capture_output=True, text=True, timeout=60, check=True).stdout
    assert printed.strip() == sticky_block([8501, 8502, 8503, 8504], secure=True, indent="").strip()
    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert printed.strip() in guide

