"""The "Tiến độ" page's import of a commune's list: template, upload (read in the bounded worker),
the validation report, and the confirmation that records every row at once or nothing."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from planner.errors import PlannerError
from planner.formats import fmt_date, fmt_datetime, fmt_int, fmt_num, fmt_vnd
from planner.labels import problem_column
from planner.progress import set_aside
from planner.proposals import FUNDING
from planner.record import FIRST_DATE, STATUSES, Entry, cost_from_millions, same_as
from planner.record_import import context_for, read_record_list_safely, template_xlsx
from ui.auth import allow, user_name
from ui.markdown import plain
from ui.state import flash, message_of, tr

MAX_LIST_MB = 20
DAY = "DD/MM/YYYY"  # in English too: a format that changes with the language would reset the chosen day


def import_list(pkg, points: pd.DataFrame, db, *, recorded, today: date, editable: bool) -> None:
    """`points`: every point known (its id, name, commune); `recorded`: the record's entries."""
    L = st.session_state.get("lang", "vi")
    context = context_for(pkg, points, today=today, recorded_by=user_name())
    st.caption(tr("progress.import_help"))
    st.download_button(tr("progress.template"), data=lambda: template_xlsx(L, context=context),
                       file_name="mau-danh-sach-diem.xlsx" if L == "vi" else "points-list-template.xlsx",
                       key="progress-template", on_click="ignore")
    upload = st.file_uploader(tr("progress.upload"), type=["xlsx", "csv"], key="progress-upload", disabled=not editable,
                              max_upload_size=MAX_LIST_MB)
    if upload is None:
        st.session_state.pop("progress-list", None)
        return
    if st.session_state.get("progress-list-done") == upload.file_id:  # recorded already: not offered again
        st.success(plain(tr("progress.list_done", file=upload.name)))
        return
    held = st.session_state.get("progress-list")
    if held is None or held[0] != upload.file_id:
        try:
            plan = read_record_list_safely(upload.name, upload.getvalue(), context=context)
        except PlannerError as exc:
            st.error(message_of(exc))
            return
        st.session_state["progress-list"] = held = (upload.file_id, plan)
    plan = held[1]
    if plan.problems:
        st.dataframe(pd.DataFrame([{tr("data.severity"): tr(f"data.sev.{p.severity}"), tr("data.row"):
                                    "" if p.row is None else str(p.row), tr("data.field"): problem_column(p, L),
                                    tr("data.what"): p.message(L)} for p in plan.problems]),
                     hide_index=True, width="stretch")
    st.caption(tr("data.counts", errors=len(plan.errors), warnings=len(plan.warnings)))
    if not plan.ok:
        st.error(tr("progress.import_blocked"))
        return
    fresh = [e for e in plan.entries if same_as(e, recorded) is None]  # a list sent twice records nothing twice
    if len(fresh) < len(plan.entries):
        st.warning(tr("progress.same_skipped", n=fmt_int(len(plan.entries) - len(fresh), L)))
    new_points = len({e.point_id for e in fresh} - set(points.index))
    st.info(plain(tr("progress.import_effect", rows=fmt_int(plan.rows_read, L), entries=fmt_int(len(fresh), L),
                     new=fmt_int(new_points, L), before=fmt_int(len(points), L),
                     after=fmt_int(len(points) + new_points, L))))
    if st.button(tr("progress.import_confirm", n=fmt_int(len(fresh), L)), type="primary",
                 disabled=not (editable and fresh), key="progress-import-go") \
            and allow("import a commune's list into the record"):
        try:
            db.add(pkg.name, fresh, today=today, recorded_by=user_name())
        except PlannerError as exc:
            st.error(message_of(exc))
            return
        st.session_state.pop("progress-list", None)
        st.session_state["progress-list-done"] = upload.file_id
        flash(tr("progress.imported", n=fmt_int(len(fresh), L), file=plan.file))
        st.rerun()


def record_section(p, points: pd.DataFrame, db, *, package_name: str, today: date, editable: bool) -> None:
    """The record's entries (the package's own history on demand), each correction marked, and the
    form that corrects or withdraws an entry (a new entry; the old one stays)."""
    L = st.session_state.get("lang", "vi")
    st.subheader(tr("progress.history"))
    replaced_by = {e.replaces: e.seq for e in p.entries if e.replaces is not None}
    aside = set_aside(p.entries)  # the package's entries the record contradicts

    def entry_row(e: Entry) -> dict:
        mark = (tr("progress.replaced_by", seq=replaced_by[e.seq]) if e.seq in replaced_by
                else tr("progress.set_aside") if e.seq in aside
                else tr("progress.withdraws", seq=e.replaces) if e.withdrawn
                else tr("progress.corrects", seq=e.replaces) if e.replaces else "")
        name = points.at[e.point_id, "name"] if e.point_id in points.index else e.point_id
        return {tr("progress.col.seq"): str(e.seq) if e.seq > 0 else "—", tr("progress.point"): name,
                tr("progress.status"): tr("progress.withdrawn") if e.withdrawn else tr(f"record.status.{e.status}"),
                tr("progress.date"): fmt_date(e.on, L), tr("progress.col.mark"): mark,
                tr("report.col.cost"): "—" if e.cost_vnd is None else fmt_vnd(e.cost_vnd, L),
                tr("progress.funding"): tr(f"funding.{e.funding}") if e.funding else "—",
                tr("progress.note"): tr("progress.note_demo") if e.note == "demo" and e.origin == "package"
                else tr(f"progress.note_{e.note}") if e.origin == "package" and e.note else e.note,
                tr("progress.col.by"): e.recorded_by or (tr("progress.from_data") if e.origin == "package" else "—"),
                tr("progress.col.at"): fmt_datetime(e.recorded_at, L) if e.recorded_at else "—"}

    mine = [e for e in p.entries if e.seq > 0]
    shown = st.radio(tr("progress.show"), ("recorded", "all"), horizontal=True, key=f"progress-show-{L}",
                     format_func=lambda k: tr(f"progress.show_{k}"))  # no counts in the labels: they would reset it
    listed = mine if shown == "recorded" else list(p.entries)
    if listed:
        st.dataframe(pd.DataFrame([entry_row(e) for e in listed]), hide_index=True, width="stretch", key="progress-history")
    else:
        st.caption(tr("progress.none_recorded"))
    by_seq = {e.seq: e for e in mine if not e.withdrawn}
    if by_seq:
        with st.expander(tr("progress.correct")):
            # every entry stays a choice (a list that shrank when someone else corrected one would
            # silently move this person's choice to another entry); the store refuses a stale correction
            fix = st.selectbox(tr("progress.correct_pick"), list(by_seq), key="progress-fix",
                               format_func=lambda k: " · ".join(list(entry_row(by_seq[k]).values())[:4]))
            old = by_seq[fix]
            if fix in replaced_by:
                st.info(tr("progress.is_replaced", seq=fix, new=replaced_by[fix]))
            with st.form(f"progress-fix-{fix}-{L}"):
                h1, h2 = st.columns(2)
                new_status = h1.selectbox(tr("progress.status"), STATUSES, index=STATUSES.index(old.status),
                                          format_func=lambda s: tr(f"record.status.{s}"), key=f"progress-fix-status-{fix}-{L}")
                new_on = h2.date_input(tr("progress.date"), value=old.on, min_value=FIRST_DATE, max_value=today,
                                       format=DAY, key=f"progress-fix-date-{fix}-{L}")
                h3, h4 = st.columns(2)
                new_cost = h3.text_input(tr("progress.cost"), key=f"progress-fix-cost-{fix}-{L}", max_chars=40,
                                         value="" if old.cost_vnd is None else fmt_num(old.cost_vnd / 1e6, L, 3, trim=True))
                new_funding = h4.selectbox(tr("progress.funding"), ("",) + FUNDING, key=f"progress-fix-funding-{fix}-{L}",
                                           index=(("",) + FUNDING).index(old.funding or ""),
                                           format_func=lambda f: tr(f"funding.{f}") if f else tr("progress.unknown"))
                new_note = st.text_input(tr("progress.note"), value=old.note, max_chars=2000, key=f"progress-fix-note-{fix}-{L}")
                k1, k2 = st.columns(2)
                save_fix = k1.form_submit_button(tr("progress.correct_save"), disabled=not editable)
                withdraw = k2.form_submit_button(tr("progress.withdraw"), disabled=not editable)
            if (save_fix or withdraw) and allow("correct a record entry"):
                try:
                    fixed = replace(old, status=new_status, on=new_on, note=new_note, replaces=old.seq,
                                    withdrawn=bool(withdraw), cost_vnd=cost_from_millions(new_cost, lang=L),
                                    funding=new_funding or None, seq=0, recorded_by="", recorded_at="", origin="app")
                    (stored,) = db.add(package_name, [fixed], today=today, recorded_by=user_name())
                except PlannerError as exc:
                    st.error(message_of(exc))
                else:
                    flash(tr("progress.corrected", seq=old.seq, new=stored.seq))
                    st.rerun()
