"""Untrusted input (issue 8, point 5), across every upload and form: sizes and types of uploads,
a scenario file that is not what it claims, text that a spreadsheet would run as a formula, markup
in names that reach the PDF brief or the map, names that would become paths."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
import tempfile
import tomllib
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from planner.analysis import Analysis
from planner.briefs import brief_pdf, workbook
from planner.errors import PlannerError
from planner.exports import render
from planner.i18n import t
from planner.importing import KINDS, export_lists_xlsx, inspect_upload, template_xlsx
from planner.importing.files import MAX_UPLOAD_BYTES, check_size, read_xlsx_bytes
from planner.io import folder_name, gpkg_bytes, read_package, write_package
from planner.proposals import Proposal, propose_at
from planner.ranking import rank
from planner.scenario_file import MAX_SCENARIO_MB, from_gpkg, to_gpkg
from planner.scenarios import MAX_PROPOSALS, Scenario
from planner.summary import summarize
from tests.conftest import tiny_layers
from conftest import plan_key

ROOT = Path(__file__).resolve().parent.parent
FORMULA = '=HYPERLINK("http://x")'
CMD = "=cmd|' /C calc'!A0"
MARKUP = "<b>&<font>"
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(1)</script>"


@pytest.fixture()
def hostile(tmp_path):
    """The tiny package with names a spreadsheet, reportlab or a browser would act on."""
    layers = tiny_layers()
    layers["communes"] = layers["communes"].assign(name=[CMD, IMG, "Xã C & <D>", "-2+3"])
    layers["villages"] = layers["villages"].assign(name=SCRIPT)
    layers["schools"] = layers["schools"].assign(name='"onmouseover="alert(1)')
    layers["play_points"] = layers["play_points"].assign(name="<svg onload=alert(1)>")
    return read_package(write_package(layers, {"name": "hostile", "demo": False}, tmp_path / "hostile"))


def cells(data: bytes) -> dict[str, list]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [c for row in ws.iter_rows() for c in row if c.value is not None] for ws in wb.worksheets}


def no_formulas(data: bytes) -> None:
    found = [(s, c.coordinate, c.value) for s, cs in cells(data).items() for c in cs
             if c.data_type == "f" or (isinstance(c.value, str) and c.value[:1] in "=+-@")]
    assert found == []


# --- formula-looking text in CSV and XLSX -------------------------------------------------------
def test_scenario_workbook_keeps_formula_like_text_as_text(demo):
    p = propose_at(demo, 103.36, 22.7547)
    s = Scenario(name=FORMULA, description="+cmd", author="@evil", proposals=(p,))
    data = workbook(Analysis.of(demo), [s], "vi")
    no_formulas(data)
    sheets = cells(data)
    summary, props, params = sheets["Chỉ số"], sheets["Các điểm đề xuất"], sheets["Tham số"]
    assert summary[1].value == "'" + FORMULA  # the scenario's column header
    assert [c.value for c in props if "HYPERLINK" in str(c.value)] == ["'" + FORMULA]
    values = {c.value for c in params}
    assert {f"'{FORMULA}: Mô tả", "'+cmd", f"'{FORMULA}: Người soạn", "'@evil"} <= values


def test_ranking_exports_neutralise_names_from_the_data(hostile):
    r = rank(hostile, preset="balanced", radius_m=2000)
    text = render(r, hostile, "vi", ".csv").decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))  # the header on line 1
    names = [row[table[0].index("Tên")] for row in table[1:]]
    assert sorted(names) == sorted(["'" + CMD, IMG, "Xã C & <D>", "'-2+3"])
    xlsx = render(r, hostile, "vi", ".xlsx")
    no_formulas(xlsx)
    assert "'" + CMD in {c.value for c in cells(xlsx)["Xếp hạng"]}


def test_site_exports_neutralise_names_from_the_data(hostile):
    from planner.candidates import candidates_from_package, problem_from_package
    from planner.site_plan import plan
    from planner.site_plan import render as render_sites

    cands = candidates_from_package(hostile, sources=("villages",), default_cost_vnd=1)
    result = problem_from_package(hostile, cands, radius_m=2000, budget_vnd=10).solve_greedy()
    sp = plan(hostile, cands, result, radius_m=2000, budget_vnd=10, sources=("villages",))
    text = render_sites(sp, hostile, "vi", ".csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    communes = {row[rows[0].index("Xã")] for row in rows[1:]}
    assert "'-2+3" in communes and "-2+3" not in communes
    no_formulas(render_sites(sp, hostile, "vi", ".xlsx"))


def test_data_lists_export_neutralises_and_reads_back_as_typed(hostile):
    data = export_lists_xlsx(hostile, "vi")
    no_formulas(data)
    assert {"'" + CMD, "'-2+3"} <= {c.value for c in cells(data)["Bảng số liệu xã"]}
    back = read_xlsx_bytes("danh-sach.xlsx", data, sheet="Bảng số liệu xã").frame
    assert set(back.iloc[:, 1]) == {CMD, IMG, "Xã C & <D>", "-2+3"}  # the importer takes the ' off again


def test_templates_hold_only_plain_text():
    for kind in KINDS:
        no_formulas(template_xlsx(kind, "vi"))


# --- markup in the PDF brief ----------------------------------------------------------------------
def test_pdf_shows_markup_in_names_exactly_as_typed(demo):
    s = Scenario(name=MARKUP, description="<font color=red>&amp;</font>", author="A & B <i>")
    text = PdfReader(io.BytesIO(brief_pdf(Analysis.of(demo), [s], "en"))).pages[0].extract_text()
    assert f"Scenario being edited: {MARKUP} —" in text
    assert "<font color=red>&amp;</font> — A & B <i>" in text


def test_pdf_with_markup_and_dollars_in_names_of_data_and_scenarios(hostile):
    centre = hostile.communes.geometry.iloc[0].representative_point()
    p = Proposal("N001", centre.x, centre.y, "001")
    a = Scenario(name=r"Giá $\notacommand$ & <x>", proposals=(p,))  # bad mathematics for matplotlib's legend
    b = Scenario(name="_ẩn", proposals=(p,))
    text = " ".join(PdfReader(io.BytesIO(brief_pdf(Analysis.of(hostile), [a, b], "vi"))).pages[0].extract_text().split())
    assert r"So sánh kịch bản: Giá $\notacommand$ & <x> / _ẩn —" in text
    for name in (CMD, IMG, "Xã C & <D>", "-2+3"):  # communes from the data, in the ranking line
        assert " ".join(name.split()) in text, name


# --- HTML in names on the map ---------------------------------------------------------------------
def test_map_shows_names_from_the_data_as_text(hostile):
    from planner.maps import compare_map, overview_map, priority_map

    html = overview_map(hostile, summarize(hostile, radius_m=2000), lang="vi").get_root().render()
    html += priority_map(hostile, rank(hostile, preset="balanced", radius_m=2000).table, lang="vi").get_root().render()
    p = Proposal("<b>N1</b>", 103.0, 22.0, "001")
    s = Scenario(name="<img src=y onerror=alert(2)>", proposals=(p,))
    html += compare_map(hostile, [s, replace(s, name="B")], lang="vi").get_root().render()
    for raw in (IMG, SCRIPT, "<svg onload", '"onmouseover="', "<img src=y", "<b>N1</b>"):
        assert raw not in html, raw
    shown = html.replace("\\u0026", "&")  # as the browser's JavaScript reads the embedded JSON
    for escaped in ("&lt;img src=x onerror=alert(1)&gt;", "&lt;svg onload=alert(1)&gt;", "&lt;img src=y onerror=alert(2)&gt;",
                    "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;onmouseover=&quot;alert(1)"):
        assert escaped in shown, escaped


def test_proposal_tooltips_escape_ids():
    from planner.maps import proposals_layer
    from planner.proposals import proposals_frame

    import folium

    m = folium.Map()
    proposals_layer(proposals_frame([Proposal(IMG, 103.0, 22.0, "001")]), radius_m=2000, lang="en").add_to(m)
    html = m.get_root().render()
    assert IMG not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


# --- the scenario file (GeoPackage) -------------------------------------------------------------
def scenario_file(rows: list[tuple[str, str]] | None = None, **json_fields) -> bytes:
    doc = Scenario(name="Tệp").to_dict() | json_fields
    rows = rows if rows is not None else [("name", "Tệp"), ("scenario_json", json.dumps(doc))]
    return gpkg_bytes({"parameters": pd.DataFrame(rows, columns=["key", "value"])})


def refused(data: bytes, lang: str = "vi", name: str = "kich-ban.gpkg") -> PlannerError:
    with pytest.raises(PlannerError) as err:
        from_gpkg(data, name=name)
    return err.value


def test_scenario_file_round_trip_still_works(demo):
    s = Scenario(name="Đủ", description="x" * 5_000, proposals=(propose_at(demo, 103.36, 22.7547),))
    assert from_gpkg(to_gpkg(s)) == s


def test_scenario_file_size_and_type():
    assert refused(b"\0" * (MAX_SCENARIO_MB * 1_000_000 + 1)).message("vi") == "Tệp quá lớn (tối đa 50 MB)"
    for data in (b"", b"PK\x03\x04 a zip, not a GeoPackage", b"{\"type\": \"FeatureCollection\"}"):
        assert refused(data).message("vi") == "kich-ban.gpkg: không phải tệp GeoPackage (.gpkg là một cơ sở dữ liệu SQLite)"
    assert refused(b"SQLite format 3\x00" + b"\xff" * 2000).key == "err.not_gpkg"  # an SQLite header, then garbage


def test_scenario_file_with_the_wrong_layers():
    other = gpkg_bytes({"budget": pd.DataFrame({"year": [2026]})})
    assert refused(other).message("en") == "The scenario file is malformed: no 'parameters' table"
    assert refused(scenario_file(rows=[("name", "x")])).message("en") == (
        "The scenario file is malformed: no 'scenario_json' row in 'parameters'")


@pytest.mark.parametrize("text, says", [
    ("{", "The scenario file is malformed: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
    ("[" * 100_000 + "]" * 100_000, "The scenario file is malformed: maximum recursion depth exceeded"),
    ("[1, 2]", "The scenario file is malformed: a scenario must be a JSON object, not list"),
    ('{"name": "x", "budget_by_year": [1]}', "The scenario file is malformed: 'list' object has no attribute 'items'"),
])
def test_scenario_file_with_malformed_json(text, says):
    assert refused(scenario_file(rows=[("scenario_json", text)])).message("en").startswith(says)


def _prop(**kw) -> dict:
    return {"id": "N001", "lon": 103.36, "lat": 22.75, "commune_code": "03562", **kw}


@pytest.mark.parametrize("fields, says", [
    ({"radius_m": float("nan")}, "radius_m = nan (allowed: 1 … 100000)"),
    ({"radius_m": 1e30}, "radius_m = 1e+30 (allowed: 1 … 100000)"),
    ({"budget_by_year": {"2026": 10**30}}, "budget_by_year.2026 = 1000000000000000000000000000000 (allowed: 0 … 1,000,000,000,000,000)"),
    ({"budget_by_year": {"99999": 1}}, "budget_by_year (year) = 99999 (allowed: 2000 … 2100)"),
    ({"proposals": [_prop(cost_vnd=-5)]}, "proposals[N001].cost_vnd = -5 (allowed: 0 … 1,000,000,000,000,000)"),
    ({"proposals": [_prop(lon=500.0)]}, "proposals[N001].lon = 500.0 (allowed: -180 … 180)"),
    ({"proposals": [_prop(kind="<script>")]}, "proposals[N001].kind = '<script>' (allowed: play_area, culture_point)"),
    ({"proposals": [_prop(funding="bank")]}, "proposals[N001].funding = 'bank' (allowed: state, non_state)"),
    ({"proposals": [_prop()] * (MAX_PROPOSALS + 1)}, f"proposals = {MAX_PROPOSALS + 1} (allowed: ≤ {MAX_PROPOSALS})"),
    ({"description": "x" * 5_001}, "description = 'xxxxx"),
    ({"preset": "drop table"}, "preset = 'drop table' (allowed: "),
    ({"weights": {"children": float("inf")}}, "weights.children = inf (allowed: 0 … 1000)"),
])
def test_scenario_file_with_absurd_values(fields, says):
    err = refused(scenario_file(**fields))
    assert err.key == "err.scenario_value"
    assert err.message("en").startswith(f"The scenario has an invalid value: {says}")
    assert err.message("vi").startswith("Kịch bản có giá trị không hợp lệ: ")


def _with_sql(data: bytes, *statements: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.gpkg"
        path.write_bytes(data)
        db = sqlite3.connect(path)
        for sql in statements:
            db.execute(sql)
        db.commit()
        db.close()
        return path.read_bytes()


def test_scenario_file_with_sql_that_runs_on_reading_is_refused_at_once():
    endless = _with_sql(scenario_file(), "ALTER TABLE parameters RENAME TO p0",
                        "CREATE VIEW parameters AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) "
                        "SELECT fid, key, value FROM p0, (SELECT max(n) FROM c)")
    err = refused(endless)  # without the check, GDAL would run the view for ever
    assert err.message("vi") == t("err.gpkg_sql", "vi", file="kich-ban.gpkg", names="parameters")
    computed = _with_sql(scenario_file(), "CREATE TABLE calc (a INTEGER, b TEXT AS (printf('%.*c', a, 'x')))")
    assert refused(computed).message("en") == t("err.gpkg_sql", "en", file="kich-ban.gpkg", names="calc")


def test_truncated_geopackage_is_explained_on_both_doors():
    half = to_gpkg(Scenario(name="x"))[:20_000]
    assert refused(half).message("en") == "The file is not a readable GeoPackage: database disk image is malformed"
    with pytest.raises(PlannerError) as err:
        inspect_upload("thon-ban.gpkg", half, kind="villages")
    assert err.value.message("vi") == "Tệp không phải GeoPackage đọc được: database disk image is malformed"


def test_data_upload_of_a_geopackage_without_geometry_is_explained():
    """A scenario file (a plain 'parameters' table) offered as villages: said, not a crash."""
    with pytest.raises(PlannerError) as err:
        inspect_upload("kich-ban.gpkg", to_gpkg(Scenario(name="x")), kind="villages")
    assert err.value.message("en") == ("kich-ban.gpkg: layer 'parameters' has no geometry (it is a plain table); "
                                       "use a layer with points or polygons")


def test_data_upload_geopackage_with_a_view_is_refused():
    endless = _with_sql(scenario_file(), "CREATE VIEW v AS SELECT 1")
    with pytest.raises(PlannerError) as err:
        inspect_upload("thon-ban.gpkg", endless, kind="villages")
    assert err.value.message("en") == t("err.gpkg_sql", "en", file="thon-ban.gpkg", names="v")


# --- absurd values in a data package -------------------------------------------------------------
@pytest.mark.parametrize("xy", [[1e30, 1e30], [500.0, 22.0], [103.0, -95.0]])
def test_package_with_coordinates_off_the_earth_is_explained(tiny_dir, xy):
    f = tiny_dir / "boundaries" / "villages.geojson"
    doc = json.loads(f.read_text(encoding="utf-8"))
    doc["features"][2]["geometry"]["coordinates"] = xy
    f.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(PlannerError) as err:
        read_package(tiny_dir)
    assert err.value.message("en") == (
        f"The data package at {tiny_dir} has 1 problem(s): boundaries/villages.geojson: invalid coordinates (not finite, "
        "or outside longitude -180…180, latitude -90…90) in 1 row(s) (e.g. rows 3); check the coordinate system")


# --- sizes ----------------------------------------------------------------------------------------
def test_upload_limits_agree_and_are_explained():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 2**20 == MAX_UPLOAD_BYTES
    with pytest.raises(PlannerError) as err:
        check_size(MAX_UPLOAD_BYTES + 1, "thon-ban.csv")
    assert err.value.message("vi") == "thon-ban.csv: tệp 200.0 MB vượt giới hạn 200 MB"
    with pytest.raises(PlannerError) as err:
        check_size(0, "thon-ban.csv")
    assert err.value.message("en") == "thon-ban.csv: the file is empty (0 bytes)"


def test_scenario_page_bounds_its_upload_and_its_text_fields():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("views/scenarios.py").run()
    assert not at.exception
    [uploader] = at.get("file_uploader")
    assert uploader.proto.max_upload_size_mb == MAX_SCENARIO_MB and list(uploader.proto.type) == [".gpkg"]
    assert at.text_input(key=plan_key(at, "name")).proto.max_chars == 120
    assert at.text_input(key=plan_key(at, "author-")).proto.max_chars == 120
    assert at.text_area(key=plan_key(at, "description")).proto.max_chars == 5_000


def test_names_from_the_data_are_shown_literally_in_messages(tmp_path):
    """Names that look like markdown reach Streamlit escaped (ui.markdown.plain): the package's name
    in the sidebar, a commune's name in the ranking's explanation."""
    from planner.i18n import t as text
    from planner.ranking import explain
    from ui.markdown import plain

    layers = tiny_layers()
    layers["communes"] = layers["communes"].assign(name=["[Xã A](http://e.vil)", "*B*", "$C$", "- D"])
    folder = write_package(layers, {"name": "[Gói](http://e.vil) _x_", "demo": False}, tmp_path / "md")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["data_dir"] = str(folder)
    at.run()
    assert not at.exception and not at.error
    assert f"{text('app.data_source', 'vi')}: \\[Gói\\](http://e.vil) \\_x\\_" in [c.value for c in at.sidebar.caption]
    at.switch_page("views/priorities.py").run()
    assert not at.exception
    ranking = rank(read_package(folder), preset="balanced", radius_m=2000)
    said = explain(ranking, ranking.table["code"][0], "vi")
    assert plain(said) in [m.value for m in at.markdown] and said not in [m.value for m in at.markdown]


# --- names that would become paths ---------------------------------------------------------------
@pytest.mark.parametrize("name, folder", [
    ("../../../etc/cron.d", "etc-cron-d"),
    ("/tmp/x", "tmp-x"),
    ("Dữ liệu Sìn Hồ / 2025", "du-lieu-sin-ho-2025"),
    ("..", "du-lieu"),
    ("", "du-lieu"),
    ("C:\\Windows\\system32", "c-windows-system32"),
    ("x" * 500, "x" * 60),
])
def test_package_names_become_one_safe_folder(name, folder):
    assert folder_name(name) == folder


# --- files that would make GDAL read elsewhere (GDAL picks its reader by content, not by name) ----
VRT = (b'<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>CSV:/etc/hostname</SrcDataSource>'
       b'<GeometryType>wkbPoint</GeometryType><LayerSRS>EPSG:4326</LayerSRS>'
       b'<GeometryField encoding="PointFromColumns" x="a" y="a"/></OGRVRTLayer></OGRVRTDataSource>')


def _zip(name: str, data: bytes) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("name, data, key", [
    ("thon-ban.geojson", VRT, "err.imp_refers_elsewhere"),
    ("thon-ban.json", b"  \n" + VRT, "err.imp_refers_elsewhere"),
    ("thon-ban.kml", b'<?xml version="1.0"?><kml>' + VRT + b"</kml>", "err.imp_refers_elsewhere"),
    ("thon-ban.zip", _zip("a/thon-ban.geojson", VRT), "err.imp_refers_elsewhere"),
    ("thon-ban.kml", b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><NetworkLink>'
                     b"<Link><href>http://10.0.0.1/x.kml</href></Link></NetworkLink></Document></kml>",
     "err.imp_refers_elsewhere"),
    ("thon-ban.kml", b'{"type": "FeatureCollection", "features": []}', "err.imp_not_format"),
    ("thon-ban.geojson", b"<html><body>not json</body></html>", "err.imp_not_format"),
    ("thon-ban.zip", _zip("thon-ban.shp", b"not a shapefile") + b"", "err.imp_shp_parts"),
])
def test_files_pointing_elsewhere_or_in_disguise_are_refused(name, data, key):
    from planner.errors import PlannerError
    from planner.importing import inspect_upload

    with pytest.raises(PlannerError) as err:
        inspect_upload(name, data, kind="villages")
    assert err.value.key == key
    assert name in err.value.message("vi") and name in err.value.message("en")


def test_a_shapefile_with_a_wrong_header_is_refused():
    from planner.errors import PlannerError
    from planner.importing import inspect_upload

    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for ext in (".shp", ".shx", ".dbf"):
            z.writestr(f"thon-ban{ext}", VRT)
    with pytest.raises(PlannerError) as err:
        inspect_upload("thon-ban.zip", buf.getvalue(), kind="villages")
    assert err.value.key in ("err.imp_refers_elsewhere", "err.imp_not_format")


def test_a_geopackage_named_geojson_is_refused_before_gdal_runs_its_sql(tmp_path):
    import sqlite3

    import geopandas as gpd
    from shapely.geometry import Point

    from planner.errors import PlannerError
    from planner.importing import inspect_upload
    from planner.io import gpkg_bytes

    g = gpd.GeoDataFrame({"name": ["a"], "children": [1]}, geometry=[Point(103.4, 22.3)], crs=4326)
    path = tmp_path / "x.gpkg"
    path.write_bytes(gpkg_bytes({"villages": g}))
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE villages RENAME TO v0")
    db.execute("CREATE VIEW villages AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) "
               "SELECT v0.* FROM v0, (SELECT max(n) FROM c)")
    db.commit()
    db.close()
    for name, data in (("thon-ban.geojson", path.read_bytes()), ("thon-ban.zip", _zip("thon-ban.json", path.read_bytes()))):
        with pytest.raises(PlannerError) as err:  # before: GDAL opened it as a GeoPackage and ran the endless view
            inspect_upload(name, data, kind="villages")
        assert err.value.key == "err.imp_not_format"
