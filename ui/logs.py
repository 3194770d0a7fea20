"""The server log and what a user sees when something fails.

`setup_logging` gives the "planner" loggers one stderr handler with timestamps, once per process
(Streamlit reruns pages, not imports). `show_failure` is the pages' last line of defence: a
PlannerError shows its own message; anything else shows a short "something went wrong" with a
reference that is also written to the log, with the traceback.
"""
from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Callable

import streamlit as st

from planner.errors import PlannerError
from ui.lang import lang
from ui.markdown import plain

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
HANDLER_NAME = "planner-stderr"
FAULT_KEY = "_planner_fault"  # a failure in a widget callback, shown on the next page run

log = logging.getLogger("planner.app")


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record is written (the server's stderr)."""

    def __init__(self) -> None:
        super().__init__()
        self.set_name(HANDLER_NAME)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def setup_logging(level: int = logging.INFO) -> logging.Logger:
    """The "planner" logger with one stderr handler; calling it again adds nothing."""
    root = logging.getLogger("planner")
    if not any(h.get_name() == HANDLER_NAME for h in root.handlers):
        handler = _Stderr()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
        root.setLevel(level)
    return root


def new_ref() -> str:
    """A short reference a user can read out to an administrator."""
    return uuid.uuid4().hex[:8].upper()


def log_failure(exc: BaseException, where: str) -> str | None:
    """Log `exc`; returns the reference of an unexpected error, None for a PlannerError."""
    if isinstance(exc, PlannerError):
        log.warning("%s: %s (%s): %s", where, type(exc).__name__, exc.key, exc.message("en"))
        return None
    ref = new_ref()
    log.error("unexpected error, reference %s, %s: %s: %s", ref, where, type(exc).__name__, exc, exc_info=exc)
    return ref


def failure_text(exc: BaseException, ref: str | None, lang: str) -> str:
    from planner.i18n import t

    if isinstance(exc, PlannerError):
        return plain(exc.message(lang))
    return t("fault.unexpected", lang, ref=ref)


def show_failure(exc: BaseException, where: str) -> str | None:
    """Log `exc` and show the user a short message in their language, never a traceback."""
    ref = log_failure(exc, where)
    st.error(failure_text(exc, ref, lang()))
    return ref


def guarded(fn: Callable[[], object], where: str) -> Callable[[], None]:
    """A widget callback that cannot break the page: a failure is logged and shown on the run
    that follows (Streamlit runs callbacks before the page script)."""

    def run() -> None:
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            st.session_state[FAULT_KEY] = failure_text(exc, log_failure(exc, where), lang())

    return run


def show_pending_fault() -> None:
    """Show a callback's failure (see `guarded`), once."""
    text = st.session_state.pop(FAULT_KEY, None)
    if text:
        st.error(text)
