"""Priorities: a transparent commune ranking, the path to the targets, and exports."""
import altair as alt
import pandas as pd
import streamlit as st

from planner.errors import PlannerError
from planner.exports import parameters_csv, render
from planner.i18n import t
from planner.formats import fmt_num, styled, vega_locale
from planner.maps import priority_base, priority_layers
from planner.ranking import CRITERIA, PRESETS, explain, resolve_weights, target_path
from ui.logs import guarded
from ui.mapview import show_map
from ui.printing import map_download
from ui.markdown import plain
from ui.plan import analysis, current, put, widget_key
from ui.state import data_dir, map_assets, message_of, page_header, tr

L, pkg = page_header("page.priorities")
plan = current()
PRESET_KEYS = list(PRESETS) + ["custom"]
preset, weights = resolve_weights(plan.scenario.preset, plan.scenario.weights)  # what the ranking below uses
weights = {c: float(weights.get(c, 0.0)) for c in CRITERIA}


def choose_preset() -> None:
    chosen = st.session_state[widget_key(f"preset-{L}")]
    if chosen != "custom":  # a preset sets every weight: the sliders start afresh from it
        put(current().edited(preset=chosen, weights={}).renewed())


left, right = st.columns([1, 2], gap="large")
with left:
    st.session_state[widget_key(f"preset-{L}")] = preset or "custom"  # follows the weights when a slider moves
    st.selectbox(tr("rank.preset"), PRESET_KEYS, key=widget_key(f"preset-{L}"),
                 format_func=lambda k, lang=L: t(f"preset.{k}", lang), on_change=guarded(choose_preset, "choose preset"))
    with st.expander(tr("rank.weights"), expanded=True):
        st.caption(tr("rank.weights_help"))
        steps = [i / 2 for i in range(21)]  # 0 to 10 by 0,5, shown the reader's way ("2,5")
        moved = {c: float(st.select_slider(tr(f"crit.{c}"), steps, value=min(steps, key=lambda v: abs(v - weights[c])),
                                           format_func=lambda v, lang=L: fmt_num(v, lang, 1, trim=True),
                                           key=widget_key(f"w-{c}")))
                 for c in CRITERIA}
    if moved != weights:
        chosen, raw = resolve_weights(None, moved)
        plan = put(plan.edited(preset=chosen, weights={} if chosen else raw))
        st.rerun()  # the preset box follows: "custom", or the preset these weights are

try:
    r = analysis().ranking(preset=plan.scenario.preset, weights=plan.scenario.weights)
except PlannerError as exc:
    with right:
        st.error(message_of(exc))
    st.stop()

with left:
    with st.expander(tr("rank.criteria")):
        st.dataframe(styled(pd.DataFrame({
            tr("col.criterion"): [tr(f"crit.{c}") for c in CRITERIA],
            tr("col.weight"): [r.weights[c] for c in CRITERIA],
            tr("col.scaling"): [tr(f"how.{CRITERIA[c]}") for c in CRITERIA],
        }), {tr("col.weight"): "pct"}, L), hide_index=True, width="stretch")
    st.subheader(tr("rank.why"))
    names = dict(zip(r.table["code"], r.table["name"]))
    pick = st.selectbox(tr("rank.pick"), list(r.table["code"]), format_func=lambda c: f"{names[c]} ({c})", key="why_code")
    st.markdown(plain(explain(r, pick, L)))

with right:
    st.subheader(tr("rank.table"))
    st.caption(f"{tr('param.reach')}: {r.rule.words(L)}")  # "children out of reach" is counted this way
    tab = r.table
    view = pd.DataFrame({
        tr("col.rank"): tab["rank"], tr("col.code"): tab["code"], tr("col.name"): tab["name"], tr("col.score"): tab["score"],
    })
    for c in CRITERIA:
        view[tr("col.points_of", name=tr(f"crit.{c}"))] = tab[f"{c}_points"]
    st.dataframe(styled(view, {col: "num1" for col in view.columns[3:]} | {tr("col.rank"): "int"}, L),
                 hide_index=True, width="stretch", height=320)
    st.subheader(tr("rank.chart"))
    long = tab.melt(id_vars=["name", "rank"], value_vars=[f"{c}_points" for c in CRITERIA], var_name="c", value_name="points")
    long["criterion"] = long["c"].str.removesuffix("_points").map(lambda c: tr(f"crit.{c}"))
    chart = alt.Chart(long).mark_bar().encode(
        x=alt.X("points:Q", title=tr("col.score"), stack="zero"),
        y=alt.Y("name:N", sort=alt.SortField("rank"), title=None, axis=alt.Axis(labelOverlap=False, labelLimit=160)),
        color=alt.Color("criterion:N", title=tr("col.criterion"), legend=alt.Legend(orient="bottom", columns=2)),
        tooltip=[alt.Tooltip("name:N", title=tr("col.name")), alt.Tooltip("criterion:N", title=tr("col.criterion")),
                 alt.Tooltip("points:Q", title=tr("col.score"), format=",.1f")],
    ).properties(height=max(300, 22 * len(tab))).configure(locale=vega_locale(L), aria=False)  # Vega's own screen-reader texts: English, raw numbers
    st.altair_chart(chart, width="stretch")

st.subheader(tr("rank.map"))
shown = tuple(zip(r.table["code"], r.table["rank"], r.table["score"].round(6)))
show_map(("priority", data_dir(), L), lambda: priority_base(pkg, lang=L, assets_url=map_assets()),
         layers=[(("priority", data_dir(), L, shown), lambda: priority_layers(pkg, r.table, lang=L))],
         height=480, widget_key=f"priority-map-{L}", basemap=bool(st.session_state.get("basemap")))
map_download(analysis(), view="priorities", ranking=r, key="print-priorities")

st.subheader(tr("rank.path"))
st.caption(tr("rank.path_help"))
path = target_path(r)
st.dataframe(styled(pd.DataFrame({
    tr("col.step"): path["step"], tr("col.code"): path["code"], tr("col.name"): path["name"],
    tr("col.score"): path["score"], tr("col.communes_with_point"): path["communes_with_point"],
    tr("col.share"): path["share"], tr("col.reaches"): path["reaches"],
}), {tr("col.step"): "int", tr("col.score"): "num1", tr("col.communes_with_point"): "int", tr("col.share"): "pct"}, L),
    hide_index=True, width="stretch")

st.subheader(tr("rank.download"))
gis_names = "vi" if st.toggle(tr("dl.gis_vi"), key="gis-names-vi", help=tr("dl.gis_vi_help")) else "machine"
cols = st.columns(5)
mime = {".csv": "text/csv", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".geojson": "application/geo+json", ".gpkg": "application/geopackage+sqlite3"}
for col, ext in zip(cols, mime):
    with col:
        st.download_button(ext.lstrip(".").upper(), data=lambda e=ext: render(r, pkg, L, e, field_names=gis_names),
                           file_name=f"xep-hang-xa{ext}",
                           mime=mime[ext], key=f"dl{ext}", on_click="ignore")
with cols[4]:  # the CSV holds the table alone (header on line 1); its parameters come in their own file
    st.download_button(tr("dl.params_csv"), data=lambda: parameters_csv(r, pkg, L), file_name="xep-hang-xa.params.csv",
                       mime="text/csv", key="dl-params", on_click="ignore", help=tr("dl.params_help"))
