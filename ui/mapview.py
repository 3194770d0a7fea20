"""Maps on the pages, rendered once and reused, and light on the wire.

folium turns a map into HTML slowly (about half a second for the Overview: branca compiles every
rendered layer as a template). So the layers that do not change with the reach rule or the
proposals (the base) are rendered once per package, language and basemap, cached for every
session. The base's script is not sent over the WebSocket: it is a file under ./static/maps named
by its digest, which the component loads like Leaflet itself (the browser may cache it), and the
component's arguments carry only a one-line loader. Streamlit sends a component's arguments again
whenever one of them changes, so with the base inside them every new radius resent the whole map
(630 KiB); now only the changed feature groups travel, and the browser swaps them without
redrawing the map. The component call mirrors `st_folium`'s.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import folium
import streamlit as st
import streamlit_folium as sf

from planner.maps import basemap_layer
from ui.state import map_script_url

_CONTROL = re.compile(r"let (layer_control_\w+) = L\.control\.layers\(")
# streamlit-folium reports only the last click, 250 ms after it, and the same place twice as no
# change: every click is numbered and the last 50 travel with it, tagged with this map's identity.
_CLICK_LOG = ("\n(function(){var id=Math.random().toString(36).slice(2),log=[],n=0;"
              "map_div.on('click',function(e){n+=1;log.push([n,e.latlng.lat,e.latlng.lng]);"
              "if(log.length>50){log.shift();}e.latlng.map=id;e.latlng.clicks=log.slice();});})();\n")


@dataclass(frozen=True)
class Rendered:
    """A base map as the component takes it: `args` with the whole script (as `st_folium` sends it),
    and the same script as a static file's text (`file_text`) with the one-line `loader` that
    replaces it in the arguments."""

    args: dict
    hash_key: str
    file_text: str
    loader: str


def render_base(m: folium.Map, *, widget_key: str) -> Rendered:
    """The component arguments `st_folium` would send for `m` (without feature groups). The map's
    layer control is published as `window.plannerControl` so later groups can join it."""
    m.get_root().render()
    m.render()
    page, header = sf._get_html(m), sf._get_header(m)  # before the script: it renames the map's elements
    script = sf._get_map_string(m)
    control = _CONTROL.search(script)
    if control:  # `let` is not global: publish the control once it is on the map
        end = script.index(").addTo(map_div);", control.end()) + len(").addTo(map_div);")
        script = f"{script[:end]}\nwindow.plannerControl = {control[1]};{script[end:]}"
    script += _CLICK_LOG
    (s, w), (n, e) = m.get_bounds()
    defaults = {"last_clicked": None, "bounds": {"_southWest": {"lat": s, "lng": w}, "_northEast": {"lat": n, "lng": e}},
                "zoom": m.options.get("zoom")}
    css, js = [], []
    for elem in _walk(m):
        css.extend(href for _, href in getattr(elem, "default_css", []))
        js.extend(src for _, src in getattr(elem, "default_js", []))
    args = dict(script=script, header=header, html=page, id=sf.get_full_id(m), default=defaults,
                css_links=list(dict.fromkeys(css)), js_links=list(dict.fromkeys(js)))
    # The file only defines the map's builder: it loads before the component adds the map's <div>.
    name = json.dumps(hashlib.sha256(script.encode("utf-8")).hexdigest()[:32])
    file_text = (f"window.plannerMaps=window.plannerMaps||{{}};\nwindow.plannerMaps[{name}]=function(){{\n"
                 f"{script}\nreturn map_div;\n}};\n")
    return Rendered(args=args, hash_key=sf.generate_js_hash(script, widget_key, False), file_text=file_text,
                    loader=f"var map_div = window.plannerMaps[{name}]();\n")


def _walk(element):
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


class Drawn(NamedTuple):
    """Feature groups as the component takes them: the JavaScript, the layer control's entries
    (variable, label), and how many groups it numbered."""

    js: str
    entries: list[tuple[str, str]]
    count: int


def render_layers(groups: Sequence[folium.FeatureGroup], *, first: int = 0) -> Drawn:
    """JavaScript adding `groups` to the map, numbered from `first`, and each group's (variable, label).
    A group made with show=False starts off the map (streamlit-folium adds every group): the layer
    control lists it unticked. A group made with control=False is not listed."""
    host = folium.Map(tiles=None)
    js = "".join(sf._get_feature_group_string(g, map=host, idx=first + i)
                 + ("" if g.show else f"map_div.removeLayer(feature_group_feature_group_{first + i});\n")
                 for i, g in enumerate(groups))
    return Drawn(js, [(g.get_name(), g.layer_name) for g in groups if g.control], len(groups))


def join_control(entries: Sequence[tuple[str, str]]) -> str:
    """JavaScript putting the groups in the base map's layer control, replacing the previous ones.
    A layer the reader switched off stays off when its replacement (same label) arrives."""
    pairs = ",".join(f"[{name},{json.dumps(html.escape(label))}]" for name, label in entries)
    # The reader's own ticks are remembered by label (only clicks in the control: the component also
    # takes the old groups off the map before it adds the new ones, and that is not the reader's).
    return ("\n(function(){var c=window.plannerControl; if(!c){return;}"
            "var off=window.plannerOff=window.plannerOff||{};"
            "if(!window.plannerOffHooked){window.plannerOffHooked=true;"
            "map_div.on('overlayadd overlayremove',function(e){if(c._handlingClick){off[e.name]=e.type==='overlayremove';}});}"
            "(window.plannerOverlays||[]).forEach(function(l){c.removeLayer(l);});"
            f"window.plannerOverlays=[{pairs}].map(function(p){{"
            "if(off[p[1]]===true&&map_div.hasLayer(p[0])){map_div.removeLayer(p[0]);}"
            "else if(off[p[1]]===false&&!map_div.hasLayer(p[0])){map_div.addLayer(p[0]);}"
            "c.addOverlay(p[0],p[1]);return p[0];});})();\n")


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_base(key: tuple, widget_key: str, _build: Callable[[], folium.Map]) -> Rendered:
    return render_base(_build(), widget_key=widget_key)


@st.cache_resource(show_spinner=False, max_entries=128)
def _cached_layers(key: tuple, first: int, _make: Callable[[], Sequence[folium.FeatureGroup]]):
    return render_layers(_make(), first=first)


Layers = tuple[tuple | None, Callable[[], Sequence[folium.FeatureGroup]]]


def show_map(key: tuple, build: Callable[[], folium.Map], *, widget_key: str, layers: Sequence[Layers] = (),
             height: int = 560, returned_objects: Sequence[str] = (), basemap: bool = False) -> dict:
    """Show the map `build()` makes, rendering it only the first time `key` is seen in this server
    process, with feature groups on top: `layers` are (key, make) pairs, and `make()`'s groups are
    rendered once per key (every time when the key is None); with `basemap`, the basemap's tiles
    first, as a layer on the drawn map. Returns what the map reports back."""
    if basemap:
        layers = [(("basemap",), lambda: [basemap_layer()]), *layers]
    base = _cached_base(key, widget_key, build)
    served = {**base.args, "script": base.loader, "js_links": [*base.args["js_links"], map_script_url(base.file_text)]}
    scripts, entries, count = [], [], 0
    for layer_key, make in layers:
        drawn = render_layers(make(), first=count) if layer_key is None else _cached_layers(layer_key, count, make)
        scripts.append(drawn.js)
        entries.extend(drawn.entries)
        count += drawn.count
    defaults = {k: v for k, v in base.args["default"].items() if k in returned_objects}

    def on_change():
        st.session_state[widget_key] = st.session_state.get(base.hash_key, {})

    return sf._component_func(
        **{k: v for k, v in served.items() if k != "default"},
        key=base.hash_key, height=height, width=None, returned_objects=list(returned_objects), default=defaults,
        zoom=None, center=None, feature_group=("".join(scripts) + join_control(entries)) if layers else None,
        return_on_hover=False, layer_control=None, pixelated=False, on_change=on_change, wrap_longitude=False,
    )


def new_clicks(reported: dict | None, *, key: str) -> list[tuple[float, float]]:
    """(lat, lon) of every click on the map since the last call with this `key`: two quick clicks
    are two, and a second click on the same spot is a click (see _CLICK_LOG)."""
    click = (reported or {}).get("last_clicked") or {}
    log = click.get("clicks") or []
    seen_map, seen_n = st.session_state.get(key, ("", 0))
    if click.get("map") != seen_map:  # a map drawn afresh counts from 1 again
        seen_n = 0
    if log:
        st.session_state[key] = (click.get("map"), max(int(c[0]) for c in log))
    return [(float(lat), float(lon)) for n, lat, lon in log if int(n) > seen_n]
