"""A corpus of bad uploads built in tmp_path, each with the report entry it must give (key, row, column)."""
from __future__ import annotations

import io
import stat
import zipfile

import geopandas as gpd
import pytest
from pyproj import Transformer
from shapely.geometry import Point, Polygon, box

from planner.importing import files as import_files
from planner.importing import ImportSource, prepare_import
from planner.io import DEMO_DIR
from tests.test_import_helpers import (BINH_LU, DOAN_KET, VILLAGE_HEADER, csv_bytes, keys, shapefile_entries, the,
                                       validate, village_rows, villages_csv, zip_bytes)


# --- files that cannot be read ---------------------------------------------------------------------
def test_zero_byte_file():
    p = the(validate("thon.csv", b"", "villages"), "err.imp_empty_file")
    assert p.params["file"] == "thon.csv" and "empty" in p.message("en") and "rỗng" in p.message("vi")


def test_blank_csv_has_no_rows():
    assert "err.imp_no_rows" in keys(validate("thon.csv", b" \r\n ,, \r\n", "villages"))


def test_header_only_csv_is_an_empty_layer():
    assert "prob.empty_layer" in keys(validate("thon.csv", csv_bytes([VILLAGE_HEADER]), "villages"))


def test_html_saved_as_xlsx():
    p = the(validate("truong.xlsx", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "schools"), "err.imp_not_xlsx")
    assert p.params["found"] == "HTML"


def test_old_binary_xls():
    assert "err.imp_old_excel" in keys(validate("truong.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "schools"))


def test_workbook_that_is_a_broken_zip():
    assert "err.imp_unreadable" in keys(validate("truong.xlsx", b"PK\x03\x04garbage", "schools"))


def test_unsupported_extension():
    p = the(validate("thon.docx", b"PK\x03\x04", "villages"), "err.imp_extension")
    assert p.params["ext"] == ".docx"


def test_lone_shp_without_its_sidecars():
    assert "err.imp_lone_shp" in keys(validate("xa.shp", b"\x00\x00\x27\x0a" + b"\0" * 96, "communes"))


def test_gpkg_that_is_not_sqlite():
    assert "err.imp_not_format" in keys(validate("xa.gpkg", b"hello", "communes"))


def test_broken_geojson():
    assert "err.imp_unreadable" in keys(validate("xa.geojson", b'{"type": "FeatureCollection", "features": [', "communes"))


def test_binary_saved_as_csv():
    assert "err.imp_binary" in keys(validate("thon.csv", b"PK\x03\x04\x00\x00\x00binary", "villages"))


def test_upload_over_the_size_limit(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_UPLOAD_BYTES", 100)
    p = the(validate("thon.csv", villages_csv(), "villages"), "err.imp_too_large")
    assert p.params["limit_mb"] == 0 and p.params["file"] == "thon.csv"


def test_size_checked_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 1000)
    monkeypatch.setattr(import_files, "MAX_UPLOAD_BYTES", 10)
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("read before the size check"))
    with pytest.raises(import_files.UploadError) as err:
        import_files.read_upload(path)
    assert err.value.key == "err.imp_too_large"


# --- unsafe archives -------------------------------------------------------------------------------
def test_zip_with_parent_path():
    data = zip_bytes({"../../etc/evil.shp": b"x", "ok.dbf": b"y"})
    p = the(validate("xa.zip", data, "communes"), "err.imp_zip_unsafe")
    assert "../../etc/evil.shp" in p.params["reason"]


def test_zip_with_absolute_path():
    assert "err.imp_zip_unsafe" in keys(validate("xa.zip", zip_bytes({"/tmp/evil.shp": b"x"}), "communes"))


def test_zip_with_symlink():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("layer.shp")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    p = the(validate("xa.zip", buf.getvalue(), "communes"), "err.imp_zip_unsafe")
    assert "link" in p.params["reason"]


def test_zip_bomb_by_ratio():
    data = zip_bytes({"layer.shp": b"\0" * (20 * 2**20)})
    assert len(data) < 100_000
    p = the(validate("xa.zip", data, "communes"), "err.imp_zip_unsafe")
    assert "compressed" in p.params["reason"]


def test_zip_too_many_entries(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_ZIP_ENTRIES", 5)
    data = zip_bytes({f"f{i}.txt": b"x" for i in range(6)})
    assert "entries" in the(validate("xa.zip", data, "communes"), "err.imp_zip_unsafe").params["reason"]


def test_zip_bomb_inside_a_workbook():
    data = zip_bytes({"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": b" " * (20 * 2**20)})
    assert "err.imp_zip_unsafe" in keys(validate("truong.xlsx", data, "schools"))


def test_extraction_stays_in_its_folder(tmp_path):
    data = zip_bytes({"a/b/layer.txt": b"x"})
    files = import_files.safe_extract(data, "x.zip", tmp_path / "out")
    assert files == [(tmp_path / "out" / "a" / "b" / "layer.txt").resolve()]


def test_temporary_files_removed(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gdf = gpd.GeoDataFrame({"ma": ["03388"]}, geometry=[box(103.3, 22.4, 103.4, 22.5)], crs=4326)
    validate("xa.zip", zip_bytes(shapefile_entries(tmp_path / "shp", gdf)), "communes")
    assert [p.name for p in tmp_path.iterdir()] == ["shp"]


def test_zip_without_a_layer():
    p = the(validate("xa.zip", zip_bytes({"readme.txt": b"hello"}), "communes"), "err.imp_zip_empty")
    assert "readme.txt" in p.params["present"]


def test_zip_with_two_layers(tmp_path):
    gdf = gpd.GeoDataFrame({"ma": ["03388"]}, geometry=[box(103.3, 22.4, 103.4, 22.5)], crs=4326)
    entries = shapefile_entries(tmp_path / "a", gdf, stem="a") | shapefile_entries(tmp_path / "b", gdf, stem="b")
    assert "err.imp_zip_many" in keys(validate("xa.zip", zip_bytes(entries), "communes"))


def test_shapefile_without_dbf(tmp_path):
    gdf = gpd.GeoDataFrame({"ma": ["03388"]}, geometry=[box(103.3, 22.4, 103.4, 22.5)], crs=4326)
    entries = shapefile_entries(tmp_path, gdf, drop=(".cpg", ".dbf"))
    assert the(validate("xa.zip", zip_bytes(entries), "communes"), "err.imp_shp_parts").params["missing"] == ".dbf"


# --- tables: delimiters, encodings, values -------------------------------------------------------
def test_semicolon_delimiter_and_decimal_commas():
    rows = [[c if not isinstance(c, float) else str(c).replace(".", ",") for c in r] for r in village_rows()]
    plan = validate("thon.csv", villages_csv(rows, delimiter=";"), "villages")
    assert plan.ok, keys(plan)
    assert plan.sources[0].delimiter == ";"
    assert plan.layers["villages"].geometry.iloc[1].x == pytest.approx(DOAN_KET[2] + 0.003)


def test_row_with_more_cells_than_the_header():
    rows = village_rows()
    rows[1] = rows[1] + ["extra"]
    p = the(validate("thon.csv", villages_csv(rows), "villages"), "imp.extra_cells")
    assert p.params["rows"] == "3" and p.severity == "warning"


def test_blank_rows_in_the_middle_are_reported():
    rows = village_rows()
    rows.insert(1, [None] * 7)
    p = the(validate("thon.csv", villages_csv(rows), "villages"), "imp.blank_rows")
    assert p.params["rows"] == "3"


@pytest.mark.parametrize("encoding", ["cp1258", "tcvn3", "vni", "utf-8"])
def test_legacy_encoded_csv_is_detected_and_decoded(encoding):
    rows = village_rows()
    rows[0][1] = "Bản Mường Tè Ướt"
    rows[1][1] = "Tổ dân phố Đoàn Kết"
    plan = validate("thon.csv", villages_csv(rows, encoding=encoding), "villages")
    assert plan.ok, keys(plan)
    assert plan.sources[0].encoding == encoding
    assert plan.layers["villages"]["name"].iloc[0] == "Bản Mường Tè Ướt"
    assert plan.sources[0].preview[1]["Tên thôn"].lower() == "tổ dân phố đoàn kết"


def test_utf8_with_bom():
    plan = validate("thon.csv", villages_csv(bom=True), "villages")
    assert plan.ok and plan.sources[0].encoding == "utf-8-sig"
    assert plan.sources[0].mapping["Mã"] == "id"


def test_text_in_a_numeric_column():
    rows = village_rows()
    rows[2][3] = "một trăm"
    p = the(validate("thon.csv", villages_csv(rows), "villages"), "imp.not_whole")
    assert (p.row, p.column, p.params["field"]) == (4, "Dân số", "population")
    assert "'một trăm'" in p.message("en")
    assert "prob.empty_values" not in keys(validate("thon.csv", villages_csv(rows), "villages"))


def test_decimal_in_a_whole_number_column():
    rows = village_rows()
    rows[0][4] = "12,5"
    p = the(validate("thon.csv", villages_csv(rows), "villages"), "imp.not_whole")
    assert (p.row, p.column) == (2, "Trẻ em")


def test_empty_required_value():
    rows = village_rows()
    rows[3][1] = ""
    p = the(validate("thon.csv", villages_csv(rows), "villages"), "prob.empty_values")
    assert p.params["rows"] == "5" and p.params["file"] == "thon.csv" and p.row == 5


def test_duplicate_ids():
    rows = village_rows()
    rows[2][0] = rows[0][0]
    p = the(validate("thon.csv", villages_csv(rows), "villages"), "imp.duplicate")
    assert (p.params["rows"], p.column, p.params["values"]) == ("2, 4", "Mã", "'V01'")
    assert "prob.duplicate" not in keys(validate("thon.csv", villages_csv(rows), "villages"))


def test_unknown_yes_no_value():
    header = ["Mã", "Tên trường", "Cấp học", "Điểm trường lẻ", "Số học sinh", "Mã xã", "Vệ sinh đạt chuẩn", "Hỗ trợ tâm lý", "Kinh độ", "Vĩ độ"]
    rows = [["S1", "Trường A", "Tiểu học", "không", 100, "3388", "có", "x", 103.397, 22.4412],
            ["S2", "Trường B", "Mầm non", "có", 50, "3388", "maybe", "", 103.398, 22.4412]]
    plan = validate("truong.csv", csv_bytes([header] + rows), "schools")
    p = the(plan, "imp.bad_bool")
    assert (p.row, p.column, p.params["field"]) == (3, "Vệ sinh đạt chuẩn", "has_standard_toilet")
    assert plan.layers["schools"]["level"].tolist() == ["tieu_hoc", "mam_non"]
    assert plan.layers["schools"]["commune_code"].tolist() == ["03388", "03388"]  # leading zero restored


def test_value_not_in_the_allowed_list():
    header = ["Mã", "Tên", "Loại", "Mã xã", "Trạng thái", "Năm", "Diện tích (m²)", "Kinh độ", "Vĩ độ"]
    rows = [["P1", "Khu A", "Khu vui chơi", "03388", "đang hoạt động", 2020, 500, 103.397, 22.4412],
            ["P2", "Khu B", "Điểm văn hóa", "03388", "kế hoạch", 2026, 400, 103.398, 22.4412]]
    p = the(validate("diem.csv", csv_bytes([header] + rows), "play_points"), "imp.bad_value")
    assert (p.row, p.column, p.params["field"]) == (3, "Trạng thái", "status")
    assert p.params["allowed"] == "existing, under_construction"  # scripts read the names the package stores
    assert p.message("vi").endswith("cho phép: Đang hoạt động, Đang xây dựng")  # people read words
    assert p.message("en").endswith("allowed: Existing, Under construction")
    assert p.message("vi", machine=True).endswith("Đang hoạt động (existing), Đang xây dựng (under_construction)")


def test_percentages_in_a_share_column_are_scaled(demo):
    header = ["Mã xã", "Tỷ lệ hộ nghèo", "Dân số"]
    rows = [[c, "35%" if i == 0 else 20 + i, 1000] for i, c in enumerate(demo.communes["code"])]
    plan = validate("ho_ngheo.csv", csv_bytes([header] + rows), "table")
    assert "imp.percent_scaled" in keys(plan) and plan.ok


# --- coordinates ------------------------------------------------------------------------------------
def test_swapped_lon_lat_rows_offered_as_a_fix():
    rows = village_rows()
    rows[1][5], rows[1][6] = rows[1][6], rows[1][5]
    plan = validate("thon.csv", villages_csv(rows), "villages")
    p = the(plan, "imp.swapped_lonlat")
    assert (p.row, p.params["fix"], p.severity) == (3, "swap_lonlat", "error")
    assert plan.fixes == (("thon.csv", "swap_lonlat"),)
    fixed = validate("thon.csv", villages_csv(rows), "villages", fixes=("swap_lonlat",))
    assert fixed.ok and "imp.fix_applied" in keys(fixed)
    assert fixed.layers["villages"].geometry.iloc[1].x == pytest.approx(DOAN_KET[2] + 0.003)


def _vn2000(lon, lat):
    return Transformer.from_crs(4326, 9205, always_xy=True).transform(lon, lat)


def test_vn2000_xy_guessed_then_confirmed():
    header = ["Mã", "Tên thôn", "Mã xã", "Dân số", "Trẻ em", "X", "Y"]
    rows = []
    for r in village_rows():
        e, n = _vn2000(r[5], r[6])
        rows.append(r[:5] + [round(n, 3), round(e, 3)])  # X = northing, Y = easting
    plan = validate("thon.csv", csv_bytes([header] + rows), "villages")
    p = the(plan, "imp.crs_guess")
    assert p.params["crs"] == "EPSG:9205" and p.severity == "error"
    assert plan.crs_guesses == {"thon.csv": "EPSG:9205"}
    ok = validate("thon.csv", csv_bytes([header] + rows), "villages", crs="vn2000_tm3_103")
    assert ok.ok, keys(ok)
    g = ok.layers["villages"].geometry.iloc[0]
    assert (g.x, g.y) == pytest.approx((DOAN_KET[2], DOAN_KET[3]), abs=1e-6)


def test_vn2000_xy_in_gis_order_offered_as_a_fix():
    header = ["Mã", "Tên thôn", "Mã xã", "Dân số", "Trẻ em", "X", "Y"]
    rows = [r[:5] + [round(v, 3) for v in _vn2000(r[5], r[6])] for r in village_rows()]  # X = easting: wrong way round
    plan = validate("thon.csv", csv_bytes([header] + rows), "villages", crs="EPSG:9205")
    p = the(plan, "imp.swapped_xy")
    assert (p.params["fix"], p.params["x"], p.params["y"]) == ("swap_xy", "X", "Y")
    fixed = validate("thon.csv", csv_bytes([header] + rows), "villages", crs="EPSG:9205", fixes=("swap_xy",))
    assert fixed.ok
    assert fixed.layers["villages"].geometry.iloc[0].x == pytest.approx(DOAN_KET[2], abs=1e-6)


def test_utm48_guessed_for_vn2000_utm_coordinates():
    e, n = Transformer.from_crs(4326, 3405, always_xy=True).transform(DOAN_KET[2], DOAN_KET[3])
    header = ["Mã", "Tên thôn", "Mã xã", "Dân số", "Trẻ em", "X", "Y"]
    plan = validate("thon.csv", csv_bytes([header, ["V1", "Bản A", "03388", 10, 5, n, e]]), "villages")
    assert the(plan, "imp.crs_guess").params["crs"] == "EPSG:3405"


def test_missing_coordinates():
    rows = village_rows()
    rows[2][5] = ""
    p = the(validate("thon.csv", villages_csv(rows), "villages"), "imp.bad_coordinate")
    assert (p.row, p.column) == (4, "Kinh độ, Vĩ độ")


def test_no_coordinate_columns():
    data = csv_bytes([["Mã", "Tên thôn"], ["V1", "Bản A"]])
    assert "imp.no_coordinates" in keys(validate("thon.csv", data, "villages"))


def test_degrees_minutes_seconds_accepted():
    rows = village_rows(1)
    rows[0][5], rows[0][6] = "103°23'49.2\"E", "22°26'28.3\"N"
    plan = validate("thon.csv", villages_csv(rows), "villages")
    assert plan.ok, keys(plan)
    assert plan.layers["villages"].geometry.iloc[0].y == pytest.approx(22 + 26 / 60 + 28.3 / 3600)


def test_point_outside_the_province():
    rows = village_rows()
    rows[3][5], rows[3][6] = 105.85, 21.03  # Hà Nội
    p = the(validate("thon.csv", villages_csv(rows), "villages"), "imp.outside")
    assert (p.row, p.params["rows"]) == (5, "5")


def test_point_outside_the_communes_of_the_package(demo):
    plan = prepare_import([ImportSource("villages", "thon.csv", villages_csv(village_rows()[:1] + [["V9", "Bản Xa", "03388", 1, 1, 102.2, 21.6]]))],
                          package=demo, complete=True, mode="replace")
    assert the(plan, "imp.outside").row == 3


def test_shapefile_without_prj_guessed(tmp_path):
    e, n = _vn2000(DOAN_KET[2], DOAN_KET[3])
    gdf = gpd.GeoDataFrame({"ma": ["V1"], "ten": ["Bản A"], "ma_xa": ["03388"], "dan_so": [10], "tre_em": [4]},
                           geometry=[Point(e, n)], crs=None)
    entries = shapefile_entries(tmp_path, gdf, drop=(".cpg", ".prj"))
    p = the(validate("thon.zip", zip_bytes(entries), "villages"), "imp.crs_guess")
    assert p.params["crs"] == "EPSG:9205"


def test_shapefile_without_prj_in_degrees_is_assumed_wgs84(tmp_path):
    gdf = gpd.GeoDataFrame({"ma": ["V1"], "ten": ["Bản A"], "ma_xa": ["03388"], "dan_so": [10], "tre_em": [4]},
                           geometry=[Point(DOAN_KET[2], DOAN_KET[3])], crs=None)
    plan = validate("thon.zip", zip_bytes(shapefile_entries(tmp_path, gdf, drop=(".cpg", ".prj"))), "villages")
    assert the(plan, "imp.crs_assumed").severity == "warning" and plan.ok


def test_geojson_holding_metres_is_not_taken_as_degrees():
    e, n = _vn2000(DOAN_KET[2], DOAN_KET[3])
    data = gpd.GeoDataFrame({"ma": ["V1"], "ten": ["A"], "ma_xa": ["03388"], "dan_so": [1], "tre_em": [1]},
                            geometry=[Point(e, n)]).to_json().encode()
    assert the(validate("thon.geojson", data, "villages"), "imp.crs_guess").params["crs"] == "EPSG:9205"


# --- GIS attributes and geometry ------------------------------------------------------------------
def test_tcvn3_shapefile_attributes(tmp_path):
    gdf = gpd.GeoDataFrame({"ma": ["V1", "V2"], "ten": ["Bản Mường Tè", "Bản Nậm Tăm"], "ma_xa": ["03388", "03388"],
                            "dan_so": [10, 20], "tre_em": [4, 5]},
                           geometry=[Point(103.397, 22.4412), Point(103.398, 22.4413)], crs=4326)
    plan = validate("thon.zip", zip_bytes(shapefile_entries(tmp_path, gdf, raw_encoding="tcvn3")), "villages")
    assert plan.ok, keys(plan)
    assert plan.sources[0].encoding == "tcvn3"
    assert [n.lower() for n in plan.layers["villages"]["name"]] == ["bản mường tè", "bản nậm tăm"]


def test_cp1258_shapefile_keeps_the_last_character(tmp_path):
    gdf = gpd.GeoDataFrame({"ma": ["V1"], "ten": ["Bản Mường Tè"], "ma_xa": ["03388"], "dan_so": [10], "tre_em": [4]},
                           geometry=[Point(103.397, 22.4412)], crs=4326)
    entries = shapefile_entries(tmp_path, gdf, raw_encoding="cp1258", folder="Thon ban")
    entries["Thon ban/layer.cpg"] = b"1258"
    plan = validate("thon.zip", zip_bytes(entries), "villages")
    assert plan.layers["villages"]["name"].iloc[0] == "Bản Mường Tè"
    assert plan.sources[0].encoding == "cp1258"


def test_self_intersecting_polygon_repaired_with_a_warning(tmp_path):
    bowtie = Polygon([(103.3, 22.3), (103.4, 22.4), (103.4, 22.3), (103.3, 22.4)])
    gdf = gpd.GeoDataFrame({"ma": ["03388", "03390"], "ten": ["Phường Đoàn Kết", "Xã Bình Lư"]},
                           geometry=[box(103.35, 22.40, 103.45, 22.48), bowtie], crs=4326)
    plan = validate("xa.gpkg", _gpkg(tmp_path, gdf), "boundaries")
    p = the(plan, "imp.repaired_polygon")
    assert (p.row, p.severity) == (2, "warning")
    assert plan.layers["communes"].geometry.is_valid.all()


def _gpkg(tmp_path, gdf) -> bytes:
    import pyogrio

    path = tmp_path / "x.gpkg"
    pyogrio.write_dataframe(gdf, path, driver="GPKG")
    return path.read_bytes()


def test_boundaries_given_as_a_table():
    assert "imp.needs_gis" in keys(validate("xa.csv", csv_bytes([["Mã xã", "Tên"], ["03388", "Đoàn Kết"]]), "boundaries"))


def test_points_where_polygons_are_expected(tmp_path):
    gdf = gpd.GeoDataFrame({"ma": ["03388"], "ten": ["Phường Đoàn Kết"]}, geometry=[Point(103.397, 22.4412)], crs=4326)
    p = the(validate("xa.gpkg", _gpkg(tmp_path, gdf), "boundaries"), "prob.geometry")
    assert (p.params["file"], p.params["rows"]) == ("xa.gpkg", "1")


def test_missing_contract_column_named_with_the_upload():
    data = csv_bytes([["Mã", "Tên thôn", "Mã xã", "Dân số", "Kinh độ", "Vĩ độ"], ["V1", "Bản A", "03388", 10, 103.397, 22.4412]])
    p = the(validate("thon.csv", data, "villages"), "prob.missing_column")
    assert p.params["file"] == "thon.csv" and p.column == "children"


# --- names ------------------------------------------------------------------------------------------
def test_unknown_commune_name_lists_the_closest():
    header = ["Mã", "Tên thôn", "Xã", "Dân số", "Trẻ em", "Kinh độ", "Vĩ độ"]
    rows = [r[:2] + ["P. Đoàn Kết"] + r[3:] for r in village_rows(2)] + [["V3", "Bản C", "Doan Keet", 1, 1, 103.397, 22.4412]]
    plan = validate("thon.csv", csv_bytes([header] + rows), "villages")
    p = the(plan, "imp.unmatched_name")
    assert (p.row, p.column, p.params["value"]) == (4, "Xã", "Doan Keet")
    assert "Phường Đoàn Kết" in p.params["candidates"]
    assert plan.layers["villages"]["commune_code"].tolist()[:2] == ["03388", "03388"]


def test_pre_2025_commune_name_mapped_to_the_current_unit():
    header = ["Mã", "Tên thôn", "Xã", "Dân số", "Trẻ em", "Kinh độ", "Vĩ độ"]
    rows = [r[:2] + ["Phường Quyết Thắng"] + r[3:] for r in village_rows(2)]
    plan = validate("thon.csv", csv_bytes([header] + rows), "villages")
    assert the(plan, "imp.legacy_mapped").params["rows"] == "2, 3"
    assert plan.layers["villages"]["commune_code"].tolist() == ["03388", "03388"]


def test_table_with_a_commune_twice(demo):
    header = ["Tên xã", "Dân số", "Trẻ em"]
    rows = [[n, 1000, 300] for n in demo.communes["name"]] + [["Xã Bình Lư", 5, 1]]
    p = the(validate("dan_so.csv", csv_bytes([header] + rows), "table"), "imp.table_duplicate")
    assert p.params["values"] == BINH_LU[0] and p.params["rows"].endswith("40")


def test_table_without_a_key_column():
    assert "imp.table_no_key" in keys(validate("dan_so.csv", csv_bytes([["Dân số"], [5]]), "table"))


def test_import_without_a_required_list(demo):
    communes = demo.communes.to_json().encode()
    plan = prepare_import([ImportSource("communes", "xa.geojson", communes)])
    assert the(plan, "imp.missing_kind").params["kinds"] == "villages, play_points, schools"


def test_two_files_for_one_list():
    plan = prepare_import([ImportSource("villages", "a.csv", villages_csv()), ImportSource("villages", "b.csv", villages_csv())],
                          complete=False)
    assert the(plan, "imp.many_sources").params["files"] == "a.csv, b.csv"


def test_pre_2025_boundaries_merged_into_current_units(demo):
    old = (DEMO_DIR / "boundaries" / "communes_2024.geojson").read_bytes()
    plan = validate("xa_cu.geojson", old, "boundaries")
    assert the(plan, "imp.legacy_merged").params["n_new"] == 38
    communes = plan.layers["communes"]
    assert sorted(communes["code"]) == sorted(demo.communes["code"])
    assert len(plan.layers["communes_2024"]) == 106
    assert set(plan.layers["communes_2024"]["new_code"]) == set(demo.communes["code"])


def test_geojson_written_lat_lon_offered_as_a_fix():
    gdf = gpd.GeoDataFrame({"ma": ["V1", "V2"], "ten": ["A", "B"], "ma_xa": ["03388", "03388"], "dan_so": [3, 4], "tre_em": [1, 1]},
                           geometry=[Point(DOAN_KET[3], DOAN_KET[2]), Point(DOAN_KET[2], DOAN_KET[3])], crs=4326)
    data = gdf.to_json().encode()
    plan = validate("thon.geojson", data, "villages")
    p = the(plan, "imp.swapped_lonlat")
    assert (p.row, p.column, p.params["fix"]) == (1, "geometry", "swap_lonlat")
    assert "imp.outside" not in keys(plan)  # reported once, as swapped
    fixed = validate("thon.geojson", data, "villages", fixes=("swap_lonlat",))
    assert fixed.ok and fixed.layers["villages"].geometry.iloc[0].x == pytest.approx(DOAN_KET[2])


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_workbook_typed_with_a_legacy_font(encoding):
    import xlsxwriter

    from planner import encodings

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("villages")
    ws.write_row(0, 0, VILLAGE_HEADER)
    for i, row in enumerate(village_rows(), start=1):
        row[1] = encodings.encode(f"Bản Mường Tè {i}", encoding).decode("cp1252", errors="replace")  # as Excel stores .VnTime text
        ws.write_row(i, 0, row)
    wb.close()
    plan = validate("thon.xlsx", buf.getvalue(), "villages")
    assert plan.ok and plan.sources[0].encoding == encoding
    assert plan.layers["villages"]["name"].iloc[0] == "Bản Mường Tè 1"
    unicode_plan = validate("thon.xlsx", _xlsx_unicode(), "villages")
    assert unicode_plan.sources[0].encoding == "xlsx"


def _xlsx_unicode() -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, VILLAGE_HEADER)
    for i, row in enumerate(village_rows(), start=1):
        ws.write_row(i, 0, row)
    wb.close()
    return buf.getvalue()


# --- cheap limits checked before the expensive step, and messages instead of tracebacks ------------
# Each builder makes one hostile file from tmp_path; HOSTILE names it with the list it is given as
# and the report entry it must give. tests/test_import_limits.py runs `planner validate` on each.
import csv as _csv  # noqa: E402
import json as _json  # noqa: E402
import math as _math  # noqa: E402
import random as _random  # noqa: E402

import numpy as _np  # noqa: E402
from pyproj import CRS as _CRS  # noqa: E402

from planner.errors import UsageError  # noqa: E402

MARS_WKT = ('GEOGCS["Mars 2000",DATUM["D_Mars_2000",SPHEROID["Mars_2000_IAU_IAG",3396190.0,169.894447223612]],'
            'PRIMEM["Greenwich",0],UNIT["Decimal_Degree",0.0174532925199433]]')
LOCAL_WKT = 'LOCAL_CS["Site grid",LOCAL_DATUM["Site datum",0],UNIT["metre",1],AXIS["X",EAST],AXIS["Y",NORTH]]'
ENG_WKT = 'ENGCRS["Site",EDATUM["Site datum"],CS[Cartesian,2],AXIS["x",east],AXIS["y",north],LENGTHUNIT["metre",1]]'


def _one_village(crs=None) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"ma": ["V1"], "ten": ["Bản A"], "ma_xa": ["03388"], "dan_so": [10], "tre_em": [4]},
                            geometry=[Point(DOAN_KET[2], DOAN_KET[3])], crs=crs)


def _ring(n: int, lon: float = 103.4, lat: float = 22.4) -> Polygon:
    a = _np.linspace(0, 2 * _math.pi, n, endpoint=False)
    return Polygon(_np.c_[lon + 0.03 * _np.cos(a), lat + 0.03 * _np.sin(a)])


def _communes_with_a_huge_feature() -> gpd.GeoDataFrame:
    """Two communes; the second's boundary has 150,001 vertices (the limit is 100,000 per feature)."""
    return gpd.GeoDataFrame({"ma": ["03388", "03390"], "ten": ["Phường Đoàn Kết", "Xã Bình Lư"]},
                            geometry=[box(103.3, 22.3, 103.32, 22.32), _ring(150_000)], crs=4326)


def _declare_size(data: bytes, member: str, size: int) -> bytes:
    """The archive with `member`'s uncompressed size set to `size` in both its headers (data unchanged),
    as a hostile archive may declare it."""
    out = bytearray(data)
    local = zipfile.ZipFile(io.BytesIO(data)).getinfo(member).header_offset
    out[local + 22:local + 26] = size.to_bytes(4, "little")
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        n = int.from_bytes(out[at + 28:at + 30], "little")
        if out[at + 46:at + 46 + n] == member.encode():
            out[at + 24:at + 28] = size.to_bytes(4, "little")
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def zip_of_mib_entries(tmp_path) -> bytes:
    """1,000 entries of exactly 1 MiB of zeros, about 1 MB zipped: each passes the ratio check (which
    starts above 1 MB), together they unpack to 1,000 MB."""
    blob = bytes(2**20)
    return zip_bytes({f"phan{i:04d}.bin": blob for i in range(1000)})


def zip_with_a_long_name(tmp_path) -> bytes:
    return zip_bytes({"x" * 300 + ".shp": b"\0", "x.dbf": b"\0"})


def zip_with_a_long_folder(tmp_path) -> bytes:
    return zip_bytes({"thu_muc_" + "d" * 300 + "/xa.shp": b"\0"})


def zip_with_a_file_and_a_folder_of_one_name(tmp_path) -> bytes:
    return zip_bytes({"a": b"tep", "a/b.shp": b"\0"})


def workbook_reaching_xfd1048576(tmp_path) -> bytes:
    """A few kilobytes; cells A1 and XFD1048576 (dimension A1:XFD1048576) would have openpyxl build
    16,384 × 1,048,576 cells."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("villages")
    ws.write_row(0, 0, VILLAGE_HEADER)
    ws.write(1048575, 16383, "y")
    wb.close()
    return buf.getvalue()


def workbook_with_huge_shared_strings(tmp_path) -> bytes:
    """A workbook whose sharedStrings.xml declares 300 MB unpacked from 3.2 MB (94:1, under the
    ratio check): openpyxl would load it whole before reading a row."""
    src = zipfile.ZipFile(io.BytesIO(_xlsx_unicode()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            if info.filename != "xl/sharedStrings.xml":
                zf.writestr(info.filename, src.read(info))
        zf.writestr(zipfile.ZipInfo("xl/sharedStrings.xml"), _random.Random(5).randbytes(3_200_000),
                    compress_type=zipfile.ZIP_STORED)
    return _declare_size(buf.getvalue(), "xl/sharedStrings.xml", 300 * 2**20)


def workbook_with_a_long_cell(tmp_path) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("villages")
    ws.write_row(0, 0, VILLAGE_HEADER)
    for i, row in enumerate(village_rows(), start=1):
        ws.write_row(i, 0, row)
    ws.write_string(3, 1, "Bản " * 5_000)  # 20,000 characters in row 4, column "Tên thôn"
    wb.close()
    return buf.getvalue()


def csv_of_a_million_rows(tmp_path) -> bytes:
    return ("Tên thôn,Dân số\n" + "Bản A,1\n" * 1_000_000).encode()


def csv_of_25_million_columns(tmp_path) -> bytes:
    return b"a," * 25_000_000 + b"b\n1,2\n"


def csv_with_a_huge_field(tmp_path) -> bytes:
    rows = village_rows()
    rows[1][1] = "x" * 200_000  # over the csv module's own 131,072-character cap
    return villages_csv(rows)


def csv_with_a_long_cell(tmp_path) -> bytes:
    rows = village_rows()
    rows[2][1] = "Bản Nà " * 3_000  # 21,000 characters: under the csv module's cap, over ours
    return villages_csv(rows)


def geojson_with_a_huge_feature(tmp_path) -> bytes:
    return _communes_with_a_huge_feature().to_json().encode()


def shapefile_with_a_huge_feature(tmp_path) -> bytes:
    return zip_bytes(shapefile_entries(tmp_path / "lon", _communes_with_a_huge_feature()))


def gpkg_with_a_huge_feature(tmp_path) -> bytes:
    return _gpkg(tmp_path, _communes_with_a_huge_feature())


def _shapefile_with_prj(tmp_path, prj: str) -> bytes:
    entries = shapefile_entries(tmp_path / "prj", _one_village(), drop=(".cpg", ".prj"))
    entries["layer.prj"] = prj.encode()
    return zip_bytes(entries)


def shapefile_on_mars(tmp_path) -> bytes:
    return _shapefile_with_prj(tmp_path, MARS_WKT)


def shapefile_on_a_local_grid(tmp_path) -> bytes:
    return _shapefile_with_prj(tmp_path, LOCAL_WKT)


def gpkg_on_mars(tmp_path) -> bytes:
    return _gpkg(tmp_path, _one_village(_CRS("IAU_2015:49900")))


def gpkg_on_an_engineering_grid(tmp_path) -> bytes:
    return _gpkg(tmp_path, _one_village(_CRS(ENG_WKT)))


def geojson_on_mars(tmp_path) -> bytes:
    fc = _json.loads(_one_village().to_json())
    fc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:IAU_2015::49900"}}
    return _json.dumps(fc).encode()


HOSTILE = {  # id: (file name, kind, builder, report key)
    "zip_1000_mib": ("xa.zip", "boundaries", zip_of_mib_entries, "err.imp_zip_too_big"),
    "zip_long_name": ("xa.zip", "boundaries", zip_with_a_long_name, "err.imp_zip_name_long"),
    "zip_long_folder": ("xa.zip", "boundaries", zip_with_a_long_folder, "err.imp_zip_name_long"),
    "zip_file_and_folder": ("xa.zip", "boundaries", zip_with_a_file_and_a_folder_of_one_name, "err.imp_zip_clash"),
    "xlsx_xfd1048576": ("thon.xlsx", "villages", workbook_reaching_xfd1048576, "err.imp_sheet_too_big"),
    "xlsx_shared_strings": ("thon.xlsx", "villages", workbook_with_huge_shared_strings, "err.imp_xlsx_strings"),
    "xlsx_long_cell": ("thon.xlsx", "villages", workbook_with_a_long_cell, "err.imp_cell_too_long"),
    "csv_million_rows": ("thon.csv", "villages", csv_of_a_million_rows, "err.imp_too_many_rows"),
    "csv_25m_columns": ("thon.csv", "villages", csv_of_25_million_columns, "err.imp_too_many_columns"),
    "csv_huge_field": ("thon.csv", "villages", csv_with_a_huge_field, "err.imp_cell_too_long"),
    "csv_long_cell": ("thon.csv", "villages", csv_with_a_long_cell, "err.imp_cell_too_long"),
    "geojson_huge_feature": ("xa.geojson", "boundaries", geojson_with_a_huge_feature, "err.imp_too_many_vertices"),
    "shp_huge_feature": ("xa.zip", "boundaries", shapefile_with_a_huge_feature, "err.imp_too_many_vertices"),
    "gpkg_huge_feature": ("xa.gpkg", "boundaries", gpkg_with_a_huge_feature, "err.imp_too_many_vertices"),
    "shp_mars": ("thon.zip", "villages", shapefile_on_mars, "err.imp_file_crs_not_earth"),
    "shp_local_cs": ("thon.zip", "villages", shapefile_on_a_local_grid, "err.imp_file_crs_not_earth"),
    "gpkg_iau_mars": ("thon.gpkg", "villages", gpkg_on_mars, "err.imp_file_crs_not_earth"),
    "gpkg_engcrs": ("thon.gpkg", "villages", gpkg_on_an_engineering_grid, "err.imp_file_crs_not_earth"),
    "geojson_iau_mars": ("thon.geojson", "villages", geojson_on_mars, "err.imp_file_crs_not_earth"),
}


@pytest.fixture()
def no_whole_parse(monkeypatch):
    """csv.reader fails the test when given more than a sample: the limits must refuse the text first."""
    reader = _csv.reader

    def sample_only(f, *args, **kwargs):
        if isinstance(f, io.StringIO) and len(f.getvalue()) > 2**20:
            pytest.fail("the whole text was parsed before the limits were checked")
        return reader(f, *args, **kwargs)

    monkeypatch.setattr(_csv, "reader", sample_only)


def test_zip_of_a_thousand_one_mib_entries_refused_before_extracting(tmp_path, monkeypatch):
    data = zip_of_mib_entries(tmp_path)
    assert len(data) < 2 * 2**20
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("extracted before the total was checked"))
    p = the(validate("xa.zip", data, "boundaries"), "err.imp_zip_too_big")
    assert (p.params["file"], p.params["size_mb"], p.params["size_mb_en"], p.params["limit_mb"]) == (
        "xa.zip", "1.000,0", "1,000.0", 200)  # each reader's number format
    assert "bung ra 1.000,0 MB" in p.message("vi") and "200 MB" in p.message("vi") and "1,000.0 MB" in p.message("en")


@pytest.mark.parametrize("builder", [zip_with_a_long_name, zip_with_a_long_folder])
def test_zip_entry_name_too_long_for_the_file_system_refused_before_extracting(tmp_path, monkeypatch, builder):
    data = builder(tmp_path)
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("extracted before the names were checked"))
    p = the(validate("xa.zip", data, "boundaries"), "err.imp_zip_name_long")
    assert p.params["limit"] == 255 and p.params["name"].endswith("…") and len(p.params["name"]) == 58


@pytest.mark.parametrize("entries", [{"a": b"tep", "a/b.shp": b"\0"}, {"a/b.shp": b"\0", "a": b"tep"},
                                     {"a/": b"", "a": b"tep"}])
def test_zip_with_a_file_and_a_folder_of_one_name_refused_before_extracting(monkeypatch, entries):
    data = zip_bytes(entries)
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("extracted before the names were checked"))
    assert the(validate("xa.zip", data, "boundaries"), "err.imp_zip_clash").params["name"] == "a"


def test_workbook_reaching_xfd1048576_refused_by_its_extent(tmp_path):
    from planner.importing import worker

    data = workbook_reaching_xfd1048576(tmp_path)
    assert len(data) < 10_000
    plan = worker.run("prepare_import", [ImportSource("villages", "thon.xlsx", data)], complete=False,
                      limits=worker.Limits(memory_mb=1024, cpu_s=60, wall_s=90))  # bounded, should it not be refused
    p = the(plan, "err.imp_sheet_too_big")
    assert (p.params["ref"], p.params["rows"], p.params["columns"]) == ("XFD1048576", 1048576, 16384)
    assert p.params["file"] == "thon.xlsx [villages]"


def test_workbook_with_hundreds_of_mb_of_shared_strings_refused_by_size(tmp_path, monkeypatch):
    import openpyxl

    data = workbook_with_huge_shared_strings(tmp_path)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("loaded before the size was checked"))
    p = the(validate("thon.xlsx", data, "villages"), "err.imp_xlsx_strings")
    assert (p.params["size_mb"], p.params["limit_mb"]) == (300.0, 50)


def test_workbook_cell_over_the_length_limit(tmp_path):
    p = the(validate("thon.xlsx", workbook_with_a_long_cell(tmp_path), "villages"), "err.imp_cell_too_long")
    assert (p.params["row"], p.params["column"], p.params["limit"]) == (4, "Tên thôn", 10_000)


def test_csv_of_a_million_rows_refused_before_parsing(tmp_path, no_whole_parse):
    p = the(validate("thon.csv", csv_of_a_million_rows(tmp_path), "villages"), "err.imp_too_many_rows")
    assert p.params["limit"] == 200_000


def test_csv_of_25_million_columns_refused_before_parsing(tmp_path, no_whole_parse):
    p = the(validate("thon.csv", csv_of_25_million_columns(tmp_path), "villages"), "err.imp_too_many_columns")
    assert (p.params["row"], p.params["limit"]) == (1, 500)


def test_csv_field_over_the_csv_modules_cap_gives_the_cell_message(tmp_path):
    plan = validate("thon.csv", csv_with_a_huge_field(tmp_path), "villages")
    p = the(plan, "err.imp_cell_too_long")
    assert (p.params["row"], p.params["column"], p.params["limit"]) == (3, "Tên thôn", 10_000)
    assert "field larger than field limit" not in " ".join(q.message("en") for q in plan.problems)


def test_csv_cell_over_the_length_limit(tmp_path):
    p = the(validate("thon.csv", csv_with_a_long_cell(tmp_path), "villages"), "err.imp_cell_too_long")
    assert (p.params["row"], p.params["column"]) == (4, "Tên thôn")


@pytest.mark.parametrize("builder, name", [(geojson_with_a_huge_feature, "xa.geojson"),
                                           (shapefile_with_a_huge_feature, "xa.zip"), (gpkg_with_a_huge_feature, "xa.gpkg")])
def test_gis_feature_over_the_vertex_limit(tmp_path, builder, name):
    p = the(validate(name, builder(tmp_path), "boundaries"), "err.imp_too_many_vertices")
    assert (p.params["row"], p.params["n"], p.params["limit"]) == (2, 150_001, 100_000)


def test_shapefile_vertices_counted_from_its_record_headers_before_gdal_reads_it(tmp_path, monkeypatch):
    import pyogrio

    data = shapefile_with_a_huge_feature(tmp_path)
    monkeypatch.setattr(pyogrio, "read_dataframe", lambda *a, **k: pytest.fail("read before the vertices were counted"))
    assert the(validate("xa.zip", data, "boundaries"), "err.imp_too_many_vertices").params["row"] == 2


def test_geojson_vertices_in_all_counted_from_its_text_before_gdal_reads_it(tmp_path, monkeypatch):
    import pyogrio

    gdf = gpd.GeoDataFrame({"ma": ["1", "2", "3"]}, geometry=[_ring(90_000, 103.3), _ring(90_000, 103.4), _ring(90_000, 103.5)],
                           crs=4326)
    monkeypatch.setattr(import_files, "MAX_LAYER_VERTICES", 200_000)
    for call in ("list_layers", "read_info", "read_dataframe"):
        monkeypatch.setattr(pyogrio, call, lambda *a, **k: pytest.fail("read before the vertices were counted"))
    p = the(validate("xa.geojson", gdf.to_json().encode(), "boundaries"), "err.imp_too_many_vertices_total")
    assert (p.params["n"], p.params["limit"]) == (270_003, 200_000)


@pytest.mark.parametrize("builder", [shapefile_on_mars, shapefile_on_a_local_grid, gpkg_on_mars, gpkg_on_an_engineering_grid,
                                     geojson_on_mars])
def test_coordinate_system_of_another_body_or_a_local_grid_is_explained(tmp_path, builder):
    name = {"shapefile": "thon.zip", "gpkg": "thon.gpkg", "geojson": "thon.geojson"}[builder.__name__.split("_")[0]]
    p = the(validate(name, builder(tmp_path), "villages"), "err.imp_file_crs_not_earth")
    assert p.params["file"] == name and p.params["crs"]
    assert "WGS 84" in p.message("en") and "VN-2000" in p.message("vi") and "Trái Đất" in p.message("vi")


@pytest.mark.parametrize("crs", ["IAU_2015:49900", MARS_WKT, LOCAL_WKT, ENG_WKT])
def test_crs_chosen_for_a_file_of_another_body_or_a_local_grid_is_explained(crs):
    with pytest.raises(UsageError) as err:
        validate("thon.csv", villages_csv(), "villages", crs=crs)
    assert err.value.key == "err.imp_crs_not_earth"
    assert "WGS 84" in err.value.message("en") and "VN-2000" in err.value.message("vi")
