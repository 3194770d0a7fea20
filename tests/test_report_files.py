"""The periodic report as DOCX and PDF: every text and figure of the content is in the files, in
order, on an A4 page with the decree's margins; long tables repeat their header; the chart and the
map draw from hand-made data, empty points and unknown years included."""
from __future__ import annotations

import io
from dataclasses import replace

import geopandas as gpd
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from pypdf import PdfReader
from shapely.geometry import Point, box

from planner.report_files import chart_image, map_image, report_docx, report_pdf
from planner.report_model import ChartData, MapData, ReportContent, Section, Table

X0, Y0, D = 103.36, 22.38, 0.03  # three 3 km squares in a row, near Lai Châu


def _map(*, points: bool = True) -> MapData:
    communes = gpd.GeoDataFrame({"code": ["01", "02", "03"], "name": ["Xã Mường Tè", "Xã Bum Nưa", "Xã Pa Ủ"],
                                 "has_point": [True, False, True]},
                                geometry=[box(X0 + D * i, Y0, X0 + D * (i + 1), Y0 + D) for i in range(3)], crs="EPSG:4326")
    pts = gpd.GeoDataFrame({"id": ["P1", "P2"], "name": ["Điểm Mường Tè", "Điểm Pa Ủ"]},
                           geometry=[Point(X0 + 0.01, Y0 + 0.01), Point(X0 + 0.075, Y0 + 0.015)], crs="EPSG:4326")
    pts = pts if points else pts.iloc[:0]
    return MapData("Bản đồ 1. Xã có điểm cuối kỳ", communes, pts, pts.iloc[1:],
                   legend={"has_point": "Xã có điểm", "no_point": "Xã chưa có điểm", "in_use": "Điểm đang sử dụng",
                           "opened": "Điểm mở trong kỳ"}, note="Dữ liệu minh họa")


def _chart(shares=(0.2, 0.316, None)) -> ChartData:
    return ChartData("Biểu đồ 1. Tỷ lệ xã có điểm", (2024, 2025, 2026), tuple(shares),
                     ((2025, 0.30, "Chỉ tiêu 2025: 30%"), (2026, 0.35, "Chỉ tiêu 2030: 35%")),
                     planned=(None, 0.316, 0.34), series_label="Đã đạt (thực tế)", planned_label="Theo kịch bản “Cơ sở”",
                     y_label="Tỷ lệ xã có điểm (%)")


RESULTS = Table("Bảng 1. Kết quả theo xã", ("STT", "Xã", "Kinh phí (đồng)", "Đánh giá"),
                (("1", "Mường Tè", "1.500.000.000", "Đạt"), ("2", "Bum Nưa", "0", "Thiếu 2 xã")),
                note="Nguồn: số liệu ghi nhận của tỉnh.", numeric=(0, 2))
TARGETS = Table("Bảng 2. Chỉ tiêu", ("Chỉ tiêu", "Năm 2025"), (("Tỷ lệ xã có điểm", "31,6%"),), numeric=(1,))
CLOSED = Table("Bảng 3. Điểm đóng cửa", ("Mã điểm", "Tên điểm"), ())


def _content(tables=(RESULTS, TARGETS, CLOSED)) -> ReportContent:
    return ReportContent(
        lang="vi", issuer=("TỈNH ỦY LAI CHÂU", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "*", "Số: …-BC/BTGDV"),
        motto=("ĐẢNG CỘNG SẢN VIỆT NAM", "", "Lai Châu, ngày 01 tháng 12 năm 2026"),
        title="BÁO CÁO", subtitle="Kết quả thực hiện chỉ tiêu điểm vui chơi năm 2025",
        intro=("Số liệu tính đến hết ngày 31 tháng 12 năm 2025.", "Dữ liệu minh họa, không phải số liệu thật."),
        sections=(Section("I. KẾT QUẢ", ("Toàn tỉnh đạt 31,6% số xã có điểm.",), tuple(tables), chart=True),
                  Section("II. BẢN ĐỒ", ("Xã Mường Tè đã có điểm.",), map=True)),
        chart=_chart(), map=_map(), closing=("Nơi nhận:", "- Thường trực Tỉnh ủy;", "- Lưu VT."),
        signer=("TRƯỞNG BAN", "", "", "Nguyễn Văn A"), doc_title="Báo cáo kết quả thực hiện năm 2025",
        doc_author="Ban Tuyên giáo và Dân vận", doc_subject="Điểm vui chơi, văn hóa cho trẻ em")


@pytest.fixture(scope="module")
def content() -> ReportContent:
    return _content()


@pytest.fixture(scope="module")
def docx(content):
    return Document(io.BytesIO(report_docx(content)))


@pytest.fixture(scope="module")
def pdf(content):
    return PdfReader(io.BytesIO(report_pdf(content)))


def _words(text: str) -> str:
    return " ".join(text.split())


def _cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_docx_tables_hold_the_content_in_order(docx, content):
    tables = content.sections[0].tables
    got = [_cells(t) for t in docx.tables[1:1 + len(tables)]]
    assert got[:2] == [[list(t.header), *map(list, t.rows)] for t in tables[:2]]
    assert got[2] == [["Mã điểm", "Tên điểm"], ["—", "—"]]  # an empty table shows one row of dashes
    assert len(docx.tables) == len(tables) + 2  # the top block, the tables, the closing block
    first = docx.tables[1]
    assert first.rows[1].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert first.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert all(r.bold for r in first.rows[0].cells[0].paragraphs[0].runs)


def test_docx_texts_pictures_and_properties(docx, content):
    texts = [p.text for p in docx.paragraphs]
    for text in (content.title, content.subtitle, *content.intro, *(s.heading for s in content.sections),
                 *(p for s in content.sections for p in s.paragraphs), content.chart.title, content.map.title,
                 RESULTS.title, RESULTS.note):
        assert text in texts
    assert texts.index(content.title) < texts.index(content.intro[0]) < texts.index(content.sections[1].heading)
    top = _cells(docx.tables[0])[0]
    assert top[0].split("\n") == list(content.issuer) and top[1].split("\n") == list(content.motto)
    end = _cells(docx.tables[-1])[0]
    assert end[0].split("\n") == list(content.closing) and end[1].split("\n") == list(content.signer)
    assert len(docx.inline_shapes) == 2
    props = docx.core_properties
    assert (props.title, props.author, props.subject, props.language) == (
        content.doc_title, content.doc_author, content.doc_subject, "vi-VN")


def test_docx_page_font_language_and_page_number(docx):
    sec = docx.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
    assert [round(m.mm) for m in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [20, 20, 30, 15]
    normal = docx.styles["Normal"]
    assert normal.font.size.pt == 13
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{k}")) for k in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
    assert normal.element.rPr.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    footer = sec.footer.paragraphs[0]._p
    assert footer.find(qn("w:fldSimple")).get(qn("w:instr")) == "PAGE" and "Trang" in sec.footer.paragraphs[0].text


def test_docx_english_language():
    doc = Document(io.BytesIO(report_docx(replace(_content(), lang="en"))))
    assert doc.core_properties.language == "en-US"
    assert "Page" in doc.sections[0].footer.paragraphs[0].text


def test_pdf_page_metadata_and_text(pdf, content):
    width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)
    assert pdf.metadata.title == content.doc_title
    assert (pdf.metadata.author, pdf.metadata.subject) == (content.doc_author, content.doc_subject)
    text = _words(" ".join(page.extract_text() for page in pdf.pages))
    cells = [c for t in content.sections[0].tables for c in (*t.header, *(c for r in t.rows for c in r))]
    for needle in (content.title, content.subtitle, "Mường Tè", "—", *cells, *content.issuer, *content.signer[-1:],
                   content.chart.title, content.map.title):
        assert _words(needle) in text, needle
    assert "Trang 1" in text


def test_long_tables_repeat_their_header():
    long = Table("Bảng dài", ("Mã xã", "Tên xã", "Số trẻ em"),
                 tuple((f"{i:03d}", f"Xã số {i}", f"{1000 + i:,}".replace(",", ".")) for i in range(120)), numeric=(2,))
    content = replace(_content(tables=(long,)), sections=(Section("I. DANH SÁCH", tables=(long,)),))
    pages = [_words(p.extract_text()) for p in PdfReader(io.BytesIO(report_pdf(content))).pages]
    with_rows = [p for p in pages if "Xã số" in p]
    assert len(with_rows) > 1 and all("Mã xã Tên xã Số trẻ em" in p for p in with_rows)
    assert "Xã số 0 " in pages[0]  # the table starts under its heading and splits, not moved whole to page 2
    assert all(f"Xã số {i} " in " ".join(pages) for i in range(120))
    doc = Document(io.BytesIO(report_docx(content)))
    rows = doc.tables[1].rows
    assert len(rows) == 121
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])


def test_chart_without_any_share_and_map_without_points():
    assert chart_image(_chart(shares=(None, None, None))).startswith(b"\x89PNG")
    assert chart_image(replace(_chart(), planned=(), targets=(), series_label="")).startswith(b"\x89PNG")
    assert map_image(_map(points=False)).startswith(b"\x89PNG")
    assert chart_image(_chart(), fmt="pdf").startswith(b"%PDF")
    assert map_image(_map(), fmt="pdf").startswith(b"%PDF")


def test_chart_writes_percent_and_years_the_readers_way():
    page = PdfReader(io.BytesIO(chart_image(_chart(), fmt="pdf"))).pages[0]
    text = _words(page.extract_text())
    assert "30%" in text and "2025" in text and "2,025" not in text and "2.025" not in text
    assert "Đã đạt (thực tế)" in text
