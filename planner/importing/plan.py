"""The import as a whole: `prepare_import` reads, converts and checks every source into an
`ImportPlan` (the layers it would write and every problem, named by the user's file and rows);
a list taken over a current package is added to its rows or replaces them, as the caller chose
(`lists_needing_mode` tells which lists need that choice); `write_import` writes it as a data package
only when the report has no errors. What an import changes is told by `planner.importing.effect`.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import pandas as pd
import shapely

from planner import coordinates as co
from planner.contracts import LAYER_BY_NAME, LAYERS
from planner.errors import DataPackageError, PlannerError, Problem, UsageError
from planner.i18n import t
from planner.importing.columns import LIST_KINDS, canonical_kind, kml_driver_columns
from planner.importing.communes import apply_table, communes_layer, fill_from_villages, join_table, polygon_layer
from planner.importing.files import UploadError
from planner.importing.layers import ImportContext, SourceProblems, list_layer, typed_column
from planner.importing.sources import ImportSource, SourceRead, SourceReport, read_source
from planner.names import index_for, official_index
from planner.package import DataPackage
from planner.validate import check_layer, check_package

REQUIRED = tuple(layer.name for layer in LAYERS if layer.required)
MODES = ("add", "replace")
SAME_PLACE_DEG = 1e-5  # about 1 m: a row this close to an existing one with the same id is that row


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import would write, and every problem. Nothing is written until `write_import`."""

    layers: Mapping[str, gpd.GeoDataFrame]
    problems: tuple[Problem, ...]
    sources: tuple[SourceReport, ...]
    manifest: Mapping
    modes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # package's list -> "add" / "replace"
    terrain_from: str = ""  # the package's elevation model, kept with its paths and barriers (planner/terrain.py)

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
           covered: set[tuple[str, str]], offsets: Mapping[str, int], package_source: str = "") -> list[Problem]:
    """Contract problems named by the user's file and rows, without those already reported per row.
    `offsets`: rows of the package before the file's in a layer the file was added to; a problem
    found only in those rows names the package (`package_source`) and keeps its row numbers."""
    supersedes = {"prob.empty_values", "prob.wrong_type", "prob.not_allowed", "prob.duplicate", "prob.geometry",
                  "prob.missing_column"}
    out = []
    for p in problems:
        col = p.column or ("geometry" if p.key == "prob.geometry" else "")
        if p.key in supersedes and (p.layer, col) in covered:
            continue
        file, rows = layer_files.get(p.layer, (p.params.get("file", ""), ()))
        skip = offsets.get(p.layer, 0)
        params = dict(p.params)
        row = None
        given = [int(r) for r in str(params.get("rows", "")).split(", ") if r.isdigit()]
        if "file" in params:
            params["file"] = file
        if params.get("as_named") and file != package_source:
            params["as_named"] = False  # an upload: its columns were matched to the fields, whatever their headers
        if "rows" in params and rows:
            nums = [rows[r - 1 - skip] for r in given if skip < r <= skip + len(rows)]
            if nums:
                params["rows"] = ", ".join(str(r) for r in nums)
                row = nums[0]
            elif skip and given and all(r <= skip for r in given):  # the package's own rows, not the file's
                params["file"] = package_source or p.params.get("file", "")
                row = given[0]
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


def lists_needing_mode(kinds: Iterable[str], package: DataPackage | None) -> tuple[str, ...]:
    """The lists among `kinds` (kinds of the files of an import) that `package` has already: for
    each, the import must be told whether to add the file's rows or replace the list (`MODES`)."""
    if package is None:
        return ()
    wanted = {canonical_kind(k) for k in kinds}
    return tuple(k for k in LIST_KINDS if k in wanted and getattr(package, k) is not None)


def import_fingerprint(sources: Sequence[ImportSource], *, mode: str | None = None, name: str = "",
                       context: Sequence = ()) -> str:
    """A digest of everything an import is prepared from: each source (kind, name, a hash of its bytes,
    CRS, encoding, sheet, mapping, fixes), the mode, the package name and `context` (e.g. the current
    package and the radius of its figures). A checked plan is only good while this stays the same."""
    parts = [[s.kind, s.name, hashlib.sha256(s.data).hexdigest(), s.crs, s.encoding, s.sheet,
              sorted((str(k), str(v)) for k, v in (s.mapping or {}).items()), list(s.fixes)] for s in sources]
    text = json.dumps([parts, mode, name, [str(c) for c in context]], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prepare_import(sources: Sequence[ImportSource], *, package: DataPackage | None = None, crs: str | None = None,
                   name: str = "", as_of: str | None = None, complete: bool = True,
                   mode: str | None = None) -> ImportPlan:
    """Read, convert and check every source; nothing is written. Layers not uploaded are taken from
    `package` when given. `crs` is used for files without one. With `complete`, the required layers
    must all be there (an import); without, each file is checked on its own (validation).

    `mode` says what a list file (villages, play points, ...) does to the same list of `package`:
    "add" puts the file's rows after the package's rows (ids that clash are errors; generated ids
    avoid the package's; rows with an existing id at the same place are reported and not counted
    twice), "replace" puts them in its place. One choice serves every list of the import, since
    the Data page asks once and the command line has one --mode; to add to one list and replace
    another, import twice. Nothing is guessed: when a list file meets a list the package has and
    no mode is given, UsageError `err.imp_mode_needed` names each such list with its rows in the
    package and in the file. Lists the package lacks, imports without a package and validation
    (not `complete`) need no mode."""
    if mode is not None and mode not in MODES:
        raise UsageError("err.imp_mode", value=mode, known=", ".join(MODES))
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
        driver = set(kml_driver_columns(rd.report.columns)) if rd.report.format in ("KML", "KMZ", "kml", "kmz") else set()
        unmapped = [c for c in rd.report.columns if c not in rd.report.mapping and c not in driver]
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
    offsets: dict[str, int] = {}
    covered: set[tuple[str, str]] = set()
    base = {} if package is None else {l.name: getattr(package, l.name) for l in LAYERS if getattr(package, l.name) is not None}
    over = list(lists_needing_mode(by_kind, package)) if complete else []
    if over and mode is None:
        raise UsageError("err.imp_mode_needed", problems=tuple(
            Problem("imp.mode_layer", dict(layer=t(f"imp.kind.{k}", "vi"), layer_en=t(f"imp.kind.{k}", "en"),
                                           before=len(base[k]), file=by_kind[k][0].label, rows=len(by_kind[k][0].attrs)),
                    layer=k) for k in over))
    modes = {k: mode for k in over}
    taken = {k: frozenset(str(v) for v in base[k]["id"] if isinstance(v, str)) for k in over if mode == "add"}
    reports: list[SourceProblems] = []
    ctx = ImportContext(official_index(), None, None, crs, taken)
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
        ctx = ImportContext(index_for(pairs), shapely.union_all(list(valid)) if len(valid) else None, communes, crs, taken)
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
        if gdf is None:
            continue
        if modes.get(kind) == "add":
            gdf, kept_rows = _added(base[kind], gdf, rd, rep)
            offsets[kind] = len(base[kind])
            layer_files[kind] = (rd.label, tuple(rd.rows[i] for i in kept_rows))
        else:
            if modes.get(kind) == "replace":
                _note_dropped(base[kind], gdf, rd, rep)
            layer_files[kind] = (rd.label, rd.rows)
        layers[kind] = gdf
    villages = layers.get("villages", base.get("villages") if complete else None)
    if "communes" in layers and villages is not None and reports:
        fill_from_villages(layers, villages, reports[0])
    for rep in reports:
        problems.extend(rep.items)
        covered |= rep.covered
    kept = []
    source = "" if package is None else package.source
    if complete:
        for lname, gdf in base.items():
            # the pre-2025 boundaries go when new boundaries come, not when only a list or a table does;
            # so does the terrain (paths, barriers, the elevation model), cut for the old boundaries
            if lname not in layers and not (lname in ("communes_2024", "paths", "barriers") and "communes" in by_kind):
                layers[lname] = gdf
                layer_files[lname] = (package.source, ())
                kept.append(lname)
        if kept:
            names = {lang: ", ".join(t(f"imp.kind.{k}", lang) for k in kept) for lang in ("vi", "en")}
            problems.append(Problem("imp.kept_from_package", dict(layers=names["vi"], layers_en=names["en"], source=package.source),
                                    severity="warning"))
        missing = [k for k in REQUIRED if k not in layers]
        if missing and not any(p.layer in missing and p.severity == "error" for p in problems):
            problems.append(Problem("imp.missing_kind", dict(kinds=", ".join(missing))))
    if complete and not missing:
        frames = {l.name: layers.get(l.name) for l in LAYERS}
        problems.extend(_remap(check_package(frames), layer_files, covered, offsets, source))
    else:  # each layer on its own
        for lname, gdf in layers.items():
            problems.extend(_remap(check_layer(LAYER_BY_NAME[lname], gdf), layer_files, covered, offsets, source))
    source_reports = tuple(rd.report for rd in reads)
    manifest = {
        "name": name or "Imported data",
        "demo": False,
        "as_of": as_of or date.today().isoformat(),
        "imported_by": "planner.importing",
        "sources": [{"file": r.name, "kind": r.kind, "format": r.format, "encoding": r.encoding, "crs": r.crs or "",
                     "rows": r.rows} | ({"mode": modes[r.kind]} if r.kind in modes else {}) for r in source_reports],
    }
    if kept:
        manifest["sources"].append({"kept_from": package.source, "layers": kept})
    terrain_from = ""
    if complete and package is not None and package.has_terrain and "communes" not in by_kind:
        terrain_from = package.terrain_file
        manifest["terrain"] = dict(package.manifest.get("terrain") or {})
    frozen = MappingProxyType({k: layers[k] for k in (l.name for l in LAYERS) if k in layers})
    return ImportPlan(frozen, tuple(problems), source_reports, MappingProxyType(manifest), MappingProxyType(modes),
                      terrain_from)


def _layer_text(kind: str) -> dict:
    """A layer's name for a problem's parameters, in both languages."""
    return dict(layer=t(f"imp.kind.{kind}", "vi"), layer_en=t(f"imp.kind.{kind}", "en"))


def _ids(gdf: gpd.GeoDataFrame) -> list:
    return [v if isinstance(v, str) else None for v in gdf["id"]] if "id" in gdf.columns else [None] * len(gdf)


def _added(before: gpd.GeoDataFrame, new: gpd.GeoDataFrame, rd: SourceRead,
           rep: SourceProblems) -> tuple[gpd.GeoDataFrame, list[int]]:
    """The package's rows of a list, then the file's (mode "add"), and the positions of the file's rows
    kept. A file row whose id the list has at the same place is that row: reported, not added again.
    One whose id the list has elsewhere is an error; one at the place of another id, a warning."""
    column = {v: k for k, v in rd.report.mapping.items()}.get("id", "id")
    old = {i: g for i, g in zip(_ids(before), before.geometry) if i is not None}
    same, clash = [], []
    for i, (ident, g) in enumerate(zip(_ids(new), new.geometry)):
        if ident is None or ident not in old:
            continue
        og = old[ident]
        if g is not None and og is not None and shapely.dwithin(g, og, SAME_PLACE_DEG):
            same.append(i)
        else:
            clash.append(i)
    ids = _ids(new)
    if clash:
        rep.add("imp.id_taken", positions=clash, column=column, target="id", **_layer_text(rd.kind),
                values=", ".join(repr(ids[i]) for i in clash[:5]))
    if same:
        rep.add("imp.already_listed", positions=same, column=column, severity="warning", **_layer_text(rd.kind),
                values=", ".join(repr(ids[i]) for i in same[:5]))
    drop = set(same)
    keep = [i for i in range(len(new)) if i not in drop]
    places = [g for g in before.geometry if g is not None and not g.is_empty]
    if places:
        tree, skip = shapely.STRtree(places), set(clash)
        near = [i for i in keep if i not in skip and new.geometry.iloc[i] is not None
                and len(tree.query(new.geometry.iloc[i], predicate="dwithin", distance=SAME_PLACE_DEG))]
        if near:
            rep.add("imp.same_place", positions=near, column="geometry", severity="warning", **_layer_text(rd.kind))
    return _appended(rd.kind, before, new.iloc[keep]), keep


def _appended(kind: str, before: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One layer from two: the contract's columns typed as an import types them, others kept as they are."""
    parts = [gdf.to_crs(co.WGS84).rename_geometry("geometry") if gdf.geometry.name != "geometry" else gdf.to_crs(co.WGS84)
             for gdf in (before, new)]
    both = pd.concat([pd.DataFrame(part) for part in parts], ignore_index=True)
    geometry = gpd.GeoSeries(both.pop("geometry"), crs=co.WGS84)
    for col in LAYER_BY_NAME[kind].columns:
        if col.name in both.columns:
            both[col.name] = typed_column([None if pd.isna(v) else v for v in both[col.name]], col)
    return gpd.GeoDataFrame(both, geometry=geometry, crs=co.WGS84)


def _note_dropped(before: gpd.GeoDataFrame, new: gpd.GeoDataFrame, rd: SourceRead, rep: SourceProblems) -> None:
    """Mode "replace": warn how many rows of the current list the new one no longer has (by id)."""
    kept = set(_ids(new))
    dropped = sum(1 for i in _ids(before) if i is None or i not in kept)
    if dropped:
        rep.add("imp.replace_drops", severity="warning", **_layer_text(rd.kind), dropped=dropped, before=len(before),
                after=len(new))


def write_import(plan: ImportPlan, out_dir) -> Path:
    """Write the plan as a data package (GeoJSON in EPSG:4326 + package.json with demo=false, and the
    elevation model the package had). Refuses while the report has errors."""
    from planner.contracts import ELEVATION
    from planner.io import read_bytes, write_package

    if not plan.ok:
        raise DataPackageError("err.imp_not_ready", problems=plan.errors, path=str(out_dir))
    missing = [k for k in REQUIRED if k not in plan.layers]
    if missing:
        raise DataPackageError("err.imp_not_ready", problems=(Problem("imp.missing_kind", dict(kinds=", ".join(missing))),),
                               path=str(out_dir))
    files = {ELEVATION: read_bytes(plan.terrain_from)} if plan.terrain_from else None
    return write_package(dict(plan.layers), dict(plan.manifest), out_dir, files=files)


def report_lines(problems: Sequence[Problem], lang: str, *, machine: bool = False) -> list[str]:
    """One line per problem: severity, then the message (which names file, rows and column). With
    `machine` (the command line), a field named by its label is followed by the name scripts use."""
    return [f"{t('imp.severity_' + p.severity, lang)}: {p.message(lang, machine=machine)}" for p in problems]


def report_json(problems: Sequence[Problem], lang: str) -> list[dict]:
    """One record per problem for the command line's --json: key, severity, where, fix and the message."""
    return [{"key": p.key, "severity": p.severity, "file": p.params.get("file", ""), "layer": p.layer, "row": p.row,
             "column": p.column, "fix": p.params.get("fix"), "message": p.message(lang, machine=True)} for p in problems]
