"""KML lists import (issue 13): GDAL's KML reader adds columns of its own (the placemark's XML id,
<name>, <description>, how it is drawn) before the file's <ExtendedData> fields, renaming a field
that clashes ("id" -> "id2"). Its empty or made-up "id" must not be taken for the list's codes."""
from __future__ import annotations

from html import escape

import pytest

from planner.importing import ImportSource, inspect_upload, prepare_import, suggest_mapping
from planner.importing.columns import KML_DRIVER_COLUMNS, kml_driver_columns
from tests.test_import_helpers import DOAN_KET, village_rows

KML_READER = ["id", "Name", "description", "timestamp", "begin", "end", "altitudeMode", "tessellate", "extrude",
              "visibility", "drawOrder", "icon"]  # what GDAL 3.12's LIBKML driver makes


def _import(name: str, data: bytes, kind: str, package):
    plan = prepare_import([ImportSource(kind, name, data)], package=package, mode="replace")
    assert plan.ok, [p.message("en") for p in plan.errors]
    assert not plan.errors
    return plan


def _kml(placemarks: str, schema: str = "") -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            f"<name>Thôn bản</name>{schema}{placemarks}</Document></kml>").encode()


# --- written by geopandas / pyogrio (GDAL's KML writer) -----------------------------------------
@pytest.mark.parametrize("kind", ["villages", "play_points"])
def test_kml_written_by_geopandas_imports_with_its_own_codes(demo, tmp_path, kind):
    layer = getattr(demo, kind).to_crs(4326).head(12).reset_index(drop=True)
    path = tmp_path / f"{kind}.kml"
    layer.to_file(path, driver="KML", engine="pyogrio")
    data = path.read_bytes()
    assert b'<Placemark id="' in data  # GDAL names each placemark ("villages.1"): not the list's code
    report = inspect_upload(path.name, data, kind=kind)
    assert report.format == "kml" and report.mapping["id2"] == "id" and report.mapping["Name"] == "name"
    assert "id" not in report.mapping
    plan = _import(path.name, data, kind, demo)
    got = plan.layers[kind]
    assert got["id"].tolist() == layer["id"].tolist()
    assert got["name"].tolist() == layer["name"].tolist()
    assert got["commune_code"].tolist() == layer["commune_code"].tolist()
    if kind == "villages":
        assert got["population"].tolist() == layer["population"].tolist()
    else:
        assert got["kind"].tolist() == layer["kind"].tolist() and got["year"].tolist() == layer["year"].tolist()
    assert "imp.ids_generated" not in [p.key for p in plan.problems]


# --- written by hand (Google Earth, My Maps, a script) -------------------------------------------
def _data_placemarks(rows, fields=("ma_thon", "ma_xa", "dan_so", "tre_em")) -> str:
    out = []
    for vid, name, code, pop, kids, lon, lat in rows:
        values = dict(zip(fields, (vid, code, pop, kids)))
        data = "".join(f'<Data name="{escape(k)}"><value>{escape(str(v))}</value></Data>' for k, v in values.items())
        out.append(f"<Placemark><name>{escape(name)}</name><ExtendedData>{data}</ExtendedData>"
                   f"<Point><coordinates>{lon},{lat},0</coordinates></Point></Placemark>")
    return "".join(out)


def test_handwritten_kml_with_extended_data_imports(demo):
    rows = village_rows(4)
    data = _kml(_data_placemarks(rows))  # no placemark ids: GDAL's "id" column is empty
    report = inspect_upload("thon.kml", data, kind="villages")
    assert report.preview[0]["id"] is None and "id" not in report.mapping
    assert report.mapping == {"Name": "name", "ma_thon": "id", "ma_xa": "commune_code", "dan_so": "population",
                              "tre_em": "children"}
    plan = _import("thon.kml", data, "villages", demo)
    got = plan.layers["villages"]
    assert got["id"].tolist() == [r[0] for r in rows] and got["name"].tolist() == [r[1] for r in rows]
    assert got["commune_code"].tolist() == [DOAN_KET[0]] * 4
    assert got["population"].tolist() == [r[3] for r in rows] and got["children"].tolist() == [r[4] for r in rows]
    assert got.geometry.x.round(6).tolist() == [r[5] for r in rows]


def test_handwritten_kml_with_a_schema_naming_id_and_name_in_extended_data(demo):
    """Fields called "id" and "name" clash with GDAL's own and come back as "id2" and "name2"; the
    placemark's <name> (here a label) gives way to the file's own name field."""
    rows = village_rows(3)
    schema = ('<Schema name="thon" id="thon">' + "".join(
        f'<SimpleField name="{f}" type="{t}"/>' for f, t in
        (("id", "string"), ("name", "string"), ("commune_code", "string"), ("population", "int"), ("children", "int")))
        + "</Schema>")
    marks = "".join(
        f'<Placemark><name>{i + 1}</name><ExtendedData><SchemaData schemaUrl="#thon">'
        f'<SimpleData name="id">{vid}</SimpleData><SimpleData name="name">{escape(name)}</SimpleData>'
        f'<SimpleData name="commune_code">{code}</SimpleData><SimpleData name="population">{pop}</SimpleData>'
        f'<SimpleData name="children">{kids}</SimpleData></SchemaData></ExtendedData>'
        f"<Point><coordinates>{lon},{lat}</coordinates></Point></Placemark>"
        for i, (vid, name, code, pop, kids, lon, lat) in enumerate(rows))
    data = _kml(marks, schema)
    report = inspect_upload("thon.kml", data, kind="villages")
    assert report.mapping["id2"] == "id" and report.mapping["name2"] == "name" and "Name" not in report.mapping
    got = _import("thon.kml", data, "villages", demo).layers["villages"]
    assert got["id"].tolist() == [r[0] for r in rows] and got["name"].tolist() == [r[1] for r in rows]


def test_handwritten_kml_with_vietnamese_field_names(demo):
    rows = village_rows(3)
    data = _kml(_data_placemarks(rows, fields=("Mã thôn", "Mã xã", "Dân số", "Trẻ em")))
    got = _import("thon.kml", data, "villages", demo).layers["villages"]
    assert got["id"].tolist() == [r[0] for r in rows] and got["population"].tolist() == [r[3] for r in rows]


# --- the matcher -----------------------------------------------------------------------------------
def test_kml_reader_columns_are_not_mapping_targets():
    columns = KML_READER + ["id2", "commune_code", "population", "children"]
    assert kml_driver_columns(columns) == tuple(KML_READER)
    assert set(KML_READER) <= set(KML_DRIVER_COLUMNS)
    assert suggest_mapping(columns, "villages") == {"Name": "name", "id2": "id", "commune_code": "commune_code",
                                                    "population": "population", "children": "children"}
    assert suggest_mapping(KML_READER + ["ten_diem", "loai"], "play_points") == {"ten_diem": "name", "loai": "kind"}


def test_columns_of_other_files_are_matched_as_before():
    """Without every column the KML reader makes, "id", "Name" and "icon" are ordinary headers."""
    assert suggest_mapping(["id", "Name", "icon", "population"], "villages") == {"id": "id", "Name": "name",
                                                                               "population": "population"}
    assert suggest_mapping(["id2", "Name"], "villages") == {"Name": "name"}


def test_columns_empty_in_every_row_are_not_suggested():
    assert suggest_mapping(["id", "Mã thôn", "Tên"], "villages", empty=["id"]) == {"Mã thôn": "id", "Tên": "name"}
    assert suggest_mapping(["id", "Mã thôn", "Tên"], "villages") == {"id": "id", "Tên": "name"}
