"""The production settings in .streamlit/config.toml (why: docs/deployment.md)."""
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_production_settings():
    assert CONFIG["client"]["showErrorDetails"] == "none"  # not `false`: that still shows tracebacks
    assert CONFIG["client"]["toolbarMode"] == "minimal"  # no main menu: its items are English (Print...)
    assert CONFIG["server"]["maxUploadSize"] == 200
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["server"]["enableCORS"] is True  # XSRF alone does not stop cross-origin WebSockets
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["server"]["headless"] is True
    assert CONFIG["server"]["fileWatcherType"] == "none"  # no module reloads under live sessions


def test_upload_limit_matches_the_importer():
    from planner.importing.files import MAX_UPLOAD_BYTES

    assert CONFIG["server"]["maxUploadSize"] * 1024 * 1024 == MAX_UPLOAD_BYTES


def test_error_details_hide_type_message_and_traceback():
    """Streamlit's own redaction under our value: a generic message, no type, no traceback."""
    from streamlit import config
    from streamlit.elements import exception
    from streamlit.proto.Exception_pb2 import Exception as ExceptionProto

    saved = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", CONFIG["client"]["showErrorDetails"])
    try:
        try:
            raise RuntimeError("secret path /srv/planner/workspace")
        except RuntimeError as exc:
            proto = ExceptionProto()
            exception.marshall(proto, exc, apply_show_error_details=True)
    finally:
        config.set_option("client.showErrorDetails", saved)
    assert not proto.stack_trace and not proto.type and "secret" not in proto.message


def test_documented():
    doc = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    for word in ("showErrorDetails", "enableXsrfProtection", "allowedHosts", "client_max_body_size", "/_stcore/stream",
                 "PLANNER_WORKSPACE", "PLANNER_ACCOUNTS", "[auth]", "systemd", "scenarios.sqlite"):
        assert word in doc, word
