"""Data: import a province's own files (preview, column mapping, coordinate system, a validation
report), write them as a data package only on confirmation, or return to the demo. A list the current
package has is added to or replaces the package's, as the user chooses (never guessed), and the
report shows what the import changes before it is confirmed. A checked plan is kept only while the
files and every choice stay as they were when it was checked: "confirm" writes what is on screen."""
from datetime import date

import pandas as pd
import streamlit as st

from planner.coordinates import PRESETS
from planner.errors import PlannerError
from planner.importing import (KINDS, MODES, ImportSource, effect_rows, export_lists_xlsx, field_label, import_effect,
                               import_fingerprint, lists_needing_mode, preview_rows, recall_mapping, remember_mapping,
                               targets, template_xlsx, write_import)
from planner.importing import worker
from planner.importing.files import load_mappings, update_mappings
from planner.io import DEMO_DIR, folder_name, unused_folder
from planner.i18n import t
from planner.formats import crs_words, fmt_int
from planner.labels import problem_column
from planner.names import fold
from ui.auth import allow, can_edit, locked_note
from ui.markdown import plain
from ui.plan import current as session_plan
from ui.state import data_dir, flash, lang, message_of, package, tr, use_package, workspace

L = lang()
st.title(tr("data.heading"))
try:
    pkg = package()
except Exception:  # noqa: BLE001 - app.py has said what is wrong; importing and going back to the demo still work
    pkg = None
st.caption(plain(f"{tr('app.data_source')}: {pkg.display_name(L) if pkg is not None else '—'} — {data_dir()}"))

editable = can_edit()
locked_note()

if data_dir() != str(DEMO_DIR) and st.button(tr("data.back_to_demo"), disabled=not editable) and allow("activate demo data"):
    use_package(str(DEMO_DIR))
    flash(tr("data.using_demo"))
    st.rerun()

with st.expander(tr("data.templates")):
    cols = st.columns(4)
    for k, kind in enumerate(KINDS):
        cols[k % 4].download_button(tr(f"data.kind.{kind}"), data=lambda kd=kind: template_xlsx(kd, L),
                                    file_name=f"mau-{fold(tr(f'imp.kind.{kind}')).replace(' ', '-')}.xlsx",
                                    key=f"tpl-{kind}", on_click="ignore")
    if pkg is not None:
        st.download_button(tr("data.export_lists"), data=lambda: export_lists_xlsx(pkg, L), file_name="danh-sach.xlsx",
                           key="export-lists", on_click="ignore")

st.subheader(tr("data.upload"))
st.caption(tr("data.upload_help"))
mapping_file = workspace() / "column_mappings.json"
try:
    remembered = load_mappings(mapping_file)
except PlannerError:
    remembered = {}



def inspected(kind: str, up):
    """What the worker read of an upload (planner.importing.worker): once per file, not per rerun."""
    seen = st.session_state.setdefault("inspected", {})
    key = (kind, up.file_id)
    if key not in seen:
        for old in [k for k in seen if k[0] == kind]:  # one file per list: forget the one it replaced
            seen.pop(old)
        try:
            seen[key] = worker.run("inspect_upload", up.name, up.getvalue(), kind=kind)
        except PlannerError as exc:
            seen[key] = exc
    if isinstance(seen[key], PlannerError):
        raise seen[key]
    return seen[key]


crs_keys = ["auto", *PRESETS]
sources: list[ImportSource] = []
file_rows: dict[str, int] = {}
for kind in KINDS:
    up = st.file_uploader(tr(f"data.kind.{kind}"), key=f"up-{kind}", disabled=not editable,
                          type=["geojson", "json", "gpkg", "zip", "kml", "kmz", "csv", "txt", "tsv", "xlsx"])
    if up is None or not editable:  # with sign-in on, nobody's file is read before they have signed in
        continue
    data = up.getvalue()
    try:
        info = inspected(kind, up)
    except PlannerError as exc:
        st.error(message_of(exc))
        continue
    with st.container(border=True):
        st.markdown(f"**{plain(up.name)}** — {info.format}, {tr('data.rows', n=fmt_int(info.rows, L))}"
                    + (f", {tr('data.encoding', enc=info.encoding)}" if info.encoding else ""))
        if info.preview:
            with st.container(key=f"file-preview-{kind}"):  # the file's first rows as the file writes them
                st.caption(tr("data.preview_as_is"))
                st.dataframe(pd.DataFrame(preview_rows(info, L), columns=list(info.columns)), hide_index=True, width="stretch")
        mapping = dict(recall_mapping(remembered, kind, info.columns) or info.mapping)
        if info.columns:
            st.caption(tr("data.mapping_help"))
            options = ["", *targets(kind)]
            grid = st.columns(4)
            for j, col in enumerate(info.columns):
                current = mapping.get(col, "")
                mapping[col] = grid[j % 4].selectbox(
                    plain(col), options, index=options.index(current) if current in options else 0, key=f"map-{kind}-{col}",
                    format_func=lambda o, kd=kind, lang=L: field_label(kd, o, lang) if o else t("data.ignore", lang))
            mapping = {c: v for c, v in mapping.items() if v}
        crs_key = st.selectbox(tr("data.crs"), crs_keys, key=f"crs-{kind}",
                               format_func=lambda k, lang=L: (t("data.crs_auto", lang) if k == "auto"
                                                              else crs_words(PRESETS[k], lang)))
        if info.crs_guess:
            st.warning(tr("data.crs_guess", crs=crs_words(info.crs_guess, L)))
        fixes = tuple(st.session_state.get(f"fixes-{kind}", ()))
        sources.append(ImportSource(kind, up.name, data, crs=None if crs_key == "auto" else crs_key,
                                    mapping=mapping or None, fixes=fixes))
        file_rows[kind] = info.rows

# a list the current package has: add to it or replace it, chosen by the user (no default)
over = lists_needing_mode((s.kind for s in sources), pkg)
mode = None
if over:
    mode = st.radio(tr("data.mode", lists=", ".join(tr(f"imp.kind.{k}") for k in over)), list(MODES), index=None,
                    key="import_mode", format_func=lambda m, lang=L: t(f"imp.mode.{m}", lang))
    for s in sources:
        if s.kind in over:
            st.caption(plain(tr("imp.mode_layer", layer=tr(f"imp.kind.{s.kind}"), before=fmt_int(len(getattr(pkg, s.kind)), L),
                                file=s.name, rows=fmt_int(file_rows.get(s.kind, 0), L))))

name = ""
if sources:
    name = st.text_input(tr("data.package_name"), value=st.session_state.get("import_name", ""), key="import_name",
                         max_chars=120)
# the figures "before" are those the other pages show: the session's plan's radius
radius_m = session_plan().scenario.radius_m
fingerprint = import_fingerprint(sources, mode=mode, name=name, context=(data_dir(), radius_m))
if st.session_state.get("import_plan") is not None and st.session_state.get("import_fingerprint") != fingerprint:
    # a file, a mapping, a CRS, a fix, the mode or the name changed since the check: check again
    st.session_state.pop("import_plan", None)
    st.session_state.pop("import_effect", None)
    st.session_state["import_stale"] = bool(sources)
stale_note = st.empty()  # filled below, once a click on "check" has been taken into account

if sources and st.button(tr("data.check"), type="primary"):
    for key in ("import_plan", "import_effect", "import_fingerprint", "import_stale"):
        st.session_state.pop(key, None)
    if over and mode is None:
        st.error(tr("data.mode_required"))
    else:
        with st.spinner(tr("data.checking")):
            try:
                checked = worker.run("prepare_import", sources, package=pkg, name=name or "Dữ liệu nhập",
                                     as_of=date.today().isoformat(), mode=mode)
                if pkg is not None and checked.ok:
                    st.session_state["import_effect"] = import_effect(checked, pkg, radius_m=radius_m)
                st.session_state["import_plan"] = checked
                st.session_state["import_fingerprint"] = fingerprint
            except PlannerError as exc:
                st.error(message_of(exc))
if sources and st.session_state.get("import_stale"):
    stale_note.info(tr("data.stale"))

plan = st.session_state.get("import_plan")
if plan is not None and sources:
    st.subheader(tr("data.report"))
    rows = [{tr("data.severity"): tr(f"data.sev.{p.severity}"), tr("data.file"): p.params.get("file", ""),
             tr("data.row"): "" if p.row is None else str(p.row), tr("data.field"): problem_column(p, L),
             tr("data.what"): p.message(L)}
            for p in plan.problems]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(tr("data.counts", errors=len(plan.errors), warnings=len(plan.warnings)))
    for file, fix in plan.fixes:
        kind = next((s.kind for s in sources if s.name == file), None)
        if kind and st.checkbox(plain(tr("data.apply_fix", fix=tr(f"data.fix.{fix}"), file=file)), key=f"fix-{kind}-{fix}"):
            chosen = tuple(sorted({*st.session_state.get(f"fixes-{kind}", ()), fix}))
            if chosen != tuple(st.session_state.get(f"fixes-{kind}", ())):
                st.session_state[f"fixes-{kind}"] = chosen
                st.rerun()  # the report on screen was made without the fix: it goes until checked again
    effect = st.session_state.get("import_effect")
    if plan.ok and effect is not None:
        st.subheader(tr("data.effect"))
        st.table(pd.DataFrame(effect_rows(effect, L), columns=[tr("data.effect_item"), tr("data.effect_change")])
                 .set_index(tr("data.effect_item")))
        for c in effect.dropped:
            st.warning(tr("data.drops", layer=tr(f"imp.kind.{c.layer}"), dropped=fmt_int(c.dropped, L),
                          before=fmt_int(c.before, L)))
    if plan.ok:
        if st.button(tr("data.confirm"), type="primary", disabled=not editable) and allow("import data package"):
            try:
                target = unused_folder(workspace() / "packages" / date.today().strftime("%Y%m%d")
                                       / folder_name(plan.manifest.get("name", "")))
                out = write_import(plan, target)

                # onto the file as it is now: another session (or server process) may have added some
                def remember_all(store: dict) -> dict:
                    for s in sources:
                        if s.mapping:
                            store = remember_mapping(store, s.kind, list(s.mapping), s.mapping)
                    return store

                update_mappings(mapping_file, remember_all)
            except PlannerError as exc:
                st.error(message_of(exc))
            else:
                use_package(str(out))
                for key in ("import_plan", "import_effect", "import_fingerprint", "import_stale"):
                    st.session_state.pop(key, None)
                flash(tr("data.imported", path=str(out)))
                st.rerun()
    else:
        st.error(tr("data.blocked"))

# elevation model, paths, rivers and lakes for walking time (issue 15): a section of its own
from views.terrain import terrain_section  # noqa: E402

terrain_section(pkg, editable)
