"""Meeting outputs: a one-page PDF brief and an Excel workbook for one scenario or a comparison.

The PDF embeds DejaVu Sans (shipped inside matplotlib's package data) so Vietnamese diacritics
render and extract correctly; the map image is drawn with matplotlib, offline.
"""
from __future__ import annotations

import io as _bytes_io
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd

from planner.exports import localise, params_frame, ranking_frame, safe_text, xlsx_workbook
from planner.i18n import fmt_int, fmt_num, fmt_pct, t
from planner.analysis import Analysis
from planner.proposals import proposals_frame
from planner.scenarios import FUNDING, YEARS, Figures, Scenario, figures
from planner.summary import existing_points


def fmt_vnd(value: float, lang: str) -> str:
    """1250000000 -> '1.250.000.000 ₫' (vi) or 'VND 1,250,000,000' (en)."""
    return f"{fmt_int(value, lang)} ₫" if lang == "vi" else f"VND {fmt_int(value, lang)}"


def fmt_vnd_short(value: float, lang: str) -> str:
    """1250000000 -> '1,25 tỷ đồng' (vi) or 'VND 1.25 billion' (en)."""
    ty = value / 1e9
    return f"{fmt_num(ty, lang, 2)} tỷ đồng" if lang == "vi" else f"VND {ty:,.2f} billion"


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


def map_png(analysis: Analysis, scenarios: list[Scenario], *, width_in: float = 7.0) -> bytes:
    """Communes (green with a point after the first scenario, orange without) and each scenario's
    proposals, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    first, package = scenarios[0], analysis.package
    after = analysis.at(radius_m=first.radius_m).effect(first.proposals).after.communes
    communes = package.communes.to_crs(32648)
    has = after["has_point"].reindex(communes["code"]).to_numpy()
    fig, ax = plt.subplots(figsize=(width_in, width_in * 0.55), dpi=110)
    communes.plot(ax=ax, color=["#8fd19e" if h else "#f7b69b" for h in has], edgecolor="#455a64", linewidth=0.4)
    existing = existing_points(package).to_crs(32648)
    existing.plot(ax=ax, color="#6a1b9a", markersize=14, zorder=3)
    markers = ["o", "s", "^", "D"]
    colours = ["#e65100", "#1565c0", "#2e7d32", "#ad1457"]
    for k, s in enumerate(scenarios[:4]):
        props = proposals_frame(s.proposals)
        if len(props):
            props.to_crs(32648).plot(ax=ax, marker=markers[k], color=colours[k], markersize=22, edgecolor="white",
                                     linewidth=0.5, zorder=4, label=plain_label(s.name))
    if any(len(s.proposals) for s in scenarios):
        ax.legend(loc="lower left", fontsize=7, frameon=True)
    ax.set_axis_off()
    fig.tight_layout(pad=0.2)
    buf = _bytes_io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def plain_label(text: str) -> str:
    """Text for matplotlib as typed: '$' would start mathematics (and bad mathematics fails the
    drawing), a leading '_' would hide the legend entry."""
    text = text.replace("$", r"\$")
    return "\u200b" + text if text.startswith("_") else text


def _font() -> tuple[str, str]:
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(fonts / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"


def brief_pdf(analysis: Analysis, scenarios: list[Scenario], lang: str, *, now: datetime | None = None) -> bytes:
    """A one-page A4 brief: map, figures against targets, top priorities, costs."""
    package = analysis.package
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _font()
    now = now or datetime.now(timezone.utc)
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=13, leading=16)
    body = ParagraphStyle("body", fontName=regular, fontSize=7.5, leading=9.5)
    small = ParagraphStyle("small", fontName=regular, fontSize=6.5, leading=8, textColor=colors.HexColor("#555555"))
    names = " / ".join(s.name for s in scenarios)
    # Paragraph reads its text as markup: every text from users or data is escaped (& < >)
    story = [Paragraph(t("app.title", lang), h1),
             Paragraph(f"{t('scn.compare', lang) if len(scenarios) > 1 else t('scn.current', lang)}: <b>{escape(names)}</b> — "
                       f"{now.strftime('%Y-%m-%d')}", body)]
    if len(scenarios) == 1 and (scenarios[0].description.strip() or scenarios[0].author.strip()):
        s0 = scenarios[0]
        about = " — ".join(x for x in (s0.description.strip()[:300], s0.author.strip()) if x)
        story.append(Paragraph(escape(about), small))
    story.append(Spacer(1, 2 * mm))
    story.append(Image(_bytes_io.BytesIO(map_png(analysis, scenarios)), width=180 * mm, height=99 * mm))
    table = comparison_table(analysis, scenarios, lang)
    data = [[Paragraph(t("scn.figure", lang), body)] + [Paragraph(f"<b>{escape(str(c))}</b>", body) for c in table.columns]]
    data += [[Paragraph(escape(str(i)), body)] + [Paragraph(escape(str(v)), body) for v in row]
             for i, row in zip(table.index, table.to_numpy())]
    width = 180 * mm
    first = 62 * mm
    tbl = Table(data, colWidths=[first] + [(width - first) / max(1, len(table.columns))] * len(table.columns))
    tbl.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
                             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0e8")),
                             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    story += [Spacer(1, 2 * mm), tbl, Spacer(1, 2 * mm)]
    top = scenario_ranking(analysis, scenarios[0]).table.head(5)
    story.append(Paragraph(f"<b>{t('rank.table', lang)}</b>: " + "; ".join(
        f"{int(row.rank)}. {escape(str(row.name))} ({fmt_num(row.score, lang)})" for row in top.itertuples()), body))
    if package.is_demo:
        story += [Spacer(1, 1.5 * mm), Paragraph(escape(t("app.demo_note", lang)), small)]
    buf = _bytes_io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=12 * mm,
                            bottomMargin=10 * mm, title=f"{t('app.title', lang)} — {names}", author="planner")
    doc.build(story)
    return buf.getvalue()


def scenario_ranking(analysis: Analysis, scenario: Scenario):
    """The commune ranking with the scenario's preset or custom weights and radius."""
    return analysis.at(radius_m=scenario.radius_m).ranking(preset=scenario.preset, weights=scenario.weights)


def workbook(analysis: Analysis, scenarios: list[Scenario], lang: str) -> bytes:
    """Summary (figures side by side), proposals, priorities and parameters, in one .xlsx."""
    package = analysis.package
    summary = comparison_table(analysis, scenarios, lang).reset_index()
    props = []
    names = dict(zip(package.communes["code"], package.communes["name"]))
    for s in scenarios:
        for p in s.proposals:
            props.append({t("scn.name", lang): s.name, t("col.id", lang): p.id, t("col.commune", lang): names.get(p.commune_code, p.commune_code),
                          t("col.code", lang): p.commune_code, t("col.kind", lang): t(f"point_kind.{p.kind}", lang),
                          t("col.year", lang): p.year, t("col.funding", lang): t(f"funding.{p.funding}", lang),
                          t("col.cost_vnd", lang): p.cost_vnd, t("col.lon", lang): p.lon, t("col.lat", lang): p.lat})
    params = []
    for s in scenarios:
        params += [(f"{s.name}: {t('scn.description', lang)}", s.description), (f"{s.name}: {t('scn.author', lang)}", s.author),
                   (f"{s.name}: {t('param.radius_m', lang)}", f"{s.radius_m:g}"),
                   (f"{s.name}: version", str(s.version))]
        params += [(f"{s.name}: {t('scn.budget_year', lang, year=y)}", fmt_vnd(s.budget_by_year.get(y, 0), lang)) for y in YEARS]
    params += [(t("param.data", lang), package.display_name(lang)), (t("param.demo", lang), t("yes" if package.is_demo else "no", lang))]
    params = [(safe_text(k), safe_text(v)) for k, v in params]
    return xlsx_workbook([(t("scn.figure", lang), localise(summary), 1),
                          (t("sites.proposals", lang), localise(pd.DataFrame(props)), 1),
                          (t("rank.table", lang), ranking_frame(scenario_ranking(analysis, scenarios[0]), lang), 3),
                          (t("param.sheet", lang), params_frame(params, lang), 1)])
