"""scripts/check_runtime.py (issue 13), run in-process: every upload format imports, every
third-party module the app imports is named in requirements.txt, and each failure is reported."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load():
    spec = importlib.util.spec_from_file_location("check_runtime", ROOT / "scripts" / "check_runtime.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = _load()


def test_every_upload_format_imports_the_demo_villages(demo, capsys):
    assert check.check_formats(demo) == []
    out = capsys.readouterr().out
    assert [line.split(":")[0] for line in out.splitlines()] == [f"ok   import {f}" for f in check.FORMATS]
    assert set(check.FORMATS) == {"XLSX", "CSV", "Shapefile", "GeoPackage", "KML", "GeoJSON"}


def test_a_missing_excel_reader_fails_naming_the_format(demo, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as on the runtime install before issue 13
    failures = check.check_formats(demo, formats=("XLSX", "CSV"))
    assert len(failures) == 1
    assert failures[0].startswith("import XLSX (thon.xlsx) refused") and "openpyxl" in failures[0]
    assert "FAIL import XLSX" in capsys.readouterr().out


def test_a_missing_writer_fails_naming_the_format(demo, monkeypatch):
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    [line] = check.check_formats(demo, formats=("XLSX",))
    assert line.startswith("import XLSX: could not make the test file") and "xlsxwriter" in line


def test_rows_read_wrong_are_a_failure(demo, tmp_path):
    villages = check.sample_villages(demo, 4)
    name, data = check.WRITERS["CSV"](villages, tmp_path)
    other = villages.assign(id=[f"X{i}" for i in range(len(villages))])
    line = check.check_upload("CSV", name, data, demo, other)
    assert line.startswith("import CSV (thon.csv) read the wrong 'id'")
    assert check.check_upload("CSV", name, data, demo, villages) is None


def test_third_party_imports_found_at_the_top_and_inside_functions():
    found = check.third_party_imports()
    assert {"geopandas", "openpyxl", "xstatic.pkg.leaflet", "streamlit", "highspy"} <= set(found)
    assert "planner/importing/files.py" in found["openpyxl"]  # imported lazily, inside a function
    assert not any(m.split(".")[0] in {"planner", "ui", "views", "os", "json", "__future__"} for m in found)


def test_imported_modules_skip_relative_type_checking_and_optional_imports():
    source = '''
from __future__ import annotations
import os, numpy as np
from typing import TYPE_CHECKING
from . import sibling
from .x import y
if TYPE_CHECKING:
    import only_for_types
try:
    import optional_speedup
except ImportError:
    optional_speedup = None
def f():
    import lazy.sub
    from other.mod import thing
'''
    assert check.imported_modules(source) == {"__future__", "os", "numpy", "typing", "lazy.sub", "other.mod"}


def test_requirements_name_every_module_the_app_imports():
    """Also in the dev venv: a module whose distribution is only in requirements-dev.txt fails here."""
    runtime = check.requirement_names(ROOT / "requirements.txt")
    assert "openpyxl" in runtime and "xstatic-leaflet" in runtime and "pytest" not in runtime
    assert check.check_imports(check.third_party_imports(), runtime) == []


def test_requirement_names_follow_includes_and_ignore_comments(tmp_path):
    (tmp_path / "base.txt").write_text("# c\nFoo_Bar>=1  # why\nbaz[extra]==2 ; python_version>'3'\n--find-links x\n")
    (tmp_path / "dev.txt").write_text("-r base.txt\nZope.Interface\n")
    assert check.requirement_names(tmp_path / "dev.txt") == {"foo-bar", "baz", "zope-interface"}


def test_import_failures_and_unnamed_distributions_are_reported():
    lines = check.check_imports({"no_such_module_13": {"planner/a.py"}, "numpy": {"planner/b.py"}}, {"pandas"})
    assert lines == [
        "module no_such_module_13 (imported in planner/a.py) does not import: ModuleNotFoundError: "
        "No module named 'no_such_module_13'",
        "module numpy (imported in planner/b.py) comes from numpy, which requirements.txt does not name",
    ]


def test_main_exits_non_zero_with_a_line_per_failure(monkeypatch, capsys):
    monkeypatch.setattr(check, "check_formats", lambda: ["import KML (thon.kml) refused: broken"])
    assert check.main() == 1
    captured = capsys.readouterr()
    assert "ok   imports:" in captured.out and "FAILED" in captured.out
    assert "FAIL import KML (thon.kml) refused: broken" in captured.err
    monkeypatch.setattr(check, "check_formats", lambda: [])
    assert check.main() == 0 and "passed" in capsys.readouterr().out


def test_ci_runs_the_check_in_a_venv_made_from_requirements_txt_alone():
    text = (ROOT / "scripts" / "test.sh").read_text()
    assert '"$RUNTIME/bin/pip" install -q -r requirements.txt' in text
    assert '"$RUNTIME/bin/python" scripts/check_runtime.py' in text
    assert text.index("check_runtime.py") < text.index("-m pytest")
    assert "openpyxl" not in (ROOT / "requirements-dev.txt").read_text()
