"""Many planners at once: N concurrent sessions against a local server, each loading the Overview and
then changing the reach radius. Prints errors, per-step times (median, 95th percentile), wall time
and the server's memory. Linux only (reads /proc). A script, not a test: it asserts nothing, but
exits 1 when any session had an error.

    .venv/bin/python benchmarks/load.py --sessions 20 [--rounds 2] [--ramp 0] [--same-radius]
    .venv/bin/python benchmarks/load.py --sessions 20 --processes 2     # N processes behind nginx
    .venv/bin/python benchmarks/load.py --sessions 20 --url http://127.0.0.1:8080   # a running deployment

Each session is a real WebSocket session speaking Streamlit's own protocol, the way the browser's
frontend does: it connects to /_stcore/stream (same-origin Origin header, XSRF cookie and token in
the subprotocol), sends a BackMsg rerun_script, and reads the protobuf ForwardMsgs until
script_finished; to change the radius it sends another rerun_script carrying the number input's
widget state (its id taken from the delta the server sent) and the hashes of the large messages it
already holds, so the server may answer with references, as it does for a browser. What it does not
do: fetch the page's static files over HTTP, or run the map's JavaScript in an iframe.

Like a browser, each session first asks for the page (GET /) and /_stcore/health and keeps the
cookies it is given: the XSRF cookie, and behind nginx (deploy/serve.py) the sticky `planner_route`
cookie, which it sends with the WebSocket handshake so the session lands on the process that
served its page. With --processes N the script starts that deployment itself (N Streamlit processes
behind nginx), warms every process with a session of its own, and reports how the sessions spread
over the processes and the memory of all of them together.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput

ROOT = Path(__file__).resolve().parent.parent
ROUTE_COOKIE = "planner_route"  # deploy/serve.py's sticky cookie
XSRF_COOKIE = "_streamlit_xsrf"
RADIUS_KEY = "radius_m"
FINISHED_OK = {ForwardMsg.FINISHED_SUCCESSFULLY}
WAIT_AGAIN = {ForwardMsg.FINISHED_EARLY_FOR_RERUN, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


# --- the server and /proc -------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MiB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def cpu_seconds(pid: int | str = "self") -> float:
    """User + system CPU time of a process (children not included)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    parts = stat[stat.rindex(")") + 2:].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU-seconds all cores spent busy (not idle, not iowait) since boot."""
    vals = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(vals[:8]) - vals[3] - vals[4]) / os.sysconf("SC_CLK_TCK")


def start_server(workspace: str | None, log_path: Path, options: tuple[str, ...] = (), *,
                 script: str | Path = "app.py") -> tuple[subprocess.Popen, str]:
    """`streamlit run script` from the repository's root (so its .streamlit/config.toml applies) on a
    free port, with `workspace` as PLANNER_WORKSPACE; returns once /_stcore/health answers."""
    port = free_port()
    log = open(log_path, "wb")  # noqa: SIM115 - the server writes to it until it ends
    env = dict(os.environ, **({"PLANNER_WORKSPACE": workspace} if workspace else {}))
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true", *options], cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}; log: {log_path}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as resp:
                if resp.status == 200:
                    return proc, url
        except OSError:
            if time.monotonic() > deadline:
                proc.terminate()
                raise SystemExit(f"the server did not answer /_stcore/health within 120 s; log: {log_path}")
            time.sleep(0.2)


def xsrf_cookie(url: str) -> str | None:
    """The XSRF cookie the server hands out (the browser sends it back, and its value as a token)."""
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as resp:
        for header in resp.headers.get_all("Set-Cookie") or []:
            m = re.match(r"_streamlit_xsrf=([^;]+)", header)
            if m:
                return m.group(1)
    return None


async def http_get(url: str, path: str, cookies: dict[str, str], user_agent: str, timeout: float) -> int:
    """GET url+path as a browser would (sending `cookies`, keeping what Set-Cookie gives); the status."""
    u = urlsplit(url)
    if u.scheme != "http":
        raise SessionError(f"only http:// addresses are supported, not {url}")
    reader, writer = await asyncio.wait_for(asyncio.open_connection(u.hostname, u.port or 80), timeout)
    try:
        head = [f"GET {u.path.rstrip('/')}{path} HTTP/1.1", f"Host: {u.netloc}", f"User-Agent: {user_agent}",
                "Accept: */*", "Connection: close"]
        if cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)  # the server closes after the answer
    finally:
        writer.close()
    lines = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        raise SessionError(f"GET {path}: no HTTP answer ({lines[0][:80]!r})") from None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "set-cookie":
            key, _, rest = value.strip().partition("=")
            cookies[key.strip()] = rest.split(";", 1)[0].strip()
    return status


async def browser_cookies(url: str, cookies: dict[str, str], user_agent: str, timeout: float) -> dict[str, str]:
    """What a browser does before it opens the WebSocket: the page, then /_stcore/health (which sets
    the XSRF cookie); behind nginx the first answer also sets the sticky route cookie."""
    for path in ("/", "/_stcore/health"):
        status = await http_get(url, path, cookies, user_agent, timeout)
        if status != 200:
            raise SessionError(f"GET {path} answered {status}")
    return cookies


def package_memory_mb() -> float:
    """What loading the demo package adds to a fresh Python process (modules imported first)."""
    code = ("import gc, sys; sys.path.insert(0, sys.argv[1]); from planner.io import read_package, DEMO_DIR; "
            "from pathlib import Path; "
            "rss = lambda: int([l for l in Path('/proc/self/status').read_text().splitlines() "
            "if l.startswith('VmRSS')][0].split()[1]); "
            "gc.collect(); a = rss(); pkg = read_package(DEMO_DIR); gc.collect(); print((rss() - a) / 1024)")
    out = subprocess.run([sys.executable, "-c", code, str(ROOT)], check=False, capture_output=True, text=True, cwd=ROOT)
    try:
        return float(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return float("nan")


# --- one session speaking Streamlit's protocol ------------------------------------------------------

class SessionError(Exception):
    pass


@dataclass
class Run:
    """What one script run delivered."""
    seconds: float
    first_s: float | None = None  # until the first message of the run arrived
    received: int = 0
    messages: int = 0
    refs: int = 0  # answered by reference to a message this client already holds
    metrics: list = field(default_factory=list)  # (label, body)
    maps: int = 0
    dataframes: int = 0
    problems: list = field(default_factory=list)


@dataclass
class SessionResult:
    name: str
    overview_s: float | None = None
    radius_s: list = field(default_factory=list)
    overview_first_s: float | None = None
    overview_kib: float | None = None
    radius_kib: list = field(default_factory=list)
    radius_refs: int = 0
    received: int = 0
    page_s: float | None = None  # GET / and /_stcore/health, before the WebSocket
    route: str | None = None  # the sticky cookie behind nginx: which process served the session
    steps: int = 0
    failed_steps: int = 0
    errors: list = field(default_factory=list)

    def check(self, step: str, problems: list[str]) -> None:
        self.steps += 1
        self.failed_steps += bool(problems)
        self.errors += [f"{step}: {p}" for p in problems]


class Session:
    def __init__(self, name: str, url: str, cookie: str | None, timeout: float, cookies: dict[str, str] | None = None):
        """`cookie`: the XSRF cookie alone; or `cookies`: every cookie the browser holds (XSRF and route)."""
        self.name, self.url, self.timeout = name, url, timeout
        self.cookies = dict(cookies) if cookies else ({XSRF_COOKIE: cookie} if cookie else {})
        self.cookie = self.cookies.get(XSRF_COOKIE)
        self.user_agent = f"planner-load {name}"
        self.session_id = ""  # Streamlit's id of this session (uploads name it)
        self.ws = None
        self.cache: dict[str, ForwardMsg] = {}  # hash -> message, like the frontend's message cache
        self.page_hash = ""
        self.radius_widget: NumberInput | None = None
        self.widget_states: dict[str, tuple[str, object]] = {}  # id -> (field, value), sent on every rerun

    async def connect(self) -> None:
        ws_url = self.url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        protocols = ["streamlit", self.cookie] if self.cookie else ["streamlit"]
        u = urlsplit(self.url)
        self.ws = await asyncio.wait_for(websockets.connect(
            ws_url, subprotocols=protocols, origin=f"{u.scheme}://{u.netloc}", additional_headers=headers,
            user_agent_header=self.user_agent, proxy=None, max_size=None, ping_interval=None,
            open_timeout=self.timeout), self.timeout)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def run_script(self) -> Run:
        """Ask for a rerun with the current widget states; read until the run has finished."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = ""
        cs.page_script_hash = self.page_hash
        cs.context_info.timezone = "Asia/Ho_Chi_Minh"
        cs.context_info.timezone_offset = -420
        cs.context_info.locale = "vi-VN"
        cs.context_info.url = self.url + "/"
        for wid, (kind, value) in self.widget_states.items():
            w = cs.widget_states.widgets.add()
            w.id = wid
            setattr(w, kind, value)
        cs.cached_message_hashes.extend(self.cache)
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = Run(0.0)
        deadline = t0 + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise SessionError(f"timeout: no script_finished within {self.timeout:.0f} s")
            try:
                data = await asyncio.wait_for(self.ws.recv(), left)
            except TimeoutError:
                raise SessionError(f"timeout: no script_finished within {self.timeout:.0f} s") from None
            run.received += len(data)
            run.messages += 1
            if run.first_s is None:
                run.first_s = time.perf_counter() - t0
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if kind == "ref_hash":
                if fm.ref_hash not in self.cache:
                    run.problems.append(f"server referred to message {fm.ref_hash}, which this client never got")
                    continue
                run.refs += 1
                fm = self.cache[fm.ref_hash]
                kind = fm.WhichOneof("type")
            elif fm.metadata.cacheable and fm.hash:
                self.cache[fm.hash] = fm
            if kind == "script_finished":
                if fm.script_finished in WAIT_AGAIN:
                    continue
                if fm.script_finished not in FINISHED_OK:
                    run.problems.append(f"script finished with {ForwardMsg.ScriptFinishedStatus.Name(fm.script_finished)}")
                run.seconds = time.perf_counter() - t0
                return run
            if kind == "new_session":
                self.session_id = fm.new_session.initialize.session_id
            if kind == "navigation" and fm.navigation.page_script_hash:
                self.page_hash = fm.navigation.page_script_hash
            elif kind == "page_not_found":
                run.problems.append("page not found")
            elif kind == "session_event" and fm.session_event.HasField("script_compilation_exception"):
                run.problems.append("script compilation exception: " + fm.session_event.script_compilation_exception.message)
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                self._element(fm.delta.new_element, run)

    def _element(self, el, run: Run) -> None:
        kind = el.WhichOneof("type")
        if kind == "exception":
            run.problems.append(f"exception element: {el.exception.type}: {el.exception.message[:200]}")
        elif kind == "alert" and el.alert.format == Alert.ERROR:
            run.problems.append(f"error message shown: {el.alert.body[:200]}")
        elif kind == "metric":
            run.metrics.append((el.metric.label, el.metric.body))
        elif kind == "component_instance" and "folium" in el.component_instance.component_name:
            run.maps += 1
        elif kind == "html" and 'class="planner-table"' in el.html.body:  # ui.tables.html_table
            run.dataframes += 1
        elif kind == "number_input":
            ni = el.number_input
            if ni.id.endswith(RADIUS_KEY):
                self.radius_widget = ni
            value = ni.value if ni.set_value and ni.HasField("value") else ni.default
            self._widget(ni.id, ni.set_value, ("int_value", int(value)) if ni.data_type == NumberInput.INT
                         else ("double_value", float(value)))
        elif kind == "radio" and el.radio.options:
            r = el.radio
            self._widget(r.id, r.set_value, ("string_value", r.raw_value if r.set_value else r.options[r.default]))
        elif kind == "checkbox":
            c = el.checkbox
            self._widget(c.id, c.set_value, ("bool_value", c.value if c.set_value else c.default))

    def _widget(self, wid: str, forced: bool, state: tuple[str, object]) -> None:
        """Remember a widget's value as the frontend does: its default when first shown, the server's
        value when the server sets it; every rerun then sends them all (as the browser does)."""
        if forced or wid not in self.widget_states:
            self.widget_states[wid] = state

    def check_overview(self, run: Run, radius: int) -> list[str]:
        """The Overview's five cards, the map and the commune table arrived; the reach card is for `radius`."""
        problems = list(run.problems)
        if len(run.metrics) != 5:
            problems.append(f"{len(run.metrics)} metric cards, expected 5")
        if run.maps != 1:
            problems.append(f"{run.maps} maps, expected 1")
        if run.dataframes != 1:
            problems.append(f"{run.dataframes} commune tables, expected 1")
        if run.metrics and re.sub(r"\D", "", run.metrics[-1][0]) != str(radius):
            problems.append(f"reach card says {run.metrics[-1][0]!r}, expected radius {radius} m")
        return problems

    def set_radius(self, radius: int) -> None:
        if self.radius_widget is None:
            raise SessionError(f"no number input with key {RADIUS_KEY} in the page")
        ni = self.radius_widget
        self.widget_states[ni.id] = ("int_value", int(radius)) if ni.data_type == NumberInput.INT \
            else ("double_value", float(radius))


class Gate:
    """Sessions report here when their steps are done (or failed), then stay connected until `opened`."""

    def __init__(self, n: int):
        self.n, self.arrived = n, 0
        self.all_arrived, self.opened = asyncio.Event(), asyncio.Event()

    def arrive(self) -> None:
        self.arrived += 1
        if self.arrived == self.n:
            self.all_arrived.set()


async def one_session(name: str, url: str, cookie: str | None, radii: list[int], timeout: float,
                      gate: Gate | None = None, delay: float = 0.0, *, browser: bool = False,
                      route: str | None = None) -> SessionResult:
    """Overview, then one rerun per radius. `browser`: first fetch the page and the cookies as a browser
    does (`cookie` unused), with the route cookie set to `route` beforehand if given (a chosen process)."""
    if delay:
        await asyncio.sleep(delay)
    res = SessionResult(name)
    s = Session(name, url, cookie, timeout)
    step = "page"
    try:
        if browser:
            jar = {ROUTE_COOKIE: route} if route else {}
            t0 = time.perf_counter()
            s = Session(name, url, None, timeout, await browser_cookies(url, jar, s.user_agent, timeout))
            res.page_s, res.route = time.perf_counter() - t0, jar.get(ROUTE_COOKIE)
        step = "connect"
        t0 = time.perf_counter()
        await s.connect()
        step = "Overview"
        run = await s.run_script()
        res.overview_s = time.perf_counter() - t0  # connect + first script run
        res.received += run.received
        res.overview_kib = run.received / 1024
        res.overview_first_s = run.first_s
        res.check(step, s.check_overview(run, 2000))
        for radius in radii:
            step = f"radius -> {radius} m"
            s.set_radius(radius)
            run = await s.run_script()
            res.radius_s.append(run.seconds)
            res.radius_kib.append(run.received / 1024)
            res.radius_refs += run.refs
            res.received += run.received
            res.check(step, s.check_overview(run, radius))
        if gate is not None:
            gate.arrive()
            opened, gate = gate.opened, None
            await opened.wait()  # stay connected while the server's memory is read
    except (SessionError, TimeoutError) as exc:
        res.check(step, [str(exc) or "timeout"])
    except (OSError, websockets.WebSocketException) as exc:
        res.check(step, [f"connection failed: {type(exc).__name__}: {exc}"])
    except Exception as exc:  # noqa: BLE001 - anything else is this session's error, counted, not a crash
        res.check(step, [f"{type(exc).__name__}: {exc}"])
    finally:
        if gate is not None:
            gate.arrive()
        with contextlib.suppress(Exception):  # closing a broken connection
            await s.close()
    return res


# --- the run --------------------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def radii_for(i: int, n: int, rounds: int, same: bool) -> list[int]:
    """Radii a session sets in turn: by default every session and round its own (a new summary each
    time, the worst case for the shared cache); with --same-radius all sessions the same ones."""
    if same:
        return [2000 + 500 * (r + 1) for r in range(rounds)]
    return [2000 + 100 * (1 + (r * n + i) % 179) for r in range(rounds)]


async def load(url: str, cookie: str | None, n: int, rounds: int, ramp: float, timeout: float, same: bool,
               pids: list[int], *, browser: bool = False) -> tuple[list[SessionResult], float, tuple]:
    gate = Gate(n)
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(one_session(f"s{i + 1}", url, cookie, radii_for(i, n, rounds, same), timeout, gate,
                                             delay=ramp * i / max(n - 1, 1), browser=browser)) for i in range(n)]
    await gate.all_arrived.wait()
    wall = time.perf_counter() - t0
    mem_connected = memory_of(pids)
    gate.opened.set()
    return list(await asyncio.gather(*tasks)), wall, mem_connected


def memory_of(pids: list[int]) -> tuple[float, float, list[float]]:
    """(VmRSS summed, VmHWM summed, each VmRSS) of the server processes, MiB; NaN without any."""
    if not pids:
        return float("nan"), float("nan"), []
    each = [memory_mb(p) for p in pids]
    return sum(r for r, _ in each), sum(h for _, h in each), [r for r, _ in each]


def cpu_of(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            total += cpu_seconds(pid)
    return total


WARM_RADIUS = 2000 + 100 * 180  # a radius no load session sets


def warm_up(url: str, timeout: float, routes: list[str] | None) -> list[SessionResult]:
    """Warm every process (the first session after a start loads and caches the package). With the
    processes known (`routes`): one session pinned to each by its route cookie. Through an address
    only: sessions one after another until one lands on a process already warmed (nginx sends a
    browser without a cookie to the next process in turn) or no route cookie comes back (a single
    process, no nginx)."""
    if routes:
        return [asyncio.run(one_session(f"warm-up-{r}", url, None, [WARM_RADIUS], timeout, browser=True, route=r))
                for r in routes]
    out, seen = [], set()
    for k in range(16):
        w = asyncio.run(one_session(f"warm-up-{k + 1}", url, None, [WARM_RADIUS], timeout, browser=True))
        out.append(w)
        if w.route is None or w.route in seen or w.errors:
            break
        seen.add(w.route)
    return out


ACCESS_LINE = re.compile(r'"(?P<request>[^"]*)" (?P<status>\d+) \d+ upstream=(?P<upstream>\S*) route=(?P<route>.*?) '
                         r'rt=\S+ ua="(?P<ua>[^"]*)"')


def access_log_by_client(path: Path) -> dict[str, list[dict]]:
    """deploy/serve.py's nginx access log, grouped by user agent (this script names each session
    there: `planner-load s7`): each request's line, status, upstream (the process) and route cookie."""
    out: dict[str, list[dict]] = {}
    for line in path.read_text(errors="replace").splitlines():
        m = ACCESS_LINE.search(line)
        if m:
            out.setdefault(m["ua"], []).append(m.groupdict())
    return out


def spread_report(results: list[SessionResult], access_log: Path | None, routes: dict[str, int]) -> tuple[list[str], list[str]]:
    """Lines on how the sessions spread over the processes, and problems: a session whose requests
    did not all reach one process, or whose WebSocket went elsewhere than its cookie says."""
    lines, problems = [], []
    by_route = Counter(r.route or "-" for r in results)
    lines.append("sessions per process, by the route cookie each was given: " + ", ".join(
        f"{r}{f' (port {routes[r]})' if r in routes else ''}: {k}" for r, k in sorted(by_route.items())))
    if access_log is None or not access_log.exists():
        return lines, problems
    clients = access_log_by_client(access_log)
    ws = Counter()
    for r in results:
        reqs = clients.get(f"planner-load {r.name}", [])
        ups = {q["upstream"] for q in reqs}
        streams = [q for q in reqs if "/_stcore/stream" in q["request"]]
        ws.update(q["upstream"] for q in streams)
        if not reqs:
            problems.append(f"{r.name}: no request in nginx's access log")
        elif len(ups) != 1:
            problems.append(f"{r.name}: requests went to {len(ups)} processes: {sorted(ups)}")
        elif r.route in routes and ups != {f"127.0.0.1:{routes[r.route]}"}:
            problems.append(f"{r.name}: cookie {r.route} (port {routes[r.route]}) but served by {ups.pop()}")
    lines.append("nginx access log: WebSocket sessions per process " + ", ".join(
        f"{u}: {k}" for u, k in sorted(ws.items())) + f"; sessions whose every request reached one process: "
        f"{len(results) - len(problems)} of {len(results)}")
    return lines, problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    ap.add_argument("--rounds", type=int, default=1, help="radius changes per session (default 1)")
    ap.add_argument("--ramp", type=float, default=0.0,
                    help="seconds over which the sessions start, evenly spread (default 0: all at once)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds allowed per step (default 300)")
    ap.add_argument("--same-radius", action="store_true", help="every session sets the same radii")
    ap.add_argument("--no-warmup", action="store_true",
                    help="skip the warm-up session(s) that load the package before the load starts")
    ap.add_argument("--no-file-watcher", action="store_true",
                    help="start the server with --server.fileWatcherType none (default: as configured)")
    ap.add_argument("--processes", type=int, default=0,
                    help="start N Streamlit processes behind nginx (deploy/serve.py) and drive them through nginx "
                         "(default: one process, no nginx)")
    ap.add_argument("--url", default=None,
                    help="drive a deployment already running at URL (http://); nothing is started, its memory "
                         "and CPU are not measured")
    args = ap.parse_args()
    if args.url and args.processes:
        ap.error("--url and --processes exclude each other")

    tmp = tempfile.mkdtemp(prefix="planner-load-")
    workspace, log_path = os.path.join(tmp, "workspace"), Path(tmp) / "server.log"
    load1 = Path("/proc/loadavg").read_text().split()[:3]
    options = ("--server.fileWatcherType", "none") if args.no_file_watcher else ()
    proc = dep = None
    logs: list[Path] = []
    if args.url:
        url, pids = args.url.rstrip("/"), []
        where = f"deployment at {url} (not started here)"
    elif args.processes:
        sys.path.insert(0, str(ROOT))
        from deploy.serve import Deployment, DeployError

        dep = Deployment(args.processes, workspace=workspace, state_dir=Path(tmp) / "deploy", streamlit_args=options)
        try:
            dep.start()
        except DeployError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        url, pids = dep.url, [p.pid for p in dep.backends]
        logs = [dep.backend_log(i) for i in range(dep.n)] + [dep.state / "nginx-error.log"]
        where = (f"nginx {url} (pid {dep.nginx.pid}) in front of {dep.n} Streamlit processes "
                 f"(ports {', '.join(map(str, dep.ports))}; pids {', '.join(map(str, pids))}), logs in {dep.state}")
    else:
        proc, url = start_server(workspace, log_path, options)
        pids, logs = [proc.pid], [log_path]
        where = f"server {url}, pid {proc.pid}"
    failed = False
    try:
        cookie = None  # every session fetches the page and its own cookies first, as a browser does
        rss_start, _, each_start = memory_of(pids)
        print(f"{where}, app {ROOT}, workspace {workspace if not args.url else '(theirs)'}"
              f"{', file watcher off' if args.no_file_watcher else ''}; load average before start {' '.join(load1)}")
        print(f"server memory at start (idle): {_mib(rss_start, each_start)}")
        rss_warm = rss_start
        if not args.no_warmup:
            warm = warm_up(url, args.timeout, list(dep.routes) if dep else None)
            rss_warm, _, each_warm = memory_of(pids)
            for w in warm:
                print(f"{w.name} (first session on {'its process' if w.route else 'the server'}"
                      f"{f' {w.route}' if w.route else ''}): Overview {w.overview_s or float('nan'):.2f} s, "
                      f"radius rerun {w.radius_s[0] if w.radius_s else float('nan'):.2f} s, "
                      f"{w.received / 1024:.0f} KiB received")
                for e in w.errors:
                    print(f"  warm-up ERROR {e}")
                failed |= bool(w.errors)
            print(f"server memory after the warm-up: {_mib(rss_warm, each_warm)}")

        nginx_pids = dep.nginx_pids() if dep else []
        cpu0, nginx0, busy0, me0 = cpu_of(pids), cpu_of(nginx_pids), machine_busy_seconds(), cpu_seconds()
        results, wall, (rss_conn, _, each_conn) = asyncio.run(load(
            url, cookie, args.sessions, args.rounds, args.ramp, args.timeout, args.same_radius, pids, browser=True))
        server_cpu, nginx_cpu = cpu_of(pids) - cpu0, cpu_of(nginx_pids) - nginx0
        client_cpu = cpu_seconds() - me0
        others_cpu = machine_busy_seconds() - busy0 - server_cpu - nginx_cpu - client_cpu
        time.sleep(1.0)  # the sessions have closed: nginx has logged their WebSockets
        rss_after, hwm, _ = memory_of(pids)
        nginx_rss = memory_of(nginx_pids)[0]
    finally:
        if dep is not None:
            dep.stop()
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()

    n = args.sessions
    errors = [(r.name, e) for r in results for e in r.errors]
    overview = [r.overview_s for r in results if r.overview_s is not None]
    radius = [t for r in results for t in r.radius_s]
    log_errors = [f"{p.name}: {line}" for p in logs for line in p.read_text(errors="replace").splitlines()
                  if re.search(r"Traceback|\bERROR\b|Exception|\[(error|crit|alert|emerg)\]", line)]
    pkg_mb = package_memory_mb()
    per_session = (rss_conn - rss_warm) / n

    print()
    print(f"sessions: {n} ({'all at once' if not args.ramp else f'started over {args.ramp:g} s'}), "
          f"rounds: {args.rounds}, radius: {'the same for all' if args.same_radius else 'a new one for each session and round'}")
    if any(r.route for r in results):
        spread, spread_problems = spread_report(results, dep.access_log if dep else None, dep.routes if dep else {})
        for line in spread:
            print(line)
        errors += [("stickiness", p) for p in spread_problems]
    print(f"sessions with errors: {len({name for name, _ in errors})}; failed steps: "
          f"{sum(r.failed_steps for r in results)} of {sum(r.steps for r in results)}; errors: {len(errors)}")
    for name, e in errors:
        print(f"  {name}: {e}")
    page = [r.page_s for r in results if r.page_s is not None]
    if page:
        print(f"page and cookies first (GET / and /_stcore/health, not in the Overview time): "
              f"p50 {pct(page, 50):.2f} s, p95 {pct(page, 95):.2f} s")
    print(f"Overview load (connect + script run until script_finished): n={len(overview)}, "
          f"p50 {pct(overview, 50):.2f} s, p95 {pct(overview, 95):.2f} s, max {max(overview, default=float('nan')):.2f} s")
    first = [r.overview_first_s for r in results if r.overview_first_s is not None]
    print(f"  of which until the run's first message arrived: p50 {pct(first, 50):.2f} s, p95 {pct(first, 95):.2f} s")
    print(f"radius rerun (send until script_finished): n={len(radius)}, p50 {pct(radius, 50):.2f} s, "
          f"p95 {pct(radius, 95):.2f} s, max {max(radius, default=float('nan')):.2f} s")
    kib_o = [r.overview_kib for r in results if r.overview_kib is not None]
    kib_r = [k for r in results for k in r.radius_kib]
    print(f"received per step (median): Overview {pct(kib_o, 50):.0f} KiB, radius rerun {pct(kib_r, 50):.0f} KiB "
          f"({sum(r.radius_refs for r in results)} messages answered by reference to one the client held)")
    print(f"total wall time (all sessions, all steps): {wall:.1f} s; received {sum(r.received for r in results) / 2**20:.1f} MiB")
    cores = os.cpu_count()
    if pids:
        print(f"CPU during the load: server{'s' if len(pids) > 1 else ''} {server_cpu:.1f} s"
              f"{f', nginx {nginx_cpu:.2f} s' if dep else ''}, this client {client_cpu:.2f} s, other processes "
              f"{max(others_cpu, 0):.1f} s, of {wall * cores:.1f} s available ({cores} cores)")
        print(f"server memory{f' (sum of {len(pids)} processes)' if len(pids) > 1 else ''}: {rss_start:.0f} MiB at start, "
              f"{rss_warm:.0f} MiB after the warm-up, {_mib(rss_conn, each_conn)} with all {n} sessions connected, "
              f"{rss_after:.0f} MiB after they closed; peak {hwm:.0f} MiB (VmHWM{', summed' if len(pids) > 1 else ''})"
              + (f"; nginx {nginx_rss:.0f} MiB" if dep else ""))
        if args.no_warmup:
            print(f"memory per additional session: not measured without the warm-up (the growth includes loading "
                  f"the package); the demo package alone takes {pkg_mb:.0f} MiB in a fresh process")
        else:
            print(f"memory per additional session: {per_session:.2f} MiB ((RSS with {n} connected - after warm-up) / {n}); "
                  f"the demo package alone takes {pkg_mb:.0f} MiB in a fresh process")
    else:
        print(f"CPU during the load: this client {client_cpu:.2f} s, all other processes {max(others_cpu, 0):.1f} s "
              f"of {wall * cores:.1f} s available ({cores} cores); server memory not measured (--url)")
    if logs:
        print(f"server log: {len(log_errors)} error lines" + (f" (see {logs[0].parent})" if log_errors else ""))
    for line in log_errors[:20]:
        print(f"  {line}")
    busy = max(others_cpu, 0) / (wall * cores)
    setup = f"{args.processes} + nginx" if args.processes else ("URL" if args.url else "1")
    print(f"table row: | {setup} | {n} | {len(errors)} | {pct(overview, 50):.1f} / {pct(overview, 95):.1f} s | "
          f"{pct(radius, 50):.1f} / {pct(radius, 95):.1f} s | {wall:.0f} s | {rss_conn:.0f} MiB | {hwm:.0f} MiB | "
          f"{'—' if args.no_warmup or not pids else f'{per_session:.1f} MiB'} | {busy:.0%} |")
    failed |= bool(errors)
    return 1 if failed else 0


def _mib(total: float, each: list[float]) -> str:
    if len(each) > 1:
        return f"{total:.0f} MiB ({' + '.join(f'{m:.0f}' for m in each)})"
    return "not measured (--url)" if total != total else f"{total:.0f} MiB"


if __name__ == "__main__":
    sys.exit(main())
