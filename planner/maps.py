"""Folium maps (the only module that imports folium). Works offline: Leaflet comes from the app.

The caller passes `assets_url`, where the app serves Leaflet (see `planner.io.publish_map_assets`);
no other script or stylesheet is referenced, and basemap tiles are off unless asked for.
"""
from __future__ import annotations

import base64
import html

import folium
import geopandas as gpd
import numpy as np
import shapely
from folium.template import Template
from shapely.geometry import MultiPolygon
from shapely.ops import polylabel

from planner import isochrones
from planner.i18n import TEXT, t
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
LABELS_PANE = "planner-labels"
LABELS_MIN_ZOOM = 10  # below it the 38 names would cover the province


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


class KmScale(folium.MacroElement):
    """Leaflet's scale bar in kilometres only (folium's `control_scale` adds miles), and the
    controls' tooltips in the reader's language (Leaflet writes "Zoom in", "Layers")."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(){
          var map = {{ this._parent.get_name() }}, words = {{ this.words|tojson }};
          L.control.scale({"imperial": false, "metric": true, "maxWidth": 150}).addTo(map);
          map.attributionControl.setPrefix('<span title="' + words.leaflet + '">Leaflet</span>');
          setTimeout(function(){  // the layer control is added after this script
            var box = map.getContainer();
            [[".leaflet-control-zoom-in", words.zoom_in], [".leaflet-control-zoom-out", words.zoom_out],
             [".leaflet-control-layers-toggle", words.layers]].forEach(function(pair){
              var e = box.querySelector(pair[0]);
              if (e) { e.title = pair[1]; e.setAttribute("aria-label", pair[1]); }
            });
          }, 0);
        })();
        {% endmacro %}
    """)

    def __init__(self, *, lang: str = "vi"):
        super().__init__()
        self._name = "KmScale"
        self.words = {k: t(f"map.control.{k}", lang) for k in ("zoom_in", "zoom_out", "layers", "leaflet")}


class ZoomLabels(folium.MacroElement):
    """Shows the commune-name pane only from `min_zoom` on; the names never take a click."""

    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>
        .planner-label{background:none;border:none;}
        .planner-label span{position:absolute;transform:translate(-50%,-50%);white-space:nowrap;
          font:600 11px/1.2 sans-serif;color:#263238;pointer-events:none;
          text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,0 0 4px #fff;}
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function(){
          var map = {{ this._parent.get_name() }}, pane = map.getPane({{ this.pane|tojson }});
          function toggle(){ if (pane) { pane.style.display = map.getZoom() >= {{ this.min_zoom }} ? "" : "none"; } }
          map.on("zoomend", toggle);
          toggle();
        })();
        {% endmacro %}
    """)

    def __init__(self, *, pane: str = LABELS_PANE, min_zoom: int = LABELS_MIN_ZOOM):
        super().__init__()
        self._name = "ZoomLabels"
        self.pane, self.min_zoom = pane, int(min_zoom)


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
        tooltip=folium.GeoJsonTooltip(fields=tooltip_fields, aliases=[html.escape(a) for a in aliases]),
    )


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
_TEXT_CSS = ("<style>.leaflet-tooltip{font-size:13px;}"
             ".leaflet-tooltip table,.leaflet-popup-content table{font-size:inherit;}</style>")


def _base_map(communes: gpd.GeoDataFrame, *, assets_url: str, basemap: bool, lang: str) -> folium.Map:
    minx, miny, maxx, maxy = communes.total_bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=9,
        tiles="OpenStreetMap" if basemap else None,
        control_scale=False,  # it would show miles too
    )
    _offline(m, assets_url)
    KmScale(lang=lang).add_to(m)
    m.get_root().header.add_child(folium.Element(_TEXT_CSS))
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


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


def toilets_layer(package: DataPackage, *, lang: str = "vi", show: bool = False) -> folium.GeoJson | None:
    """Toilet blocks as rings, blue when standard and red when not, with the facility they belong
    to; None when the package has no toilets. Off at first: at province scale every ring sits on
    its school's dot, whose colour already says whether the school has a standard toilet. (Every
    block travels to the browser with the base map: its properties are kept few and short.)"""
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

    yes, no = t("yes", lang), t("no", lang)
    data = gpd.GeoDataFrame(
        {"id": _safe(toilets["id"]),
         "facility": _safe(owner(f, k) for f, k in zip(toilets["facility_id"], toilets["facility_kind"])),
         "standard": [yes if v else no for v in toilets["standard"].to_numpy(dtype=bool)]},
        geometry=toilets.geometry.to_numpy(), crs=toilets.crs)
    colour = {yes: COLOURS["toilet_ok"], no: COLOURS["toilet_missing"]}
    return folium.GeoJson(
        data.to_json(drop_id=True),
        name=t("map.toilets", lang),
        show=show,
        marker=folium.CircleMarker(radius=7, weight=2.5, fill=False),
        style_function=lambda f: {"color": colour[f["properties"]["standard"]], "weight": 2.5, "fill": False,
                                  "radius": 7, "opacity": 0.95},
        tooltip=folium.GeoJsonTooltip(fields=["id", "facility", "standard"],
                                      aliases=_aliases(["map.toilet_id", "map.facility", "map.standard"], lang)),
    )


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
    m = _base_map(package.communes, assets_url=assets_url, basemap=basemap, lang=lang)
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
    toilets = toilets_layer(package, lang=lang)
    if toilets is not None:
        toilets.add_to(m)
    if candidates is not None and len(candidates):
        label = t("sites.candidates", lang)
        _points_layer(
            candidates, {"name": _safe(f"{label} {c}" for c in candidates["id"]),
                         "cost": [fmt_vnd(v, lang) for v in candidates["cost_vnd"]]},
            name=label, colour_of=lambda i: CANDIDATE_COLOUR, radius_px=lambda i: 5.0,
            tooltip_fields=["name", "cost"], aliases=[t("col.name", lang), t("col.cost_vnd", lang)],
        ).add_to(m)
    _with_labels(m, package.communes, lang)
    folium.LayerControl(collapsed=True).add_to(m)
    extra = ((PROPOSAL_COLOUR, "circle", t("sites.proposed", lang)), (CHOSEN_COLOUR, "chosen", t("opt.chosen", lang)),
             (CANDIDATE_COLOUR, "circle", t("sites.candidates", lang))) if with_proposals else ()
    m.get_root().html.add_child(folium.Element(_legend(lang, extra, toilets=toilets is not None)))
    return m


def commune_figures(package: DataPackage, summary: Summary, *, lang: str = "vi") -> gpd.GeoDataFrame:
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
    return gpd.GeoDataFrame(props, geometry=communes.geometry.to_numpy(), crs=communes.crs)


TOOLTIP_FIELDS = ("name", "kind", "children", "children_within", "points", "schools_toilet")
POPUP_FIELDS = ("name", "code", "kind", "population", "children", "children_within", "points", "schools_toilet",
                "child_friendly")


def _figure_aliases(fields, summary: Summary, lang: str) -> list[str]:
    special = {"children_within": t("map.children_within", lang, within=summary.rule.within(lang)),
               "schools_toilet": t("map.schools_toilet_of", lang)}
    return [html.escape(special.get(f) or t(f"col.{f}", lang)) for f in fields]


def reach_layers(package: DataPackage, summary: Summary, *, lang: str = "vi", clickable: bool = True,
                 analysis=None) -> list[folium.FeatureGroup]:
    """What the radius changes: communes shaded by whether they have a point, with their figures
    at `summary`'s radius, and the reach circle of every existing point (walking, with `analysis`
    given: `walk_layers`, the catchments and travel times instead). The figures show in a
    popup on click when `clickable`; otherwise in the hover tooltip, and a click on a commune goes
    through to the map (the Sites page proposes a point there: a popup would swallow the click)."""
    shapes = commune_figures(package, summary, lang=lang)
    tip, full = list(TOOLTIP_FIELDS), list(POPUP_FIELDS)
    shaded = folium.FeatureGroup(name=t("map.communes", lang))
    folium.GeoJson(
        shapes.to_json(drop_id=True),
        style_function=lambda f: {"fillColor": f["properties"]["_fill"], "color": "#37474f", "weight": 1, "fillOpacity": 0.45},
        highlight_function=lambda f: {"weight": 3, "fillOpacity": 0.6},
        tooltip=folium.GeoJsonTooltip(fields=tip, aliases=_figure_aliases(tip, summary, lang), sticky=True),
        popup=folium.GeoJsonPopup(fields=full, aliases=_figure_aliases(full, summary, lang)) if clickable else None,
        pane=COMMUNES_PANE,
    ).add_to(shaded)

    if summary.rule.walking and analysis is not None:
        return [shaded, *walk_layers(package, summary, analysis.at(reach=summary.rule).measure, lang=lang)]
    pts = package.play_points
    circles = folium.FeatureGroup(name=t("map.reach", lang))
    for geom, status in zip(pts.geometry, pts["status"]):
        if status == "existing" and not summary.rule.walking:
            folium.Circle([geom.y, geom.x], radius=summary.radius_m, color=COLOURS["reach"], weight=1,
                          fill=True, fill_opacity=0.08, interactive=False).add_to(circles)
    return [shaded, circles]


def _minutes(value: float, lang: str) -> str:
    return fmt_num(value, lang, 1, trim=True)


def _areas(frame: gpd.GeoDataFrame, *, pane: str = "overlayPane", **style) -> folium.GeoJson:
    """Catchment or band polygons (EPSG:4326; a `_fill` column colours each) as one non-interactive
    layer, coordinates to about 1 m."""
    fills = list(frame["_fill"]) if "_fill" in frame.columns else [style["color"]] * len(frame)
    keep = ~frame.geometry.is_empty.to_numpy()
    rounded = shapely.transform(frame.geometry.to_numpy()[keep], lambda xy: np.round(xy, 5))
    data = gpd.GeoDataFrame({"_fill": np.asarray(fills, dtype=object)[keep]}, geometry=rounded, crs=4326)
    return folium.GeoJson(data.to_json(drop_id=True), interactive=False, pane=pane,
                          style_function=lambda f: {**style, "fillColor": f["properties"]["_fill"]})


class RampLegend(folium.MacroElement):
    """A legend of travel-time classes shown while its group (a hidden-by-default layer) is on the map."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(){
          var group = {{ this._parent.get_name() }}, box = L.control({position: "bottomright"});
          box.onAdd = function(){ var d = L.DomUtil.create("div"); d.innerHTML = {{ this.html|tojson }}; return d; };
          group.on("add", function(){ box.addTo(group._map); });
          group.on("remove", function(){ box.remove(); });
        })();
        {% endmacro %}
    """)

    def __init__(self, title: str, rows: list[tuple[str, str]]):
        super().__init__()
        self._name = "RampLegend"
        items = "".join(f'<div><span style="display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px;'
                        f'background:{c};opacity:.8"></span>{html.escape(label)}</div>' for c, label in rows)
        self.html = ('<div class="planner-ramp" style="background:rgba(255,255,255,.92);padding:6px 8px;border-radius:4px;'
                     f'font:12px/1.5 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)"><b>{html.escape(title)}</b>{items}</div>')


def _ramp_rows(classes, lang: str) -> list[tuple[str, str]]:
    return [(colour, t("map.minutes_value", lang, minutes=f"{fmt_int(lo, lang)}–{fmt_int(hi, lang)}")) for lo, hi, colour in classes]


def walk_layers(package: DataPackage, summary: Summary, measure, *, lang: str = "vi") -> list[folium.FeatureGroup]:
    """Walking mode: each existing point's catchment at the rule's minutes (where the line mode draws
    circles), the 15/30/60-minute bands and the travel-time surface (both off at first, each with
    its legend), and the villages with their walk to the nearest point in the tooltip."""
    existing, minutes = existing_points(package), summary.rule.minutes
    reach = folium.FeatureGroup(name=t("map.isochrones", lang, minutes=_minutes(minutes, lang)))
    _areas(isochrones.catchments(measure, existing, minutes=minutes), color=COLOURS["reach"], weight=1,
           fillOpacity=0.08).add_to(reach)

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

    villages = package.villages
    cost = summary.village_cost if summary.village_cost is not None else np.full(len(villages), np.inf)
    cap = max(isochrones.SURFACE_BREAKS[-1], minutes)
    radius = np.round(2 * np.clip(np.sqrt(villages["children"].to_numpy(dtype=float)) / 4.0, 1.5, 8.0)) / 2
    data = gpd.GeoDataFrame({"name": _safe(villages["name"]), "_r": radius,
                             "walk": [t("map.minutes_value", lang, minutes=fmt_int(c, lang)) if c <= cap
                                      else t("map.walk_beyond", lang, limit=fmt_int(cap, lang)) for c in cost]},
                            geometry=villages.geometry.to_numpy(), crs=villages.crs)
    group = folium.FeatureGroup(name=t("map.village_walk", lang))  # over the base's villages: same dots, this tooltip
    folium.GeoJson(  # features keep their row number as id: the styles switch on it, not on the names
        data.to_json(), marker=folium.CircleMarker(radius=4, weight=1, fill=True, fill_opacity=0.9),
        style_function=lambda f: {"color": "#ffffff", "weight": 1, "fillColor": COLOURS["village"],
                                  "radius": f["properties"]["_r"], "fillOpacity": 0.9},
        tooltip=folium.GeoJsonTooltip(fields=["name", "walk"], aliases=_aliases(["col.name", "map.walk_minutes"], lang)),
    ).add_to(group)
    return [reach, bands, surface, group]


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
    m = overview_base(package, lang=lang, assets_url=assets_url, basemap=basemap)
    control = next(c for c in m._children.values() if isinstance(c, folium.LayerControl))
    del m._children[control.get_name()]
    for group in reach_layers(package, summary, lang=lang, analysis=analysis):
        group.add_to(m)
    control.add_to(m)
    return m


SCORE_RAMP = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")  # low -> high priority


def score_colour(score: float) -> str:
    """Colour of a 0..100 priority score on a five-step ramp."""
    return SCORE_RAMP[min(len(SCORE_RAMP) - 1, max(0, int(score // 20)))]


def priority_map(package: DataPackage, table, *, lang: str = "vi", assets_url: str = LOCAL_ASSETS_URL,
                 basemap: bool = False) -> folium.Map:
    """Communes shaded by priority score (ranking table with code, name, rank, score)."""
    communes = package.communes
    m = _base_map(communes, assets_url=assets_url, basemap=basemap, lang=lang)
    by_code = table.set_index("code")
    codes = communes["code"].to_numpy()
    scores = by_code["score"].reindex(codes).to_numpy(dtype=float)
    shapes = gpd.GeoDataFrame({
        "name": _safe(communes["name"]),
        "rank": by_code["rank"].reindex(codes).astype(int).to_numpy(),
        "score": [fmt_num(s, lang, 1) for s in scores],
        "_fill": [score_colour(s) for s in scores],
    }, geometry=communes.geometry.to_numpy(), crs=communes.crs)
    folium.GeoJson(
        shapes.to_json(drop_id=True),
        name=t("rank.map", lang),
        style_function=lambda f: {"fillColor": f["properties"]["_fill"], "color": "#37474f", "weight": 1, "fillOpacity": 0.75},
        highlight_function=lambda f: {"weight": 3},
        tooltip=folium.GeoJsonTooltip(fields=["name", "rank", "score"],
                                      aliases=_aliases(["col.name", "col.rank", "col.score"], lang)),
    ).add_to(m)
    _with_labels(m, communes, lang)
    rows = [(c, "square", f"{20 * i}–{20 * (i + 1)}") for i, c in enumerate(SCORE_RAMP)]
    m.get_root().html.add_child(folium.Element(_legend_html(t("col.score", lang), rows[::-1])))
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
                folium.Circle([geom.y, geom.x], radius=chosen_radius_m or radius_m, color=CHOSEN_COLOUR, weight=1.5,
                              fill=True, fill_opacity=0.06, interactive=False).add_to(fg)
            folium.CircleMarker([geom.y, geom.x], radius=8, color=CHOSEN_RING, weight=3, fill=True,
                                fill_color=CHOSEN_COLOUR, fill_opacity=1.0,
                                tooltip=html.escape(f"{t('opt.chosen', lang)} {cid}: {fmt_vnd(cost, lang)}")).add_to(fg)
    for geom, pid, cost in zip(proposals.geometry, proposals["id"], proposals["cost_vnd"]):
        if not walk_proposed:
            folium.Circle([geom.y, geom.x], radius=radius_m, color=PROPOSAL_COLOUR, weight=2, dash_array="6 4",
                          fill=True, fill_opacity=0.08, interactive=False).add_to(fg)
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
    folium.GeoJson(communes[["geometry"]].assign(name=_safe(communes["name"])).to_json(drop_id=True), name=t("map.communes", lang),
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
            folium.CircleMarker([p.lat, p.lon], radius=8 - 1.5 * k, color="#ffffff", weight=2, fill=True, fill_color=colour,
                                fill_opacity=0.95, tooltip=html.escape(f"{s.name}: {p.id}, {p.year}, {fmt_vnd(p.cost_vnd, lang)}")).add_to(fg)
        fg.add_to(m)
        rows.append((colour, "circle", s.name))
    folium.LayerControl(collapsed=False).add_to(m)
    m.get_root().html.add_child(folium.Element(_legend_html(t("map.legend", lang), rows)))
    return m
