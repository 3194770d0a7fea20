"""Untrusted files are parsed in a separate process with operating-system limits.

The app's server is one process that every session shares: a file that crashes GDAL, loops in a
parser or eats memory must not take it, or the other sessions, down. So every reading of a user's
bytes (`inspect_upload`, `prepare_import`) runs here, in a fresh Python process started for the
call, with
- address space (`RLIMIT_AS`), CPU time (`RLIMIT_CPU`) and the size of any file it writes
  (`RLIMIT_FSIZE`) capped by the kernel, and the wall time capped by the parent, which kills it;
- no network: planner's own settings switch GDAL's and PROJ's network access off, and where the
  kernel lets an unprivileged process have a network namespace of its own, the worker gets an
  empty one (no interface but loopback, which is down);
- one thread for the numeric libraries and two malloc arenas, so the memory cap measures the file.
A crash, a limit or a hang ends the worker; the caller gets an `UploadError` naming the file and
the limit, and nothing else is touched. The CLI uses the same worker and limits.

The request and the answer travel as pickles between this package's own code in both processes:
the parent never unpickles anything a user wrote, only what the worker built from it.
"""
from __future__ import annotations

import copyreg
import os
import pickle
import signal
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from types import MappingProxyType

from planner.errors import PlannerError
from planner.importing.files import UploadError

ROOT = Path(__file__).resolve().parent.parent.parent


def _proxy(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


copyreg.pickle(MappingProxyType, lambda m: (_proxy, (dict(m),)))  # the import's read-only mappings travel as dicts


@dataclass(frozen=True)
class Limits:
    memory_mb: int = int(os.environ.get("PLANNER_WORKER_MEMORY_MB", 2048))
    cpu_s: int = int(os.environ.get("PLANNER_WORKER_CPU_S", 120))
    wall_s: float = float(os.environ.get("PLANNER_WORKER_WALL_S", 180))
    file_mb: int = int(os.environ.get("PLANNER_WORKER_FILE_MB", 1024))


LIMITS = Limits()
CALLS = {"inspect_upload": "planner.importing", "prepare_import": "planner.importing", "guess_kind": "planner.importing",
         "scenario_from_gpkg": "planner.scenario_file:from_gpkg",
         "read_dem": "planner.terrain", "read_network": "planner.network",
         "read_record_list": "planner.record_import:read_record_list"}  # the calls that read a user's bytes


def _label(args: tuple, kwargs: dict) -> str:
    """The file(s) a call reads, for the message when the worker fails."""
    if args and isinstance(args[0], str):
        return args[0]
    if "name" in kwargs:
        return str(kwargs["name"])
    sources = args[0] if args else kwargs.get("sources", ())
    return ", ".join(getattr(s, "name", "?") for s in sources) or "?"


def run(call: str, *args, limits: Limits = LIMITS, **kwargs):
    """The function `call` names in CALLS, applied to (*args, **kwargs) in a bounded worker process."""
    if call not in CALLS:
        raise ValueError(f"not a worker call: {call}")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", MALLOC_ARENA_MAX="2",
               PROJ_NETWORK="OFF", PLANNER_WORKER_LIMITS=pickle.dumps(asdict(limits)).hex())
    request = pickle.dumps((call, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
    file = _label(args, kwargs)
    proc = subprocess.Popen([sys.executable, "-m", "planner.importing.worker", call], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=str(ROOT))
    try:
        out, err = proc.communicate(request, timeout=limits.wall_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise UploadError("err.imp_worker_time", file=file, seconds=f"{limits.wall_s:g}") from None
    if proc.returncode != 0 or not out:
        raise _failure(proc.returncode, err, file, limits)
    status, value = pickle.loads(out)
    if status == "ok":
        return value
    if status == "memory":
        raise UploadError("err.imp_worker_memory", file=file, mb=limits.memory_mb)
    raise value  # a PlannerError the call raised: the same message as in this process


def _failure(code: int, err: bytes, file: str, limits: Limits) -> UploadError:
    text = err.decode("utf-8", "replace")
    if code in (-signal.SIGXCPU, -signal.SIGKILL) or "SIGXCPU" in text:
        return UploadError("err.imp_worker_time", file=file, seconds=f"{limits.cpu_s:g}")
    if code == -signal.SIGXFSZ:
        return UploadError("err.imp_worker_disk", file=file, mb=limits.file_mb)
    if "MemoryError" in text or "bad_alloc" in text or "Cannot allocate memory" in text:
        return UploadError("err.imp_worker_memory", file=file, mb=limits.memory_mb)
    return UploadError("err.imp_worker_crash", file=file, code=code)


def _limit(resource, which: int, value: int) -> None:
    soft, hard = resource.getrlimit(which)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(which, (value, value if hard == resource.RLIM_INFINITY else hard))


def _no_network() -> None:
    """An empty network namespace when the kernel allows it (root, or unprivileged user namespaces)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    clone_newuser, clone_newnet = 0x10000000, 0x40000000
    if libc.unshare(clone_newnet) != 0:
        libc.unshare(clone_newuser | clone_newnet)


def _main() -> None:
    import resource

    result_fd = os.dup(1)
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the answer
    limits = Limits(**pickle.loads(bytes.fromhex(os.environ["PLANNER_WORKER_LIMITS"])))
    try:
        _no_network()
    except OSError:
        pass
    request = sys.stdin.buffer.read()
    import importlib

    import planner.importing  # noqa: F401 - before the memory cap: the libraries themselves are not the file

    if len(sys.argv) > 1 and sys.argv[1] in CALLS:  # the called module too (rasterio for a DEM)
        importlib.import_module(CALLS[sys.argv[1]].partition(":")[0])

    _limit(resource, resource.RLIMIT_AS, limits.memory_mb * 2**20)
    used = resource.getrusage(resource.RUSAGE_SELF)
    _limit(resource, resource.RLIMIT_CPU, int(used.ru_utime + used.ru_stime) + 1 + limits.cpu_s)  # the file's seconds
    _limit(resource, resource.RLIMIT_FSIZE, limits.file_mb * 2**20)
    call, args, kwargs = pickle.loads(request)
    module, _, name = CALLS[call].partition(":")
    try:
        answer = ("ok", getattr(importlib.import_module(module), name or call)(*args, **kwargs))
    except PlannerError as exc:  # a reader that met the memory cap reports "MemoryError": say which limit
        answer = ("memory", None) if exc.params.get("detail") == "MemoryError" else ("error", exc)
    except MemoryError:
        answer = ("memory", None)
    with os.fdopen(result_fd, "wb") as out:
        try:
            pickle.dump(answer, out, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            pickle.dump(("memory", None), out)


if __name__ == "__main__":
    from planner.importing.worker import _main as main  # this module under its own name: what it pickles names it

    main()
