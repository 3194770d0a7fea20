"""Meeting outputs: the PDF's text holds the Vietnamese labels and figures; the workbook's cells
hold the same figures as the scenario computation."""
import io
from dataclasses import replace

import openpyxl
import pytest
from pypdf import PdfReader

from planner.analysis import Analysis
from planner.briefs import brief_pdf, workbook
from planner.formats import fmt_vnd, fmt_vnd_short
from planner.proposals import propose_at
from planner.scenarios import Scenario, figures


@pytest.fixture(scope="module")
def two(demo):
    centres = demo.communes.set_index("code").geometry.representative_point()
    props = []
    for k, code in enumerate(["03562", "03637", "03487"]):
        p = propose_at(demo, centres[code].x, centres[code].y, existing=tuple(props))
        props.append(replace(p, year=2026 + k, cost_vnd=1_250_000_000))
    a = Scenario(name="Ngân sách nhà nước", proposals=tuple(props),
                 budget_by_year={2026: 1_000_000_000, 2027: 2_000_000_000, 2028: 2_000_000_000, 2029: 0, 2030: 0})
    b = Scenario(name="Xã hội hóa", proposals=tuple(replace(p, funding="non_state") for p in props[:1]))
    return a, b


def test_money_styles():
    assert fmt_vnd(1_250_000_000, "vi") == "1.250.000.000 ₫"
    assert fmt_vnd(1_250_000_000, "en") == "VND 1,250,000,000"
    assert fmt_vnd_short(1_250_000_000, "vi") == "1,25 tỷ đồng"
    assert fmt_vnd_short(1_250_000_000, "en") == "VND 1.25 billion"


def test_pdf_text_has_vietnamese_labels_and_figures(demo, two):
    data = brief_pdf(Analysis.of(demo), list(two), "vi")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert reader.metadata.author == reader.metadata.creator == "Phần mềm quy hoạch điểm vui chơi trẻ em"
    assert reader.metadata.subject.startswith("Tóm tắt kịch bản")  # the file's properties read Vietnamese too
    text = reader.pages[0].extract_text()
    f = figures(Analysis.of(demo), two[0])
    for needle in ("Quy hoạch điểm vui chơi trẻ em — Lai Châu", "Xã có điểm văn hóa, vui chơi cho trẻ em",
                   "Năm đạt chỉ tiêu 35%", "Ngân sách nhà nước", "Xã hội hóa", "Dữ liệu minh họa",
                   f"{f.communes_with_point}/38", fmt_vnd(f.cost_total_vnd, "vi"), "Vượt ngân sách nhà nước",
                   "2026: 250.000.000 ₫"):
        assert needle in text, needle


def test_pdf_map_has_legend_scale_and_chart(demo, two):
    """The map carries its legend, a km scale bar and a north arrow; the spending chart its title
    and legend; the date is Vietnam's time, written as its offices write it."""
    from datetime import datetime, timezone

    now = datetime(2026, 3, 5, 2, 30, tzinfo=timezone.utc)
    data = brief_pdf(Analysis.of(demo), list(two), "vi", now=now)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for needle in ("Chú giải", "Màu nền xã: điểm vui chơi, văn hóa sau đề xuất", "Có điểm vui chơi/văn hóa", "Chưa có điểm",
                   "Ký hiệu", "Các điểm đề xuất: Ngân sách nhà nước", "Các điểm đề xuất: Xã hội hóa", " km", "Sìn Hồ",
                   "Chi tiêu theo năm so với ngân sách (tỷ đồng)", "Phần xã hội hóa (gạch chéo)",
                   "Ngân sách nhà nước bố trí cho năm", "1,25", "05/03/2026 09:30", "Nguồn dữ liệu: Lai Châu"):
        assert needle in text, needle
    assert "2026-03-05" not in text
    en = " ".join(PdfReader(io.BytesIO(brief_pdf(Analysis.of(demo), [two[0]], "en", now=now))).pages[0].extract_text().split())
    for needle in ("Legend", "Symbols", " km", "Spending by year against the budget (billion VND)", "5 Mar 2026, 09:30", "1.25"):
        assert needle in en, needle


def test_pdf_in_english(demo, two):
    text = PdfReader(io.BytesIO(brief_pdf(Analysis.of(demo), [two[0]], "en"))).pages[0].extract_text()
    assert "Communes with a play/culture point" in text and "VND 3,750,000,000" in text


def test_workbook_cells_match_figures(demo, two):
    wb = openpyxl.load_workbook(io.BytesIO(workbook(Analysis.of(demo), list(two), "vi")))
    assert wb.sheetnames == ["Chỉ số", "Các điểm đề xuất", "Xếp hạng xã", "Tham số"]
    ws = wb["Chỉ số"]
    assert [c.value for c in ws[1]] == ["Chỉ số", "Ngân sách nhà nước", "Xã hội hóa"]
    cells = {ws.cell(i, 1).value: (ws.cell(i, 2), ws.cell(i, 3)) for i in range(2, ws.max_row + 1)}
    got = {label: (a.value, b.value) for label, (a, b) in cells.items()}
    f = figures(Analysis.of(demo), two[0])
    before = f.communes_with_point_before
    # numbers, not text: three points in three new communes, 1,25 tỷ each, one a year from 2026
    assert got["Xã có điểm văn hóa, vui chơi cho trẻ em"] == (before + 3, before + 1)
    assert got["Tổng số xã"] == (38, 38)
    assert got["Tỷ lệ xã có điểm văn hóa, vui chơi"] == (pytest.approx((before + 3) / 38), pytest.approx((before + 1) / 38))
    assert got["Trẻ em mới được tiếp cận"][0] == f.children_newly_reached
    assert got["Tổng kinh phí"] == (3_750_000_000, 1_250_000_000)
    assert got["Kinh phí năm 2026"] == (1_250_000_000, 1_250_000_000) and got["Kinh phí năm 2027"] == (1_250_000_000, 0)
    assert got["Vượt ngân sách nhà nước năm 2026"] == (250_000_000, 0)  # 1,25 tỷ spent, 1 tỷ budgeted
    assert got["Kinh phí: Xã hội hóa"] == (0, 1_250_000_000)
    years = [got[f"Kinh phí năm {y}"][0] for y in range(2026, 2031)]
    assert sum(years) == got["Tổng kinh phí"][0]  # a column that can be summed
    formats = {label: a.number_format for label, (a, _) in cells.items()}
    assert formats["Tổng kinh phí"] == '#,##0 "₫"' and formats["Tổng số xã"] == "#,##0"
    assert formats["Tỷ lệ xã có điểm văn hóa, vui chơi"] == "0.0%"
    assert all(a.data_type == "n" for label, (a, _) in cells.items() if not label.startswith(("Năm đạt", "Tầm tiếp cận")))
    assert got["Tầm tiếp cận"] == ("đường chim bay, bán kính 2.000 m",) * 2
    reached = got["Năm đạt chỉ tiêu 30%"]
    assert all(isinstance(v, int) and 2026 <= v <= 2030 or isinstance(v, str) for v in reached)
    props = wb["Các điểm đề xuất"]
    assert props.max_row == 1 + 3 + 1
    costs = [props.cell(i, 8) for i in range(2, 6)]
    assert [c.value for c in costs] == [1_250_000_000] * 4 and costs[0].number_format == '#,##0 "₫"'
    assert props.cell(2, 6).value == 2026 and props.cell(2, 6).number_format == "0"
    params = {r[0].value: r[1] for r in wb["Tham số"].iter_rows(min_row=2)}
    budget = params["Ngân sách nhà nước: Ngân sách nhà nước năm 2027 (đồng)"]  # the label says đồng: the cell holds đồng
    assert budget.value == 2_000_000_000 and budget.number_format == '#,##0 "₫"'
    assert params["Ngân sách nhà nước: Bán kính tiếp cận (m)"].value == 2000
    for sheet in wb.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
        assert sheet.print_title_rows == "$1:$1" and sheet.freeze_panes[-1] == "2"
