"""Many planners at once: N concurrent sessions against a local server, each loading the Overview and
then changing the reach radius. Prints errors, per-step times (median, 95th percentile), wall time
and the server's memory. Linux only (reads /proc). A script, not a test: it asserts nothing, but
exits 1 when any session had an error.

    .venv/bin/python benchmarks/load.py --sessions 20 [--rounds 2] [--ramp 0] [--same-radius]

Each session is a real WebSocket session speaking Streamlit's own protocol, the way the browser's
frontend does: it connects to /_stcore/stream (same-origin Origin header, XSRF cookie and token in
the subprotocol), sends a BackMsg rerun_script, and reads the protobuf ForwardMsgs until
script_finished; to change the radius it sends another rerun_script carrying the number input's
widget state (its id taken from the delta the server sent) and the hashes of the large messages it
already holds, so the server may answer with references, as it does for a browser. What it does not
do: fetch the page's static files over HTTP, or run the map's JavaScript in an iframe.
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
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput

ROOT = Path(__file__).resolve().parent.parent
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


def start_server(workspace: str, log_path: Path, options: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(log_path, "wb")  # noqa: SIM115 - the server writes to it until it ends
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true", *options], cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, PLANNER_WORKSPACE=workspace))
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
    steps: int = 0
    failed_steps: int = 0
    errors: list = field(default_factory=list)

    def check(self, step: str, problems: list[str]) -> None:
        self.steps += 1
        self.failed_steps += bool(problems)
        self.errors += [f"{step}: {p}" for p in problems]


class Session:
    def __init__(self, name: str, url: str, cookie: str | None, timeout: float):
        self.name, self.url, self.cookie, self.timeout = name, url, cookie, timeout
        self.ws = None
        self.cache: dict[str, ForwardMsg] = {}  # hash -> message, like the frontend's message cache
        self.page_hash = ""
        self.radius_widget: NumberInput | None = None
        self.widget_states: dict[str, tuple[str, object]] = {}  # id -> (field, value), sent on every rerun

    async def connect(self) -> None:
        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        headers = {"Cookie": f"_streamlit_xsrf={self.cookie}"} if self.cookie else {}
        protocols = ["streamlit", self.cookie] if self.cookie else ["streamlit"]
        self.ws = await asyncio.wait_for(websockets.connect(
            ws_url, subprotocols=protocols, origin=self.url, additional_headers=headers,
            max_size=None, ping_interval=None, open_timeout=self.timeout), self.timeout)

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
        elif kind == "dataframe":
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
                      gate: Gate | None = None, delay: float = 0.0) -> SessionResult:
    if delay:
        await asyncio.sleep(delay)
    res = SessionResult(name)
    s = Session(name, url, cookie, timeout)
    step = "connect"
    try:
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
               pid: int) -> tuple[list[SessionResult], float, tuple[float, float]]:
    gate = Gate(n)
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(one_session(f"s{i + 1}", url, cookie, radii_for(i, n, rounds, same), timeout, gate,
                                             delay=ramp * i / max(n - 1, 1))) for i in range(n)]
    await gate.all_arrived.wait()
    wall = time.perf_counter() - t0
    mem_connected = memory_mb(pid)
    gate.opened.set()
    return list(await asyncio.gather(*tasks)), wall, mem_connected


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    ap.add_argument("--rounds", type=int, default=1, help="radius changes per session (default 1)")
    ap.add_argument("--ramp", type=float, default=0.0,
                    help="seconds over which the sessions start, evenly spread (default 0: all at once)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds allowed per step (default 300)")
    ap.add_argument("--same-radius", action="store_true", help="every session sets the same radii")
    ap.add_argument("--no-warmup", action="store_true",
                    help="skip the single warm-up session that loads the package before the load starts")
    ap.add_argument("--no-file-watcher", action="store_true",
                    help="start the server with --server.fileWatcherType none (default: as configured)")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="planner-load-")
    workspace, log_path = os.path.join(tmp, "workspace"), Path(tmp) / "server.log"
    load1 = Path("/proc/loadavg").read_text().split()[:3]
    options = ("--server.fileWatcherType", "none") if args.no_file_watcher else ()
    proc, url = start_server(workspace, log_path, options)
    failed = False
    try:
        cookie = xsrf_cookie(url)
        rss_start, _ = memory_mb(proc.pid)
        print(f"server {url}, pid {proc.pid}, app {ROOT}, workspace {workspace}"
              f"{', file watcher off' if args.no_file_watcher else ''}; load average before start {' '.join(load1)}")
        print(f"server memory at start (idle): {rss_start:.0f} MiB")
        if not args.no_warmup:
            warm = asyncio.run(one_session("warm-up", url, cookie, [2000 + 100 * 180], args.timeout))
            rss_warm, _ = memory_mb(proc.pid)
            print(f"warm-up session (first after start): Overview {warm.overview_s or float('nan'):.2f} s, "
                  f"radius rerun {warm.radius_s[0] if warm.radius_s else float('nan'):.2f} s, "
                  f"{warm.received / 1024:.0f} KiB received; server memory now {rss_warm:.0f} MiB")
            for e in warm.errors:
                print(f"  warm-up ERROR {e}")
            failed |= bool(warm.errors)
        else:
            rss_warm = rss_start

        cpu0, busy0, me0 = cpu_seconds(proc.pid), machine_busy_seconds(), cpu_seconds()
        results, wall, (rss_conn, _) = asyncio.run(load(
            url, cookie, args.sessions, args.rounds, args.ramp, args.timeout, args.same_radius, proc.pid))
        server_cpu = cpu_seconds(proc.pid) - cpu0
        client_cpu = cpu_seconds() - me0
        others_cpu = machine_busy_seconds() - busy0 - server_cpu - client_cpu
        time.sleep(1.0)
        rss_after, hwm = memory_mb(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()

    n = args.sessions
    errors = [(r.name, e) for r in results for e in r.errors]
    overview = [r.overview_s for r in results if r.overview_s is not None]
    radius = [t for r in results for t in r.radius_s]
    log_text = log_path.read_text(errors="replace")
    log_errors = [line for line in log_text.splitlines() if re.search(r"Traceback|\bERROR\b|Exception", line)]
    pkg_mb = package_memory_mb()
    per_session = (rss_conn - rss_warm) / n

    print()
    print(f"sessions: {n} ({'all at once' if not args.ramp else f'started over {args.ramp:g} s'}), "
          f"rounds: {args.rounds}, radius: {'the same for all' if args.same_radius else 'a new one for each session and round'}")
    print(f"sessions with errors: {len({name for name, _ in errors})}; failed steps: "
          f"{sum(r.failed_steps for r in results)} of {sum(r.steps for r in results)}; errors: {len(errors)}")
    for name, e in errors:
        print(f"  {name}: {e}")
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
    print(f"CPU during the load: server {server_cpu:.1f} s, this client {client_cpu:.2f} s, other processes "
          f"{max(others_cpu, 0):.1f} s, of {wall * os.cpu_count():.1f} s available ({os.cpu_count()} cores)")
    print(f"server memory: {rss_start:.0f} MiB at start, {rss_warm:.0f} MiB after the warm-up session, "
          f"{rss_conn:.0f} MiB with all {n} sessions connected, {rss_after:.0f} MiB after they closed; "
          f"peak {hwm:.0f} MiB (VmHWM)")
    if args.no_warmup:
        print(f"memory per additional session: not measured without the warm-up (the growth includes loading "
              f"the package); the demo package alone takes {pkg_mb:.0f} MiB in a fresh process")
    else:
        print(f"memory per additional session: {per_session:.2f} MiB ((RSS with {n} connected - after warm-up) / {n}); "
              f"the demo package alone takes {pkg_mb:.0f} MiB in a fresh process")
    print(f"server log: {len(log_errors)} error lines" + (f" (see {log_path})" if log_errors else ""))
    for line in log_errors[:20]:
        print(f"  {line}")
    busy = max(others_cpu, 0) / (wall * os.cpu_count())
    print(f"table row: | {n} | {len(errors)} | {pct(overview, 50):.1f} / {pct(overview, 95):.1f} s | "
          f"{pct(radius, 50):.1f} / {pct(radius, 95):.1f} s | {wall:.0f} s | {rss_conn:.0f} MiB | {hwm:.0f} MiB | "
          f"{'—' if args.no_warmup else f'{per_session:.1f} MiB'} | {busy:.0%} |")
    failed |= bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
