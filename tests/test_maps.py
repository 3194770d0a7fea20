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
    assert html.count('"code": "0') >= 38  # one feature per commune
    for label in ("Chú giải", "Có điểm vui chơi/văn hóa", "Trường chưa có vệ sinh đạt chuẩn", "Thôn, bản (trẻ em)"):
        assert label in html
    assert len(html) < 1_000_000


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
