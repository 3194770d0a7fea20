"""The pure core stays pure: planner/ never imports streamlit; folium only in the map package, planner/maps/."""
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
    offenders = [p.name for p in PLANNER.rglob("*.py") if "folium" in _imports(p) and p.parent.name != "maps"]
    assert offenders == []


FILE_MODULES = {"io.py", "importing/files.py"}  # data packages and exports; uploads being imported


def test_only_io_opens_files():
    import re

    pattern = re.compile(r"(?<![\w.])open\(|read_text\(|write_text\(|read_dataframe\(|write_dataframe\(")
    offenders = [p.relative_to(PLANNER).as_posix() for p in PLANNER.rglob("*.py")
                 if p.relative_to(PLANNER).as_posix() not in FILE_MODULES and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_i18n_knows_nothing_of_the_rest():
    """errors uses i18n, never the other way round: no import circle between them."""
    assert "planner" not in _imports(PLANNER / "i18n.py")
    assert "planner" in _imports(PLANNER / "errors.py")


def _module_graph(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    """Module -> the project modules it imports anywhere in it (lazy imports in functions too)."""
    graph = {}
    for pkg in packages:
        for path in (root / pkg).rglob("*.py"):
            rel = path.relative_to(root).with_suffix("")
            name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
            deps = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    deps |= {a.name for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    deps.add(node.module)
                    deps |= {f"{node.module}.{a.name}" for a in node.names}
            graph[name] = {d for d in deps if d.split(".")[0] in packages}
    return {m: {d for d in deps if d in graph and d != m} for m, deps in graph.items()}


def test_no_import_circles():
    """No module of planner/ or ui/ imports, even lazily inside a function, one that imports it
    back: each concern builds on the ones below it."""
    graph = _module_graph(PLANNER.parent, ("planner", "ui"))
    seen, stack, cycles = set(), [], []

    def visit(m):
        if m in stack:
            cycles.append(stack[stack.index(m):] + [m])
            return
        if m in seen:
            return
        seen.add(m)
        stack.append(m)
        for d in sorted(graph[m]):
            visit(d)
        stack.pop()

    for m in sorted(graph):
        visit(m)
    assert cycles == []


def test_text_modules_import_nothing():
    """planner.i18n merges the texts kept beside their domain; those modules import nothing."""
    for path in PLANNER.glob("i18n_*.py"):
        assert _imports(path) == set(), path.name
