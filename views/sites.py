"""Sites: propose new points by clicking the map, edit them, and see the effect at once."""
import pandas as pd
import streamlit as st

from planner.briefs import fmt_vnd_short
from planner.errors import PlannerError
from planner.i18n import fmt_int, fmt_pct, t
from planner.maps import overview_base, proposals_layer, reach_layers
from planner.candidates import METHODS, SOURCES, candidates_from_package, problem_from_package
from planner.proposals import FUNDING, KINDS, SNAP_M, edit, effect, propose_at, proposals_frame
from planner.site_plan import EXACT_TIME_LIMIT_S, SITE_FORMATS, as_proposals, note_text, plan, settle, sites_frame
from planner.site_plan import render as render_sites
from ui.mapview import show_map
from ui.markdown import plain
from ui.state import data_dir, map_assets, message_of, page_header, radius_m, set_proposals, summary, tr

radius = radius_m()
L, pkg = page_header("sites.heading")

st.session_state.setdefault("proposals", [])
st.session_state.setdefault("proposals_version", 0)

proposals = st.session_state["proposals"]
candidates = None
if pkg.candidate_sites is not None:
    candidates = pkg.candidate_sites.rename(columns={"est_cost_vnd": "cost_vnd"})

before = summary()
eff = effect(pkg, proposals, radius_m=radius, before=before)
after = eff.after

c1, c2, c3 = st.columns(3)
with c1, st.container(border=True):
    st.markdown(f"**{tr('indicator.play_point')}**")
    st.metric(tr("indicator.play_point"), tr("sites.before_after", before=f"{before.play_point.achieved}/{before.play_point.total}",
                                            after=f"{after.play_point.achieved}/{after.play_point.total}"),
              delta=eff.communes_newly_with_point or None, label_visibility="collapsed")
    for g in after.play_point.gaps:
        head = tr("card.target", year=g.year, target=fmt_pct(float(g.target), L))
        tail = f":green[{tr('card.met')}]" if g.met else f":red[{tr('card.gap_communes', n=g.needed)}]"
        st.markdown(f"{head} — {tail}")
with c2, st.container(border=True):
    st.markdown(f"**{tr('card.reach', radius=fmt_int(radius, L))}**")
    st.metric(tr("sites.new_children"), tr("sites.before_after", before=fmt_int(before.reach.children_within, L),
                                           after=fmt_int(after.reach.children_within, L)),
              delta=eff.children_newly_reached or None, label_visibility="collapsed")
    st.caption(f"{tr('sites.new_children')}: {fmt_int(eff.children_newly_reached, L)}")
with c3, st.container(border=True):
    st.markdown(f"**{tr('sites.total_cost')}**")
    total = sum(p.cost_vnd for p in proposals)
    st.metric(tr("sites.total_cost"), f"{fmt_int(total, L)} ₫", label_visibility="collapsed")
    st.caption(f"{tr('sites.proposals')}: {len(proposals)}")

# --- optimiser --------------------------------------------------------------------------
with st.expander(tr("opt.heading"), expanded=True), st.form("optimiser"):
    f1, f2 = st.columns(2)
    with f1:
        budget_ty = st.number_input(tr("opt.budget_ty"), min_value=0.0, value=20.0, step=0.5, format="%.2f", key="opt_budget")
        goal = st.radio(tr("opt.mode"), ["children", "2025", "2030"], key="opt_goal",
                        format_func=lambda g, lang=L: t("opt.mode_children", lang) if g == "children" else t("opt.mode_target", lang, year=g))
        method = st.radio(tr("opt.method"), list(METHODS), key="opt_method", format_func=lambda m, lang=L: t(f"opt.method_{m}", lang))
    with f2:
        sources = st.multiselect(tr("opt.sources"), list(SOURCES), default=list(SOURCES), key="opt_sources",
                                 format_func=lambda s, lang=L: t(f"opt.source_{s}", lang))
        max_new = st.number_input(tr("opt.max_new"), min_value=0, value=0, step=1, help=tr("opt.no_limit"), key="opt_max_new")
        default_cost_ty = st.number_input(tr("opt.default_cost_ty"), min_value=0.0, value=1.5, step=0.1, format="%.2f", key="opt_default_cost")
    run = st.form_submit_button(tr("opt.run"), type="primary")

if run:
    budget, default_cost = round(budget_ty * 1e9), round(default_cost_ty * 1e9)
    year = None if goal == "children" else int(goal)
    try:
        with st.status(tr("opt.running"), expanded=True) as status:
            cands = candidates_from_package(pkg, sources=tuple(sources), default_cost_vnd=int(default_cost))
            problem = problem_from_package(pkg, cands, radius_m=radius, budget_vnd=int(budget),
                                           max_new=int(max_new) or None, target_year=year)
            fast = problem.solve_greedy()
            st.write(tr("opt.greedy_done", children=fmt_int(fast.children_newly_reached, L), cost=fmt_int(fast.total_cost_vnd, L)))
            best, note = (fast, None) if method == "greedy" else settle(
                fast, problem.solve_exact(time_limit_s=EXACT_TIME_LIMIT_S), time_limit_s=EXACT_TIME_LIMIT_S)
            status.update(label=tr("opt.done"), state="complete", expanded=False)
    except PlannerError as exc:
        st.error(message_of(exc))
    else:
        st.session_state["site_plan"] = plan(pkg, cands, best, radius_m=radius, budget_vnd=int(budget), target_year=year,
                                             max_new=int(max_new) or None, sources=tuple(sources))
        st.session_state["site_plan_fast"] = fast
        st.session_state["site_plan_note"] = note
        st.rerun()

sp = st.session_state.get("site_plan")
if sp is not None:
    r = sp.result
    if sp.radius_m != radius:
        st.caption(tr("opt.stale", radius=fmt_int(sp.radius_m, L)))
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(tr("opt.children"), fmt_int(r.children_newly_reached, L))
    m2.metric(tr("opt.communes"), r.communes_newly_with_point)
    m3.metric(tr("opt.total_cost"), fmt_vnd_short(r.total_cost_vnd, L), help=f"{fmt_int(r.total_cost_vnd, L)} ₫")
    m4.metric(tr("opt.status"), r.status, help=f"{tr('opt.gap')}: {'—' if r.gap is None else f'{r.gap:.4%}'}; {tr('opt.seconds')}: {r.seconds:.2f}")
    if st.session_state.get("site_plan_note"):
        st.warning(plain(note_text(st.session_state["site_plan_note"], L)))
    fast = st.session_state.get("site_plan_fast")
    if fast is not None and r.method == "exact":
        diff = r.children_newly_reached - fast.children_newly_reached
        st.caption(tr("opt.greedy_vs_exact", greedy=fmt_int(fast.children_newly_reached, L),
                      exact=fmt_int(r.children_newly_reached, L), diff=f"+{fmt_int(diff, L)}"))
    if len(sp.sites) == 0:
        st.warning(tr("opt.nothing"))
    else:
        st.markdown(f"**{tr('opt.chosen')}**")
        st.dataframe(sites_frame(sp, L), hide_index=True, width="stretch")
        b1, b2, b3, b4 = st.columns(4)
        if b1.button(tr("opt.use"), type="primary"):
            set_proposals(as_proposals(sp))
            st.session_state.pop("site_plan", None)
            st.rerun()
        for col, ext in zip((b2, b3, b4), SITE_FORMATS):
            col.download_button(ext.lstrip(".").upper(), data=lambda e=ext: render_sites(sp, pkg, L, e),
                                file_name=f"dia-diem{ext}", key=f"site-dl{ext}", on_click="ignore")

st.caption(tr("sites.click_help", snap=fmt_int(SNAP_M, L)))
basemap = bool(st.session_state.get("basemap"))
newly = after.communes.index[after.communes["has_point"] & ~before.communes["has_point"]]
layer = proposals_layer(proposals_frame(proposals), radius_m=radius, lang=L,
                        new_communes=pkg.communes[pkg.communes["code"].isin(newly)],
                        chosen=None if sp is None else sp.sites)
out = show_map(("sites", data_dir(), L, basemap),
               lambda: overview_base(pkg, lang=L, assets_url=map_assets(), basemap=basemap, with_proposals=True,
                                    candidates=candidates),
               layers=[(("reach", data_dir(), before.radius_m, L), lambda: reach_layers(pkg, before, lang=L)),
                       (None, lambda: [layer])], returned_objects=["last_clicked"],
               widget_key=f"sites-map-{L}")
click = (out or {}).get("last_clicked")
if click and click != st.session_state.get("last_click_done"):
    st.session_state["last_click_done"] = click
    try:
        new = propose_at(pkg, click["lng"], click["lat"], existing=tuple(proposals), candidates=candidates)
    except PlannerError as exc:
        st.warning(message_of(exc))
    else:
        set_proposals([*proposals, new])
        st.rerun()

st.subheader(tr("sites.proposals"))
if not proposals:
    st.caption(tr("sites.none"))
else:
    names = dict(zip(pkg.communes["code"], pkg.communes["name"]))
    kind_label = {k: tr(f"point_kind.{k}") for k in KINDS}
    kind_of = {v: k for k, v in kind_label.items()}
    funding_label = {f: tr(f"funding.{f}") for f in FUNDING}
    funding_of = {v: k for k, v in funding_label.items()}
    table = pd.DataFrame({
        "id": [p.id for p in proposals],
        "commune": [names.get(p.commune_code, p.commune_code) for p in proposals],
        "kind": [kind_label[p.kind] for p in proposals],
        "cost_vnd": [p.cost_vnd for p in proposals],
        "year": [p.year for p in proposals],
        "funding": [funding_label[p.funding] for p in proposals],
        "source": [tr(f"source.{p.source}") for p in proposals],
        "remove": [False] * len(proposals),
    })
    edited = st.data_editor(
        table, hide_index=True, width="stretch", key=f"proposals-editor-{st.session_state['proposals_version']}",
        disabled=["id", "commune", "source"],
        column_config={
            "id": st.column_config.TextColumn(tr("col.id")),
            "commune": st.column_config.TextColumn(tr("col.commune")),
            "kind": st.column_config.SelectboxColumn(tr("col.kind"), options=list(kind_label.values()), required=True),
            "cost_vnd": st.column_config.NumberColumn(tr("col.cost_vnd"), min_value=0, step=1, format="%d"),  # plain digits: a localised editor rejects typed numbers in vi-VN
            "year": st.column_config.NumberColumn(tr("col.year"), min_value=2025, max_value=2035, step=1),
            "funding": st.column_config.SelectboxColumn(tr("col.funding"), options=list(funding_label.values()), required=True),
            "source": st.column_config.TextColumn(tr("col.source")),
            "remove": st.column_config.CheckboxColumn(tr("col.remove")),
        },
    )
    if not edited.equals(table):
        try:
            kept = [edit(p, kind=kind_of.get(row.kind, row.kind), cost_vnd=row.cost_vnd, year=row.year,
                         funding=funding_of.get(row.funding, row.funding))
                    for p, row in zip(proposals, edited.itertuples()) if not row.remove]
        except PlannerError as exc:
            st.error(message_of(exc))
        else:
            set_proposals(kept)
            st.rerun()
    if st.button(tr("sites.clear")):
        set_proposals([])
        st.rerun()

    st.subheader(tr("sites.affected"))
    b, a = before.communes, after.communes
    changed = (a["points"] != b["points"]) | (a["children_within"] != b["children_within"])
    view = pd.DataFrame({
        tr("col.code"): a.index[changed], tr("col.name"): a.loc[changed, "name"],
        tr("col.points"): [f"{x} → {y}" for x, y in zip(b.loc[changed, "points"], a.loc[changed, "points"])],
        tr("col.children_within"): [f"{fmt_int(x, L)} → {fmt_int(y, L)}" for x, y in
                                    zip(b.loc[changed, "children_within"], a.loc[changed, "children_within"])],
        tr("col.reach_share"): [f"{fmt_pct(x, L)} → {fmt_pct(y, L)}" for x, y in
                                zip(b.loc[changed, "reach_share"], a.loc[changed, "reach_share"])],
    })
    st.dataframe(view, hide_index=True, width="stretch")
