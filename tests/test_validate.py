"""Every user-facing data-package error: what it names, in both languages, all at once."""

import pytest

from planner.errors import DataPackageError
from planner.io import read_package, write_package
from tests.conftest import tiny_layers


def _package_with(tmp_path, **changes):
    layers = tiny_layers()
    for name, fn in changes.items():
        layers[name] = fn(layers[name])
    return write_package(layers, {"name": "t"}, tmp_path / "pkg")


def _problems(folder):
    with pytest.raises(DataPackageError) as err:
        read_package(folder)
    return err.value


def test_missing_folder(tmp_path):
    err = _problems(tmp_path / "nope")
    assert "nope" in err.message("en") and "not found" in err.message("en")
    assert "Không tìm thấy" in err.message("vi")


def test_missing_file_is_named_and_present_files_listed(tiny_dir):
    (tiny_dir / "facilities" / "schools.geojson").unlink()
    err = _problems(tiny_dir)
    msg = err.message("en")
    assert "facilities/schools.geojson is missing" in msg
    assert "boundaries/communes.geojson" in msg and "facilities/play_points.geojson" in msg
    assert "thiếu tệp facilities/schools.geojson" in err.message("vi")


def test_optional_files_may_be_absent(tiny_dir):
    pkg = read_package(tiny_dir)
    assert pkg.toilets is None and pkg.candidate_sites is None and pkg.communes_2024 is None


def test_missing_column_names_it_and_lists_columns(tmp_path):
    folder = _package_with(tmp_path, villages=lambda g: g.rename(columns={"children": "tre_em"}))
    msg = _problems(folder).message("en")
    # a package's file must call the column by its name: the name first, then what it means
    assert "boundaries/villages.geojson: column 'children' (Children under 16) not found" in msg
    assert "tre_em" in msg and "population" in msg
    assert "thiếu cột 'children' (Trẻ em dưới 16 tuổi)" in _problems(folder).message("vi")


def test_wrong_type_text_in_numeric_column(tmp_path):
    def bad(g):
        g = g.copy()
        g["population"] = g["population"].astype(str)
        g.loc[0, "population"] = "bốn mươi"
        return g

    err = _problems(_package_with(tmp_path, villages=bad))
    assert "column 'population' must be whole numbers but holds text" in err.message("en")
    assert "phải là số nguyên" in err.message("vi")


def test_codes_must_be_text(tmp_path):
    err = _problems(_package_with(tmp_path, communes=lambda g: g.assign(code=[1, 2, 3, 4])))
    assert "column 'code' (Commune code) must be text but holds whole numbers (1)" in err.message("en")


def test_several_problems_reported_together(tmp_path):
    def bad_points(g):
        g = g.copy()
        g.loc[0, "status"] = "planned"
        g.loc[1, "id"] = g.loc[0, "id"]
        return g

    def bad_communes(g):
        g = g.copy()
        g.loc[2, "poverty_rate"] = 1.7
        g.loc[3, "name"] = ""
        return g

    err = _problems(_package_with(tmp_path, play_points=bad_points, communes=bad_communes))
    msg = err.message("en")
    assert len(err.problems) == 4
    assert "'planned'" in msg and "existing, under_construction (Under construction)" in msg
    assert "duplicate values 'P1'" in msg
    assert "'poverty_rate' (Poverty rate (0–1)) is outside [0, 1] in 1 row(s) (e.g. rows 3)" in msg
    assert "'name' is empty in 1 row(s) (e.g. rows 4)" in msg
    vi = err.message("vi")
    assert "existing (Đang hoạt động), under_construction (Đang xây dựng)" in vi
    assert "'poverty_rate' (Tỷ lệ hộ nghèo (0–1)) có giá trị ngoài khoảng [0; 1]" in vi


def test_unknown_commune_code(tmp_path):
    def bad(g):
        g = g.copy()
        g.loc[0, "commune_code"] = "999"
        return g

    msg = _problems(_package_with(tmp_path, schools=bad)).message("en")
    assert "commune codes '999' are not in communes.geojson" in msg


def test_children_above_population(tmp_path):
    def bad(g):
        g = g.copy()
        g.loc[0, "children"] = 1000
        return g

    msg = _problems(_package_with(tmp_path, villages=bad)).message("en")
    assert "children exceed population in 1 row(s) (e.g. rows 1)" in msg


def test_wrong_geometry_type(tmp_path):
    msg = _problems(_package_with(tmp_path, villages=lambda g: g.set_geometry(g.to_crs(32648).buffer(50).to_crs(4326)))).message("en")
    assert "villages.geojson: geometry must be points" in msg


def test_invalid_polygon(tmp_path):
    from shapely.geometry import Polygon

    def bad(g):
        g = g.copy()
        x, y = g.geometry.iloc[0].exterior.coords[0]
        g.loc[0, "geometry"] = Polygon([(x, y), (x + 0.1, y + 0.1), (x + 0.1, y), (x, y + 0.1)])  # bow-tie
        return g

    msg = _problems(_package_with(tmp_path, communes=bad)).message("en")
    assert "1 invalid polygon(s)" in msg


def test_village_sums_mismatch_is_a_warning_not_an_error(tmp_path):
    def bad(g):
        g = g.copy()
        g.loc[0, "population"] += 5
        return g

    pkg = read_package(_package_with(tmp_path, communes=bad))
    assert [w.key for w in pkg.warnings] == ["prob.village_sum"]
    assert "'001'" in pkg.warnings[0].message("en")


def test_broken_geojson_file(tiny_dir):
    (tiny_dir / "boundaries" / "villages.geojson").write_text("{ not json", encoding="utf-8")
    msg = _problems(tiny_dir).message("en")
    assert "cannot read boundaries/villages.geojson" in msg


def test_empty_layer(tmp_path):
    msg = _problems(_package_with(tmp_path, play_points=lambda g: g.iloc[0:0])).message("en")
    assert "play_points.geojson: has no rows" in msg


def test_demo_manifest_says_demo(demo):
    assert demo.is_demo and "demo" in demo.manifest["note_en"].lower()
