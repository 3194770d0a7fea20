"""The "Tiến độ" page's import of a commune's list: template, upload (read in the bounded worker),
the validation report, and the confirmation that records every row at once or nothing."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from planner.errors import PlannerError
from planner.formats import fmt_int
from planner.labels import problem_column
from planner.record_import import RecordContext, read_record_list_safely, template_xlsx
from ui.auth import allow, user_name
from ui.markdown import plain
from ui.state import flash, message_of, tr

MAX_LIST_MB = 20


def import_list(pkg, points: pd.DataFrame, db, *, today: date, editable: bool) -> None:
    L = st.session_state.get("lang", "vi")
    context = RecordContext(
        today=today, communes=tuple(zip(pkg.communes["code"].astype(str), pkg.communes["name"].astype(str))),
        points=tuple((str(pid), str(r["name"]), str(r["commune_code"])) for pid, r in points.iterrows()),
        recorded_by=user_name())
    st.caption(tr("progress.import_help"))
    st.download_button(tr("progress.template"), data=lambda: template_xlsx(L, context=context),
                       file_name="mau-danh-sach-diem.xlsx" if L == "vi" else "points-list-template.xlsx",
                       key="progress-template", on_click="ignore")
    upload = st.file_uploader(tr("progress.upload"), type=["xlsx", "csv"], key="progress-upload", disabled=not editable,
                              max_upload_size=MAX_LIST_MB)
    if upload is None:
        st.session_state.pop("progress-list", None)
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
    new_points = len({e.point_id for e in plan.entries} - set(points.index))
    st.info(plain(tr("progress.import_effect", rows=fmt_int(plan.rows_read, L), entries=fmt_int(len(plan.entries), L),
                     new=fmt_int(new_points, L), before=fmt_int(len(points), L),
                     after=fmt_int(len(points) + new_points, L))))
    if st.button(tr("progress.import_confirm", n=len(plan.entries)), type="primary", disabled=not editable,
                 key="progress-import-go") and allow("import a commune's list into the record"):
        try:
            db.add(pkg.name, plan.entries, today=today, recorded_by=user_name())
        except PlannerError as exc:
            st.error(message_of(exc))
            return
        st.session_state.pop("progress-list", None)
        flash(tr("progress.imported", n=len(plan.entries), file=plan.file))
        st.rerun()
