"""The session's language: the one setting every shell module needs (no other ui imports here)."""
from __future__ import annotations

import streamlit as st

from planner.i18n import DEFAULT_LANG, t


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANG)


def tr(key: str, **params) -> str:
    return t(key, lang(), **params)
