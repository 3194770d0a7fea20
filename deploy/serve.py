"""Several Streamlit processes of the planner behind one nginx, with sticky sessions.

    .venv/bin/python deploy/serve.py --processes 3 --port 8080 [--workspace DIR] [--state-dir DIR]

Starts N `streamlit run app.py` on free loopback ports, all with the same settings, workspace and
cookie secret; writes nginx's configuration from deploy/nginx.conf.template into the state folder;
starts nginx from there (no root needed, /etc/nginx untouched); waits until every process answers
/_stcore/health and has run the app once (deploy/warm_up.py); prints the address; stops everything
on Ctrl-C or SIGTERM. For trying it out, tests and benchmarks/load.py. On the provincial server use systemd and the system's nginx with the
same upstreams (docs/deployment.md, section 2; `--print-nginx-upstreams` prints them).

Sticky sessions with open-source nginx: a browser without the `planner_route` cookie goes to the
next process in turn (round robin, so a burst of new users is dealt out evenly); the answer sets
the cookie to the process that served it, and every later request of that browser (the WebSocket,
uploads, media, component frames) goes to that same process. If that process is down, nginx uses
another and the cookie follows.
"""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: `python deploy/serve.py`
from deploy.warm_up import warm_up  # noqa: E402
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
NGINX_PLACES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")
COOKIE = "planner_route"
SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"


class DeployError(Exception):
    """What went wrong, in one line saying what to do."""


# --- the nginx configuration -----------------------------------------------------------------------

def route_names(n: int) -> list[str]:
    return [f"p{i + 1}" for i in range(n)]


def sticky_block(ports: list[int], *, host: str = "127.0.0.1", secure: bool = False, indent: str = "    ") -> str:
    """The http-level maps and upstreams that pin each browser to one process (the cookie names it)."""
    names = route_names(len(ports))
    attrs = "Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
    addr = [f"{host}:{p}" for p in ports]
    lines = [
        "# Sticky sessions: the planner_route cookie names the process (p1, p2, ...) that holds the",
        "# browser's session. No cookie (or an unknown one): the next process in turn.",
        f"map $cookie_{COOKIE} $planner_backend {{",
        "    default planner_any;",
        *(f"    {n} planner_{n};" for n in names),
        "}",
        "# The process that answered (the last one tried, when one was down) ...",
        "map $upstream_addr $planner_served_by {",
        '    default "";',
        *(f'    "~{re.escape(a)}$" {n};' for n, a in zip(names, addr)),
        "}",
        "# ... goes into the cookie, unless the cookie already names it.",
        f'map "$cookie_{COOKIE} $planner_served_by" $planner_route_cookie {{',
        '    default "";',
        r'    "~^(\S+) \1$" "";',
        f'    "~ (?<planner_route>p[0-9]+)$" "{COOKIE}=$planner_route; {attrs}";',
        "}",
        "upstream planner_any {",
        "    zone planner_any 64k;  # one turn shared by all nginx workers",
        *(f"    server {a};" for a in addr),
        "}",
    ]
    for n, a in zip(names, addr):
        lines += [f"upstream planner_{n} {{", f"    server {a};",
                  *(f"    server {b} backup;" for b in addr if b != a), "}"]
    return "\n".join(indent + line if line else line for line in lines)


def upload_limit_mb(config: Path = ROOT / ".streamlit" / "config.toml") -> int:
    """Streamlit's server.maxUploadSize (MB) from the app's config (Streamlit's default: 200)."""
    try:
        return int(tomllib.loads(config.read_text(encoding="utf-8")).get("server", {}).get("maxUploadSize", 200))
    except (OSError, ValueError, tomllib.TOMLDecodeError):
        return 200


def render_config(state: Path, temp: Path, listen: str, ports: list[int]) -> str:
    """nginx.conf for the processes on `ports`, listening on `listen` (host:port); logs and pid in
    `state`, request and response buffers in `temp`."""
    user = ""
    if os.geteuid() == 0:
        group = "nogroup" if _group_exists("nogroup") else "nobody"
        user = f"user nobody {group};  # nginx started as root: its workers run as nobody"
    text = TEMPLATE.read_text(encoding="utf-8")
    values = {"STATE": str(state), "TEMP": str(temp), "USER": user, "LISTEN": listen,
              "MAX_BODY_MB": str(upload_limit_mb() + 1), "STICKY": sticky_block(ports)}
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    left = re.findall(r"@@[A-Z_]+@@", text)
    if left:
        raise DeployError(f"{TEMPLATE}: nothing to put in {', '.join(sorted(set(left)))}")
    return text


def _group_exists(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


# --- the machine ------------------------------------------------------------------------------------

def find_nginx(explicit: str | None = None) -> str:
    """nginx's path: --nginx, $PLANNER_NGINX, the PATH, or the usual sbin folders (not on a user's PATH)."""
    if explicit:
        if os.access(explicit, os.X_OK) and os.path.isfile(explicit):
            return explicit
        raise DeployError(f"nginx not found at {explicit}: install it (sudo apt-get install nginx) or fix --nginx")
    for candidate in (os.environ.get("PLANNER_NGINX"), shutil.which("nginx"), *NGINX_PLACES):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise DeployError("nginx not found: install it (sudo apt-get install nginx) or name it with --nginx PATH")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def check_port_free(host: str, port: int) -> None:
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            raise DeployError(f"port {port} on {host} is taken ({exc.strerror}): stop what listens there "
                              f"or choose another with --port") from None


def cookie_secret(state: Path) -> str:
    """The cookie secret every process shares: $STREAMLIT_SERVER_COOKIE_SECRET, else the state folder's
    `cookie_secret` file (made once, mode 600). One process's signed cookies (Streamlit's sign-in
    with an identity provider) must be valid in every other."""
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV]
    path = state / "cookie_secret"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            raise DeployError(f"{path} can be read by others (mode {mode:o}): chmod 600 {path}") from None
        value = path.read_text(encoding="ascii").strip()
        if len(value) < 32:
            raise DeployError(f"{path} holds no usable secret: delete it and start again (a new one is made)")
        return value
    value = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(value + "\n")
    return value


def _die_with_parent() -> None:
    """In the child: SIGTERM when the launcher dies, even by SIGKILL (Linux prctl PR_SET_PDEATHSIG)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def _private_file(path: Path):
    return open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab")  # noqa: SIM115


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


def _end(proc: subprocess.Popen, sig: int, wait_s: float) -> None:
    """Signal the process group `proc` leads (it and what it started), then kill what is left."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=wait_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):  # anything it started that outlived it
        os.killpg(proc.pid, signal.SIGKILL)


# --- the deployment ---------------------------------------------------------------------------------

class Deployment:
    """N Streamlit processes and one nginx in front of them; a context manager (stops on exit)."""

    def __init__(self, processes: int, *, port: int = 0, host: str = "127.0.0.1", workspace: str | Path | None = None,
                 state_dir: str | Path | None = None, nginx: str | None = None, streamlit_args: tuple[str, ...] = (),
                 timeout_s: float = 120.0, script: str | Path = "app.py"):
        if processes < 1:
            raise DeployError(f"--processes {processes}: at least 1")
        self.n, self.host, self.port, self.timeout_s = processes, host, port, timeout_s
        self.workspace = Path(workspace or os.environ.get("PLANNER_WORKSPACE") or ROOT / "workspace").resolve()
        self.state = Path(state_dir).resolve() if state_dir else None
        self.own_state = state_dir is None  # a temporary folder of ours: removed by stop()
        self.nginx_bin = nginx
        self.streamlit_args = tuple(streamlit_args)
        self.script = str(script)  # another page only for benchmarks/app.py's yardsticks
        self.backends: list[subprocess.Popen] = []
        self.ports: list[int] = []
        self.nginx: subprocess.Popen | None = None
        self.temp: Path | None = None
        self.warm_ups: list[tuple[bool, str, float]] = []  # per process: (warmed, what it said, seconds)

    # what callers read
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def routes(self) -> dict[str, int]:
        """Cookie value -> the backend's port."""
        return dict(zip(route_names(self.n), self.ports))

    @property
    def access_log(self) -> Path:
        return self.state / "nginx-access.log"

    def backend_log(self, i: int) -> Path:
        return self.state / f"streamlit-{i + 1}.log"

    def nginx_pids(self) -> list[int]:
        """nginx's master and its workers."""
        if self.nginx is None:
            return []
        pids = [self.nginx.pid]
        with contextlib.suppress(OSError):
            pids += [int(p) for p in Path(f"/proc/{self.nginx.pid}/task/{self.nginx.pid}/children").read_text().split()]
        return pids

    def start(self) -> Deployment:
        nginx = find_nginx(self.nginx_bin)
        if self.port:
            check_port_free(self.host, self.port)
        else:
            self.port = free_port(self.host)
        if self.state is None:
            self.state = Path(tempfile.mkdtemp(prefix="planner-serve-"))  # private (0700)
        elif not self.state.exists():
            self.state.mkdir(parents=True, mode=0o700)
        secret = cookie_secret(self.state)
        self.workspace.mkdir(parents=True, exist_ok=True)
        try:
            # nginx buffers large requests and answers here; started by root, its workers run as nobody and
            # must reach it (nginx makes the folders inside theirs alone), so it lives apart from the state
            self.temp = Path(tempfile.mkdtemp(prefix="planner-nginx-"))
            os.chmod(self.temp, 0o711 if os.geteuid() == 0 else 0o700)
            self._start_backends(secret)
            self._start_nginx(nginx)
            self._wait_healthy()
            self._warm_up()
        except BaseException:
            self.own_state = False  # the error names its logs: keep them
            self.stop()
            raise
        return self

    def _start_backends(self, secret: str) -> None:
        env = dict(os.environ, PLANNER_WORKSPACE=str(self.workspace), **{SECRET_ENV: secret})
        for i in range(self.n):
            port = free_port()
            while port in self.ports or port == self.port:
                port = free_port()
            self.ports.append(port)
            with _private_file(self.backend_log(i)) as log:
                self.backends.append(subprocess.Popen(
                    [sys.executable, "-m", "streamlit", "run", self.script, "--server.port", str(port),
                     "--server.address", "127.0.0.1", "--server.headless", "true", *self.streamlit_args],
                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    start_new_session=True, preexec_fn=_die_with_parent))

    def _start_nginx(self, nginx: str) -> None:
        conf = self.state / "nginx.conf"
        conf.write_text(render_config(self.state, self.temp, f"{self.host}:{self.port}", self.ports), encoding="utf-8")
        for name in ("nginx-error.log", "nginx-access.log"):
            _private_file(self.state / name).close()  # nginx appends to them; they name users' addresses
        cmd = [nginx, "-p", str(self.state), "-c", str(conf), "-e", str(self.state / "nginx-error.log")]
        test = subprocess.run([*cmd, "-t", "-q"], capture_output=True, text=True, check=False)
        if test.returncode != 0:
            raise DeployError(f"nginx refused {conf}: {_last_line(test.stderr)}")
        with _private_file(self.state / "nginx-stderr.log") as log:
            self.nginx = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                          start_new_session=True, preexec_fn=_die_with_parent)

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.timeout_s
        waiting = {f"http://127.0.0.1:{p}": i for i, p in enumerate(self.ports)}
        while waiting or not _answers(self.url):
            problem = self.problem()
            if problem:
                raise DeployError(problem)
            waiting = {u: i for u, i in waiting.items() if not _answers(u)}
            if time.monotonic() > deadline:
                which = ", ".join(f"process {i + 1} (log {self.backend_log(i)})" for i in waiting.values()) or \
                    f"nginx on {self.url} (log {self.state / 'nginx-error.log'})"
                raise DeployError(f"no answer on /_stcore/health within {self.timeout_s:.0f} s from {which}")
            time.sleep(0.3)

    def _warm_up(self) -> None:
        """Every process runs the app once (deploy/warm_up.py), side by side; one that cannot is
        only slower for its first visitor, so that is said in `warm_ups`, not raised."""
        with ThreadPoolExecutor(max_workers=self.n) as pool:
            self.warm_ups = list(pool.map(lambda p: warm_up(f"http://127.0.0.1:{p}", timeout_s=self.timeout_s),
                                          self.ports))

    def problem(self) -> str | None:
        """A line saying which process has ended, or None while all run."""
        for i, proc in enumerate(self.backends):
            if proc.poll() is not None:
                return (f"app process {i + 1} (port {self.ports[i]}) ended with {proc.returncode}: "
                        f"{_last_line(_tail(self.backend_log(i)))} (log {self.backend_log(i)})")
        if self.nginx is not None and self.nginx.poll() is not None:
            err = _last_line(_tail(self.state / "nginx-error.log") + _tail(self.state / "nginx-stderr.log"))
            if "Address already in use" in err:
                return f"port {self.port} on {self.host} is taken: choose another with --port"
            return f"nginx ended with {self.nginx.returncode}: {err} (log {self.state / 'nginx-error.log'})"
        return None

    def stop(self) -> None:
        """nginx first (no new requests), then the app processes; waits until every one has gone."""
        if self.nginx is not None:
            _end(self.nginx, signal.SIGTERM, 10)
        for proc in self.backends:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.backends:
            _end(proc, signal.SIGTERM, 20)
        if self.temp is not None:
            shutil.rmtree(self.temp, ignore_errors=True)
        if self.own_state and self.state is not None:
            shutil.rmtree(self.state, ignore_errors=True)

    def __enter__(self) -> Deployment:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _tail(path: Path, n: int = 4000) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(max(0, fh.seek(0, os.SEEK_END) - n))
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "(no message)"


# --- the command --------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="Arguments after -- go to every `streamlit run`.")
    ap.add_argument("--processes", type=int, default=2, help="Streamlit processes (default 2; one per core)")
    ap.add_argument("--port", type=int, default=8080, help="nginx's port on --host (default 8080)")
    ap.add_argument("--host", default="127.0.0.1", help="address nginx listens on (default 127.0.0.1)")
    ap.add_argument("--workspace", default=None, help="shared workspace (default $PLANNER_WORKSPACE or ./workspace)")
    ap.add_argument("--state-dir", default=None,
                    help="nginx.conf, logs and the cookie secret, kept (default: a private temporary folder, "
                         "removed at the end)")
    ap.add_argument("--nginx", default=None, help="nginx binary (default: found on PATH or in /usr/sbin)")
    ap.add_argument("--print-nginx-upstreams", action="store_true",
                    help="print the sticky maps and upstreams for --processes on ports 8501, 8502, ... "
                         "(cookie marked Secure, for HTTPS) and exit; see docs/deployment.md")
    ap.add_argument("streamlit_args", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.print_nginx_upstreams:
        print(sticky_block([8501 + i for i in range(args.processes)], secure=True, indent=""))
        return 0

    stopping = []

    def on_signal(signum, _frame):
        stopping.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    dep = Deployment(args.processes, port=args.port, host=args.host, workspace=args.workspace,
                     state_dir=args.state_dir, nginx=args.nginx, streamlit_args=tuple(args.streamlit_args))
    try:
        dep.nginx_bin = find_nginx(args.nginx)
        print(f"starting {args.processes} app process{'es' if args.processes > 1 else ''} and nginx "
              "(this takes a few seconds) ...", flush=True)
        dep.start()
        ports = ", ".join(map(str, dep.ports))
        for i, (ok, said, _) in enumerate(dep.warm_ups):
            if not ok:
                print(f"warning: process {i + 1} was not warmed up ({said}): its first visitor waits longer",
                      file=sys.stderr, flush=True)
        print(f"planner on {dep.url}  ({dep.n} process{'es' if dep.n > 1 else ''} on port{'s' if dep.n > 1 else ''} "
              f"{ports}; workspace {dep.workspace}; logs and nginx.conf in {dep.state}"
              f"{', removed at the end' if dep.own_state else ''}). Ctrl-C stops.", flush=True)
        while True:
            problem = dep.problem()
            if problem:
                dep.own_state = False  # keep the logs the message names
                print(f"error: {problem}; stopping", file=sys.stderr, flush=True)
                return 1
            time.sleep(1.0)
    except DeployError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("stopping ...", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not cut the clean stop short
        dep.stop()
        signal.signal(signal.SIGINT, signal.default_int_handler)


if __name__ == "__main__":
    sys.exit(main())
