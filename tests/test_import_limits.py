"""Cheap limits on uploads, checked before the expensive step (planner/importing/files.py; the table
in docs/deployment.md, section 6), and `planner validate` giving a message, never a traceback, on
every hostile file of the corpus (tests/test_import_corpus.py, HOSTILE)."""
from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from planner import cli
from planner import coordinates as co
from planner.i18n import TEXT
from planner.importing import ImportSource, worker
from planner.importing import files as import_files
from tests.test_import_corpus import HOSTILE, LOCAL_WKT, MARS_WKT, ENG_WKT, _gpkg, _xlsx_unicode
from tests.test_import_helpers import VILLAGE_HEADER, csv_bytes, keys, the, validate, village_rows, villages_csv

ROOT = Path(__file__).resolve().parent.parent
LIMITS = ["MAX_UPLOAD_BYTES", "MAX_ZIP_ENTRIES", "MAX_UNZIPPED_BYTES", "MAX_ZIP_RATIO", "MAX_ZIP_NAME_BYTES",
          "MAX_ZIP_PATH_BYTES", "MAX_SHARED_STRINGS_BYTES", "MAX_TABLE_ROWS", "MAX_TITLE_ROWS", "MAX_TABLE_COLUMNS",
          "MAX_TABLE_CELLS", "MAX_CELL_CHARS", "MAX_FEATURE_VERTICES", "MAX_LAYER_VERTICES", "SNIFF_CHARS",
          "SAMPLE_CHARS", "SAMPLE_LINES"]


# --- the limits and where they are stated ---------------------------------------------------------
def _stated(value: int) -> str:
    return f"{value // 2**20} MB" if value >= 2**20 and value % 2**20 == 0 else f"{value:,}"


def test_every_limit_is_stated_in_the_deployment_guide():
    section = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8").split("## 6. Limits on uploaded files")[1]
    rows = {}
    for line in section.splitlines():
        for name in re.findall(r"`([A-Z_]+)`", line):
            rows[name] = line
    for name in LIMITS:
        value = getattr(import_files, name)
        assert name in rows, name
        assert _stated(value) in rows[name], (name, _stated(value), rows[name])
    assert import_files.MAX_UNZIPPED_BYTES <= 200 * 2**20 and import_files.MAX_TABLE_ROWS == 200_000


# --- the delimiter sniffer ------------------------------------------------------------------------
def csv_of_quote_storms(tmp_path) -> bytes:
    """60 lines of 480 comma-quote pairs: the sniffer's expressions are quadratic on them."""
    return (("Tên,Ghi chú\n" + ',"a' * 480 + "\n") * 60).encode()


def test_the_delimiter_sniffer_sees_a_capped_sample(monkeypatch):
    """50 lines of 480 quote-comma pairs: csv.Sniffer took half a minute on the 96 KB the old sample held."""
    seen = []
    sniff = csv.Sniffer.sniff

    def spy(self, sample, delimiters=None):
        seen.append(len(sample))
        return sniff(self, sample, delimiters)

    monkeypatch.setattr(csv.Sniffer, "sniff", spy)
    start = time.monotonic()
    plan = validate("bang.csv", csv_of_quote_storms(None), "table")
    assert time.monotonic() - start < 10
    assert seen and max(seen) <= import_files.SNIFF_CHARS
    assert "err.imp_unreadable" not in keys(plan)


def test_the_delimiter_is_still_found_from_the_capped_sample():
    rows = [VILLAGE_HEADER] + village_rows(4) * 600  # 2,400 rows: more than the sample holds
    assert import_files._delimiter(csv_bytes(rows, delimiter=";").decode()) == ";"
    assert import_files._delimiter(csv_bytes(rows, delimiter="\t").decode()) == "\t"


# --- tables -----------------------------------------------------------------------------------------
def csv_of_600_columns(tmp_path) -> bytes:
    return csv_bytes([[f"c{i}" for i in range(600)], list(range(600))])


def workbook_of_600_columns(tmp_path) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.add_worksheet("villages").write_row(0, 0, [f"c{i}" for i in range(600)])
    wb.close()
    return buf.getvalue()


def test_csv_header_over_the_column_limit():
    p = the(validate("thon.csv", csv_of_600_columns(None), "villages"), "err.imp_too_many_columns")
    assert (p.params["row"], p.params["limit"]) == (1, 500)


def test_csv_over_the_cell_limit(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_TABLE_CELLS", 1_000)
    data = csv_bytes([[f"c{i}" for i in range(20)]] + [list(range(20))] * 100)
    assert the(validate("bang.csv", data, "table"), "err.imp_too_many_cells").params["limit"] == 1_000


def test_commas_and_line_breaks_inside_quotes_are_not_counted_as_columns_or_rows(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_TABLE_ROWS", 50)
    rows = village_rows(4)
    rows[1][1] = "Bản A, " * 600 + "\n" * 100  # 600 commas and 100 line breaks in one quoted cell
    plan = validate("thon.csv", villages_csv(rows), "villages")
    assert not {"err.imp_too_many_columns", "err.imp_too_many_rows", "err.imp_too_many_cells"} & set(keys(plan)), keys(plan)
    assert len(plan.layers["villages"]) == 4


def test_workbook_over_the_column_limit():
    p = the(validate("thon.xlsx", workbook_of_600_columns(None), "villages"), "err.imp_sheet_too_big")
    assert (p.params["columns"], p.params["rows"], p.params["ref"]) == (600, 1, "WB1")


def test_a_workbook_whose_dimension_claims_xfd1048576_is_read_by_its_real_cells():
    """The <dimension> says A1:XFD1048576, the cells are a small table: openpyxl alone pads every
    row to 16,384 cells for 1,048,576 rows; the sheet's own cells bound the reading instead."""
    src = zipfile.ZipFile(io.BytesIO(_xlsx_unicode()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body, n = re.subn(rb'<dimension ref="[A-Z0-9:]+"', b'<dimension ref="A1:XFD1048576"', body)
                assert n == 1
            zf.writestr(info.filename, body)
    plan = worker.run("prepare_import", [ImportSource("villages", "thon.xlsx", buf.getvalue())], complete=False,
                      limits=worker.Limits(memory_mb=1024, cpu_s=60, wall_s=90))
    assert plan.ok, keys(plan)
    assert len(plan.layers["villages"]) == 4 and plan.sources[0].columns == tuple(VILLAGE_HEADER)


# --- GIS layers ---------------------------------------------------------------------------------------
def test_gis_layer_rows_and_columns_counted_before_it_is_read(tmp_path, monkeypatch):
    import pyogrio

    gdf = gpd.GeoDataFrame({"ma": [f"V{i}" for i in range(30)]}, geometry=[Point(103.4, 22.4)] * 30, crs=4326)
    data = _gpkg(tmp_path, gdf)
    monkeypatch.setattr(pyogrio, "read_dataframe", lambda *a, **k: pytest.fail("read before it was counted"))
    monkeypatch.setattr(import_files, "MAX_TABLE_ROWS", 20)
    assert the(validate("thon.gpkg", data, "villages"), "err.imp_too_many_rows").params["limit"] == 20
    monkeypatch.setattr(import_files, "MAX_TABLE_ROWS", 200_000)
    monkeypatch.setattr(import_files, "MAX_TABLE_COLUMNS", 0)
    assert the(validate("thon.gpkg", data, "villages"), "err.imp_too_many_columns").params["limit"] == 0


# --- coordinate systems ----------------------------------------------------------------------------
@pytest.mark.parametrize("crs, earth", [("EPSG:4326", True), ("EPSG:4756", True), ("EPSG:9205", True), ("EPSG:3405", True),
                                        ("EPSG:32648", True), ("IAU_2015:49900", False), ("IAU_2015:49910", False),
                                        (MARS_WKT, False), (LOCAL_WKT, False), (ENG_WKT, False), ("EPSG:4978", False),
                                        ("EPSG:5714", False)])
def test_earth_coordinate_systems(crs, earth):
    assert co.is_earth_crs(crs) is earth


def test_validate_with_a_crs_option_of_another_body_says_so(tmp_path, capsys):
    path = tmp_path / "thon.csv"
    path.write_bytes(villages_csv())
    code = cli.main(["validate", str(path), "--kind", "villages", "--crs", "IAU_2015:49900", "--lang", "en"])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in out + err
    assert "not an Earth coordinate system" in err and "WGS 84" in err and "VN-2000" in err


# --- `planner validate` on every hostile file ---------------------------------------------------------
def _dimension_claims_xfd(tmp_path) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(_xlsx_unicode()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            body = src.read(info)
            zf.writestr(info.filename, re.sub(rb'<dimension ref="[A-Z0-9:]+"', b'<dimension ref="A1:XFD1048576"', body))
    return buf.getvalue()


def _quoted_commas(tmp_path) -> bytes:
    rows = village_rows(4)
    rows[1][1] = "Bản A, " * 600
    return villages_csv(rows)


MORE = {"csv_600_columns": ("thon.csv", "villages", csv_of_600_columns, "err.imp_too_many_columns"),
        "xlsx_600_columns": ("thon.xlsx", "villages", workbook_of_600_columns, "err.imp_sheet_too_big"),
        "csv_quote_storms": ("bang.csv", "table", csv_of_quote_storms, "imp.unmatched_name")}
VALID = {"xlsx_dimension_claims_xfd": ("thon.xlsx", "villages", _dimension_claims_xfd),
         "csv_quoted_commas": ("thon.csv", "villages", _quoted_commas)}
CASES = {k: (name, kind, build, 1, key) for k, (name, kind, build, key) in (HOSTILE | MORE).items()} | {
    k: (name, kind, build, 0, None) for k, (name, kind, build) in VALID.items()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_gives_a_message_never_a_traceback(tmp_path, capsys, case):
    name, kind, build, expected, key = CASES[case]
    path = tmp_path / "tep" / name
    path.parent.mkdir()
    path.write_bytes(build(tmp_path))
    code = cli.main(["validate", str(path), "--kind", kind, "--lang", "en"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and err == "", (out, err)
    assert code == expected, (out, err)
    if expected:  # the message of the corpus's key, with the file's name
        words = max(re.split(r"\{[^}]*\}", TEXT[key][1]), key=len).strip(" ;:,.")
        assert f"- Error: {name}" in out and words in out, (words, out)


def _sheet_zip(xml: bytes) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


@pytest.mark.parametrize("xml, extent", [
    (b'<worksheet><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1"/><c r="C1"/></row>'
     b'<row r="4"><c r="B4"/></row></sheetData></worksheet>', (4, 3)),  # the cells, not the dimension
    (b'<x:worksheet xmlns:x="s"><x:sheetData><x:row r="2"><x:c r="AA2"/></x:row></x:sheetData></x:worksheet>', (2, 27)),
    (b"<worksheet><sheetData><row><c/><c/><c/></row><row><c/></row></sheetData></worksheet>", (2, 3)),  # no references
    (b"<worksheet><sheetData/></worksheet>", (0, 0)),
])
def test_a_sheets_extent_is_read_from_its_rows_and_cells(xml, extent):
    assert import_files._sheet_extent(_sheet_zip(xml), "xl/worksheets/sheet1.xml", "t.xlsx") == extent


@pytest.mark.parametrize("xml, ref", [
    (b"<worksheet><sheetData><row>" + b"<c/>" * 600 + b"</row></sheetData></worksheet>", "WB1"),
    (b'<worksheet><sheetData><row r="1"><c r="A1"/></row><row r="300000"><c r="A300000"/></row></sheetData></worksheet>', "A300000"),
    (b'<worksheet><sheetData><row r="' + b"9" * 5000 + b'"><c r="A1"/></row></sheetData></worksheet>', "A1000000000000"),
])
def test_a_sheet_over_the_limits_is_refused_from_its_xml(xml, ref):
    with pytest.raises(import_files.UploadError) as err:
        import_files._sheet_extent(_sheet_zip(xml), None, "t.xlsx [x]")
    assert err.value.key == "err.imp_sheet_too_big" and err.value.params["ref"] == ref
