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


def _changes(at) -> dict:
    table = at.table[-1].value
    return dict(zip(table.index, table.iloc[:, 0]))


def _report(at) -> bool:
    return any(s.value == "Báo cáo kiểm tra" for s in at.subheader)


def _confirm(at) -> bool:
    return any(b.label == "Xác nhận và dùng dữ liệu này" for b in at.button)


def _checked(at) -> bool:
    """Whether a valid check result is on screen: the report and the confirm button."""
    assert _report(at) == _confirm(at), (_report(at), _confirm(at))
    return _report(at)


def _stale_note(at) -> bool:
    return any("đã thay đổi sau lần kiểm tra trước" in i.value for i in at.info)


def test_children_within_reach_at_the_sessions_radius(tmp_path, monkeypatch, demo):
    from planner.summary import summarize

    at = _upload_points(tmp_path, monkeypatch, demo)
    at.session_state["plan"] = at.session_state["plan"].edited(radius_m=1000)
    at.radio(key="import_mode").set_value("add").run()
    _check(at)
    before = int(summarize(demo, radius_m=1000).reach.children_within)
    assert before != 18_764
    change = _changes(at)["Trẻ em trong bán kính 1.000 m"]
    assert change.startswith(f"{before:,}".replace(",", ".") + " → "), change


def test_a_change_after_checking_drops_the_report_until_checked_again(tmp_path, monkeypatch, demo):
    from tests.test_import_modes import points_csv

    at = _upload_points(tmp_path, monkeypatch, demo)
    at.radio(key="import_mode").set_value("add").run()
    at.text_input(key="import_name").set_value("Ba điểm mới").run()
    _check(at)
    assert _checked(at) and not _stale_note(at)
    at.run()  # nothing changed: the result stays
    assert _checked(at)

    at.text_input(key="import_name").set_value("Tên khác").run()  # the package name
    assert not _checked(at) and _stale_note(at)
    assert not any(s.value == "Thay đổi so với dữ liệu hiện tại" for s in at.subheader)
    _check(at)
    assert _checked(at) and not _stale_note(at)
    assert at.session_state["import_plan"].manifest["name"] == "Tên khác"

    at.selectbox(key="map-play_points-Diện tích (m²)").set_value("").run()  # a column mapping: the area ignored
    assert not _report(at) and not _confirm(at) and _stale_note(at)
    _check(at)
    assert _report(at) and not _confirm(at)  # checked with the new mapping: the area is missing
    assert any("Còn lỗi" in e.value for e in at.error)
    at.selectbox(key="map-play_points-Diện tích (m²)").set_value("area_m2").run()
    assert not _report(at) and _stale_note(at)
    _check(at)
    assert _checked(at)

    at.selectbox(key="crs-play_points").set_value("wgs84").run()  # the coordinate system
    assert not _checked(at)
    _check(at)
    assert _checked(at) and _changes(at)["Số điểm vui chơi"] == "19 → 22"

    two = points_csv(demo)
    two = b"\r\n".join(two.split(b"\r\n")[:3]) + b"\r\n"  # the header and two of the three points, same file name
    at.file_uploader(key="up-play_points").set_value(("diem.csv", two, "text/csv")).run()
    assert not _checked(at) and _stale_note(at)
    _check(at)
    assert _checked(at) and _changes(at)["Số điểm vui chơi"] == "19 → 21"  # what is on screen is what gets written


def test_choosing_a_fix_drops_the_report_made_without_it(tmp_path, monkeypatch, demo):
    from tests.test_import_modes import NEW, _at, points_csv

    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))
    rows = [[f"Điểm mới {i + 1}", "play_area", "existing", 2025, 400, *_at(demo, v)] for i, (_, v) in enumerate(NEW)]
    rows[1][5], rows[1][6] = rows[1][6], rows[1][5]  # the second point's lon/lat exchanged
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/data.py").run()
    at.file_uploader(key="up-play_points").set_value(("diem.csv", points_csv(demo, rows), "text/csv")).run()
    at.radio(key="import_mode").set_value("add").run()
    _check(at)
    assert _report(at) and not _confirm(at)
    at.checkbox(key="fix-play_points-swap_lonlat").check().run()
    assert not at.exception, at.exception
    assert not _report(at) and _stale_note(at)  # the report on screen was made without the fix
    _check(at)
    assert _checked(at) and _changes(at)["Số điểm vui chơi"] == "19 → 22"


# --- in the reader's words (issue 14) ----------------------------------------------------------------
def test_column_matching_and_coordinate_systems_in_words(tmp_path, monkeypatch, demo):
    from planner.coordinates import PRESETS
    from planner.importing import targets

    at = _upload_points(tmp_path, monkeypatch, demo)
    box = at.selectbox(key="map-play_points-Trạng thái")
    assert box.value == "status"  # the page keeps the field's name; the reader sees its label
    options = list(box.options)
    assert {"Trạng thái", "Diện tích (m²)", "Tên xã", "Mã xã", "Loại", "Kinh độ", "(bỏ qua)"} <= set(options)
    assert not set(targets("play_points")) & set(options)
    assert not any("_" in o for o in options)
    crs = at.selectbox(key="crs-play_points")
    assert "VN-2000, kinh tuyến trục 103°00′, múi 3° (EPSG:9205)" in crs.options
    assert "WGS 84, kinh độ/vĩ độ (EPSG:4326)" in crs.options
    assert not set(PRESETS) & set(crs.options)


def test_a_missing_column_is_named_by_its_label(tmp_path, monkeypatch, demo):
    from tests.test_import_helpers import csv_bytes

    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/data.py").run()
    rows = [["Điểm A", "Khu vui chơi", 2025, 400, 103.397, 22.4412]]
    data = csv_bytes([["Tên điểm", "Loại", "Năm", "Diện tích (m²)", "Kinh độ", "Vĩ độ"]] + rows)
    at.file_uploader(key="up-play_points").set_value(("diem.csv", data, "text/csv")).run()
    at.radio(key="import_mode").set_value("replace").run()
    _check(at)
    report = at.dataframe[-1].value
    status = report[report["Trường"] == "Trạng thái"]
    assert len(status) == 1, report
    what = status["Vấn đề và cách sửa"].iloc[0]
    assert "thiếu cột 'Trạng thái'" in what and "đổi tên một cột thành 'Trạng thái'" in what
    assert "status" not in " ".join(report.astype(str).to_numpy().ravel())


def test_preview_numbers_in_the_vietnamese_style(tmp_path, monkeypatch):
    import io

    import openpyxl

    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))
    wb = openpyxl.Workbook()
    wb.active.append(["Mã", "Tên thôn", "Mã xã", "Dân số", "Trẻ em", "Kinh độ", "Vĩ độ"])
    wb.active.append(["V1", "Bản A", "03388", 12345, 3456, 103.397, 22.4412])
    buf = io.BytesIO()
    wb.save(buf)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/data.py").run()
    at.file_uploader(key="up-villages").set_value(("thon.xlsx", buf.getvalue(), "application/octet-stream")).run()
    assert not at.exception, at.exception
    preview = at.dataframe[0].value
    assert list(preview.columns) == ["Mã", "Tên thôn", "Mã xã", "Dân số", "Trẻ em", "Kinh độ", "Vĩ độ"]
    assert preview.iloc[0].tolist() == ["V1", "Bản A", "03388", "12.345", "3.456", "103,397", "22,4412"]
