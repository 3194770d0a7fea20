"""The Data page through AppTest (uploads are exercised in tests/test_browser.py)."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.io import DEMO_DIR, write_package

APP = Path(__file__).resolve().parent.parent / "app.py"


def test_data_page_renders_with_templates(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/data.py").run()
    assert not at.exception, at.exception
    labels = [b.label for b in at.get("download_button")]
    assert "Thôn, bản" in labels and "Tải các danh sách hiện có (Excel)" in labels
    assert not any(b.label == "Quay lại dữ liệu minh họa" for b in at.button)


def test_back_to_demo(tmp_path, monkeypatch, demo):
    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))
    layers = {k: getattr(demo, k) for k in ("communes", "villages", "play_points", "schools")}
    own = write_package(layers, {"name": "Gói của tỉnh", "demo": False}, tmp_path / "own")
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["data_dir"] = str(own)
    at.run()
    assert not at.exception
    assert not any("Dữ liệu minh họa" in i.value for i in at.info)  # not the demo any more
    at.switch_page("views/data.py").run()
    next(b for b in at.button if b.label == "Quay lại dữ liệu minh họa").click().run()
    assert at.session_state["data_dir"] == str(DEMO_DIR)
    assert any("Đang dùng dữ liệu minh họa" in s.value for s in at.success)
