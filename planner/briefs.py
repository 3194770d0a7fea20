"""Meeting outputs: a one-page PDF brief and an Excel workbook for one scenario or a comparison.

The PDF embeds DejaVu Sans (shipped inside matplotlib's package data) so Vietnamese diacritics
render and extract correctly; the map (with the printed maps' legend, scale bar and north arrow,
`planner.cartography`) and the spending chart are drawn with matplotlib, offline, as vector PDF
laid onto the page.
"""
from __future__ import annotations

import io as _bytes_io
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd

from planner.exports import (BY_ROW, Param, Sheet, localise, params_sheet, provenance, ranking_sheet, safe_params,
                             xlsx_workbook)
from planner.i18n import t
from planner.formats import fmt_int, fmt_num, fmt_pct, fmt_vnd, fmt_vnd_short
from planner.analysis import Analysis
from planner.proposals import proposals_frame
from planner.scenarios import FUNDING, YEARS, Figures, Scenario, figures
from planner.summary import existing_points


def _year_text(year: int | None, short: int, lang: str) -> str:
    if year is None:
        return t("scn.never", lang, n=short)
    return t("scn.already", lang) if year <= 2025 else str(year)


def figure_rows(fig: Figures, lang: str) -> list[tuple[str, str]]:
    """(label, value) lines of a scenario's figures, in the user's language."""
    share = fig.communes_with_point / fig.communes_total if fig.communes_total else 0.0
    rows = [
        (t("indicator.play_point", lang), f"{fig.communes_with_point}/{fig.communes_total} ({fmt_pct(share, lang)})"),
        (t("scn.year_reached", lang, target="30%"), _year_text(fig.year_2025_target, fig.needed_2025, lang)),
        (t("scn.year_reached", lang, target="35%"), _year_text(fig.year_2030_target, fig.short_2030_end, lang)),
        (t("opt.communes", lang), str(fig.communes_newly_with_point)),
        (t("opt.children", lang), fmt_int(fig.children_newly_reached, lang)),
        (t("param.reach", lang), fig.rule.words(lang) if fig.rule is not None else "—"),
        (t("opt.total_cost", lang), fmt_vnd(fig.cost_total_vnd, lang)),
        (t("scn.cost_per_child", lang), "—" if fig.cost_per_child_vnd is None else fmt_vnd(fig.cost_per_child_vnd, lang)),
    ]
    rows += [(t("scn.cost_year", lang, year=y), fmt_vnd(fig.cost_by_year.get(y, 0), lang)) for y in YEARS]
    rows += [(t("scn.cost_funding", lang, funding=t(f"funding.{f}", lang)), fmt_vnd(fig.cost_by_funding.get(f, 0), lang)) for f in FUNDING]
    over = "; ".join(f"{y}: {fmt_vnd(v, lang)}" for y, v in sorted(fig.over_budget.items()))
    rows.append((t("scn.over_budget_row", lang), over or "—"))
    return rows


def comparison_table(analysis: Analysis, scenarios: list[Scenario], lang: str,
                     figs: list[Figures] | None = None) -> pd.DataFrame:
    """Figures side by side: one row per figure, one column per scenario (pass `figs` when the
    scenarios' figures are already computed)."""
    cols = {}
    labels = None
    figs = figs or [figures(analysis, s) for s in scenarios]
    for s, fig in zip(scenarios, figs):
        rows = figure_rows(fig, lang)
        labels = labels or [r[0] for r in rows]
        cols[s.name] = [dict(rows).get(label, "") for label in labels]
    return pd.DataFrame(cols, index=pd.Index(labels or [], name=t("scn.figure", lang)))


MARKERS = ("o", "s", "^", "D")


def map_png(analysis: Analysis, scenarios: list[Scenario], *, lang: str = "vi", width_in: float = 7.09,
            height_in: float = 3.9, file_format: str = "png") -> bytes:
    """Communes (shaded by whether they have a point once the first scenario is built), existing
    points and each scenario's proposals, with the legend, a km scale bar and a north arrow; the
    province fills the frame. PNG, or PDF (vector, its text searchable) for the brief."""
    from planner import cartography as carto
    from planner.cartography import Block, Key
    from planner.maps import COLOURS, SCENARIO_COLOURS
    from planner.printmap import HAS, NONE, short_name

    first, package = scenarios[0], analysis.package
    at_radius = analysis.at(reach=first.reach_rule)
    crs = at_radius.summary.reach.metric_crs
    communes = package.communes.to_crs(crs)
    has = at_radius.effect(first.proposals).after.communes["has_point"].reindex(communes["code"]).to_numpy(dtype=bool)
    fig = carto.new_figure(width_in, height_in, dpi=200)
    minx, miny, maxx, maxy = communes.total_bounds
    map_rect, panel_rect = carto.frame(width_in, height_in, (maxx - minx) / max(maxy - miny, 1.0), top=0.03, bottom=0.03,
                                       margin=0.03, panel_min=2.1)
    ax = carto.map_axes(fig, map_rect, (minx, miny, maxx, maxy))
    communes.plot(ax=ax, color=[HAS if h else NONE for h in has], edgecolor=carto.EDGE, linewidth=0.35, zorder=1)
    communes.dissolve().boundary.plot(ax=ax, color="#263238", linewidth=0.9, zorder=2)
    existing = existing_points(package).to_crs(crs)
    ax.scatter(existing.geometry.x, existing.geometry.y, s=14, c=COLOURS["existing"], edgecolors="white", linewidths=0.5, zorder=5)
    marks = [(x, y, 14 ** 0.5) for x, y in zip(existing.geometry.x, existing.geometry.y)]
    keys = [Key(t("map.play_points", lang), "marker", COLOURS["existing"], edge="white", size=5)]
    for k, s in enumerate(scenarios[:4]):
        props = proposals_frame(s.proposals).to_crs(crs)
        if len(props):
            ax.scatter(props.geometry.x, props.geometry.y, s=30, marker=MARKERS[k], c=SCENARIO_COLOURS[k],
                       edgecolors="#263238", linewidths=0.6, zorder=6)
            marks += [(x, y, 30 ** 0.5) for x, y in zip(props.geometry.x, props.geometry.y)]
        keys.append(Key(f"{t('sites.proposals', lang)}: {s.name}", "marker", SCENARIO_COLOURS[k], edge="#263238",
                        marker=MARKERS[k], size=5.5))
    carto.bare(ax)
    avoid = carto.furniture(ax, communes.union_all(), crs=crs, lang=lang, north=t("print.north", lang), fontsize=5.5,
                            scale=0.72)
    at = communes.representative_point()
    order = communes.area.to_numpy().argsort()[::-1]
    carto.place_labels(ax, [(at.iloc[i].x, at.iloc[i].y, short_name(str(communes["name"].iloc[i])), 4.3, False)
                            for i in order], avoid=avoid, marks=marks)
    shading = t("print.shading_after", lang) + (f" ({first.name})" if len(scenarios) > 1 else "")
    blocks = [Block(shading, (Key(t("map.has_point", lang), "patch", HAS), Key(t("map.no_point", lang), "patch", NONE))),
              Block(t("print.symbols", lang), tuple(keys))]
    carto.draw_panel(carto.axes_at(fig, *panel_rect), blocks, heading=t("map.legend", lang), fontsize=6.5, grow=1.25)
    return carto.save(fig, file_format, dpi=200, lang=lang)


BUDGET_RED = "#b71c1c"  # the budget mark, as on the Scenarios page's chart


def spending_chart(scenarios: list[Scenario], lang: str, *, width_in: float = 7.09, height_in: float = 2.2,
                   file_format: str = "png") -> bytes:
    """Spending per year, one bar per scenario (state budget solid, non-state hatched on top), each
    year's state budget a dark line across its bar; billions of đồng, numbers as `lang` writes them."""
    from matplotlib.ticker import FuncFormatter

    from planner import cartography as carto
    from planner.cartography import Block, Key
    from planner.formats import BILLION
    from planner.maps import SCENARIO_COLOURS

    years = sorted(set(YEARS) | {p.year for s in scenarios for p in s.proposals})
    fig = carto.new_figure(width_in, height_in, dpi=200)
    fig.text(0.01, 0.98, t("brief.chart_title", lang), ha="left", va="top", fontsize=8.5, fontweight="bold", parse_math=False)
    legend_w = 2.1
    ax = carto.axes_at(fig, 0.5, 0.28, width_in - 0.5 - legend_w - 0.15, height_in - 0.28 - 0.32)
    n = max(1, len(scenarios[:4]))
    top = 0.0
    width = 0.8 / n
    for k, s in enumerate(scenarios[:4]):
        xs = [i - 0.4 + width * (k + 0.5) for i in range(len(years))]
        state = [sum(p.cost_vnd for p in s.proposals if p.year == y and p.funding == "state") / BILLION for y in years]
        other = [sum(p.cost_vnd for p in s.proposals if p.year == y and p.funding != "state") / BILLION for y in years]
        colour = SCENARIO_COLOURS[k]
        ax.bar(xs, state, width * 0.9, color=colour, zorder=2)
        ax.bar(xs, other, width * 0.9, bottom=state, color="white", edgecolor=colour, hatch="////", linewidth=0.6, zorder=2)
        budget = [s.budget_by_year.get(y, 0) / BILLION for y in years]
        # red and wider than the bar, drawn over it: a bar that spends the budget exactly still shows its line
        ax.hlines(budget, [x - width * 0.55 for x in xs], [x + width * 0.55 for x in xs], colors=BUDGET_RED, linewidth=2.0,
                  zorder=3)
        top = max([top, *budget, *(a + b for a, b in zip(state, other))])
    ax.set_xticks(range(len(years)), [str(y) for y in years], fontsize=7)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_num(v, lang, 2, trim=True)))
    ax.tick_params(axis="y", labelsize=7)
    ax.set_ylim(0, top * 1.12 if top > 0 else 1)
    ax.grid(axis="y", color="#cfd8dc", linewidth=0.5, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    blocks = [Block(t("brief.scenarios", lang), tuple(Key(s.name, "patch", SCENARIO_COLOURS[k]) for k, s in enumerate(scenarios[:4]))),
              Block("", (Key(t("brief.non_state_part", lang), "patch", "white", edge="#546e7a", hatch="////"),
                         Key(t("brief.budget_mark", lang), "line", BUDGET_RED)))]
    carto.draw_panel(carto.axes_at(fig, width_in - legend_w, 0.1, legend_w - 0.05, height_in - 0.42), blocks, heading="",
                     fontsize=7)
    return carto.save(fig, file_format, dpi=200, lang=lang)


def pdf_font() -> tuple[str, str]:
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(fonts / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"


def brief_pdf(analysis: Analysis, scenarios: list[Scenario], lang: str, *, now: datetime | None = None) -> bytes:
    """A one-page A4 brief: map with its legend, figures against targets, spending against the
    budget by year, top priorities. The map and the chart are drawn as vector PDF and laid onto the
    page, so their words (legend, scale, chart title) print sharp and can be searched."""
    package = analysis.package
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from planner.formats import fmt_datetime

    regular, bold = pdf_font()
    now = now or datetime.now(timezone.utc)
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=13, leading=16)
    body = ParagraphStyle("body", fontName=regular, fontSize=7.5, leading=9.5)
    small = ParagraphStyle("small", fontName=regular, fontSize=6.5, leading=8, textColor=colors.HexColor("#555555"))
    names = " / ".join(s.name for s in scenarios)
    # Paragraph reads its text as markup: every text from users or data is escaped (& < >)
    story = [Paragraph(t("app.title", lang), h1),
             Paragraph(f"{t('scn.compare', lang) if len(scenarios) > 1 else t('scn.current', lang)}: <b>{escape(names)}</b> — "
                       f"{escape(fmt_datetime(now, lang))}", body)]
    if len(scenarios) == 1 and (scenarios[0].description.strip() or scenarios[0].author.strip()):
        s0 = scenarios[0]
        about = " — ".join(x for x in (s0.description.strip()[:300], s0.author.strip()) if x)
        story.append(Paragraph(escape(about), small))
    width = 180 * mm
    table = comparison_table(analysis, scenarios, lang)
    data = [[Paragraph(t("scn.figure", lang), body)] + [Paragraph(f"<b>{escape(str(c))}</b>", body) for c in table.columns]]
    data += [[Paragraph(escape(str(i)), body)] + [Paragraph(escape(str(v)), body) for v in row]
             for i, row in zip(table.index, table.to_numpy())]
    first = 62 * mm
    tbl = Table(data, colWidths=[first] + [(width - first) / max(1, len(table.columns))] * len(table.columns))
    tbl.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
                             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0e8")),
                             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    top = scenario_ranking(analysis, scenarios[0]).table.head(5)
    tail = [Spacer(1, 1.5 * mm), Paragraph(f"<b>{t('rank.table', lang)}</b>: " + "; ".join(
        f"{int(row.rank)}. {escape(str(row.name))} ({fmt_num(row.score, lang)})" for row in top.itertuples()), body),
        Spacer(1, 1.5 * mm), Paragraph(escape(f"{t('app.data_source', lang)}: {package.display_name(lang)} · "
                                              + t("print.made", lang, when=fmt_datetime(now, lang))), small)]
    if package.is_demo:
        tail.append(Paragraph(escape(t("app.demo_note", lang)), small))
    if any(s.reach_mode == "walk" for s in scenarios) and package.manifest.get("terrain", {}).get("demo"):
        tail.append(Paragraph(escape(t("reach.demo_terrain", lang)), small))
    # the map and the chart share what the text leaves of the page: no empty band at the foot
    frame_h = A4[1] - 22 * mm - 12  # margins and the frame's padding
    room = frame_h - sum(f.wrap(width, frame_h)[1] for f in [*story, tbl, *tail]) - 12 * mm
    map_h = min(120 * mm, max(70 * mm, room * 0.62))
    chart_h = min(75 * mm, max(40 * mm, room - map_h))
    drawings, slots = {}, {}
    drawings["map"] = map_png(analysis, scenarios, lang=lang, width_in=width / 72, height_in=map_h / 72, file_format="pdf")
    drawings["chart"] = spending_chart(scenarios, lang, width_in=width / 72, height_in=chart_h / 72, file_format="pdf")
    story += [Spacer(1, 2 * mm), drawing_slot(width, map_h, slots, "map"), Spacer(1, 2 * mm), tbl, Spacer(1, 2 * mm),
              drawing_slot(width, chart_h, slots, "chart"), *tail]
    buf = _bytes_io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=12 * mm,
                            bottomMargin=10 * mm, title=f"{t('app.title', lang)} — {names}",
                            author=t("app.tool_name", lang), creator=t("app.tool_name", lang), subject=t("brief.subject", lang))
    doc.build(story)
    return lay_drawings_on(buf.getvalue(), drawings, slots)


def drawing_slot(width: float, height: float, slots: dict, key: str):
    """Room in the story for a drawing laid on the page once it is built; records where it fell
    (page, x, y) in `slots`."""
    from reportlab.platypus import Flowable

    class Slot(Flowable):
        def wrap(self, available_width, available_height):
            return width, height

        def draw(self):
            x, y = self.canv.absolutePosition(0, 0)
            slots[key] = (self.canv.getPageNumber() - 1, x, y)

    return Slot()


def lay_drawings_on(pdf: bytes, drawings: dict[str, bytes], slots: dict[str, tuple]) -> bytes:
    """`pdf` with each drawing (a one-page PDF of its slot's size) laid onto its slot."""
    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter(clone_from=PdfReader(_bytes_io.BytesIO(pdf)))
    for key, (page, x, y) in slots.items():
        drawing = PdfReader(_bytes_io.BytesIO(drawings[key])).pages[0]
        writer.pages[page].merge_transformed_page(drawing, Transformation().translate(x, y))
    out = _bytes_io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scenario_ranking(analysis: Analysis, scenario: Scenario):
    """The commune ranking with the scenario's preset or custom weights and radius."""
    return analysis.at(reach=scenario.reach_rule).ranking(preset=scenario.preset, weights=scenario.weights)


def _year_value(year: int | None, short: int, lang: str) -> int | str:
    """The year a target is reached as a number, or words when it is met already or never."""
    return year if year is not None and year > 2025 else _year_text(year, short, lang)


def figure_values(fig: Figures, lang: str) -> list[Param]:
    """A scenario's figures for the workbook, one figure per row, each a number with its kind
    (counts, a share as a fraction, money in đồng, years), so that a column can be summed; a
    year never reached, or reached already, is words."""
    share = fig.communes_with_point / fig.communes_total if fig.communes_total else 0.0
    rows = [
        Param(t("indicator.play_point", lang), fig.communes_with_point, "int"),
        Param(t("scn.communes_total", lang), fig.communes_total, "int"),
        Param(t("scn.share_with_point", lang), share, "pct"),
        Param(t("scn.year_reached", lang, target="30%"), _year_value(fig.year_2025_target, fig.needed_2025, lang), "year"),
        Param(t("scn.year_reached", lang, target="35%"), _year_value(fig.year_2030_target, fig.short_2030_end, lang), "year"),
        Param(t("opt.communes", lang), fig.communes_newly_with_point, "int"),
        Param(t("opt.children", lang), fig.children_newly_reached, "int"),
        Param(t("param.reach", lang), fig.rule.words(lang) if fig.rule is not None else "—"),
        Param(t("opt.total_cost", lang), fig.cost_total_vnd, "vnd"),
        Param(t("scn.cost_per_child", lang), "—" if fig.cost_per_child_vnd is None else fig.cost_per_child_vnd, "vnd"),
    ]
    rows += [Param(t("scn.cost_year", lang, year=y), fig.cost_by_year.get(y, 0), "vnd") for y in YEARS]
    rows += [Param(t("scn.cost_funding", lang, funding=t(f"funding.{f}", lang)), fig.cost_by_funding.get(f, 0), "vnd")
             for f in FUNDING]
    rows += [Param(t("scn.over_budget_year", lang, year=y), fig.over_budget.get(y, 0), "vnd") for y in YEARS]
    return rows


def summary_sheet(analysis: Analysis, scenarios: list[Scenario], lang: str, figs: list[Figures] | None = None) -> Sheet:
    """The workbook's first sheet: one row per figure, one column per scenario, numbers."""
    figs = figs or [figures(analysis, s) for s in scenarios]
    rows = [figure_values(f, lang) for f in figs]
    label = t("scn.figure", lang)
    frame = pd.DataFrame({label: [p.label for p in rows[0]]} | {s.name: [p.value for p in r] for s, r in zip(scenarios, rows)})
    return Sheet(label, frame, {s.name: BY_ROW for s in scenarios}, freeze_cols=1, row_kinds=tuple(p.kind for p in rows[0]))


def workbook(analysis: Analysis, scenarios: list[Scenario], lang: str, *, now: datetime | None = None) -> bytes:
    """Summary (figures side by side), proposals, priorities and parameters, in one .xlsx; numbers
    stored as numbers (see `planner.exports.xlsx_workbook`)."""
    package = analysis.package
    now = now or datetime.now(timezone.utc)
    names = dict(zip(package.communes["code"], package.communes["name"]))
    cols = [("scn.name", "text"), ("col.id", "text"), ("col.commune", "text"), ("col.code", "text"), ("col.kind", "text"),
            ("col.year", "year"), ("col.funding", "text"), ("col.cost_vnd", "vnd"), ("col.lon", "coord"), ("col.lat", "coord")]
    props = [(s.name, p.id, names.get(p.commune_code, p.commune_code), p.commune_code, t(f"point_kind.{p.kind}", lang),
              p.year, t(f"funding.{p.funding}", lang), p.cost_vnd, p.lon, p.lat) for s in scenarios for p in s.proposals]
    props = pd.DataFrame(props, columns=[t(key, lang) for key, _ in cols])
    params = []
    for s in scenarios:
        params += [Param(f"{s.name}: {t('scn.description', lang)}", s.description),
                   Param(f"{s.name}: {t('scn.author', lang)}", s.author),
                   Param(f"{s.name}: {t('param.reach', lang)}", s.reach_rule.words(lang)),
                   *([] if s.reach_rule.walking else [Param(f"{s.name}: {t('param.radius_m', lang)}", float(s.radius_m), "num")]),
                   Param(f"{s.name}: {t('param.version', lang)}", s.version, "int")]
        params += [Param(f"{s.name}: {t('param.budget_year', lang, year=y)}", s.budget_by_year.get(y, 0), "vnd") for y in YEARS]
    params += provenance(package, lang, now=now, tool="planner report")
    ranking = ranking_sheet(scenario_ranking(analysis, scenarios[0]), lang)
    return xlsx_workbook([summary_sheet(analysis, scenarios, lang),
                          Sheet(t("sites.proposals", lang), localise(props), {t(key, lang): kind for key, kind in cols}),
                          replace(ranking, name=t("rank.table", lang)),
                          params_sheet(safe_params(params), lang)], lang=lang, now=now)
