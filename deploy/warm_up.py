"""Warm a freshly started app process, so the first planner of the day does not wait for it.

    .venv/bin/python deploy/warm_up.py [the same --server.* arguments as `streamlit run`]

The first session after a start pays for the imports, reading the data package, its figures and
the Overview's base map (about 3 s here); every later session reuses them (issue 17). This waits
until the server answers /_stcore/health, then asks /_stcore/script-health-check once: Streamlit
(with `--server.scriptHealthCheckEnabled true`) runs app.py there in a session of its own, with
no browser, which fills the same process-wide caches as a planner's first visit. scripts/run.sh
runs this beside `streamlit run`; deploy/serve.py does it for every process before it says ready.
Streamlit calls that endpoint experimental: if it is missing, this says so and the server simply
starts cold, as before. nginx does not pass the endpoint through (deploy/nginx.conf.template).
"""
from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request

HEALTH = "/_stcore/health"
SCRIPT_CHECK = "/_stcore/script-health-check"
ENABLE = ("--server.scriptHealthCheckEnabled", "true")


def _get(url: str, timeout_s: float) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as resp:
            return resp.status, resp.read(200).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(200).decode("utf-8", "replace")


def wait_healthy(base_url: str, *, timeout_s: float = 120.0) -> bool:
    """True once `base_url` answers its health check, False after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if _get(base_url + HEALTH, 2.0)[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def warm_up(base_url: str, *, timeout_s: float = 120.0) -> tuple[bool, str, float]:
    """Run the app's script once in the server at `base_url` (already healthy): (ran without an
    error, what the server said, seconds it took)."""
    t0 = time.monotonic()
    try:
        status, text = _get(base_url + SCRIPT_CHECK, timeout_s)
    except OSError as exc:
        return False, f"no answer: {exc}", time.monotonic() - t0
    if status == 404:
        return False, "the server has no script check (start it with --server.scriptHealthCheckEnabled true)", \
            time.monotonic() - t0
    return status == 200, f"{status} {text.strip()}", time.monotonic() - t0


def base_url(streamlit_args: list[str]) -> str:
    """The address `streamlit run` with these arguments listens on, seen from this machine."""
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--server.port", dest="port", type=int, default=8501)
    ap.add_argument("--server.address", dest="address", default="127.0.0.1")
    ap.add_argument("--server.baseUrlPath", dest="path", default="")
    known, _ = ap.parse_known_args([a for arg in streamlit_args for a in arg.split("=", 1)])
    host = "127.0.0.1" if known.address in ("", "0.0.0.0", "::", "localhost") else known.address
    path = "/" + known.path.strip("/") if known.path.strip("/") else ""
    return f"http://{host}:{known.port}{path}"


def main(argv: list[str] | None = None) -> int:
    url = base_url(sys.argv[1:] if argv is None else argv)
    if not wait_healthy(url):
        print(f"warm-up: no answer from {url} within 120 s; not warmed", file=sys.stderr, flush=True)
        return 1
    ok, said, seconds = warm_up(url)
    print(f"warm-up: {'the app is ready' if ok else 'not warmed'} ({said}, {seconds:.1f} s)", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
