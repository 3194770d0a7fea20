"""No file makes the planner fetch an address (issue 13: server-side request forgery).

A local HTTP listener counts every request it gets. A GeoJSON whose legacy `crs` member is a link
or names a URL (plain, in a zip, in a folder of a zip; on the collection or on one geometry; the key
written in capitals, escaped, or cut by a NUL) is refused before GDAL opens it, through the
importer, `planner validate` and `planner import`; a .prj or a GeoPackage definition that is a URL
fetches nothing; and with planner's settings (planner.netguard) even GDAL and PROJ asked directly
(/vsicurl/, a crs link read by GDAL itself, a grid named by URL, WFS...) send nothing, also when the
environment had PROJ_NETWORK=ON. The listener runs in its own process: GDAL may hold Python's lock
while it waits for an answer, and a listener thread in this process would never give one.
"""
from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from planner.cli import main
from planner.importing import ImportSource, prepare_import
from planner.importing.files import UploadError, read_gis_bytes
from planner.importing.guard import remote_crs
from planner.netguard import GDAL_SETTINGS, disable_network, network_status

ROOT = Path(__file__).resolve().parent.parent
KEY = "err.imp_remote_crs"

SERVER = r"""
import http.server, sys
log = open(sys.argv[1], "a", buffering=1)
WKT = b'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]'
class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self):
        log.write(self.command + " " + self.path + "\n")
        self.send_response(200)
        self.send_header("Content-Length", str(len(WKT)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(WKT)
    do_GET = do_HEAD = do_POST = do_CONNECT = answer
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


class Listener:
    """An HTTP server on 127.0.0.1 in a child process; `hits()` are the requests it got."""

    def __init__(self, folder: Path):
        self.log = folder / "requests.log"
        self.log.write_text("")
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER, str(self.log)], stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def hits(self) -> list[str]:
        time.sleep(0.2)  # a request on its way is logged before this reads
        return self.log.read_text().splitlines()

    def clear(self) -> None:
        self.log.write_text("")

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


@pytest.fixture(scope="module")
def listener(tmp_path_factory):
    server = Listener(tmp_path_factory.mktemp("listener"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def heard(listener):
    """The listener, cleared; after the test it must have heard nothing."""
    listener.clear()
    yield listener
    assert listener.hits() == []


# --- files ------------------------------------------------------------------------------------
def _feature(geometry_extra: dict | None = None) -> dict:
    return {"type": "Feature", "properties": {"ten": "Bản Nậm Cuổi", "ma": "TH01"},
            "geometry": {"type": "Point", "coordinates": [103.15, 22.35], **(geometry_extra or {})}}


def _collection(crs=None, *, key: str = "crs", at_end: bool = False, on_geometry: bool = False) -> bytes:
    if on_geometry:
        return json.dumps({"type": "FeatureCollection", "features": [_feature({"crs": crs})]}).encode()
    if crs is None:
        return json.dumps({"type": "FeatureCollection", "features": [_feature()]}).encode()
    body = {"type": "FeatureCollection", "features": [_feature(), _feature()]}
    items = list(body.items()) + [(key, crs)] if at_end else [(key, crs)] + list(body.items())
    return json.dumps(dict(items), ensure_ascii=False).encode()


def _link(url: str) -> dict:
    return {"type": "link", "properties": {"href": url, "type": "proj4"}}


def _name(name: str) -> dict:
    return {"type": "name", "properties": {"name": name}}


def payloads(server: Listener) -> dict[str, bytes]:
    """GeoJSON texts GDAL 3.12 fetches an address for, when nothing stops it."""
    escaped = _collection(_link(server.url("escaped.prj"))).replace(b'"crs"', b'"\\u0063rs"', 1)
    nul = _collection({"type": "link", "properties": {"href": server.url("nul.prj")}}).replace(b'"crs"', b'"crs\\u0000x"', 1)
    return {
        "crs_link": _collection(_link(server.url("link.prj"))),
        "crs_name_url": _collection(_name(server.url("name"))),
        "crs_url_type": _collection({"type": "url", "properties": {"url": server.url("url.prj")}}),
        "crs_link_at_end": _collection(_link(server.url("end.prj")), at_end=True),
        "crs_link_on_geometry": _collection(_link(server.url("geometry.prj")), on_geometry=True),
        "CRS_LINK_capitals": _collection({"type": "LINK", "properties": {"HREF": server.url("caps.prj")}}, key="CRS"),
        "crs_key_escaped": escaped,
        "crs_key_nul": nul,
        "crs_name_proj_grid_url": _collection(_name(f"+proj=longlat +ellps=clrk66 +nadgrids=@{server.url('g.tif')} +type=crs")),
        "crs_name_vsicurl": _collection(_name(f"/vsicurl/{server.url('vsi.prj')}")),
    }


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


CONTAINERS = {
    "plain": lambda data: ("thon_ban.geojson", data),
    "zip": lambda data: ("thon_ban.zip", _zip({"thon_ban.geojson": data})),
    "zip_folder": lambda data: ("thon_ban.zip", _zip({"du lieu/2025/thon_ban.json": data, "du lieu/doc.txt": b"x"})),
}
PAYLOADS = ["crs_link", "crs_name_url", "crs_url_type", "crs_link_at_end", "crs_link_on_geometry", "CRS_LINK_capitals",
            "crs_key_escaped", "crs_key_nul", "crs_name_proj_grid_url", "crs_name_vsicurl"]


def _shapefile_zip(folder: Path, prj: str) -> bytes:
    gdf = gpd.GeoDataFrame({"ten": ["Bản A"], "ma": ["TH01"]}, geometry=[Point(103.15, 22.35)], crs=4326)
    gdf.to_file(folder / "thon_ban.shp")
    (folder / "thon_ban.prj").write_text(prj)
    return _zip({p.name: p.read_bytes() for p in folder.iterdir() if p.stem == "thon_ban"})


def _gpkg(folder: Path, definition: str) -> bytes:
    path = folder / "thon_ban.gpkg"
    gpd.GeoDataFrame({"ten": ["Bản A"], "ma": ["TH01"]}, geometry=[Point(500_000, 2_470_000)], crs=3405).to_file(path)
    with sqlite3.connect(path) as db:  # an SRS of no known organisation: GDAL can only read the definition
        db.execute("UPDATE gpkg_spatial_ref_sys SET definition = ?, organization = 'NONE', "
                   "organization_coordsys_id = 999999 WHERE srs_id = 3405", (definition,))
    db.close()
    return path.read_bytes()


# --- the content check --------------------------------------------------------------------------
@pytest.mark.parametrize("container", CONTAINERS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_importer_refuses_crs_that_points_elsewhere(heard, payload, container):
    name, data = CONTAINERS[container](payloads(heard)[payload])
    with pytest.raises(UploadError) as caught:
        read_gis_bytes(name, data)
    assert caught.value.key == KEY
    assert caught.value.params["file"] == name
    assert caught.value.params["member"].lower().startswith("crs")


@pytest.mark.parametrize("payload", ["crs_link", "crs_name_url", "crs_link_on_geometry"])
def test_prepare_import_reports_it_as_a_problem_of_that_file(heard, payload):
    for name, data in (CONTAINERS["plain"](payloads(heard)[payload]), CONTAINERS["zip_folder"](payloads(heard)[payload])):
        plan = prepare_import([ImportSource("villages", name, data)], complete=False)
        assert not plan.ok
        problem = next(p for p in plan.problems if p.key == KEY)
        assert problem.params["file"] == name and problem.layer == "villages"


def test_message_names_file_member_and_fix(heard):
    data = payloads(heard)["crs_link"]
    with pytest.raises(UploadError) as caught:
        read_gis_bytes("thon_ban.geojson", data)
    en, vi = caught.value.message("en"), caught.value.message("vi")
    assert "thon_ban.geojson" in en and '"crs"' in en and heard.url("link.prj") in en
    assert "Remove the \"crs\" member" in en and "EPSG" in en
    assert "thon_ban.geojson" in vi and "xóa trường \"crs\"" in vi and "EPSG" in vi


@pytest.mark.parametrize("crs", [_name("EPSG:4326"), _name("urn:ogc:def:crs:EPSG::4326"),
                                 _name("urn:ogc:def:crs:OGC:1.3:CRS84"), {"type": "EPSG", "properties": {"code": 4326}}, None])
def test_named_crs_stays_accepted(heard, crs):
    data = _collection(crs) if crs is not None else json.dumps({"type": "FeatureCollection", "crs": None,
                                                                "features": [_feature()]}).encode()
    for name, upload in (CONTAINERS["plain"](data), CONTAINERS["zip"](data)):
        layer = read_gis_bytes(name, upload)
        assert layer.crs == "EPSG:4326" and len(layer.frame) == len(json.loads(data)["features"])


@pytest.mark.parametrize("text, refused", [
    ('{"crs": {"type": "link", "properties": {"href": "relative/x.prj"}}}', "href: relative/x.prj"),
    ('{"crs": {"type": "Url", "properties": {"url": "10.0.0.1/x"}}}', "url: 10.0.0.1/x"),
    ('{"crs": {"type": "linkXYZ", "properties": {}}}', "type: linkXYZ"),
    ('{"crs": {"type": "name", "properties": {"name": "FILE:/etc/passwd"}}}', "FILE:/etc/passwd"),
    ('{"crs": {"type": "name", "properties": {"name": "ftp://h/x"}}}', "ftp://h/x"),
    ('{"crs": "https://h/x"}', "https://h/x"),
    ('{"crs": {"type": "name", "properties": {"name": "EPSG:4326", "pad": "' + "x" * 70_000 + '"}}}', None),
    ('{"type": "FeatureCollection", "features": [], "crs": {"type": "link", "properties": {"href": "a", }}, }', "href: a"),
])
def test_scan_refuses(text, refused):
    found = remote_crs(text.encode())
    assert found is not None and found["line"] == 1
    assert refused is None or found["what"] == refused


@pytest.mark.parametrize("text", [
    '{"crs": {"type": "name", "properties": {"name": "EPSG:3405"}}}',
    '{"crs": null, "features": [{"properties": {"note": "see \\"crs\\": http://x/y"}}]}',
    '{"features": [{"properties": {"crs": "EPSG:4326", "link": "http://example.org"}}]}',
    '{"features": [{"properties": {"url": "http://example.org", "href": "http://example.org"}}]}',
])
def test_scan_accepts(text):
    assert remote_crs(text.encode()) is None


def test_scan_says_where():
    text = b'{\n  "type": "FeatureCollection",\n  "features": [],\n  "Crs" : {"type": "link", "properties": {"href": "http://h/x"}}\n}'
    assert remote_crs(text) == {"member": "Crs", "line": 4, "what": "http://h/x"}


# --- files GDAL reads without fetching: .prj and GeoPackage definitions that are URLs -------------
def _wkt_with_uri(url: str) -> str:
    """WKT2 of EPSG:4326 whose identifier carries a URI."""
    import pyproj

    wkt = pyproj.CRS(4326).to_wkt("WKT2_2019")
    return wkt[:wkt.rindex('ID["EPSG",4326]')] + f'ID["EPSG",4326,URI["{url}"]]]'


@pytest.mark.filterwarnings("ignore:Unable to parse srs_id")
def test_prj_and_gpkg_definitions_that_are_urls_fetch_nothing(heard, tmp_path):
    uploads = []
    for i, prj in enumerate([heard.url("p.prj"), f"/vsicurl/{heard.url('pv.prj')}", _wkt_with_uri(heard.url("uri")),
                             f"+proj=longlat +ellps=clrk66 +nadgrids=@{heard.url('pg.tif')} +type=crs"]):
        (tmp_path / f"s{i}").mkdir()
        uploads.append(("thon_ban.zip", _shapefile_zip(tmp_path / f"s{i}", prj)))
    for i, definition in enumerate([heard.url("g.prj"), f"/vsicurl/{heard.url('gv.prj')}",
                                    f"+proj=longlat +ellps=clrk66 +nadgrids=@{heard.url('gg.tif')} +type=crs"]):
        (tmp_path / f"g{i}").mkdir()
        uploads.append(("thon_ban.gpkg", _gpkg(tmp_path / f"g{i}", definition)))
    for name, data in uploads:
        layer = read_gis_bytes(name, data)
        assert layer.crs is None  # not taken (GDAL's Shapefile reader takes no WKT2 .prj at all), nor fetched
        plan = prepare_import([ImportSource("villages", name, data)], complete=False)
        assert KEY not in {p.key for p in plan.problems}


# --- the command line: validate and import (each reads the files in the bounded worker) ----------
@pytest.mark.parametrize("payload", ["crs_link", "crs_name_url"])
@pytest.mark.parametrize("container", ["plain", "zip_folder"])
def test_cli_validate_refuses(heard, tmp_path, capsys, payload, container):
    name, data = CONTAINERS[container](payloads(heard)[payload])
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["validate", str(path), "--kind", "villages", "--lang", "en", "--json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [p["key"] for p in problems] == [KEY] and problems[0]["file"] == name


def test_cli_import_refuses_and_writes_nothing(heard, tmp_path, capsys):
    files = {}
    for option, payload, container in (("--communes", "crs_link", "zip"), ("--villages", "crs_link_on_geometry", "plain"),
                                       ("--schools", "crs_name_url", "zip_folder")):
        name, data = CONTAINERS[container](payloads(heard)[payload])
        path = tmp_path / option.strip("-") / name
        path.parent.mkdir()
        path.write_bytes(data)
        files[option] = path
    out = tmp_path / "out"
    argv = ["import", *[x for option, path in files.items() for x in (option, str(path))], "--out", str(out), "--lang", "vi"]
    assert main(argv) == 1
    text = capsys.readouterr().out
    assert text.count("trỏ tới một địa chỉ hoặc tệp ở nơi khác") == 3 and not out.exists()


@pytest.mark.filterwarnings("ignore:Unable to parse srs_id")
def test_cli_validate_prj_and_gpkg_with_urls_fetch_nothing(heard, tmp_path, capsys):
    (tmp_path / "s").mkdir()
    (tmp_path / "g").mkdir()
    for name, data in (("thon_ban.zip", _shapefile_zip(tmp_path / "s", heard.url("p.prj"))),
                       ("thon_ban.gpkg", _gpkg(tmp_path / "g", heard.url("g.prj")))):
        path = tmp_path / name
        path.write_bytes(data)
        main(["validate", str(path), "--kind", "villages", "--lang", "en", "--json"])
        assert KEY not in {p["key"] for p in json.loads(capsys.readouterr().out)["problems"]}


# --- the process settings: GDAL and PROJ asked directly ------------------------------------------
def test_settings_are_on_in_this_process():
    status = network_status()
    assert {k: status[k] for k in GDAL_SETTINGS} == GDAL_SETTINGS
    assert status["PROJ_NETWORK"] == "OFF" and status["pyproj_network_enabled"] is False
    assert {k: os.environ[k] for k in GDAL_SETTINGS} == GDAL_SETTINGS


def test_gdal_and_proj_asked_directly_fetch_nothing(heard, tmp_path, monkeypatch):
    import pyogrio
    import pyproj
    from pyproj.exceptions import CRSError

    for name in ("no_proxy", "NO_PROXY"):  # libcurl skips the proxy for what these list (netguard's docstring)
        monkeypatch.delenv(name, raising=False)
    link = tmp_path / "link.geojson"
    link.write_bytes(_collection(_link(heard.url("direct.prj"))))
    assert pyogrio.read_info(f"GeoJSON:{link}")["crs"] == "EPSG:4326"  # GDAL's default: the link was not read
    for path in (f"/vsicurl/{heard.url('x.geojson')}", heard.url("y.geojson"), f"/vsicurl_streaming/{heard.url('s.geojson')}"):
        with pytest.raises(Exception):
            pyogrio.read_dataframe(path)
    with pytest.raises(CRSError):
        pyproj.CRS(heard.url("crs"))
    grid = pyproj.CRS(f"+proj=longlat +ellps=clrk66 +nadgrids=@{heard.url('grid.tif')} +type=crs")
    pyproj.Transformer.from_crs(grid, "EPSG:4326", always_xy=True).transform(-100.0, 40.0)


PROBES = textwrap.dedent("""
    import json, os, sys, tempfile
    mode, port = sys.argv[1], int(sys.argv[2])
    if mode == "pyproj_first":
        import pyproj
    if mode != "bare":
        import planner
    import numpy as np, pyogrio, pyproj, shapely
    from pyogrio.raw import write
    url = lambda p: f"http://127.0.0.1:{port}/{p}"
    folder = tempfile.mkdtemp()
    def probe(f):
        try:
            f()
        except Exception:
            pass
    grid = lambda p: f"+proj=longlat +ellps=clrk66 +nadgrids=@{url(p)} +type=crs"
    probe(lambda: pyproj.Transformer.from_crs(pyproj.CRS(grid("pyproj-grid.tif")), "EPSG:4326", always_xy=True).transform(-100, 40))
    probe(lambda: write(os.path.join(folder, "o.kml"), geometry=shapely.to_wkb(np.array([shapely.Point(-100, 40)])),
                        field_data=[np.array([1])], fields=["a"], driver="KML", crs=grid("gdal-grid.tif"), geometry_type="Point"))
    link = os.path.join(folder, "link.geojson")
    with open(link, "w") as f:
        json.dump({"type": "FeatureCollection", "features": [],
                   "crs": {"type": "link", "properties": {"href": url("gdal-crs-link.prj")}}}, f)
    probe(lambda: pyogrio.read_info("GeoJSON:" + link))
    probe(lambda: pyogrio.read_dataframe("/vsicurl/" + url("vsicurl.geojson")))
    probe(lambda: pyogrio.read_dataframe("GeoJSON:" + url("geojson-url.geojson")))
    probe(lambda: pyogrio.list_layers("WFS:" + url("wfs")))
    os.environ.update(AWS_S3_ENDPOINT=f"127.0.0.1:{port}", AWS_HTTPS="NO", AWS_NO_SIGN_REQUEST="YES", AWS_VIRTUAL_HOSTING="FALSE")
    probe(lambda: pyogrio.read_dataframe("/vsis3_streaming/vsis3-bucket/x.geojson"))
""")
PROBED = ["pyproj-grid", "gdal-grid", "gdal-crs-link", "vsicurl", "geojson-url", "wfs", "vsis3-bucket"]


def _run_probes(listener: Listener, mode: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in GDAL_SETTINGS and k.lower() != "no_proxy"}
    env.update(PROJ_NETWORK="ON", PYTHONPATH=str(ROOT))  # as a deployment might have it
    listener.clear()
    subprocess.run([sys.executable, "-c", PROBES, mode, str(listener.port)], env=env, cwd=str(ROOT), timeout=120,
                   check=True, capture_output=True)
    return listener.hits()


@pytest.mark.parametrize("mode", ["planner_first", "pyproj_first"])
def test_a_process_that_imports_planner_fetches_nothing_even_with_proj_network_on(listener, mode):
    assert _run_probes(listener, mode) == []


def test_the_probes_do_fetch_without_planner(listener):
    """The test above means something: without planner's settings, every probe reaches the listener."""
    hits = _run_probes(listener, "bare")
    assert [p for p in PROBED if not any(p in h for h in hits)] == []


def test_no_proxy_is_warned_about(monkeypatch, caplog):
    import planner.netguard as netguard

    monkeypatch.setattr(netguard, "_warned", False)
    monkeypatch.setenv("NO_PROXY", "localhost,169.254.169.254")
    with caplog.at_level("WARNING", logger="planner.netguard"):
        disable_network()
    assert "NO_PROXY" in caplog.text


def test_the_whole_hostile_corpus_fetches_nothing(heard, tmp_path, capsys):
    """Every file of the project's hostile corpus (tests/test_import_corpus.py and the limits' own
    cases) through `planner validate`, in the worker as a user's file would go, and through the
    in-process import: the listener hears nothing (the `heard` fixture checks it after the test)."""
    from planner.errors import PlannerError
    from tests.test_import_limits import CASES

    files = {case: (name, kind, build(tmp_path)) for case, (name, kind, build, _, _) in CASES.items()}
    files |= {f"net_{case}": ("diem.geojson", "play_points", data) for case, data in payloads(heard).items()}
    for case, (name, kind, data) in sorted(files.items()):
        path = tmp_path / case / name
        path.parent.mkdir()
        path.write_bytes(data)
        main(["validate", str(path), "--kind", kind])
        try:
            prepare_import([ImportSource(kind, name, path.read_bytes())], complete=False)
        except PlannerError:
            pass
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert len(files) >= 30
