"""The terrain import (planner/terrain_import.py, planner/network.py, `python -m planner
import-terrain`): hostile DEM files refused in the bounded worker by their message keys with nothing
written, the path network and rivers classified with every left-out value counted, the package's
new layers checked on reading, and the command end to end on the demo package (read-only).

Coordinates are in EPSG:32648 around the tiny package (tests/conftest.py: four 10 km squares from
(300 000, 2 450 000) to (340 000, 2 460 000)); OSM files are written as .osm XML, which GDAL's OSM
driver reads exactly as it reads .osm.pbf (the same driver, layers and osmconf.ini).
"""
import hashlib
import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from pyproj import Transformer
from rasterio.io import MemoryFile
from rasterio.transform import from_origin
from shapely.geometry import LineString, Point, Polygon, box

from planner.cli import main
from planner.contracts import ELEVATION, LAYER_BY_NAME
from planner.errors import DataPackageError
from planner.io import DEMO_DIR, read_package, write_package
from planner.network import read_network
from planner.terrain import Upload
from planner.terrain_import import prepare_terrain, report_rows, write_terrain
from planner.validate import check_layer
from tests.conftest import tiny_layers
from tests.test_terrain import claiming_10_gb, decompression_bomb, geotiff, hgt, ramp

UTM = "EPSG:32648"
MARGIN = 2_950.0
TO_LONLAT = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True)
pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # rasterio's own use of affine's `*`


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return read_package(write_package(tiny_layers(), {"name": "tiny", "demo": False}, tmp_path_factory.mktemp("t") / "tiny"))


def good_dem() -> Upload:
    return Upload("dem.tif", geotiff(ramp(), x0=296_000, y0=2_464_000, cell=100))


# --- hostile DEM files, read in the worker ---------------------------------------------------------
def hanoi() -> bytes:
    return geotiff(np.full((40, 50), 20.0), x0=105.5, y0=21.2, cell=0.01, crs="EPSG:4326")


def absurd() -> bytes:
    z = ramp()
    z[80, 230] = -32768  # a void marker the file does not declare as nodata
    return geotiff(z, x0=296_000, y0=2_464_000, cell=100)


REFUSED = [
    ("chu.tif", lambda: "Xin chào: đây là văn bản, không phải ảnh.\n".encode(), "err.dem_not_raster"),
    ("bao-cao.tif", lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "err.dem_not_raster"),
    ("khong-crs.tif", lambda: geotiff(ramp(), x0=296_000, y0=2_464_000, cell=100, crs=None), "err.dem_no_crs"),
    ("trong.tif", lambda: geotiff(np.full((200, 500), -9999.0), x0=296_000, y0=2_464_000, cell=100, nodata=-9999),
     "err.dem_all_nodata"),
    ("ha-noi.tif", hanoi, "err.dem_outside"),
    ("10gb.tif", claiming_10_gb, "err.dem_too_big"),
    ("bom.tif", decompression_bomb, "err.dem_too_big"),
    ("am.tif", absurd, "err.dem_absurd"),
    ("dem.hgt", hgt, "err.dem_hgt"),
    ("N22E103.hgt", lambda: hgt()[:-2], "err.dem_hgt"),
    ("dem.png", lambda: b"\x89PNG\r\n\x1a\n", "err.dem_extension"),
    ("dem.zip", lambda: _zip({"readme.txt": b"no raster here"}), "err.dem_zip_empty"),
]


def _zip(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("name, make, key", REFUSED, ids=[r[0] for r in REFUSED])
def test_a_refused_dem_writes_nothing(tiny, tmp_path, name, make, key):
    plan = prepare_terrain(tiny, [Upload(name, make())], margin_m=MARGIN)
    assert key in [p.key for p in plan.errors] and not plan.ok and plan.dem.geotiff == b""
    out = tmp_path / "out"
    with pytest.raises(DataPackageError) as err:
        write_terrain(plan, tiny, out)
    assert err.value.key == "err.ter_not_ready" and key in [p.key for p in err.value.problems]
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_messages_name_the_file_and_what_to_do(tiny):
    plan = prepare_terrain(tiny, [Upload("am.tif", absurd()), Upload("10gb.tif", claiming_10_gb())], margin_m=MARGIN)
    texts = {p.key: p.message("vi") for p in plan.errors}
    assert texts["err.dem_too_big"].startswith("10gb.tif: tệp khai báo lưới 50.000 × 50.000 ô, tức khoảng 10 GB")
    absurd_only = prepare_terrain(tiny, [Upload("am.tif", absurd())], margin_m=MARGIN)
    (problem,) = absurd_only.errors
    # read over the grid's box: source rows 10-169, columns 10-469, so at most 100 + 169 + 469 / 2 = 503.5
    assert problem.message("vi").startswith("am.tif: độ cao từ -32.768 m đến 503,5 m, ngoài khoảng hợp lý -500 m đến 9.000 m")
    assert "declare it as nodata" in problem.message("en")


def test_the_worker_limits_stop_a_dem(tiny):
    from planner.importing.worker import Limits

    plan = prepare_terrain(tiny, [good_dem()], margin_m=MARGIN, limits=Limits(wall_s=0.01))
    assert [p.key for p in plan.errors] == ["err.imp_worker_time"] and plan.errors[0].params["file"] == "dem.tif"


# --- the path network and barriers -----------------------------------------------------------------
def lonlat(x, y):
    return TO_LONLAT.transform(x, y)


def osm_xml(ways) -> bytes:
    """An .osm file: each way (tags, [(x, y) in EPSG:32648, ...]) with its own nodes."""
    nodes, out, nid = [], [], 1
    for wid, (tags, points) in enumerate(ways, start=100):
        refs = []
        for x, y in points:
            if refs and (x, y) == points[0]:
                refs.append(refs[0])
                continue
            lon, lat = lonlat(x, y)
            nodes.append(f'<node id="{nid}" lat="{lat:.7f}" lon="{lon:.7f}"/>')
            refs.append(nid)
            nid += 1
        tag = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        out.append(f'<way id="{wid}">' + "".join(f'<nd ref="{r}"/>' for r in refs) + tag + "</way>")
    return ("<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"test\">\n"
            + "\n".join(nodes + out) + "\n</osm>\n").encode()


def across(y, x0=305_000, x1=306_000):
    return [(x0, y), (x1, y)]


OSM_WAYS = [
    ({"highway": "tertiary", "name": "Đường tỉnh 127"}, across(2_451_000)),
    ({"highway": "residential"}, across(2_452_000)),
    ({"highway": "track"}, across(2_453_000)),
    ({"highway": "footway"}, across(2_454_000)),
    ({"highway": "steps"}, across(2_455_000)),
    ({"highway": "cycleway"}, across(2_456_000)),
    ({"highway": "cycleway"}, across(2_457_000)),
    ({"highway": "construction"}, across(2_458_000)),
    ({"waterway": "river", "name": "Nậm Na"}, [(310_000, 2_451_000), (310_000, 2_459_000)]),
    ({"waterway": "stream"}, [(311_000, 2_451_000), (311_000, 2_459_000)]),
    ({"waterway": "ditch"}, [(312_000, 2_451_000), (312_000, 2_459_000)]),
    ({"natural": "water", "name": "Hồ Bản Bo"}, [(320_000, 2_452_000), (321_000, 2_452_000), (321_000, 2_453_000),
                                               (320_000, 2_453_000), (320_000, 2_452_000)]),
    # inside the box read from the file, more than 2 950 m from the squares: outside the province's margin
    ({"highway": "primary"}, [(297_100, 2_462_900), (297_300, 2_462_700)]),
]


def network(tiny, name, data, kind):
    return read_network(name, data, kind=kind, communes=tiny.communes, metric_crs=UTM, margin_m=MARGIN)


def test_osm_highways_become_classes_and_the_rest_is_counted(tiny):
    paths = network(tiny, "lai-chau.osm", osm_xml(OSM_WAYS), "paths")
    assert paths.ok and paths.format == "OpenStreetMap"
    assert paths.counts == (("road", 2), ("track", 1), ("path", 2))
    assert paths.dropped == (("highway=cycleway", 2), ("highway=construction", 1))
    assert [(p.key, p.severity, p.params.get("n")) for p in paths.problems] == [
        ("ter.net_osm_dropped", "warning", 3), ("ter.net_outside", "warning", 1)]
    assert "highway=cycleway (2), highway=construction (1)" in paths.problems[0].message("vi")
    frame = paths.frame
    assert frame.crs.to_epsg() == 4326 and list(frame.columns) == ["path_class", "name", "geometry"]
    names = frame.loc[frame["path_class"] == "road", "name"]
    assert names.iloc[0] == "Đường tỉnh 127" and names.iloc[1:].isna().all()
    assert check_layer(LAYER_BY_NAME["paths"], frame) == []


def test_osm_rivers_and_lakes(tiny):
    barriers = network(tiny, "lai-chau.osm.pbf", osm_xml(OSM_WAYS), "barriers")
    # .osm.pbf by name but XML inside: the content decides, as GDAL does
    assert barriers.ok and barriers.counts == (("river", 2), ("lake", 1))
    assert barriers.dropped == (("waterway=ditch", 1),)
    assert sorted(barriers.frame.geometry.geom_type) == ["LineString", "LineString", "Polygon"]
    assert check_layer(LAYER_BY_NAME["barriers"], barriers.frame) == []


def geojson(rows) -> bytes:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=UTM).to_crs(4326).to_json().encode()


def test_class_words_in_vietnamese_with_or_without_tone_marks(tiny):
    rows = [dict(Loại=v, Tên=f"Đường {i}", geometry=LineString(across(2_451_000 + 500 * i)))
            for i, v in enumerate(["Đường ô tô", "duong oto", "Duong dat", "ĐƯỜNG MÒN", "track", "đường xe đạp", None])]
    rows.append(dict(Loại="đường ô tô", Tên="điểm", geometry=Point(305_000, 2_455_000)))
    paths = network(tiny, "duong.geojson", geojson(rows), "paths")
    assert paths.counts == (("road", 2), ("track", 2), ("path", 1))
    assert paths.dropped == (("đường xe đạp", 1), ("—", 1))
    assert [(p.key, p.params.get("n")) for p in paths.problems] == [("ter.net_unknown", 2), ("ter.net_geometry", 1)]
    assert paths.problems[0].params["column"] == "Loại"
    assert paths.frame["name"].tolist()[:2] == ["Đường 0", "Đường 1"]


def test_rivers_and_lakes_without_a_class_column_go_by_shape(tiny):
    rows = [dict(ten="Suối Nậm Lụm", geometry=LineString([(310_000, 2_451_000), (310_000, 2_459_000)])),
            dict(ten="Hồ", geometry=box(320_000, 2_452_000, 321_000, 2_453_000))]
    barriers = network(tiny, "song-ho.geojson", geojson(rows), "barriers")
    assert barriers.counts == (("river", 1), ("lake", 1))
    assert [p.key for p in barriers.problems] == ["ter.net_kind_by_geometry"]
    assert barriers.frame["name"].tolist() == ["Suối Nậm Lụm", "Hồ"]


def test_network_files_refused(tiny, tmp_path):
    assert [p.key for p in network(tiny, "duong.csv", b"a,b\n", "paths").problems] == ["err.net_extension"]
    assert [p.key for p in network(tiny, "duong.osm.pbf", b"hello", "paths").problems] == ["err.net_not_osm"]
    evil = b'<?xml version="1.0"?><!DOCTYPE osm [<!ENTITY x SYSTEM "file:///etc/passwd">]><osm>&x;</osm>'
    assert [p.key for p in network(tiny, "x.osm", evil, "paths").problems] == ["err.imp_refers_elsewhere"]
    far = [dict(path_class="road", geometry=LineString([(600_000, 2_300_000), (601_000, 2_300_000)]))]
    empty = network(tiny, "xa.geojson", geojson(far), "paths")
    assert [p.key for p in empty.problems] == ["ter.net_outside", "err.net_empty"] and empty.frame is None
    shp = tmp_path / "duong.shp"
    with pytest.warns(UserWarning, match="crs"):  # what pyogrio says of such a file
        pyogrio.write_dataframe(gpd.GeoDataFrame({"loai": ["road"]}, geometry=[LineString([(0, 0), (1, 1)])]), shp)
    data = _zip({p.name: p.read_bytes() for p in tmp_path.iterdir()})
    assert [p.key for p in network(tiny, "duong.zip", data, "paths").problems] == ["err.net_no_crs"]


# --- the package's new layers ----------------------------------------------------------------------
def test_the_network_layers_are_checked_like_the_others():
    points = gpd.GeoDataFrame({"path_class": ["road", "lane"]}, geometry=[Point(103.1, 22.1), LineString([(103, 22), (103.1, 22)])],
                              crs=4326)
    assert [p.key for p in check_layer(LAYER_BY_NAME["paths"], points)] == ["prob.not_allowed", "prob.geometry"]
    message = check_layer(LAYER_BY_NAME["paths"], points)[1].message("vi")
    assert message == "terrain/paths.geojson: hình học phải là đường (LineString); 1 dòng khác loại hoặc trống (ví dụ dòng 1)"
    bowtie = Polygon([(103, 22), (103.1, 22.1), (103.1, 22), (103, 22.1)])
    lake = gpd.GeoDataFrame({"kind": ["lake", "river"]}, geometry=[bowtie, LineString([(103, 22), (103.1, 22)])], crs=4326)
    assert [(p.key, p.params["rows"]) for p in check_layer(LAYER_BY_NAME["barriers"], lake)] == [("prob.invalid_polygon", "1")]


def test_a_package_without_terrain_is_written_as_before(tmp_path):
    out = write_package(tiny_layers(), {"name": "tiny"}, tmp_path / "p")
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert files == ["boundaries/communes.geojson", "boundaries/villages.geojson", "facilities/play_points.geojson",
                     "facilities/schools.geojson", "package.json"]
    package = read_package(out)
    assert package.paths is None and package.barriers is None and package.terrain_file == ""


def test_a_terrain_package_rewritten_without_terrain_loses_it(tmp_path, tiny):
    plan = prepare_terrain(tiny, [good_dem()], margin_m=MARGIN)
    out = write_terrain(plan, tiny, tmp_path / "p")
    assert read_package(out).has_terrain
    write_package(tiny_layers(), {"name": "tiny"}, out)  # the same folder, a package with no terrain
    assert not (out / ELEVATION).exists() and not read_package(out).has_terrain


def test_prepare_and_write_a_terrain_package(tiny, tmp_path):
    road = [dict(loai="đường ô tô", geometry=LineString(across(2_455_050, 305_050, 315_050)))]
    river = [dict(loai="sông", geometry=LineString([(310_050, 2_459_050), (310_050, 2_451_050)]))]
    plan = prepare_terrain(tiny, [good_dem()], paths=Upload("duong.geojson", geojson(road)),
                           barriers=Upload("song.geojson", geojson(river)), margin_m=MARGIN)
    assert plan.ok and plan.problems == () and plan.files == ("dem.tif", "duong.geojson", "song.geojson")
    rows = dict(report_rows(plan, "vi"))
    assert rows["Kích thước ô lưới"] == "100 m" and rows["Lưới"] == "160 hàng × 460 cột = 73.600 ô (tỉnh và lề 2.950 m)"
    assert rows["Hệ tọa độ"] == "WGS 84, UTM múi 48N (EPSG:32648)" and rows["Phần diện tích tỉnh có độ cao"] == "100,0%"
    assert rows["Đường đi (duong.geojson)"] == "đường ô tô: 1" and rows["Sông, hồ (song.geojson)"] == "sông, suối: 1"
    assert rows["Cầu"].startswith("Nơi đường ô tô, đường đất hay đường mòn cắt qua sông, suối được coi là cầu")
    from datetime import datetime, timezone

    out = write_terrain(plan, tiny, tmp_path / "p", now=datetime(2026, 12, 1, 7, 0, tzinfo=timezone.utc))
    package = read_package(out)
    assert package.terrain_file == str(out / ELEVATION) and len(package.paths) == len(package.barriers) == 1
    assert package.manifest["terrain"] == {"source": ["dem.tif", "duong.geojson", "song.geojson"], "cell_m": 100.0,
                                           "crs": UTM, "covered_share": 1.0, "demo": False,
                                           "imported_at": "2026-12-01T07:00:00+00:00"}
    assert package.manifest["name"] == "tiny"


def test_a_list_import_keeps_the_terrain_new_boundaries_drop_it(tiny, tmp_path):
    from planner.importing import ImportSource, prepare_import, write_import

    road = [dict(loai="đường ô tô", geometry=LineString(across(2_455_050, 305_050, 315_050)))]
    plan = prepare_terrain(tiny, [good_dem()], paths=Upload("duong.geojson", geojson(road)), margin_m=MARGIN)
    with_terrain = read_package(write_terrain(plan, tiny, tmp_path / "p"))
    toilets = "id,facility_id,facility_kind,standard,lon,lat\nT1,S1,school,true,103.11342,22.189393\n".encode()
    listed = prepare_import([ImportSource("toilets", "wc.csv", toilets)], package=with_terrain)
    assert listed.ok and listed.terrain_from == with_terrain.terrain_file
    again = read_package(write_import(listed, tmp_path / "q"))
    assert again.has_terrain and len(again.paths) == 1 and again.manifest["terrain"] == with_terrain.manifest["terrain"]
    assert (tmp_path / "q" / ELEVATION).read_bytes() == (tmp_path / "p" / ELEVATION).read_bytes()
    bounds = with_terrain.communes.to_json().encode()
    renewed = prepare_import([ImportSource("boundaries", "xa.geojson", bounds)], package=with_terrain, mode="replace")
    assert renewed.terrain_from == "" and "paths" not in renewed.layers and "terrain" not in renewed.manifest


# --- the command line, end to end on the demo package ----------------------------------------------
def lai_chau_dem(path: Path) -> Path:
    """0.01° cells over lon 102.2-103.99, lat 21.6-22.85 (179 x 125), elevation 300-1 800 m."""
    z = 300 + 1500 * np.random.default_rng(15).random((125, 179))
    with MemoryFile() as mem:
        with mem.open(driver="GTiff", width=179, height=125, count=1, dtype="float32", crs="EPSG:4326",
                      transform=from_origin(102.2, 22.85, 0.01, 0.01)) as ds:
            ds.write(z.astype("float32"), 1)
        path.write_bytes(mem.read())
    return path


def lonlat_geojson(rows) -> bytes:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326).to_json().encode()


def demo_digest() -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(DEMO_DIR.rglob("*")) if p.is_file())).hexdigest()


def test_import_terrain_on_the_demo_package(tmp_path, capsys):
    before = demo_digest()
    dem = lai_chau_dem(tmp_path / "lai-chau.tif")
    (tmp_path / "duong.geojson").write_bytes(lonlat_geojson(
        [dict(loai="đường ô tô", geometry=LineString([(103.3, 22.3), (103.5, 22.35)])),
         dict(loai="đường mòn", geometry=LineString([(103.3, 22.3), (103.3, 22.5)]))]))
    (tmp_path / "song.geojson").write_bytes(lonlat_geojson(
        [dict(kind="river", geometry=LineString([(103.4, 22.2), (103.4, 22.6)]))]))
    out = tmp_path / "out"
    code = main(["import-terrain", "--package", str(DEMO_DIR), "--dem", str(dem), "--paths", str(tmp_path / "duong.geojson"),
                 "--barriers", str(tmp_path / "song.geojson"), "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "Kích thước ô lưới: 1.069 m" in text and "Hệ tọa độ: WGS 84, UTM múi 48N (EPSG:32648)" in text
    assert "Đường đi (duong.geojson): đường ô tô: 1; đường mòn: 1" in text and f"Đã ghi bộ dữ liệu có địa hình vào {out}" in text
    package = read_package(out)
    assert package.has_terrain and package.manifest["terrain"]["cell_m"] == 1069.0 and package.is_demo
    assert package.manifest["terrain"]["source"] == ["lai-chau.tif", "duong.geojson", "song.geojson"]
    assert len(package.villages) == len(read_package(DEMO_DIR).villages)
    # the same command again: the folder is taken, so the copy goes beside it
    assert main(["import-terrain", "--package", str(DEMO_DIR), "--dem", str(dem), "--out", str(out), "--json",
                 "--lang", "en"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["out"] == str(tmp_path / "out-2") and record["valid"] and record["dem"]["cell_m"] == 1069.0
    assert record["dem"]["crs"] == UTM and record["dem"]["covered_share"] == 1.0
    # no network given: the demo's illustrative paths and rivers are not put on a measured DEM, and it says so
    assert [p["key"] for p in record["problems"]] == ["ter.demo_network_dropped"] and record["kept"] == []
    assert read_package(tmp_path / "out-2").paths is None and read_package(tmp_path / "out-2").barriers is None
    assert demo_digest() == before  # the demo package is only read


def test_import_terrain_refusals_and_usage(tmp_path, capsys):
    text_file = tmp_path / "dem.tif"
    text_file.write_text("không phải ảnh")
    out = tmp_path / "out"
    assert main(["import-terrain", "--package", str(DEMO_DIR), "--dem", str(text_file), "--out", str(out), "--lang", "en"]) == 1
    printed = capsys.readouterr().out
    assert "Error: dem.tif: cannot be read as an elevation raster (GeoTIFF)" in printed and "Nothing written" in printed
    assert not out.exists()
    assert main(["import-terrain", "--package", str(DEMO_DIR), "--dem", str(tmp_path / "none.tif"), "--out", str(out)]) == 2
    assert "none.tif" in capsys.readouterr().err
    assert main(["import-terrain", "--package", str(DEMO_DIR), "--dem", str(text_file), "--margin-m", "-5"]) == 2
    assert "Lề quanh tỉnh phải là số mét từ 0 đến 50000, nhận được: -5" in capsys.readouterr().err
    assert main(["import-terrain", "--package", str(DEMO_DIR)]) == 2
    assert not out.exists()


def test_the_data_page_makes_a_package_with_terrain(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path / "ws"))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("views/data.py").run()
    assert any(s.value == "Địa hình và đường đi (thời gian đi bộ)" for s in at.subheader)
    assert any(c.value.startswith("Bộ dữ liệu đang dùng") for c in at.caption)  # has a model, or has none
    dem = lai_chau_dem(tmp_path / "lai-chau.tif").read_bytes()
    at.file_uploader(key="up-terrain-dem").set_value([("lai-chau.tif", dem, "image/tiff")]).run()
    next(b for b in at.button if b.label == "Kiểm tra địa hình").click().run()
    assert not at.exception, at.exception
    table = at.table[-1].value
    assert table.loc["Kích thước ô lưới"].iloc[0] == "1.069 m" and table.loc["Phần diện tích tỉnh có độ cao"].iloc[0] == "100,0%"
    next(b for b in at.button if b.label == "Tạo bộ dữ liệu có địa hình").click().run()
    assert not at.exception, at.exception
    made = Path(at.session_state["data_dir"])
    assert made.parent.parent == tmp_path / "ws" / "packages" and read_package(made).has_terrain
    assert any("Đã ghi bộ dữ liệu có địa hình" in s.value for s in at.success)


def _hgt_tiles(folder):
    """SRTM 3″ tiles (1201 x 1201 int16, big-endian, -32768 = void) over Lai Châu, with the demo's
    elevation: what a planner downloads, named as SRTM names them."""
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin
    from rasterio.warp import Resampling, reproject

    step = 1 / 1200
    with rasterio.open(DEMO_DIR / "terrain" / "elevation.tif") as src:
        elevation, transform, crs = src.read(1), src.transform, src.crs
    names = []
    for lat in (21, 22):
        for lon in (102, 103):
            out = np.full((1201, 1201), -32768, dtype=np.int16)
            reproject(elevation, out, src_transform=transform, src_crs=crs, src_nodata=np.nan,
                      dst_transform=from_origin(lon - step / 2, lat + 1 + step / 2, step, step), dst_crs="EPSG:4326",
                      dst_nodata=-32768, resampling=Resampling.bilinear)
            path = folder / f"N{lat}E{lon}.hgt"
            path.write_bytes(out.astype(">i2").tobytes())
            names.append(path)
    return names


def test_walking_on_imported_srtm_hgt_tiles_end_to_end(tmp_path, capsys):
    tiles = _hgt_tiles(tmp_path)
    out = tmp_path / "with-srtm"
    assert main(["import-terrain", "--package", str(DEMO_DIR), "--dem", *map(str, tiles), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Đã ghi bộ dữ liệu có địa hình" in text
    # the south-west tile lies beyond the demo's elevation (a void tile): left out, said, not refused
    assert "N21E102.hgt: mảnh này không có số liệu độ cao nào" in text and "đã bỏ qua" in text
    package = read_package(out)
    assert package.has_terrain and package.manifest["terrain"]["source"][:4] == [t.name for t in tiles]
    assert main(["summary", "--data", str(out), "--reach", "walk", "--minutes", "30", "--json"]) == 0
    walked = json.loads(capsys.readouterr().out)
    from planner.analysis import Analysis
    from planner.reach import ReachRule

    expected = Analysis.of(package, reach=ReachRule(mode="walk", minutes=30)).summary.reach.children_within
    assert walked["reach_mode"] == "walk" and walked["children_within_reach"] == expected
    # the same relief as the demo's, read again from 90 m tiles: the same children within a few per cent
    demo = Analysis.of(read_package(DEMO_DIR), reach=ReachRule(mode="walk", minutes=30)).summary.reach.children_within
    assert abs(expected - demo) <= 0.1 * demo
    assert main(["site", "--data", str(out), "--reach", "walk", "--minutes", "30", "--budget-vnd", "3000000000",
                 "--out", str(tmp_path / "sites.csv")]) == 0
    assert "Trẻ em mới được tiếp cận" in capsys.readouterr().out
