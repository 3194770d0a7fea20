"""Folium maps (this package is the only place that imports folium). Works offline: Leaflet comes from the app.

The caller passes `assets_url`, where the app serves Leaflet (see `planner.io.publish_map_assets`);
no other script or stylesheet is referenced, and basemap tiles are off unless asked for.
"""
from __future__ import annotations

import base64
import html

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon
from shapely.ops import polylabel

from planner import isochrones
from planner.i18n import TEXT, t
from planner.map_shapes import display_shapes, rounded
from planner.maps.elements import (LABELS_MIN_ZOOM, LABELS_PANE, CommuneFigures, CommuneShapes, KmScale, PointExtra,
                                   PointLayer, RampLegend, ZoomLabels)
from planner.formats import fmt_int, fmt_num, fmt_pct, fmt_vnd
from planner.package import DataPackage
from planner.summary import Summary, existing_points

LOCAL_ASSETS_URL = "/app/static/leaflet"
# One palette for every map. Blue/red carry "meets the standard / does not" (schools and their
# toilet blocks alike: the pair stays apart for red-green colour blindness); the planner's own new
# points are warm (proposals, orange) or black with a yellow ring (the optimiser's choice), so
# that no colour means two things on one map.
COLOURS = {
    "has_point": "#1a9850",
    "no_point": "#f46d43",
    "existing": "#6a1b9a",
    "under_construction": "#ab47bc",
    "toilet_ok": "#0072b2",
    "toilet_missing": "#d32f2f",
    "village": "#795548",
    "reach": "#6a1b9a",
}
PROPOSAL_COLOUR = "#e65100"
CHOSEN_COLOUR = "#212121"
CHOSEN_RING = "#ffd600"
CANDIDATE_COLOUR = "#00695c"


def _safe(values) -> list[str]:
    """Names from a data package as inert text: tooltips and popups insert them as HTML."""
    return [html.escape(str(v)) for v in values]


def _aliases(keys: list[str], lang: str) -> list[str]:
    """Row labels of a tooltip or popup (inserted as HTML too: "Trẻ em (<16)")."""
    return [html.escape(t(k, lang)) for k in keys]


def kind_label(kind: str, lang: str) -> str:
    """'xã' -> 'Xã' / 'Commune'; 'thị trấn' only ever comes from the data (pre-July-2025 units)."""
    key = f"kind.{kind}"
    return t(key, lang) if key in TEXT else html.escape(str(kind))


def _label_point(geom):
    """Where a name sits: the pole of inaccessibility of the largest part (inside, away from edges)."""
    if isinstance(geom, MultiPolygon):
        geom = max(geom.geoms, key=lambda g: g.area)
    try:
        p = polylabel(geom, tolerance=0.002)
    except Exception:  # noqa: BLE001 - an odd polygon still gets a label
        p = geom.representative_point()
    return p.y, p.x


def commune_labels(communes: gpd.GeoDataFrame, *, lang: str = "vi", show: bool = True) -> folium.FeatureGroup:
    """The communes' names as text on the map, in their own pane that takes no clicks (a click on a
    name on the Sites page lands on the commune below: it proposes a point there)."""
    group = folium.FeatureGroup(name=t("map.labels", lang), show=show)
    for geom, name in zip(communes.geometry, _safe(communes["name"])):
        if geom is None or geom.is_empty:
            continue
        folium.Marker(_label_point(geom), icon=folium.DivIcon(html=f"<span>{name}</span>", icon_size=(0, 0),
                                                              class_name="planner-label"),
                      pane=LABELS_PANE, interactive=False, keyboard=False).add_to(group)
    return group


def _with_labels(m: folium.Map, communes: gpd.GeoDataFrame, lang: str) -> None:
    folium.map.CustomPane(LABELS_PANE, z_index=640, pointer_events=False).add_to(m)
    commune_labels(communes, lang=lang).add_to(m)
    ZoomLabels().add_to(m)


def _offline(m: folium.Map, assets_url: str) -> folium.Map:
    """Point the map at the app's own Leaflet and drop every CDN asset folium would add."""
    m.default_js = [("leaflet", f"{assets_url}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{assets_url}/leaflet.css")]
    return m


DOT = {"color": "#ffffff", "weight": 1, "fill": True, "fillOpacity": 0.9}


def _reach_circle(lat: float, lon: float, *, radius_m: float, **style) -> folium.Circle:
    """A catchment circle that takes no mouse event: the tooltips and popups of what lies under it
    (play points at its centre, villages, communes) stay reachable. folium drops `interactive`
    from a circle's options, so it is set on them afterwards."""
    circle = folium.Circle([round(lat, 5), round(lon, 5)], radius=radius_m, **style)
    circle.options["interactive"] = False
    return circle


def _points_layer(gdf: gpd.GeoDataFrame, tips: dict[str, list[str]], *, name: str, colours, colour_index=0,
                  radius_px=4.0, show: bool = True, style: dict = DOT, colour_key: str = "fillColor",
                  publish: str | None = None) -> PointLayer:
    """Points as circle markers: `tips` maps each tooltip label to the rows' (escaped) texts;
    `colour_index` and `radius_px` are one value for all or one per point. Coordinates to about
    1 m (the package keeps its own precision)."""
    geoms = gdf.geometry.to_numpy()
    lat = np.round(shapely.get_y(geoms), 5)
    lon = np.round(shapely.get_x(geoms), 5)
    n = len(geoms)
    radius = np.round(np.broadcast_to(np.asarray(radius_px, dtype=float), (n,)), 1)
    which = np.broadcast_to(np.asarray(colour_index, dtype=int), (n,))
    values = list(zip(*tips.values())) if tips else [()] * n
    rows = [[a, b, c, d, *v] for a, b, c, d, v in zip(lat.tolist(), lon.tolist(), radius.tolist(), which.tolist(), values)]
    return PointLayer(rows, name=name, head=[html.escape(h) for h in tips], colours=list(colours), style=style,
                      colour_key=colour_key, show=show, publish=publish)


_SWATCH = {
    "circle": "border-radius:50%",
    "square": "border-radius:2px",
    "ring": "border-radius:50%;background:transparent;box-sizing:border-box;border:2.5px solid {c}",
    "chosen": "border-radius:50%;box-sizing:border-box;border:2.5px solid " + CHOSEN_RING,
}


def _legend_html(title: str, rows: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f'<div><span style="display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px;'
        f'background:{c};{_SWATCH[shape].format(c=c)};opacity:.9"></span>{html.escape(label)}</div>'
        for c, shape, label in rows
    )
    return (
        '<div id="planner-legend" style="position:absolute;bottom:52px;left:10px;z-index:1000;background:rgba(255,255,255,.92);'
        'padding:6px 8px;border-radius:4px;font:12px/1.5 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)">'
        f"<b>{html.escape(title)}</b>{items}</div>"
    )


# The component's page has no doctype: in quirks mode a table does not inherit its font size, and
# tooltips and popups would be written at 16 px instead of Leaflet's size.
_TEXT_CSS = ("<style>.leaflet-tooltip,.leaflet-popup-content{font-size:13px;}"
             ".leaflet-tooltip table,.leaflet-popup-content table{font-size:inherit;}</style>")


def _base_map(communes: gpd.GeoDataFrame, *, assets_url: str, basemap: bool, lang: str,
              double_click_zoom: bool = True) -> folium.Map:
    minx, miny, maxx, maxy = communes.total_bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=9,
        tiles=None,
        control_scale=False,  # it would show miles too
        double_click_zoom=double_click_zoom,
    )
    if basemap:  # switched in the sidebar, not in the layer control (where folium would call it "openstreetmap")
        folium.TileLayer("OpenStreetMap", control=False).add_to(m)
    _offline(m, assets_url)
    KmScale(lang=lang).add_to(m)
    m.get_root().header.add_child(folium.Element(_TEXT_CSS))
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def basemap_layer() -> folium.FeatureGroup:
    """OpenStreetMap's tiles (they need the internet) as a group the app adds to a drawn map and
    takes away again, without sending the map anew; it stays out of the layer control (the sidebar
    switches it)."""
    group = folium.FeatureGroup(name="basemap", control=False)
    folium.TileLayer("OpenStreetMap").add_to(group)
    return group


def _legend(lang: str, extra: tuple = (), *, toilets: bool = False) -> str:
    rows = [*extra,
        (COLOURS["has_point"], "square", t("map.has_point", lang)),
        (COLOURS["no_point"], "square", t("map.no_point", lang)),
        (COLOURS["existing"], "circle", t("map.play_points", lang)),
        (COLOURS["under_construction"], "circle", t("map.under_construction", lang)),
        (COLOURS["toilet_ok"], "circle", t("map.toilet_ok", lang)),
        (COLOURS["toilet_missing"], "circle", t("map.toilet_missing", lang)),
        (COLOURS["village"], "circle", t("map.villages", lang)),
    ]
    if toilets:
        rows += [(COLOURS["toilet_ok"], "ring", t("map.toilet_block_ok", lang)),
                 (COLOURS["toilet_missing"], "ring", t("map.toilet_block_missing", lang))]
    return _legend_html(t("map.legend", lang), rows)


def toilets_layer(package: DataPackage, *, lang: str = "vi", show: bool = False) -> PointLayer | None:
    """Toilet blocks as rings, blue when standard and red when not, with the facility they belong
    to; None when the package has no toilets. Off at first: at province scale every ring sits on
    its school's dot, whose colour already says whether the school has a standard toilet."""
    toilets = package.toilets
    if toilets is None or not len(toilets):
        return None
    names = dict(zip(package.schools["id"], package.schools["name"]))
    names.update(zip(package.play_points["id"], package.play_points["name"]))

    def owner(fid, kind) -> str:
        if fid in names:
            return str(names[fid])
        key = f"facility_kind.{kind}"
        return f"{t(key, lang) if key in TEXT else kind} {fid}"

    standard = toilets["standard"].to_numpy(dtype=bool)
    tips = {t("map.toilet_id", lang): _safe(toilets["id"]),
            t("map.facility", lang): _safe(owner(f, k) for f, k in zip(toilets["facility_id"], toilets["facility_kind"])),
            t("map.standard", lang): [t("yes", lang) if v else t("no", lang) for v in standard]}
    return _points_layer(toilets, tips, name=t("map.toilets", lang), show=show,
                         colours=[COLOURS["toilet_missing"], COLOURS["toilet_ok"]], colour_index=standard.astype(int),
                         radius_px=7.0, style={"weight": 2.5, "fill": False, "opacity": 0.95}, colour_key="color")


COMMUNES_PANE = "communes"  # below the point layers, so village and school tooltips stay reachable


def overview_base(
    package: DataPackage,
    *,
    lang: str = "vi",
    assets_url: str = LOCAL_ASSETS_URL,
    basemap: bool = False,
    with_proposals: bool = False,
    candidates: gpd.GeoDataFrame | None = None,
    clickable: bool = True,
    walk=None,
) -> folium.Map:
    """The part of the Overview map that does not change with the reach rule: the commune shapes
    (their colours and figures come with `reach_layers`), villages, schools, play points, the layer
    control and the legend. The app renders it once per package and language. `with_proposals`
    adds legend rows for proposed and candidate sites; `candidates` (id, cost_vnd) draws the
    candidate sites; `clickable` (see `CommuneShapes`) is False where a click proposes a point.
    `walk` (a walking measure) adds what walking shows whatever the minutes: `walk_base_layers`."""
    # where a click proposes a point (not clickable), a double click is two clicks, not a zoom
    m = _base_map(package.communes, assets_url=assets_url, basemap=basemap, lang=lang, double_click_zoom=clickable)
    folium.map.CustomPane(COMMUNES_PANE, z_index=350, pointer_events=True).add_to(m)
    CommuneShapes(_shapes_json(package.communes), name=t("map.communes", lang), pane=COMMUNES_PANE,
                  clickable=clickable).add_to(m)
    yes, no = t("yes", lang), t("no", lang)

    villages = package.villages
    vc = villages["children"].to_numpy(dtype=float)
    _points_layer(villages, {t("col.name", lang): _safe(villages["name"]), t("col.children", lang): [fmt_int(v, lang) for v in vc]},
                  name=t("map.villages", lang), colours=[COLOURS["village"]], radius_px=np.clip(np.sqrt(vc) / 4.0, 1.5, 8.0),
                  publish="villages").add_to(m)

    schools = package.schools
    ok = schools["has_standard_toilet"].to_numpy(dtype=bool)
    _points_layer(schools, {t("col.name", lang): _safe(schools["name"]),
                            t("col.level", lang): [t(f"level.{v}", lang) for v in schools["level"]],
                            t("col.schools_toilet", lang): [yes if v else no for v in ok]},
                  name=t("map.schools", lang), colours=[COLOURS["toilet_missing"], COLOURS["toilet_ok"]],
                  colour_index=ok.astype(int)).add_to(m)

    pts = package.play_points
    statuses = sorted(set(pts["status"]))
    _points_layer(pts, {t("col.name", lang): _safe(pts["name"]),
                        t("col.kind", lang): [t(f"point_kind.{v}", lang) for v in pts["kind"]],
                        t("col.status", lang): [t(f"status.{v}", lang) for v in pts["status"]]},
                  name=t("map.play_points", lang), colours=[COLOURS[s] for s in statuses],
                  colour_index=[statuses.index(s) for s in pts["status"]], radius_px=8.0).add_to(m)
    toilets = toilets_layer(package, lang=lang)
    if toilets is not None:
        toilets.add_to(m)
    for group in walk_base_layers(package, walk, lang=lang) if walk is not None else ():
        group.add_to(m)
    if candidates is not None and len(candidates):
        label = t("sites.candidates", lang)
        _points_layer(candidates, {t("col.name", lang): _safe(f"{label} {c}" for c in candidates["id"]),
                                   t("col.cost_vnd", lang): [fmt_vnd(v, lang) for v in candidates["cost_vnd"]]},
                      name=label, colours=[CANDIDATE_COLOUR], radius_px=5.0).add_to(m)
    _with_labels(m, package.communes, lang)
    folium.LayerControl(collapsed=True).add_to(m)
    extra = ((PROPOSAL_COLOUR, "circle", t("sites.proposed", lang)), (CHOSEN_COLOUR, "chosen", t("opt.chosen", lang)),
             (CANDIDATE_COLOUR, "circle", t("sites.candidates", lang))) if with_proposals else ()
    m.get_root().html.add_child(folium.Element(_legend(lang, extra, toilets=toilets is not None)))
    return m


def _shapes_json(communes: gpd.GeoDataFrame) -> dict:
    """The communes' display shapes as a GeoJSON FeatureCollection whose features carry only their
    row number (`i`): figures are looked up by it."""
    shapes = display_shapes(communes)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"i": i}, "geometry": shapely.geometry.mapping(g)}
        for i, g in enumerate(shapes) if g is not None and not g.is_empty]}


def commune_figures(package: DataPackage, summary: Summary, *, lang: str = "vi") -> pd.DataFrame:
    """Each commune's figures at `summary`'s radius as the map shows them: text in the reader's
    number format (vi 1.234 and 23,7%), names escaped, one row per commune in package order."""
    communes = package.communes
    table = summary.communes
    yes, no = t("yes", lang), t("no", lang)
    props = {
        "code": _safe(communes["code"]),
        "name": _safe(communes["name"]),
        "kind": [kind_label(k, lang) for k in table["kind"]],
        "population": [fmt_int(v, lang) for v in table["population"]],
        "children": [fmt_int(v, lang) for v in table["children"]],
        "children_within": [f"{fmt_int(v, lang)} ({fmt_pct(s, lang)})"
                            for v, s in zip(table["children_within"], table["reach_share"])],
        "points": [fmt_int(v, lang) for v in table["points"]],
        "schools_toilet": [f"{fmt_int(a, lang)}/{fmt_int(b, lang)}" for a, b in zip(table["schools_toilet"], table["schools"])],
        "child_friendly": [yes if v else no for v in table["child_friendly"]],
        "_fill": [COLOURS["has_point"] if v else COLOURS["no_point"] for v in table["has_point"]],
    }
    return pd.DataFrame(props)  # no geometry: the shapes are the base map's (CommuneShapes)


TOOLTIP_FIELDS = ("name", "kind", "children", "children_within", "points", "schools_toilet")
POPUP_FIELDS = ("name", "code", "kind", "population", "children", "children_within", "points", "schools_toilet",
                "child_friendly")


def _figure_aliases(fields, summary: Summary, lang: str) -> list[str]:
    special = {"children_within": t("map.children_within", lang, within=summary.rule.within(lang)),
               "schools_toilet": t("map.schools_toilet_of", lang)}
    return [html.escape(special.get(f) or t(f"col.{f}", lang)) for f in fields]


def figures_table(package: DataPackage, summary: Summary, *, lang: str = "vi") -> dict:
    """What `CommuneFigures` sets on the commune shapes: each commune's fill colour and its figures
    (`POPUP_FIELDS`, labelled), and which of them the tooltip and the popup show."""
    frame = commune_figures(package, summary, lang=lang)
    full = list(POPUP_FIELDS)
    return {"fill": list(frame["_fill"]), "head": _figure_aliases(full, summary, lang),
            "rows": frame[full].to_numpy().tolist(), "tip": [full.index(f) for f in TOOLTIP_FIELDS],
            "full": list(range(len(full)))}


def reach_layers(package: DataPackage, summary: Summary, *, lang: str = "vi", analysis=None) -> list[folium.FeatureGroup]:
    """What the reach rule changes: the communes' colours and figures at `summary`'s rule (set on the
    base's commune shapes, in a group that stays out of the layer control), and the reach circle of
    every existing point (walking, with `analysis` given: `walk_layers`, the catchments and travel
    times instead)."""
    figures = folium.FeatureGroup(name="figures", control=False)
    CommuneFigures(figures_table(package, summary, lang=lang)).add_to(figures)
    PointExtra("villages", village_walk(package, summary, lang=lang)).add_to(figures)
    if summary.rule.walking and analysis is not None:
        return [figures, *walk_layers(package, summary, analysis.at(reach=summary.rule).measure, lang=lang)]
    pts = package.play_points
    circles = folium.FeatureGroup(name=t("map.reach", lang))
    for geom, status in zip(pts.geometry, pts["status"]):
        if status == "existing" and not summary.rule.walking:
            _reach_circle(geom.y, geom.x, radius_m=summary.radius_m, color=COLOURS["reach"], weight=1, fill=True,
                          fill_opacity=0.08).add_to(circles)
    return [figures, circles]


def _minutes(value: float, lang: str) -> str:
    return fmt_num(value, lang, 1, trim=True)


def _areas(frame: gpd.GeoDataFrame, *, pane: str = "overlayPane", **style) -> folium.GeoJson:
    """Catchment or band polygons (EPSG:4326; a `_fill` column colours each) as one non-interactive
    layer, coordinates to about 1 m."""
    fills = list(frame["_fill"]) if "_fill" in frame.columns else [style["color"]] * len(frame)
    keep = ~frame.geometry.is_empty.to_numpy()
    data = gpd.GeoDataFrame({"_fill": np.asarray(fills, dtype=object)[keep]},
                            geometry=rounded(frame.geometry.to_numpy()[keep]), crs=4326)
    return folium.GeoJson(data.to_json(drop_id=True), interactive=False, pane=pane,
                          style_function=lambda f: {**style, "fillColor": f["properties"]["_fill"]})


def _ramp_rows(classes, lang: str) -> list[tuple[str, str]]:
    return [(colour, t("map.minutes_value", lang, minutes=f"{fmt_int(lo, lang)}–{fmt_int(hi, lang)}")) for lo, hi, colour in classes]


def walk_base_layers(package: DataPackage, measure, *, lang: str = "vi") -> list[folium.FeatureGroup]:
    """What walking shows whatever the minutes, so it goes with the base map: the 15/30/60-minute
    bands and the travel-time surface, both off at first, each with its legend."""
    existing = existing_points(package)
    surface = folium.FeatureGroup(name=t("map.surface", lang), show=False)
    png, bounds = isochrones.surface_image(measure, existing)
    folium.raster_layers.ImageOverlay("data:image/png;base64," + base64.b64encode(png).decode("ascii"), bounds,
                                      interactive=False, pixelated=False, pane=COMMUNES_PANE).add_to(surface)
    RampLegend(t("map.walk_minutes", lang), _ramp_rows(isochrones.ramp(), lang)).add_to(surface)

    bands = folium.FeatureGroup(name=t("map.bands", lang), show=False)
    frame = isochrones.bands(measure, existing)
    classes = isochrones.ramp(frame["to_minutes"].max())
    _areas(frame.assign(_fill=[c for _, _, c in classes]), color="#ffffff", weight=0.5, fillOpacity=0.55,
           pane=COMMUNES_PANE).add_to(bands)
    RampLegend(t("map.bands", lang), _ramp_rows(classes, lang)).add_to(bands)
    return [bands, surface]


def village_walk(package: DataPackage, summary: Summary, *, lang: str = "vi") -> dict | None:
    """The villages' tooltip row of walking time to the nearest point (None in straight-line mode)."""
    if not summary.rule.walking:
        return None
    villages = package.villages
    cost = summary.village_cost if summary.village_cost is not None else np.full(len(villages), np.inf)
    cap = max(isochrones.SURFACE_BREAKS[-1], summary.rule.minutes)
    return {"head": html.escape(t("map.walk_minutes", lang)),
            "values": [t("map.minutes_value", lang, minutes=fmt_int(c, lang)) if c <= cap
                       else t("map.walk_beyond", lang, limit=fmt_int(cap, lang)) for c in cost]}


def walk_layers(package: DataPackage, summary: Summary, measure, *, lang: str = "vi") -> list[folium.FeatureGroup]:
    """Walking mode at the rule's minutes: each existing point's catchment (where the line mode
    draws circles). The bands and the surface are the base's (`walk_base_layers`); the villages'
    walking times go on the base's villages (`village_walk`)."""
    existing, minutes = existing_points(package), summary.rule.minutes
    reach = folium.FeatureGroup(name=t("map.isochrones", lang, minutes=_minutes(minutes, lang)))
    _areas(isochrones.catchments(measure, existing, minutes=minutes), color=COLOURS["reach"], weight=1,
           fillOpacity=0.08).add_to(reach)
    return [reach]


def overview_map(
    package: DataPackage,
    summary: Summary,
    *,
    lang: str = "vi",
    assets_url: str = LOCAL_ASSETS_URL,
    basemap: bool = False,
    analysis=None,
) -> folium.Map:
    """The whole Overview map in one piece (for files and tests; the app sends base and layers apart).
    In walking mode, `analysis` (the package under the summary's rule) gives the catchments."""
    walk = analysis.at(reach=summary.rule).measure if summary.rule.walking and analysis is not None else None
    m = overview_base(package, lang=lang, assets_url=assets_url, basemap=basemap, walk=walk)
    control = next(c for c in m._children.values() if isinstance(c, folium.LayerControl))
    del m._children[control.get_name()]
    for group in reach_layers(package, summary, lang=lang, analysis=analysis):
        group.add_to(m)
    control.add_to(m)
    return m


def commune_shapes(package: DataPackage, codes) -> gpd.GeoDataFrame:
    """The display shapes of the communes whose code is in `codes` (for layers drawn over the base)."""
    keep = package.communes["code"].isin(list(codes)).to_numpy()
    return gpd.GeoDataFrame(geometry=display_shapes(package.communes).to_numpy()[keep], crs=4326)


SCORE_RAMP = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")  # low -> high priority


def score_colour(score: float) -> str:
    """Colour of a 0..100 priority score on a five-step ramp."""
    return SCORE_RAMP[min(len(SCORE_RAMP) - 1, max(0, int(score // 20)))]


def priority_base(package: DataPackage, *, lang: str = "vi", assets_url: str = LOCAL_ASSETS_URL,
                  basemap: bool = False) -> folium.Map:
    """The priority map without its scores: commune shapes, names and the score legend. Scores
    come with `priority_layers`, so new weights send a table, not the map."""
    m = _base_map(package.communes, assets_url=assets_url, basemap=basemap, lang=lang)
    folium.map.CustomPane(COMMUNES_PANE, z_index=350, pointer_events=True).add_to(m)
    CommuneShapes(_shapes_json(package.communes), name=t("rank.map", lang), pane=COMMUNES_PANE, clickable=False,
                  fill_opacity=0.75).add_to(m)
    _with_labels(m, package.communes, lang)
    rows = [(c, "square", f"{20 * i}–{20 * (i + 1)}") for i, c in enumerate(SCORE_RAMP)]
    m.get_root().html.add_child(folium.Element(_legend_html(t("col.score", lang), rows[::-1])))
    return m


def priority_layers(package: DataPackage, table, *, lang: str = "vi") -> list[folium.FeatureGroup]:
    """Each commune's colour by priority score, and its name, rank and score in the tooltip
    (ranking table with code, rank, score), set on `priority_base`'s shapes."""
    communes = package.communes
    by_code = table.set_index("code")
    codes = communes["code"].to_numpy()
    scores = by_code["score"].reindex(codes).to_numpy(dtype=float)
    ranks = by_code["rank"].reindex(codes).astype(int).to_numpy()
    rows = [[name, fmt_int(r, lang), fmt_num(sc, lang, 1)] for name, r, sc in zip(_safe(communes["name"]), ranks, scores)]
    figures = folium.FeatureGroup(name="figures", control=False)
    CommuneFigures({"fill": [score_colour(sc) for sc in scores], "head": _aliases(["col.name", "col.rank", "col.score"], lang),
                    "rows": rows, "tip": [0, 1, 2], "full": [0, 1, 2]}).add_to(figures)
    return [figures]


def priority_map(package: DataPackage, table, *, lang: str = "vi", assets_url: str = LOCAL_ASSETS_URL,
                 basemap: bool = False) -> folium.Map:
    """Communes shaded by priority score (ranking table with code, name, rank, score), in one piece
    (for files and tests; the app sends base and scores apart)."""
    m = priority_base(package, lang=lang, assets_url=assets_url, basemap=basemap)
    for group in priority_layers(package, table, lang=lang):
        group.add_to(m)
    return m


def proposals_layer(proposals: gpd.GeoDataFrame, *, radius_m: float, lang: str = "vi",
                    new_communes: gpd.GeoDataFrame | None = None,
                    chosen: gpd.GeoDataFrame | None = None, chosen_radius_m: float | None = None,
                    analysis=None, chosen_rule=None) -> folium.FeatureGroup:
    """Proposed points with their catchment circles (and the optimiser's choice with its catchments
    at `chosen_radius_m`, default `radius_m`, and the communes that would newly have a point), as one
    group the app can swap without redrawing the base map. Walking (`analysis` under a walking rule,
    `chosen_rule` for the optimiser's sites, default the analysis's rule): walking catchments at the
    rule's minutes instead of circles, in the same colours and dashes."""
    fg = folium.FeatureGroup(name=t("sites.proposals", lang))
    if new_communes is not None and len(new_communes):
        folium.GeoJson(new_communes[["geometry"]].to_json(drop_id=True), interactive=False,
                       style_function=lambda f: {"fillColor": COLOURS["has_point"], "color": COLOURS["has_point"],
                                                 "weight": 3, "fillOpacity": 0.35}).add_to(fg)
    chosen_rule = chosen_rule or (analysis.rule if analysis is not None else None)
    walk_chosen = chosen is not None and len(chosen) and analysis is not None and chosen_rule.walking
    walk_proposed = len(proposals) and analysis is not None and analysis.rule.walking
    if walk_chosen:
        _areas(isochrones.catchments(analysis.at(reach=chosen_rule).measure, chosen, minutes=chosen_rule.minutes),
               color=CHOSEN_COLOUR, weight=1.5, fillOpacity=0.06).add_to(fg)
    if walk_proposed:
        _areas(isochrones.catchments(analysis.measure, proposals, minutes=analysis.rule.minutes), color=PROPOSAL_COLOUR,
               weight=2, dashArray="6 4", fillOpacity=0.08).add_to(fg)
    if chosen is not None:
        for geom, cid, cost in zip(chosen.geometry, chosen["id"], chosen["cost_vnd"]):
            if not walk_chosen:
                _reach_circle(geom.y, geom.x, radius_m=chosen_radius_m or radius_m, color=CHOSEN_COLOUR, weight=1.5,
                              fill=True, fill_opacity=0.06).add_to(fg)
            folium.CircleMarker([geom.y, geom.x], radius=8, color=CHOSEN_RING, weight=3, fill=True,
                                fill_color=CHOSEN_COLOUR, fill_opacity=1.0,
                                tooltip=html.escape(f"{t('opt.chosen', lang)} {cid}: {fmt_vnd(cost, lang)}")).add_to(fg)
    for geom, pid, cost in zip(proposals.geometry, proposals["id"], proposals["cost_vnd"]):
        if not walk_proposed:
            _reach_circle(geom.y, geom.x, radius_m=radius_m, color=PROPOSAL_COLOUR, weight=2, dash_array="6 4",
                          fill=True, fill_opacity=0.08).add_to(fg)
        folium.CircleMarker([geom.y, geom.x], radius=9, color="#ffffff", weight=2, fill=True, fill_color=PROPOSAL_COLOUR,
                            fill_opacity=1.0, bubbling_mouse_events=False,  # a click on a proposal is not a new one
                            tooltip=html.escape(f"{t('sites.proposed', lang)} {pid}: {fmt_vnd(cost, lang)}")
                            ).add_to(fg)
    return fg


SCENARIO_COLOURS = ("#e65100", "#1565c0", "#2e7d32", "#ad1457")


def compare_map(package: DataPackage, scenarios, *, lang: str = "vi", assets_url: str = LOCAL_ASSETS_URL,
                basemap: bool = False) -> folium.Map:
    """Communes and existing points, with one switchable layer of proposals per scenario."""
    communes = package.communes
    m = _base_map(communes, assets_url=assets_url, basemap=basemap, lang=lang)
    shapes = gpd.GeoDataFrame({"name": _safe(communes["name"])}, geometry=display_shapes(communes).to_numpy(), crs=4326)
    folium.GeoJson(shapes.to_json(drop_id=True), name=t("map.communes", lang),
                   style_function=lambda f: {"fillColor": "#eceff1", "color": "#546e7a", "weight": 1, "fillOpacity": 0.5},
                   tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False)).add_to(m)
    _with_labels(m, communes, lang)
    existing = existing_points(package)
    group = folium.FeatureGroup(name=t("map.play_points", lang))
    for g in existing.geometry:
        folium.CircleMarker([g.y, g.x], radius=6, color="#ffffff", weight=1, fill=True, fill_color=COLOURS["existing"],
                            fill_opacity=0.9).add_to(group)
    group.add_to(m)
    rows = [(COLOURS["existing"], "circle", t("map.play_points", lang))]
    for k, s in enumerate(list(scenarios)[:4]):
        colour = SCENARIO_COLOURS[k]
        fg = folium.FeatureGroup(name=html.escape(s.name))
        for p in s.proposals:
            folium.CircleMarker([p.lat, p.lon], radius=11 - 2.5 * k, color="#ffffff", weight=1.5, fill=True, fill_color=colour,
                                fill_opacity=0.95, tooltip=html.escape(f"{s.name}: {p.id}, {p.year}, {fmt_vnd(p.cost_vnd, lang)}")).add_to(fg)
        fg.add_to(m)
        rows.append((colour, "circle", s.name))
    folium.LayerControl(collapsed=False).add_to(m)
    m.get_root().html.add_child(folium.Element(_legend_html(t("map.legend", lang), rows)))
    return m
