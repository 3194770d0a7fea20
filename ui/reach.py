"""The sidebar's reach settings: straight line (metres) or walking (minutes), written into the plan."""
from __future__ import annotations

import streamlit as st

from planner.reach import MINUTES_RANGE, REACH_MODES
from planner.scenarios import RADIUS_RANGE_M
from ui.logs import guarded
from ui.plan import current, put, widget_key
from planner.i18n import t
from ui.state import lang, package, tr


def _has_terrain() -> bool:
    try:
        return package().has_terrain
    except Exception:  # noqa: BLE001 - a broken package: app.py says so; walking is simply not offered
        return False


def _set_mode(mode) -> None:
    if mode in REACH_MODES:
        put(current().edited(reach_mode=mode))


def sidebar() -> None:
    """Mode, then the radius or the minutes; each change goes into the plan (saved with a scenario)."""
    plan = current()
    terrain = _has_terrain()
    # the language is in the key: its labels change with it, and Streamlit then reports a changed value
    mode_key = widget_key(f"reach_mode-{lang()}")
    radius_key, minutes_key = widget_key("radius_m"), widget_key("walk_minutes")
    mode = plan.scenario.reach_mode if terrain and plan.scenario.reach_mode in REACH_MODES else "line"
    st.radio(
        tr("reach.mode"), REACH_MODES, index=REACH_MODES.index(mode), key=mode_key, horizontal=True,
        format_func=lambda m, lang=lang(): t(f"reach.mode_{m}", lang),  # bound: AppTest replays by label
        help=tr("reach.mode_help"), disabled=not terrain,
        on_change=guarded(lambda: _set_mode(st.session_state.get(mode_key)), "change reach mode"),
    )
    if not terrain:
        st.caption(tr("reach.no_terrain"))
    if mode == "walk":
        lo, hi = MINUTES_RANGE
        st.number_input(
            tr("reach.minutes"), min_value=int(lo), max_value=int(hi), step=5, value=int(round(plan.scenario.walk_minutes)),
            key=minutes_key, help=tr("reach.minutes_help"),
            on_change=guarded(lambda: put(current().edited(walk_minutes=float(st.session_state[minutes_key]))),
                              "change walking minutes"),
        )
        if package().manifest.get("terrain", {}).get("demo"):
            st.caption(tr("reach.demo_terrain"))
    else:
        lo, hi = RADIUS_RANGE_M
        st.number_input(  # the plan's radius, written back only when the planner changes it
            tr("app.radius"), min_value=int(lo), max_value=int(hi), step=100, value=int(round(plan.scenario.radius_m)),
            key=radius_key, help=tr("app.radius_help"),
            on_change=guarded(lambda: put(current().edited(radius_m=float(st.session_state[radius_key]))), "change radius"),
        )
