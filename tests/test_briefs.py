"""Meeting outputs: the PDF's text holds the Vietnamese labels and figures; the workbook's cells
hold the same figures as the scenario computation."""
import io
from dataclasses import replace

import openpyxl
import pytest
from pypdf import PdfReader

from planner.analysis import Analysis
from planner.briefs import brief_pdf, comparison_table, fmt_vnd, fmt_vnd_short, workbook
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
    text = reader.pages[0].extract_text()
    f = figures(Analysis.of(demo), two[0])
    for needle in ("Quy hoạch điểm vui chơi trẻ em — Lai Châu", "Xã có điểm văn hóa, vui chơi cho trẻ em",
                   "Năm đạt chỉ tiêu 35%", "Ngân sách nhà nước", "Xã hội hóa", "Dữ liệu minh họa",
                   f"{f.communes_with_point}/38", fmt_vnd(f.cost_total_vnd, "vi"), "Vượt ngân sách nhà nước",
                   "2026: 250.000.000 ₫"):
        assert needle in text, needle


def test_pdf_in_english(demo, two):
    text = PdfReader(io.BytesIO(brief_pdf(Analysis.of(demo), [two[0]], "en"))).pages[0].extract_text()
    assert "Communes with a play/culture point" in text and "VND 3,750,000,000" in text


def test_workbook_cells_match_figures(demo, two):
    wb = openpyxl.load_workbook(io.BytesIO(workbook(Analysis.of(demo), list(two), "vi")))
    assert wb.sheetnames == ["Chỉ số", "Các điểm đề xuất", "Xếp hạng xã", "Tham số"]
    ws = wb["Chỉ số"]
    table = comparison_table(Analysis.of(demo), list(two), "vi")
    assert [c.value for c in ws[1]] == ["Chỉ số", "Ngân sách nhà nước", "Xã hội hóa"]
    got = {ws.cell(i, 1).value: (ws.cell(i, 2).value, ws.cell(i, 3).value) for i in range(2, ws.max_row + 1)}
    for label, row in table.iterrows():
        assert got[label] == tuple(row), label
    f = figures(Analysis.of(demo), two[0])
    assert got["Trẻ em mới được tiếp cận"][0] == f"{f.children_newly_reached:,}".replace(",", ".")
    props = wb["Các điểm đề xuất"]
    assert props.max_row == 1 + 3 + 1
    costs = [props.cell(i, 8).value for i in range(2, 6)]
    assert costs == [1_250_000_000] * 4
