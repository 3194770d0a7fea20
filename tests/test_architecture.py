"""The pure core stays pure: planner/ never imports streamlit; folium only in planner/maps.py."""
import ast
from pathlib import Path

PLANNER = Path(__file__).resolve().parent.parent / "planner"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_planner_never_imports_streamlit():
    offenders = [p.name for p in PLANNER.rglob("*.py") if {"streamlit", "streamlit_folium"} & _imports(p)]
    assert offenders == []


def test_folium_only_in_maps():
    offenders = [p.name for p in PLANNER.rglob("*.py") if "folium" in _imports(p) and p.name != "maps.py"]
    assert offenders == []


FILE_MODULES = {"io.py", "import_io.py"}  # data packages and exports; uploads being imported


def test_only_io_opens_files():
    import re

    pattern = re.compile(r"(?<![\w.])open\(|read_text\(|write_text\(|read_dataframe\(|write_dataframe\(")
    offenders = [p.name for p in PLANNER.rglob("*.py")
                 if p.name not in FILE_MODULES and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
