"""A list imported over the current package is added to it or replaces it, as the caller chose: never
guessed, never dropping rows silently; the import's effect on the headline figures, before and after.

The three new play points stand at the biggest village of three demo communes without one today
(Sin Suối Hồ, Tả Lèng, Bản Bo). By hand, from the demo: 19 points (17 existing, 2 under
construction) in 9 of 38 communes; 18,764 children within 2 km of an existing point.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest

from planner.cli import main
from planner.errors import UsageError
from planner.importing import ImportSource, import_effect, prepare_import
from planner.io import read_package
from planner.summary import summarize
from tests.test_import_helpers import csv_bytes, keys, the

NEW = [("03394", "03394-V17"), ("03405", "03405-V09"), ("03424", "03424-V01")]  # commune, village the point stands at
HEADER = ["Tên điểm", "Loại", "Trạng thái", "Năm", "Diện tích (m²)", "Kinh độ", "Vĩ độ"]


def _at(demo, village: str) -> tuple[float, float]:
    g = demo.villages.set_index("id").geometry[village]
    return round(g.x, 6), round(g.y, 6)


def points_csv(demo, rows=None, header=HEADER) -> bytes:
    """Three new existing play points, one at each village of NEW; no id column (ids generated)."""
    if rows is None:
        rows = [[f"Điểm mới {i + 1}", "play_area", "existing", 2025, 400, *_at(demo, v)] for i, (_, v) in enumerate(NEW)]
    return csv_bytes([header] + rows)


def _import(demo, data: bytes, **kw):
    return prepare_import([ImportSource("play_points", "diem_moi.csv", data)], package=demo, **kw)


def test_the_demo_as_the_tests_count_it(demo):
    s = summarize(demo, radius_m=2000)
    assert len(demo.play_points) == 19 and (demo.play_points["status"] == "existing").sum() == 17
    assert (s.play_point.achieved, s.play_point.total, s.reach.children_within) == (9, 38, 18_764)
    no_point = set(s.communes.index[~s.communes["has_point"]])
    assert {c for c, _ in NEW} <= no_point
    assert all(demo.villages.set_index("id").loc[v, "commune_code"] == c for c, v in NEW)


def _children_within(demo, points: list[tuple[float, float]], radius_m: float = 2000) -> int:
    """Children of villages within `radius_m` of any of `points`, in UTM 48N metres (independently of planner.coverage)."""
    v = demo.villages.to_crs(32648)
    p = gpd.GeoSeries(gpd.points_from_xy(*zip(*points)), crs=4326).to_crs(32648)
    near = np.zeros(len(v), dtype=bool)
    for pt in p:
        near |= (v.geometry.distance(pt) <= radius_m).to_numpy()
    return int(v["children"][near].sum())


def test_add_three_new_points_to_the_demo(demo):
    plan = _import(demo, points_csv(demo), mode="add")
    assert plan.ok, [p.message("en") for p in plan.errors]
    pts = plan.layers["play_points"]
    assert len(pts) == 19 + 3
    assert pts["id"].tolist()[:19] == demo.play_points["id"].tolist()
    assert pts["id"].tolist()[19:] == ["P020", "P021", "P022"]  # after the demo's P001..P019, not P0001 again
    assert pts["commune_code"].tolist()[19:] == [c for c, _ in NEW]
    assert dict(plan.modes) == {"play_points": "add"}
    assert len(plan.layers["communes_2024"]) == 106  # a list alone keeps the pre-2025 boundaries
    effect = import_effect(plan, demo, radius_m=2000)
    assert (effect.points_before, effect.points_after) == (19, 22)
    assert (effect.communes_with_point_before, effect.communes_with_point_after) == (9, 12)
    assert (effect.communes_total_before, effect.communes_total_after) == (38, 38)
    new_reach = _children_within(demo, [_at(demo, v) for _, v in NEW])
    old_reach = _children_within(demo, [(g.x, g.y) for g, st in zip(demo.play_points.geometry, demo.play_points["status"])
                                        if st == "existing"])
    both = _children_within(demo, [_at(demo, v) for _, v in NEW]
                            + [(g.x, g.y) for g, st in zip(demo.play_points.geometry, demo.play_points["status"])
                               if st == "existing"])
    assert old_reach == 18_764 and new_reach == 2_782 and both == 21_546  # far from every existing point
    assert (effect.children_within_before, effect.children_within_after) == (18_764, 21_546)
    rows = {c.layer: (c.before, c.after, c.dropped, c.mode) for c in effect.layer_rows}
    assert rows["play_points"] == (19, 22, 0, "add") and rows["villages"] == (1062, 1062, 0, "")
    assert effect.dropped == ()


def test_replace_with_three_points(demo):
    plan = _import(demo, points_csv(demo), mode="replace")
    assert plan.ok
    assert plan.layers["play_points"]["id"].tolist() == ["P0001", "P0002", "P0003"]
    drop = the(plan, "imp.replace_drops")
    assert (drop.severity, drop.params["dropped"], drop.params["before"], drop.params["after"]) == ("warning", 19, 19, 3)
    assert "bỏ 19 trong 19 dòng hiện có" in drop.message("vi") and "drops 19 of its 19 rows" in drop.message("en")
    effect = import_effect(plan, demo, radius_m=2000)
    assert (effect.points_after, effect.communes_with_point_after, effect.children_within_after) == (3, 3, 2_782)
    assert [(c.layer, c.dropped) for c in effect.dropped] == [("play_points", 19)]


def test_no_mode_is_refused_naming_the_list_and_its_rows(demo):
    with pytest.raises(UsageError) as err:
        _import(demo, points_csv(demo))
    e = err.value
    assert e.key == "err.imp_mode_needed"
    assert [(p.layer, p.params["before"], p.params["rows"], p.params["file"]) for p in e.problems] == [
        ("play_points", 19, 3, "diem_moi.csv")]
    assert "Điểm vui chơi: dữ liệu hiện tại có 19 dòng, tệp diem_moi.csv có 3 dòng" in e.message("vi")
    assert "Play points: the current data has 19 rows, the file diem_moi.csv has 3" in e.message("en")
    assert "(add)" in e.message("en") and "(replace)" in e.message("en")


def test_no_mode_needed_without_a_package_or_for_a_list_it_lacks(demo):
    plan = prepare_import([ImportSource("play_points", "diem_moi.csv", points_csv(demo))])
    assert "imp.missing_kind" in keys(plan) and dict(plan.modes) == {}
    no_sites = replace(demo, candidate_sites=None)
    sites = csv_bytes([["Mã", "Diện tích (m²)", "Tình trạng đất", "Kinh phí dự kiến (đồng)", "Kinh độ", "Vĩ độ"],
                       ["C1", 500, "public_land", 1e9, *_at(demo, NEW[0][1])]])
    plan = prepare_import([ImportSource("candidate_sites", "dia_diem.csv", sites)], package=no_sites)
    assert plan.ok, [p.message("en") for p in plan.errors]
    assert len(plan.layers["candidate_sites"]) == 1 and dict(plan.modes) == {}
    assert validate_alone(demo).ok  # checking a file on its own (planner validate) needs no mode


def validate_alone(demo):
    return prepare_import([ImportSource("play_points", "diem_moi.csv", points_csv(demo))], package=demo, complete=False)


def test_unknown_mode_is_a_usage_error(demo):
    with pytest.raises(UsageError) as err:
        _import(demo, points_csv(demo), mode="merge")
    assert err.value.key == "err.imp_mode" and "add, replace" in err.value.message("en")


def _with_ids(demo, rows: list[tuple[str, float, float]]) -> bytes:
    header = ["Mã", *HEADER]
    return csv_bytes([header] + [[i, f"Điểm {i}", "play_area", "existing", 2025, 400, x, y] for i, x, y in rows])


def test_add_with_clashing_ids_names_rows_and_ids(demo):
    p2 = demo.play_points.set_index("id").geometry["P002"]
    x, y = _at(demo, NEW[0][1])
    data = _with_ids(demo, [("P001", x, y), ("P002", round(p2.x, 6), round(p2.y, 6)), ("P100", *_at(demo, NEW[1][1]))])
    plan = _import(demo, data, mode="add")
    assert not plan.ok
    clash = the(plan, "imp.id_taken")  # P001 is in the list, elsewhere: an error on row 2
    assert (clash.row, clash.params["rows"], clash.params["values"], clash.column) == (2, "2", "'P001'", "Mã")
    assert "mã 'P001' đã có trong danh sách hiện tại (Điểm vui chơi) ở vị trí khác" in clash.message("vi")
    same = the(plan, "imp.already_listed")  # P002 at the same place: that very point, reported, not counted twice
    assert (same.severity, same.params["rows"], same.params["values"]) == ("warning", "3", "'P002'")
    assert "prob.duplicate" not in keys(plan)  # the clash is reported once, by the file's row
    assert len(plan.layers["play_points"]) == 19 + 2


def test_add_an_existing_point_again_is_not_counted_twice(demo):
    p2 = demo.play_points.set_index("id").geometry["P002"]
    data = _with_ids(demo, [("P002", round(p2.x, 6), round(p2.y, 6)), ("P100", *_at(demo, NEW[1][1]))])
    plan = _import(demo, data, mode="add")
    assert plan.ok, [p.message("en") for p in plan.errors]
    assert the(plan, "imp.already_listed").params["n"] == 1
    effect = import_effect(plan, demo, radius_m=2000)
    assert (effect.points_before, effect.points_after) == (19, 20)
    assert (effect.communes_with_point_before, effect.communes_with_point_after) == (9, 10)


def test_add_a_point_where_another_id_stands_is_a_warning(demo):
    p2 = demo.play_points.set_index("id").geometry["P002"]
    plan = _import(demo, _with_ids(demo, [("P200", round(p2.x, 6), round(p2.y, 6))]), mode="add")
    assert plan.ok
    assert the(plan, "imp.same_place").params["rows"] == "2" and len(plan.layers["play_points"]) == 20


def test_add_reports_problems_by_the_files_rows(demo):
    header = [h for h in HEADER if h != "Năm"]
    rows = [[f"Điểm mới {i + 1}", "play_area", "existing", 400, *_at(demo, v)] for i, (_, v) in enumerate(NEW)]
    plan = _import(demo, points_csv(demo, rows, header), mode="add")
    empty = the(plan, "prob.empty_values")  # the year the file lacks, in rows 20-22 of the joined list
    assert (empty.column, empty.params["rows"], empty.params["file"], empty.row) == ("year", "2, 3, 4", "diem_moi.csv", 2)


def test_the_effect_needs_a_plan_without_errors(demo):
    from planner.errors import DataPackageError

    plan = _import(demo, _with_ids(demo, [("P001", *_at(demo, NEW[0][1]))]), mode="add")
    with pytest.raises(DataPackageError):
        import_effect(plan, demo)


# --- the command line -------------------------------------------------------------------------------
@pytest.fixture()
def files(demo, tmp_path):
    (tmp_path / "xa.geojson").write_bytes(demo.communes.to_json().encode())
    (tmp_path / "diem.csv").write_bytes(points_csv(demo))
    return tmp_path


def _cli(files, *extra, data=True):
    from planner.io import DEMO_DIR

    return (["import", "--communes", str(files / "xa.geojson"), "--play-points", str(files / "diem.csv"),
             "--out", str(files / "out")] + (["--data", str(DEMO_DIR)] if data else []) + list(extra))


def test_cli_import_over_data_needs_a_mode(files, capsys):
    assert main(_cli(files, "--lang", "en")) == 2
    err = capsys.readouterr().err
    assert "choose whether to add to the current list (add) or replace it (replace)" in err
    assert "Play points: the current data has 19 rows, the file diem.csv has 3" in err
    assert not (files / "out").exists()
    assert main(_cli(files, "--mode", "merge")) == 2
    assert not (files / "out").exists()


def test_cli_import_add_prints_the_effect_before_writing(files, capsys):
    assert main(_cli(files, "--mode", "add", "--lang", "en")) == 0
    out = capsys.readouterr().out
    lines = [line.strip() for line in out.splitlines()]
    assert "Compared with the current data (adding to the current list):" in lines
    assert "Play points (rows): 19 → 22" in lines
    assert "Play points: 19 → 22" in lines
    assert "Communes with a play point: 9/38 (23.7%) → 12/38 (31.6%)" in lines
    assert "Children within 2,000 m: 18,764 → 21,546" in lines
    assert out.index("Compared with the current data") < out.index("Data package imported")
    pkg = read_package(files / "out")
    assert len(pkg.play_points) == 22
    assert {"file": "diem.csv", "mode": "add"}.items() <= next(s for s in pkg.manifest["sources"] if s.get("kind") == "play_points").items()


def test_cli_import_replace_in_vietnamese(files, capsys):
    assert main(_cli(files, "--mode", "replace")) == 0
    out = capsys.readouterr().out
    assert "So với dữ liệu hiện tại (thay thế danh sách hiện có):" in out
    assert "Điểm vui chơi (số dòng): 19 → 3" in out
    assert "Xã có điểm vui chơi: 9/38 (23,7%) → 3/38 (7,9%)" in out
    assert "Trẻ em trong bán kính 2.000 m: 18.764 → 2.782" in out
    assert "bỏ 19 trong 19 dòng hiện có" in out
    assert len(read_package(files / "out").play_points) == 3


def test_cli_import_without_data_needs_no_mode(files, capsys):
    assert main(_cli(files, "--lang", "en", data=False)) == 1  # lists missing, but no question of adding or replacing
    captured = capsys.readouterr()
    assert "Required lists missing: Villages, Schools" in captured.out and "(add)" not in captured.err + captured.out


def test_cli_import_json_has_the_effect(files, capsys):
    import json

    assert main(_cli(files, "--mode", "add", "--json")) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["effect"]["play_points"] == [19, 22] and record["effect"]["communes_with_point"] == [9, 12]
    assert record["effect"]["children_within_radius"] == [18_764, 21_546]


def test_the_lists_kept_from_the_package_are_named_in_the_users_language(demo):
    kept = the(_import(demo, points_csv(demo), mode="add"), "imp.kept_from_package")
    assert kept.message("vi").endswith(": Ranh giới xã, Ranh giới xã trước 2025, Thôn bản, Trường học, Nhà vệ sinh, "
                                       "Địa điểm tiềm năng, Đường đi, Sông, hồ")
    assert kept.message("en").endswith(": Commune boundaries, Pre-2025 commune boundaries, Villages, Schools, Toilets, "
                                       "Candidate sites, Paths, Rivers and lakes")


# --- one module for the effect, one way to say it -------------------------------------------------------
def test_the_effect_has_its_own_module_and_the_same_public_names():
    import planner.importing as importing
    from planner.importing import effect, plan

    for name in ("ImportEffect", "LayerChange", "import_effect", "effect_rows"):
        assert getattr(importing, name) is getattr(effect, name) and name in importing.__all__
        assert not hasattr(plan, name)
    assert not hasattr(plan, "_keys")
    lines = Path(plan.__file__).read_text(encoding="utf-8").count("\n")
    assert lines < 400, lines


def test_effect_rows_in_both_languages(demo):
    from planner.importing import effect_rows

    effect = import_effect(_import(demo, points_csv(demo), mode="add"), demo, radius_m=2000)
    assert effect_rows(effect, "vi") == [
        ("Điểm vui chơi (số dòng)", "19 → 22"),
        ("Số điểm vui chơi", "19 → 22"),
        ("Xã có điểm vui chơi", "9/38 (23,7%) → 12/38 (31,6%)"),
        ("Trẻ em trong bán kính 2.000 m", "18.764 → 21.546"),
    ]
    assert effect_rows(effect, "en")[2:] == [("Communes with a play point", "9/38 (23.7%) → 12/38 (31.6%)"),
                                             ("Children within 2,000 m", "18,764 → 21,546")]


def test_effect_rows_use_the_effects_shares_and_big_numbers():
    from planner.importing import ImportEffect, LayerChange, effect_rows

    effect = ImportEffect((LayerChange("villages", 1062, 1062), LayerChange("schools", 1200, 1500, dropped=3)),
                          1000, 1001, 0, 0, 0, 1234, 0, 123_456, 1500.0)
    assert effect.share_before == 0.0 and effect.share_after == 0.0
    assert effect_rows(effect, "vi") == [  # unchanged villages left out; thousands grouped, none divided by zero
        ("Trường học (số dòng)", "1.200 → 1.500"),
        ("Số điểm vui chơi", "1.000 → 1.001"),
        ("Xã có điểm vui chơi", "0/0 (0,0%) → 0/1.234 (0,0%)"),
        ("Trẻ em trong bán kính 1.500 m", "0 → 123.456"),
    ]


def test_the_page_and_the_command_line_say_the_effect_through_effect_rows(demo):
    from planner.cli_import import effect_lines
    from planner.importing import effect_rows

    effect = import_effect(_import(demo, points_csv(demo), mode="replace"), demo, radius_m=2000)
    assert effect_lines(effect, "en") == (["Compared with the current data (replacing the current list):"]
                                          + [f"  {a}: {b}" for a, b in effect_rows(effect, "en")])
    root = Path(__file__).resolve().parent.parent
    for path in (root / "views" / "data.py", root / "planner" / "cli_import.py"):
        text = path.read_text(encoding="utf-8")
        assert "effect_rows(" in text and "fmt_pct" not in text and "communes_with_point" not in text, path


# --- which lists need a mode ----------------------------------------------------------------------------
def test_lists_needing_mode(demo):
    from planner.importing import lists_needing_mode

    assert lists_needing_mode(["communes", "play_points", "table", "villages"], demo) == ("villages", "play_points")
    assert lists_needing_mode(["boundaries", "table"], demo) == ()
    assert lists_needing_mode(["play_points"], None) == ()
    assert lists_needing_mode(["candidate_sites", "play_points"], replace(demo, candidate_sites=None)) == ("play_points",)


def test_a_mode_no_list_needs_is_said_on_the_command_line(files, capsys):
    assert main(_cli(files, "--mode", "add", "--lang", "en", data=False)) == 1
    assert "--mode add is not used: the current data has none of the lists being imported" in capsys.readouterr().out
    assert main(_cli(files, "--mode", "add", "--lang", "en")) == 0
    assert "is not used" not in capsys.readouterr().out


# --- the radius of "children within reach" on the command line -------------------------------------------
def test_cli_import_effect_at_the_radius_given(files, demo, capsys):
    import json

    before = int(summarize(demo, radius_m=1000).reach.children_within)
    assert before != 18_764
    assert main(_cli(files, "--mode", "add", "--lang", "en", "--radius-m", "1000", "--json")) == 0
    effect = json.loads(capsys.readouterr().out)["effect"]
    assert effect["radius_m"] == 1000 and effect["children_within_radius"][0] == before
    assert main(_cli(files, "--mode", "add", "--radius-m", "1000", "--out", str(files / "out2"))) == 0
    assert f"Trẻ em trong bán kính 1.000 m: {before:,}".replace(",", ".") + " → " in capsys.readouterr().out


def test_cli_import_refuses_a_bad_radius(files, capsys):
    for bad in ("-5", "0", "abc", "nan"):
        assert main(_cli(files, "--mode", "add", "--lang", "en", "--radius-m", bad)) == 2
        assert "The radius must be a positive number of metres" in capsys.readouterr().err
    assert not (files / "out").exists()


# --- problems of the package's own rows name the package ----------------------------------------------
def test_a_problem_only_in_the_packages_rows_names_the_package(demo):
    pts = demo.play_points.copy()
    pts.loc[pts.index[4], "year"] = 1800  # row 5 of the package's list, outside 1900..2100
    pkg = replace(demo, play_points=pts)
    plan = _import(pkg, points_csv(demo), mode="add")
    bad = the(plan, "prob.out_of_range")
    assert (bad.params["file"], bad.params["rows"], bad.row) == (demo.source, "5", 5)
    assert "diem_moi.csv" not in bad.message("vi")


def test_remap_names_the_file_or_the_package_by_the_rows():
    from planner.errors import Problem
    from planner.importing.plan import _remap

    def problem(rows):
        return Problem("prob.out_of_range", dict(file="facilities/play_points.geojson", column="year", n=2, rows=rows),
                       layer="play_points", column="year")

    files = {"play_points": ("diem.csv", (2, 3, 5))}  # the file's rows 2, 3, 5 after the package's 19
    got = _remap([problem("3, 7"), problem("20, 22"), problem("4, 21")], files, set(), {"play_points": 19}, "/data/pkg")
    assert [(p.params["file"], p.params["rows"], p.row) for p in got] == [
        ("/data/pkg", "3, 7", 3),  # the package's rows only: the package, its row numbers
        ("diem.csv", "2, 5", 2),  # the file's rows only
        ("diem.csv", "3", 3),  # both: named by the file's row (as before)
    ]
    replaced = _remap([problem("2")], files, set(), {}, "/data/pkg")[0]  # no package rows before the file's
    assert (replaced.params["file"], replaced.params["rows"], replaced.row) == ("diem.csv", "3", 3)


# --- a checked plan matches what it was checked with ----------------------------------------------------
def test_import_fingerprint_changes_with_every_input():
    from planner.importing import import_fingerprint

    src = ImportSource("play_points", "diem.csv", b"a,b\n1,2\n", crs="wgs84", mapping={"a": "name", "b": "year"},
                       fixes=("swap_lonlat",))
    base = import_fingerprint([src], mode="add", name="Gói", context=("/data", 2000.0))
    same = ImportSource("play_points", "diem.csv", b"a,b\n1,2\n", crs="wgs84", mapping={"b": "year", "a": "name"},
                        fixes=("swap_lonlat",))
    assert import_fingerprint([same], mode="add", name="Gói", context=("/data", 2000.0)) == base  # mapping order aside
    changed = [
        [replace(src, kind="schools")], [replace(src, name="khac.csv")], [replace(src, data=b"a,b\n1,3\n")],
        [replace(src, crs=None)], [replace(src, mapping={"a": "name"})], [replace(src, fixes=())],
        [replace(src, encoding="cp1258")], [replace(src, sheet="Sheet2")], [src, src], [],
    ]
    assert all(import_fingerprint(s, mode="add", name="Gói", context=("/data", 2000.0)) != base for s in changed)
    assert import_fingerprint([src], mode="replace", name="Gói", context=("/data", 2000.0)) != base
    assert import_fingerprint([src], mode="add", name="Gói khác", context=("/data", 2000.0)) != base
    assert import_fingerprint([src], mode="add", name="Gói", context=("/data", 1000.0)) != base
    assert import_fingerprint([src], mode="add", name="Gói", context=("/other", 2000.0)) != base
