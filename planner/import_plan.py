"""The import as a whole: `prepare_import` reads, converts and checks every source into an
`ImportPlan` (the layers it would write and every problem, named by the user's file and rows);
`write_import` writes it as a data package only when the report has no errors.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import shapely

from planner import coordinates as co
from planner.contracts import LAYER_BY_NAME, LAYERS
from planner.errors import DataPackageError, PlannerError, Problem, UsageError
from planner.i18n import t
from planner.import_columns import LIST_KINDS, canonical_kind
from planner.import_communes import apply_table, communes_layer, fill_from_villages, join_table, polygon_layer
from planner.import_io import UploadError
from planner.import_layers import ImportContext, SourceProblems, list_layer
from planner.import_sources import ImportSource, SourceRead, SourceReport, read_source
from planner.names import index_for, official_index
from planner.package import DataPackage
from planner.validate import check_layer, check_package

REQUIRED = tuple(layer.name for layer in LAYERS if layer.required)


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import would write, and every problem. Nothing is written until `write_import`."""

    layers: Mapping[str, gpd.GeoDataFrame]
    problems: tuple[Problem, ...]
    sources: tuple[SourceReport, ...]
    manifest: Mapping

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity != "error")

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def fixes(self) -> tuple[tuple[str, str], ...]:
        """(file, fix code) offered by the report; pass the code in `ImportSource.fixes` to apply it."""
        return tuple(dict.fromkeys((p.params["file"], p.params["fix"]) for p in self.problems if p.params.get("fix")))

    @property
    def crs_guesses(self) -> dict[str, str]:
        """File -> guessed CRS, for files whose CRS must be confirmed (pass it as `ImportSource.crs`)."""
        return {s.name: s.crs_guess for s in self.sources if s.crs_guess}


def _remap(problems: Sequence[Problem], layer_files: dict[str, tuple[str, tuple[int, ...]]],
           covered: set[tuple[str, str]]) -> list[Problem]:
    """Contract problems named by the user's file and rows, without those already reported per row."""
    supersedes = {"prob.empty_values", "prob.wrong_type", "prob.not_allowed", "prob.duplicate", "prob.geometry",
                  "prob.missing_column"}
    out = []
    for p in problems:
        col = p.column or ("geometry" if p.key == "prob.geometry" else "")
        if p.key in supersedes and (p.layer, col) in covered:
            continue
        file, rows = layer_files.get(p.layer, (p.params.get("file", ""), ()))
        params = dict(p.params)
        row = None
        if "file" in params:
            params["file"] = file
        if "rows" in params and rows:
            nums = [rows[int(r) - 1] for r in str(params["rows"]).split(", ") if r.isdigit() and 0 < int(r) <= len(rows)]
            if nums:
                params["rows"] = ", ".join(str(r) for r in nums)
                row = nums[0]
        out.append(replace(p, params=params, row=row if row is not None else p.row))
    return out


def _guarded(fn, rd: SourceRead, *args, empty: tuple):
    """Run one conversion; a failure nobody foresaw becomes a report line naming the file, not a crash."""
    try:
        return fn(rd, *args)
    except PlannerError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, ArithmeticError, AttributeError, shapely.errors.ShapelyError) as exc:
        rep = SourceProblems(rd.label, rd.kind, rd.rows)
        rep.add("err.imp_failed", detail=f"{type(exc).__name__}: {str(exc)[:150]}")
        return (*empty, rep)


def prepare_import(sources: Sequence[ImportSource], *, package: DataPackage | None = None, crs: str | None = None,
                   name: str = "", as_of: str | None = None, complete: bool = True) -> ImportPlan:
    """Read, convert and check every source; nothing is written. Layers not uploaded are taken from
    `package` when given. `crs` is used for files without one. With `complete`, the required layers
    must all be there (an import); without, each file is checked on its own (validation)."""
    if crs is not None:
        co.resolve_crs(crs)
    for s in sources:
        canonical_kind(s.kind)
        if s.crs is not None:
            co.resolve_crs(s.crs)
    problems: list[Problem] = []
    reads: list[SourceRead] = []
    for s in sources:
        try:
            rd = read_source(s)
        except UsageError:
            raise
        except UploadError as exc:
            problems.append(Problem(exc.key, dict(exc.params, file=exc.params.get("file", s.name)), layer=canonical_kind(s.kind)))
            continue
        for key, params in rd.notes:
            problems.append(Problem(key, params, layer=rd.kind, severity="warning"))
        unmapped = [c for c in rd.report.columns if c not in rd.report.mapping]
        if unmapped:
            problems.append(Problem("imp.ignored_columns", dict(file=s.name, columns=", ".join(unmapped)), layer=rd.kind,
                                    severity="warning"))
        if not len(rd.attrs):
            problems.append(Problem("prob.empty_layer", dict(file=s.name), layer=rd.kind))
            continue
        reads.append(rd)
    by_kind: dict[str, list[SourceRead]] = {}
    for rd in reads:
        by_kind.setdefault(rd.kind, []).append(rd)
    for kind, rds in by_kind.items():
        if kind != "table" and len(rds) > 1:
            problems.append(Problem("imp.many_sources", dict(kind=kind, files=", ".join(r.source.name for r in rds)), layer=kind))

    layers: dict[str, gpd.GeoDataFrame] = {}
    layer_files: dict[str, tuple[str, tuple[int, ...]]] = {}
    covered: set[tuple[str, str]] = set()
    base = {} if package is None else {l.name: getattr(package, l.name) for l in LAYERS if getattr(package, l.name) is not None}
    reports: list[SourceProblems] = []
    ctx = ImportContext(official_index(), None, None, crs)
    if "communes" in by_kind:
        rd = by_kind["communes"][0]
        communes, communes_2024, rep = _guarded(communes_layer, rd, ctx, empty=(None, None))
        reports.append(rep)
        if communes is not None:
            layers["communes"] = communes
            layer_files["communes"] = (rd.label, rd.rows if len(communes) == len(rd.rows) else ())
            if communes_2024 is not None:
                layers["communes_2024"] = communes_2024
                layer_files["communes_2024"] = (rd.label, ())
    elif "communes" in base and "table" in by_kind:
        layers["communes"] = base["communes"].copy()
        layer_files["communes"] = (package.source, ())
    communes = layers.get("communes", base.get("communes"))
    if communes is not None and len(communes) and "code" in communes.columns and "name" in communes.columns:
        pairs = [(str(c), str(nm)) for c, nm in zip(communes["code"], communes["name"]) if isinstance(c, str) and isinstance(nm, str)]
        valid = communes.geometry[communes.geometry.notna() & ~communes.geometry.is_empty]
        ctx = ImportContext(index_for(pairs), shapely.union_all(list(valid)) if len(valid) else None, communes, crs)
    for rd in by_kind.get("table", []):
        values, rep = _guarded(join_table, rd, layers.get("communes"), ctx.index, empty=({},))
        reports.append(rep)
        if "communes" in layers and values:
            layers["communes"] = apply_table(layers["communes"], values, rep)
    for kind in ("communes_2024", *LIST_KINDS):
        if kind not in by_kind:
            continue
        rd = by_kind[kind][0]
        if kind == "communes_2024":
            gdf, rep = _guarded(polygon_layer, rd, ctx, kind, empty=(None,))
        else:
            gdf, rep = _guarded(list_layer, rd, ctx, empty=(None,))
        reports.append(rep)
        if gdf is not None:
            layers[kind] = gdf
            layer_files[kind] = (rd.label, rd.rows)
    villages = layers.get("villages", base.get("villages") if complete else None)
    if "communes" in layers and villages is not None and reports:
        fill_from_villages(layers, villages, reports[0])
    for rep in reports:
        problems.extend(rep.items)
        covered |= rep.covered
    kept = []
    if complete:
        for lname, gdf in base.items():
            if lname not in layers and not (lname == "communes_2024" and "communes" in layers):
                layers[lname] = gdf
                layer_files[lname] = (package.source, ())
                kept.append(lname)
        if kept:
            problems.append(Problem("imp.kept_from_package", dict(layers=", ".join(kept), source=package.source), severity="warning"))
        missing = [k for k in REQUIRED if k not in layers]
        if missing and not any(p.layer in missing and p.severity == "error" for p in problems):
            problems.append(Problem("imp.missing_kind", dict(kinds=", ".join(missing))))
    if complete and not missing:
        frames = {l.name: layers.get(l.name) for l in LAYERS}
        problems.extend(_remap(check_package(frames), layer_files, covered))
    else:  # each layer on its own
        for lname, gdf in layers.items():
            problems.extend(_remap(check_layer(LAYER_BY_NAME[lname], gdf), layer_files, covered))
    source_reports = tuple(rd.report for rd in reads)
    manifest = {
        "name": name or "Imported data",
        "demo": False,
        "as_of": as_of or date.today().isoformat(),
        "imported_by": "planner.importing",
        "sources": [{"file": r.name, "kind": r.kind, "format": r.format, "encoding": r.encoding, "crs": r.crs or "",
                     "rows": r.rows} for r in source_reports],
    }
    if kept:
        manifest["sources"].append({"kept_from": package.source, "layers": kept})
    frozen = MappingProxyType({k: layers[k] for k in (l.name for l in LAYERS) if k in layers})
    return ImportPlan(frozen, tuple(problems), source_reports, MappingProxyType(manifest))


def write_import(plan: ImportPlan, out_dir) -> Path:
    """Write the plan as a data package (GeoJSON in EPSG:4326 + package.json with demo=false).
    Refuses while the report has errors."""
    from planner.io import write_package

    if not plan.ok:
        raise DataPackageError("err.imp_not_ready", problems=plan.errors, path=str(out_dir))
    missing = [k for k in REQUIRED if k not in plan.layers]
    if missing:
        raise DataPackageError("err.imp_not_ready", problems=(Problem("imp.missing_kind", dict(kinds=", ".join(missing))),),
                               path=str(out_dir))
    return write_package(dict(plan.layers), dict(plan.manifest), out_dir)


def report_lines(problems: Sequence[Problem], lang: str) -> list[str]:
    """One line per problem: severity, then the message (which names file, rows and column)."""
    return [f"{t('imp.severity_' + p.severity, lang)}: {p.message(lang)}" for p in problems]


def report_json(problems: Sequence[Problem], lang: str) -> list[dict]:
    """One record per problem for the command line's --json: key, severity, where, fix and the message."""
    return [{"key": p.key, "severity": p.severity, "file": p.params.get("file", ""), "layer": p.layer, "row": p.row,
             "column": p.column, "fix": p.params.get("fix"), "message": p.message(lang)} for p in problems]
