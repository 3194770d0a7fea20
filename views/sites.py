"""Sites: propose new points by clicking the map, or let the optimiser choose within a budget, and
see the effect at once. Every action is one core call on the session's plan (ui.plan)."""
import pandas as pd
import streamlit as st

from planner.candidates import METHODS, SOURCES
from planner.errors import PlannerError
from planner.i18n import t
from planner.formats import MILLION, fmt_int, fmt_pct, fmt_vnd, fmt_vnd_short, styled, value_text
from planner.maps import commune_shapes, overview_base, proposals_layer, reach_layers
from planner.proposals import FUNDING, KINDS, SNAP_M, changed_communes, edit, propose_at, proposals_frame
from planner.site_plan import SITE_FORMATS, SitingRequest, note_text, run, sites_sheet, status_text
from planner.site_plan import parameters_csv as sites_parameters_csv
from planner.site_plan import render as render_sites
from ui.mapview import new_clicks, show_map
from ui.printing import map_download
from ui.markdown import plain
from ui.plan import analysis, current, put
from ui.state import data_dir, flash, map_assets, message_of, page_header, tr

L, pkg = page_header("sites.heading")
plan = current()
rule = plan.scenario.reach_rule
radius = rule.radius_m
proposals = plan.proposals
candidates = None if pkg.candidate_sites is None else pkg.candidate_sites.rename(columns={"est_cost_vnd": "cost_vnd"})
an = analysis()
eff = an.effect(proposals)
before, after = eff.before, eff.after

c1, c2, c3 = st.columns(3)
with c1, st.container(border=True):
    st.markdown(f"**{tr('indicator.play_point')}**")
    st.metric(tr("indicator.play_point"), tr("sites.before_after", before=f"{before.play_point.achieved}/{before.play_point.total}",
                                            after=f"{after.play_point.achieved}/{after.play_point.total}"),
              delta=f"+{fmt_int(eff.communes_newly_with_point, L)}" if eff.communes_newly_with_point else None,
              label_visibility="collapsed")
    for g in after.play_point.gaps:
        head = tr("card.target", year=g.year, target=fmt_pct(float(g.target), L, trim=True))
        tail = f":green[{tr('card.met')}]" if g.met else f":red[{tr('card.gap_communes', n=fmt_int(g.needed, L))}]"
        st.markdown(f"{head} — {tail}")
with c2, st.container(border=True):
    st.markdown(f"**{tr('card.reach', within=rule.within(L))}**")
    st.metric(tr("sites.new_children"), tr("sites.before_after", before=fmt_int(before.reach.children_within, L),
                                           after=fmt_int(after.reach.children_within, L)),
              delta=f"+{fmt_int(eff.children_newly_reached, L)}" if eff.children_newly_reached else None,
              label_visibility="collapsed")
    st.caption(f"{tr('sites.new_children')}: {fmt_int(eff.children_newly_reached, L)}")
with c3, st.container(border=True):
    st.markdown(f"**{tr('sites.total_cost')}**")
    total = sum(p.cost_vnd for p in proposals)
    st.metric(tr("sites.total_cost"), fmt_vnd_short(total, L), help=fmt_vnd(total, L), label_visibility="collapsed")
    st.caption(f"{tr('sites.proposals')}: {fmt_int(len(proposals), L)}")

# --- the map: existing points, the planner's proposals and the optimiser's sites -------------
# Everything above the map has a fixed shape: a changed position would make the browser draw a new map.
st.caption(tr("sites.click_help", snap=fmt_int(SNAP_M, L)))
notes = st.container()
layer = proposals_layer(proposals_frame(proposals), radius_m=radius, lang=L,
                        new_communes=commune_shapes(pkg, eff.communes_gaining_point),
                        chosen=None if plan.siting is None else plan.siting.sites,
                        chosen_radius_m=None if plan.siting is None else plan.siting.radius_m,
                        analysis=an, chosen_rule=None if plan.siting is None else plan.siting.request.rule)
walking = before.rule.walking  # the base then carries the bands and the surface, the same at any minutes
out = show_map(("sites", data_dir(), L, walking),
               lambda: overview_base(pkg, lang=L, assets_url=map_assets(), with_proposals=True,
                                    candidates=candidates, clickable=False, walk=an.measure if walking else None),
               layers=[(("reach-hover", data_dir(), before.rule, L), lambda: reach_layers(pkg, before, lang=L, analysis=an)),
                       (None, lambda: [layer])], returned_objects=["last_clicked"],
               widget_key=f"sites-map-{L}", basemap=bool(st.session_state.get("basemap")))
clicked, refused = list(proposals), []
for lat, lon in new_clicks(out, key="sites-clicks"):
    try:
        clicked.append(propose_at(pkg, lon, lat, existing=tuple(clicked), candidates=candidates,
                                  default_cost_vnd=plan.scenario.default_cost_vnd))
    except PlannerError as exc:
        refused.append(exc.message(L))
if len(clicked) > len(proposals):
    put(plan.with_proposals(clicked))
    names = dict(zip(pkg.communes["code"], pkg.communes["name"]))
    for new in clicked[len(proposals):]:
        flash(tr("sites.added", id=new.id, commune=names.get(new.commune_code, new.commune_code)))
    for text in refused:
        flash(text, "warning")
    st.rerun()
for text in refused:
    notes.warning(plain(text))

map_download(an, view="sites", scenario=plan.scenario, key="print-sites")
u1, u2, _ = st.columns([1, 1, 3])
if u1.button(tr("sites.undo"), disabled=not plan.undo, key="sites-undo"):
    put(plan.undone())
    flash(tr("sites.undone"))
    st.rerun()
if u2.button(tr("sites.clear"), disabled=not proposals, key="sites-clear"):
    put(plan.with_proposals(()))
    st.rerun()

# --- optimiser ------------------------------------------------------------------------------
last = plan.siting.request if plan.siting is not None else SitingRequest(budget_vnd=20_000_000_000,
                                                                         default_cost_vnd=plan.scenario.default_cost_vnd)
with st.expander(tr("opt.heading"), expanded=True), st.form("optimiser"):  # open: the next budget is one click away
    f1, f2 = st.columns(2)
    goals = ["children", "2025", "2030"]
    with f1:
        # whole millions of đồng: a box showing "20.00" reads as two thousand to a Vietnamese reader
        budget_trieu = st.number_input(tr("opt.budget_trieu"), min_value=0, value=int(round(last.budget_vnd / MILLION)),
                                       step=500, format="%d", key="opt_budget")
        goal = st.radio(tr("opt.mode"), goals, index=goals.index(str(last.target_year or "children")), key="opt_goal",
                        format_func=lambda g, lang=L: t("opt.mode_children", lang) if g == "children" else t("opt.mode_target", lang, year=g))
        method = st.radio(tr("opt.method"), list(METHODS), index=list(METHODS).index(last.method), key="opt_method",
                          format_func=lambda m, lang=L: t(f"opt.method_{m}", lang))
    with f2:
        sources = st.multiselect(tr("opt.sources"), list(SOURCES), default=list(last.sources), key="opt_sources",
                                 format_func=lambda s, lang=L: t(f"opt.source_{s}", lang), placeholder=tr("pick.placeholder"),
                                 select_all=False)
        max_new = st.number_input(tr("opt.max_new"), min_value=0, value=last.max_new, step=1, help=tr("opt.no_limit"),
                                  key="opt_max_new", placeholder=tr("opt.no_limit"))  # empty: no limit, as in the CLI
        default_cost_trieu = st.number_input(tr("opt.default_cost_trieu"), min_value=0,
                                             value=int(round(last.default_cost_vnd / MILLION)), step=100, format="%d",
                                             key="opt_default_cost")
    submitted = st.form_submit_button(tr("opt.run"), type="primary")

if submitted:
    request = SitingRequest(budget_vnd=int(budget_trieu) * MILLION, radius_m=radius, reach_mode=rule.mode,
                            minutes=rule.minutes, method=method,
                            target_year=None if goal == "children" else int(goal),
                            max_new=None if max_new is None else int(max_new),
                            sources=tuple(sources), default_cost_vnd=int(default_cost_trieu) * MILLION)
    plan = put(plan.edited(default_cost_vnd=request.default_cost_vnd))  # a click now costs the same by default
    try:
        with st.status(tr("opt.running"), expanded=True) as status:
            sp = run(pkg, request, measure=an.measure, on_greedy=lambda fast: st.write(tr(
                "opt.greedy_done", children=fmt_int(fast.children_newly_reached, L), cost=fmt_vnd_short(fast.total_cost_vnd, L))))
            status.update(label=tr("opt.done"), state="complete", expanded=False)
    except PlannerError as exc:
        st.error(message_of(exc))
    else:
        put(plan.with_siting(sp))
        st.rerun()

sp = plan.siting
if sp is not None:
    r = sp.result
    st.subheader(tr("opt.chosen"))
    if sp.request.rule != rule:
        st.caption(tr("opt.stale", rule=sp.request.rule.words(L)))
    m1, m2, m3 = st.columns(3)
    m1.metric(tr("opt.children"), fmt_int(r.children_newly_reached, L))
    m2.metric(tr("opt.communes"), fmt_int(r.communes_newly_with_point, L))
    m3.metric(tr("opt.total_cost"), fmt_vnd_short(r.total_cost_vnd, L), help=fmt_vnd(r.total_cost_vnd, L))
    st.caption(f"{tr('opt.status')}: {status_text(r, L)} · {tr('opt.gap')}: {value_text(r.gap, 'pct2', L)}"
               f" · {tr('opt.seconds')}: {value_text(round(r.seconds, 2), 'num2', L)}",  # as site_plan's figures
               help=tr("opt.solver_note") if r.method == "exact" else None)
    if sp.note:
        st.warning(plain(note_text(sp.note, L)))
    if r.method == "exact" and sp.fast is not r:
        diff = r.children_newly_reached - sp.fast.children_newly_reached
        st.caption(tr("opt.greedy_vs_exact", greedy=fmt_int(sp.fast.children_newly_reached, L),
                      exact=fmt_int(r.children_newly_reached, L), diff=f"+{fmt_int(diff, L)}"))
    if len(sp.sites) == 0:
        st.warning(tr("opt.nothing"))
    else:
        st.info(tr("sites.pending"))
        sheet = sites_sheet(sp, L)
        st.dataframe(styled(sheet.frame, sheet.kinds, L), hide_index=True, width="stretch")
        b1, b2, b3 = st.columns(3)
        for col, mode in ((b1, "add"), (b2, "replace")):
            if col.button(tr(f"sites.take_{mode}"), type="primary" if mode == "add" else "secondary", key=f"take-{mode}"):
                taken = plan.take_sites(mode=mode)
                put(taken.plan)
                flash(tr(f"sites.took_{mode}", n=taken.added, kept=taken.kept, dropped=taken.dropped))
                st.rerun()
        if b3.button(tr("sites.dismiss"), key="take-dismiss"):
            put(plan.with_siting(None))
            st.rerun()
        gis_names = "vi" if st.toggle(tr("dl.gis_vi"), key="site-gis-names-vi", help=tr("dl.gis_vi_help")) else "machine"
        d = st.columns(len(SITE_FORMATS) + 1)
        for col, ext in zip(d, SITE_FORMATS):
            col.download_button(ext.lstrip(".").upper(), data=lambda e=ext: render_sites(sp, pkg, L, e, field_names=gis_names),
                                file_name=f"dia-diem{ext}", key=f"site-dl{ext}", on_click="ignore")
        d[-1].download_button(tr("dl.params_csv"), data=lambda: sites_parameters_csv(sp, pkg, L), file_name="dia-diem.params.csv",
                              mime="text/csv", key="site-dl-params", on_click="ignore", help=tr("dl.params_help"))

# --- the proposals --------------------------------------------------------------------------
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
        "cost_trieu": [p.cost_vnd / MILLION for p in proposals],
        "year": [p.year for p in proposals],
        "funding": [funding_label[p.funding] for p in proposals],
        "source": [tr(f"source.{p.source}") for p in proposals],
        "remove": [False] * len(proposals),
    })
    edited = st.data_editor(
        table, hide_index=True, width="stretch", key=f"proposals-editor-{hash(proposals)}",  # new list: fresh editor
        disabled=["id", "commune", "source"],
        column_config={
            "id": st.column_config.TextColumn(tr("col.id")),
            "commune": st.column_config.TextColumn(tr("col.commune")),
            "kind": st.column_config.SelectboxColumn(tr("col.kind"), options=list(kind_label.values()), required=True),
            # whole millions, plain digits: a localised editor rejects typed numbers in vi-VN
            "cost_trieu": st.column_config.NumberColumn(tr("col.cost_trieu"), min_value=0, step=1, format="%d"),
            "year": st.column_config.NumberColumn(tr("col.year"), min_value=2025, max_value=2035, step=1, format="%d"),
            "funding": st.column_config.SelectboxColumn(tr("col.funding"), options=list(funding_label.values()), required=True),
            "source": st.column_config.TextColumn(tr("col.source")),
            "remove": st.column_config.CheckboxColumn(tr("col.remove")),
        },
    )
    if not edited.equals(table):
        try:
            kept = [edit(p, kind=kind_of.get(row.kind, row.kind), year=row.year,
                         cost_vnd=p.cost_vnd if row.cost_trieu == p.cost_vnd / MILLION else row.cost_trieu * MILLION,
                         funding=funding_of.get(row.funding, row.funding))
                    for p, row in zip(proposals, edited.itertuples()) if not row.remove]
        except PlannerError as exc:
            st.error(message_of(exc))
        else:
            put(plan.with_proposals(kept))
            st.rerun()

    st.subheader(tr("sites.affected"))
    ch = changed_communes(eff)
    st.dataframe(pd.DataFrame({
        tr("col.code"): ch.index, tr("col.name"): ch["name"],
        tr("col.points"): [f"{x} → {y}" for x, y in zip(ch["points_before"], ch["points_after"])],
        tr("col.children_within"): [f"{fmt_int(x, L)} → {fmt_int(y, L)}"
                                    for x, y in zip(ch["children_within_before"], ch["children_within_after"])],
        tr("col.reach_share"): [f"{fmt_pct(x, L)} → {fmt_pct(y, L)}"
                                for x, y in zip(ch["reach_share_before"], ch["reach_share_after"])],
    }), hide_index=True, width="stretch")
