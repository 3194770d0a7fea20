"""Does the runtime install (`requirements.txt` alone, what scripts/run.sh installs) do what the app
needs? Issue 13: openpyxl was only in requirements-dev.txt, so the tests passed while the user's
install refused every Excel upload.

Two checks, run by scripts/test.sh in a venv made from requirements.txt alone:
- every upload format the import takes (XLSX, CSV, zipped Shapefile, GeoPackage, KML, GeoJSON)
  holding a village list made from the demo package goes through the project's own import
  (`inspect_upload`, then `prepare_import` over the demo package) with no error and the same rows;
- every third-party module imported anywhere in the app's code (planner/, ui/, views/, app.py;
  top-level and lazy imports, found by walking the AST) imports, and comes from a distribution
  requirements.txt names (not one that is only there as a dependency of another).

Prints one line per check and a clear FAIL line (what, and the error) for each failure; the exit
status is 1 when anything failed. tests/test_runtime_check.py runs the same functions in-process.
"""
from __future__ import annotations

import ast
import importlib
import importlib.metadata
import io
import logging
import re
import sys
import tempfile
import time
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as `python scripts/check_runtime.py` from anywhere

APP_CODE = ("planner", "ui", "views", "app.py")  # planner/ is the core; the rest is the Streamlit shell
SAMPLE_ROWS = 25


# --- upload formats ------------------------------------------------------------------------------
def sample_villages(package, n: int = SAMPLE_ROWS):
    """`n` villages of `package`, every few rows so that several communes are in (EPSG:4326)."""
    villages = package.villages.to_crs(4326)
    step = max(1, len(villages) // n)
    return villages.iloc[::step].head(n).reset_index(drop=True)


def _table(villages):
    import pandas as pd

    table = pd.DataFrame(villages.drop(columns=villages.geometry.name))
    table["lon"], table["lat"] = villages.geometry.x.round(6), villages.geometry.y.round(6)
    return table


def _xlsx(villages, folder: Path) -> tuple[str, bytes]:
    import pandas as pd

    with pd.ExcelWriter(folder / "thon.xlsx", engine="xlsxwriter") as writer:
        _table(villages).to_excel(writer, sheet_name="villages", index=False)
    return "thon.xlsx", (folder / "thon.xlsx").read_bytes()


def _csv(villages, folder: Path) -> tuple[str, bytes]:
    return "thon.csv", _table(villages).to_csv(index=False).encode("utf-8")


def _shapefile(villages, folder: Path) -> tuple[str, bytes]:
    shp = folder / "shapefile"
    shp.mkdir(exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the driver says it cut "commune_code" to 10 characters
        villages.to_file(shp / "thon.shp", driver="ESRI Shapefile", engine="pyogrio", encoding="UTF-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in sorted(shp.iterdir()):
            zf.write(part, part.name)
    return "thon.zip", buf.getvalue()


def _gis(driver: str, suffix: str):
    def write(villages, folder: Path) -> tuple[str, bytes]:
        path = folder / f"thon.{suffix}"
        villages.to_file(path, layer="villages", driver=driver, engine="pyogrio")
        return path.name, path.read_bytes()
    return write


# Format -> writer of a village list as a user would upload it: tables with lon/lat columns (pandas,
# xlsxwriter), GIS files with points (geopandas, pyogrio).
WRITERS = {"XLSX": _xlsx, "CSV": _csv, "Shapefile": _shapefile, "GeoPackage": _gis("GPKG", "gpkg"),
           "KML": _gis("KML", "kml"), "GeoJSON": _gis("GeoJSON", "geojson")}
FORMATS = tuple(WRITERS)


def check_upload(fmt: str, name: str, data: bytes, package, expected, kind: str = "villages") -> str | None:
    """None when the upload imports over `package` (replacing its list) with the rows of `expected`;
    else what went wrong, in one line."""
    from planner.errors import PlannerError
    from planner.importing import ImportSource, inspect_upload, prepare_import

    try:
        report = inspect_upload(name, data, kind=kind)
        plan = prepare_import([ImportSource(kind, name, data)], package=package, mode="replace")
    except PlannerError as exc:
        return f"import {fmt} ({name}) refused: {exc.message('en')}"
    except Exception as exc:  # a bug rather than a refusal, but the format does not work either
        return f"import {fmt} ({name}) failed: {type(exc).__name__}: {exc}"
    if not plan.ok:
        errors = "; ".join(p.message("en") for p in plan.errors[:3])
        return f"import {fmt} ({name}) refused ({report.format}, mapping {dict(report.mapping)}): {errors}"
    got = plan.layers[kind]
    for col in ("id", "name", "population"):
        if col in expected and list(got[col]) != list(expected[col]):
            return f"import {fmt} ({name}) read the wrong {col!r}: {list(got[col])[:3]} instead of {list(expected[col])[:3]}"
    return None


def check_formats(package=None, formats: Sequence[str] = FORMATS) -> list[str]:
    """A FAIL line for each format whose village list the import refuses or reads wrong."""
    from planner.io import DEMO_DIR, read_package

    package = package if package is not None else read_package(DEMO_DIR)
    villages = sample_villages(package)
    failures = []
    with tempfile.TemporaryDirectory(prefix="check-runtime-") as tmp:
        for fmt in formats:
            try:
                name, data = WRITERS[fmt](villages, Path(tmp))
            except Exception as exc:  # a writer missing from the install, most likely
                problem = f"import {fmt}: could not make the test file: {type(exc).__name__}: {exc}"
            else:
                problem = check_upload(fmt, name, data, package, villages)
            if problem:
                failures.append(problem)
            print(f"FAIL {problem}" if problem else f"ok   import {fmt}: {len(villages)} villages from {name}")
    return failures


# --- third-party imports -------------------------------------------------------------------------
def _optional(node: ast.AST, parents: dict) -> bool:
    """An import under `if TYPE_CHECKING:` or in a `try` that catches ImportError: not needed at run time."""
    child, node = node, parents.get(node)
    while node is not None:
        if isinstance(node, ast.If) and child in node.body and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
        if isinstance(node, ast.Try) and child in node.body:
            caught = " ".join(ast.unparse(h.type) for h in node.handlers if h.type is not None)
            if "ImportError" in caught or "ModuleNotFoundError" in caught:
                return True
        child, node = node, parents.get(node)
    return False


def imported_modules(source: str) -> set[str]:
    """The absolute modules one file imports (dotted, as written), at the top or inside functions."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and not _optional(node, parents):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level and not _optional(node, parents):
            out.add(node.module)
    return out


def local_names(root: Path = ROOT) -> set[str]:
    """Top-level names that are the project's own (folders and modules at the root)."""
    return {p.stem for p in root.iterdir() if p.suffix == ".py" or (p.is_dir() and not p.name.startswith("."))}


def third_party_imports(paths: Sequence[str] = APP_CODE, root: Path = ROOT) -> dict[str, set[str]]:
    """Third-party module (dotted, as imported) -> the files importing it, under `paths` of `root`."""
    own = local_names(root)
    found: dict[str, set[str]] = {}
    for entry in paths:
        base = root / entry
        files = sorted(base.rglob("*.py")) if base.is_dir() else [base]
        for f in files:
            for mod in imported_modules(f.read_text(encoding="utf-8")):
                top = mod.split(".")[0]
                if top in sys.stdlib_module_names or top in own or top == "__future__":
                    continue
                found.setdefault(mod, set()).add(f.relative_to(root).as_posix())
    return found


def canonical(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(path: Path = ROOT / "requirements.txt") -> set[str]:
    """The distributions a requirements file names (following -r)."""
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith(("-r ", "--requirement ")):
            names |= requirement_names(path.parent / line.split(None, 1)[1])
        elif not line.startswith("-"):
            m = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line)
            if m:
                names.add(canonical(m.group(0)))
    return names


def check_imports(modules: dict[str, set[str]], requirements: set[str]) -> list[str]:
    """A FAIL line for each module that does not import, or comes from a distribution the
    requirements do not name."""
    dists = importlib.metadata.packages_distributions()
    failures = []
    for mod in sorted(modules):
        where = ", ".join(sorted(modules[mod])[:3]) + (" ..." if len(modules[mod]) > 3 else "")
        try:
            importlib.import_module(mod)
        except Exception as exc:  # ImportError, or a broken install raising anything while importing
            failures.append(f"module {mod} (imported in {where}) does not import: {type(exc).__name__}: {exc}")
            continue
        providers = {canonical(d) for d in dists.get(mod.split(".")[0], ())}
        if providers and not providers & requirements:
            failures.append(f"module {mod} (imported in {where}) comes from {', '.join(sorted(providers))}, "
                            f"which requirements.txt does not name")
    return failures


# --- the periodic report --------------------------------------------------------------------------
def check_report() -> list[str]:
    """A FAIL line when the demo's periodic report cannot be written as DOCX and PDF on this install."""
    from datetime import date, datetime, timezone

    from planner.analysis import Analysis
    from planner.io import DEMO_DIR, read_package
    from planner.periodic_report import period, report_content
    from planner.progress import progress
    from planner.report_files import report_docx, report_pdf

    try:
        package = read_package(DEMO_DIR)
        p = progress(Analysis.of(package), (), today=date(2026, 12, 1))
        content = report_content(p, package, period("midterm", today=p.today), "vi", now=datetime.now(timezone.utc))
        sizes = len(report_docx(content)), len(report_pdf(content))
    except Exception as exc:  # a library missing or broken in the install
        line = f"periodic report: {type(exc).__name__}: {exc}"
        print(f"FAIL {line}")
        return [line]
    print(f"ok   periodic report: DOCX {sizes[0]:,} bytes, PDF {sizes[1]:,} bytes")
    return []


# --- the command ---------------------------------------------------------------------------------
def main() -> int:
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # library deprecation noise; failures are reported below
        modules = third_party_imports()
        logging.disable(logging.WARNING)  # streamlit_folium, imported bare, logs "missing ScriptRunContext"
        try:
            failures = check_imports(modules, requirement_names())
        finally:
            logging.disable(logging.NOTSET)
        print(f"{'FAIL' if failures else 'ok  '} imports: {len(modules) - len(failures)} of {len(modules)} third-party "
              f"modules of {', '.join(APP_CODE)} import and come from requirements.txt")
        for line in failures:
            print(f"FAIL {line}")
        failures += check_formats()
        failures += check_report()
    print(f"runtime check ({sys.executable}): {'FAILED' if failures else 'passed'} in {time.perf_counter() - start:.1f} s")
    for line in failures:  # again at the end, where CI logs are read
        print(f"FAIL {line}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
