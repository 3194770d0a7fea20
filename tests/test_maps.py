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
