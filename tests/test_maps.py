"""The map references only the app's own assets and carries every layer and a legend."""
import re

from planner.maps import overview_map
from planner.summary import summarize


def test_map_is_offline_and_complete(demo):
    s = summarize(demo, radius_m=2000)
    html = overview_map(demo, s, lang="vi", assets_url="/app/static/leaflet").get_root().render()
    links = set(re.findall(r'(?:src|href)="([^"]+)"', html))
    assert links == {"/app/static/leaflet/leaflet.js", "/app/static/leaflet/leaflet.css"}
    assert "https://" not in html.replace("https://leafletjs.com", "").replace("https://openstreetmap", "")
    (shapes,) = _shapes(html)
    assert len(shapes["shapes"]["features"]) == 38 and shapes["clickable"] is True  # one feature per commune
    (figures,) = _figures(html)
    assert len(figures["rows"]) == len(figures["fill"]) == 38
    assert [len(d["rows"]) for d in _point_layers(html)] == [1062, 639, 19, 859]  # villages, schools, points, toilets
    for label in ("Chú giải", "Có điểm vui chơi/văn hóa", "Trường chưa có vệ sinh đạt chuẩn", "Thôn, bản (trẻ em)"):
        assert label in html
    assert len(html.encode()) < 300_000  # was 760 KB with folium's GeoJSON and a style per feature


def test_basemap_only_when_asked(demo):
    s = summarize(demo, radius_m=2000)
    assert "tile.openstreetmap.org" not in overview_map(demo, s).get_root().render()
    assert "tile.openstreetmap.org" in overview_map(demo, s, basemap=True).get_root().render()


def test_english_legend_and_escaping(demo):
    s = summarize(demo, radius_m=2000)
    html = overview_map(demo, s, lang="en").get_root().render()
    assert "Has a play/culture point" in html and "Legend" in html


def test_names_are_shown_as_text_not_html(demo):
    import dataclasses

    bad = "<img src=x onerror=alert(1)>"
    communes = demo.communes.copy()
    communes.loc[0, "name"] = bad
    villages = demo.villages.copy()
    villages.loc[0, "name"] = bad
    pkg = dataclasses.replace(demo, communes=communes, villages=villages)
    s = summarize(pkg, radius_m=2000)
    out = overview_map(pkg, s).get_root().render()
    assert bad not in out and "lt;img src=x onerror=alert(1)" in out  # escaped (JSON writes & as \\u0026)
    from planner.maps import compare_map, priority_map
    from planner.ranking import rank
    from planner.scenarios import Scenario

    assert bad not in priority_map(pkg, rank(pkg, radius_m=2000).table).get_root().render()
    assert bad not in compare_map(pkg, [Scenario(name=bad)]).get_root().render()


# --- what a person reads on the map ---------------------------------------------------------------
import json  # noqa: E402

ENGLISH = ("Yes", "No", "Name", "Code", "Kind", "Commune", "Ward", "Township", "Children", "within", "Share",
           "Points", "School", "schools", "Standard", "toilet", "Legend", "Population", "Status", "Level", "Proposed",
           "Chosen", "Candidate", "True", "False", "nan", "None", "null", "undefined")


def _geojson_layers(html: str) -> dict[str, dict]:
    """Each GeoJson layer's data, by its variable name, as the browser reads it."""
    dec, out = json.JSONDecoder(), {}
    for m in re.finditer(r"(geo_json_\w+)_add\(", html):
        out[m[1]] = dec.raw_decode(html, m.end())[0]
    return out


def _details(html: str) -> list[tuple[str, list[str], list[str]]]:
    """(layer, fields, aliases) of every GeoJson tooltip and popup; no aliases when it shows none."""
    found = re.finditer(r"(geo_json_\w+)\.bind(?:Tooltip|Popup)\(\s*function\(layer\)\{.*?let fields = (\[.*?\]);\s*"
                        r"let aliases = (\[.*?\]);(.*?)return div", html, flags=re.S)
    return [(m[1], json.loads(m[2]), json.loads(m[3]) if "<th>" in m[4] else [""] * len(json.loads(m[2]))) for m in found]


def _json_after(html: str, pattern: str) -> list:
    dec = json.JSONDecoder()
    return [dec.raw_decode(html, m.end())[0] for m in re.finditer(pattern, html)]


def _point_layers(html: str) -> list[dict]:
    """The data of every compact point layer (planner.maps.elements.PointLayer), in map order."""
    return _json_after(html, r"\}\)\(point_layer_\w+, ")


def _shapes(html: str) -> list[dict]:
    return _json_after(html, r"\)\((?=\{\"shapes\")")


def _figures(html: str) -> list[dict]:
    return _json_after(html, r"setFigures\(")


def shown_text(html: str) -> list[str]:
    """Every text the map shows: tooltip and popup rows (labels and values), marker tooltips, the
    commune names, the layer control and the legend."""
    layers, texts = _geojson_layers(html), []
    for layer, fields, aliases in _details(html):
        texts += aliases
        for f in layers[layer]["features"]:
            texts += [str(f["properties"][k]) for k in fields]
    for d in _point_layers(html):
        texts += d["head"] + [str(v) for row in d["rows"] for v in row[4:]]
    for f in _figures(html):
        texts += f["head"] + [str(v) for row in f["rows"] for v in row]
    for extra in _json_after(html, r"\.setExtra\("):
        texts += [extra["head"], *extra["values"]] if extra else []
    texts += [json.loads(f'"{s}"') for s in re.findall(r'\.bindTooltip\(\s*`<div>\s*(.*?)\s*</div>`', html, flags=re.S)]
    texts += [json.loads(f'"{s}"') for s in re.findall(r'"html": "(.*?)",\n', html)]
    texts += [json.loads(f'"{s}"') for s in re.findall(r'^\s*"((?:[^"\\]|\\.)*)" : [a-z_]+_[0-9a-f]+,$', html, flags=re.M)]
    texts += re.findall(r'<div id="planner-legend".*?</div></div>', html, flags=re.S)
    return [re.sub(r"<[^>]+>", " ", t) for t in texts]


def _no_english(texts: list[str]) -> None:
    joined = "\n".join(texts)
    for word in ENGLISH:
        assert not re.search(rf"\b{word}\b", joined, flags=re.I), (word, [t for t in texts if re.search(rf"\b{word}\b", t, re.I)][:3])
    assert not re.search(r"\b\d+\.\d{1,2}\b(?!\.\d)", joined), re.findall(r".{20}\b\d+\.\d{1,2}\b(?!\.\d).{10}", joined)[:3]


def _commune_row(html: str, code: str) -> dict[str, str]:
    """The hover tooltip of one commune: its rows as label -> value."""
    from planner.maps import POPUP_FIELDS

    (fig,) = _figures(html)
    rows = [r for r in fig["rows"] if r[POPUP_FIELDS.index("code")] == code]
    if not rows:
        raise AssertionError(f"no commune tooltip for {code}")
    return {fig["head"][i]: str(rows[0][i]) for i in fig["tip"]}


def test_scale_bar_in_kilometres_only(demo):
    s = summarize(demo, radius_m=2000)
    from planner.maps import compare_map, priority_map
    from planner.ranking import rank

    for m in (overview_map(demo, s), priority_map(demo, rank(demo, radius_m=2000).table), compare_map(demo, [])):
        html = m.get_root().render()
        assert re.search(r'L\.control\.scale\(\{"imperial": false, "metric": true[^}]*\}\)\.addTo\(map\)', html)
        assert r'"zoom_in": "Ph\u00f3ng to"' in html  # the controls speak Vietnamese (JSON escapes the accents)
        assert "L.control.scale()" not in html and html.count("L.control.scale(") == 1


def test_no_script_or_style_from_the_internet(demo):
    s = summarize(demo, radius_m=2000)
    from planner.maps import priority_map
    from planner.ranking import rank

    for html in (overview_map(demo, s).get_root().render(), priority_map(demo, rank(demo, radius_m=2000).table).get_root().render()):
        assert not re.search(r'<(?:script|link)[^>]*(?:src|href)="(?:https?:)?//', html)
        assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", html)
        assert not re.search(r"https?://[^\"' ]*\.(?:js|css)\b", html)


def test_commune_names_shown_from_zoom_10_and_never_take_a_click(demo):
    from planner.maps import LABELS_MIN_ZOOM, LABELS_PANE

    html = overview_map(demo, summarize(demo, radius_m=2000)).get_root().render()
    labels = [json.loads(f'"{s}"') for s in re.findall(r'"html": "(\\u003cspan\\u003e.*?)",\n', html)]
    assert sorted(labels) == sorted(f"<span>{n}</span>" for n in demo.communes["name"]) and len(labels) == 38
    markers = re.findall(r'L\.marker\(\s*\[[^\]]*\],\s*\{\s*"pane": "planner-labels",\s*"interactive": false,', html)
    assert len(markers) == 38 and LABELS_PANE == "planner-labels" and LABELS_MIN_ZOOM == 10
    assert re.search(r'createPane\(\s*"planner-labels"\);\s*\w+\.style\.zIndex = 640;\s*\w+\.style\.pointerEvents = \'none\';', html)
    assert 'map.getZoom() >= 10 ? "" : "none"' in html and 'map.on("zoomend", toggle)' in html
    assert ".planner-label span{" in html and "pointer-events:none" in html
    assert '"T\\u00ean x\\u00e3, ph\\u01b0\\u1eddng" : feature_group_' in html  # "Tên xã, phường" in the layer control


def test_toilet_blocks_layer_and_legend(demo):
    from planner.maps import COLOURS, toilets_layer

    html = overview_map(demo, summarize(demo, radius_m=2000)).get_root().render()
    toilets = [d for d in _point_layers(html) if d["key"] == "color"]  # rings: the outline takes the colour
    assert len(toilets) == 1 and len(toilets[0]["rows"]) == len(demo.toilets) == 859
    (layer,) = toilets
    assert layer["head"] == ["Mã công trình", "Thuộc cơ sở", "Đạt chuẩn"] and layer["style"]["fill"] is False
    rows = layer["rows"]
    assert {r[6] for r in rows} == {"Có", "Không"}
    school = demo.schools.set_index("id").loc[demo.toilets["facility_id"].iloc[0], "name"]
    assert rows[0][5] == school and rows[0][4] == demo.toilets["id"].iloc[0]
    where = demo.toilets.geometry.iloc[0]
    assert abs(rows[0][0] - where.y) <= 5.01e-6 and abs(rows[0][1] - where.x) <= 5.01e-6  # to about 1 m
    assert rows[0][0] != where.y and len(str(rows[0][0]).split(".")[1]) <= 5
    n_ok = int(demo.toilets["standard"].sum())
    assert sum(r[6] == "Có" for r in rows) == n_ok == 607
    # standard and not standard in two colours
    assert all(layer["colours"][r[3]] == (COLOURS["toilet_ok"] if r[6] == "Có" else COLOURS["toilet_missing"]) for r in rows)
    assert '"C\\u00f4ng tr\\u00ecnh v\\u1ec7 sinh" : point_layer_' in html  # "Công trình vệ sinh" in the layer control
    legend = re.search(r'<div id="planner-legend".*?</div></div>', html, flags=re.S)[0]
    assert "Công trình vệ sinh đạt chuẩn" in legend and "Công trình vệ sinh chưa đạt chuẩn" in legend
    assert f"border:2.5px solid {COLOURS['toilet_ok']}" in legend and f"border:2.5px solid {COLOURS['toilet_missing']}" in legend
    assert toilets_layer(demo).show is False  # off until the reader turns it on
    import dataclasses

    assert toilets_layer(dataclasses.replace(demo, toilets=None)) is None
    assert "Công trình vệ sinh đạt chuẩn" not in overview_map(dataclasses.replace(demo, toilets=None), summarize(demo, radius_m=2000)).get_root().render()


def test_chosen_sites_and_standard_toilet_schools_differ(demo):
    from planner.maps import CANDIDATE_COLOUR, CHOSEN_COLOUR, COLOURS, PROPOSAL_COLOUR, overview_base

    points = [CHOSEN_COLOUR, PROPOSAL_COLOUR, CANDIDATE_COLOUR, COLOURS["toilet_ok"], COLOURS["toilet_missing"],
              COLOURS["existing"], COLOURS["under_construction"], COLOURS["village"]]
    assert len({c.lower() for c in points}) == len(points)
    html = overview_base(demo, with_proposals=True).get_root().render()
    legend = re.search(r'<div id="planner-legend".*?</div></div>', html, flags=re.S)[0]
    for colour, label in ((CHOSEN_COLOUR, "Các địa điểm được chọn"), (COLOURS["toilet_ok"], "Trường có vệ sinh đạt chuẩn"),
                          (PROPOSAL_COLOUR, "Điểm đề xuất")):
        assert re.search(rf"background:{colour};[^>]*></span>{label}<", legend), label


def test_commune_tooltip_in_vietnamese_numbers(demo):
    s = summarize(demo, radius_m=2000)
    row = s.communes.loc["03388"]  # Phường Đoàn Kết: figures checked by hand from the summary
    assert (row["children"], row["children_within"], row["points"], row["schools_toilet"], row["schools"]) == (10262, 4534, 3, 15, 15)
    assert round(4534 / 10262, 4) == 0.4418
    from planner.maps import overview_base, reach_layers
    from ui.mapview import render_layers

    tip = _commune_row(overview_map(demo, s).get_root().render(), "03388")
    assert tip == _commune_row(render_layers(reach_layers(demo, s))[0], "03388")  # what a new radius sends
    assert tip == {
        "Tên": "Phường Đoàn Kết",
        "Loại": "Phường",
        "Trẻ em (&lt;16)": "10.262",
        "Trẻ em trong bán kính 2.000 m (tỷ lệ)": "4.534 (44,2%)",
        "Số điểm hiện có": "3",
        "Điểm trường có vệ sinh đạt chuẩn / tổng số": "15/15",
    }
    # a popup on click on the Overview; hover only where a click proposes a point (Sites)
    assert _shapes(overview_base(demo).get_root().render())[0]["clickable"] is True
    assert _shapes(overview_base(demo, clickable=False).get_root().render())[0]["clickable"] is False
    en = _commune_row(overview_map(demo, s, lang="en").get_root().render(), "03388")
    assert en == {"Name": "Phường Đoàn Kết", "Kind": "Ward", "Children (&lt;16)": "10,262",
                  "Children within 2,000 m (share)": "4,534 (44.2%)", "Existing points": "3",
                  "School sites with standard toilet / all": "15/15"}


def test_no_english_and_no_raw_numbers_on_the_vietnamese_maps(demo):
    import geopandas as gpd
    from shapely.geometry import Point

    from planner.maps import compare_map, overview_base, priority_map, proposals_layer, reach_layers
    from planner.proposals import Proposal, proposals_frame
    from planner.ranking import rank
    from planner.scenarios import Scenario

    s = summarize(demo, radius_m=2000)
    cands = demo.candidate_sites.rename(columns={"est_cost_vnd": "cost_vnd"})
    m = overview_base(demo, with_proposals=True, candidates=cands)
    for g in reach_layers(demo, s):
        g.add_to(m)
    p = Proposal("N001", 103.36, 22.75, "03388", cost_vnd=1_250_000_000)
    chosen = gpd.GeoDataFrame({"id": ["C1"], "cost_vnd": [2_500_000_000]}, geometry=[Point(103.4, 22.4)], crs=4326)
    proposals_layer(proposals_frame([p]), radius_m=2000, chosen=chosen).add_to(m)
    pages = [overview_map(demo, s).get_root().render(), m.get_root().render(),
             priority_map(demo, rank(demo, radius_m=2000).table).get_root().render(),
             compare_map(demo, [Scenario(name="Kịch bản A", proposals=(p,))]).get_root().render()]
    texts = [t for html in pages for t in shown_text(html)]
    assert len(texts) > 5000
    assert "Đề xuất N001: 1.250.000.000 ₫" in " ".join(texts) or any("N001: 1.250.000.000 ₫" in t for t in texts)
    assert any("C1: 2.500.000.000 ₫" in t for t in texts)
    assert not any("Thị trấn" in t or "thị trấn" in t for t in texts)  # after 1 July 2025: xã and phường only
    _no_english(texts)
    # and every figure is written the Vietnamese way
    tips = [t for html in pages[:1] for t in shown_text(html)]
    assert "44,2%" in " ".join(tips) and "10.262" in tips


def test_legacy_township_kind_is_shown_as_such(demo):
    import dataclasses

    from planner.maps import kind_label

    assert (kind_label("xã", "vi"), kind_label("phường", "vi"), kind_label("thị trấn", "vi")) == ("Xã", "Phường", "Thị trấn")
    assert (kind_label("xã", "en"), kind_label("phường", "en"), kind_label("thị trấn", "en")) == ("Commune", "Ward", "Township")
    communes = demo.communes.copy()
    communes.loc[communes["code"] == "03388", "kind"] = "thị trấn"  # a user's pre-2025 file
    old = dataclasses.replace(demo, communes=communes)
    assert _commune_row(overview_map(old, summarize(old, radius_m=2000)).get_root().render(), "03388")["Loại"] == "Thị trấn"


# --- walking mode: catchments instead of circles ---------------------------------------------------
import pytest  # noqa: E402


@pytest.fixture(scope="module")
def walking(tmp_path_factory):
    """A package with terrain (the demo on synthetic hills) under a 30-minute walk."""
    from planner.analysis import Analysis
    from planner.io import read_package
    from planner.reach import ReachRule
    from tests.test_isochrones import write_terrain_package

    package = read_package(write_terrain_package(tmp_path_factory.mktemp("walk") / "pkg"))
    return Analysis.of(package, reach=ReachRule(mode="walk", minutes=30))


def _children(group, kind):
    return [c for c in group._children.values() if isinstance(c, kind)]


def test_walk_mode_draws_catchments_bands_surface_and_village_times(walking):
    import dataclasses

    import folium
    import numpy as np

    from planner.maps import COLOURS, overview_base, reach_layers, walk_base_layers
    from planner.summary import existing_points
    from ui.mapview import render_layers

    an = walking
    groups = reach_layers(an.package, an.summary, analysis=an)
    assert not groups[0].control  # the communes' figures and the villages' walks: set on the base's layers
    assert [g.layer_name for g in groups[1:]] == ["Vùng đi bộ 30 phút"] and groups[1].show
    base = walk_base_layers(an.package, an.measure)  # the same at any minutes: they go with the base map
    assert [g.layer_name for g in base] == ["Vùng đi bộ 15/30/60 phút", "Thời gian đi bộ (bề mặt)"]
    assert [g.show for g in base] == [False, False]
    assert not any(_children(g, folium.Circle) for g in groups)  # no straight-line circle in walking mode
    reach = _geojson_layers(render_layers(groups[1:2])[0])
    (features,) = [d["features"] for d in reach.values()]
    assert len(features) == len(existing_points(an.package))
    assert {f["geometry"]["type"] for f in features} <= {"Polygon", "MultiPolygon"}
    assert COLOURS["reach"] in render_layers(groups[1:2])[0] and '"interactive": false' in render_layers(groups[1:2])[0]
    (bands,) = [d["features"] for d in _geojson_layers(render_layers(base[:1])[0]).values()]
    assert len(bands) == 3
    (image,) = _children(base[1], folium.raster_layers.ImageOverlay)
    assert image.url.startswith("data:image/png;base64,")  # no file, no network
    js = render_layers(base)[0]
    for words in ("0–15 phút", "15–30 phút", "30–60 phút", "60–120 phút", "Thời gian đi bộ đến điểm gần nhất"):
        assert json.dumps(words)[1:-1] in js, words  # the legends
    # the villages: walking time to the nearest point in the tooltip, the Vietnamese way
    cost = np.array(an.summary.village_cost, dtype=float)
    cost[:3] = [12.4, 1234.0, np.inf]
    s = dataclasses.replace(an.summary, village_cost=cost)
    html = render_layers(reach_layers(an.package, s, analysis=an)[:1])[0]
    (extra,) = _json_after(html, r"\.setExtra\(")
    walks = extra["values"]
    assert len(walks) == len(an.package.villages)
    assert walks[:3] == ["12 phút", "không đi bộ tới được trong 120 phút", "không đi bộ tới được trong 120 phút"]
    assert all(re.fullmatch(r"\d{1,3} phút|không đi bộ tới được trong 120 phút", w) for w in walks[3:])
    assert sum(w == f"{round(c)} phút" for w, c in zip(walks[3:], cost[3:]) if np.isfinite(c)) == sum(cost[3:] <= 120) > 100
    assert extra["head"] == "Thời gian đi bộ đến điểm gần nhất"
    assert "window.plannerPoints[\"villages\"].setExtra(null)" in render_layers(reach_layers(an.package, summarize(an.package, radius_m=2000))[:1])[0]
    (villages,) = [d for d in _point_layers(overview_base(an.package).get_root().render()) if d["publish"] == "villages"]
    assert len(villages["rows"]) == len(an.package.villages)


def test_walk_mode_full_map_keeps_optional_layers_off(walking):
    an = walking
    html = overview_map(an.package, an.summary, analysis=an).get_root().render()
    adds = set(re.findall(r"(feature_group_\w+)\.addTo\(", html))
    names = dict(re.findall(r'^\s*"((?:[^"\\]|\\.)*)" : (feature_group_\w+),$', html, flags=re.M))
    shown = {json.loads(f'"{k}"'): v in adds for k, v in names.items()}
    assert shown["Vùng đi bộ 30 phút"] and "Thôn, bản (thời gian đi bộ)" not in shown  # the walks are on the villages
    assert not shown["Vùng đi bộ 15/30/60 phút"] and not shown["Thời gian đi bộ (bề mặt)"]
    assert "Thời gian đi bộ đến điểm gần nhất" in " ".join(shown_text(html))  # the villages' tooltip row
    assert "Trẻ em trong 30 phút đi bộ (tỷ lệ)" in " ".join(shown_text(html))
    _no_english([t for t in shown_text(html) if "Leaflet" not in t])
    assert len(html) < 1_600_000


def test_walk_mode_proposals_and_chosen_sites_as_catchments(walking):
    import folium
    import geopandas as gpd
    from shapely.geometry import Point

    from planner.maps import CHOSEN_COLOUR, PROPOSAL_COLOUR, proposals_layer
    from planner.proposals import propose_at, proposals_frame
    from planner.reach import ReachRule
    from ui.mapview import render_layers

    an = walking
    p = propose_at(an.package, 103.36, 22.7547)
    chosen = gpd.GeoDataFrame({"id": ["C1", "C2"], "cost_vnd": [2_500_000_000, 1]},
                              geometry=[Point(103.4, 22.4), Point(103.2, 22.3)], crs=4326)
    fg = proposals_layer(proposals_frame([p]), radius_m=2000, chosen=chosen, analysis=an,
                         chosen_rule=ReachRule(mode="walk", minutes=60))
    assert not _children(fg, folium.Circle) and len(_children(fg, folium.CircleMarker)) == 3
    js = render_layers([fg])[0]
    layers = list(_geojson_layers(js).values())
    assert [len(d["features"]) for d in layers] == [2, 1]  # the chosen sites' catchments, then the proposal's
    assert f'"color": "{PROPOSAL_COLOUR}", "dashArray": "6 4"' in js and f'"color": "{CHOSEN_COLOUR}"' in js
    sixty = layers[0]["features"][0]["geometry"]
    thirty = proposals_layer(proposals_frame([]), radius_m=2000, chosen=chosen.iloc[:1], analysis=an)  # the rule's 30 min
    (small,) = [d["features"][0]["geometry"] for d in _geojson_layers(render_layers([thirty])[0]).values()]
    from shapely.geometry import shape

    assert shape(sixty).area > shape(small).area
    # straight-line chosen sites on a walking page keep their circles
    fg = proposals_layer(proposals_frame([p]), radius_m=2000, chosen=chosen, chosen_radius_m=3000, analysis=an,
                         chosen_rule=ReachRule(radius_m=3000))
    assert [c.options["radius"] for c in _children(fg, folium.Circle)] == [3000, 3000]


def test_catchment_circles_take_no_mouse_and_tiles_stay_out_of_the_layer_control(demo):
    """A reach circle over a play point must not hide the point's tooltip (folium drops
    `interactive` from circles: it is put back); basemap tiles are switched in the sidebar, so
    the layer control never lists an 'openstreetmap' in the Vietnamese interface."""
    from planner.maps import compare_map, overview_base, proposals_layer, reach_layers
    from planner.proposals import propose_at, proposals_frame
    from ui.mapview import render_layers

    s = summarize(demo, radius_m=2000)
    circles = render_layers(reach_layers(demo, s)).js
    assert circles.count("L.circle(") == 17 and circles.count('"interactive": false') == 17
    p = propose_at(demo, 103.36, 22.7547)
    proposed = render_layers([proposals_layer(proposals_frame([p]), radius_m=2000)]).js
    assert proposed.count("L.circle(") == 1 and '"interactive": false' in proposed
    for html in (compare_map(demo, [], basemap=True).get_root().render(), overview_map(demo, s, basemap=True).get_root().render()):
        assert "tile.openstreetmap.org" in html and '"openstreetmap"' not in html.lower().replace('"openstreetmap" :', "")
        assert not re.search(r'"openstreetmap"\s*:', html, flags=re.I)
    # where a click proposes a point, a double click does not zoom; words of the popup's close button
    assert '"doubleClickZoom": false' in overview_base(demo, clickable=False).get_root().render()
    html = overview_base(demo).get_root().render()
    assert '"doubleClickZoom": false' not in html and '"close": "\\u0110\\u00f3ng"' in html
