"""Uploads accepted but read wrong without a word (issue 13, class 5): money and areas written the
Vietnamese way, decomposed Unicode, undecodable or hidden characters, a shapefile with more shapes
than table rows, files mixing UTF-8 and TCVN3 rows. Each case says exactly what the report holds."""
from __future__ import annotations

import io
import json
import unicodedata
import warnings

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import Point

from planner import encodings
from planner.contracts import LAYER_BY_NAME
from planner.importing.columns import EN, VI, cell_text, number_reading, parse_number
from planner.importing.text import cell_flags, dbf_records, foreign_encoding, shp_records
from tests.test_import_helpers import (DOAN_KET, VILLAGE_HEADER, csv_bytes, keys, shapefile_entries, the, validate,
                                       village_rows, villages_csv, zip_bytes)

NEW_KEYS = ("imp.ambiguous_number", "imp.text_undecodable", "imp.text_control", "imp.text_bare_mark",
            "imp.mixed_encoding", "imp.shp_count")
SITE_HEADER = ["Mã", "Mã xã", "Diện tích (m2)", "Kinh phí (đồng)", "Loại đất", "Kinh độ", "Vĩ độ"]


def _col(layer: str, name: str):
    return next(c for c in LAYER_BY_NAME[layer].columns if c.name == name)


def _sites(areas: list, costs: list):
    code, _, lon, lat = DOAN_KET
    rows = [[f"C{i + 1}", code, a, c, "đất công", round(lon + 0.002 * i, 6), lat] for i, (a, c) in enumerate(zip(areas, costs))]
    return validate("dia_diem.csv", csv_bytes([SITE_HEADER] + rows, delimiter=";"), "candidate_sites")


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _worded(plan) -> None:
    """Every new problem of `plan` formats in both languages with the parameters the code gives it."""
    for p in plan.problems:
        if p.key in NEW_KEYS:
            for lang in ("vi", "en"):
                text = p.message(lang)
                assert "{" not in text and p.params["file"] in text, (p.key, lang, text)


# --- 1. money and areas written the Vietnamese way ----------------------------------------------------
def test_money_and_area_in_vietnamese_style_are_read_as_thousands():
    plan = _sites(["1.200", "1.200,5", "850"], ["750.000", "1.250.000", "2.000.000"])
    sites = plan.layers["candidate_sites"]
    assert list(sites["est_cost_vnd"]) == [750_000.0, 1_250_000.0, 2_000_000.0]
    assert list(sites["area_m2"]) == [1200.0, 1200.5, 850.0]
    assert "imp.ambiguous_number" not in keys(plan)


def test_english_style_settled_by_another_cell():
    plan = _sites(["1,200", "0.5", "2.75"], ["1,250,000", "750,000", "99.5"])
    sites = plan.layers["candidate_sites"]
    assert list(sites["area_m2"]) == [1200.0, 0.5, 2.75]
    assert list(sites["est_cost_vnd"]) == [1_250_000.0, 750_000.0, 99.5]
    assert "imp.ambiguous_number" not in keys(plan)


def test_the_column_convention_decides_a_lone_separator():
    # a decimal comma elsewhere in the column: "1,200" is 1.2, "1.200" is 1200
    plan = _sites(["1,200", "0,5", "1.200"], ["1.000", "2.500.000", "3.000"])
    sites = plan.layers["candidate_sites"]
    assert list(sites["area_m2"]) == [1.2, 0.5, 1200.0]
    assert list(sites["est_cost_vnd"]) == [1000.0, 2_500_000.0, 3000.0]
    # a decimal dot elsewhere: "1.200" is 1.2
    plan = _sites(["1.200", "2.5", "3"], ["10", "20", "30"])
    assert list(plan.layers["candidate_sites"]["area_m2"]) == [1.2, 2.5, 3.0]
    assert "imp.ambiguous_number" not in keys(plan)


def test_unsettled_value_is_read_as_thousands_and_reported():
    plan = _sites(["1.200", "850", "1,500"], ["750.000", "500.000", "1200000"])
    sites = plan.layers["candidate_sites"]
    assert list(sites["area_m2"]) == [1200.0, 850.0, 1500.0]
    assert list(sites["est_cost_vnd"]) == [750_000.0, 500_000.0, 1_200_000.0]
    found = {p.column: p for p in plan.problems if p.key == "imp.ambiguous_number"}
    assert set(found) == {"Diện tích (m2)", "Kinh phí (đồng)"}
    area, cost = found["Diện tích (m2)"], found["Kinh phí (đồng)"]
    assert (area.severity, area.row, area.params["rows"], area.params["n"]) == ("warning", 2, "2, 4", 2)
    assert area.params["values"] == "'1.200' → 1200, '1,500' → 1500"
    assert (cost.params["rows"], cost.params["values"]) == ("2, 3", "'750.000' → 750000, '500.000' → 500000")
    assert cost.params["file"] == "dia_diem.csv"
    assert "1200" in area.message("en") and "hàng nghìn" in area.message("vi")
    assert plan.ok  # a warning: the import can go on
    _worded(plan)


def test_conflicting_conventions_do_not_settle_the_column():
    plan = _sites(["1.250.000", "1,250,000", "1.200"], ["1", "2", "3"])
    assert list(plan.layers["candidate_sites"]["area_m2"]) == [1_250_000.0, 1_250_000.0, 1200.0]
    assert the(plan, "imp.ambiguous_number").params["rows"] == "4"


def test_populations_are_read_as_before():
    rows = village_rows(3)
    rows[0][3], rows[1][3], rows[2][3] = "1.200", "1,300", "12.345.678"
    plan = validate("thon.csv", villages_csv(rows), "villages")
    assert list(plan.layers["villages"]["population"]) == [1200, 1300, 12_345_678]
    assert not set(keys(plan)) & set(NEW_KEYS)


def test_parse_number_with_a_convention():
    assert parse_number("750.000") == 750.0  # a coordinate or a share: the decimal reading
    assert parse_number("750.000", whole=True) == 750_000.0
    assert parse_number("1.200", whole=True, convention=EN) == 1.2
    assert parse_number("1,200", whole=True, convention=VI) == 1.2
    assert parse_number("1,200", whole=True, convention=EN) == 1200.0
    assert parse_number("0,500", whole=True) == 0.5  # no thousands group starts with 0
    assert parse_number("1.200,5", convention=EN) == 1200.5  # both marks: the cell says it itself
    assert parse_number("-1.200", whole=True) == -1200.0


def test_number_reading_of_each_kind_of_column():
    cost, area_km2, pop = _col("candidate_sites", "est_cost_vnd"), _col("communes", "area_km2"), _col("villages", "population")
    assert number_reading(cost, ["1.200", None, 5.0, "abc", "0,5"]).convention == VI
    assert number_reading(cost, ["1.200", "1,5"]).ambiguous == ()
    assert number_reading(cost, ["1.200", "300", "2,000"]).ambiguous == (0, 2)
    assert number_reading(_col("communes", "land_available_m2"), ["1.200"]).ambiguous == (0,)
    assert number_reading(area_km2, ["1.200"]).whole is False  # km²: decimals are common
    assert number_reading(pop, ["1.200"]).ambiguous == ()


# --- 2. text stored NFC -------------------------------------------------------------------------------
def _villages_geojson(rows: list[tuple[str, str]]) -> bytes:
    code, _, lon, lat = DOAN_KET
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon + 0.002 * i, lat]},
                 "properties": {"Mã": vid, "Tên thôn": name, "Mã xã": code, "Dân số": 100, "Trẻ em": 30}}
                for i, (vid, name) in enumerate(rows)]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


def test_decomposed_names_are_stored_composed():
    names = ["Bản Nậm Tăm", "Bản Mường Tè", "Tổ dân phố Đoàn Kết"]
    data = _villages_geojson([(f"V{i}", _nfd(n)) for i, n in enumerate(names)])
    assert _nfd(names[0]).encode() in data  # the file really holds decomposed text
    plan = validate("thon.geojson", data, "villages")
    stored = list(plan.layers["villages"]["name"])
    assert stored == names and all(unicodedata.is_normalized("NFC", s) for s in stored)
    assert plan.sources[0].preview[0]["Tên thôn"] == names[0]


def test_ids_equal_once_composed_are_duplicates():
    data = _villages_geojson([("NẬM01", "Bản A"), (_nfd("NẬM01"), "Bản B"), ("NẬM02", "Bản C")])
    plan = validate("thon.geojson", data, "villages")
    p = the(plan, "imp.duplicate")
    assert (p.column, p.params["rows"], p.params["values"]) == ("Mã", "1, 2", "'NẬM01'")
    assert list(plan.layers["villages"]["id"]) == ["NẬM01", "NẬM01", "NẬM02"]


def test_decomposed_names_in_a_workbook():
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(VILLAGE_HEADER)
    for row in village_rows(2):
        row[1] = _nfd("Bản Pa Ủ " + row[0])
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    plan = validate("thon.xlsx", buf.getvalue(), "villages")
    assert list(plan.layers["villages"]["name"]) == ["Bản Pa Ủ V01", "Bản Pa Ủ V02"]


def test_cell_text_composes():
    assert cell_text(_nfd(" Mường  Tè ")) == "Mường Tè"


# --- 3. undecodable bytes, control characters, bare tone marks ---------------------------------------
def test_suspicious_characters_are_warned_per_column_with_rows():
    rows = village_rows(6)
    rows[0][1] = "Bản\x07 Mường"  # control character (a bell)
    rows[1][1] = "Bản N\ufffd Tăm"  # a replacement character: bytes that could not be decoded
    rows[2][1] = "\u0301Bản Lả"  # an acute accent standing on nothing, at the start
    rows[3][1] = "Bản \u0300Nà"  # ... at the start of a word
    rows[4][0] = "V\x1b05"  # in the id column too (an escape)
    rows[5][1] = "Bản\tNà Xẻ"  # a tab is fine
    plan = validate("thon.csv", villages_csv(rows), "villages")
    control = [p for p in plan.problems if p.key == "imp.text_control"]
    assert sorted((p.column, p.params["rows"]) for p in control) == [("Mã", "6"), ("Tên thôn", "2")]
    assert next(p for p in control if p.column == "Tên thôn").params["values"] == "'Bản\\x07 Mường'"
    undecodable = the(plan, "imp.text_undecodable")
    assert (undecodable.column, undecodable.params["rows"], undecodable.severity) == ("Tên thôn", "3", "warning")
    bare = the(plan, "imp.text_bare_mark")
    assert (bare.column, bare.params["rows"], bare.params["n"], bare.row) == ("Tên thôn", "4, 5", 2, 4)
    assert "\u25cc\u0301" in bare.params["values"]
    assert "(dòng 4, 5)" in bare.message("vi") and "Tên thôn" in bare.message("en")
    _worded(plan)


def test_bytes_that_are_not_utf8_in_a_file_read_as_utf8():
    data = villages_csv().replace(b"N\xc3\xa0 X\xe1\xba\xbb 2", b"N\xff X 2")
    plan = validate("thon.csv", data, "villages", encoding="utf-8")
    p = the(plan, "imp.text_undecodable")
    assert (p.column, p.params["rows"]) == ("Tên thôn", "3")
    _worded(plan)


def test_cell_flags():
    assert cell_flags("Bản Mường Tè") == ()
    assert cell_flags(_nfd("Bản Mường Tè")) == ()  # decomposed marks sit on their letters
    assert cell_flags("Nà\r\nXẻ\t1") == ()
    assert cell_flags("A\x00B\x85") == ("control",)
    assert cell_flags("\u0309") == ("bare_mark",)
    assert cell_flags("3\u0300") == ("bare_mark",)
    assert cell_flags("\ufffd\u0323") == ("undecodable", "bare_mark")


def test_clean_files_in_every_encoding_get_none_of_these_warnings():
    for encoding in ("utf-8", "cp1258", "tcvn3", "vni"):
        rows = village_rows()
        rows[0][1] = "Bản Mường Tè Ướt"
        plan = validate("thon.csv", villages_csv(rows, encoding=encoding), "villages")
        assert plan.ok and not set(keys(plan)) & set(NEW_KEYS), (encoding, keys(plan))


# --- 4. a shapefile with more shapes than table rows --------------------------------------------------
def _points(n: int) -> gpd.GeoDataFrame:
    code, _, lon, lat = DOAN_KET
    return gpd.GeoDataFrame({"ma": [f"V{i}" for i in range(1, n + 1)], "ten": [f"Ban {i}" for i in range(1, n + 1)],
                             "ma_xa": [code] * n, "dan_so": [100] * n, "tre_em": [30] * n},
                            geometry=[Point(lon + 0.002 * i, lat) for i in range(n)], crs=4326)


def test_more_shapes_than_table_rows_is_reported(tmp_path):
    five = shapefile_entries(tmp_path / "five", _points(5), stem="thon")
    three = shapefile_entries(tmp_path / "three", _points(3), stem="thon")
    plan = validate("thon.zip", zip_bytes(five | {"thon.dbf": three["thon.dbf"]}), "villages")
    p = the(plan, "imp.shp_count")
    assert p.params == dict(file="thon.zip", shp="thon.shp", shapes=5, records=3, rows=3)
    assert p.severity == "warning" and "5 hình" in p.message("vi") and "5 shapes" in p.message("en")
    assert len(plan.layers["villages"]) == 3
    _worded(plan)


def test_more_table_rows_than_shapes_is_reported(tmp_path):
    five = shapefile_entries(tmp_path / "five", _points(5), stem="thon")
    three = shapefile_entries(tmp_path / "three", _points(3), stem="thon")
    plan = validate("thon.zip", zip_bytes(three | {"thon.dbf": five["thon.dbf"]}), "villages")
    assert the(plan, "imp.shp_count").params == dict(file="thon.zip", shp="thon.shp", shapes=3, records=5, rows=3)


def test_matching_shapefile_has_no_count_warning(tmp_path):
    plan = validate("thon.zip", zip_bytes(shapefile_entries(tmp_path, _points(4), stem="thon")), "villages")
    assert "imp.shp_count" not in keys(plan) and len(plan.layers["villages"]) == 4


def test_shp_records_counts_whole_records(tmp_path):
    data = shapefile_entries(tmp_path, _points(5), stem="thon")["thon.shp"]
    assert shp_records(io.BytesIO(data)) == 5
    assert shp_records(io.BytesIO(data[:-10])) == 4  # the header's length is bigger than the file: the cut record is not counted
    assert shp_records(io.BytesIO(b"not a shapefile" * 10)) is None
    dbf = shapefile_entries(tmp_path / "b", _points(7), stem="thon")["thon.dbf"]
    assert dbf_records(io.BytesIO(dbf)) == 7 and dbf_records(io.BytesIO(b"\x03")) is None


# --- 5. UTF-8 rows among TCVN3 rows -------------------------------------------------------------------
def _mixed_csv(utf8_rows: set[int]) -> bytes:
    rows = village_rows(4)
    for i, name in enumerate(["Bản Mường Tè", "Bản Nậm Tăm", "Bản Nà Xẻ", "Bản Pa Ủ"]):
        rows[i][1] = name
    lines = [VILLAGE_HEADER] + rows
    out = b""
    for i, row in enumerate(lines):
        text = ",".join(str(c) for c in row) + "\r\n"
        out += text.encode("utf-8") if i in utf8_rows else encodings.encode(text, "tcvn3")
    return out


def test_utf8_rows_in_a_tcvn3_csv_are_reported():
    plan = validate("thon.csv", _mixed_csv({3}), "villages")  # line 4 written in UTF-8
    assert plan.sources[0].encoding == "tcvn3"
    p = the(plan, "imp.mixed_encoding")
    assert p.params == dict(file="thon.csv", n=1, rows="4", other="UTF-8", encoding="TCVN3 (ABC)")
    assert p.severity == "warning"
    names = list(plan.layers["villages"]["name"])
    assert names[0] == "Bản Mường Tè" and names[2] != "Bản Nà Xẻ"  # still garbled: the warning says so
    _worded(plan)


def test_tcvn3_rows_in_a_utf8_csv_are_reported():
    plan = validate("thon.csv", _mixed_csv({0, 1, 2, 4}), "villages", encoding="utf-8")  # line 4 in TCVN3
    p = the(plan, "imp.mixed_encoding")
    assert (p.params["rows"], p.params["other"], p.params["encoding"]) == ("4", "TCVN3 (ABC)", "UTF-8")


def test_mixed_rows_in_a_shapefile_table_are_reported(tmp_path):
    gdf = _points(4)
    gdf["ten"] = ["Bản Mường Tè", "Bản Nậm Tăm", "Bản Nà Xẻ", "Bản Pa Ủ"]
    raw = gdf.copy()
    raw["ten"] = [encodings.encode(v, "utf-8" if i == 2 else "tcvn3").decode("latin-1") for i, v in enumerate(gdf["ten"])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        pyogrio.write_dataframe(raw, tmp_path / "thon.shp", encoding="latin1")
    entries = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.suffix != ".cpg"}
    plan = validate("thon.zip", zip_bytes(entries), "villages")
    assert plan.sources[0].encoding == "tcvn3"
    p = the(plan, "imp.mixed_encoding")
    assert (p.params["rows"], p.params["n"], p.params["other"]) == ("3", 1, "UTF-8")


def test_foreign_encoding_of_single_lines():
    assert foreign_encoding("Bản Mường Tè".encode("utf-8"), "tcvn3") == "utf-8"
    assert foreign_encoding(encodings.encode("Bản Mường Tè", "tcvn3"), "tcvn3") is None
    assert foreign_encoding(encodings.encode("Bản Mường Tè", "tcvn3"), "utf-8") == "tcvn3"
    assert foreign_encoding(b"V01,Ban Na,03388", "tcvn3") is None
    assert foreign_encoding("Bản Mường Tè".encode("utf-8"), "utf-8") is None


@pytest.mark.parametrize("key", NEW_KEYS)
def test_messages_exist_in_both_languages(key):
    from planner.i18n import TEXT

    vi, en = TEXT[key]
    assert vi.strip() and en.strip() and vi != en
