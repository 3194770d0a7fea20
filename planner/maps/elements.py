"""Leaflet elements of our own, written as folium elements: what folium has no compact form for.

Point layers and commune shapes carry their data as plain arrays (a few bytes a point, names in
UTF-8) instead of folium's GeoJSON with a style per feature: the Overview's base map went from
about 720 KB of script to a fraction of that. Commune shapes are drawn once; the figures that
change with the reach rule are set on them later (`CommuneFigures`), so a new radius sends a
table of numbers, not the polygons again.
"""
from __future__ import annotations

import html
import json

import folium
from folium.template import Template

from planner.i18n import t

LABELS_PANE = "planner-labels"
LABELS_MIN_ZOOM = 10  # below it the 38 names would cover the province


def script_json(value) -> str:
    """JSON to write inside a <script>: compact, UTF-8, and nothing that could close the tag."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# A tooltip or popup as folium's GeoJsonTooltip writes it: a table of escaped labels and values.
_TABLE = ("function(head,row,cols){return '<table>'+cols.map(function(c){return '<tr><th>'+head[c]+'</th><td>'+"
          "row[c]+'</td></tr>';}).join('')+'</table>';}")


class PointLayer(folium.map.Layer):
    """Circle markers from rows [lat, lon, radius_px, colour index, *tooltip values]; `colour_key`
    says which style the colour sets (fillColor for dots, color for rings). Values and labels are
    inserted as HTML: the caller escapes them."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function(group, d){
          var table = """ + _TABLE + """, extra = null;
          function tip(r, i){
            var head = d.head, row = r.slice(4);
            if (extra) { head = head.concat([extra.head]); row = row.concat([extra.values[i]]); }
            return table(head, row, head.map(function(_, k){ return k; }));
          }
          d.rows.forEach(function(r, i){
            var style = Object.assign({}, d.style, {radius: r[2]});
            style[d.key] = d.colours[r[3]];
            var m = L.circleMarker([r[0], r[1]], style);
            if (d.head.length) { m.bindTooltip(function(){ return tip(r, i); }); }
            group.addLayer(m);
          });
          group.setExtra = function(e){ extra = e; };
          if (d.publish) { window.plannerPoints = window.plannerPoints || {}; window.plannerPoints[d.publish] = group; }
        })({{ this.get_name() }}, {{ this.json }});
        {% endmacro %}
    """)

    def __init__(self, rows: list[list], *, name: str, head: list[str], colours: list[str], style: dict,
                 colour_key: str = "fillColor", show: bool = True, publish: str | None = None):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PointLayer"
        self.json = script_json({"rows": rows, "head": head, "colours": colours, "style": style, "key": colour_key,
                                 "publish": publish})


class CommuneShapes(folium.map.Layer):
    """The commune polygons, drawn once. Colours and figures come from `CommuneFigures` (or
    `figures` here), so that a new reach rule does not send the polygons again. The figures show in
    a popup on click when `clickable`, else in the hover tooltip only and a click goes through to
    the map (the Sites page proposes a point there). Published as `window.plannerCommunes`."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function(d){
          var fig = d.figures, table = """ + _TABLE + """;
          function style(f){ return Object.assign({}, d.style, {fillColor: fig ? fig.fill[f.properties.i] : "#cfd8dc"}); }
          var layer = L.geoJSON(d.shapes, {pane: d.pane, style: style});
          layer.bindTooltip(function(l){ return fig ? table(fig.head, fig.rows[l.feature.properties.i], fig.tip) : ""; },
                            {sticky: true});
          if (d.clickable) {
            layer.bindPopup(function(l){ return fig ? table(fig.head, fig.rows[l.feature.properties.i], fig.full) : ""; });
          }
          layer.on("mouseover", function(e){ e.layer.setStyle(d.hover); });
          layer.on("mouseout", function(e){ layer.resetStyle(e.layer); });
          layer.setFigures = function(f){ fig = f; layer.setStyle(style); };
          window.plannerCommunes = layer;
          return layer;
        })({{ this.json }});
        {% endmacro %}
    """)

    def __init__(self, shapes: dict, *, name: str, pane: str, clickable: bool, figures: dict | None = None,
                 fill_opacity: float = 0.45):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "CommuneShapes"
        style = {"color": "#37474f", "weight": 1, "fillOpacity": fill_opacity}
        hover = {"weight": 3, "fillOpacity": min(1.0, fill_opacity + 0.15)}
        self.json = script_json({"shapes": shapes, "pane": pane, "clickable": bool(clickable), "figures": figures,
                                 "style": style, "hover": hover})


class PointExtra(folium.MacroElement):
    """One more tooltip row (`head`, one value per point) on a published `PointLayer`, or none
    (`extra` None): the villages' walking times, sent without the villages again."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        if (window.plannerPoints && window.plannerPoints[{{ this.key_json }}]) {
          window.plannerPoints[{{ this.key_json }}].setExtra({{ this.json }});
        }
        {% endmacro %}
    """)

    def __init__(self, key: str, extra: dict | None):
        super().__init__()
        self._name = "PointExtra"
        self.key_json, self.json = script_json(key), script_json(extra)


class CommuneFigures(folium.MacroElement):
    """Sets the communes' colours and figures on the map's `CommuneShapes`: what a new reach rule
    sends instead of the polygons."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        if (window.plannerCommunes) { window.plannerCommunes.setFigures({{ this.json }}); }
        {% endmacro %}
    """)

    def __init__(self, figures: dict):
        super().__init__()
        self._name = "CommuneFigures"
        self.json = script_json(figures)


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
          map.on("popupopen", function(e){  // Leaflet writes "Close popup"
            var b = e.popup._closeButton;
            if (b) { b.title = words.close; b.setAttribute("aria-label", words.close); }
          });
        })();
        {% endmacro %}
    """)

    def __init__(self, *, lang: str = "vi"):
        super().__init__()
        self._name = "KmScale"
        self.words = {k: t(f"map.control.{k}", lang) for k in ("zoom_in", "zoom_out", "layers", "leaflet", "close")}


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


