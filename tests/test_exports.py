"""Every export read back: same ranking, parameters carried, Vietnamese text intact (NFC); numbers
in workbooks stored as numbers with their formats, CSVs plain tables for machines."""
import io
import json
import subprocess
import sys
import unicodedata
from datetime import datetime, timezone

import openpyxl
import pandas as pd
import pyogrio
import pytest

from planner.cli import main
from planner.errors import UsageError
from planner.exports import check_format, parameters_csv, render, safe_text
from planner.ranking import rank

FORMATS = (".csv", ".xlsx", ".geojson", ".gpkg")


@pytest.fixture(scope="module")
def ranked(demo):
    return rank(demo, preset="equity_first", radius_m=2500)


def read_csv(data: bytes) -> pd.DataFrame:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8 correctly
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"Mã": str, "Code": str})


def read_params(data: bytes) -> dict:
    assert data.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return dict(zip(df.iloc[:, 0], df.iloc[:, 1]))


def test_csv(ranked, demo):
    data = render(ranked, demo, "vi", ".csv")
    assert data.startswith("\ufeffHạng,Mã,Tên,Điểm ưu tiên,".encode("utf-8"))  # the header on line 1, no '#' lines
    df = read_csv(data)
    assert b"\n\n" not in data and not data.decode("utf-8-sig").startswith("#")
    assert list(df["Mã"]) == list(ranked.table["code"])
    assert list(df["Hạng"]) == list(range(1, 39))
    assert df["Tên"].map(lambda s: unicodedata.is_normalized("NFC", s)).all()
    assert "Xã Sì Lở Lầu" in set(df["Tên"])
    assert df["Điểm ưu tiên"].tolist() == ranked.table["score"].round(2).tolist()
    # counts are integers ("6322", never "6322.0"), shares fractions with a '.'; checked by hand
    # against data/boundaries/communes.geojson for Sì Lở Lầu
    for col in ("Hạng", "Số trẻ em", "Trẻ em ngoài tầm tiếp cận", "Quỹ đất sẵn có (m²)"):
        assert pd.api.types.is_integer_dtype(df[col]), col
    row = df.set_index("Mã").loc["03562"]
    assert (row["Số trẻ em"], row["Quỹ đất sẵn có (m²)"], row["Tỷ lệ hộ nghèo"]) == (6322, 3100, 0.474)
    line = next(x for x in data.decode("utf-8-sig").splitlines() if ",03562," in x)
    assert ",6322," in line and ",0.474," in line and ",3100," in line and "6322.0" not in line


def test_parameters_csv(ranked, demo):
    data = parameters_csv(ranked, demo, "vi", now=datetime(2026, 1, 5, 11, 24, tzinfo=timezone.utc))
    params = read_params(data)
    assert data.decode("utf-8-sig").splitlines()[0] == "Tham số,Giá trị"
    assert params["Bộ trọng số"] == "Ưu tiên công bằng"
    assert params["Bán kính tiếp cận (m)"] == "2500" and params["Dữ liệu minh họa"] == "Có"
    assert params["Trọng số: Tỷ lệ hộ nghèo"] == repr(3 / 13)  # normalised weight, a machine number
    assert params["Thời điểm xuất"] == "2026-01-05T18:24:00+07:00"  # Vietnam's time, ISO 8601
    assert params["Ngày dữ liệu"] == "2026-01-01"


def check_print_setup(ws) -> None:
    """A4 landscape, one page wide, the header row on every page, frozen below the header."""
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0  # 1 wide (the default), any tall
    assert ws.print_title_rows == "$1:$1"
    assert ws.freeze_panes[-1] == "2"
    assert "&P" in ws.oddFooter.center.text


def test_xlsx(ranked, demo):
    wb = openpyxl.load_workbook(io.BytesIO(render(ranked, demo, "en", ".xlsx")))
    assert wb.sheetnames == ["Ranking", "Parameters"]
    ws = wb["Ranking"]
    assert ws.freeze_panes == "D2"
    for sheet in wb.worksheets:
        check_print_setup(sheet)
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Rank", "Code", "Name", "Priority score"]
    assert "Points: No play point yet" in header
    codes = [ws.cell(row=i, column=2).value for i in range(2, 40)]
    assert codes == list(ranked.table["code"])  # text, leading zeros kept
    scores = [ws.cell(row=i, column=4).value for i in range(2, 40)]
    assert scores == pytest.approx(ranked.table["score"].round(2).tolist())
    assert ws.cell(row=2, column=4).number_format == "#,##0.00"
    assert ws.column_dimensions["C"].width > 10
    cells = {h: ws.cell(row=1 + [c.value for c in ws["B"]][1:].index("03562") + 1, column=j + 1)
             for j, h in enumerate(header)}
    for name, value, fmt in (("Rank", None, "#,##0"), ("Children", 6322, "#,##0"), ("Poverty rate", 0.474, "0.0%"),
                             ("Land available (m²)", 3100, "#,##0"), ("Points: Children", None, "#,##0.00")):
        cell = cells[name]
        assert cell.data_type == "n" and isinstance(cell.value, (int, float)), name
        assert cell.number_format == fmt, name
        assert value is None or cell.value == pytest.approx(value), name
    assert cells["Especially difficult"].value == "Yes"
    params = {r[0].value: r[1] for r in wb["Parameters"].iter_rows(min_row=2)}
    assert params["Preset"].value == "Equity first"
    assert params["Reach radius (m)"].value == 2500 and params["Reach radius (m)"].data_type == "n"
    weight = params["Weight: Poverty rate"]
    assert weight.value == pytest.approx(3 / 13) and weight.number_format == "0.0%"
    assert params["Demo data"].value == "Yes" and params["Data date"].value == "1 Jan 2026"
    names = [ws.cell(row=i, column=3).value for i in range(2, 40)]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_xlsx_dates_are_vietnamese(ranked, demo, monkeypatch):
    from planner import exports

    real = exports.datetime

    class Fixed(real):
        @classmethod
        def now(cls, tz=None):
            return real(2026, 1, 5, 11, 24, tzinfo=timezone.utc)

    monkeypatch.setattr(exports, "datetime", Fixed)
    wb = openpyxl.load_workbook(io.BytesIO(render(ranked, demo, "vi", ".xlsx")))
    params = {r[0].value: r[1].value for r in wb["Tham số"].iter_rows(min_row=2)}
    assert params["Thời điểm xuất"] == "05/01/2026 18:24" and params["Ngày dữ liệu"] == "01/01/2026"
    ws = wb["Xếp hạng"]
    assert ws.oddHeader.right.text == "05/01/2026 18:24" and ws.oddHeader.center.text == "&A"
    assert ws.oddHeader.left.text == "Quy hoạch điểm vui chơi trẻ em — Lai Châu"


def test_geojson(ranked, demo):
    data = json.loads(render(ranked, demo, "vi", ".geojson"))
    assert data["parameters"]["Bộ trọng số"] == "Ưu tiên công bằng"
    feats = data["features"]
    assert [f["properties"]["code"] for f in feats] == list(ranked.table["code"])
    assert [f["properties"]["rank"] for f in feats] == list(range(1, 39))
    assert feats[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert data["parameters"]["Bán kính tiếp cận (m)"] == 2500  # numbers as numbers
    first = next(f["properties"] for f in feats if f["properties"]["code"] == "03562")
    assert first["children_value"] == 6322 and isinstance(first["children_value"], int)


def test_geojson_vietnamese_field_names(ranked, demo):
    data = json.loads(render(ranked, demo, "en", ".geojson", field_names="vi"))
    props = data["features"][0]["properties"]
    assert {"Mã", "Tên", "Hạng", "Điểm ưu tiên", "Số trẻ em", "Điểm số: Số trẻ em"} <= set(props)
    assert "code" not in props and data["parameters"]["Preset"] == "Equity first"  # parameters in --lang
    assert [f["properties"]["Mã"] for f in data["features"]] == list(ranked.table["code"])
    with pytest.raises(UsageError) as err:
        render(ranked, demo, "vi", ".geojson", field_names="fr")
    assert err.value.message("en") == "Unknown field names 'fr'. Use: machine, vi, en"


def test_gpkg(ranked, demo, tmp_path):
    path = tmp_path / "r.gpkg"
    path.write_bytes(render(ranked, demo, "vi", ".gpkg"))
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"ranking", "parameters"}
    gdf = pyogrio.read_dataframe(path, layer="ranking")
    assert list(gdf["code"]) == list(ranked.table["code"]) and gdf.crs.to_epsg() == 4326
    assert gdf["score"].tolist() == pytest.approx(ranked.table["score"].tolist())
    assert gdf["name"].map(lambda s: unicodedata.is_normalized("NFC", s)).all()
    params = pyogrio.read_dataframe(path, layer="parameters")
    assert dict(zip(params["parameter"], params["value"]))["Bán kính tiếp cận (m)"] == "2500"


def test_gpkg_vietnamese_field_names(ranked, demo, tmp_path):
    path = tmp_path / "r.gpkg"
    path.write_bytes(render(ranked, demo, "vi", ".gpkg", field_names="vi"))
    assert set(dict(pyogrio.list_layers(path))) == {"ranking", "parameters"}  # layer names stay
    gdf = pyogrio.read_dataframe(path, layer="ranking")
    assert list(gdf["Mã"]) == list(ranked.table["code"]) and list(gdf["Hạng"]) == list(range(1, 39))
    assert gdf["Điểm ưu tiên"].tolist() == pytest.approx(ranked.table["score"].tolist())
    assert pd.api.types.is_integer_dtype(gdf["Số trẻ em"])
    params = pyogrio.read_dataframe(path, layer="parameters")
    assert list(params.columns) == ["Tham số", "Giá trị"]


def test_formula_cells_are_neutralised():
    assert safe_text("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert safe_text("+1") == "'+1" and safe_text("@x") == "'@x" and safe_text("-2") == "'-2"
    assert safe_text("Xã A") == "Xã A" and safe_text(3) == 3
    assert safe_text("Xa\u0303") == "Xã"  # NFC


def test_unknown_format():
    with pytest.raises(UsageError) as err:
        check_format(".pdf")
    assert err.value.message("en") == "Unsupported format '.pdf'. Use: .csv, .xlsx, .geojson, .gpkg"


@pytest.mark.parametrize("ext", FORMATS)
def test_cli_writes_same_ranking(ext, tmp_path, ranked, capsys):
    out = tmp_path / f"rank{ext}"
    assert main(["rank", "--preset", "equity_first", "--radius-m", "2500", "--out", str(out)]) == 0
    assert "38" in capsys.readouterr().out
    if ext == ".csv":
        codes = list(read_csv(out.read_bytes())["Mã"])
        assert read_params((tmp_path / "rank.params.csv").read_bytes())["Bộ trọng số"] == "Ưu tiên công bằng"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["rank.csv", "rank.params.csv"]
    elif ext == ".xlsx":
        ws = openpyxl.load_workbook(out).worksheets[0]
        codes = [ws.cell(row=i, column=2).value for i in range(2, 40)]
    else:
        codes = list(pyogrio.read_dataframe(out, layer="ranking" if ext == ".gpkg" else None)["code"])
    assert codes == list(ranked.table["code"])


def test_cli_custom_weights(tmp_path, demo):
    out = tmp_path / "w.csv"
    assert main(["rank", "--weights", "no_point=3,children=1", "--out", str(out)]) == 0
    df = read_csv(out.read_bytes())
    params = read_params((tmp_path / "w.params.csv").read_bytes())
    assert params["Bộ trọng số"] == "Tùy chỉnh" and params["Trọng số: Chưa có điểm vui chơi"] == "0.75"
    assert list(df["Mã"]) == list(rank(demo, weights={"no_point": 3, "children": 1}, radius_m=2000).table["code"])


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--preset", "nope"], "No preset 'nope'"),
        (["--weights", "nope=1"], "Unknown criterion: nope"),
        (["--weights", "no_point=-2"], "Weight 'no_point' must be a non-negative number; got: -2"),
        (["--weights", "no_point=0"], "At least one weight must be above 0"),
        (["--preset", "balanced", "--weights", "no_point=1"], "Use either --preset or --weights"),
        (["--radius-m", "0"], "The radius must be a positive number"),
        (["--field-names", "fr"], "Unknown field names 'fr'. Use: machine, vi, en"),
    ],
)
def test_cli_errors_leave_no_file(args, needle, tmp_path):
    out = tmp_path / "x.csv"
    res = subprocess.run([sys.executable, "-m", "planner", "rank", *args, "--lang", "en", "--out", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 2 and needle in res.stderr
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_bad_extension_and_unwritable_path(tmp_path):
    res = subprocess.run([sys.executable, "-m", "planner", "rank", "--lang", "en", "--out", str(tmp_path / "x.docx")],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 2 and "Unsupported format '.docx'" in res.stderr
    res = subprocess.run([sys.executable, "-m", "planner", "rank", "--lang", "en", "--out", str(tmp_path / "no" / "x.csv")],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 2 and "Cannot write to" in res.stderr and res.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_existing_file_survives_a_failed_write(tmp_path, monkeypatch):
    from planner import io as pio

    out = tmp_path / "keep.csv"
    out.write_bytes(b"old")

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pio.os, "replace", boom)
    with pytest.raises(Exception) as err:
        pio.write_bytes(out, b"new")
    assert err.value.key == "err.disk_full" and "disk is full: nothing was saved" in str(err.value)
    assert out.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["keep.csv"]


def test_table_and_parameters_are_written_together_or_not_at_all(tmp_path, monkeypatch):
    from planner import io as pio

    out, side = tmp_path / "r.csv", tmp_path / "r.params.csv"
    out.write_bytes(b"old table")
    assert pio.write_files({out: b"new table", side: b"new params"}) == [out, side]
    assert (out.read_bytes(), side.read_bytes()) == (b"new table", b"new params")
    real = pio.os.replace

    def second_fails(src, dst):
        if str(dst) == str(side) and str(src).endswith(".part"):  # the new parameters file cannot go in
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(pio.os, "replace", second_fails)
    with pytest.raises(Exception) as err:
        pio.write_files({out: b"newer table", side: b"newer params"})
    assert err.value.key == "err.disk_full"
    # the table moved into place first is put back: both files as they were, nothing else left
    assert (out.read_bytes(), side.read_bytes()) == (b"new table", b"new params")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "r.params.csv"]
