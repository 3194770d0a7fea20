"""The yardstick for benchmarks/app.py: a bare Streamlit page with a streamlit-folium map and
nothing of the planner's. Same Leaflet JS/CSS from the same static folder (/app/static/leaflet),
same page layout and map height as the Overview, no tiles, no package data: three polygons and two
circles. benchmarks/app.py starts it with the app's .streamlit/config.toml (its working directory
is the repository's root) from a temporary folder whose `static` links to the repository's, since
Streamlit serves `static/` beside the main script.

    streamlit run benchmarks/bare_app.py   # by hand: the map then needs ./benchmarks/static/leaflet
"""
import folium
import streamlit as st
from streamlit_folium import st_folium

ASSETS = "/app/static/leaflet"
FEATURES = 5  # what benchmarks/app.py waits for: this many `path.leaflet-interactive` in the map's iframe


def bare_map() -> folium.Map:
    """Three polygons and two circles on Leaflet from /app/static/leaflet; no tiles, no CDN."""
    m = folium.Map(location=[22.35, 103.2], zoom_start=9, tiles=None, control_scale=False)
    m.default_js = [("leaflet", f"{ASSETS}/leaflet.js")]  # as planner.maps does: no CDN asset at all
    m.default_css = [("leaflet_css", f"{ASSETS}/leaflet.css")]
    squares = [(22.20, 103.00), (22.35, 103.25), (22.50, 103.45)]
    folium.GeoJson({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"n": i},
         "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + 0.12, y], [x + 0.12, y + 0.1], [x, y + 0.1], [x, y]]]}}
        for i, (y, x) in enumerate(squares)]},
        style_function=lambda f: {"fillColor": "#1a9850", "color": "#37474f", "weight": 1, "fillOpacity": 0.45},
    ).add_to(m)
    for lat, lon in ((22.30, 103.10), (22.45, 103.35)):
        folium.Circle([lat, lon], radius=2000, color="#6a1b9a", weight=1, fill=True, fill_opacity=0.08).add_to(m)
    m.fit_bounds([[22.15, 102.95], [22.65, 103.65]])
    return m


if __name__ == "__main__":  # Streamlit runs the page as __main__; bare_same_app.py imports bare_map
    st.set_page_config(page_title="bare", layout="wide")
    st.subheader("Bare map")
    st_folium(bare_map(), height=560, use_container_width=True, returned_objects=[], key="bare-map")
