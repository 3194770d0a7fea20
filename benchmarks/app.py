"""The app as a planner meets it, in headless Chromium, beside a bare Streamlit page with the same map
assets (benchmarks/bare_app.py). Linux only (reads /proc); needs Debian's chromium. A benchmark,
not a test: it asserts nothing, and exits 1 only when a page (or a radius change) failed to load.

    .venv/bin/python benchmarks/app.py [--rounds 3] [--no-slow] [--no-apptest]

1. First painted map, ours vs bare, cold (first session after the server starts) and warm (a later
   session), as interleaved rounds: start a server, cold session, warm session, stop; then the
   other server; the order alternates from round to round. "Painted" = the map's Leaflet features
   are in the component iframe's DOM at an animation frame (ours: the commune polygons; bare: its
   five features), timed in the page from navigation start.
2. Bytes for the Overview: WebSocket frames' payloads (as delivered to the page, after any
   permessage-deflate; the handshake is checked for it), and HTTP responses (body bytes after
   decoding, and bytes on the wire), by resource type; the static map files apart.
3. Radius changes on the warm page of each round: WebSocket bytes until the rerun has finished,
   time until the reach card shows a new figure and until every reach circle in the map has new
   geometry, and whether the commune polygons' DOM elements were kept.
4. Slow link (once per server): Chromium's network emulation through CDP, 2 Mbit/s both ways and
   100 ms latency; time to usable (cards shown and map painted), cold HTTP cache (a new browser
   context) and warm (a second page in the same context); the server is warmed up first.
5. The server's memory (/proc) and the server's script time of reruns through AppTest.
"""
from __future__ import annotations

import argparse
import base64
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = os.environ.get("PLANNER_CHROMIUM", "/usr/bin/chromium")
from load import memory_mb, start_server  # noqa: E402  (the same /proc and server helpers as the load benchmark)

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 1200}
IFRAME = "iframe[title='streamlit_folium.st_folium']"
BARE_FEATURES = 5  # benchmarks/bare_app.py: three polygons, two circles
RADII = ((3500, "2000 -> 3500 m (new radius)"), (2000, "3500 -> 2000 m (seen before)"),
         (2700, "2000 -> 2700 m (new radius)"))
SLOW = {"offline": False, "latency": 100, "downloadThroughput": 2e6 / 8, "uploadThroughput": 2e6 / 8}
TIMEOUT_MS = 180_000
KiB = 1024


# --- servers -------------------------------------------------------------------------------------

def start_streamlit(script: Path, log_path: Path, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """`streamlit run script` as load.start_server starts the app (from the repository's root)."""
    return start_server((env or {}).get("PLANNER_WORKSPACE"), log_path, script=script)


@dataclass
class Server:
    name: str  # "ours", "bare" or "same" (the bare map on a page of the Overview's kinds of elements)
    proc: subprocess.Popen | None
    url: str
    deployment: object = None  # deploy.serve.Deployment when behind nginx
    warm_up_s: float | None = None  # deploy/warm_up.py's run of the script, when asked for

    def stop(self) -> None:
        if self.deployment is not None:
            self.deployment.stop()
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


BARE_SCRIPTS = {"bare": "bare_app.py", "same": "bare_same_app.py"}
SERVERS = ("ours", "bare", "same")


def script_of(name: str, tmp: Path) -> Path:
    """Our app.py, or a copy of a yardstick in a folder whose `static` is the repository's (Streamlit
    serves `static/` beside the main script; the working directory stays the repository's root)."""
    if name == "ours":
        return ROOT / "app.py"
    folder = tmp / "bare"
    if not folder.exists():
        folder.mkdir()
        (folder / "static").symlink_to(ROOT / "static", target_is_directory=True)
    for each in BARE_SCRIPTS.values():  # bare_same_app.py imports bare_app.py's map
        if not (folder / each).exists():
            shutil.copy2(ROOT / "benchmarks" / each, folder / each)
    return folder / BARE_SCRIPTS[name]


def start(name: str, tmp: Path, n: int, *, warm: bool = False, nginx: bool = False) -> Server:
    """A server for `name`, started as scripts/run.sh starts ours; `warm`: then deploy/warm_up.py
    runs its script once before we go on (as run.sh and deploy/serve.py do); `nginx`: one process
    behind deploy/serve.py's nginx (gzip for scripts and styles), warmed up by it."""
    from deploy.serve import Deployment
    from deploy.warm_up import warm_up

    script, workspace = script_of(name, tmp), tmp / f"workspace-{name}-{n}"
    if nginx:
        dep = Deployment(1, workspace=workspace, state_dir=tmp / f"nginx-{name}-{n}", script=script).start()
        return Server(name, None, dep.url, dep, dep.warm_ups[0][2] if dep.warm_ups and dep.warm_ups[0][0] else None)
    proc, url = start_streamlit(script, tmp / f"{name}-{n}{'-warmed' if warm else ''}.log",
                                {"PLANNER_WORKSPACE": str(workspace)} if name == "ours" else None)
    server = Server(name, proc, url)
    if warm:
        ok, said, seconds = warm_up(url)
        if not ok:
            server.stop()
            raise SystemExit(f"warm-up of {name} failed: {said}")
        server.warm_up_s = seconds
    return server


# --- what one page received ------------------------------------------------------------------------

@dataclass
class Frame:
    ts: float  # CDP monotonic seconds
    size: int  # payload bytes as the page gets them
    kind: str
    finished: bool = False


@dataclass
class Response:
    url: str
    type: str = "Other"
    status: int = 0
    body: int = 0  # decoded body bytes
    wire: int = 0  # bytes on the wire (headers and encoded body)
    cached: bool = False
    ts: float = 0.0
    end: float = 0.0


class Net:
    """A page's traffic seen through its own CDP session (the map's iframe is same-origin: the same target)."""

    def __init__(self, context, page, throttle: dict | None = None):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._fm = ForwardMsg
        self.frames: list[Frame] = []
        self.sent: list[float] = []  # CDP timestamps of the frames the page sent
        self.http: dict[str, Response] = {}
        self.ws_extensions: str | None = None
        self.ws_handshake_s: float | None = None
        self._ws_created: float | None = None
        self.cdp = cdp = context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", self._request)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.requestServedFromCache", lambda p: self._get(p["requestId"]).__setattr__("cached", True))
        cdp.on("Network.webSocketWillSendHandshakeRequest", lambda p: setattr(self, "_ws_created", p["timestamp"]))
        cdp.on("Network.webSocketHandshakeResponseReceived", self._handshake)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.webSocketFrameSent", lambda p: self.sent.append(p["timestamp"]))
        cdp.send("Network.enable")
        if throttle:
            cdp.send("Network.emulateNetworkConditions", throttle)

    def _get(self, rid: str) -> Response:
        return self.http.setdefault(rid, Response(url=""))

    def _request(self, p: dict) -> None:
        r = self._get(p["requestId"])
        r.url, r.type, r.ts = p["request"]["url"], p.get("type", r.type), p["timestamp"]

    def _response(self, p: dict) -> None:
        r = self._get(p["requestId"])
        r.type, r.status = p.get("type", r.type), p["response"]["status"]
        r.url = r.url or p["response"]["url"]
        r.cached = r.cached or bool(p["response"].get("fromDiskCache") or p["response"].get("fromPrefetchCache"))

    def _data(self, p: dict) -> None:
        self._get(p["requestId"]).body += p["dataLength"]

    def _finished(self, p: dict) -> None:
        r = self._get(p["requestId"])
        r.wire, r.end = int(p["encodedDataLength"]), p["timestamp"]

    def _handshake(self, p: dict) -> None:
        headers = {k.lower(): v for k, v in p["response"].get("headers", {}).items()}
        self.ws_extensions = headers.get("sec-websocket-extensions", "")
        if self._ws_created is not None:
            self.ws_handshake_s = p["timestamp"] - self._ws_created

    def _frame(self, p: dict) -> None:
        resp = p["response"]
        if resp["opcode"] != 2:  # Streamlit speaks binary protobuf; count anything else too
            self.frames.append(Frame(p["timestamp"], len(resp["payloadData"].encode()), f"opcode {resp['opcode']}"))
            return
        data = base64.b64decode(resp["payloadData"])
        kind, finished = "unparsed", False
        try:
            msg = self._fm.FromString(data)
            kind = msg.WhichOneof("type") or "empty"
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                kind = el.WhichOneof("type") or "element"
                if kind == "component_instance":
                    kind = "map component" if "folium" in el.component_instance.component_name else "component"
            elif kind == "script_finished":
                finished = msg.script_finished in (self._fm.FINISHED_SUCCESSFULLY,)
        except Exception:  # noqa: BLE001 - a frame we cannot parse is still counted
            pass
        self.frames.append(Frame(p["timestamp"], len(data), kind, finished))

    def reply_s(self, sent_from: int = 0) -> float | None:
        """From the page's first WebSocket frame sent (at index `sent_from` on) to the first frame received after it."""
        if len(self.sent) <= sent_from:
            return None
        t = self.sent[sent_from]
        return next((f.ts - t for f in self.frames if f.ts >= t), None)

    def ws_bytes(self, start: int = 0, end: int | None = None) -> int:
        return sum(f.size for f in self.frames[start:end])

    def by_kind(self, start: int = 0) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.frames[start:]:
            out[f.kind] = out.get(f.kind, 0) + f.size
        return out

    def http_by_type(self) -> dict[str, tuple[int, int, int]]:
        """type -> (responses, body bytes, wire bytes); the map's static files as their own type."""
        out: dict[str, tuple[int, int, int]] = {}
        for r in self.http.values():
            if not r.url or r.url.startswith("data:") or r.type == "WebSocket":
                continue
            kind = "static map files (/app/static/)" if "/app/static/" in r.url else r.type
            n, b, w = out.get(kind, (0, 0, 0))
            out[kind] = (n + 1, b + r.body, w + r.wire)
        return out


def settle(page, net: Net, quiet_s: float = 0.6, cap_s: float = 15.0) -> None:
    """Until no WebSocket frame has arrived for `quiet_s` (at most `cap_s`)."""
    deadline = time.monotonic() + cap_s
    seen, since = len(net.frames), time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        if len(net.frames) != seen:
            seen, since = len(net.frames), time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return


# --- timing in the page ---------------------------------------------------------------------------

# Runs in every frame of the page from its start; the top frame checks itself and the map's iframe
# (same-origin) at every animation frame, and notes when cards and map are there, in ms from
# navigation start.
_LOAD_WATCH = """(cfg => {
  if (window.top !== window) return;
  const b = window.__bench = {};
  const tick = () => {
    const now = performance.now();
    if (b.map === undefined) {
      const f = document.querySelector(cfg.iframe), d = f && f.contentDocument;
      if (d && d.querySelectorAll(cfg.painted).length >= cfg.n) b.map = now;
    }
    if (b.cards === undefined && (!cfg.cards || document.querySelectorAll('[data-testid="stMetricValue"]').length >= cfg.cards)) b.cards = now;
    if (b.map !== undefined && b.cards !== undefined) { b.done = true; return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})(%s)"""

# Before a radius change: remember the reach circles' geometry and the reach card, tag the commune
# polygons; from the Enter key on, note the frame where the card shows another figure and the frame
# where every reach circle has another geometry; then count the tagged polygons still in the map.
_CHANGE_WATCH = """cfg => {
  const doc = () => { const f = document.querySelector(cfg.iframe); return f && f.contentDocument; };
  const circles = () => { const d = doc(); return d ? Array.from(d.querySelectorAll(cfg.circles), p => p.getAttribute('d')) : []; };
  const card = () => { const v = document.querySelectorAll('[data-testid="stMetricValue"]')[4]; return v ? v.innerText : null; };
  const old = new Set(circles()), before = card();
  const communes = doc().querySelectorAll(cfg.communes);
  communes.forEach(p => { p.__benchTag = true; });
  const s = window.__change = {circlesBefore: old.size, communesBefore: communes.length, cardBefore: before};
  const onKey = e => { if (e.key === 'Enter' && s.t0 === undefined) s.t0 = performance.now(); };
  window.addEventListener('keydown', onKey, true);
  const tick = () => {
    const now = performance.now();
    if (s.t0 !== undefined) {
      if (s.card === undefined) { const c = card(); if (c !== null && c !== before) { s.card = now - s.t0; s.cardAfter = c; } }
      if (s.circles === undefined) { const c = circles(); if (!old.size || (c.length && c.every(d => !old.has(d)))) { s.circles = old.size ? now - s.t0 : null; s.circlesAfter = c.length; } }
    }
    if (s.card !== undefined && s.circles !== undefined) {
      const d = doc(), now_ = d ? Array.from(d.querySelectorAll(cfg.communes)) : [];
      s.communesAfter = now_.length; s.communesKept = now_.filter(p => p.__benchTag).length;
      s.done = true; window.removeEventListener('keydown', onKey, true); return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  return [old.size, communes.length, before];
}"""


@dataclass
class Load:
    server: str
    label: str
    map_s: float | None = None
    cards_s: float | None = None
    ws: int = 0
    ws_kinds: dict = field(default_factory=dict)
    runs: int = 0
    http: dict = field(default_factory=dict)
    ws_extensions: str | None = None
    ws_handshake_s: float | None = None
    ws_reply_s: float | None = None  # the page's first WebSocket frame sent -> the first frame received
    link: str = ""  # how the responses came: for checking what the emulation covers
    scripts: dict = field(default_factory=dict)  # script path -> body bytes
    error: str | None = None

    @property
    def usable_s(self) -> float | None:
        return None if self.map_s is None else max(self.map_s, self.cards_s or 0.0)


@dataclass
class Change:
    label: str
    ws: int | None = None
    ws_total: int | None = None
    runs: int = 0
    card_s: float | None = None
    circles_s: float | None = None
    reply_s: float | None = None  # the BackMsg sent -> the first frame received
    finish_s: float | None = None  # the BackMsg sent -> the frame saying the run has finished
    card: str = ""
    communes: str = ""
    error: str | None = None


def watch_config(server: str, communes_sel: str, n_communes: int) -> dict:
    if server == "ours":
        return {"iframe": IFRAME, "painted": communes_sel, "n": n_communes, "cards": 5}
    return {"iframe": IFRAME, "painted": "path.leaflet-interactive", "n": BARE_FEATURES,
            "cards": 5 if server == "same" else 0}


def link_check(net: Net) -> str:
    """The fastest response (> 20 KB) and the quickest small one, for the page and for the map's iframe
    (its document under /component/, Leaflet under /app/static/): under emulation neither should beat
    the link."""
    def stats(rs):
        big = [r.wire / (r.end - r.ts) for r in rs if r.wire > 20_000 and r.end > r.ts]
        small = [r.end - r.ts for r in rs if r.end > r.ts and not r.cached]
        return (f"{len(rs)} responses, fastest large one at {max(big) / KiB:.0f} KiB/s" if big else f"{len(rs)} responses") + \
               (f", quickest {min(small) * 1000:.0f} ms" if small else "")
    done = [r for r in net.http.values() if r.url.startswith("http") and r.end and r.type != "WebSocket"]
    frame = [r for r in done if "/component/" in r.url or "/app/static/" in r.url]
    page = [r for r in done if r not in frame]
    return f"page: {stats(page)}; map iframe: {stats(frame)}"


def gzip_sizes(net: Net) -> dict[str, tuple[int, int, int, int]]:
    """http_by_type with a fourth figure: the bodies gzipped (level 6, as nginx's `gzip on` or a CDN
    would send them), fetched again from the server; what came compressed already counts as it came."""
    out: dict[str, tuple[int, int, int, int]] = {}
    for r in net.http.values():
        if not r.url or r.url.startswith("data:") or r.type == "WebSocket":
            continue
        kind = "static map files (/app/static/)" if "/app/static/" in r.url else r.type
        packed = r.wire
        if r.wire >= r.body * 0.9 and r.body > 1024:  # sent as it is: what would gzip make of it?
            try:
                with urllib.request.urlopen(r.url, timeout=10) as resp:
                    packed = min(r.wire, len(gzip.compress(resp.read(), compresslevel=6)) + (r.wire - r.body))
            except OSError:
                pass
        n, b, w, z = out.get(kind, (0, 0, 0, 0))
        out[kind] = (n + 1, b + r.body, w + r.wire, z + packed)
    return out


def load_page(context, url: str, label: str, server: str, cfg: dict, throttle: dict | None = None,
              gzip_estimate: bool = False):
    """Open `url` in a new page of `context`; time cards and map from navigation start; wait for the
    WebSocket to go quiet; count what came. Returns (Load, page, net)."""
    page = context.new_page()
    net = Net(context, page, throttle)
    page.add_init_script(_LOAD_WATCH % json.dumps(cfg))
    res = Load(server, label)
    try:
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_function("() => window.__bench && window.__bench.done", timeout=TIMEOUT_MS)
        b = page.evaluate("() => window.__bench")
        res.map_s, res.cards_s = b["map"] / 1000, b["cards"] / 1000 if cfg["cards"] else None
        settle(page, net)
    except Exception as exc:  # noqa: BLE001 - reported, and the run exits 1 at the end
        res.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    res.ws, res.ws_kinds = net.ws_bytes(), net.by_kind()
    res.runs = sum(f.finished for f in net.frames)
    res.http = net.http_by_type()
    res.ws_extensions, res.ws_handshake_s = net.ws_extensions, net.ws_handshake_s
    res.ws_reply_s = net.reply_s()
    res.link = link_check(net)
    res.scripts = {r.url.split("/", 3)[-1]: r.body for r in net.http.values() if r.type == "Script" and r.body}
    if gzip_estimate and res.error is None:
        res.http = gzip_sizes(net)
    return res, page, net


def radius_box(page):
    """The sidebar's radius input, by its label (the app's own text), else the first number input."""
    try:
        from planner.i18n import t

        box = page.locator(f'[data-testid="stNumberInputField"][aria-label="{t("app.radius", "vi")}"]')
        if box.count() == 1:
            return box
    except Exception:  # noqa: BLE001
        pass
    return page.get_by_test_id("stNumberInputField").first


def change_radius(page, net: Net, radius: int, label: str, cfg: dict) -> Change:
    res = Change(label)
    try:
        settle(page, net, quiet_s=0.4)
        box = radius_box(page)
        page.evaluate(_CHANGE_WATCH, cfg)
        mark, sent = len(net.frames), len(net.sent)
        box.fill(str(radius))
        box.press("Enter")
        page.wait_for_function("() => window.__change && window.__change.done", timeout=60_000)
        s = page.evaluate("() => window.__change")
        deadline = time.monotonic() + 30
        while not any(f.finished for f in net.frames[mark:]) and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        settle(page, net, quiet_s=0.6)
        end = next((i for i in range(mark, len(net.frames)) if net.frames[i].finished), None)
        res.ws = net.ws_bytes(mark, end + 1) if end is not None else None
        res.ws_total = net.ws_bytes(mark)
        res.runs = sum(f.finished for f in net.frames[mark:])
        res.reply_s = net.reply_s(sent)
        if end is not None and len(net.sent) > sent:
            res.finish_s = net.frames[end].ts - net.sent[sent]
        res.card_s = s["card"] / 1000
        res.circles_s = s["circles"] / 1000 if s.get("circles") is not None else None
        res.card = f"{s['cardBefore']} -> {s.get('cardAfter')}"
        res.communes = f"{s['communesKept']}/{s['communesBefore']} kept ({s['communesAfter']} after)"
    except Exception as exc:  # noqa: BLE001
        res.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    return res


# --- server side ------------------------------------------------------------------------------------

def server_rerun_ms() -> list[tuple[str, float]]:
    """Server-side script time of reruns, through AppTest (the same script the server runs)."""
    import logging

    from streamlit.testing.v1 import AppTest

    # AppTest's own calls outside a run warn "missing ScriptRunContext": not news
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda rec: "missing ScriptRunContext" not in rec.getMessage())
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    t0 = time.perf_counter()
    at.run()
    out = [("first run (loads and caches the package)", (time.perf_counter() - t0) * 1000)]
    for radius, label in ((3000, "radius 2000 -> 3000 m (new radius)"), (2000, "radius 3000 -> 2000 m (cached)"),
                          (3000, "radius 2000 -> 3000 m (cached)")):
        box = next(n for n in at.number_input if str(n.key).endswith("radius_m"))  # the key carries the plan's revision
        t0 = time.perf_counter()
        box.set_value(radius).run()
        out.append((label, (time.perf_counter() - t0) * 1000))
    return out


# --- report -------------------------------------------------------------------------------------------

def med(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt_s(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f} s"


def fmt_ms(v: float | None) -> str:
    return "—" if v is None else f"{v * 1000:.0f} ms"


def fmt_kib(v: float | None) -> str:
    return "—" if v is None else f"{v / KiB:.0f} KiB"


def spread(values, fmt) -> str:
    values = [v for v in values if v is not None]
    return " ".join(fmt(v) for v in values) if values else "—"


def ws_rate(ch: Change) -> str:
    return f"{ch.ws / KiB / ch.finish_s:.0f} KiB/s" if ch.ws and ch.finish_s else "—"


def print_load(res: Load) -> None:
    if res.error:
        print(f"  {res.server:4} {res.label:5}  FAILED: {res.error}")
        return
    print(f"  {res.server:4} {res.label:5}  map painted {fmt_s(res.map_s)}, cards {fmt_s(res.cards_s)}; WebSocket "
          f"{res.ws / KiB:4.0f} KiB in {res.runs} run(s), first reply after {fmt_ms(res.ws_reply_s)}; HTTP "
          f"{sum(v[1] for v in res.http.values()) / KiB:5.0f} KiB bodies")


def print_http(title: str, http: dict) -> None:
    print(f"  {title}")
    print(f"    {'resource type':34} {'responses':>9} {'bodies':>11} {'on the wire':>12} {'if gzipped':>11}")
    rows = sorted(http.items(), key=lambda kv: -kv[1][1])
    total = tuple(sum(v[i] for _, v in rows) for i in range(len(rows[0][1]))) if rows else (0, 0, 0)
    for kind, v in [*rows, ("total", total)]:
        z = f"{v[3] / KiB:7.0f} KiB" if len(v) > 3 else ""
        print(f"    {kind:34} {v[0]:9} {v[1] / KiB:7.0f} KiB {v[2] / KiB:8.0f} KiB {z:>11}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds of ours and bare (default 3)")
    ap.add_argument("--no-slow", action="store_true", help="skip the slow-link runs")
    ap.add_argument("--no-apptest", action="store_true", help="skip the AppTest rerun timings")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    from planner.io import publish_map_assets, read_package
    from planner.maps import COLOURS, COMMUNES_PANE

    publish_map_assets(ROOT / "static")  # the bare page needs it before our app ever ran
    n_communes = len(read_package().communes)
    communes_sel = f".leaflet-{COMMUNES_PANE}-pane path.leaflet-interactive"
    change_cfg = {"iframe": IFRAME, "communes": communes_sel, "circles": f'path[stroke="{COLOURS["reach"]}"]'}
    tmp = Path(tempfile.mkdtemp(prefix="planner-bench-app-"))
    loads: list[Load] = []
    changes: list[Change] = []
    memory: dict[str, list[tuple[float, float, float]]] = {k: [] for k in SERVERS}
    warm_ups: dict[str, list[float | None]] = {k: [] for k in SERVERS}
    slow: list[Load] = []
    slow_changes: list[Change] = []
    failed = False
    print(f"Chromium {CHROMIUM}; {os.cpu_count()} cores; {args.rounds} rounds; logs in {tmp}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        print(f"browser {browser.version}")
        for n in range(args.rounds):
            order = SERVERS if n % 2 == 0 else SERVERS[::-1]
            print(f"round {n + 1}")
            for name in order:
                cfg = watch_config(name, communes_sel, n_communes)
                # a server nobody has used: its first session pays for the imports and the data
                server = start(name, tmp, n)
                try:
                    rss0, _ = memory_mb(server.proc.pid)
                    for label in ("cold", "warm"):
                        context = browser.new_context(viewport=VIEWPORT)
                        res, page, net = load_page(context, server.url, label, name, cfg,
                                                   gzip_estimate=label == "cold" and n == args.rounds - 1)
                        loads.append(res)
                        print_load(res)
                        failed |= res.error is not None
                        if name == "ours" and label == "warm" and res.error is None:
                            for radius, what in RADII:
                                ch = change_radius(page, net, radius, what, change_cfg)
                                changes.append(ch)
                                failed |= ch.error is not None
                                if ch.error:
                                    print(f"    radius {what}: FAILED {ch.error}")
                                else:
                                    print(f"    radius {what}: WebSocket {fmt_kib(ch.ws)} until the run finished "
                                          f"after {fmt_ms(ch.finish_s)} ({ws_rate(ch)}; {fmt_kib(ch.ws_total)} in {ch.runs} "
                                          f"run(s) in all), first reply {fmt_ms(ch.reply_s)}; card {fmt_ms(ch.card_s)} "
                                          f"({ch.card}), circles {fmt_ms(ch.circles_s)}; communes {ch.communes}")
                        context.close()
                    rss, hwm = memory_mb(server.proc.pid)
                    memory[name].append((rss0, rss, hwm))
                finally:
                    server.stop()
                # started as scripts/run.sh starts ours: deploy/warm_up.py has run the script once
                server = start(name, tmp, n, warm=True)
                try:
                    warm_ups[name].append(server.warm_up_s)
                    context = browser.new_context(viewport=VIEWPORT)
                    res = load_page(context, server.url, "warmed", name, cfg)[0]
                    loads.append(res)
                    print_load(res)
                    print(f"         (warm-up before it: {fmt_s(server.warm_up_s)})")
                    failed |= res.error is not None
                    context.close()
                finally:
                    server.stop()

        if not args.no_slow:
            print(f"slow link: {SLOW['downloadThroughput'] * 8 / 1e6:.0f} Mbit/s down, "
                  f"{SLOW['uploadThroughput'] * 8 / 1e6:.0f} Mbit/s up, {SLOW['latency']:.0f} ms latency (CDP); "
                  "servers warmed up; direct (Streamlit alone) and through deploy/serve.py's nginx (gzip, HTTP/1.1)")
            for via in ("direct", "nginx"):
                for name in SERVERS:
                    server = start(name, tmp, 99, warm=True, nginx=via == "nginx")
                    try:
                        cfg = watch_config(name, communes_sel, n_communes)
                        context = browser.new_context(viewport=VIEWPORT)
                        for label in ("cold cache", "warm cache"):
                            res, page, net = load_page(context, server.url, f"{label}, {via}", name, cfg, throttle=SLOW)
                            slow.append(res)
                            failed |= res.error is not None
                            if res.error:
                                print(f"  {name} {label} {via}: FAILED {res.error}")
                            else:
                                wire = sum(v[2] for v in res.http.values())
                                cached = sum(1 for r in net.http.values() if r.cached)
                                print(f"  {name:4} {label:10} {via:6}  usable {fmt_s(res.usable_s)} (cards {fmt_s(res.cards_s)}, "
                                      f"map {fmt_s(res.map_s)}); HTTP {wire / KiB:.0f} KiB on the wire in "
                                      f"{sum(v[0] for v in res.http.values())} responses ({cached} from cache); WebSocket "
                                      f"{res.ws / KiB:.0f} KiB, handshake {fmt_ms(res.ws_handshake_s)}, first reply after "
                                      f"{fmt_ms(res.ws_reply_s)}")
                                print(f"    {res.link}")
                                if name == "ours" and label == "warm cache" and via == "direct":
                                    ch = change_radius(page, net, RADII[0][0], RADII[0][1], change_cfg)
                                    ch.label = "slow link: " + ch.label
                                    slow_changes.append(ch)
                                    failed |= ch.error is not None
                                    print(f"    radius {ch.label}: " + (f"FAILED {ch.error}" if ch.error else
                                          f"WebSocket {fmt_kib(ch.ws)} in {fmt_ms(ch.finish_s)} from the change sent to the "
                                          f"run finished ({ws_rate(ch)}), first reply after {fmt_ms(ch.reply_s)}, "
                                          f"card {fmt_ms(ch.card_s)}, circles {fmt_ms(ch.circles_s)}"))
                            page.close()
                        context.close()
                    finally:
                        server.stop()
        browser.close()

    # ---- summary
    print("\n== bytes for the page ==")
    for name in SERVERS:
        ok = [r for r in loads if r.server == name and r.error is None]
        if not ok:
            continue
        ext = ok[0].ws_extensions
        print(f"{name}: WebSocket {fmt_kib(med([r.ws for r in ok]))} (median; payloads as the page gets them; "
              f"permessage-deflate {'negotiated: ' + ext if ext else 'not negotiated, so these bytes travel as they are, plus 2-10 bytes of framing a frame'}); "
              f"script runs per load: {sorted({r.runs for r in ok})}")
        kinds = ok[-1].ws_kinds
        print("  by message: " + ", ".join(f"{k} {v / KiB:.1f} KiB" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])[:6]))
        cold = next((r for r in reversed(ok) if r.label == "cold"), ok[-1])
        print_http(f"{name}: HTTP, the last round's cold session (a new browser context: empty HTTP cache)", cold.http)

    doc_kib, reruns = None, []
    try:
        from planner.maps import overview_map
        from planner.summary import summarize

        pkg = read_package()
        doc_kib = len(overview_map(pkg, summarize(pkg, radius_m=2000)).get_root().render().encode()) / KiB
        print(f"\nOverview map document (folium HTML: data, styles, script, in one piece): {doc_kib:.0f} KiB")
    except Exception as exc:  # noqa: BLE001 - informative only
        print(f"\nOverview map document: not measured ({type(exc).__name__}: {exc})")
    if not args.no_apptest:
        reruns = server_rerun_ms()
        for label, ms in reruns:
            print(f"server script time (AppTest), {label}: {ms:.0f} ms")

    scripts = {k: next((r.scripts for r in loads if r.server == k and r.error is None and r.scripts), {}) for k in SERVERS}
    for other in ("bare", "same"):
        extra = sorted(((b, u) for u, b in scripts["ours"].items() if u not in scripts[other]), reverse=True)
        if scripts[other]:
            print(f"scripts the Overview loads and {other} does not: {len(extra)}, {sum(b for b, _ in extra) / KiB:.0f} KiB"
                  + ("; largest: " + ", ".join(f"{u} {b / KiB:.0f} KiB" for b, u in extra[:4]) if extra else ""))

    def pick(server, label, attr, rows=loads):
        return [getattr(r, attr) for r in rows if r.server == server and r.label == label and r.error is None]

    def row(figure, values, fmt, aim=""):
        """values: ours, bare, same; the ratios to both yardsticks."""
        o, b, m = values
        ratio = " / ".join(f"{o / y:.2f}×" if o is not None and y else "—" for y in (b, m))
        print(f"| {figure} | {fmt(o)} | {fmt(b) if b is not None else ''} | {fmt(m) if m is not None else ''} | {ratio} | {aim} |")

    n_ok = {k: len(pick(k, "cold", "map_s")) for k in SERVERS}
    print(f"\n== summary (medians; rounds {n_ok}; each run in brackets, ours | bare | same) ==")
    print("| figure | ours | bare | same elements | ours / bare / same | aim |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, what in (("cold", "first session after the server starts, not warmed up"),
                        ("warmed", "first session after the server started and warmed itself up"),
                        ("warm", "a later session")):
        runs = [pick(k, label, "map_s") for k in SERVERS]
        row(f"first painted map, {what} ({' | '.join(spread(v, lambda x: f'{x:.2f}') for v in runs)})",
            [med(v) for v in runs], fmt_s, "≤ 1.2×")
    for label in ("cold", "warmed", "warm"):
        row(f"cards shown, {label}", [med(pick(k, label, "cards_s")) for k in ("ours", "bare", "same")], fmt_s)
    row("warm-up run of the script (deploy/warm_up.py)", [med(warm_ups[k]) for k in SERVERS], fmt_s)
    row("received over the WebSocket for the Overview",
        [med([r.ws for r in loads if r.server == k and r.error is None]) for k in SERVERS], fmt_kib, "≤ 300 KiB")
    http = {k: next((r.http for r in reversed(loads) if r.server == k and r.label == "cold" and r.error is None), {})
            for k in SERVERS}
    tot = {k: [sum(v[i] for v in h.values()) for i in range(1, 4)] if h else [None] * 3 for k, h in http.items()}
    row("HTTP bodies, empty cache", [tot[k][0] for k in SERVERS], fmt_kib)
    row("HTTP on the wire, empty cache", [tot[k][1] for k in SERVERS], fmt_kib)
    row("HTTP if gzipped, empty cache", [tot[k][2] for k in SERVERS], fmt_kib)
    smap = {k: http[k].get("static map files (/app/static/)") for k in http}
    row("  static map files (/app/static/), on the wire", [smap[k][2] if smap[k] else None for k in SERVERS], fmt_kib)
    for _, what in RADII:
        cs = [c for c in changes if c.label == what and c.error is None]
        if cs:
            row(f"radius {what}: WebSocket until the run finished", [med([c.ws for c in cs]), None, None], fmt_kib, "≤ 60 KiB")
            row(f"radius {what}: reach card updated", [med([c.card_s for c in cs]), None, None], fmt_ms, "≤ 0.3 s")
            row(f"radius {what}: reach circles updated", [med([c.circles_s for c in cs]), None, None], fmt_ms, "≤ 0.3 s")
            print(f"| radius {what}: commune polygons' elements | {cs[-1].communes} | | | | |")
    for label in ("cold cache, direct", "warm cache, direct", "cold cache, nginx", "warm cache, nginx"):
        vals = [med(pick(k, label, "usable_s", slow)) for k in SERVERS]
        if any(v is not None for v in vals):
            row(f"slow link (2 Mbit/s, 100 ms), usable, {label}", vals, fmt_s, "≤ 5 s")
            wire = [next((sum(v[2] for v in r.http.values()) for r in slow if r.server == k and r.label == label
                          and r.error is None), None) for k in SERVERS]
            row(f"  HTTP on the wire, {label}", wire, fmt_kib)
    for ch in slow_changes:
        if ch.error is None:
            row(f"{ch.label}: WebSocket / card / circles updated", [ch.card_s, None, None],
                lambda v, ch=ch: "" if v is None else f"{fmt_kib(ch.ws)} / {fmt_ms(v)} / {fmt_ms(ch.circles_s)}")
    for name, vals in memory.items():
        if vals:
            row(f"server memory ({name}): idle after start / after the sessions / peak (VmHWM)", [med([v[0] for v in vals]), None, None],
                lambda v, vals=vals: "" if v is None else f"{v:.0f} / {med([x[1] for x in vals]):.0f} / {med([x[2] for x in vals]):.0f} MiB")

    if doc_kib is not None:
        print(f"| Overview map document (folium HTML in one piece) | {doc_kib:.0f} KiB | | | | |")
    for label, ms in reruns:
        print(f"| server script time (AppTest), {label} | {ms:.0f} ms | | | | |")
    if failed:
        print("\nsomething failed to load (see FAILED above)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
