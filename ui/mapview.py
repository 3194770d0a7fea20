"""Maps on the pages, rendered once and reused.

folium turns a map into HTML slowly (about half a second for the Overview: branca compiles every
rendered layer as a template). So the layers that do not change with the radius or the proposals
(the base) are rendered once per package, language and basemap, cached for every session, and
sent to streamlit-folium's component as ready strings; what does change travels as feature groups
the browser swaps without redrawing the map. The component call mirrors `st_folium`'s.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import folium
import streamlit as st
import streamlit_folium as sf

_CONTROL = re.compile(r"let (layer_control_\w+) = L\.control\.layers\(")


@dataclass(frozen=True)
class Rendered:
    """A base map as the component takes it."""

    args: dict
    hash_key: str


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
    (s, w), (n, e) = m.get_bounds()
    defaults = {"last_clicked": None, "bounds": {"_southWest": {"lat": s, "lng": w}, "_northEast": {"lat": n, "lng": e}},
                "zoom": m.options.get("zoom")}
    css, js = [], []
    for elem in _walk(m):
        css.extend(href for _, href in getattr(elem, "default_css", []))
        js.extend(src for _, src in getattr(elem, "default_js", []))
    args = dict(script=script, header=header, html=page, id=sf.get_full_id(m), default=defaults,
                css_links=list(dict.fromkeys(css)), js_links=list(dict.fromkeys(js)))
    return Rendered(args=args, hash_key=sf.generate_js_hash(script, widget_key, False))


def _walk(element):
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def render_layers(groups: Sequence[folium.FeatureGroup], *, first: int = 0) -> tuple[str, list[tuple[str, str]]]:
    """JavaScript adding `groups` to the map, numbered from `first`, and each group's (variable, label)."""
    host = folium.Map(tiles=None)
    js = "".join(sf._get_feature_group_string(g, map=host, idx=first + i) for i, g in enumerate(groups))
    return js, [(g.get_name(), g.layer_name) for g in groups]


def join_control(entries: Sequence[tuple[str, str]]) -> str:
    """JavaScript putting the groups in the base map's layer control, replacing the previous ones."""
    pairs = ",".join(f"[{name},{json.dumps(html.escape(label))}]" for name, label in entries)
    return ("\n(function(){var c=window.plannerControl; if(!c){return;}"
            "(window.plannerOverlays||[]).forEach(function(l){c.removeLayer(l);});"
            f"window.plannerOverlays=[{pairs}].map(function(p){{c.addOverlay(p[0],p[1]);return p[0];}});}})();\n")


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_base(key: tuple, widget_key: str, _build: Callable[[], folium.Map]) -> Rendered:
    return render_base(_build(), widget_key=widget_key)


@st.cache_resource(show_spinner=False, max_entries=128)
def _cached_layers(key: tuple, first: int, _make: Callable[[], Sequence[folium.FeatureGroup]]):
    return render_layers(_make(), first=first)


Layers = tuple[tuple | None, Callable[[], Sequence[folium.FeatureGroup]]]


def show_map(key: tuple, build: Callable[[], folium.Map], *, widget_key: str, layers: Sequence[Layers] = (),
             height: int = 560, returned_objects: Sequence[str] = ()) -> dict:
    """Show the map `build()` makes, rendering it only the first time `key` is seen in this server
    process, with feature groups on top: `layers` are (key, make) pairs, and `make()`'s groups are
    rendered once per key (every time when the key is None). Returns what the map reports back."""
    base = _cached_base(key, widget_key, build)
    scripts, entries = [], []
    for layer_key, make in layers:
        js, names = render_layers(make(), first=len(entries)) if layer_key is None else _cached_layers(layer_key, len(entries), make)
        scripts.append(js)
        entries.extend(names)
    defaults = {k: v for k, v in base.args["default"].items() if k in returned_objects}

    def on_change():
        st.session_state[widget_key] = st.session_state.get(base.hash_key, {})

    return sf._component_func(
        **{k: v for k, v in base.args.items() if k != "default"},
        key=base.hash_key, height=height, width=None, returned_objects=list(returned_objects), default=defaults,
        zoom=None, center=None, feature_group="".join(scripts) + join_control(entries) if entries else None,
        return_on_hover=False, layer_control=None, pixelated=False, on_change=on_change, wrap_longitude=False,
    )
