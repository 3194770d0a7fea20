"""A commune's list of what it built (planner/record_import.py): the template filled in reads back
into exactly the entries meant, every broken rule is a problem on its row, the file is read in the
bounded worker, and the template has what a commune officer needs."""
import io
import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from planner.i18n import TEXT
from planner.importing.files import UploadError
from planner.record import Entry
from planner.record_import import (RecordContext, parse_cost, parse_day, read_record_list, read_record_list_safely,
                                   template_xlsx)

CTX = RecordContext(today=date(2025, 6, 1),
                    communes=(("03388", "Phường Đoàn Kết"), ("03390", "Xã Bình Lư"), ("03408", "Phường Tân Phong")),
                    points=(("P001", "Sân chơi bản Mới", "03388"), ("P002", "Nhà văn hóa bản Hon", "03390")),
                    recorded_by="Lò Văn A")
HEAD = "Mã điểm,Tên điểm,Xã/phường,Loại điểm,Trạng thái,Ngày,Kinh phí (đồng),Nguồn vốn,Ghi chú,Kinh độ,Vĩ độ"


def filled(rows: list[list], lang: str = "vi", context: RecordContext = CTX) -> bytes:
    """The template of `lang` with `rows` typed into its list, as a commune sends it back."""
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(lang, context=context)))
    ws = wb.worksheets[0]
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(i, j).value = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def seen(plan) -> list[tuple]:
    """(severity, key, row, column) of every problem, each message written in both languages."""
    for p in plan.problems:
        assert "{" not in p.message("vi") and "{" not in p.message("en")
    return [(p.severity, p.key, p.row, p.column) for p in plan.problems]


def test_the_filled_template_reads_back_into_the_entries_meant():
    data = filled([
        ["P001", None, "Phường Đoàn Kết", "Khu vui chơi", "Đang sử dụng", date(2025, 3, 15), 1_500_000_000,
         "Ngân sách nhà nước", "Bàn giao cho thôn", None, None],
        [None, "Sân chơi bản Nà Củng", "Xã Bình Lư", "Điểm văn hóa", "Đã phê duyệt", "01/02/2025", "1.200.000.000",
         "Xã hội hóa", None, 103.4512, 22.402],
        [None, "Sân chơi bản Nà Củng", "Xã Bình Lư", "Điểm văn hóa", "Đang xây dựng", datetime(2025, 4, 10, 8, 30)],
        [None, "Nhà văn hóa bản Hon", "03390", "Điểm văn hóa", "Đã lên kế hoạch", "2024-11-20"],
    ])
    plan = read_record_list("ds.xlsx", data, context=CTX)
    who = dict(recorded_by="Lò Văn A", origin="import:ds.xlsx")
    new = dict(name="Sân chơi bản Nà Củng", commune_code="03390", kind="culture_point")
    assert plan.entries == (
        Entry("P001", "in_use", date(2025, 3, 15), name="Sân chơi bản Mới", commune_code="03388", kind="play_area",
              cost_vnd=1_500_000_000, funding="state", note="Bàn giao cho thôn", **who),
        Entry("03390-san-choi-ban-na-cung", "approved", date(2025, 2, 1), lon=103.4512, lat=22.402,
              cost_vnd=1_200_000_000, funding="non_state", **new, **who),
        Entry("03390-san-choi-ban-na-cung", "under_construction", date(2025, 4, 10), **new, **who),
        Entry("P002", "planned", date(2024, 11, 20), name="Nhà văn hóa bản Hon", commune_code="03390",
              kind="culture_point", **who),
    )
    assert seen(plan) == [("warning", "recimp.id_made", 3, "Mã điểm"), ("warning", "recimp.id_from_name", 5, "Mã điểm")]
    assert plan.file == "ds.xlsx" and plan.rows_read == 4 and plan.ok and plan.errors == ()
    assert plan.problems[0].params["id"] == "03390-san-choi-ban-na-cung"
    assert plan.problems[1].params["id"] == "P002"


def test_the_english_template_reads_back():
    data = filled([["P002", None, "Bình Lư", "Culture point", "In use", date(2025, 5, 2), 90_000_000, "State budget"]],
                  lang="en")
    plan = read_record_list("list.xlsx", data, context=RecordContext(CTX.today, CTX.communes, CTX.points, origin="cli"))
    assert plan.entries == (Entry("P002", "in_use", date(2025, 5, 2), name="Nhà văn hóa bản Hon", commune_code="03390",
                                  kind="culture_point", cost_vnd=90_000_000, funding="state", origin="cli"),)
    assert plan.problems == ()


def test_a_utf8_csv_with_vietnamese_words():
    text = (HEAD.replace(",", ";") + "\n"
            "P002;;Bình Lư;Điểm văn hóa;Đưa vào sử dụng;5/3/2025;1.500.000.000;NSNN;Khánh thành;;\n"
            ";Khu vui chơi Tân Phong;Tân Phong;Khu vui chơi;Đang thi công;05-01-2025;750.000.000 đồng;XHH;;103,4512;22,4020\n")
    plan = read_record_list("ds.csv", text.encode("utf-8"), context=CTX)
    who = dict(recorded_by="Lò Văn A", origin="import:ds.csv")
    assert plan.entries == (
        Entry("P002", "in_use", date(2025, 3, 5), name="Nhà văn hóa bản Hon", commune_code="03390", kind="culture_point",
              cost_vnd=1_500_000_000, funding="state", note="Khánh thành", **who),
        Entry("03408-khu-vui-choi-tan-phong", "under_construction", date(2025, 1, 5), name="Khu vui chơi Tân Phong",
              commune_code="03408", kind="play_area", lon=103.4512, lat=22.402, cost_vnd=750_000_000,
              funding="non_state", **who),
    )
    assert seen(plan) == [("warning", "recimp.id_made", 3, "Mã điểm")]


@pytest.mark.parametrize("head, row", [
    ("MA DIEM,ten diem,XA/PHUONG,loai diem,TRANG THAI,ngay,kinh phi (dong),nguon von,GHI CHU,kinh do,vi do",
     "p001,,doan ket,khu vui choi,dang hoat dong,15/03/2025,2.000.000,ngan sach nha nuoc,,,"),
    ("point_id,name,commune,kind,status,on,cost_vnd,funding,note,lon,lat",
     "P001,,03388,play_area,in_use,2025-03-15,2000000,state,,,"),
    ("Point id,Point name,Commune/ward,Kind of point,Status,Date,Cost (đồng),Funding,Note,Longitude,Latitude",
     "P001,,Phường Đoàn Kết,Play area,In use,15-03-2025,\"2,000,000\",State budget,,,"),
])
def test_headers_without_diacritics_in_english_or_by_machine_name(head, row):
    plan = read_record_list("ds.csv", f"{head}\n{row}\n".encode(), context=CTX)
    assert plan.entries == (Entry("P001", "in_use", date(2025, 3, 15), name="Sân chơi bản Mới", commune_code="03388",
                                  cost_vnd=2_000_000, funding="state", recorded_by="Lò Văn A", origin="import:ds.csv"),)
    assert plan.problems == ()


@pytest.mark.parametrize("cell, day", [
    ("15/03/2025", date(2025, 3, 15)), ("5/3/2025", date(2025, 3, 5)), ("05-03-2025", date(2025, 3, 5)),
    ("05.03.2025", date(2025, 3, 5)), ("2025-03-05", date(2025, 3, 5)), ("2025-03-05 00:00:00", date(2025, 3, 5)),
    (date(2025, 3, 5), date(2025, 3, 5)), (datetime(2025, 3, 5, 17, 0), date(2025, 3, 5)), (45721, date(2025, 3, 5)),
    (None, None), ("  ", None),
])
def test_dates_are_read_day_first(cell, day):
    assert parse_day(cell) == day


@pytest.mark.parametrize("cell", ["03/15/2025", "15/03/25", "31/02/2025", "ngày 5", 2025, 45721.5, True])
def test_unreadable_dates(cell):
    with pytest.raises(ValueError):
        parse_day(cell)


@pytest.mark.parametrize("cell, amount", [("1.500.000.000", 1_500_000_000), ("1,500,000,000", 1_500_000_000),
                                          ("1.500", 1500), ("750.000.000 đồng", 750_000_000), ("2 000 000 đ", 2_000_000),
                                          (1_500_000_000.0, 1_500_000_000), (0, 0), ("", None), (None, None)])
def test_costs_in_whole_dong(cell, amount):
    assert parse_cost(cell) == amount


@pytest.mark.parametrize("cell", ["-5", "1,5", "nhiều tiền", -1, 2.5])
def test_costs_refused(cell):
    with pytest.raises(ValueError):
        parse_cost(cell)


RULES = [  # row 2 onwards
    "P001,,Đoàn Kết,,Đang sử dụng,01/03/2025,,,,,",  # 2: fine
    "P001,,Đoàn Kết,,Sắp làm,01/03/2025,,,,,",  # 3: status
    "P001,,Đoàn Kết,Sân bóng,Đang sử dụng,02/03/2025,,,,,",  # 4: kind
    "P001,,Đoàn Kết,,Đang sử dụng,03/03/2025,,Vay ngân hàng,,,",  # 5: funding
    "P001,,Đoàn Kết,,Đang sử dụng,03/15/2025,,,,,",  # 6: month first
    "P001,,Đoàn Kết,,Đang sử dụng,01/07/2025,,,,,",  # 7: after today
    "P001,,Đoàn Kết,,Đang sử dụng,31/12/1999,,,,,",  # 8: before 2000
    "P001,,Đoàn Kiết,,Đang sử dụng,04/03/2025,,,,,",  # 9: commune misspelt
    "P001,,Xyz,,Đang sử dụng,04/03/2025,,,,,",  # 10: no such commune
    "P001,,Bình Lư,,Đang sử dụng,05/03/2025,,,,,",  # 11: P001 is in Đoàn Kết
    "P009,,Bình Lư,,Đang sử dụng,05/03/2025,,,,,",  # 12: a new point without a name
    ",,Bình Lư,,Đang sử dụng,05/03/2025,,,,,",  # 13: neither id nor name
    "P001,,Đoàn Kết,,Đang sử dụng,06/03/2025,,,,200,22.4",  # 14: longitude out of range
    "P001,,Đoàn Kết,,Đang sử dụng,07/03/2025,,,,103.4,",  # 15: latitude missing
    "P001,,Đoàn Kết,,Đang sử dụng,08/03/2025,,,,abc,22.4",  # 16: not a coordinate
    "P001,,Đoàn Kết,,Đang sử dụng,09/03/2025,-5,,,,",  # 17: negative cost
    "P001,,Đoàn Kết,,Đang sử dụng,10/03/2025,nhiều tiền,,,,",  # 18: not a number
    "P001,,Đoàn Kết,,Đang sử dụng,01/03/2025,,,,,",  # 19: row 2 again
    "P001,,Đoàn Kết,,,11/03/2025,,,,,",  # 20: no status
    "P001,,Đoàn Kết,,Đang sử dụng,,,,,,",  # 21: no date
    ",Điểm mới B,,,Đang sử dụng,12/03/2025,,,,,",  # 22: a new point without its commune
    ",Điểm mới A,Tân Phong,,Kế hoạch,12/03/2025,,,,,",  # 23: new, no id, no kind, no coordinates
    ",,,,,,,,,,",  # 24: empty
    "P001,,Đoàn Kết,,Đang sử dụng,13/03/2025,\"1,5\",,,,",  # 25: not whole đồng
    f",{'Sân chơi ' * 23},Tân Phong,Khu vui chơi,Kế hoạch,12/03/2025,,,,103.4,22.4",  # 26: name too long
]


def test_each_rule_is_a_problem_on_its_row():
    plan = read_record_list("xa.csv", "\n".join([HEAD, *RULES]).encode(), context=CTX)
    assert seen(plan) == [
        ("warning", "imp.blank_rows", None, ""),
        ("error", "recimp.bad_word", 3, "Trạng thái"),
        ("error", "recimp.bad_word", 4, "Loại điểm"),
        ("error", "recimp.bad_word", 5, "Nguồn vốn"),
        ("error", "recimp.bad_date", 6, "Ngày"),
        ("error", "recimp.entry", 7, "Ngày"),
        ("error", "recimp.entry", 8, "Ngày"),
        ("error", "recimp.unknown_commune_close", 9, "Xã/phường"),
        ("error", "recimp.unknown_commune", 10, "Xã/phường"),
        ("error", "recimp.point_commune", 11, "Xã/phường"),
        ("error", "recimp.new_without_name", 12, "Tên điểm"),
        ("error", "recimp.no_id_or_name", 13, "Mã điểm"),
        ("error", "recimp.coordinate_range", 14, "Kinh độ"),
        ("error", "recimp.half_coordinate", 15, "Vĩ độ"),
        ("error", "recimp.bad_coordinate", 16, "Kinh độ"),
        ("error", "recimp.bad_cost", 17, "Kinh phí (đồng)"),
        ("error", "recimp.bad_cost", 18, "Kinh phí (đồng)"),
        ("error", "recimp.duplicate", 19, ""),
        ("error", "recimp.missing_value", 20, "Trạng thái"),
        ("error", "recimp.missing_value", 21, "Ngày"),
        ("error", "recimp.missing_value", 22, "Xã/phường"),
        ("warning", "recimp.id_made", 23, "Mã điểm"),
        ("warning", "recimp.kind_assumed", 23, "Loại điểm"),
        ("warning", "recimp.no_coordinates", 23, "Kinh độ"),
        ("error", "recimp.bad_cost", 25, "Kinh phí (đồng)"),
        ("warning", "recimp.id_made", 26, "Mã điểm"),
        ("error", "recimp.entry", 26, "Tên điểm"),
    ]
    by_row = {p.row: p.params for p in plan.problems if p.severity == "error"}
    assert by_row[3]["allowed"] == "Đã lên kế hoạch, Đã phê duyệt, Đang xây dựng, Đang sử dụng, Đã đóng cửa"
    assert by_row[3]["allowed_en"] == "Planned, Approved, Under construction, In use, Closed"
    assert by_row[5]["allowed"] == "Ngân sách nhà nước, Xã hội hóa"
    assert (by_row[7]["reason"], by_row[7]["row"]) == ("err.record_date", 7)
    assert by_row[7]["detail"].startswith("Ngày 01/07/2025 không hợp lệ") and "01/06/2025" in by_row[7]["detail"]
    assert next(p for p in plan.problems if p.row == 7).message("vi").startswith("xa.csv, dòng 7: Ngày 01/07/2025")
    assert by_row[9]["close"] == "Phường Đoàn Kết"
    assert (by_row[11]["point_commune"], by_row[11]["commune"]) == ("Phường Đoàn Kết", "Xã Bình Lư")
    assert (by_row[14]["lon"], by_row[14]["lat"], by_row[14]["lat_en"]) == ("200", "22,4", "22.4")
    assert (by_row[19]["first"], by_row[19]["on"], by_row[19]["status"]) == (2, "01/03/2025", "Đang sử dụng")
    assert by_row[26]["reason"] == "err.record_value" and "name" in by_row[26]["detail"]
    assert plan.problems[0].params["rows"] == "24"
    assert "ngày trước tháng" in next(p for p in plan.problems if p.row == 6).message("vi")
    warned = [p for p in plan.problems if p.key == "recimp.no_coordinates"][0]
    assert "not for children within reach" in warned.message("en")
    assert [e.point_id for e in plan.entries] == ["P001", "03408-diem-moi-a"]
    assert plan.rows_read == 24 and not plan.ok  # 25 rows, one empty


def test_a_known_point_found_by_name_twice_needs_its_id():
    ctx = RecordContext(CTX.today, CTX.communes, CTX.points + (("P003", "Sân chơi bản Mới", "03388"),))
    plan = read_record_list("ds.csv", f"{HEAD}\n,Sân chơi bản mới,Đoàn Kết,,Kế hoạch,01/03/2025,,,,,\n".encode(),
                            context=ctx)
    assert seen(plan) == [("error", "recimp.name_ambiguous", 2, "Mã điểm")]  # the row's error says why nothing is read
    assert plan.problems[0].params["ids"] == "P001, P003"


def test_a_missing_required_column_refuses_the_file_and_lists_the_columns_found():
    plan = read_record_list("ds.csv", "Tên,Trạng thái,Ghi chú\nSân chơi,Kế hoạch,\n".encode(), context=CTX)
    assert seen(plan) == [("error", "recimp.missing_columns", None, "")]
    assert plan.problems[0].params == {"file": "ds.csv", "missing": "Xã/phường, Ngày", "missing_en": "Commune/ward, Date",
                                       "found": "Tên, Trạng thái, Ghi chú"}
    assert plan.entries == () and plan.rows_read == 0
    plan = read_record_list("ds.csv", "Xã,Trạng thái,Ngày\nBình Lư,Kế hoạch,01/03/2025\n".encode(), context=CTX)
    assert plan.problems[0].params["missing"] == "Mã điểm hoặc Tên điểm"
    assert "Point id or Point name" in plan.problems[0].message("en")


def test_empty_rows_and_rows_with_nothing_read_are_counted():
    text = ("STT,Mã điểm,Xã,Trạng thái,Ngày\n1,P001,Đoàn Kết,Kế hoạch,01/03/2025\n,,,,\n2,,,,\n"
            "3,P001,Đoàn Kết,Đã phê duyệt,01/04/2025\n4,,,,\n")
    plan = read_record_list("ds.csv", text.encode(), context=CTX)
    assert seen(plan) == [("warning", "imp.blank_rows", None, ""), ("warning", "recimp.ignored_columns", None, ""),
                          ("warning", "recimp.skipped_rows", None, "")]
    assert plan.problems[1].params["columns"] == "STT"
    assert (plan.problems[2].params["n"], plan.problems[2].params["rows"]) == (2, "4, 6")
    assert [(e.status, e.on) for e in plan.entries] == [("planned", date(2025, 3, 1)), ("approved", date(2025, 4, 1))]
    assert plan.rows_read == 2


def test_costs_in_millions_are_not_read_as_dong():
    plan = read_record_list("ds.csv", "Mã điểm,Xã,Trạng thái,Ngày,Kinh phí (triệu đồng)\nP001,03388,in use,01/03/2025,1.500\n"
                            .encode(), context=CTX)
    assert [e.cost_vnd for e in plan.entries] == [None]
    assert seen(plan) == [("warning", "recimp.ignored_columns", None, "")]
    assert plan.problems[0].params["columns"] == "Kinh phí (triệu đồng)"


def test_a_known_point_needs_no_commune():
    plan = read_record_list("ds.csv", (HEAD + "\nP001,,,,Đang sử dụng,01/03/2025,,,,,\n").encode(), context=CTX)
    assert seen(plan) == [] and [(e.point_id, e.commune_code) for e in plan.entries] == [("P001", "03388")]


def test_a_file_without_usable_rows_is_an_error():
    plan = read_record_list("ds.csv", (HEAD + "\n").encode(), context=CTX)
    assert seen(plan) == [("error", "recimp.no_rows", None, "")] and plan.rows_read == 0
    assert seen(read_record_list("ds.xlsx", template_xlsx("vi", context=CTX), context=CTX)) == [
        ("error", "recimp.no_rows", None, "")]


def test_a_text_file_named_xlsx_and_other_formats_are_refused_clearly():
    with pytest.raises(UploadError) as err:
        read_record_list("ds.xlsx", (HEAD + "\nP001,,Đoàn Kết,,Kế hoạch,01/03/2025,,,,,\n").encode(), context=CTX)
    assert err.value.key == "err.recimp_text_as_xlsx" and err.value.params == {"file": "ds.xlsx"}
    assert "ds.xlsx" in err.value.message("vi") and ".csv" in err.value.message("vi")
    assert "Traceback" not in err.value.message("en")
    with pytest.raises(UploadError) as err:
        read_record_list("ds.pdf", b"%PDF-1.4", context=CTX)
    assert err.value.key == "err.recimp_format" and err.value.params["known"] == ".csv, .tsv, .txt, .xlsm, .xlsx"
    with pytest.raises(UploadError) as err:
        read_record_list("ds.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 60, context=CTX)
    assert err.value.key == "err.imp_old_excel"


def test_the_worker_returns_the_same_plan():
    data = filled([["P001", None, "Đoàn Kết", None, "Đang sử dụng", date(2025, 3, 15), 5_000_000],
                   [None, None, "Xyz", None, "Kế hoạch", "01/13/2025"]])
    here = read_record_list("ds.xlsx", data, context=CTX)
    assert read_record_list_safely("ds.xlsx", data, context=CTX) == here
    assert [p.key for p in here.errors] == ["recimp.unknown_commune", "recimp.bad_date"]
    with pytest.raises(UploadError) as err:
        read_record_list_safely("ds.xlsx", b"not a workbook", context=CTX)
    assert err.value.key == "err.recimp_text_as_xlsx"


def test_the_template_has_its_four_sheets_and_no_example_rows():
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx("vi", context=CTX)))
    assert wb.sheetnames == ["Danh sách", "Hướng dẫn", "Xã", "Điểm"]
    ws = wb["Danh sách"]
    assert [c.value for c in ws[1]] == HEAD.split(",") and ws.max_row == 1
    lists = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation}
    assert lists["E2:E5001"] == '"Đã lên kế hoạch,Đã phê duyệt,Đang xây dựng,Đang sử dụng,Đã đóng cửa"'
    assert lists["D2:D5001"] == '"Khu vui chơi,Điểm văn hóa"' and lists["H2:H5001"] == '"Ngân sách nhà nước,Xã hội hóa"'
    assert lists["C2:C5001"] == "'Xã'!$B$2:$B$4"
    assert ws.column_dimensions["F"].number_format == "dd/mm/yyyy"
    assert ws.column_dimensions["G"].number_format == "#,##0"
    assert [[c.value for c in r] for r in wb["Xã"].iter_rows()] == [
        ["Mã xã", "Tên xã/phường"], ["03388", "Phường Đoàn Kết"], ["03390", "Xã Bình Lư"], ["03408", "Phường Tân Phong"]]
    assert [[c.value for c in r] for r in wb["Điểm"].iter_rows()] == [
        ["Mã điểm", "Tên điểm", "Mã xã", "Tên xã/phường"], ["P001", "Sân chơi bản Mới", "03388", "Phường Đoàn Kết"],
        ["P002", "Nhà văn hóa bản Hon", "03390", "Xã Bình Lư"]]
    help_ = [[c.value for c in r] for r in wb["Hướng dẫn"].iter_rows()]
    assert any("dd/mm/yyyy" in str(r[0]) and "ngày trước" in str(r[0]).lower() for r in help_)
    assert [r[0] for r in help_ if r[0] in HEAD.split(",")][:11] == HEAD.split(",")
    assert help_[-1][:6] == [None, "Sân chơi bản Mới", "Phường Đoàn Kết", "Khu vui chơi", "Đang sử dụng", "15/03/2025"]
    en = openpyxl.load_workbook(io.BytesIO(template_xlsx("en", context=CTX)))
    assert en.sheetnames == ["List", "Instructions", "Communes", "Points"]


def test_every_key_the_module_uses_has_both_languages():
    source = (Path(__file__).resolve().parent.parent / "planner" / "record_import.py").read_text(encoding="utf-8")
    keys = set(re.findall(r'"((?:recimp|err\.recimp)[a-z_.]*[a-z_])"', source))
    assert keys and sorted(k for k in keys if k not in TEXT) == []
    assert all(f"recimp.col.{f}" in TEXT and f"recimp.help.{f}" in TEXT for f in
               ("point_id", "name", "commune", "kind", "status", "on", "cost_vnd", "funding", "note", "lon", "lat"))
