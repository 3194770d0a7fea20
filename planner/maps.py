"""Folium maps (the only module that imports folium). Works offline: Leaflet comes from the app.

The caller passes `assets_url`, where the app serves Leaflet (see `planner.io.publish_map_assets`);
no other script or stylesheet is referenced, and basemap tiles are off unless asked for.
"""
from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np

from planner.i18n import fmt_int, fmt_pct, t
from planner.package import DataPackage
from planner.summary import Summary, existing_points

LOCAL_ASSETS_URL = "/app/static/leaflet"
COLOURS = {
    "has_point": "#1a9850",
    "no_point": "#f46d43",
    "existing": "#6a1b9a",
    "under_construction": "#ab47bc",
    "toilet_ok": "#1565c0",
    "toilet_missing": "#d32f2f",
    "village": "#795548",
    "reach": "#6a1b9a",
}


def _safe(values) -> list[str]:
    """Names from a data package as inert text: tooltips and popups insert them as HTML."""
    return [html.escape(str(v)) for v in values]


def _offline(m: folium.Map, assets_url: str) -> folium.Map:
    """Point the map at the app's own Leaflet and drop every CDN asset folium would add."""
    m.default_js = [("leaflet", f"{assets_url}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{assets_url}/leaflet.css")]
    return m


def _points_layer(gdf: gpd.GeoDataFrame, props: dict, *, name: str, colour_of, radius_px, tooltip_fields, aliases, show=True) -> folium.GeoJson:
    data = gpd.GeoDataFrame(props, geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
    data["_colour"] = [colour_of(i) for i in range(len(data))]
    data["_r"] = [radius_px(i) for i in range(len(data))]
    return folium.GeoJson(
        data.to_json(drop_id=True),
        name=name,
        show=show,
        marker=folium.CircleMarker(radius=4, weight=1, fill=True, fill_opacity=0.85),
        style_function=lambda f: {
            "color": "#ffffff", "weight": 1, "fillColor": f["properties"]["_colour"],
            "radius": f["properties"]["_r"], "fillOpacity": 0.9,
        },
        tooltip=folium.GeoJsonTooltip(fields=tooltip_fields, aliases=aliases),
    )


def _legend_html(title: str, rows: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f'<div><span style="display:inline-block;width:12px;height:12px;margin-right:6px;'
        f'background:{c};border-radius:{"50%" if shape == "circle" else "2px"};opacity:.85"></span>{html.escape(label)}</div>'
        for c, shape, label in rows
    )
    return (
        '<div id="planner-legend" style="position:absolute;bottom:52px;left:10px;z-index:1000;background:rgba(255,255,255,.92);'
        'padding:6px 8px;border-radius:4px;font:12px/1.5 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)">'
        f"<b>{html.escape(title)}</b>{items}</div>"
    )


def _base_map(communes: gpd.GeoDataFrame, *, assets_url: str, basemap: bool) -> folium.Map:
    minx, miny, maxx, maxy = communes.total_bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=9,
        tiles="OpenStreetMap" if basemap else None,
        control_scale=True,
    )
    _offline(m, assets_url)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def _legend(lang: str, extra: tuple = ()) -> str:
    rows = [*extra,
        (COLOURS["has_point"], "square", t("map.has_point", lang)),
        (COLOURS["no_point"], "square", t("map.no_point", lang)),
        (COLOURS["existing"], "circle", t("map.play_points", lang)),
        (COLOURS["under_construction"], "circle", t("map.under_construction", lang)),
        (COLOURS["toilet_ok"], "circle", t("map.toilet_ok", lang)),
        (COLOURS["toilet_missing"], "circle", t("map.toilet_missing", lang)),
        (COLOURS["village"], "circle", t("map.villages", lang)),
    ]
    return _legend_html(t("map.legend", lang), rows)


COMMUNES_PANE = "communes"  # below the point layers, so village and school tooltips stay reachable


def overview_base(
    package: DataPackage,
    *,
    lang: str = "vi",
    assets_url: str = LOCAL_ASSETS_URL,
    basemap: bool = False,
    with_proposals: bool = False,
    candidates: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """The part of the Overview map that does not change with the radius: villages, schools, play
    points, the layer control and the legend. The app renders it once per package and language;
    `reach_layers` carries the rest. `with_proposals` adds legend rows for proposed and candidate
    sites; `candidates` (id, cost_vnd) draws the candidate sites."""
    m = _base_map(package.communes, assets_url=assets_url, basemap=basemap)
    folium.map.CustomPane(COMMUNES_PANE, z_index=350, pointer_events=True).add_to(m)
    yes, no = t("yes", lang), t("no", lang)

    villages = package.villages
    vc = villages["children"].to_numpy(dtype=float)
    _points_layer(
        villages, {"name": _safe(villages["name"]), "children": [fmt_int(v, lang) for v in vc]},
        name=t("map.villages", lang), colour_of=lambda i: COLOURS["village"],
        radius_px=lambda i: float(np.clip(np.sqrt(vc[i]) / 4.0, 1.5, 8.0)),
        tooltip_fields=["name", "children"], aliases=[t("col.name", lang), t("col.children", lang)],
    ).add_to(m)

    schools = package.schools
    ok = schools["has_standard_toilet"].to_numpy()
    _points_layer(
        schools,
        {"name": _safe(schools["name"]), "level": [t(f"level.{v}", lang) for v in schools["level"]],
         "toilet": [yes if v else no for v in ok]},
        name=t("map.schools", lang),
        colour_of=lambda i: COLOURS["toilet_ok"] if ok[i] else COLOURS["toilet_missing"],
        radius_px=lambda i: 4.0,
        tooltip_fields=["name", "level", "toilet"],
        aliases=[t("col.name", lang), t("col.level", lang), t("col.schools_toilet", lang)],
    ).add_to(m)

    pts = package.play_points
    status = pts["status"].to_numpy()
    _points_layer(
        pts,
        {"name": _safe(pts["name"]), "status": [t(f"status.{v}", lang) for v in status],
         "kind": [t(f"point_kind.{v}", lang) for v in pts["kind"]]},
        name=t("map.play_points", lang),
        colour_of=lambda i: COLOURS[status[i]],
        radius_px=lambda i: 8.0,
        tooltip_fields=["name", "kind", "status"],
        aliases=[t("col.name", lang), t("col.kind", lang), t("col.status", lang)],
    ).add_to(m)
    if candidates is not None and len(candidates):
        label = t("sites.candidates", lang)
        _points_layer(
            candidates, {"name": _safe(f"{label} {c}" for c in candidates["id"]),
                         "cost": [f"{fmt_int(v, lang)} ₫" for v in candidates["cost_vnd"]]},
            name=label, colour_of=lambda i: CANDIDATE_COLOUR, radius_px=lambda i: 5.0,
            tooltip_fields=["name", "cost"], aliases=[t("col.name", lang), t("col.cost_vnd", lang)],
        ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    extra = ((PROPOSAL_COLOUR, "circle", t("sites.proposed", lang)), (CHOSEN_COLOUR, "circle", t("opt.chosen", lang)),
             (CANDIDATE_COLOUR, "circle", t("sites.candidates", lang))) if with_proposals else ()
    m.get_root().html.add_child(folium.Element(_legend(lang, extra)))
    return m


def reach_layers(package: DataPackage, summary: Summary, *, lang: str = "vi", clickable: bool = True) -> list[folium.FeatureGroup]:
    """What the radius changes: communes shaded by whether they have a point, with their figures
    at `summary`'s radius, and the reach circle of every existing point. The figures show in a
    popup on click when `clickable`; otherwise in the hover tooltip, and a click on a commune goes
    through to the map (the Sites page proposes a point there: a popup would swallow the click)."""
    communes = package.communes
    table = summary.communes
    yes, no = t("yes", lang), t("no", lang)
    props = {
        "code": _safe(communes["code"]),
        "name": _safe(communes["name"]),
        "population": [fmt_int(v, lang) for v in table["population"]],
        "children": [fmt_int(v, lang) for v in table["children"]],
        "points": table["points"].astype(int).to_numpy(),
        "children_within": [fmt_int(v, lang) for v in table["children_within"]],
        "reach_share": [fmt_pct(v, lang) for v in table["reach_share"]],
        "schools_toilet": [f"{a}/{b}" for a, b in zip(table["schools_toilet"], table["schools"])],
        "child_friendly": [yes if v else no for v in table["child_friendly"]],
        "_fill": [COLOURS["has_point"] if v else COLOURS["no_point"] for v in table["has_point"]],
    }
    shapes = gpd.GeoDataFrame(props, geometry=communes.geometry.to_numpy(), crs=communes.crs)
    fields = ["name", "code", "population", "children", "points", "children_within", "reach_share", "schools_toilet", "child_friendly"]
    shaded = folium.FeatureGroup(name=t("map.communes", lang))
    folium.GeoJson(
        shapes.to_json(drop_id=True),
        style_function=lambda f: {"fillColor": f["properties"]["_fill"], "color": "#37474f", "weight": 1, "fillOpacity": 0.45},
        highlight_function=lambda f: {"weight": 3, "fillOpacity": 0.6},
        tooltip=(folium.GeoJsonTooltip(fields=["name"], labels=False) if clickable else
                 folium.GeoJsonTooltip(fields=fields, aliases=[t(f"col.{f}", lang) for f in fields], sticky=True)),
        popup=folium.GeoJsonPopup(fields=fields, aliases=[t(f"col.{f}", lang) for f in fields]) if clickable else None,
        pane=COMMUNES_PANE,
    ).add_to(shaded)

    pts = package.play_points
    circles = folium.FeatureGroup(name=t("map.reach", lang))
    for geom, status in zip(pts.geometry, pts["status"]):
        if status == "existing":
            folium.Circle([geom.y, geom.x], radius=summary.radius_m, color=COLOURS["reach"], weight=1,
                          fill=True, fill_opacity=0.08, interactive=False).add_to(circles)
    return [shaded, circles]


def overview_map(
    package: DataPackage,
    summary: Summary,
    *,
    lang: str = "vi",
    assets_url: str = LOCAL_ASSETS_URL,
    basemap: bool = False,
) -> folium.Map:
    """The whole Overview map in one piece (for files and tests; the app sends base and layers apart)."""
    m = overview_base(package, lang=lang, assets_url=assets_url, basemap=basemap)
    control = next(c for c in m._children.values() if isinstance(c, folium.LayerControl))
    del m._children[control.get_name()]
    for group in reach_layers(package, summary, lang=lang):
        group.add_to(m)
    control.add_to(m)
    return m


PROPOSAL_COLOUR = "#e65100"
CHOSEN_COLOUR = "#1565c0"
CANDIDATE_COLOUR = "#00695c"
SCORE_RAMP = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")  # low -> high priority


def score_colour(score: float) -> str:
    """Colour of a 0..100 priority score on a five-step ramp."""
    return SCORE_RAMP[min(len(SCORE_RAMP) - 1, max(0, int(score // 20)))]


def priority_map(package: DataPackage, table, *, lang: str = "vi", assets_url: str = LOCAL_ASSETS_URL,
                 basemap: bool = False) -> folium.Map:
    """Communes shaded by priority score (ranking table with code, name, rank, score)."""
    communes = package.communes
    m = _base_map(communes, assets_url=assets_url, basemap=basemap)
    by_code = table.set_index("code")
    codes = communes["code"].to_numpy()
    scores = by_code["score"].reindex(codes).to_numpy(dtype=float)
    shapes = gpd.GeoDataFrame({
        "name": _safe(communes["name"]),
        "rank": by_code["rank"].reindex(codes).astype(int).to_numpy(),
        "score": [f"{s:.1f}".replace(".", ",") if lang == "vi" else f"{s:.1f}" for s in scores],
        "_fill": [score_colour(s) for s in scores],
    }, geometry=communes.geometry.to_numpy(), crs=communes.crs)
    folium.GeoJson(
        shapes.to_json(drop_id=True),
        name=t("rank.map", lang),
        style_function=lambda f: {"fillColor": f["properties"]["_fill"], "color": "#37474f", "weight": 1, "fillOpacity": 0.75},
        highlight_function=lambda f: {"weight": 3},
        tooltip=folium.GeoJsonTooltip(fields=["name", "rank", "score"],
                                      aliases=[t("col.name", lang), t("col.rank", lang), t("col.score", lang)]),
    ).add_to(m)
    rows = [(c, "square", f"{20 * i}–{20 * (i + 1)}") for i, c in enumerate(SCORE_RAMP)]
    m.get_root().html.add_child(folium.Element(_legend_html(t("col.score", lang), rows[::-1])))
    return m


def proposals_layer(proposals: gpd.GeoDataFrame, *, radius_m: float, lang: str = "vi",
                    new_communes: gpd.GeoDataFrame | None = None,
                    chosen: gpd.GeoDataFrame | None = None, chosen_radius_m: float | None = None) -> folium.FeatureGroup:
    """Proposed points with their catchment circles (and the optimiser's choice with its catchments
    at `chosen_radius_m`, default `radius_m`, and the communes that would newly have a point), as one
    group the app can swap without redrawing the base map."""
    fg = folium.FeatureGroup(name=t("sites.proposals", lang))
    if new_communes is not None and len(new_communes):
        folium.GeoJson(new_communes[["geometry"]].to_json(drop_id=True), interactive=False,
                       style_function=lambda f: {"fillColor": COLOURS["has_point"], "color": COLOURS["has_point"],
                                                 "weight": 3, "fillOpacity": 0.35}).add_to(fg)
    if chosen is not None:
        for geom, cid, cost in zip(chosen.geometry, chosen["id"], chosen["cost_vnd"]):
            folium.Circle([geom.y, geom.x], radius=chosen_radius_m or radius_m, color=CHOSEN_COLOUR, weight=1, fill=True,
                          fill_opacity=0.06, interactive=False).add_to(fg)
            folium.CircleMarker([geom.y, geom.x], radius=8, color="#ffeb3b", weight=3, fill=True,
                                fill_color=CHOSEN_COLOUR, fill_opacity=1.0,
                                        tooltip=html.escape(f"{t('opt.chosen', lang)} {cid}: {fmt_int(cost, lang)} ₫")).add_to(fg)
    for geom, pid, cost in zip(proposals.geometry, proposals["id"], proposals["cost_vnd"]):
        folium.Circle([geom.y, geom.x], radius=radius_m, color=PROPOSAL_COLOUR, weight=2, dash_array="6 4",
                      fill=True, fill_opacity=0.08, interactive=False).add_to(fg)
        folium.CircleMarker([geom.y, geom.x], radius=9, color="#ffffff", weight=2, fill=True, fill_color=PROPOSAL_COLOUR,
                            fill_opacity=1.0, bubbling_mouse_events=False,  # a click on a proposal is not a new one
                            tooltip=html.escape(f"{t('sites.proposed', lang)} {pid}: {fmt_int(cost, lang)} ₫")
                            ).add_to(fg)
    return fg


SCENARIO_COLOURS = ("#e65100", "#1565c0", "#2e7d32", "#ad1457")


def compare_map(package: DataPackage, scenarios, *, lang: str = "vi", assets_url: str = LOCAL_ASSETS_URL,
                basemap: bool = False) -> folium.Map:
    """Communes and existing points, with one switchable layer of proposals per scenario."""
    communes = package.communes
    m = _base_map(communes, assets_url=assets_url, basemap=basemap)
    folium.GeoJson(communes[["geometry"]].assign(name=_safe(communes["name"])).to_json(drop_id=True), name=t("map.communes", lang),
                   style_function=lambda f: {"fillColor": "#eceff1", "color": "#546e7a", "weight": 1, "fillOpacity": 0.5},
                   tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False)).add_to(m)
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
            folium.CircleMarker([p.lat, p.lon], radius=8 - 1.5 * k, color="#ffffff", weight=2, fill=True, fill_color=colour,
                                fill_opacity=0.95, tooltip=html.escape(f"{s.name}: {p.id}, {p.year}, {fmt_int(p.cost_vnd, lang)} ₫")).add_to(fg)
        fg.add_to(m)
        rows.append((colour, "circle", s.name))
    folium.LayerControl(collapsed=False).add_to(m)
    m.get_root().html.add_child(folium.Element(_legend_html(t("map.legend", lang), rows)))
    return m
