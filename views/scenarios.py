"""Scenarios: save the current plan, phase it by year, keep versions, exchange files, compare,
and take a brief to the budgeting meeting."""
from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from planner.briefs import brief_pdf, comparison_table, figure_rows, workbook
from planner.errors import PlannerError
from planner.maps import compare_map
from planner.ranking import CRITERIA, PRESETS
from planner.scenario_file import MAX_SCENARIO_MB, from_gpkg, to_gpkg
from planner.proposals import MAX_VND
from planner.scenarios import YEARS, Scenario, auto_phase, figures
from ui.auth import allow, can_edit, locked_note, user_name
from ui.logs import guarded
from ui.mapview import show_map
from ui.markdown import plain
from ui.state import data_dir, map_assets, message_of, page_header, radius_m, set_proposals, store, tr

L, pkg = page_header("scn.heading")
try:
    db = store()
except PlannerError as exc:
    st.error(message_of(exc))
    st.stop()

st.session_state.setdefault("proposals", [])
base: Scenario = st.session_state.setdefault("scenario_base", Scenario(name=""))
for key, value in (("scn_name", base.name), ("scn_description", base.description), ("scn_author", base.author)):
    st.session_state.setdefault(key, value)
for y in YEARS:
    st.session_state.setdefault(f"scn_budget_{y}", base.budget_by_year.get(y, 0) / 1e9)
editable = can_edit()
if not st.session_state["scn_author"] and user_name():
    st.session_state["scn_author"] = user_name()  # the signed-in user, unless typed otherwise


def current() -> Scenario:
    """The plan as the session has it now, on top of the version it was loaded from."""
    preset = st.session_state.get("preset", "balanced")
    weights = {} if preset in PRESETS else {c: float(st.session_state.get(f"w_{c}", 1.0)) for c in CRITERIA}
    return replace(base, name=st.session_state["scn_name"], description=st.session_state["scn_description"],
                   author=st.session_state["scn_author"], radius_m=radius_m(),
                   preset=preset if preset in PRESETS else None, weights=weights,
                   budget_by_year={y: int(round(st.session_state[f"scn_budget_{y}"] * 1e9)) for y in YEARS},
                   proposals=tuple(st.session_state["proposals"]))


def open_scenario(s: Scenario) -> None:
    st.session_state["scenario_base"] = s
    st.session_state["scn_name"], st.session_state["scn_description"], st.session_state["scn_author"] = s.name, s.description, s.author
    for y in YEARS:
        st.session_state[f"scn_budget_{y}"] = s.budget_by_year.get(y, 0) / 1e9
    set_proposals(s.proposals)
    st.session_state["radius_m"] = int(s.radius_m)
    st.session_state["preset"] = s.preset or "custom"
    for c in CRITERIA:
        st.session_state[f"w_{c}"] = float((PRESETS.get(s.preset) or s.weights).get(c, 0.0))
    st.session_state["scn_flash"] = tr("scn.loaded", name=s.name, version=s.version)


def phase() -> None:
    cur = current()
    placed, unfit = auto_phase(cur.proposals, cur.budget_by_year)
    set_proposals(placed + unfit)
    if unfit:
        st.session_state["scn_flash"] = tr("scn.unfit", n=len(unfit))


def figure_table(fig) -> None:
    st.dataframe(pd.DataFrame(figure_rows(fig, L), columns=[tr("scn.figure"), tr("param.value")]),
                 hide_index=True, width="stretch")


if "scn_flash" in st.session_state:
    st.success(plain(st.session_state.pop("scn_flash")))

# --- the scenario being edited -------------------------------------------------------------
st.subheader(tr("scn.current"))
locked_note()
left, right = st.columns([1, 1], gap="large")
with left:
    st.text_input(tr("scn.name"), key="scn_name", max_chars=120)
    st.text_area(tr("scn.description"), key="scn_description", height=80, max_chars=5_000)
    st.text_input(tr("scn.author"), key="scn_author", max_chars=120)
    cols = st.columns(len(YEARS))
    for col, y in zip(cols, YEARS):
        col.number_input(tr("scn.budget_year", year=y), min_value=0.0, max_value=MAX_VND / 1e9, step=0.5, format="%.2f",
                         key=f"scn_budget_{y}")
    b1, b2 = st.columns(2)
    b1.button(tr("scn.phase"), on_click=phase, disabled=not st.session_state["proposals"])
    if b2.button(tr("scn.save"), type="primary", disabled=not editable) and allow("save scenario"):
        try:
            saved = db.save(current())
        except PlannerError as exc:
            st.error(message_of(exc))
        else:
            st.session_state["scenario_base"] = saved
            st.session_state["scn_flash"] = tr("scn.saved", name=saved.name, version=saved.version)
            st.rerun()
with right:
    cur = current()
    figure_table(figures(pkg, cur))
    if cur.name.strip():
        d1, d2, d3 = st.columns(3)
        d1.download_button("PDF", data=lambda: brief_pdf(pkg, [cur], L), file_name="tom-tat.pdf", mime="application/pdf",
                           key="pdf-current", on_click="ignore")
        d2.download_button("XLSX", data=lambda: workbook(pkg, [cur], L), file_name="kich-ban.xlsx", key="xlsx-current",
                           on_click="ignore")
        d3.download_button("GPKG", data=lambda: to_gpkg(cur), file_name="kich-ban.gpkg", key="gpkg-current",
                           on_click="ignore", help=tr("scn.export"))

# --- saved scenarios ----------------------------------------------------------------------
st.subheader(tr("scn.saved_list"))
names = db.names()
if not names:
    st.caption(tr("scn.none"))
else:
    pick = st.selectbox(tr("scn.name"), names, key="scn_pick")
    versions = db.versions(pick)
    st.dataframe(pd.DataFrame([(v.version, v.saved_at, v.author, v.note) for v in versions],
                              columns=["v", tr("scn.saved_at"), tr("scn.author"), tr("scn.note")]), hide_index=True, width="stretch")
    o1, o2, o3, o4 = st.columns(4)
    o1.button(tr("scn.load"), on_click=guarded(lambda: open_scenario(db.load(pick)), "open scenario"), key="scn_open")
    old = o2.selectbox("v", [v.version for v in versions], key="scn_restore_v", label_visibility="collapsed")
    with st.expander(plain(tr("scn.view_version", name=pick, version=old))):
        shown = db.load(pick, old)
        st.caption(plain(f"{shown.description} — {shown.author}, {shown.updated_at}"))
        figure_table(figures(pkg, shown))
    if o4.button(tr("scn.delete"), key="scn_delete", disabled=not editable):
        st.session_state["scn_delete_pending"] = (pick, versions[0].version)
    pending = st.session_state.get("scn_delete_pending")
    if pending and pending[0] == pick:
        st.warning(plain(tr("scn.delete_confirm", name=pick, version=pending[1])))
        y1, y2 = st.columns(2)
        if y2.button(tr("scn.delete_cancel"), key="scn_delete_no"):
            st.session_state.pop("scn_delete_pending", None)
            st.rerun()
        if y1.button(tr("scn.delete_yes"), key="scn_delete_yes", type="primary", disabled=not editable) and allow("delete scenario"):
            st.session_state.pop("scn_delete_pending", None)
            try:
                db.delete(pick, expected_version=pending[1])  # refused if someone saved since
            except PlannerError as exc:
                st.error(message_of(exc))
            else:
                if base.name == pick:
                    st.session_state["scenario_base"] = replace(base, version=0)
                st.session_state["scn_flash"] = tr("scn.deleted", name=pick)
                st.rerun()
    if o3.button(tr("scn.restore", version=old), key="scn_restore", disabled=not editable) and allow("restore scenario"):
        try:
            restored = db.restore(pick, old, expected_version=versions[0].version, author=st.session_state["scn_author"])
        except PlannerError as exc:
            st.error(message_of(exc))
        else:
            st.session_state["scn_flash"] = tr("scn.restored", version=restored.version)
            st.rerun()

upload = st.file_uploader(tr("scn.import"), type=["gpkg"], key="scn_upload", disabled=not editable,
                          max_upload_size=MAX_SCENARIO_MB)
if upload is not None and st.session_state.get("scn_uploaded") != upload.file_id and allow("import scenario"):
    st.session_state["scn_uploaded"] = upload.file_id
    try:
        incoming = from_gpkg(upload.getvalue(), name=upload.name)
        saved = db.save(replace(incoming, version=0))
    except PlannerError as exc:
        st.error(message_of(exc))
    else:
        st.session_state["scn_flash"] = tr("scn.imported", name=saved.name)
        st.rerun()

# --- compare ------------------------------------------------------------------------------
st.subheader(tr("scn.compare"))
chosen = st.multiselect(tr("scn.pick"), names, max_selections=4, key="scn_compare")
if len(chosen) >= 2:
    scenarios = [db.load(n) for n in chosen]
    figs = [figures(pkg, s) for s in scenarios]
    table = comparison_table(pkg, scenarios, L, figs)
    differs = table.nunique(axis=1) > 1
    st.dataframe(table.style.apply(lambda row: ["background-color: #fff3cd" if differs[row.name] else "" for _ in row], axis=1),
                 width="stretch")
    chart_data = pd.DataFrame({
        "scenario": [s.name for s in scenarios for _ in YEARS],
        "year": [str(y) for _ in scenarios for y in YEARS],
        "cost": [f.cost_by_year.get(y, 0) / 1e9 for f in figs for y in YEARS],
    })
    st.altair_chart(alt.Chart(chart_data).mark_bar().encode(
        x=alt.X("year:N", title=tr("col.year")), xOffset="scenario:N",
        y=alt.Y("cost:Q", title=tr("opt.budget_ty")), color=alt.Color("scenario:N", title=tr("scn.name")),
        tooltip=["scenario", "year", alt.Tooltip("cost:Q", format=".2f")]).properties(height=260), width="stretch")
    basemap = bool(st.session_state.get("basemap"))
    show_map(("compare", data_dir(), L, basemap, repr([(s.name, s.version, s.proposals) for s in scenarios])),
             lambda: compare_map(pkg, scenarios, lang=L, assets_url=map_assets(), basemap=basemap),
             height=460, widget_key=f"compare-map-{L}-{'|'.join(chosen)}")
    c1, c2 = st.columns(2)
    c1.download_button(f"PDF — {tr('scn.compare')}", data=lambda: brief_pdf(pkg, scenarios, L), file_name="so-sanh.pdf",
                       mime="application/pdf", key="pdf-compare", on_click="ignore")
    c2.download_button(f"XLSX — {tr('scn.compare')}", data=lambda: workbook(pkg, scenarios, L), file_name="so-sanh.xlsx",
                       key="xlsx-compare", on_click="ignore")
