"""Session settings, cached data and error handling shared by every page."""
from __future__ import annotations

import functools
import logging
import os
from pathlib import Path

import streamlit as st

from planner.errors import DataPackageError, PlannerError
from planner.io import DEMO_DIR, publish_map_assets, publish_map_script, read_bytes, read_package, write_bytes
from planner.package import DataPackage
from planner.analysis import Analysis
from planner.reach import ReachRule
from ui.lang import lang, tr
from ui.logs import setup_logging
from ui.markdown import plain

setup_logging()  # once per process: imports are not rerun
log = logging.getLogger("planner.app")

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
DEFAULT_WORKSPACE = Path(__file__).resolve().parent.parent / "workspace"


def message_of(exc: PlannerError) -> str:
    """What went wrong, in the session's language, escaped for Streamlit's markdown (it names files
    and values from the user's data)."""
    return plain(exc.message(lang()))


def data_dir() -> str:
    """The session's data package: chosen in this session, else the one last confirmed on the Data
    page (kept in the workspace so a reload or a new session keeps it), else the demo."""
    if "data_dir" not in st.session_state:
        st.session_state["data_dir"] = active_package()
    return st.session_state["data_dir"]


def active_package() -> str:
    marker = workspace() / "active_package.txt"
    try:
        path = read_bytes(marker).decode("utf-8").strip() if marker.exists() else ""
    except PlannerError:
        path = ""
    if path and Path(path).is_dir():
        return path
    if path:
        log.warning("active data package %s (named in %s) is gone; this session uses the demo", path, marker)
        st.session_state["package_fallback"] = path
    return str(DEMO_DIR)


def use_package(path: str) -> None:
    """Make `path` the data package of this session and of new sessions."""
    workspace().mkdir(parents=True, exist_ok=True)
    write_bytes(workspace() / "active_package.txt", str(path).encode("utf-8"))
    st.session_state["data_dir"] = str(path)
    st.session_state.pop("package_fallback", None)


@st.cache_resource(show_spinner=False)
def _published() -> None:
    publish_map_assets(STATIC_DIR)


def _static_url() -> str:
    """Where ./static is served, under `server.baseUrlPath` when the app is behind a proxy's sub-path."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"


def map_assets() -> str:
    """Publish Leaflet into ./static once per server process; its URL."""
    _published()
    return f"{_static_url()}/leaflet"


def map_script_url(text: str) -> str:
    """Publish a map's script into ./static/maps (see `planner.io.publish_map_script`); its URL."""
    return f"{_static_url()}/maps/{publish_map_script(STATIC_DIR, text)}"


@st.cache_resource(show_spinner=False, max_entries=4)
def _package(path: str) -> DataPackage:
    # One shared, read-only copy per server process, not one per session.
    return read_package(path)


@st.cache_resource(show_spinner=False, max_entries=4)
def _analysis_base(path: str) -> Analysis:
    return Analysis.of(_package(path))


@st.cache_resource(show_spinner=False, max_entries=16)  # each holds its package: few, or old copies stay alive
def _analysis(path: str, mode: str, radius_m: float, minutes: float) -> Analysis:
    # every rule on a package shares its measures (the walking graph) and nearest distances
    return _analysis_base(path).at(reach=ReachRule(mode=mode, radius_m=radius_m, minutes=minutes))


def package() -> DataPackage:
    """The session's data package; DataPackageError when it is broken or its folder has gone
    (a copy cached before the folder went is not used: the user must see it has gone)."""
    path = data_dir()
    if not Path(path).is_dir():
        raise DataPackageError("err.no_folder", path=path)
    return _package(path)


@functools.lru_cache(maxsize=256)
def log_package_problem(path: str, key: str, text: str) -> None:
    """Log a broken data package once per process, path and problem (pages ask on every rerun)."""
    log.error("data package %s cannot be used (read data package): DataPackageError %s: %s", path, key, text)


def analysis_at(rule: ReachRule) -> Analysis:
    """The session's data package under `rule`: its figures, computed once per server process
    (walking on a package without terrain: UsageError err.no_terrain)."""
    package()  # a package whose folder has gone is refused, not answered from the cache
    an = _analysis(data_dir(), rule.mode, rule.radius_m, rule.minutes)
    if not an.ready:  # first figures of a rule; walking builds the terrain's graph (seconds): say so
        with st.spinner(tr("reach.computing")):
            an.summary
    return an


def flash(text: str, kind: str = "success") -> None:
    """A message for the next run of the page (after an action that reruns it). Messages this run
    is showing go along again: a second action reruns the page before anyone read them (two quick
    clicks on the map are two proposals, and two messages)."""
    shown = st.session_state.pop("flash_shown", None)
    if shown and shown[0] == st.session_state.get("run_number"):
        st.session_state["flash"] = [*shown[1], *st.session_state.get("flash", [])]
    st.session_state.setdefault("flash", []).append((kind, text))


def show_flash() -> None:
    """The messages left for this run; app.py numbers the runs (`run_number`)."""
    messages = st.session_state.pop("flash", [])
    st.session_state["flash_shown"] = (st.session_state.get("run_number"), messages)
    for kind, text in messages:
        getattr(st, kind)(plain(text))


@st.cache_resource(show_spinner=False)
def _store(path: str):
    from planner.store import ScenarioStore

    return ScenarioStore(path)


def workspace() -> Path:
    """The workspace folder (PLANNER_WORKSPACE, default ./workspace): scenarios, imports, mappings."""
    return Path(os.environ.get("PLANNER_WORKSPACE", DEFAULT_WORKSPACE))


def store():
    """The scenario store in the workspace folder (PLANNER_WORKSPACE, default ./workspace)."""
    return _store(str(workspace() / "scenarios.sqlite"))


@st.cache_resource(show_spinner=False)
def _record_store(path: str):
    from planner.record_store import RecordStore

    return RecordStore(path)


def record_store():
    """The progress record, in the same workspace database as the scenarios."""
    return _record_store(str(workspace() / "scenarios.sqlite"))


def page_header(title_key: str):
    """Title and, for demo data, the demo notice; returns (language, data package)."""
    st.title(tr(title_key))
    pkg = package()
    if pkg.is_demo:
        st.info(tr("app.demo_note"), icon="ℹ️")
    return lang(), pkg
