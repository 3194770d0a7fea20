"""The cached map rendering sends the component what st_folium would, and renders a base once."""
import re
from unittest import mock

import pytest
import streamlit_folium as sf

from planner.maps import overview_base, proposals_layer, reach_layers
from planner.proposals import proposals_frame
from planner.summary import summarize
from ui import mapview


@pytest.fixture()
def recorded():
    calls = []
    with mock.patch.object(sf, "_component_func", lambda **kw: calls.append(kw) or kw.get("default")):
        yield calls


def test_same_arguments_as_st_folium(demo, recorded):
    s = summarize(demo, radius_m=2000)
    sf.st_folium(overview_base(demo, assets_url="/a"), feature_group_to_add=reach_layers(demo, s), height=560,
                 width=None, returned_objects=None, key="k")
    ours = mapview.render_base(overview_base(demo, assets_url="/a"), widget_key="k")
    theirs = recorded[0]
    for name in ("header", "html", "id", "css_links", "js_links"):
        assert ours.args[name] == theirs[name], name
    published = re.search(r"\nwindow\.plannerControl = layer_control_div_\d+;", ours.args["script"])[0]
    assert ours.args["script"].replace(published, "", 1) == theirs["script"] + mapview._CLICK_LOG  # plus the click log
    assert ours.args["default"]["bounds"] == theirs["default"]["bounds"]
    layers, entries, count = mapview.render_layers(reach_layers(demo, s))
    assert layers == theirs["feature_group"] and count == 2
    assert entries == [("feature_group_feature_group_1", "Vùng trong bán kính")]  # the figures group is not listed
    joined = mapview.join_control(entries)
    assert joined.count("c.addOverlay") == 1 and '"V\\u00f9ng trong b\\u00e1n k\\u00ednh"' in joined
    assert ours.args["js_links"] == ["/a/leaflet.js"] and ours.args["css_links"] == ["/a/leaflet.css"]


def test_base_and_layers_rendered_once_per_key(demo, recorded):
    builds, makes = [], []

    def build():
        builds.append(1)
        return overview_base(demo, assets_url="/a")

    def layers(radius):
        def make():
            makes.append(radius)
            return reach_layers(demo, summarize(demo, radius_m=radius))
        return [(("reach", radius), make), (None, lambda: [proposals_layer(proposals_frame([]), radius_m=radius)])]

    mapview._cached_base.clear()
    mapview._cached_layers.clear()
    for radius in (2000, 5000, 2000):
        mapview.show_map(("t",), build, layers=layers(radius), widget_key="m")
    assert builds == [1] and makes == [2000, 5000]  # the 2,000 m layers came from the cache
    assert len({c["key"] for c in recorded}) == 1  # same component instance: the browser swaps layers, keeps the map
    assert [c["feature_group"].count('"radius": 5000') for c in recorded] == [0, 17, 0]
    assert [c["feature_group"].count("feature_group_feature_group_2") > 0 for c in recorded] == [True] * 3
    assert [c["feature_group"].count("var feature_group_feature_group_1 ") for c in recorded] == [1] * 3  # numbered apart
    assert recorded[0]["feature_group"] == recorded[2]["feature_group"]
    mapview.show_map(("t", "other"), build, widget_key="m")
    assert len(builds) == 2 and recorded[-1]["feature_group"] is None


def test_proposals_layer_joins_the_control(demo):
    from planner.proposals import propose_at

    p = propose_at(demo, 103.36, 22.7547, existing=())
    js, entries, _ = mapview.render_layers([proposals_layer(proposals_frame([p]), radius_m=2000)], first=2)
    assert "feature_group_feature_group_2" in js and entries == [("feature_group_feature_group_2", "Các điểm đề xuất")]


def test_leaflet_url_follows_the_base_path():
    from streamlit.testing.v1 import AppTest

    def script():
        import streamlit as st

        from ui.state import map_assets

        st.write(map_assets())

    at = AppTest.from_function(script).run()
    assert at.markdown[0].value == "/app/static/leaflet"
    from streamlit import config

    config.set_option("server.baseUrlPath", "/quyhoach/")
    try:
        at = AppTest.from_function(script).run()
        assert at.markdown[0].value == "/quyhoach/app/static/leaflet"
    finally:
        config.set_option("server.baseUrlPath", "")


def test_new_clicks_counts_every_click_once(monkeypatch):
    """Quick clicks reported together are all new; a report seen before is not; a map drawn afresh
    (another identity) counts from 1 again."""
    import streamlit as st

    state = {}
    monkeypatch.setattr(st, "session_state", state)

    def report(map_id, *clicks):
        return {"last_clicked": {"lat": clicks[-1][1], "lng": clicks[-1][2], "map": map_id, "clicks": [list(c) for c in clicks]}}

    one = report("a", (1, 22.1, 103.1))
    assert mapview.new_clicks(one, key="k") == [(22.1, 103.1)]
    assert mapview.new_clicks(one, key="k") == []  # the same report on the next run
    both = report("a", (1, 22.1, 103.1), (2, 22.2, 103.2), (3, 22.2, 103.2))  # a second click on the same spot counts
    assert mapview.new_clicks(both, key="k") == [(22.2, 103.2), (22.2, 103.2)]
    assert mapview.new_clicks(report("b", (1, 22.5, 103.5)), key="k") == [(22.5, 103.5)]
    assert mapview.new_clicks(None, key="k") == [] and mapview.new_clicks({"last_clicked": None}, key="k") == []


def test_a_group_made_hidden_starts_off_the_map():
    import folium

    shown, hidden = folium.FeatureGroup(name="a"), folium.FeatureGroup(name="b", show=False)
    js, entries, _ = mapview.render_layers([shown, hidden], first=1)
    assert [label for _, label in entries] == ["a", "b"]  # both in the layer control
    assert "map_div.removeLayer(feature_group_feature_group_2);" in js  # streamlit-folium adds every group: b goes again
    assert "removeLayer(feature_group_feature_group_1)" not in js
    assert js.index("map_div.addLayer(feature_group_feature_group_2)") < js.index("map_div.removeLayer(feature_group_feature_group_2)")


def test_the_base_travels_as_a_static_file_and_a_new_radius_sends_only_layers(demo, recorded):
    """The component gets a one-line loader and the script's URL under ./static/maps (the file holds
    the whole base); between two radii only the feature groups differ, a few KiB of them."""
    from ui.state import STATIC_DIR

    mapview._cached_base.clear()
    mapview._cached_layers.clear()
    base = mapview.render_base(overview_base(demo, assets_url="/a"), widget_key="m")
    for radius in (2000, 3500):
        mapview.show_map(("static-test",), lambda: overview_base(demo, assets_url="/a"), widget_key="m",
                         layers=[(("reach", radius), lambda r=radius: reach_layers(demo, summarize(demo, radius_m=r)))])
    first, second = recorded
    url = first["js_links"][-1]
    assert first["js_links"][:-1] == ["/a/leaflet.js"] and re.fullmatch(r"/app/static/maps/[0-9a-f]{32}\.js", url)
    path = STATIC_DIR / "maps" / url.rsplit("/", 1)[1]
    text = path.read_text(encoding="utf-8")
    assert path.stat().st_mode & 0o777 == 0o644  # a public asset, readable by whoever serves ./static
    assert text == base.file_text and base.args["script"] in text and text.rstrip().endswith("return map_div;\n};")
    name = re.search(r'window\.plannerMaps\["([0-9a-f]{32})"\]=function', text)[1]
    assert first["script"] == base.loader == f'var map_div = window.plannerMaps["{name}"]();\n'
    sizes = {k: len(str(v).encode()) for k, v in first.items() if k not in ("feature_group", "on_change")}
    assert sum(sizes.values()) < 8 * 1024, sizes  # was 723 KB of script
    assert {k for k in first if first[k] != second[k]} == {"feature_group", "on_change"}
    assert len(second["feature_group"].encode()) < 20 * 1024
    assert "Polygon" not in second["feature_group"]  # the communes are not sent again, only their figures


def test_layers_outside_the_layer_control_still_travel(demo, recorded):
    """The Priorities map's only layers (its scores, the basemap) are not in the layer control:
    they must reach the browser all the same (they did not, once)."""
    from planner.maps import basemap_layer, priority_base, priority_layers
    from planner.ranking import rank

    mapview._cached_base.clear()
    mapview._cached_layers.clear()
    table = rank(demo, radius_m=2000).table
    for basemap in (False, True):
        mapview.show_map(("prio-test",), lambda: priority_base(demo, assets_url="/a"), widget_key="p",
                         layers=[(("basemap", basemap), lambda b=basemap: [basemap_layer()] if b else []),
                                 (("scores",), lambda: priority_layers(demo, table))])
    plain, tiles = recorded
    assert "setFigures(" in plain["feature_group"] and "tile.openstreetmap.org" not in plain["feature_group"]
    assert "setFigures(" in tiles["feature_group"] and "tile.openstreetmap.org" in tiles["feature_group"]
    assert "window.plannerOverlays=[]" in plain["feature_group"]  # nothing listed: the control is emptied of old entries


def test_flash_messages_survive_a_run_cut_short_by_another_action(monkeypatch):
    """Two quick clicks on the Sites map: the first run shows 'N001 added' and is rerun at once by
    the second click, which adds 'N002 added'; the run after shows both."""
    import streamlit as st

    from ui import state as ui_state

    session, shown = {}, []
    monkeypatch.setattr(st, "session_state", session)
    monkeypatch.setattr(st, "success", lambda text: shown.append(text), raising=False)

    def run():
        session["run_number"] = session.get("run_number", 0) + 1
        shown.clear()
        ui_state.show_flash()
        return list(shown)

    ui_state.flash("N001 added")
    assert run() == ["N001 added"]
    ui_state.flash("N002 added")  # the same run: another click, then st.rerun()
    assert run() == ["N001 added", "N002 added"]
    assert run() == []  # read, gone
    ui_state.flash("N003 added")
    assert run() == ["N003 added"]
    run()
    ui_state.flash("N004 added")  # a later run that showed nothing carries nothing old
    assert run() == ["N004 added"]
