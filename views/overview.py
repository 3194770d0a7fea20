"""Overview: progress on the facility targets, the map and the commune table."""
import streamlit as st

from planner.errors import PlannerError
from planner.formats import fmt_int, fmt_pct
from planner.maps import overview_base, reach_layers
from planner.reach import snapped_text
from planner.targets import Indicator
from ui.mapview import show_map
from ui.printing import map_download
from ui.plan import analysis
from ui.state import data_dir, map_assets, message_of, page_header, tr
from ui.tables import html_table

L, pkg = page_header("app.title")
try:
    s = analysis().summary
except PlannerError as exc:
    st.error(message_of(exc))
    st.stop()


def card(ind: Indicator, unit: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{tr(f'indicator.{ind.key}')}**")
        st.metric(tr(f"indicator.{ind.key}"), fmt_pct(float(ind.share), L), label_visibility="collapsed")
        st.caption(tr("indicator.fraction", num=fmt_int(ind.achieved, L), den=fmt_int(ind.total, L)))
        for g in ind.gaps:
            head = tr("card.target", year=g.year, target=fmt_pct(float(g.target), L, trim=True))
            tail = f":green[{tr('card.met')}]" if g.met else f":red[{tr(unit, n=fmt_int(g.needed, L))}]"
            st.markdown(f"{head} — {tail}")


st.subheader(tr("overview.targets"))
cols = st.columns(5)
with cols[0]:
    card(s.play_point, "card.gap_communes")
with cols[1]:
    card(s.child_friendly, "card.gap_communes")
with cols[2]:
    card(s.school_toilet, "card.gap_schools")
with cols[3]:
    card(s.psych_support, "card.gap_schools")
with cols[4]:
    r = s.reach
    share = r.children_within / r.children_total if r.children_total else 0.0
    with st.container(border=True):
        st.markdown(f"**{tr('card.reach', within=s.rule.within(L))}**")
        st.metric(tr("card.reach", within=s.rule.within(L)), fmt_int(r.children_within, L), label_visibility="collapsed")
        st.caption(tr("card.reach_detail", within=fmt_int(r.children_within, L), total=fmt_int(r.children_total, L), share=fmt_pct(share, L)))
if snapped_text(s.snapped, L):
    st.caption(snapped_text(s.snapped, L))
if s.legacy_total:
    st.caption(tr("overview.legacy_note", with_point=s.legacy_with_point, total=s.legacy_total,
                  share=fmt_pct(s.legacy_with_point / s.legacy_total, L)))

st.subheader(tr("overview.map"))
walking = s.rule.walking  # the base then carries the bands and the surface, the same at any minutes
show_map(("overview", data_dir(), L, walking),
         lambda: overview_base(pkg, lang=L, assets_url=map_assets(), walk=analysis().measure if walking else None),
         layers=[(("reach", data_dir(), s.rule, L), lambda: reach_layers(pkg, s, lang=L, analysis=analysis()))],
         widget_key=f"overview-map-{L}", basemap=bool(st.session_state.get("basemap")))
map_download(analysis(), view="overview", key="print-overview")

st.subheader(tr("overview.table"))
table = s.communes.reset_index()
yes, no = tr("yes"), tr("no")
view = table[["code", "name", "kind", "population", "children", "points", "children_within", "reach_share",
              "schools", "schools_toilet", "child_friendly", "especially_difficult", "poverty_rate"]].copy()
view["kind"] = [tr(f"kind.{k}") for k in view["kind"]]
for col in ("child_friendly", "especially_difficult"):
    view[col] = [yes if v else no for v in view[col]]
kinds = {c: "int" for c in ("population", "children", "points", "children_within", "schools", "schools_toilet")}
kinds |= {"reach_share": "pct", "poverty_rate": "pct"}
st.html(html_table(view.rename(columns=lambda c: tr(f"col.{c}")), {tr(f"col.{c}"): k for c, k in kinds.items()}, L))
