"""The demo exported to Excel and imported back gives the same figures; templates, mappings, the CLI."""
from __future__ import annotations

import argparse
import io
import json

import openpyxl
import pytest

from planner import cli_import
from planner.errors import DataPackageError, PlannerError, UsageError
from planner.importing import (LIST_KINDS, ImportSource, export_lists_xlsx, header, inspect_upload, prepare_import,
                               recall_mapping, remember_mapping, suggest_mapping, targets, template_xlsx, write_import)
from planner.importing.files import load_mappings, save_mappings
from planner.io import DEMO_DIR, read_package
from planner.summary import summarize
from tests.test_import_helpers import csv_bytes, keys, villages_csv, zip_bytes


@pytest.fixture(scope="module")
def exported(demo):
    return export_lists_xlsx(demo, "vi")


def _demo_sources(demo, workbook: bytes) -> list[ImportSource]:
    bare = demo.communes[["code", "name", "geometry"]].to_json().encode()  # boundaries only: figures come from the table
    old = (DEMO_DIR / "boundaries" / "communes_2024.geojson").read_bytes()
    return ([ImportSource("boundaries", "ranh_gioi.geojson", bare), ImportSource("communes_2024", "xa_cu.geojson", old),
             ImportSource("table", "danh_sach.xlsx", workbook, sheet="Bảng số liệu xã")]
            + [ImportSource(kind, "danh_sach.xlsx", workbook) for kind in LIST_KINDS])


def test_demo_to_excel_and_back_gives_identical_figures(demo, exported, tmp_path):
    wb = openpyxl.load_workbook(io.BytesIO(exported), read_only=True)
    assert wb.sheetnames[:6] == ["Bảng số liệu xã", "Thôn bản", "Điểm vui chơi", "Trường học", "Nhà vệ sinh",
                                 "Địa điểm tiềm năng"]
    plan = prepare_import(_demo_sources(demo, exported), name="Lai Châu (nhập lại)", as_of="2026-01-01")
    assert plan.ok, [p.message("en") for p in plan.errors]
    assert {p.key for p in plan.warnings} <= {"imp.filled_column", "imp.crs_assumed", "imp.ignored_columns", "imp.table_overrides"}
    assert {s.encoding for s in plan.sources if s.format == "xlsx"} == {"xlsx"}  # Unicode, not taken for a legacy font
    out = write_import(plan, tmp_path / "pkg")
    again = read_package(out)
    assert again.villages["name"].tolist() == demo.villages["name"].tolist()
    assert not again.is_demo and again.manifest["name"] == "Lai Châu (nhập lại)" and again.manifest["as_of"] == "2026-01-01"
    assert {s["file"] for s in again.manifest["sources"]} == {"ranh_gioi.geojson", "xa_cu.geojson", "danh_sach.xlsx"}
    assert summarize(again, radius_m=2000).to_json() == summarize(demo, radius_m=2000).to_json()


def test_nothing_written_while_there_are_errors(tmp_path):
    plan = prepare_import([ImportSource("villages", "thon.csv", villages_csv())])
    assert not plan.ok
    with pytest.raises(DataPackageError) as err:
        write_import(plan, tmp_path / "pkg")
    assert "imp.missing_kind" in [p.key for p in err.value.problems]
    assert "Chưa thể nhập" in err.value.message("vi") and not (tmp_path / "pkg").exists()


def test_update_one_list_of_the_current_package(demo, tmp_path):
    plan = prepare_import([ImportSource("villages", "thon.csv", villages_csv())], package=demo, mode="replace")
    assert "imp.kept_from_package" in keys(plan)
    assert len(plan.layers["villages"]) == 4 and len(plan.layers["schools"]) == len(demo.schools)
    assert "prob.village_sum" in keys(plan)  # commune figures no longer match: a warning, not an error
    assert plan.ok


@pytest.mark.parametrize("kind", ["villages", "play_points", "schools", "toilets", "candidate_sites", "table", "boundaries"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_template_headers_are_recognised(kind, lang):
    data = template_xlsx(kind, lang)
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    headers = [c.value for c in next(wb.worksheets[0].iter_rows(max_row=1))]
    assert len(wb.sheetnames) == 2
    want = "table" if kind == "boundaries" else kind
    mapping = suggest_mapping(headers, want)
    assert set(headers) == set(mapping) and all(v in targets(want) for v in mapping.values())
    assert mapping[header("lon" if kind in LIST_KINDS else "code", lang)] == ("lon" if kind in LIST_KINDS else "code")


def test_common_vietnamese_headers_suggested():
    cols = ["STT", "Tên thôn/bản", "Xã", "Dân số (người)", "Số trẻ em", "Kinh độ", "Vĩ độ"]
    assert suggest_mapping(cols, "villages") == {"Tên thôn/bản": "name", "Xã": "commune_name", "Dân số (người)": "population",
                                                 "Số trẻ em": "children", "Kinh độ": "lon", "Vĩ độ": "lat"}
    assert suggest_mapping(["MA_XA", "TEN_XA", "DAN_SO", "TRE_EM"], "table") == {"MA_XA": "code", "TEN_XA": "name",
                                                                                 "DAN_SO": "population", "TRE_EM": "children"}
    assert suggest_mapping(["Mã", "Tên", "X", "Y"], "schools") == {"Mã": "id", "Tên": "name", "X": "x", "Y": "y"}


def test_mapping_remembered_and_saved(tmp_path):
    cols = ["Cột 1", "Cột 2", "Kinh độ", "Vĩ độ"]
    store = remember_mapping({}, "villages", cols, {"Cột 1": "id", "Cột 2": "name"})
    assert recall_mapping(store, "villages", list(reversed(cols))) == {"Cột 1": "id", "Cột 2": "name"}
    assert recall_mapping(store, "schools", cols) is None
    save_mappings(tmp_path / "m.json", store)
    assert load_mappings(tmp_path / "m.json") == store
    assert load_mappings(tmp_path / "none.json") == {}


def test_bad_mapping_is_a_usage_error():
    with pytest.raises(UsageError) as err:
        prepare_import([ImportSource("villages", "thon.csv", villages_csv(), mapping={"Mã": "nope"})])
    assert "nope" in err.value.message("en") and "trường không có" in err.value.message("vi")


def test_inspect_before_import(exported):
    rep = inspect_upload("danh_sach.xlsx", exported, kind="schools")
    assert rep.sheet == "Trường học" and rep.rows == 639 and rep.preview[0]["Mã"] == "S0001"
    assert rep.mapping["Cấp học"] == "level"
    assert inspect_upload("thon_ban.csv", villages_csv()).kind == "villages"


def test_unknown_kind_and_crs_are_usage_errors():
    with pytest.raises(UsageError):
        prepare_import([ImportSource("rivers", "a.csv", b"x")])
    with pytest.raises(UsageError) as err:
        prepare_import([ImportSource("villages", "a.csv", villages_csv(), crs="EPSG:999999")])
    assert "EPSG:9205" in err.value.message("en")


# --- CLI ----------------------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError("err.usage", detail=message)


def _run(argv: list[str], capsys) -> tuple[int, str]:
    """What `python -m planner` does with the handlers: parse, run, print PlannerError as one line (exit 2)."""
    parser = _Parser(prog="planner")
    cli_import.add_parsers(parser.add_subparsers(dest="command", required=True), _Parser)
    try:
        args = parser.parse_args(argv)
        code = args.handler(args)
    except PlannerError as exc:
        print(exc.message("en"))
        code = 2
    return code, capsys.readouterr().out


def test_cli_validate_valid_file(tmp_path, capsys):
    (tmp_path / "thon.csv").write_bytes(villages_csv())
    code, out = _run(["validate", str(tmp_path / "thon.csv"), "--kind", "villages", "--lang", "en"], capsys)
    assert code == 0 and "thon.csv: valid (4 rows)" in out


def test_cli_validate_invalid_file_json(tmp_path, capsys):
    (tmp_path / "thon.csv").write_bytes(villages_csv().replace(b"103.397", b"abc"))
    code, out = _run(["validate", str(tmp_path / "thon.csv"), "--json"], capsys)
    report = json.loads(out)
    assert code == 1 and not report["valid"]
    assert [(p["key"], p["row"]) for p in report["problems"] if p["severity"] == "error"] == [("imp.bad_coordinate", 2)]


def test_cli_validate_fix_and_crs_options(tmp_path, capsys):
    data = villages_csv().replace(b"103.397,22.4412", b"22.4412,103.397")
    (tmp_path / "thon.csv").write_bytes(data)
    code, out = _run(["validate", str(tmp_path / "thon.csv"), "--kind", "villages", "--lang", "en"], capsys)
    assert code == 1 and "--fix swap_lonlat" in out
    code, _ = _run(["validate", str(tmp_path / "thon.csv"), "--kind", "villages", "--fix", "swap_lonlat"], capsys)
    assert code == 0


def test_cli_usage_errors(tmp_path, capsys):
    assert _run(["validate", str(tmp_path / "missing.csv")], capsys)[0] == 2
    (tmp_path / "thon.csv").write_bytes(villages_csv())
    assert _run(["validate", str(tmp_path / "thon.csv"), "--kind", "rivers"], capsys)[0] == 2
    assert _run(["validate", str(tmp_path / "thon.csv"), "--crs", "nonsense"], capsys)[0] == 2
    assert _run(["import", "--villages", str(tmp_path / "thon.csv"), "--out", str(tmp_path / "o")], capsys)[0] == 2


def test_cli_import_writes_a_package(demo, exported, tmp_path, capsys):
    (tmp_path / "ranh_gioi.geojson").write_bytes(demo.communes.to_json().encode())
    (tmp_path / "ds.xlsx").write_bytes(exported)
    args = ["import", "--communes", str(tmp_path / "ranh_gioi.geojson"), "--villages", str(tmp_path / "ds.xlsx"),
            "--play-points", str(tmp_path / "ds.xlsx"), "--schools", str(tmp_path / "ds.xlsx"),
            "--out", str(tmp_path / "pkg"), "--name", "Nhập thử", "--lang", "en"]
    code, out = _run(args, capsys)
    assert code == 0, out
    assert "Data package imported" in out
    pkg = read_package(tmp_path / "pkg")
    assert pkg.manifest["demo"] is False and len(pkg.villages) == len(demo.villages)


def test_cli_import_refuses_with_errors(tmp_path, capsys):
    (tmp_path / "thon.csv").write_bytes(villages_csv())
    (tmp_path / "xa.csv").write_bytes(b"code,name\n03388,x\n")
    code, out = _run(["import", "--communes", str(tmp_path / "xa.csv"), "--villages", str(tmp_path / "thon.csv"),
                      "--out", str(tmp_path / "pkg")], capsys)
    assert code == 1 and "Chưa ghi gì" in out and not (tmp_path / "pkg").exists()


def test_population_table_by_pre_2025_names_is_summed(demo):
    old = demo.communes_2024
    table = csv_bytes([["Xã (cũ)", "Dân số", "Trẻ em"]] + [[n, 100, 30] for n in old["name"]])
    full = (DEMO_DIR / "boundaries" / "communes.geojson").read_bytes()
    plan = prepare_import([ImportSource("boundaries", "xa.geojson", full), ImportSource("table", "dan_so_2024.csv", table)],
                          package=demo)
    assert plan.ok, [p.message("en") for p in plan.errors]
    assert {"imp.legacy_summed", "imp.legacy_mapped"} <= set(keys(plan))
    per_unit = old.groupby("new_code").size()
    got = plan.layers["communes"].set_index("code")
    assert (got["population"] == per_unit.reindex(got.index) * 100).all()
    assert (got["children"] == per_unit.reindex(got.index) * 30).all()


def _boundaries(tmp_path, driver: str, name: str, **kw) -> bytes:
    import geopandas as gpd
    import pyogrio
    from shapely.geometry import box

    gdf = gpd.GeoDataFrame({"Name": ["Phường Đoàn Kết", "Xã Bình Lư"], "ma": ["3388", "3390"]},
                           geometry=[box(103.35, 22.40, 103.45, 22.48), box(103.6, 22.3, 103.7, 22.4)], crs=4326)
    path = tmp_path / name
    pyogrio.write_dataframe(gdf, path, driver=driver, **kw)
    return path.read_bytes()


def test_kml_and_kmz_boundaries(tmp_path):
    kml = _boundaries(tmp_path, "KML", "xa.kml")
    for name, data in (("xa.kml", kml), ("xa.kmz", zip_bytes({"doc.kml": kml}))):
        rep = inspect_upload(name, data, kind="boundaries")
        assert rep.mapping["Name"] == "name" and rep.mapping["ma"] == "code"
        plan = prepare_import([ImportSource("boundaries", name, data)], complete=False)
        communes = plan.layers["communes"]
        assert communes["code"].tolist() == ["03388", "03390"] and communes["kind"].tolist() == ["phường", "xã"]
        assert "err.imp_failed" not in keys(plan)


def test_geopackage_with_several_layers(tmp_path):
    _boundaries(tmp_path, "GPKG", "a.gpkg", layer="roads")
    data = _boundaries(tmp_path, "GPKG", "a.gpkg", layer="ranh_gioi_xa", append=True)
    plan = prepare_import([ImportSource("boundaries", "a.gpkg", data)], complete=False)
    p = [p for p in plan.problems if p.key == "imp.many_layers"][0]
    assert p.params["layer"] == "ranh_gioi_xa" and p.severity == "warning"  # the layer named like the list
    assert p.params["layers"] == "roads, ranh_gioi_xa"
    plan = prepare_import([ImportSource("boundaries", "a.gpkg", data, sheet="ranh_gioi_xa")], complete=False)
    assert "imp.many_layers" not in keys(plan) and len(plan.layers["communes"]) == 2


def test_commune_figures_filled_from_villages_when_missing(demo):
    communes = demo.communes.drop(columns=["population", "children"]).to_json().encode()
    plan = prepare_import([ImportSource("boundaries", "xa.geojson", communes)], package=demo)
    assert plan.ok, [p.message("en") for p in plan.errors]
    filled = [p for p in plan.problems if p.key == "imp.filled_column"]
    assert {p.params["field"] for p in filled} == {"population", "children"}
    got = plan.layers["communes"].set_index("code")
    sums = demo.villages.groupby("commune_code")[["population", "children"]].sum()
    assert (got["children"] == sums["children"].reindex(got.index)).all()


def test_plan_is_frozen():
    import dataclasses

    plan = prepare_import([ImportSource("villages", "thon.csv", villages_csv())], complete=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.problems = ()
    with pytest.raises(TypeError):
        plan.layers["villages"] = None


def test_cli_import_oversized_file_is_a_problem_not_a_usage_error(tmp_path, capsys, monkeypatch):
    from planner.importing import files as import_files

    (tmp_path / "xa.geojson").write_bytes(b"x" * 200)
    monkeypatch.setattr(import_files, "MAX_UPLOAD_BYTES", 100)
    code, out = _run(["import", "--communes", str(tmp_path / "xa.geojson"), "--out", str(tmp_path / "o"), "--lang", "en"], capsys)
    assert code == 1 and "over the 0 MB limit" in out
