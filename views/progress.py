"""Tiến độ: what has been built, each target year by year against its 2025 and 2030 marks, the
record of status changes (and recording them), and the periodic report."""
import altair as alt
import pandas as pd
import streamlit as st

from planner.errors import PlannerError
from planner.formats import fmt_date, fmt_int, fmt_pct, styled, vega_locale
from planner.periodic_report import (chart_data, others_table, period, plan_table, report_content, target_lines,
                                     targets_table)
from planner.progress import from_scenario, progress, today_in_vietnam
from planner.proposals import FUNDING
from planner.names import fold
from planner.record import FIRST_DATE, STATUSES, Entry, cost_from_millions, current, same_as
from planner.report_files import report_docx, report_pdf
from ui.auth import allow, can_edit, locked_note, user_name
from ui.markdown import plain
from ui.plan import analysis
from ui.progress_forms import DAY, import_list, record_section
from ui.state import flash, message_of, page_header, record_store, store, tr

L, pkg = page_header("progress.heading")
try:
    db, scenarios_db = record_store(), store()
    entries = db.entries(pkg.name)
    saved = scenarios_db.names()
except PlannerError as exc:
    st.error(message_of(exc))
    st.stop()
today = today_in_vietnam()
editable = can_edit()
an = analysis()
communes = dict(zip(pkg.communes["code"].astype(str), pkg.communes["name"].astype(str)))

q1, q2 = st.columns([3, 1])
pick = q1.selectbox(tr("progress.scenario"), [""] + saved, key="progress-scenario",
                    format_func=lambda n: n or tr("progress.no_scenario"), help=tr("progress.scenario_help"))
as_of = q2.date_input(tr("progress.as_of"), value=today, min_value=FIRST_DATE, max_value=today, format=DAY,
                      key="progress-as-of", help=tr("progress.as_of_help"))
try:
    chosen = scenarios_db.load(pick) if pick else None
except PlannerError as exc:
    st.error(message_of(exc))
    chosen = None
p = progress(an, entries, today=as_of, scenario=chosen)  # the page's one core call: every figure below is p's

# --- where we stand -------------------------------------------------------------------------
now = p.years[-1]
c1, c2, c3 = st.columns(3)
last = p.years[-2] if len(p.years) > 1 else None
c1.metric(tr("progress.now", year=now.year), f"{now.communes_with_point}/{p.communes_total}",
          delta=None if last is None or last.communes_with_point == now.communes_with_point else
          tr("progress.delta", n=f"{now.communes_with_point - last.communes_with_point:+d}", day=fmt_date(last.day, L)),
          help=tr("progress.now_help", day=fmt_date(now.day, L)))
c1.caption(plain(tr("progress.now_share", share=fmt_pct(float(now.indicator.share), L), points=fmt_int(now.points_in_use, L))))
t25, t30 = p.target(2025), p.target(2030)
c2.metric(tr("progress.t2025", share=fmt_pct(float(t25.target), L, 0)),
          tr("progress.met_on", day=fmt_date(t25.reached_on, L)) if t25.reached_on else tr("report.short_communes", n=t25.short))
c3.metric(tr("progress.t2030", share=fmt_pct(float(t30.target), L, 0)),
          tr("report.short_communes", n=t30.short) if t30.short else tr("report.met"))
for line in target_lines(p, L):
    st.markdown(plain(line))
for code, n in sorted(p.caveats.items()):
    st.caption(plain(tr(f"report.caveat.{code}", n=n)))
if pkg.is_demo:
    st.caption(tr("report.demo_note"))

# --- the timeline -------------------------------------------------------------------------
chart = chart_data(p, L)
rows = [dict(year=y, share=s * 100, series=chart.series_label) for y, s in zip(chart.years, chart.shares) if s is not None]
rows += [dict(year=y, share=s * 100, series=chart.planned_label) for y, s in zip(chart.years, chart.planned) if s is not None]
marks = pd.DataFrame([dict(year=y, share=s * 100, label=label) for y, s, label in chart.targets])
x = alt.X("year:O", title=tr("report.col.year"), scale=alt.Scale(domain=list(chart.years)))  # every year to 2030
y = alt.Y("share:Q", title=chart.y_label + " (%)", scale=alt.Scale(domain=[0, max(40, *(r["share"] for r in rows))]))
lines = alt.Chart(pd.DataFrame(rows)).mark_line(point=True).encode(
    x=x, y=y, color=alt.Color("series:N", title="", legend=alt.Legend(orient="bottom", labelLimit=400)),
    strokeDash=alt.StrokeDash("series:N", legend=None),
    tooltip=[alt.Tooltip("year:O", title=tr("report.col.year")), alt.Tooltip("share:Q", title="%", format=",.1f")])
targets = alt.Chart(marks).mark_point(shape="diamond", size=160, filled=True, color="#b71c1c").encode(
    x=x, y="share:Q", tooltip=[alt.Tooltip("label:N", title=tr("report.col.target"))])
labels = alt.Chart(marks).mark_text(dy=-14, align="right", color="#b71c1c").encode(x=x, y="share:Q", text="label:N")
st.markdown(f"**{chart.title}**")
st.altair_chart((lines + targets + labels).properties(height=300).configure(locale=vega_locale(L), aria=False),
                width="stretch")

table = targets_table(p, L)
st.markdown(f"**{table.title}**")
st.dataframe(pd.DataFrame(list(table.rows), columns=list(table.header)), hide_index=True, width="stretch",
             key="progress-targets", height=35 * (len(table.rows) + 1) + 3,  # every year in view, this one too
             column_config={table.header[0]: st.column_config.TextColumn(width="medium")})  # "2026 (đến 02/12/2026)"
st.caption(plain(table.note))
if p.plan:
    pt = plan_table(p, L)
    st.markdown(f"**{plain(pt.title)}**")
    st.dataframe(pd.DataFrame(list(pt.rows), columns=list(pt.header)), hide_index=True, width="stretch")
    st.caption(plain(pt.note))
ot = others_table(p, L)
with st.expander(plain(ot.title)):
    st.dataframe(pd.DataFrame(list(ot.rows), columns=list(ot.header)), hide_index=True, width="stretch")
    st.caption(plain(ot.note))
with st.expander(tr("progress.by_commune")):
    bc = p.by_commune.rename(columns={"name": tr("report.col.commune")}).rename_axis(tr("report.col.code"))
    bc.columns = [str(c) for c in bc.columns]
    st.dataframe(styled(bc, {str(y): "int" for y in p.by_commune.columns if y != "name"}, L), width="stretch")
    st.caption(tr("progress.by_commune_help"))

# --- record a change ------------------------------------------------------------------------
st.subheader(tr("progress.record"))
locked_note()
points = p.known  # every point the data and the record name, whatever day the figures above are for
order = sorted(points.index, key=lambda pid: (fold(communes.get(points.at[pid, "commune_code"], "")),
                                              fold(str(points.at[pid, "name"])), pid))


def point_label(pid: str) -> str:
    """Name and commune: a label that does not change with a status or the language (a changed label
    would make the box forget the choice while still showing it)."""
    r = points.loc[pid]
    return f"{r['name']} — {communes.get(r['commune_code'], r['commune_code'] or '?')}"


# The form's widgets are keyed by language and by the number of saves: a save gives a fresh,
# visibly empty form (a second click then has no point chosen and records nothing), a refused save
# keeps what was typed, and a language switch shows what will be recorded (the labels change).
rev = f"{L}-{st.session_state.get('progress-form-rev', 0)}"
with st.form(f"progress-record-{rev}", border=True):
    f1, f2, f3 = st.columns([3, 2, 2])
    point = f1.selectbox(tr("progress.point"), order, format_func=point_label, key=f"progress-point-{rev}", index=None,
                         placeholder=tr("progress.point_pick"))
    status = f2.selectbox(tr("progress.status"), STATUSES, index=STATUSES.index("in_use"),
                          format_func=lambda s: tr(f"record.status.{s}"), key=f"progress-status-{rev}")
    on = f3.date_input(tr("progress.date"), value=today, min_value=FIRST_DATE, max_value=today, format=DAY,
                       key=f"progress-date-{rev}")
    g1, g2, g3 = st.columns([2, 2, 3])
    cost_text = g1.text_input(tr("progress.cost"), key=f"progress-cost-{rev}", help=tr("progress.cost_help"),
                              max_chars=40)
    funding = g2.selectbox(tr("progress.funding"), ("",) + FUNDING, key=f"progress-funding-{rev}",
                           format_func=lambda f: tr(f"funding.{f}") if f else tr("progress.unknown"))
    note = g3.text_input(tr("progress.note"), max_chars=2000, key=f"progress-note-{rev}")
    sent = st.form_submit_button(tr("progress.save"), type="primary", disabled=not editable)
if sent and point is None:
    st.warning(tr("progress.no_point"))
elif sent and allow("record a status change"):
    try:
        entry = Entry(point_id=point, status=status, on=on, cost_vnd=cost_from_millions(cost_text, lang=L),
                      funding=funding or None, note=note, origin="app")
        twin = same_as(entry, entries)
        if twin is not None:
            raise PlannerError("err.record_same", seq=twin.seq, point=points.at[point, "name"],
                               status=tr(f"record.status.{status}"), day=fmt_date(on, L))
        (stored,) = db.add(pkg.name, [entry], today=today, recorded_by=user_name())
    except PlannerError as exc:
        st.error(message_of(exc))
    else:
        latest = max((e for e in current(entries) if e.point_id == point), key=lambda e: (e.on, e.seq), default=None)
        flash(tr("progress.recorded", seq=stored.seq, point=points.at[point, "name"],
                 status=tr(f"record.status.{status}"), day=fmt_date(on, L)))
        if latest is not None and latest.on > on:
            flash(tr("progress.earlier", day=fmt_date(latest.on, L), status=tr(f"record.status.{latest.status}")), "warning")
        st.session_state["progress-form-rev"] = st.session_state.get("progress-form-rev", 0) + 1
        st.rerun()

s1, s2 = st.columns([3, 1], vertical_alignment="bottom")
take = s1.selectbox(tr("progress.take"), saved, key="progress-take", placeholder=tr("pick.placeholder"), index=None,
                    help=tr("progress.take_help"))
if s2.button(tr("progress.take_button"), disabled=not (editable and take), key="progress-take-go") \
        and allow("take a scenario into the record"):
    try:
        s = scenarios_db.load(take)
        new, already = from_scenario(s, today=today, known=set(points.index))
        db.add(pkg.name, new, today=today, recorded_by=user_name())
    except PlannerError as exc:
        st.error(message_of(exc))
    else:
        flash(tr("cli.record_scenario", n=len(new), already=already, name=s.name), "success" if new else "info")
        st.rerun()

with st.expander(tr("progress.import")):
    import_list(pkg, points, db, recorded=entries, today=today, editable=editable)

# --- the record -----------------------------------------------------------------------------
record_section(p, points, db, package_name=pkg.name, today=today, editable=editable)
if p.today < today:
    st.caption(plain(tr("progress.after_as_of", day=fmt_date(p.today, L))))

# --- the periodic report --------------------------------------------------------------------
st.subheader(tr("progress.report"))
choices = [str(y) for y in range(p.today.year, p.years[0].year - 1, -1)] + ["midterm", "final"]
which = st.selectbox(tr("progress.period"), choices, key="progress-period",
                     format_func=lambda c: period(c, today=p.today).label(L).capitalize())
per = period(which, today=p.today)  # reported up to the day the figures above are for


def content():
    from datetime import datetime, timezone

    return report_content(p, pkg, per, L, now=datetime.now(timezone.utc))


name = f"bao-cao-tien-do-{which}" if L == "vi" else f"progress-report-{which}"
r1, r2 = st.columns(2)
r1.download_button("DOCX", data=lambda: report_docx(content()), file_name=f"{name}.docx", key="progress-docx",
                   mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document", on_click="ignore",
                   width="stretch")
r2.download_button("PDF", data=lambda: report_pdf(content()), file_name=f"{name}.pdf", key="progress-pdf",
                   mime="application/pdf", on_click="ignore", width="stretch")
st.caption(plain(tr("progress.report_help", period=per.label(L), day=fmt_date(per.until(p.today), L))))
