"""Maps for paper: the Overview, the priorities, the sites and a scenario's programme by year, on
A4 or A3, as PDF or PNG, drawn offline with matplotlib (no basemap tiles, no network).

Every sheet has a title, a legend for the shading and for every symbol, a km scale bar and a north
arrow measured in the package's metric CRS (UTM), when it was made (Vietnam time), the data source
and, for demo data, the demo notice. The province fills the map frame; the panel beside or below it
holds the legend and the key figures. The app and `python -m planner map` call `print_map`: the
same inputs give the same file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

import numpy as np

from planner import cartography as carto
from planner.analysis import Analysis
from planner.cartography import Block, Key
from planner.errors import UsageError
from planner.formats import crs_words, fmt_datetime, fmt_int, fmt_num, fmt_pct, fmt_vnd_short
from planner.i18n import LANGS, t
from planner.isochrones import catchments
from planner.maps import CANDIDATE_COLOUR, COLOURS, PROPOSAL_COLOUR, SCORE_RAMP, score_colour
from planner.proposals import proposals_frame
from planner.ranking import Ranking
from planner.scenarios import YEARS, Scenario
from planner.summary import existing_points

VIEWS = ("overview", "priorities", "sites", "scenarios")
PAPERS = ("A4", "A3")
ORIENTATIONS = ("portrait", "landscape")
FORMATS = ("pdf", "png")
PNG_DPI = 150
TOP_RANKS = 10
YEAR_COLOURS = ("#fee391", "#fec44f", "#fe9929", "#d95f0e", "#993404")  # 2026 … 2030, light to dark
SIZES = {"A4": dict(title=16, panel=7.0, label=5.6, margin=0.39, panel_min=2.75),
         "A3": dict(title=22, panel=9.5, label=7.6, margin=0.47, panel_min=3.7)}


def tint(colour: str, strength: float) -> str:
    """`colour` laid over white at `strength` (0..1), as an opaque colour: what prints is what the
    legend shows."""
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    mixed = np.rint(strength * rgb + (1 - strength) * 255).astype(int)
    return "#" + "".join(f"{v:02x}" for v in mixed)


HAS, NONE = tint(COLOURS["has_point"], 0.45), tint(COLOURS["no_point"], 0.45)
RING = "#bf360c"  # reach of a proposed point, dark enough on every shading
HAD, GAINS, STILL_NONE = tint(COLOURS["has_point"], 0.3), tint(COLOURS["has_point"], 0.75), "#eceff1"


def check_options(*, view: str, paper: str, orientation: str, file_format: str, lang: str = "vi") -> tuple[str, str, str, str]:
    """The options, tidied (paper 'a4' -> 'A4', format '.PDF' -> 'pdf'); UsageError naming the bad one."""
    paper_t = str(paper).strip().upper()
    fmt_t = str(file_format).strip().lower().lstrip(".")
    for key, value, tidy, allowed in (("err.print_view", view, str(view).strip().lower(), VIEWS),
                                      ("err.print_paper", paper, paper_t, PAPERS),
                                      ("err.print_orientation", orientation, str(orientation).strip().lower(), ORIENTATIONS),
                                      ("err.print_format", file_format, fmt_t, FORMATS),
                                      ("err.lang", lang, lang, LANGS)):
        if tidy not in allowed:
            raise UsageError(key, value=str(value)[:40], allowed=", ".join(allowed))
    return str(view).strip().lower(), paper_t, str(orientation).strip().lower(), fmt_t


@dataclass
class Scene:
    """What one view puts on the sheet: shading per commune, labels, symbols and the panel."""

    title: str
    subtitle: list[str]
    fills: list[str]
    labels: list[tuple[str, bool]]  # per commune: text, emphasis
    blocks: list[Block]
    draw: Callable = lambda ax, crs, k: []  # symbols on the shading (k: symbol scale); returns the
    # points (x, y, diameter in points) that commune names should not cover
    label_order: list[int] = field(default_factory=list)  # communes to label first


def km(radius_m: float, lang: str) -> str:
    return fmt_num(radius_m / 1000, lang, 2, trim=True)


def short_name(name: str) -> str:
    """A commune's name as maps print it: 'Xã Sìn Hồ' -> 'Sìn Hồ', 'Phường Tân Phong' -> 'P. Tân Phong'."""
    for word, short in (("Xã ", ""), ("Phường ", "P. "), ("Thị trấn ", "TT. ")):
        if name.startswith(word):
            return short + name[len(word):]
    return name


def _points(ax, gdf, crs, *, colour, marker="o", size=18.0, edge="white", zorder=5, lw=0.6) -> list[tuple]:
    """Point symbols of area `size` (points²); returns (x, y, diameter) of each."""
    if not len(gdf):
        return []
    g = gdf.to_crs(crs).geometry
    ax.scatter(g.x, g.y, s=size, c=colour, marker=marker, edgecolors=edge, linewidths=lw, zorder=zorder)
    return [(x, y, size ** 0.5) for x, y in zip(g.x, g.y)]


def _existing_symbols(analysis: Analysis, lang: str, *, rings: bool, size: float = 22) -> tuple[Callable, list[Key]]:
    pts = analysis.package.play_points
    building = pts[pts["status"] == "under_construction"]
    existing = existing_points(analysis.package)
    radius = analysis.radius_m

    def draw(ax, crs, k):
        if rings and len(existing) and analysis.rule.walking:  # walking: catchments, not circles
            carto.reach_areas(ax, _catchments(analysis, existing, crs), colour=COLOURS["reach"])
        elif rings and len(existing):
            g = existing.to_crs(crs).geometry
            carto.reach_rings(ax, g.x, g.y, radius, colour=COLOURS["reach"])
        return (_points(ax, existing, crs, colour=COLOURS["existing"], size=size * k, zorder=6)
                + _points(ax, building, crs, colour="white", edge=COLOURS["under_construction"], size=size * 0.8 * k,
                          lw=1.2, zorder=6))

    keys = [Key(t("map.play_points", lang), "marker", COLOURS["existing"], edge="white", size=6)]
    if len(building):
        keys.append(Key(t("map.under_construction", lang), "marker", "white", edge=COLOURS["under_construction"], size=5))
    if rings and analysis.rule.walking:
        keys.append(Key(t("map.isochrones", lang, minutes=walk_minutes(analysis, lang)), "area", COLOURS["reach"]))
    elif rings:
        keys.append(Key(t("print.reach_ring", lang, km=km(radius, lang)), "ring", COLOURS["reach"]))
    return draw, keys


def walk_minutes(analysis: Analysis, lang: str) -> str:
    return fmt_num(analysis.rule.minutes, lang, 1, trim=True)


def _catchments(analysis: Analysis, points, crs) -> list:
    """Each point's walking catchment at the rule's minutes, in the map's CRS."""
    return list(catchments(analysis.measure, points, minutes=analysis.rule.minutes).to_crs(crs).geometry)


def _proposal_key(analysis: Analysis, lang: str) -> Key:
    if analysis.rule.walking:
        return Key(t("print.walk_proposed", lang, minutes=walk_minutes(analysis, lang)), "area", RING, dashed=True)
    return Key(t("print.reach_proposed", lang, km=km(analysis.radius_m, lang)), "ring", RING, dashed=True)


def _school_symbols(analysis: Analysis, lang: str) -> tuple[Callable, list[Key]]:
    schools = analysis.package.schools
    ok = schools["has_standard_toilet"].astype(bool).to_numpy()

    def draw(ax, crs, k):
        _points(ax, schools[ok], crs, colour=COLOURS["toilet_ok"], size=5 * k, edge="none", zorder=4)
        _points(ax, schools[~ok], crs, colour=COLOURS["toilet_missing"], marker="^", size=7 * k, edge="none", zorder=4)
        return []  # too many to keep names off: names are drawn over schools

    return draw, [Key(t("map.toilet_ok", lang), "marker", COLOURS["toilet_ok"], edge="none", size=3),
                  Key(t("map.toilet_missing", lang), "marker", COLOURS["toilet_missing"], edge="none", marker="^", size=3.6)]


def _both(*draws) -> Callable:
    def draw(ax, crs, k):
        return [p for d in draws for p in d(ax, crs, k)]
    return draw


def _names(analysis: Analysis) -> list[tuple[str, bool]]:
    return [(short_name(str(n)), False) for n in analysis.package.communes["name"]]


def _overview(analysis: Analysis, lang: str, scenario, ranking) -> Scene:
    s = analysis.summary
    has = s.communes["has_point"].reindex(analysis.package.communes["code"]).to_numpy(dtype=bool)
    draw_pts, pt_keys = _existing_symbols(analysis, lang, rings=True)
    draw_sch, sch_keys = _school_symbols(analysis, lang)
    pp, st, r = s.play_point, s.school_toilet, s.reach
    facts = [f"{t('indicator.play_point', lang)}: {pp.achieved}/{pp.total} ({fmt_pct(float(pp.share), lang)})"]
    facts += [t("card.target", lang, year=g.year, target=fmt_pct(float(g.target), lang, trim=True)) + " — "
              + (t("card.met", lang) if g.met else t("card.gap_communes", lang, n=fmt_int(g.needed, lang))) for g in pp.gaps]
    facts.append(t("card.reach", lang, within=analysis.rule.within(lang)) + ": " + t(
        "card.reach_detail", lang, within=fmt_int(r.children_within, lang), total=fmt_int(r.children_total, lang),
        share=fmt_pct(r.children_within / r.children_total if r.children_total else 0.0, lang)))
    facts.append(f"{t('indicator.school_toilet', lang)}: {fmt_int(st.achieved, lang)}/{fmt_int(st.total, lang)} "
                 f"({fmt_pct(float(st.share), lang)})")
    return Scene(
        title=t("print.title.overview", lang),
        subtitle=[t("print.subtitle_radius", lang, rule=analysis.rule.words(lang))],
        fills=[HAS if h else NONE for h in has], labels=_names(analysis),
        blocks=[Block(t("print.shading_point", lang), (Key(t("map.has_point", lang), "patch", HAS),
                                                         Key(t("map.no_point", lang), "patch", NONE))),
                Block(t("print.symbols", lang), tuple(pt_keys + sch_keys)),
                Block(t("print.figures", lang), lines=tuple(facts)),
                Block(t("print.no_point_list", lang, n=int((~has).sum())), optional=True,
                      lines=(", ".join(n for (n, _), h in zip(_names(analysis), has) if not h),))],
        draw=_both(draw_sch, draw_pts))


def _ranking_for(analysis: Analysis, scenario: Scenario | None, ranking: Ranking | None) -> Ranking:
    if ranking is not None:
        return ranking
    if scenario is not None:
        return analysis.ranking(preset=scenario.preset, weights=scenario.weights)
    return analysis.ranking()


def _priorities(analysis: Analysis, lang: str, scenario, ranking) -> Scene:
    ranking = _ranking_for(analysis, scenario, ranking)
    table = ranking.table.set_index("code")
    codes = analysis.package.communes["code"]
    scores = table["score"].reindex(codes).to_numpy(dtype=float)
    ranks = table["rank"].reindex(codes).to_numpy()
    labels = [(f"{int(k)}. {name}" if k <= TOP_RANKS else name, bool(k <= TOP_RANKS))
              for k, (name, _) in zip(ranks, _names(analysis))]
    draw_pts, pt_keys = _existing_symbols(analysis, lang, rings=False, size=14)
    ramp = [Key(f"{fmt_int(20 * i, lang)}–{fmt_int(20 * (i + 1), lang)}", "patch", c) for i, c in enumerate(SCORE_RAMP)][::-1]
    top = ranking.table.head(TOP_RANKS)
    preset = t(f"preset.{ranking.preset}", lang) if ranking.preset else t("preset.custom", lang)
    return Scene(
        title=t("print.title.priorities", lang),
        subtitle=[f"{t('rank.preset', lang)}: {preset}", t("print.subtitle_radius", lang, rule=(ranking.rule or analysis.rule).words(lang))],
        fills=[score_colour(s) for s in scores], labels=labels,
        blocks=[Block(t("print.shading_score", lang), tuple(ramp)),
                Block(t("print.symbols", lang), tuple(pt_keys), lines=(t("print.rank_label", lang, n=TOP_RANKS),)),
                Block(t("print.top_ranks", lang, n=TOP_RANKS), lines=tuple(
                    f"{int(row.rank)}. {row.name} — {fmt_num(row.score, lang)}" for row in top.itertuples())),
                Block(t("print.weights", lang), optional=True, lines=tuple(
                    f"{t(f'crit.{c}', lang)}: {fmt_pct(w, lang, 0)}" for c, w in ranking.weights.items() if w > 0))],
        draw=draw_pts, label_order=list(np.argsort(ranks, kind="stable")))


def _proposal_rings(props, crs, analysis: Analysis, ax, colours, k, edge="#263238") -> list[tuple]:
    """Proposed points, above everything but the names, with their dashed reach circles (walking:
    their dashed catchments)."""
    if not len(props):
        return []
    g = props.to_crs(crs).geometry
    if analysis.rule.walking:
        carto.reach_areas(ax, _catchments(analysis, props, crs), colour=RING, dashed=True, zorder=3.5)
    for x, y in zip(g.x, g.y):
        if not analysis.rule.walking:
            carto.reach_rings(ax, [x], [y], analysis.radius_m, colour=RING, dashed=True, zorder=3.5)
    ax.scatter(g.x, g.y, s=60 * k, c=list(colours), marker="o", edgecolors=edge, linewidths=1.0, zorder=6.5)
    return [(x, y, (60 * k) ** 0.5) for x, y in zip(g.x, g.y)]


def _sites(analysis: Analysis, lang: str, scenario, ranking) -> Scene:
    proposals = scenario.proposals if scenario is not None else ()
    e = analysis.effect(proposals)
    codes = analysis.package.communes["code"]
    before = e.before.communes["has_point"].reindex(codes).to_numpy(dtype=bool)
    after = e.after.communes["has_point"].reindex(codes).to_numpy(dtype=bool)
    draw_pts, pt_keys = _existing_symbols(analysis, lang, rings=False)
    draw_sch, sch_keys = _school_symbols(analysis, lang)
    props, cands = proposals_frame(proposals), analysis.package.candidate_sites
    keys = [Key(t("sites.proposed", lang), "marker", PROPOSAL_COLOUR, edge="#263238", size=7),
            _proposal_key(analysis, lang)]
    if cands is not None and len(cands):
        keys.append(Key(t("sites.candidates", lang), "marker", "white", edge=CANDIDATE_COLOUR, marker="D", size=3.6))

    def draw(ax, crs, k):
        draw_sch(ax, crs, k)
        if cands is not None and len(cands):
            _points(ax, cands, crs, colour="none", edge=CANDIDATE_COLOUR, marker="D", size=9 * k, lw=0.7, zorder=4.5)
        return draw_pts(ax, crs, k) + _proposal_rings(props, crs, analysis, ax, [PROPOSAL_COLOUR] * len(props), k)

    pp_b, pp_a = e.before.play_point, e.after.play_point
    names = dict(zip(codes, (n for n, _ in _names(analysis))))
    if proposals:
        facts = [f"{t('sites.proposals', lang)}: {fmt_int(len(proposals), lang)}",
                 f"{t('indicator.play_point', lang)}: {pp_b.achieved}/{pp_b.total} → {pp_a.achieved}/{pp_a.total} "
                 f"({fmt_pct(float(pp_a.share), lang)})",
                 f"{t('opt.communes', lang)}: {fmt_int(e.communes_newly_with_point, lang)}",
                 f"{t('opt.children', lang)}: {fmt_int(e.children_newly_reached, lang)}",
                 f"{t('opt.total_cost', lang)}: {fmt_vnd_short(sum(p.cost_vnd for p in proposals), lang)}"]
    else:
        facts = [t("sites.none", lang)]
    return Scene(
        title=t("print.title.sites", lang),
        subtitle=_scenario_words(scenario, analysis, lang),
        fills=[HAD if b else GAINS if a else NONE for b, a in zip(before, after)], labels=_names(analysis),
        blocks=[Block(t("print.shading_after", lang), (Key(t("print.had_point", lang), "patch", HAD),
                                                         Key(t("print.gains_point", lang), "patch", GAINS),
                                                         Key(t("print.still_none", lang), "patch", NONE))),
                Block(t("print.symbols", lang), tuple(keys + pt_keys + sch_keys)),
                Block(t("print.figures", lang), lines=tuple(facts)),
                Block(t("sites.proposals", lang), optional=True, lines=tuple(
                    f"{p.id} · {names.get(p.commune_code, p.commune_code)} · {p.year} · {fmt_vnd_short(p.cost_vnd, lang)}"
                    for p in proposals))],
        draw=draw)


def _scenario_words(scenario: Scenario | None, analysis: Analysis, lang: str) -> list[str]:
    words = [t("print.subtitle_scenario", lang, name=scenario.name)] if scenario is not None and scenario.name else []
    return words + [t("print.subtitle_radius", lang, rule=analysis.rule.words(lang))]


def year_colour(year: int) -> str:
    return YEAR_COLOURS[min(len(YEARS) - 1, max(0, year - YEARS[0]))]


def _scenarios(analysis: Analysis, lang: str, scenario, ranking) -> Scene:
    proposals = scenario.proposals
    codes = analysis.package.communes["code"]
    had = analysis.summary.communes["has_point"].reindex(codes).to_numpy(dtype=bool)
    first = np.zeros(len(codes), dtype=int)  # year of the first point, 0 = none by the last year
    lines, total = [], analysis.summary.play_point.total
    for y in sorted({p.year for p in proposals}):
        upto = tuple(p for p in proposals if p.year <= y)
        now = analysis.effect(upto).after.communes["has_point"].reindex(codes).to_numpy(dtype=bool)
        first[(first == 0) & now & ~had] = y
        built = [p for p in proposals if p.year == y]
        lines.append(t("print.year_line", lang, year=y, n=fmt_int(len(built), lang),
                       cost=fmt_vnd_short(sum(p.cost_vnd for p in built), lang), have=int(now.sum()), total=total))
    years = sorted(set(first[first > 0]) | {p.year for p in proposals})
    fills = [HAD if h else year_colour(f) if f else STILL_NONE for h, f in zip(had, first)]
    props = proposals_frame(proposals)
    draw_pts, pt_keys = _existing_symbols(analysis, lang, rings=False)

    def draw(ax, crs, k):
        return draw_pts(ax, crs, k) + _proposal_rings(props, crs, analysis, ax,
                                                       [year_colour(int(y)) for y in props["year"]], k)

    shading = [Key(t("print.had_point", lang), "patch", HAD)]
    shading += [Key(t("print.year_first", lang, year=y), "patch", year_colour(y)) for y in sorted(set(first[first > 0]))]
    shading.append(Key(t("print.still_none", lang), "patch", STILL_NONE))
    marks = [Key(t("print.proposal_year", lang, year=y), "marker", year_colour(y), edge="#263238", size=7) for y in years]
    marks.append(_proposal_key(analysis, lang))
    return Scene(
        title=t("print.title.scenarios", lang), subtitle=_scenario_words(scenario, analysis, lang),
        fills=fills, labels=_names(analysis),
        blocks=[Block(t("print.shading_year", lang), tuple(shading)), Block(t("print.symbols", lang), tuple(marks + pt_keys)),
                Block(t("print.figures", lang), lines=tuple(lines) or (t("sites.none", lang),)),
                Block(t("print.gains_by_year", lang), optional=True, lines=tuple(
                    f"{y}: " + ", ".join(n for (n, _), f in zip(_names(analysis), first) if f == y)
                    for y in sorted(set(first[first > 0]))))],
        draw=draw)


SCENES = {"overview": _overview, "priorities": _priorities, "sites": _sites, "scenarios": _scenarios}


def print_map(analysis: Analysis, *, view: str, lang: str = "vi", paper: str = "A4", orientation: str = "landscape",
              file_format: str = "pdf", scenario: Scenario | None = None, ranking: Ranking | None = None,
              now: datetime | None = None) -> bytes:
    """One printable map as PDF or PNG bytes.

    view: overview, priorities, sites or scenarios (the last needs `scenario`); with a scenario the
    map uses its radius (and, for priorities, its weights unless `ranking` is given). `now` is the
    time printed on the sheet (default: this moment)."""
    view, paper, orientation, file_format = check_options(view=view, paper=paper, orientation=orientation,
                                                          file_format=file_format, lang=lang)
    if view == "scenarios" and scenario is None:
        raise UsageError("err.print_scenario", view=view)
    if scenario is not None:
        analysis = analysis.at(reach=scenario.reach_rule)
    scene = SCENES[view](analysis, lang, scenario, ranking)
    fig = draw_sheet(analysis, scene, lang=lang, paper=paper, orientation=orientation,
                     now=now or datetime.now(timezone.utc))
    return carto.save(fig, file_format, dpi=PNG_DPI, title=scene.title, lang=lang)


def draw_sheet(analysis: Analysis, scene: Scene, *, lang: str, paper: str, orientation: str, now: datetime):
    """The sheet: header, map fitted to the province, legend panel, footer."""
    size = SIZES[paper]
    package = analysis.package
    crs = analysis.summary.reach.metric_crs
    communes = package.communes.to_crs(crs)
    page_w, page_h = carto.paper_inches(paper, orientation)
    fig = carto.new_figure(page_w, page_h, dpi=PNG_DPI)
    margin, foot_size = size["margin"], size["panel"] * 0.9
    foot = [(" · ".join([t("print.made", lang, when=fmt_datetime(now, lang)),
                         f"{t('app.data_source', lang)}: {package.display_name(lang)}",
                         t("print.crs", lang, crs=crs_words(crs, lang))]), "#37474f")]
    if package.is_demo:
        foot.append((t("app.demo_note", lang), "#b71c1c"))
    if analysis.rule.walking and package.manifest.get("terrain", {}).get("demo"):
        foot.append((t("reach.demo_terrain", lang), "#b71c1c"))
    bottom = margin + carto.footer_height(page_w, [x for x, _ in foot], margin=margin, size=foot_size) + 0.12
    top = margin + size["title"] * 2.6 / 72
    minx, miny, maxx, maxy = communes.total_bounds
    map_rect, panel_rect = carto.frame(page_w, page_h, (maxx - minx) / (maxy - miny), top=top, bottom=bottom,
                                       margin=margin, panel_min=size["panel_min"])
    province = package.manifest.get("province", "")
    carto.header(fig, scene.title, " · ".join(x for x in [province, *scene.subtitle] if x), margin=margin, size=size["title"])
    carto.footer(fig, foot, margin=margin, size=foot_size)

    ax = carto.map_axes(fig, map_rect, (minx, miny, maxx, maxy))
    communes.plot(ax=ax, color=scene.fills, edgecolor=carto.EDGE, linewidth=0.45, zorder=1)
    communes.dissolve().boundary.plot(ax=ax, color="#263238", linewidth=1.1, zorder=2)
    k = size["panel"] / SIZES["A4"]["panel"]  # symbols grow with the sheet
    marks = scene.draw(ax, crs, k)
    carto.bare(ax)
    outline = communes.union_all()
    avoid = carto.furniture(ax, outline, crs=crs, lang=lang, north=t("print.north", lang), fontsize=size["panel"] - 0.5,
                            scale=k)
    order = scene.label_order or list(np.argsort(-communes.area.to_numpy(), kind="stable"))
    at = communes.representative_point()
    carto.place_labels(ax, [(at.iloc[i].x, at.iloc[i].y, scene.labels[i][0],
                             size["label"] * (1.12 if scene.labels[i][1] else 1.0), scene.labels[i][1]) for i in order],
                       avoid=avoid, marks=marks)
    panel = carto.axes_at(fig, *panel_rect)
    columns = max(1, int((panel_rect[2] + 0.2) // (size["panel_min"] * 0.85)))
    carto.draw_panel(panel, scene.blocks, heading=t("map.legend", lang), fontsize=size["panel"], columns=columns,
                     grow=1.3, notes=t("print.notes", lang), symbol_scale=k)
    return fig
