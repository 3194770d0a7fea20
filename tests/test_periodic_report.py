"""The periodic report: hand-checked tables on the tiny package, the DOCX (read back with python-docx)
and the PDF text carry exactly those tables, and the CLI prints the same rows as the app shows."""
from __future__ import annotations

import contextlib
import io
import re
from datetime import date, datetime, timezone
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from planner.analysis import Analysis
from planner.cli import main
from planner.errors import UsageError
from planner.io import read_package
from planner.periodic_report import period, report_content, targets_table
from planner.progress import progress, today_in_vietnam
from planner.record import Entry
from planner.record_store import RecordStore
from planner.report_files import report_docx, report_pdf
from tests.test_progress import D1, TODAY

APP = Path(__file__).resolve().parent.parent / "app.py"
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)


@pytest.fixture()
def recorded(tiny_dir, tmp_path):
    """N1 in D in use 15/06/2024 (1,2 tỷ, state), N2 in A in use 01/03/2024 (no cost), P2 closed 10/10/2025."""
    store = RecordStore(tmp_path / "workspace" / "scenarios.sqlite")
    store.add("tiny", [
        Entry("N1", "in_use", date(2024, 6, 15), name="Sân chơi D", commune_code="004", lon=D1[0], lat=D1[1],
              cost_vnd=1_200_000_000, funding="state"),
        Entry("N2", "in_use", date(2024, 3, 1), name="Nhà văn hóa A", commune_code="001", kind="culture_point"),
        Entry("P2", "closed", date(2025, 10, 10)),
    ], today=TODAY, recorded_by="Chị Lan")
    package = read_package(tiny_dir)
    return package, progress(Analysis.of(package), store.entries("tiny"), today=TODAY)


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_the_tables_by_hand(recorded):
    package, p = recorded
    c = report_content(p, package, period("2024", today=TODAY), "vi", now=NOW)
    targets, others = c.sections[0].tables
    assert targets.rows == (("2024", "3/4", "75,0%", "30% năm 2025 (2 xã)", "Đạt", "4", "125"),)
    assert others.rows[0] == ("Xã phù hợp với trẻ em", "2/4", "50,0%", "Thiếu 2 xã (84,3%)", "Thiếu 2 xã (85%)")
    opened, spending = c.sections[1].tables
    assert opened.rows == (("Xã A", "Nhà văn hóa A", "Điểm văn hóa", "01/03/2024", "—", "—"),
                           ("Xã D", "Sân chơi D", "Khu vui chơi", "15/06/2024", "1.200.000.000 ₫", "Ngân sách nhà nước"))
    assert spending.rows == (("Ngân sách nhà nước", "1", "1.200.000.000 ₫"), ("Xã hội hóa", "0", "0 ₫"),
                             ("Chưa rõ nguồn vốn", "1", "0 ₫"), ("Tổng cộng", "2", "1.200.000.000 ₫"))
    assert spending.note == "1 điểm chưa có số liệu kinh phí, không cộng vào tổng."
    (without,) = c.sections[2].tables
    assert without.rows == (("002", "Xã B", "30"),)
    # 2025: P2 closed in October: C loses its point, A and D keep theirs; 2 of 4 still meets 30%
    c25 = report_content(p, package, period("2025", today=TODAY), "vi", now=NOW)
    assert c25.sections[0].tables[0].rows == (("2025", "2/4", "50,0%", "30% năm 2025 (2 xã)", "Đạt", "3", "80"),)
    assert c25.sections[2].tables[0].rows == (("002", "Xã B", "30"), ("003", "Xã C", "45"))
    assert "Chỉ tiêu năm 2025 (30%, 2 xã) đạt từ ngày 31/12/2021." in c.intro
    assert c.motto[-1] == "Lai Châu, ngày 01 tháng 12 năm 2026"


def test_docx_and_pdf_carry_exactly_the_tables(recorded):
    package, p = recorded
    c = report_content(p, package, period("midterm", today=TODAY), "vi", now=NOW)
    document = docx.Document(io.BytesIO(report_docx(c)))
    tables = [t for s in c.sections for t in s.tables]
    assert [cells(t) for t in document.tables[1:-1]] == [[list(t.header), *map(list, t.rows or [("—",) * len(t.header)])]
                                                       for t in tables]
    assert cells(document.tables[-1])[0][0].startswith("Nơi nhận:")  # the closing block: not a figure table
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(report_pdf(c))).pages)
    for t in tables:
        for row in t.rows:
            for cell in row:
                assert " ".join(cell.split()) in text, cell
    assert "Chỉ tiêu năm 2030 (35%, 2 xã)" in text


def _cli(*args) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(list(args)) == 0
    return out.getvalue()


def test_the_cli_prints_the_reports_rows_and_writes_the_same_docx(recorded, tiny_dir, tmp_path):
    package, p = recorded
    ws = str(tmp_path / "workspace")
    printed = _cli("progress", "--data", str(tiny_dir), "--workspace", ws, "--today", "01/12/2026")
    table = targets_table(p, "vi")
    for row in table.rows:
        assert " | ".join(row) in printed
    out = tmp_path / "bao-cao.docx"
    _cli("report", "--period", "2024", "--data", str(tiny_dir), "--workspace", ws, "--today", "2026-12-01",
         "--out", str(out))
    document = docx.Document(str(out))
    assert cells(document.tables[1])[1] == ["2024", "3/4", "75,0%", "30% năm 2025 (2 xã)", "Đạt", "4", "125"]


def test_the_apps_table_is_the_docx_table(tmp_path, monkeypatch):
    """The demo, as the app shows it today and as `report --period final` writes it."""
    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/progress.py").run()
    assert not at.exception
    shown = next(d.value for d in at.dataframe if "Trẻ em trong tầm tiếp cận" in list(d.value.columns))
    out = tmp_path / "tong-ket.docx"
    _cli("report", "--period", "final", "--today", today_in_vietnam().isoformat(), "--out", str(out))
    written = cells(docx.Document(str(out)).tables[1])
    assert written[0] == list(shown.columns)
    app_rows = shown.astype(str).values.tolist()
    assert written[1:] == [r for r in app_rows if int(r[0][:4]) >= 2024]


@pytest.mark.parametrize("text", ["2031", "giữa kỳ", "1999", ""])
def test_an_unknown_period_is_refused_with_what_to_use(text):
    with pytest.raises(UsageError) as err:
        period(text, today=TODAY)
    assert "sơ kết (midterm)" in err.value.message("vi") and "2000 … 2026" in err.value.message("vi")


def test_cli_refusals(tmp_path, capsys):
    ws = str(tmp_path / "ws")
    assert main(["report", "--period", "2031", "--out", str(tmp_path / "x.docx"), "--workspace", ws]) == 2
    assert "Kỳ báo cáo không hợp lệ" in capsys.readouterr().err
    assert main(["report", "--period", "2025", "--out", str(tmp_path / "x.odt"), "--workspace", ws]) == 2
    assert ".docx, .pdf" in capsys.readouterr().err
    assert main(["record", "--point", "P015", "--status", "in_use", "--date", "31/02/2026", "--workspace", ws]) == 2
    assert "DD/MM/YYYY" in capsys.readouterr().err
    assert main(["record", "--point", "MOI", "--status", "in_use", "--date", "01/02/2026", "--workspace", ws]) == 2
    assert "--name" in capsys.readouterr().err
    assert main(["record", "--point", "P015", "--status", "built", "--date", "01/02/2026", "--workspace", ws]) == 2
    assert re.search(r"planned, approved, under_construction, in_use, closed", capsys.readouterr().err)
    assert RecordStore(Path(ws) / "scenarios.sqlite").entries("Lai Châu — dữ liệu minh họa (demo)") == ()


def test_the_map_and_chart_stop_at_the_periods_end(recorded):
    """At 31/12/2024 P2 was still open (closed in 2025) and N2 has no place on the map."""
    package, p = recorded
    c = report_content(p, package, period("2024", today=TODAY), "vi", now=NOW)
    assert sorted(c.map.in_use["id"]) == ["N1", "P1", "P2"]
    assert sorted(c.map.opened["id"]) == ["N1"]
    assert dict(zip(c.map.communes["code"], c.map.communes["has_point"])) == {"001": True, "002": False, "003": True,
                                                                              "004": True}
    shares = dict(zip(c.chart.years, c.chart.shares))
    assert (shares[2024], shares[2025], shares[2026]) == (0.75, None, None)


def test_a_midterm_report_says_the_2025_target_was_missed_and_speaks_of_its_end(demo):
    p = progress(Analysis.of(demo), (), today=TODAY)
    c = report_content(p, demo, period("midterm", today=TODAY), "vi", now=NOW)
    assert c.intro[1] == "Chỉ tiêu năm 2025 (30%, 12 xã) chưa đạt: đến 31/12/2025 có 9/38 xã có điểm, thiếu 3 xã."
    assert c.intro[2] == "Chỉ tiêu năm 2030 (35%, 14 xã): đến ngày 31/12/2025 có 9/38 xã có điểm, còn thiếu 5 xã."
