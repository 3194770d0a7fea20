"""The second yardstick for benchmarks/app.py: benchmarks/bare_app.py's map (same Leaflet assets,
three polygons and two circles, no data of ours) on a page made of the same kinds of Streamlit
elements as the Overview, so the browser loads the same Streamlit assets (script chunks, styles,
fonts) as for ours: in the sidebar a language radio, a reach radio, a number input, a toggle,
captions and six pages; in the page an st.html script, five bordered cards (markdown, metric,
caption), the map, a popover holding three selectboxes and a download button, and a 38-row table
in st.html. Fixed numbers, nothing computed. What ours takes beyond this page is our
work (the package's figures, the map's data and drawing), not Streamlit's.
"""
import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from bare_app import bare_map  # the same map, beside it in the folder benchmarks/app.py runs it from


def overview() -> None:
    st.html("<script>window.__bareSame = true;</script>", unsafe_allow_javascript=True)
    st.subheader("Targets")
    for col, n in zip(st.columns(5), range(5)):
        with col, st.container(border=True):
            st.markdown(f"**Indicator {n + 1}**")
            st.metric(f"Indicator {n + 1}", f"{20 + 13 * n},5%", label_visibility="collapsed")
            st.caption(f"{7 + n} / 38")
            st.markdown("2025 target 30% — :red[4 more communes]")
    st.subheader("Map")
    st_folium(bare_map(), height=560, use_container_width=True, returned_objects=[], key="bare-map")
    with st.popover("Print", icon=":material/print:"):
        st.markdown("**Print** — overview")
        st.selectbox("Paper", ["A4", "A3"], key="paper")
        st.selectbox("Orientation", ["landscape", "portrait"], key="orientation")
        st.selectbox("Format", ["PDF", "PNG"], key="format")
        st.download_button("Download", data=b"%PDF-", file_name="map.pdf", mime="application/pdf",
                           icon=":material/print:", on_click="ignore")
    st.subheader("Communes")
    rng = np.random.default_rng(0)
    table = pd.DataFrame({f"col {k}": rng.integers(0, 40_000, 38) for k in range(11)} | {"name": [f"Xã {i}" for i in range(38)]})
    st.html(table.style.format({f"col {k}": "{:,}" for k in range(11)}).hide(axis="index").to_html())

st.set_page_config(page_title="bare, same elements", layout="wide")
with st.sidebar:
    st.radio("Language", ["vi", "en"], key="lang", horizontal=True)
    st.radio("Reach", ["straight line", "walking"], key="mode", horizontal=True)
    st.number_input("Radius (m)", min_value=100, max_value=20_000, value=2000, step=100, key="radius")
    st.toggle("Basemap", key="basemap", value=False)
    st.caption("Data: bare page (fixed numbers)")
pages = st.navigation([st.Page(overview, title="Overview", default=True)] +
                      [st.Page(lambda name=name: st.write(name), title=name, url_path=name.lower())
                       for name in ("Priorities", "Sites", "Scenarios", "Progress", "Data")])
pages.run()
