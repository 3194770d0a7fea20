"""Who may change what, through AppTest: off (the demo), local accounts, and Streamlit's OIDC login."""
import logging
from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from planner.accounts import Accounts, save_accounts
from planner.io import write_package
from planner.scenarios import Scenario
from planner.store import ScenarioStore
from conftest import plan_key

APP = Path(__file__).resolve().parent.parent / "app.py"
PASSWORD = "mật khẩu đúng"
OIDC = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "c" * 32, "client_id": "planner",
                 "client_secret": "s", "server_metadata_url": "https://idp.invalid/.well-known/openid-configuration"}}


@pytest.fixture()
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))
    monkeypatch.delenv("PLANNER_ACCOUNTS", raising=False)
    return tmp_path


@pytest.fixture()
def accounts(workspace):
    return save_accounts(Accounts().with_password("lan", PASSWORD, n=2**10), workspace / "accounts.toml")


def app(page="views/scenarios.py", *, secrets=None, user=None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    if secrets:
        at.secrets = secrets
    if user is not None:
        at.user = user
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def button(at, label):
    return next(b for b in at.button if b.label == label)


def click(at, label):
    button(at, label).click().run()
    assert not at.exception, at.exception
    return at


def sign_in(at, name, password):
    at.text_input(key="auth_name").set_value(name)
    at.text_input(key="auth_password").set_value(password)
    return click(at, "Đăng nhập")


def store(workspace):
    return ScenarioStore(workspace / "scenarios.sqlite")


def test_off_by_default_everything_editable(workspace):
    at = app()
    assert not any(b.label in ("Đăng nhập", "Đăng xuất") for b in at.button)
    assert not any("🔒" in c.value for c in at.caption)
    at.text_input(key=plan_key(at, "name")).set_value("Mở")
    click(at, "Lưu kịch bản")
    assert store(workspace).load("Mở").version == 1
    for label in ("Xóa “Mở”", "Khôi phục “Mở” về phiên bản 1"):
        assert not button(at, label).disabled
    assert not at.get("file_uploader")[0].proto.disabled


def test_local_not_signed_in_controls_disabled(workspace, accounts):
    store(workspace).save(Scenario(name="Có sẵn"))
    at = app()
    for label in ("Lưu kịch bản", "Xóa “Có sẵn”", "Khôi phục “Có sẵn” về phiên bản 1"):
        assert button(at, label).disabled, label
    assert at.get("file_uploader")[0].proto.disabled
    assert any("Chỉ người đã đăng nhập mới được lưu" in c.value for c in at.caption)
    assert not button(at, "Mở “Có sẵn”").disabled  # reading stays open
    at.text_input(key=plan_key(at, "name")).set_value("Chỉ xem").run()
    assert [(b.label, b.disabled) for b in at.get("download_button")] == [("PDF", False), ("XLSX", False), ("GPKG", False),
                                                                       ("Tải bản đồ để in", False)]
    at.session_state["lang"] = "en"
    at.run()
    assert any("Only signed-in users may save" in c.value for c in at.caption)


def test_forged_click_changes_nothing(workspace, accounts):
    store(workspace).save(Scenario(name="Có sẵn", description="gốc"))
    at = app()
    at.text_input(key=plan_key(at, "name")).set_value("Mới")
    at.run()
    for label in ("Lưu kịch bản", "Khôi phục “Có sẵn” về phiên bản 1", "Xóa “Có sẵn”"):
        b = button(at, label)
        b.proto.disabled = False  # what a crafted client could send: Streamlit drops it, and allow() would refuse it
        b.click().run()
        assert not at.exception
    assert store(workspace).names() == ["Có sẵn"] and store(workspace).load("Có sẵn").version == 1
    assert "scn_delete_pending" not in at.session_state


@pytest.fixture(autouse=True)
def fresh_failures():
    from ui.auth import failure_book

    failure_book.clear()  # the count is per server process: start each test from none
    yield
    failure_book.clear()


def test_wrong_password_then_throttle(workspace, accounts, caplog):
    caplog.set_level(logging.INFO, logger="planner.auth")
    at = app()
    sign_in(at, "lan", "mật khẩu sai")
    assert [e.value for e in at.error] == ["Sai tên tài khoản hoặc mật khẩu"]
    assert button(at, "Lưu kịch bản").disabled
    sign_in(at, PASSWORD, "x")  # a password typed into the name box
    sign_in(at, "lan", "sai nữa")
    sign_in(at, "lan", "sai lần ba")
    sign_in(at, "lan", PASSWORD)  # right, but too soon after three failures for this name
    assert any("hãy thử lại sau 5 giây" in e.value for e in at.error)
    assert button(at, "Lưu kịch bản").disabled and "auth_user" not in at.session_state
    other = app()  # a new tab or a reload does not start the count again
    sign_in(other, "lan", PASSWORD)
    assert any("hãy thử lại sau" in e.value for e in other.error) and "auth_user" not in other.session_state
    logs = " ".join(r.getMessage() for r in caplog.records if r.name == "planner.auth")
    assert "sign-in failed: 'lan' (failure 1" in logs and "sign-in failed: <unknown name>" in logs and "throttled" in logs
    assert PASSWORD not in logs and "mật khẩu" not in logs and "sai" not in logs.replace("sign-in", "")


def test_right_password_can_save_as_author(workspace, accounts, caplog):
    caplog.set_level(logging.INFO, logger="planner.auth")
    at = app()
    sign_in(at, "lan", PASSWORD)
    assert not at.error and any("Đã đăng nhập: lan" in c.value for c in at.caption)
    assert at.text_input(key=plan_key(at, "author-lan")).value == "lan"
    at.text_input(key=plan_key(at, "name")).set_value("Của Lan")
    click(at, "Lưu kịch bản")
    assert store(workspace).load("Của Lan").author == "lan"
    assert any("sign-in: 'lan'" == r.getMessage() for r in caplog.records)
    assert any(r.getMessage() == "edit allowed: save scenario by 'lan'" for r in caplog.records)
    assert all(PASSWORD not in r.getMessage() for r in caplog.records)
    click(at, "Đăng xuất")
    assert button(at, "Lưu kịch bản").disabled


def test_revoked_account_loses_the_right_at_once(workspace, accounts, caplog):
    caplog.set_level(logging.INFO, logger="planner.auth")
    at = app()
    sign_in(at, "lan", PASSWORD)
    at.text_input(key=plan_key(at, "name")).set_value("Sau khi thu hồi")
    at.run()
    assert not button(at, "Lưu kịch bản").disabled
    save_accounts(Accounts().with_password("minh", "mat-khau-2", n=2**10), accounts)  # the admin removed lan
    click(at, "Lưu kịch bản")
    assert any("Thao tác bị từ chối" in w.value for w in at.warning)
    assert store(workspace).names() == []
    assert button(at, "Lưu kịch bản").disabled and any(b.label == "Đăng nhập" for b in at.button)
    assert "edit rights withdrawn: 'lan' is no longer in the accounts file" in [r.getMessage() for r in caplog.records]


def test_broken_accounts_file_locks_and_says_why(workspace, monkeypatch):
    monkeypatch.setenv("PLANNER_ACCOUNTS", str(workspace / "missing.toml"))
    at = app()
    assert any("Không tìm thấy tệp tài khoản" in e.value for e in at.error)
    assert button(at, "Lưu kịch bản").disabled
    assert any("cấu hình đăng nhập có lỗi" in c.value for c in at.caption)


def test_data_page_activation_needs_sign_in(workspace, accounts, demo):
    layers = {k: getattr(demo, k) for k in ("communes", "villages", "play_points", "schools")}
    own = write_package(layers, {"name": "Gói của tỉnh", "demo": False}, workspace / "own")
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["data_dir"] = str(own)
    at.run()
    at.switch_page("views/data.py").run()
    assert button(at, "Quay lại dữ liệu minh họa").disabled
    assert any("Chỉ người đã đăng nhập" in c.value for c in at.caption)
    assert not any(b.disabled for b in at.get("download_button"))  # templates and lists stay open
    sign_in(at, "lan", PASSWORD)
    click(at, "Quay lại dữ liệu minh họa")
    assert any("Đang dùng dữ liệu minh họa" in s.value for s in at.success)


def test_oidc_offers_login_then_lets_the_user_edit(workspace, accounts, monkeypatch):
    calls = []
    monkeypatch.setattr(streamlit, "login", lambda *a: calls.append(a))
    at = app(secrets=OIDC, user={"is_logged_in": False})
    assert button(at, "Lưu kịch bản").disabled
    assert not any(t.key == "auth_name" for t in at.text_input)  # OIDC wins over the accounts file
    click(at, "Đăng nhập bằng tài khoản cơ quan")
    assert calls == [()]
    at.user = {"is_logged_in": True, "name": "Chị Lan", "email": "lan@laichau.gov.vn"}
    at.run()
    assert any("Đã đăng nhập: Chị Lan" in c.value for c in at.caption)
    assert at.text_input(key=plan_key(at, "author-Chị Lan")).value == "Chị Lan"
    at.text_input(key=plan_key(at, "name")).set_value("OIDC")
    click(at, "Lưu kịch bản")
    assert store(workspace).load("OIDC").author == "Chị Lan"
    click(at, "Đăng xuất")  # st.logout
    assert at.user == {"is_logged_in": False} and button(at, "Lưu kịch bản").disabled


def test_oidc_named_providers(workspace, monkeypatch):
    calls = []
    monkeypatch.setattr(streamlit, "login", lambda *a: calls.append(a))
    secrets = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "c" * 32,
                        "microsoft": {"client_id": "a", "client_secret": "b", "server_metadata_url": "https://idp.invalid/x"}}}
    at = app(secrets=secrets, user={"is_logged_in": False})
    click(at, "Đăng nhập bằng microsoft")
    assert calls == [("microsoft",)]


def test_allow_refuses_logs_and_explains(workspace, accounts, caplog):
    """The second check at the moment of an edit (for a right lost between drawing and clicking)."""
    def page():
        import streamlit as st

        from ui.auth import allow

        st.session_state["lang"] = "en"
        st.session_state["result"] = allow("save scenario")

    caplog.set_level(logging.INFO, logger="planner.auth")
    at = AppTest.from_function(page).run()
    assert at.session_state["result"] is False
    assert [w.value for w in at.warning] == ["Refused: you are not signed in (or your account was revoked); nothing was changed."]
    assert "edit refused: save scenario (sign-in local, user '-')" in [r.getMessage() for r in caplog.records]


def test_unreadable_secrets_file_locks_editing(workspace, tmp_path):
    from streamlit import config

    bad = tmp_path / "secrets.toml"
    bad.write_text("[auth\nclient_id = 'x'\n", encoding="utf-8")
    saved = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(bad)])
    try:
        at = app()
    finally:
        config.set_option("secrets.files", saved)
    assert any("Không đọc được .streamlit/secrets.toml" in e.value for e in at.error)
    assert button(at, "Lưu kịch bản").disabled and any("cấu hình đăng nhập có lỗi" in c.value for c in at.caption)


def test_uploads_need_a_signed_in_user(workspace, accounts):
    """With sign-in on, nobody's file is read before they sign in: the Data page's uploaders (and the
    scenario import) are disabled until then."""
    at = app("views/data.py")
    uploaders = at.get("file_uploader")
    assert len(uploaders) == 11 and all(u.proto.disabled for u in uploaders)  # 8 lists, 3 for the terrain
    sign_in(at, "lan", PASSWORD)
    assert not any(u.proto.disabled for u in at.get("file_uploader"))
