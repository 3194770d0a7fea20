"""Data page, terrain section (issue 15): DEM tiles, and optionally roads/paths and rivers/lakes,
uploaded, read and checked in the bounded worker (`planner.terrain_import.prepare_terrain`), a report
(cell size, coordinate system, share of the province covered, elevation range, lines per class and
what was left out), and a new data package with the terrain written only on confirmation.
`views/data.py` calls `terrain_section`; this file is not a page of its own."""
from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd
import streamlit as st

from planner.errors import PlannerError
from planner.formats import fmt_num, fmt_pct
from planner.io import folder_name, unused_folder
from planner.terrain import Upload
from planner.terrain_import import prepare_terrain, report_rows, write_terrain
from ui.auth import allow
from ui.markdown import plain
from ui.state import data_dir, flash, lang, message_of, tr, use_package, workspace

NETWORK_TYPES = ["geojson", "json", "gpkg", "zip", "kml", "kmz", "pbf", "osm"]
STATE = ("terrain_plan", "terrain_fingerprint")


def _fingerprint(files: list[Upload | None]) -> str:
    parts = [[f.name, hashlib.sha256(f.data).hexdigest()] if f is not None else None for f in files]
    return hashlib.sha256(repr([parts, data_dir()]).encode("utf-8")).hexdigest()


def _current(pkg, L: str) -> None:
    entry = pkg.manifest.get("terrain") if isinstance(pkg.manifest.get("terrain"), dict) else {}
    if not pkg.has_terrain:
        st.caption(tr("data.terrain_none"))
        return
    try:
        cell, share = fmt_num(float(entry.get("cell_m")), L, 1, trim=True), fmt_pct(float(entry.get("covered_share")), L)
    except (TypeError, ValueError):
        cell = share = "—"
    source = entry.get("source") or []
    source = ", ".join(map(str, source)) if isinstance(source, list) else str(source)
    st.caption(plain(tr("data.terrain_current", cell=cell, share=share, source=source or "—")))


def _report(plan, L: str) -> None:
    st.subheader(tr("data.terrain_report"))
    rows = pd.DataFrame(report_rows(plan, L), columns=[tr("data.terrain_item"), tr("data.terrain_value")])
    st.table(rows.set_index(tr("data.terrain_item")))
    for p in plan.problems:  # whole sentences that say what to fix: as messages, not cut off in a grid cell
        (st.error if p.severity == "error" else st.warning)(plain(p.message(L)))
    st.caption(tr("data.counts", errors=len(plan.errors), warnings=len(plan.warnings)))


def terrain_section(pkg, editable: bool) -> None:
    """The section, below the import of lists. Needs the current package (its communes place and
    clip the terrain)."""
    L = lang()
    st.subheader(tr("data.terrain_heading"))
    st.caption(tr("data.terrain_help"))
    if pkg is None:
        return
    _current(pkg, L)
    dem = st.file_uploader(tr("data.terrain_dem"), key="up-terrain-dem", accept_multiple_files=True,
                           type=["tif", "tiff", "hgt", "zip"], disabled=not editable)
    paths = st.file_uploader(tr("data.terrain_paths"), key="up-terrain-paths", type=NETWORK_TYPES, disabled=not editable)
    barriers = st.file_uploader(tr("data.terrain_barriers"), key="up-terrain-barriers", type=NETWORK_TYPES,
                                disabled=not editable)
    if not editable or not dem:  # with sign-in on, nobody's file is read before they have signed in
        for key in STATE:
            st.session_state.pop(key, None)
        return
    uploads = [Upload(f.name, f.getvalue()) for f in dem]
    path_file = Upload(paths.name, paths.getvalue()) if paths is not None else None
    barrier_file = Upload(barriers.name, barriers.getvalue()) if barriers is not None else None
    fingerprint = _fingerprint([*uploads, path_file, barrier_file])
    if st.session_state.get("terrain_plan") is not None and st.session_state.get("terrain_fingerprint") != fingerprint:
        for key in STATE:
            st.session_state.pop(key, None)
        st.info(tr("data.terrain_stale"))
    if st.button(tr("data.terrain_check"), key="terrain-check", type="primary"):
        with st.spinner(tr("data.terrain_checking")):
            try:
                st.session_state["terrain_plan"] = prepare_terrain(pkg, uploads, paths=path_file, barriers=barrier_file)
                st.session_state["terrain_fingerprint"] = fingerprint
            except PlannerError as exc:
                st.error(message_of(exc))
    plan = st.session_state.get("terrain_plan")
    if plan is None:
        return
    _report(plan, L)
    if not plan.ok:
        st.error(tr("data.terrain_blocked"))
        return
    if st.button(tr("data.terrain_confirm"), key="terrain-confirm", type="primary") and allow("import terrain"):
        try:
            target = unused_folder(workspace() / "packages" / date.today().strftime("%Y%m%d")
                                   / folder_name(f"{pkg.name} dia hinh"))
            out = write_terrain(plan, pkg, target)
        except PlannerError as exc:
            st.error(message_of(exc))
            return
        use_package(str(out))
        for key in STATE:
            st.session_state.pop(key, None)
        flash(tr("data.terrain_written", path=str(out)))
        st.rerun()
