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


def _upload_points(tmp_path, monkeypatch, demo):
    """The Data page over the demo with a CSV of three new play points uploaded."""
    from tests.test_import_modes import points_csv

    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/data.py").run()
    at.file_uploader(key="up-play_points").set_value(("diem.csv", points_csv(demo), "text/csv")).run()
    assert not at.exception, at.exception
    return at


def _check(at):
    next(b for b in at.button if b.label == "Kiểm tra").click().run()
    assert not at.exception, at.exception
    return at


def test_a_list_the_package_has_asks_add_or_replace_before_checking(tmp_path, monkeypatch, demo):
    at = _upload_points(tmp_path, monkeypatch, demo)
    radio = at.radio(key="import_mode")
    assert radio.value is None and radio.index is None  # nothing chosen for the user
    assert list(radio.options) == ["Thêm vào danh sách hiện có", "Thay thế danh sách hiện có"]
    assert any("dữ liệu hiện tại có 19 dòng, tệp diem.csv có 3 dòng" in c.value for c in at.caption)
    _check(at)
    assert any("Hãy chọn thêm vào hay thay thế danh sách hiện có" in e.value for e in at.error)
    assert not any(s.value == "Báo cáo kiểm tra" for s in at.subheader)
    assert not any(b.label == "Xác nhận và dùng dữ liệu này" for b in at.button)


def test_adding_shows_the_effect_before_confirming(tmp_path, monkeypatch, demo):
    at = _upload_points(tmp_path, monkeypatch, demo)
    at.radio(key="import_mode").set_value("add").run()
    _check(at)
    assert any(s.value == "Thay đổi so với dữ liệu hiện tại" for s in at.subheader)
    table = at.table[-1].value
    changes = dict(zip(table.index, table.iloc[:, 0]))
    assert changes["Điểm vui chơi (số dòng)"] == "19 → 22"
    assert changes["Số điểm vui chơi"] == "19 → 22"
    assert changes["Xã có điểm vui chơi"] == "9/38 (23,7%) → 12/38 (31,6%)"
    assert changes["Trẻ em trong bán kính 2.000 m"] == "18.764 → 21.546"
    assert not any("sẽ bị bỏ" in w.value for w in at.warning)
    assert any(b.label == "Xác nhận và dùng dữ liệu này" for b in at.button)


def test_replacing_warns_how_many_rows_go(tmp_path, monkeypatch, demo):
    at = _upload_points(tmp_path, monkeypatch, demo)
    at.radio(key="import_mode").set_value("replace").run()
    _check(at)
    table = at.table[-1].value
    changes = dict(zip(table.index, table.iloc[:, 0]))
    assert changes["Xã có điểm vui chơi"] == "9/38 (23,7%) → 3/38 (7,9%)"
    assert any("Điểm vui chơi: 19 trong 19 dòng hiện có sẽ bị bỏ khi nhập" in w.value for w in at.warning)
    at.radio(key="import_mode").set_value("add").run()  # another choice: the report made with the first one goes
    assert not any(s.value == "Thay đổi so với dữ liệu hiện tại" for s in at.subheader)
