"""Property tests: on arbitrary bytes and tables the importer raises only the project's own errors;
the encodings round-trip Vietnamese text; name matching ignores diacritics, case and prefixes."""
from __future__ import annotations

import io
import string
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import encodings
from planner.errors import PlannerError
from planner.importing import ImportSource, inspect_upload, parse_number, prepare_import
from planner.names import fold, official_index
from tests.test_import_helpers import VILLAGE_HEADER, csv_bytes, village_rows, zip_bytes

SETTINGS = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = ["a.csv", "a.xlsx", "a.geojson", "a.zip", "a.kml", "a.kmz", "a.gpkg", "a.json", "a.txt", "a.shp", "a.bin"]
KINDS = ["boundaries", "villages", "schools", "table", "play_points"]
VI_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
vi_text = st.text(alphabet=VI_LETTERS + VI_LETTERS.upper() + " ,.-0123456789", max_size=40)


def _only_own_errors(fn):
    try:
        fn()
    except PlannerError:
        pass


@SETTINGS
@given(data=st.binary(max_size=2000), name=st.sampled_from(NAMES), kind=st.sampled_from(KINDS))
def test_arbitrary_bytes(data, name, kind):
    _only_own_errors(lambda: prepare_import([ImportSource(kind, name, data)], complete=False))
    _only_own_errors(lambda: inspect_upload(name, data))


@SETTINGS
@given(prefix=st.sampled_from([b"PK\x03\x04", b"SQLite format 3\x00", b'{"type":"FeatureCollection","features":[',
                               b"<?xml version='1.0'?><kml>", b"\xef\xbb\xbf", b"\xd0\xcf\x11\xe0"]),
       tail=st.binary(max_size=500), name=st.sampled_from(NAMES))
def test_arbitrary_bytes_behind_real_magic(prefix, tail, name):
    _only_own_errors(lambda: prepare_import([ImportSource("villages", name, prefix + tail)], complete=False))


@SETTINGS
@given(entries=st.dictionaries(st.sampled_from(["a.shp", "a.dbf", "a.shx", "a.prj", "d/a.shp", "d/a.dbf", "x.kml", "doc.kml"]),
                               st.binary(max_size=300), max_size=4),
       name=st.sampled_from(["a.zip", "a.kmz", "a.xlsx"]))
def test_arbitrary_archives(entries, name):
    _only_own_errors(lambda: prepare_import([ImportSource("boundaries", name, zip_bytes(entries))], complete=False))


cell = st.one_of(st.none(), st.text(max_size=12), st.integers(-10**12, 10**12),
                 st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                 st.sampled_from(["1.234,5", "35%", "có", "Xã Pa Ủ", "103°23'", "−5", "1e400", "=cmd|' /C calc'!A0"]))


@SETTINGS
@given(rows=st.lists(st.lists(cell, min_size=7, max_size=9), max_size=8), kind=st.sampled_from(KINDS[1:]),
       delimiter=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "cp1258", "tcvn3", "vni"]))
def test_arbitrary_csv_tables(rows, kind, delimiter, encoding):
    data = csv_bytes([VILLAGE_HEADER] + [[("" if c is None else c) for c in r] for r in rows], delimiter=delimiter,
                     encoding=encoding)
    _only_own_errors(lambda: prepare_import([ImportSource(kind, "t.csv", data)], complete=False))


@SETTINGS
@given(rows=st.lists(st.lists(cell, min_size=7, max_size=7), max_size=6), kind=st.sampled_from(KINDS[1:]))
def test_arbitrary_xlsx_tables(rows, kind):
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "nan_inf_to_errors": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, VILLAGE_HEADER)
    for i, r in enumerate(village_rows(2) + rows, start=1):
        for j, v in enumerate(r):
            if v is not None:
                ws.write(i, j, v if not isinstance(v, str) else v[:100])
    wb.close()
    _only_own_errors(lambda: prepare_import([ImportSource(kind, "t.xlsx", buf.getvalue())], complete=False))


@settings(max_examples=200, deadline=None, database=None)
@given(text=vi_text, encoding=st.sampled_from(["cp1258", "vni", "utf-8"]))
def test_encodings_round_trip(text, encoding):
    assert encodings.decode(encodings.encode(text, encoding), encoding) == unicodedata.normalize("NFC", text)


@settings(max_examples=200, deadline=None, database=None)
@given(text=st.text(alphabet=VI_LETTERS + " ", max_size=40))
def test_tcvn3_round_trips_lowercase(text):
    assert encodings.decode(encodings.encode(text, "tcvn3"), "tcvn3") == text


@settings(max_examples=100, deadline=None, database=None)
@given(data=st.binary(max_size=300), encoding=st.sampled_from(encodings.ENCODINGS))
def test_decode_never_raises(data, encoding):
    assert isinstance(encodings.decode(data, encoding), str)
    assert encodings.detect(data).encoding in encodings.ENCODINGS


@settings(max_examples=200, deadline=None, database=None)
@given(value=st.one_of(st.text(max_size=15), st.integers(), st.floats(), st.none(), st.booleans()))
def test_parse_number_raises_only_value_error(value):
    try:
        parse_number(value)
    except ValueError:
        pass


def _strip_marks(text: str) -> str:
    d = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in d if not unicodedata.combining(c))


@pytest.mark.parametrize("unit", official_index().current)
def test_every_commune_found_however_it_is_written(unit):
    code, name = unit
    bare = name.split(" ", 1)[1]
    index = official_index()
    for written in (name, bare, _strip_marks(bare).upper(), "  " + bare.lower() + " ", f"X. {bare}", f"P.{bare}",
                    f"xa {_strip_marks(bare)}", code.lstrip("0")):
        assert index.resolve(written).code == code, written


def test_every_pre_2025_commune_maps_to_its_current_unit():
    from planner.admin_units import province_units

    units = province_units()
    code_by_key = {u.key: u.code for u in units.current}
    index = official_index()
    current_names = {fold(u.name) for u in units.current}
    for u in units.legacy:
        assert index.resolve(u.code).code == code_by_key[u.new_key]
        m = index.resolve(u.name, prefer_legacy=True)
        assert m.code == code_by_key[u.new_key] or not m.matched, (u.name, m)  # an ambiguous old name is never guessed
        if fold(u.name) not in current_names:
            assert index.resolve(u.name) == m
    assert index.resolve("Xã Mường Than").code == "03618"  # a current name goes to the current unit...
    assert index.resolve("Xã Mường Than", prefer_legacy=True).code == "03595"  # ...unless the list is pre-2025


def test_fold():
    assert fold("  Phường   Đoàn-Kết ") == "phuong doan ket"
    assert set(fold(string.punctuation)) <= {" ", ""}
