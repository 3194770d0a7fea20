"""Scenarios: save the plan being edited (as itself or as a new scenario), phase it by year, keep
versions, exchange files, compare, and take a brief to the budgeting meeting."""
from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from planner.briefs import brief_pdf, comparison_table, figure_rows, workbook
from planner.formats import MILLION, fmt_datetime, fmt_vnd_short, vega_locale
from planner.errors import PlannerError
from planner.maps import compare_map
from planner.plan import Plan, save_plan
from planner.proposals import MAX_VND
from planner.importing import worker
from planner.scenario_file import MAX_SCENARIO_MB, to_gpkg
from planner.scenarios import YEARS, auto_phase, figures
from ui.auth import allow, can_edit, locked_note, user_name
from ui.logs import show_failure
from ui.mapview import show_map
from ui.printing import map_download
from ui.markdown import plain
from ui.plan import analysis, current, put, widget_key
from ui.state import data_dir, flash, map_assets, message_of, page_header, store, tr

L, pkg = page_header("scn.heading")
try:
    db = store()
except PlannerError as exc:
    st.error(message_of(exc))
    st.stop()
editable = can_edit()
plan = current()
an = analysis()  # figures() moves it to each scenario's radius, sharing what it has computed


def figure_table(fig) -> None:
    st.dataframe(pd.DataFrame(figure_rows(fig, L), columns=[tr("scn.figure"), tr("param.value")]),
                 hide_index=True, width="stretch")


def discard_guard(action: str, label: str, then) -> None:
    """Run `then` at once when nothing would be lost; else ask first (a button press marks the wish)."""
    pending = st.session_state.get("scn-discard")
    if pending == action:
        st.warning(plain(tr("scn.discard_ask", action=label)))
        y1, y2 = st.columns(2)
        if y1.button(tr("scn.discard_yes"), key=f"discard-yes-{action}", type="primary"):
            st.session_state.pop("scn-discard", None)
            then()
        if y2.button(tr("scn.delete_cancel"), key=f"discard-no-{action}"):
            st.session_state.pop("scn-discard", None)
            st.rerun()


def ask_or_do(action: str, then) -> None:
    if current().unsaved:
        st.session_state["scn-discard"] = action
        st.rerun()
    then()


def start_new() -> None:
    put(Plan.new(package=data_dir(), previous=current(), author=user_name()))
    flash(tr("scn.started_new"))
    st.rerun()


def open_saved(name: str) -> None:
    try:
        s = db.load(name)
    except Exception as exc:  # noqa: BLE001 - a store that cannot be read: say so, log it with a reference
        show_failure(exc, "open scenario")
        return
    put(current().opened(s))
    flash(tr("scn.loaded", name=s.name, version=s.version))
    st.rerun()


# --- the scenario being edited -------------------------------------------------------------
st.subheader(tr("scn.current"))
locked_note()
s = plan.scenario
status = tr("scn.editing", name=plan.saved_name, version=s.version) if plan.saved_name else tr("scn.editing_new")
st.caption(plain(status + (f" — {tr('scn.unsaved')}" if plan.unsaved and plan.saved_name else "")))
left, right = st.columns([1, 1], gap="large")
with left:
    name = st.text_input(tr("scn.name"), value=s.name, key=widget_key("name"), max_chars=120)
    description = st.text_area(tr("scn.description"), value=s.description, key=widget_key("description"), height=80,
                               max_chars=5_000)
    author = st.text_input(tr("scn.author"), value=s.author or user_name(), max_chars=120,
                           key=widget_key(f"author-{user_name()}"))  # signing in fills it afresh
    budget = {}
    st.markdown(tr("scn.budget_heading"), help=tr("scn.budget_help"))
    for col, y in zip(st.columns(len(YEARS)), YEARS):
        # whole millions of đồng: a box showing "20.00" reads as two thousand to a Vietnamese reader
        trieu = col.number_input(str(y), min_value=0, max_value=MAX_VND // MILLION,
                                 value=int(round(s.budget_by_year.get(y, 0) / MILLION)), step=500, format="%d",
                                 key=widget_key(f"budget-{y}"))
        old = s.budget_by_year.get(y, 0)
        budget[y] = old if trieu == int(round(old / MILLION)) else int(trieu) * MILLION
    plan = put(plan.edited(name=name, description=description, author=author,
                           budget_by_year={**s.budget_by_year, **budget}))
    b1, b2 = st.columns(2)
    b3, b4 = st.columns(2)
    if b1.button(tr("scn.save"), type="primary", disabled=not editable, key="scn-save", width="stretch") \
            and allow("save scenario"):
        try:
            before, plan = plan, put(save_plan(db, plan))
        except PlannerError as exc:
            st.error(message_of(exc))
        else:
            flash(tr("scn.unchanged", name=plan.saved_name, version=plan.scenario.version) if plan is before
                  else tr("scn.saved", name=plan.scenario.name, version=plan.scenario.version), "info" if plan is before else "success")
            st.rerun()
    if b2.button(tr("scn.save_as_new"), disabled=not editable, key="scn-save-new", width="stretch") \
            and allow("save scenario as new"):
        try:
            plan = put(save_plan(db, plan, as_new=True))
        except PlannerError as exc:
            st.error(message_of(exc))
        else:
            flash(tr("scn.saved", name=plan.scenario.name, version=plan.scenario.version))
            st.rerun()
    if b3.button(tr("scn.new"), key="scn-new", width="stretch"):
        ask_or_do("new", start_new)
    if b4.button(tr("scn.phase"), disabled=not plan.proposals, key="scn-phase", width="stretch"):
        placed, unfit = auto_phase(plan.proposals, plan.scenario.budget_by_year)
        put(plan.with_proposals(placed + unfit))
        if unfit:
            flash(tr("scn.unfit", n=len(unfit)), "warning")
        st.rerun()
    discard_guard("new", tr("scn.action_new"), start_new)
with right:
    cur = plan.scenario
    fig = figures(an, cur)
    figure_table(fig)
    if cur.name.strip():
        d1, d2, d3 = st.columns(3)
        d1.download_button("PDF", data=lambda: brief_pdf(an, [cur], L), file_name="tom-tat.pdf", mime="application/pdf",
                           key="pdf-current", on_click="ignore")
        d2.download_button("XLSX", data=lambda: workbook(an, [cur], L), file_name="kich-ban.xlsx", key="xlsx-current",
                           on_click="ignore")
        d3.download_button("GPKG", data=lambda: to_gpkg(cur), file_name="kich-ban.gpkg", key="gpkg-current",
                           on_click="ignore", help=tr("scn.export"))

if cur.name.strip():  # full width: in the figures' column the paper choices were cut off
    map_download(an, view="scenarios", scenario=cur, key="print-scenario")

# --- saved scenarios ----------------------------------------------------------------------
st.subheader(tr("scn.saved_list"))
names = db.names()
if not names:
    st.caption(tr("scn.none"))
else:
    pick = st.selectbox(tr("scn.name"), names, key="scn_pick",
                        index=names.index(plan.saved_name) if plan.saved_name in names else 0)
    versions = db.versions(pick)
    st.dataframe(pd.DataFrame([(str(v.version), fmt_datetime(v.saved_at, L), v.author, v.note) for v in versions],
                              columns=[tr("scn.version"), tr("scn.saved_at"), tr("scn.author"), tr("scn.note")]),
                 hide_index=True, width="stretch")
    o1, o2, o3, o4 = st.columns(4)
    if o1.button(tr("scn.load", name=pick), key="scn_open"):
        ask_or_do(f"open:{pick}", lambda: open_saved(pick))
    discard_guard(f"open:{pick}", tr("scn.action_open", name=pick), lambda: open_saved(pick))
    old = o2.selectbox(tr("scn.version"), [v.version for v in versions], key=f"scn_restore_v-{pick}",
                       label_visibility="collapsed")
    with st.expander(plain(tr("scn.view_version", name=pick, version=old))):
        shown = db.load(pick, old)
        st.caption(plain(f"{shown.description} — {shown.author}, {fmt_datetime(shown.updated_at, L)}"))
        figure_table(figures(an, shown))
    if o4.button(tr("scn.delete", name=pick), key="scn_delete", disabled=not editable):
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
                if plan.saved_name == pick:
                    put(plan.unstored())  # what is on screen stays, as a new scenario
                flash(tr("scn.deleted", name=pick))
                st.rerun()
    if o3.button(tr("scn.restore", name=pick, version=old), key="scn_restore", disabled=not editable) \
            and allow("restore scenario"):
        try:
            restored = db.restore(pick, old, expected_version=versions[0].version, author=author)
        except PlannerError as exc:
            st.error(message_of(exc))
        else:
            if plan.saved_name == pick and not plan.unsaved:
                put(plan.opened(restored))
            flash(tr("scn.restored", version=restored.version))
            st.rerun()

upload = st.file_uploader(tr("scn.import"), type=["gpkg"], key="scn_upload", disabled=not editable,
                          max_upload_size=MAX_SCENARIO_MB)
if upload is not None and st.session_state.get("scn_uploaded") != upload.file_id and allow("import scenario"):
    st.session_state["scn_uploaded"] = upload.file_id
    try:
        incoming = worker.run("scenario_from_gpkg", upload.getvalue(), name=upload.name)  # read in the bounded worker
        saved = db.save(replace(incoming, version=0))
    except PlannerError as exc:
        st.error(message_of(exc))
    else:
        flash(tr("scn.imported", name=saved.name))
        st.rerun()

# --- compare ------------------------------------------------------------------------------
st.subheader(tr("scn.compare"))
chosen = st.multiselect(tr("scn.pick"), names, max_selections=4, key="scn_compare", placeholder=tr("pick.placeholder"),
                        select_all=False)
if len(chosen) >= 2:
    scenarios = [db.load(n) for n in chosen]
    figs = [figures(an, sc) for sc in scenarios]
    over = [tr("scn.over_budget_item", name=sc.name, year=y, amount=fmt_vnd_short(v, L))
            for sc, f in zip(scenarios, figs) for y, v in sorted(f.over_budget.items())]
    with st.container():  # always there: a warning that comes and goes must not move the map below
        if over:
            st.error(plain(tr("scn.over_budget_warning", items="; ".join(over))))
    table = comparison_table(an, scenarios, L, figs)
    differs = table.nunique(axis=1) > 1
    over_row = tr("scn.over_budget_row")

    def shade(row):
        colour = "#f8d7da" if row.name == over_row and any(v != "—" for v in row) else "#fff3cd" if differs[row.name] else ""
        return [f"background-color: {colour}" if colour else "" for _ in row]

    st.dataframe(table.style.apply(shade, axis=1), width="stretch")
    spend = pd.DataFrame({
        "scenario": [sc.name for sc in scenarios for _ in YEARS],
        "year": [str(y) for _ in scenarios for y in YEARS],
        "cost": [f.cost_by_year.get(y, 0) / 1e9 for f in figs for y in YEARS],
        "budget": [sc.budget_by_year.get(y, 0) / 1e9 for sc in scenarios for y in YEARS],
    })
    x = alt.X("year:N", title=tr("col.year"))
    tips = [alt.Tooltip("scenario:N", title=tr("scn.name")), alt.Tooltip("year:N", title=tr("col.year")),
            alt.Tooltip("cost:Q", title=tr("scn.cost_ty"), format=",.2f"),
            alt.Tooltip("budget:Q", title=tr("scn.budget_line"), format=",.2f")]
    bars = alt.Chart(spend).mark_bar().encode(
        x=x, xOffset="scenario:N", y=alt.Y("cost:Q", title=tr("scn.cost_ty"), axis=alt.Axis(format=",.1~f")),
        color=alt.Color("scenario:N", title=tr("scn.name"), legend=alt.Legend(orient="bottom", labelLimit=300)),
        tooltip=tips)
    budget_marks = alt.Chart(spend).mark_tick(color="#b71c1c", thickness=3, size=18).encode(
        x=x, xOffset="scenario:N", y="budget:Q", tooltip=tips)
    st.markdown(f"**{tr('scn.chart_title')}**")
    st.caption(tr("scn.chart_help"))
    st.altair_chart((bars + budget_marks).properties(height=280).configure(locale=vega_locale(L), aria=False),
                    width="stretch")  # aria off: Vega's own screen-reader texts are English, with raw numbers
    basemap = bool(st.session_state.get("basemap"))
    show_map(("compare", data_dir(), L, basemap, repr([(sc.name, sc.version, sc.proposals) for sc in scenarios])),
             lambda: compare_map(pkg, scenarios, lang=L, assets_url=map_assets(), basemap=basemap),
             height=460, widget_key=f"compare-map-{L}-{'|'.join(chosen)}")
    c1, c2 = st.columns(2)
    c1.download_button(f"PDF — {tr('scn.compare')}", data=lambda: brief_pdf(an, scenarios, L), file_name="so-sanh.pdf",
                       mime="application/pdf", key="pdf-compare", on_click="ignore")
    c2.download_button(f"XLSX — {tr('scn.compare')}", data=lambda: workbook(an, scenarios, L), file_name="so-sanh.xlsx",
                       key="xlsx-compare", on_click="ignore")
