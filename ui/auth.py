"""Who may change what: reading is open; saving, deleting, restoring and importing can be limited
to signed-in users.

Three modes, chosen from the deployment (see docs/deployment.md):
- "oidc": `.streamlit/secrets.toml` has an `[auth]` section -> Streamlit's own login (st.login);
  a secrets file that cannot be read also counts, with nobody signed in (fails closed).
- "local": $PLANNER_ACCOUNTS is set, or WORKSPACE/accounts.toml exists -> a sign-in form here.
- "off": neither -> everyone may edit (the local demo).
Pages call `can_edit()` to disable controls (Streamlit itself drops clicks on a disabled widget,
so a crafted client cannot press them) and `allow(action)` again when an edit is done.
"""
from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import streamlit as st

from planner.accounts import FailureBook, accounts_enabled, accounts_path, attempt_keys, load_accounts
from planner.errors import PlannerError
from ui.markdown import plain
from ui.state import message_of, tr, workspace

Mode = Literal["off", "oidc", "local"]
USER_KEY = "auth_user"


log = logging.getLogger("planner.auth")  # to stderr through the "planner" handler that ui.state sets up


UNREADABLE: Mapping = {"unreadable": True}  # a secrets file is there but cannot be read: fail closed


def _auth_section() -> Mapping:
    secrets = st.secrets  # looked up at call time: AppTest swaps it
    try:
        loaded = secrets.load_if_toml_exists()
    except OSError:  # e.g. no permission to read it
        loaded = False
    if not loaded:
        return UNREADABLE if any(Path(p).exists() for p in st.get_option("secrets.files")) else {}
    section = secrets.get("auth")
    return section if isinstance(section, Mapping) else {}


def oidc_providers() -> list[str | None]:
    """Providers configured in secrets `[auth]`: None for the default one, else each named table."""
    section = _auth_section()
    named = [k for k, v in section.items() if isinstance(v, Mapping) and "client_id" in v]
    return ([None] if "client_id" in section else []) + sorted(named)


def _accounts_file() -> Path:
    return accounts_path(workspace=workspace(), environ=os.environ)


def mode() -> Mode:
    if _auth_section():
        return "oidc"
    return "local" if accounts_enabled(workspace=workspace(), environ=os.environ) else "off"


def user_name() -> str:
    """The signed-in user's name ("" if nobody is signed in or sign-in is off)."""
    m = mode()
    if m == "oidc":
        if not st.user.get("is_logged_in", False):
            return ""
        return str(st.user.get("name") or st.user.get("email") or "?")
    if m == "local":
        return st.session_state.get(USER_KEY, "")
    return ""


def can_edit() -> bool:
    """True if this session may save, delete, restore or import. A local account removed from the
    file loses the right at once, even in a session that signed in before."""
    m = mode()
    if m == "off":
        return True
    if m == "oidc":
        return bool(st.user.get("is_logged_in", False))
    name = st.session_state.get(USER_KEY)
    if not name:
        return False
    try:
        return name in load_accounts(_accounts_file()).users
    except PlannerError:
        return False


def allow(action: str) -> bool:
    """Check again at the moment of an edit; log it; say why when refused."""
    if can_edit():
        log.info("edit allowed: %s by %r", action, user_name() or "-")
        return True
    log.warning("edit refused: %s (sign-in %s, user %r)", action, mode(), st.session_state.get(USER_KEY) or "-")
    st.warning(tr("auth.refused"))
    return False


def locked_note() -> None:
    """A caption saying why the editing controls are disabled (nothing when they are not)."""
    if can_edit():
        return
    broken = _auth_section() is UNREADABLE
    if mode() == "local":
        try:
            load_accounts(_accounts_file())
        except PlannerError:
            broken = True
    st.caption(("🔒 " + tr("auth.locked_config")) if broken else ("🔒 " + tr("auth.locked")))


def sidebar() -> None:
    """Sign-in / sign-out controls for the sidebar (nothing when sign-in is off)."""
    m = mode()
    if m == "off":
        return
    st.divider()
    if m == "oidc":
        _oidc_controls()
    else:
        _local_controls()


def _oidc_controls() -> None:
    if _auth_section() is UNREADABLE:
        log.error("secrets file unreadable: editing locked")
        st.error(tr("auth.secrets_broken"))
        return
    if st.user.get("is_logged_in", False):
        st.caption(plain(tr("auth.signed_in", name=user_name())))
        st.button(tr("auth.sign_out"), key="auth_sign_out", on_click=_oidc_sign_out)
        return
    st.caption(tr("auth.heading"))
    for provider in oidc_providers():
        label = provider or tr("auth.provider_default")
        st.button(tr("auth.sign_in_provider", provider=label), key=f"auth_login_{provider or 'default'}",
                  on_click=_oidc_sign_in, args=(provider,))


def _oidc_sign_in(provider: str | None) -> None:
    log.info("sign-in started with provider %r", provider or "default")
    if provider:
        st.login(provider)
    else:
        st.login()


def _oidc_sign_out() -> None:
    log.info("sign-out: %r", user_name() or "-")
    st.logout()


def _local_controls() -> None:
    path = _accounts_file()
    try:
        load_accounts(path)
    except PlannerError as exc:
        log.error("accounts file unusable: %s", exc.message("en"))
        st.error(message_of(exc))
        return
    name = st.session_state.get(USER_KEY)
    if name and can_edit():
        st.caption(plain(tr("auth.signed_in", name=name)))
        if st.button(tr("auth.sign_out"), key="auth_sign_out"):
            log.info("sign-out: %r", name)
            st.session_state.pop(USER_KEY, None)
            st.rerun()
        return
    if name:  # signed in earlier, but the account has left the file: whatever was clicked is dropped
        log.warning("edit rights withdrawn: %r is no longer in the accounts file", name)
        st.warning(tr("auth.refused"))
        st.session_state.pop(USER_KEY, None)
    with st.form("auth_form", clear_on_submit=True):
        st.caption(tr("auth.heading"))
        typed = st.text_input(tr("auth.name"), key="auth_name")
        password = st.text_input(tr("auth.password"), type="password", key="auth_password")
        submitted = st.form_submit_button(tr("auth.sign_in"))
    if submitted:
        _sign_in(typed, password, path)


@st.cache_resource(show_spinner=False)
def failure_book() -> FailureBook:
    """Failed sign-ins for the whole server process (a new tab does not reset them)."""
    return FailureBook()


def _client_address() -> str | None:
    headers = st.context.headers or {}
    forwarded = headers.get("X-Forwarded-For", "").split(",")[0].strip()  # set by the proxy (docs/deployment.md)
    return forwarded or st.context.ip_address


def _sign_in(typed: str, password: str, path: Path) -> None:
    book, now = failure_book(), time.monotonic()
    keys = attempt_keys(typed, _client_address())
    try:
        accounts = load_accounts(path)
    except PlannerError as exc:
        st.error(message_of(exc))
        return
    shown = repr(" ".join(typed.split())) if " ".join(typed.split()) in accounts.users else "<unknown name>"  # never a mistyped password
    wait = book.wait_s(keys, now_s=now)
    if wait > 0:
        log.warning("sign-in refused without checking (throttled, %d failures): %s", book.failures(keys), shown)
        st.error(tr("auth.wait", s=math.ceil(wait)))
        return
    who = accounts.authenticate(typed, password)
    if who is None:
        book.failed(keys, now_s=now)
        log.warning("sign-in failed: %s (failure %d for this name or address)", shown, book.failures(keys))
        st.error(tr("auth.failed"))
        return
    st.session_state[USER_KEY] = who
    book.succeeded(keys[:1])
    log.info("sign-in: %r", who)
    st.rerun()
