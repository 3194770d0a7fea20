"""The session's plan: one `planner.plan.Plan` value. Pages read it with `current()`, make one core
call, and put back the new value with `put()`; nothing else in the session holds a piece of it.

Widgets that edit the plan take their value from it and a key with `widget_key(name)`, which holds
the plan's revision: when the plan is replaced as a whole (a scenario opened, a new one started,
the data package changed) every form starts afresh from the new plan, never from a stale value.
"""
from __future__ import annotations

import streamlit as st

from planner.analysis import Analysis
from planner.plan import Plan
from ui.auth import user_name
from ui.state import analysis_at, data_dir, flash, package, tr

KEY = "plan"


def current() -> Plan:
    """The session's plan, on the session's data package (moved there, with a note, when the
    package changed since the plan was made)."""
    plan = st.session_state.get(KEY)
    path = data_dir()
    if plan is None:
        plan = Plan.new(package=path, author=user_name())
    elif plan.package != path:
        try:
            pkg = package()
        except Exception:  # noqa: BLE001 - a broken package: app.py says so; the plan stays where it was until it loads
            return plan
        plan, outside = plan.on_package(path, pkg)
        if plan.proposals or plan.saved_name:
            flash(tr("plan.package_changed"), "info")
        if outside:
            flash(tr("plan.outside", n=len(outside), ids=", ".join(outside[:5]) + (", …" if len(outside) > 5 else "")),
                  "warning")
    st.session_state[KEY] = plan
    return plan


def put(plan: Plan) -> Plan:
    st.session_state[KEY] = plan
    return plan


def widget_key(name: str) -> str:
    """A key for a widget that edits the plan: new whenever the plan is replaced as a whole."""
    return f"plan-{current().revision}-{name}"


def analysis() -> Analysis:
    """The session's data package under the plan's reach rule (a plan walking on a package
    without terrain goes back to straight-line reach, and the planner is told)."""
    plan = current()
    if plan.scenario.reach_mode == "walk" and not package().has_terrain:
        plan = put(plan.edited(reach_mode="line"))
        st.warning(tr("reach.no_terrain"))
    return analysis_at(plan.scenario.reach_rule)
