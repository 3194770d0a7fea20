"""The import in the reader's words (issue 14): fields by their labels, allowed values and yes/no in
Vietnamese (or English) in templates and messages, coordinate systems in words; the Vietnamese and
the English words read back as the values the package stores."""
from __future__ import annotations

import argparse
import io
import re
import unicodedata

import openpyxl
import pytest

from planner import cli_import
from planner.contracts import LAYER_BY_NAME
from planner.errors import PlannerError, UsageError
from planner.importing import (KINDS, ImportSource, export_lists_xlsx, field_label, inspect_upload, prepare_import,
                               preview_rows, sheet_name, targets, template_xlsx, value_label)
from planner.importing.columns import enum_table, parse_bool, suggest_mapping
from planner.labels import kind_label
from tests.test_import_helpers import BINH_LU, DOAN_KET, csv_bytes, the, validate, village_rows

MACHINE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")  # a name like area_m2 or under_construction


# --- labels ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_target_of_every_list_has_a_label(lang):
    for kind in KINDS:
        for target in targets(kind):
            label = field_label(kind, target, lang)
            assert label and label != target and not MACHINE.search(label), (kind, target, label)
    assert field_label("play_points", "status", "vi") == "Trạng thái"
    assert field_label("play_points", "area_m2", "vi") == "Diện tích (m²)"
    assert field_label("villages", "commune_name", "vi") == "Tên xã"
    assert field_label("villages", "commune_code", "vi") == "Mã xã"
    assert field_label("villages", "children", "vi") == "Trẻ em dưới 16 tuổi"
    assert field_label("play_points", "status", "en") == "Status"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_allowed_value_has_words(lang):
    for layer in LAYER_BY_NAME.values():
        for col in layer.columns:
            for value in col.allowed:
                words = value_label(layer.name, col.name, value, lang)
                assert words and not MACHINE.search(words), (layer.name, col.name, value, words)
    assert [value_label("schools", "level", v, "vi") for v in ("mam_non", "tieu_hoc", "thcs", "th_thcs", "thpt")] == [
        "Mầm non", "Tiểu học", "THCS", "TH&THCS", "THPT"]
    assert value_label("play_points", "status", "under_construction", "vi") == "Đang xây dựng"
    assert value_label("candidate_sites", "land_status", "public_land", "vi") == "Đất công"


@pytest.mark.parametrize("written, stored", [
    ("Đang hoạt động", "existing"), ("đang sử dụng", "existing"), ("DANG SU DUNG", "existing"),
    ("dang xay dung", "under_construction"), ("Đang xây dựng", "under_construction"), ("existing", "existing"),
    ("Under construction", "under_construction"),
    (unicodedata.normalize("NFD", "đang xây dựng"), "under_construction"),  # decomposed, as some Mac tools write
])
def test_status_words_read_as_stored_values(written, stored):
    col = next(c for c in LAYER_BY_NAME["play_points"].columns if c.name == "status")
    table = enum_table("play_points", col)
    from planner.names import fold

    assert table[fold(written)] == stored


@pytest.mark.parametrize("cell, value", [("có", True), ("Có", True), ("x", True), ("X", True), ("không", False),
                                         ("Không", False), ("khong", False), ("không có", False), ("đạt chuẩn", True),
                                         ("chưa đạt chuẩn", False), ("yes", True), ("FALSE", False), ("", None)])
def test_yes_no_in_vietnamese(cell, value):
    assert parse_bool(cell if cell else None) is value


def test_a_header_with_the_fields_name_in_parentheses_is_recognised():
    # what the command line prints: "'Trạng thái' (status)"; a header copied from it is matched
    assert suggest_mapping(["Trạng thái (status)", "Dân số (người)"], "play_points") == {"Trạng thái (status)": "status"}


# --- templates: Vietnamese words in, machine values stored ------------------------------------------
def _fill(kind: str, lang: str, rows: list[dict]) -> bytes:
    """The template of `kind` in `lang`, filled in with openpyxl as a person would, by header."""
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(kind, lang)))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    for i, row in enumerate(rows, start=2):
        for target, value in row.items():
            ws.cell(row=i, column=headers.index(field_label(kind, target, lang)) + 1, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _point(i: int) -> dict:
    _, _, lon, lat = DOAN_KET
    return {"lon": round(lon + 0.003 * i, 6), "lat": round(lat + 0.002 * i, 6)}


def test_play_points_template_in_vietnamese_round_trip():
    rows = [
        {"id": "P1", "name": "Sân chơi Đoàn Kết", "kind": "Khu vui chơi", "commune_code": "03388", "status": "Đang hoạt động",
         "year": 2021, "area_m2": 850, **_point(0)},
        {"id": "P2", "name": "Nhà văn hóa bản Nà Xẻ", "kind": "điểm văn hóa", "commune_code": "3388", "status": "đang xây dựng",
         "year": 2026, "area_m2": "1.200", **_point(1)},
        {"id": "P3", "name": "Điểm vui chơi bản Bo", "kind": "diem vui choi", "commune_code": "03388", "status": "dang su dung",
         "year": 2019, "area_m2": 300.5, **_point(2)},
    ]
    plan = validate("mau.xlsx", _fill("play_points", "vi", rows), "play_points")
    assert plan.ok, [p.message("vi") for p in plan.errors]
    got = plan.layers["play_points"]
    assert got["kind"].tolist() == ["play_area", "culture_point", "play_area"]
    assert got["status"].tolist() == ["existing", "under_construction", "existing"]
    # one row by hand: P2 as the package stores it
    p2 = got.iloc[1]
    assert (p2["id"], p2["name"], p2["commune_code"], int(p2["year"]), float(p2["area_m2"])) == (
        "P2", "Nhà văn hóa bản Nà Xẻ", "03388", 2026, 1200.0)
    assert (round(p2.geometry.x, 6), round(p2.geometry.y, 6)) == (103.4, 22.4432)


def test_play_points_template_in_english_round_trip():
    rows = [{"id": "P1", "name": "Play area", "kind": "Play area", "commune_code": "03388", "status": "Existing",
             "year": 2021, "area_m2": 850, **_point(0)},
            {"id": "P2", "name": "Culture point", "kind": "culture_point", "commune_code": "03388",
             "status": "under construction", "year": 2026, "area_m2": 400, **_point(1)}]
    plan = validate("template.xlsx", _fill("play_points", "en", rows), "play_points")
    assert plan.ok, [p.message("en") for p in plan.errors]
    got = plan.layers["play_points"]
    assert got["kind"].tolist() == ["play_area", "culture_point"]
    assert got["status"].tolist() == ["existing", "under_construction"]


def test_schools_template_levels_and_yes_no_in_vietnamese():
    levels = ["Mầm non", "tiểu học", "THCS", "TH&THCS", "thpt"]
    yes_no = [("có", "không", "x"), ("Không", "Có", ""), ("x", "x", "không"), ("không", "không", "có"), ("có", "có", "có")]
    rows = [{"id": f"S{i}", "name": f"Trường {i}", "level": lv, "is_satellite": a, "students": 100 + i, "commune_code": "03388",
             "has_standard_toilet": b, "has_psych_support": c or None, **_point(i)}
            for i, (lv, (a, b, c)) in enumerate(zip(levels, yes_no))]
    rows[1]["has_psych_support"] = "không"
    plan = validate("truong.xlsx", _fill("schools", "vi", rows), "schools")
    assert plan.ok, [p.message("vi") for p in plan.errors]
    got = plan.layers["schools"]
    assert got["level"].tolist() == ["mam_non", "tieu_hoc", "thcs", "th_thcs", "thpt"]
    assert got["is_satellite"].tolist() == [True, False, True, False, True]
    assert got["has_standard_toilet"].tolist() == [False, True, True, False, True]
    assert got["has_psych_support"].tolist() == [True, False, False, True, True]


def test_candidate_sites_land_status_in_vietnamese():
    words = ["Đất công", "sân trường", "Cần thu hồi/giải phóng mặt bằng", "can thu hoi dat"]
    rows = [{"id": f"C{i}", "commune_code": "03388", "area_m2": 500, "land_status": w, "est_cost_vnd": "1.250.000.000",
             **_point(i)} for i, w in enumerate(words)]
    plan = validate("dia_diem.xlsx", _fill("candidate_sites", "vi", rows), "candidate_sites")
    assert plan.ok, [p.message("vi") for p in plan.errors]
    got = plan.layers["candidate_sites"]
    assert got["land_status"].tolist() == ["public_land", "school_ground", "needs_acquisition", "needs_acquisition"]
    assert got["est_cost_vnd"].tolist() == [1.25e9] * 4


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_templates_read_in_the_readers_words(lang):
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx("play_points", lang)))
    ws = wb.worksheets[0]
    assert ws.title == sheet_name("play_points", lang) == kind_label("play_points", lang)
    headers = [c.value for c in ws[1]]
    assert headers == [field_label("play_points", t, lang) for t in
                       ("id", "name", "kind", "commune_code", "status", "year", "area_m2", "lon", "lat")]
    lists = sorted(dv.formula1 for dv in ws.data_validations.dataValidation)
    want = {"vi": ['"Khu vui chơi,Điểm văn hóa"', '"Đang hoạt động,Đang xây dựng"'],
            "en": ['"Existing,Under construction"', '"Play area,Culture point"']}[lang]
    assert lists == sorted(want)
    texts = [str(c.value) for sheet in wb.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [x for x in texts if MACHINE.search(x)], "a machine name in the template"
    schools = openpyxl.load_workbook(io.BytesIO(template_xlsx("schools", lang))).worksheets[0]
    yes_no = {"vi": '"có,không"', "en": '"yes,no"'}[lang]
    assert sum(dv.formula1 == yes_no for dv in schools.data_validations.dataValidation) == 3


def test_exported_lists_are_in_words_and_read_back(demo):
    data = export_lists_xlsx(demo, "vi")
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    points = [row for row in wb["Điểm vui chơi"].iter_rows(values_only=True)]
    status = points[0].index("Trạng thái")
    assert {r[status] for r in points[1:]} == {"Đang hoạt động", "Đang xây dựng"}
    schools = [row for row in wb["Trường học"].iter_rows(values_only=True)]
    assert {r[schools[0].index("Điểm trường lẻ")] for r in schools[1:]} == {"có", "không"}
    rep = inspect_upload("danh_sach.xlsx", data, kind="play_points")
    plan = prepare_import([ImportSource("play_points", "danh_sach.xlsx", data)], package=demo, mode="replace")
    assert rep.sheet == "Điểm vui chơi" and plan.ok
    assert plan.layers["play_points"]["status"].tolist() == demo.play_points["status"].tolist()


# --- messages ---------------------------------------------------------------------------------------
def _without_status() -> bytes:
    header = ["Mã", "Tên", "Loại", "Mã xã", "Năm", "Diện tích (m²)", "Kinh độ", "Vĩ độ"]
    return csv_bytes([header, ["P1", "Sân A", "Khu vui chơi", "03388", 2020, 500, 103.397, 22.4412]])


def test_missing_required_column_named_by_its_label():
    p = the(validate("diem.csv", _without_status(), "play_points"), "prob.missing_column")
    assert p.column == "status" and p.severity == "error"  # scripts still see the name
    vi = p.message("vi")
    assert "thiếu cột 'Trạng thái'" in vi and "Hãy đổi tên một cột thành 'Trạng thái'" in vi
    assert "status" not in vi and not MACHINE.search(vi) and "Mã xã" in vi
    assert "column 'Status' not found" in p.message("en")
    assert "đổi tên một cột thành 'Trạng thái' (status)" in p.message("vi", machine=True)


def test_value_messages_name_allowed_values_in_words():
    header = ["Mã", "Tên", "Cấp học", "Điểm trường lẻ", "Số học sinh", "Mã xã", "Vệ sinh đạt chuẩn", "Hỗ trợ tâm lý",
              "Kinh độ", "Vĩ độ"]
    data = csv_bytes([header, ["S1", "Trường A", "đại học", "có", 100, "03388", "không", "có", 103.397, 22.4412]])
    p = the(validate("truong.csv", data, "schools"), "imp.bad_value")
    assert p.message("vi").endswith("cho phép: Mầm non, Tiểu học, THCS, TH&THCS, THPT")
    assert "Mầm non (mam_non)" in p.message("vi", machine=True)


def test_coordinate_systems_in_words():
    rows = [["V1", "Bản A", "03388", 100, 30, 2480000, 500000]]
    data = csv_bytes([["Mã", "Tên thôn", "Mã xã", "Dân số", "Trẻ em", "X", "Y"]] + rows)
    plan = validate("thon.csv", data, "villages")
    p = the(plan, "imp.crs_guess")
    assert p.params["crs"] == "EPSG:9205"
    assert "đoán là VN-2000, kinh tuyến trục 103°00′, múi 3° (EPSG:9205)" in p.message("vi")
    far = csv_bytes([["Mã", "Tên thôn", "Mã xã", "Dân số", "Trẻ em", "X", "Y"], ["V1", "A", "03388", 1, 1, 5, 7]])
    unknown = the(validate("thon.csv", far, "villages"), "imp.crs_unknown").message("vi")
    assert "VN-2000, UTM múi 48N (EPSG:3405)" in unknown and "vn2000_utm48" not in unknown
    with pytest.raises(UsageError) as err:
        prepare_import([ImportSource("villages", "a.csv", data, crs="EPSG:999999")])
    assert "WGS 84, kinh độ/vĩ độ (EPSG:4326); VN-2000" in err.value.message("vi")


def test_kinds_and_filled_fields_in_words(demo):
    plan = prepare_import([ImportSource("villages", "thon.csv", csv_bytes([["Mã", "Tên", "Mã xã", "Dân số", "Trẻ em",
                                                                             "Kinh độ", "Vĩ độ"]] + village_rows()))])
    vi = the(plan, "imp.missing_kind").message("vi")
    assert "Ranh giới xã, Điểm vui chơi, Trường học" in vi and "play_points" not in vi
    communes = demo.communes.drop(columns=["population"]).to_json().encode()
    filled = the(prepare_import([ImportSource("boundaries", "xa.geojson", communes)], package=demo), "imp.filled_column")
    assert "thiếu cột 'Dân số'" in filled.message("vi")


def test_mapping_errors_name_fields_in_words_and_by_name():
    data = csv_bytes([["Mã", "Tên"], ["V1", "A"]])
    with pytest.raises(PlannerError) as err:
        prepare_import([ImportSource("villages", "thon.csv", data, mapping={"Mã": "nope"})])
    assert "Tên xã (commune_name)" in err.value.message("vi")


def test_preview_writes_numbers_the_readers_way():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã", "Tên thôn", "Mã xã", "Dân số", "Năm", "Tỷ lệ", "Kinh độ", "Vĩ độ", "Điểm lẻ"])
    ws.append(["V1", "Bản A", 3388, 12345, 2024, 0.35, 103.4567, 22.4412, True])
    buf = io.BytesIO()
    wb.save(buf)
    rep = inspect_upload("thon.xlsx", buf.getvalue(), kind="villages")
    vi, en = preview_rows(rep, "vi")[0], preview_rows(rep, "en")[0]
    assert (vi["Dân số"], vi["Năm"], vi["Mã xã"], vi["Tỷ lệ"], vi["Kinh độ"], vi["Điểm lẻ"]) == (
        "12.345", "2024", "3388", "0,35", "103,4567", "Có")
    assert (en["Dân số"], en["Tỷ lệ"], en["Kinh độ"], en["Điểm lẻ"]) == ("12,345", "0.35", "103.4567", "Yes")
    assert vi["Tên thôn"] == "Bản A"


# --- the command line -------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError("err.usage", detail=message)


def _run(argv: list[str], capsys) -> tuple[int, str]:
    parser = _Parser(prog="planner")
    cli_import.add_parsers(parser.add_subparsers(dest="command", required=True), _Parser)
    args = parser.parse_args(argv)
    return args.handler(args), capsys.readouterr().out


def test_cli_names_fields_by_label_and_name(tmp_path, capsys):
    (tmp_path / "diem.csv").write_bytes(_without_status())
    code, out = _run(["validate", str(tmp_path / "diem.csv"), "--kind", "play_points"], capsys)
    assert code == 1
    assert "thiếu cột 'Trạng thái' (status)" in out
    assert "hệ tọa độ WGS 84, kinh độ/vĩ độ (EPSG:4326)" in out


def test_cli_confirms_a_guessed_crs_in_words(tmp_path, capsys):
    rows = [["V1", "Bản A", BINH_LU[0], 100, 30, 2476000, 529000]]
    (tmp_path / "thon.csv").write_bytes(csv_bytes([["Mã", "Tên thôn", "Mã xã", "Dân số", "Trẻ em", "X", "Y"]] + rows))
    code, out = _run(["validate", str(tmp_path / "thon.csv"), "--kind", "villages"], capsys)
    assert code == 1
    assert "(VN-2000, kinh tuyến trục 103°00′, múi 3° (EPSG:9205)), chạy lại với --crs EPSG:9205" in out


def test_unknown_kind_lists_the_kinds_in_words_and_by_name():
    from planner.importing import canonical_kind

    with pytest.raises(UsageError) as err:
        canonical_kind("rivers")
    assert "Điểm vui chơi (play_points)" in err.value.message("vi")


def test_exported_lists_hold_numbers_in_their_formats_and_print_on_a4(demo):
    import io

    import openpyxl

    from planner.importing.templates import export_lists_xlsx

    wb = openpyxl.load_workbook(io.BytesIO(export_lists_xlsx(demo, "vi")))
    table = wb["Bảng số liệu xã"]
    head = [c.value for c in table[1]]
    row = {h: c for h, c in zip(head, table[2])}
    first = demo.communes.iloc[0]
    assert row["Dân số"].value == int(first["population"]) and row["Dân số"].number_format == "#,##0"
    share = next(c for h, c in row.items() if h.startswith("Tỷ lệ hộ nghèo"))
    assert share.data_type == "n" and share.value == pytest.approx(float(first["poverty_rate"])) and share.number_format == "0.0%"
    for ws in wb.worksheets[:-1]:  # every list; the help sheet is text
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2" and ws.sheet_properties.pageSetUpPr.fitToPage
