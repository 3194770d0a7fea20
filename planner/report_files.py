"""The periodic report "Báo cáo kết quả thực hiện" as files: a DOCX the provincial office edits
and signs, a PDF to send as it is, and the progress chart and the map as pictures.

Every word comes from `planner.report_model.ReportContent`, already in the reader's language; this
module only lays it out. The DOCX keeps Decree 30/2020/NĐ-CP's page (A4; margins 20, 20, 30 and
15 mm; Times New Roman 13 pt). The PDF embeds DejaVu Sans, so Vietnamese prints and can be
searched, and lays the chart and the map on as vector drawings (`planner.briefs`).
"""
from __future__ import annotations

import io as _bytes_io
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH as ALIGN
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table as PdfTable, TableStyle

from planner.briefs import drawing_slot, lay_drawings_on, pdf_font
from planner.formats import fmt_pct
from planner.i18n import t
from planner.report_model import ChartData, MapData, ReportContent, Table

FONT = "Times New Roman"
MARGINS_MM = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}  # Decree 30/2020/NĐ-CP
A4_MM = (210.0, 297.0)
BODY_MM = A4_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 165 mm of text, in both files
PDF_PT = 0.82  # DejaVu Sans is wider than Times: the PDF's type is this much smaller than the DOCX's
FRAME_PAD = 6.0  # points: reportlab's frame pads the page's margins by this much on each side
DPI = 200
EMPTY = "—"
ACTUAL, PLANNED, TARGET, OPENED = "#2e7d32", "#1565c0", "#b71c1c", "#e65100"
Line = tuple  # (text, bold, italic, size in Times points)


def _rows(table: Table) -> list[tuple[str, ...]]:
    """The rows, each as long as the header; none becomes one row of '—' (the office sees an empty table)."""
    n = len(table.header)
    rows = table.rows or ((EMPTY,) * n,)
    return [tuple(str(c) for c in row[:n]) + ("",) * (n - len(row)) for row in rows]


def _strong(line: str) -> bool:
    """A line in capitals (an office, a role) is printed bold."""
    return any(c.isalpha() for c in line) and line == line.upper()


def _top(c: ReportContent) -> tuple[list[Line], list[Line]]:
    """Issuer (capital lines bold) and motto (first lines bold, the place-and-date line italic)."""
    last = max((i for i, s in enumerate(c.motto) if s.strip()), default=0)
    return ([(s, _strong(s), False, 12.5) for s in c.issuer],
            [(s, i == 0 or i < last, 0 < i == last, 13 if 0 < i == last else 12.5) for i, s in enumerate(c.motto)])


def _foot(c: ReportContent) -> tuple[list[Line], list[Line]]:
    """'Nơi nhận:' bold italic with its list in 11 pt; the signer's role and name bold."""
    name = max((i for i, s in enumerate(c.signer) if s.strip()), default=-1)
    aside = [s.strip().startswith("(") for s in c.signer]
    return ([(s, i == 0, i == 0, 12 if i == 0 else 11) for i, s in enumerate(c.closing)],
            [(s, not aside[i] and (i == 0 or i == name or _strong(s)), aside[i], 13) for i, s in enumerate(c.signer)])


def _faces() -> dict[tuple[bool, bool], str]:
    """DejaVu Sans by (bold, italic): `briefs.pdf_font`'s two faces and the oblique ones beside them."""
    from pathlib import Path

    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = pdf_font()
    for name in ("DejaVuSans-Oblique", "DejaVuSans-BoldOblique"):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / f"{name}.ttf")))
    return {(False, False): regular, (True, False): bold, (False, True): "DejaVuSans-Oblique", (True, True): "DejaVuSans-BoldOblique"}


def _share(wants: list[float], least: list[float], width: float) -> list[float]:
    """`width` shared out: each part asks `wants` and gets at least `least` when there is room."""
    if sum(wants) <= width:
        return [w * width / sum(wants) for w in wants]
    if sum(least) >= width:
        return [w * width / sum(least) for w in least]
    extra = [w - m for w, m in zip(wants, least)]
    return [m + (width - sum(least)) * e / sum(extra) for m, e in zip(least, extra)]


def _col_mm(table: Table) -> list[float]:
    """Column widths filling the text's width: each asks for its widest text and gets at least its
    longest word, which cannot wrap (measured in the PDF's type; the DOCX takes the same shares)."""
    faces = _faces()
    cells = [(table.header, faces[True, False])] + [(row, faces[False, False]) for row in _rows(table)]
    pad = 15.0  # the cell's padding (6 pt a side in the PDF, 5.8 in Word) and some to spare
    wants = [max(stringWidth(r[i], f, 8.5) * 1.05 + pad for r, f in cells) for i in range(len(table.header))]
    least = [max(stringWidth(w, f, 8.5) * 1.05 + pad for r, f in cells for w in r[i].split() or [""]) for i in range(len(wants))]
    return [w / mm for w in _share(wants, least, BODY_MM * mm)]


def _pair_mm(left: list[Line], right: list[Line]) -> list[float]:
    """The two columns of the top or the end block, each as wide as its longest line asks, within reason."""
    faces = _faces()
    wants = [max((stringWidth(s, faces[b, i], z) for s, b, i, z in side), default=1.0) + 10 for side in (left, right)]
    return [min(max(w, 0.35), 0.65) * BODY_MM for w in (wants[0] / sum(wants), 1 - wants[0] / sum(wants))]


# ---------------------------------------------------------------- DOCX

def _docx_fonts(rpr, lang: str) -> None:
    """Times New Roman for every script (no theme font for Word to substitute) and the language."""
    fonts = rpr.get_or_add_rFonts()
    fonts.attrib.clear()
    for key in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{key}"), FONT)
    tag = rpr.find(qn("w:lang"))
    if tag is None:
        tag = rpr.makeelement(qn("w:lang"), {})
        rpr.append(tag)
    for key in ("val", "eastAsia"):
        tag.set(qn(f"w:{key}"), lang)


def _text(p, text: str, *, bold=False, italic=False, size_pt: float = 13, align=None, before_pt=None, after_pt=None):
    """`text` as a run of `p`, styled; returns `p`."""
    run = p.add_run(text)
    run.bold, run.italic, run.font.size = bold or None, italic or None, Pt(size_pt)
    if align is not None:
        p.alignment = align
    if before_pt is not None:
        p.paragraph_format.space_before = Pt(before_pt)
    if after_pt is not None:
        p.paragraph_format.space_after = Pt(after_pt)
    return p


def _docx_pair(doc, left: list[Line], right: list[Line], *, left_align) -> None:
    """Two borderless columns of lines: the top (issuer, motto) and the end (recipients, signer)."""
    tbl = doc.add_table(rows=1, cols=2)
    tbl.autofit = False
    props = tbl.rows[0]._tr.get_or_add_trPr()
    props.append(props.makeelement(qn("w:cantSplit"), {}))
    for cell, col, lines, align, w in zip(tbl.rows[0].cells, tbl.columns, (left, right), (left_align, ALIGN.CENTER),
                                          _pair_mm(left, right)):
        col.width = cell.width = Mm(w)
        for k, (text, bold, italic, size) in enumerate(lines or [("", False, False, 13)]):
            _text(cell.paragraphs[0] if k == 0 else cell.add_paragraph(), text, bold=bold, italic=italic, size_pt=size,
                  align=align)


def _docx_table(doc, table: Table) -> None:
    """Title bold above; header row bold and repeated on each page; grid; numbers right; note italic."""
    if table.title:
        _text(doc.add_paragraph(), table.title, bold=True, before_pt=6, after_pt=3).paragraph_format.keep_with_next = True
    rows = [table.header, *_rows(table)]
    tbl = doc.add_table(rows=len(rows), cols=len(table.header))
    tbl.style, tbl.autofit = doc.styles["Table Grid"], False
    widths = _col_mm(table)
    for col, w in zip(tbl.columns, widths):
        col.width = Mm(w)
    for r, (row, values) in enumerate(zip(tbl.rows, rows)):
        props = row._tr.get_or_add_trPr()
        props.append(props.makeelement(qn("w:cantSplit"), {}))
        if r == 0:
            props.append(props.makeelement(qn("w:tblHeader"), {}))  # repeated at the top of each page
        for i, (cell, text) in enumerate(zip(row.cells, values)):
            cell.width = Mm(widths[i])
            align = ALIGN.CENTER if r == 0 else ALIGN.RIGHT if i in table.numeric else ALIGN.LEFT
            _text(cell.paragraphs[0], text, bold=r == 0, size_pt=11, align=align, before_pt=1, after_pt=1)
    if table.note:
        _text(doc.add_paragraph(), table.note, italic=True, size_pt=11, before_pt=3, after_pt=6)


def _docx_body(doc, text: str, **style):
    p = _text(doc.add_paragraph(), text, align=ALIGN.JUSTIFY, after_pt=6, **style)
    p.paragraph_format.first_line_indent, p.paragraph_format.line_spacing = Mm(10), 1.15
    return p


def _docx_figure(doc, picture: bytes, caption: str) -> None:
    p = doc.add_paragraph()
    p.alignment, p.paragraph_format.keep_with_next, p.paragraph_format.space_before = ALIGN.CENTER, True, Pt(8)
    p.add_run().add_picture(_bytes_io.BytesIO(picture), width=Mm(160))
    _text(doc.add_paragraph(), caption, italic=True, size_pt=12, align=ALIGN.CENTER, after_pt=8)


def report_docx(content: ReportContent) -> bytes:
    """The report as an editable Word file, laid out as Decree 30/2020/NĐ-CP sets a page."""
    lang, word_lang = content.lang, "vi-VN" if content.lang == "vi" else "en-US"
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    for side, margin in MARGINS_MM.items():
        setattr(sec, f"{side}_margin", Mm(margin))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(13)
    normal.paragraph_format.space_after, normal.paragraph_format.line_spacing = Pt(0), 1.0
    _docx_fonts(doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")), word_lang)
    _docx_fonts(normal.element.get_or_add_rPr(), word_lang)
    foot = _text(sec.footer.paragraphs[0], t("report.page", lang) + " ", size_pt=11, align=ALIGN.CENTER)
    number = _text(foot, "1", size_pt=11).runs[-1]._r  # Word writes each page's number in its place
    field = number.makeelement(qn("w:fldSimple"), {qn("w:instr"): "PAGE"})
    number.addprevious(field)
    field.append(number)
    props = doc.core_properties
    props.title, props.author, props.subject, props.language = content.doc_title, content.doc_author, content.doc_subject, word_lang

    _docx_pair(doc, *_top(content), left_align=ALIGN.CENTER)
    _text(doc.add_paragraph(), content.title, bold=True, size_pt=14, align=ALIGN.CENTER, before_pt=18)
    _text(doc.add_paragraph(), content.subtitle, bold=True, align=ALIGN.CENTER, after_pt=12)
    for text in content.intro:
        _docx_body(doc, text)
    for section in content.sections:
        _docx_body(doc, section.heading, bold=True, before_pt=6).paragraph_format.keep_with_next = True
        for text in section.paragraphs:
            _docx_body(doc, text)
        for table in section.tables:
            _docx_table(doc, table)
        if section.chart:
            _docx_figure(doc, chart_image(content.chart), content.chart.title)
        if section.map:
            _docx_figure(doc, map_image(content.map), content.map.title)  # its note is on the map
    if content.closing or content.signer:  # the signature never stands alone on a page: it keeps the last text with it
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
        _text(doc.add_paragraph(), "", after_pt=6).paragraph_format.keep_with_next = True
        _docx_pair(doc, *_foot(content), left_align=ALIGN.LEFT)
    buf = _bytes_io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- PDF

def _pdf_pair(left: list[Line], right: list[Line], faces: dict, *, left_align: int):
    def lines(side, align):
        return [Paragraph(escape(s), ParagraphStyle("line", fontName=faces[b, i], fontSize=z * PDF_PT,
                                                     leading=z * PDF_PT * 1.3, alignment=align))
                if s.strip() else Spacer(1, z * PDF_PT * 1.3) for s, b, i, z in side]

    tbl = PdfTable([[lines(left, left_align), lines(right, 1)]], colWidths=[w * mm for w in _pair_mm(left, right)])
    tbl.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return tbl


def _pdf_table(table: Table, styles: dict) -> list:
    """Title above, header repeated on each page, grid, numbers right-aligned, note below."""
    data = [[Paragraph(escape(c), styles["th"]) for c in table.header]]
    data += [[Paragraph(escape(c), styles["num" if i in table.numeric else "td"]) for i, c in enumerate(row)]
             for row in _rows(table)]
    tbl = PdfTable(data, colWidths=[w * mm for w in _col_mm(table)], repeatRows=1)
    tbl.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#555555")),
                             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 2),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    # a title near the page's foot goes over with the table; the table itself splits (keepWithNext would move it whole)
    out = [CondPageBreak(25 * mm), Paragraph(escape(table.title), styles["table_title"])] if table.title else []
    return out + [tbl] + ([Paragraph(escape(table.note), styles["note"])] if table.note else [])


def report_pdf(content: ReportContent) -> bytes:
    """The report as a PDF in the DOCX's order and words; the chart and the map stay vector."""
    lang, faces = content.lang, _faces()

    def style(name, bold=False, pt=13 * PDF_PT, italic=False, **kw):
        return ParagraphStyle(name, fontName=faces[bold, italic], fontSize=pt, leading=pt * 1.35, **kw)

    styles = {"body": style("body", alignment=4, firstLineIndent=10 * mm, spaceAfter=5),
              "head": style("head", True, alignment=4, firstLineIndent=10 * mm, spaceBefore=5, spaceAfter=5, keepWithNext=1),
              "title": style("title", True, 14 * PDF_PT, alignment=1, spaceBefore=16),
              "subtitle": style("subtitle", True, alignment=1, spaceAfter=12),
              "table_title": style("table_title", True, 11 * PDF_PT, spaceBefore=4, spaceAfter=3),
              "th": style("th", True, 8.5, alignment=1), "td": style("td", pt=8.5), "num": style("num", pt=8.5, alignment=2),
              "note": style("note", pt=8.5, italic=True, spaceBefore=2, spaceAfter=6),
              "caption": style("caption", pt=9.5, italic=True, alignment=1, spaceBefore=2, spaceAfter=8)}
    width, drawings, slots = BODY_MM * mm, {}, {}

    def figure(key: str, draw, data, height_in: float, caption: str):
        drawings[key] = draw(data, fmt="pdf", width_in=width / 72, height_in=height_in)
        return KeepTogether([Spacer(1, 3 * mm), drawing_slot(width, height_in * 72, slots, key),
                             Paragraph(escape(caption), styles["caption"])])

    story = [_pdf_pair(*_top(content), faces, left_align=1), Paragraph(escape(content.title), styles["title"]),
             Paragraph(escape(content.subtitle), styles["subtitle"])]
    story += [Paragraph(escape(p), styles["body"]) for p in content.intro]
    for k, section in enumerate(content.sections):
        story += [CondPageBreak(30 * mm), Paragraph(escape(section.heading), styles["head"])]  # no heading alone at a foot
        story += [Paragraph(escape(p), styles["body"]) for p in section.paragraphs]
        for table in section.tables:
            story += _pdf_table(table, styles)
        if section.chart:
            story.append(figure(f"chart{k}", chart_image, content.chart, 3.0, content.chart.title))
        if section.map:
            story.append(figure(f"map{k}", map_image, content.map, 4.6, content.map.title))
    if content.closing or content.signer:  # the signature never stands alone on a page: it keeps the last text with it
        last = [story.pop()] if isinstance(story[-1], (Paragraph, KeepTogether)) else []
        story.append(KeepTogether([*last, Spacer(1, 6 * mm), _pdf_pair(*_foot(content), faces, left_align=0)]))

    def page_number(canvas, doc):
        canvas.setFont(faces[False, False], 9)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"{t('report.page', lang)} {doc.page}")

    buf = _bytes_io.BytesIO()
    margins = {f"{side}Margin": margin * mm - FRAME_PAD for side, margin in MARGINS_MM.items()}  # text 165 mm wide
    doc = SimpleDocTemplate(buf, pagesize=A4, title=content.doc_title, author=content.doc_author,
                            subject=content.doc_subject, creator=t("app.tool_name", lang),
                            lang="vi-VN" if lang == "vi" else "en-US", **margins)
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return lay_drawings_on(buf.getvalue(), drawings, slots)


# ---------------------------------------------------------------- pictures

def chart_image(chart: ChartData, *, fmt: str = "png", width_in: float = 6.3, height_in: float = 3.0) -> bytes:
    """The share of communes with a point at each year's end (a line, years not yet reached left
    out), the chosen scenario's share dashed, each target a tick with its label over a dotted
    level; percent and years written the reader's way. PNG, or vector PDF."""
    from matplotlib.ticker import FuncFormatter

    from planner import cartography as carto

    lang, years = chart.lang, list(chart.years)
    fig = carto.new_figure(width_in, height_in, dpi=DPI)
    ax = carto.axes_at(fig, 0.7, 0.62, width_in - 0.95, height_in - 0.77)

    def known(values):
        pairs = [(y, v) for y, v in zip(years, values) if v is not None]
        return [y for y, _ in pairs], [v for _, v in pairs]

    keys = [(ax.plot(*known(chart.shares), marker="o", markersize=4.5, linewidth=1.8, color=ACTUAL, zorder=4)[0],
             chart.series_label)]
    if chart.planned:
        keys.append((ax.plot(*known(chart.planned), linestyle="--", linewidth=1.4, color=PLANNED, zorder=3)[0],
                     chart.planned_label))
    reached = {y: v for values in (chart.planned, chart.shares) for y, v in zip(years, values) if v is not None}
    for year, share, label in chart.targets:
        ax.axhline(share, color=TARGET, linewidth=0.7, linestyle=":", zorder=1)
        ax.plot([year], [share], marker="_", markersize=16, markeredgewidth=2.2, color=TARGET, zorder=5)
        below = reached.get(year, 0.0) >= share  # the label goes where the line is not
        ax.annotate(label, (year, share), xytext=(0, -6 if below else 6), textcoords="offset points",
                    ha="right" if years and year >= max(years) else "left", va="top" if below else "bottom",
                    fontsize=7.5, color=TARGET, zorder=2.5, parse_math=False,  # under the lines: they stay whole
                    bbox=dict(facecolor="white", edgecolor="none", pad=0.5, alpha=0.85))
    values = [v for v in (*chart.shares, *chart.planned, *(s for _, s, _ in chart.targets)) if v is not None]
    ax.set_ylim(0, max(0.1, min(1.0, max(values, default=0.4) * 1.25)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_pct(v, lang, digits=0)))
    if years:
        ax.set_xlim(min(years) - 0.4, max(years) + 0.4)
    room = max(1, int((width_in - 0.95) / 0.55))  # year labels that fit side by side
    step = next((k for k in (1, 2, 5, 10) if sum(y % k == 0 for y in years) <= room), 20)
    ax.set_xticks([y for y in years if y % step == 0], [str(y) for y in years if y % step == 0])
    ax.set_xticks(years, minor=True)  # every year keeps its tick mark
    ax.tick_params(labelsize=7.5)
    ax.set_ylabel(chart.y_label, fontsize=8, parse_math=False)
    ax.grid(axis="y", color="#cfd8dc", linewidth=0.5, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    shown = [(h, s) for h, s in keys if s]
    if shown:
        fig.legend(*zip(*shown), loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=len(shown), frameon=False, fontsize=8)
    return carto.save(fig, fmt, dpi=DPI, title=chart.title, lang=lang)


def _dots(ax, gdf, crs: str, **style) -> list[tuple]:
    """Point symbols in the map's CRS; returns (x, y, diameter in points) of each (labels avoid them)."""
    if not len(gdf):
        return []
    g = (gdf if gdf.crs is not None else gdf.set_crs("EPSG:4326")).to_crs(crs).geometry
    ax.scatter(g.x, g.y, **style)
    return [(x, y, style["s"] ** 0.5) for x, y in zip(g.x, g.y)]


def map_image(m: MapData, *, fmt: str = "png", width_in: float = 6.3, height_in: float = 4.5) -> bytes:
    """Communes shaded by whether they have a point in use at the period's end, the points in use
    and those opened in the period (larger), with the printed maps' legend, km scale bar and north
    arrow (`planner.cartography`), drawn in metres of the province's UTM zone. PNG, or vector PDF."""
    from planner import cartography as carto
    from planner.cartography import Block, Key
    from planner.crs import metric_crs_for
    from planner.maps import COLOURS
    from planner.printmap import HAS, NONE, short_name

    lang = m.lang
    crs = metric_crs_for(*m.communes.to_crs("EPSG:4326").total_bounds)
    communes = m.communes.to_crs(crs)
    fig = carto.new_figure(width_in, height_in, dpi=DPI)
    minx, miny, maxx, maxy = communes.total_bounds
    map_rect, panel_rect = carto.frame(width_in, height_in, (maxx - minx) / max(maxy - miny, 1.0), top=0.05, bottom=0.05,
                                       margin=0.05, panel_min=1.9)
    ax = carto.map_axes(fig, map_rect, (minx, miny, maxx, maxy))
    has = communes["has_point"].astype(bool).to_numpy()
    communes.plot(ax=ax, color=[HAS if h else NONE for h in has], edgecolor=carto.EDGE, linewidth=0.4, zorder=1)
    communes.dissolve().boundary.plot(ax=ax, color="#263238", linewidth=0.9, zorder=2)
    marks = _dots(ax, m.in_use, crs, s=20, c=COLOURS["existing"], edgecolors="white", linewidths=0.6, zorder=5)
    marks += _dots(ax, m.opened, crs, s=110, marker="*", c=OPENED, edgecolors="#263238", linewidths=0.6, zorder=6)
    carto.bare(ax)
    avoid = carto.furniture(ax, communes.union_all(), crs=crs, lang=lang, north=t("print.north", lang), fontsize=6, scale=0.8)
    at, order = communes.representative_point(), communes.area.to_numpy().argsort()[::-1]
    carto.place_labels(ax, [(at.iloc[i].x, at.iloc[i].y, short_name(str(communes["name"].iloc[i])), 6.5, False)
                            for i in order], avoid=avoid, marks=marks)
    words = {"has_point": t("map.has_point", lang), "no_point": t("map.no_point", lang),
             "in_use": t("map.play_points", lang), "opened": t("report.opened", lang), **m.legend}
    blocks = [Block("", (Key(words["has_point"], "patch", HAS), Key(words["no_point"], "patch", NONE))),
              Block("", (Key(words["in_use"], "marker", COLOURS["existing"], edge="white", size=5.5),
                         Key(words["opened"], "marker", OPENED, edge="#263238", marker="*", size=11)))]
    if m.note:
        blocks.append(Block("", lines=(m.note,)))
    carto.draw_panel(carto.axes_at(fig, *panel_rect), blocks, heading=t("map.legend", lang), fontsize=7.5, grow=1.2)
    return carto.save(fig, fmt, dpi=DPI, title=m.title, lang=lang)
