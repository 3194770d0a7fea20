"""Every export read back: same ranking, parameters carried, Vietnamese text intact (NFC)."""
import io
import json
import subprocess
import sys
import unicodedata

import openpyxl
import pandas as pd
import pyogrio
import pytest

from planner.cli import main
from planner.errors import UsageError
from planner.exports import check_format, render, safe_text
from planner.ranking import rank

FORMATS = (".csv", ".xlsx", ".geojson", ".gpkg")


@pytest.fixture(scope="module")
def ranked(demo):
    return rank(demo, preset="equity_first", radius_m=2500)


def read_csv(data: bytes) -> tuple[list[str], pd.DataFrame]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8 correctly
    text = data.decode("utf-8-sig")
    head, _, body = text.partition("\n\n")
    return head.splitlines(), pd.read_csv(io.StringIO(body), dtype={"Mã": str, "Code": str})


def test_csv(ranked, demo):
    params, df = read_csv(render(ranked, demo, "vi", ".csv"))
    assert params[0] == "# Bộ trọng số: Ưu tiên công bằng"
    assert "# Bán kính tiếp cận (m): 2500" in params and "# Dữ liệu minh họa: Có" in params
    assert list(df["Mã"]) == list(ranked.table["code"])
    assert list(df["Hạng"]) == list(range(1, 39))
    assert df["Tên"].map(lambda s: unicodedata.is_normalized("NFC", s)).all()
    assert "Xã Sì Lở Lầu" in set(df["Tên"])
    assert df["Điểm ưu tiên"].tolist() == ranked.table["score"].round(2).tolist()


def test_xlsx(ranked, demo):
    wb = openpyxl.load_workbook(io.BytesIO(render(ranked, demo, "en", ".xlsx")))
    assert wb.sheetnames == ["Ranking", "Parameters"]
    ws = wb["Ranking"]
    assert ws.freeze_panes == "D2"
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Rank", "Code", "Name", "Priority score"]
    assert "Points: No play point yet" in header
    codes = [ws.cell(row=i, column=2).value for i in range(2, 40)]
    assert codes == list(ranked.table["code"])  # text, leading zeros kept
    scores = [ws.cell(row=i, column=4).value for i in range(2, 40)]
    assert scores == pytest.approx(ranked.table["score"].round(2).tolist())
    assert ws.cell(row=2, column=4).number_format == "0.00"
    assert ws.column_dimensions["C"].width > 10
    params = {r[0].value: r[1].value for r in wb["Parameters"].iter_rows(min_row=2)}
    assert params["Preset"] == "Equity first" and params["Reach radius (m)"] == "2500"
    assert params["Demo data"] == "Yes" and params["Data date"] == "2026-01-01"
    names = [ws.cell(row=i, column=3).value for i in range(2, 40)]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_geojson(ranked, demo):
    data = json.loads(render(ranked, demo, "vi", ".geojson"))
    assert data["parameters"]["Bộ trọng số"] == "Ưu tiên công bằng"
    feats = data["features"]
    assert [f["properties"]["code"] for f in feats] == list(ranked.table["code"])
    assert [f["properties"]["rank"] for f in feats] == list(range(1, 39))
    assert feats[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


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
    assert "Bán kính tiếp cận (m)" in set(params["parameter"])


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
        codes = list(read_csv(out.read_bytes())[1]["Mã"])
    elif ext == ".xlsx":
        ws = openpyxl.load_workbook(out).worksheets[0]
        codes = [ws.cell(row=i, column=2).value for i in range(2, 40)]
    else:
        codes = list(pyogrio.read_dataframe(out, layer="ranking" if ext == ".gpkg" else None)["code"])
    assert codes == list(ranked.table["code"])


def test_cli_custom_weights(tmp_path, demo):
    out = tmp_path / "w.csv"
    assert main(["rank", "--weights", "no_point=3,children=1", "--out", str(out)]) == 0
    params, df = read_csv(out.read_bytes())
    assert params[0] == "# Bộ trọng số: Tùy chỉnh"
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
