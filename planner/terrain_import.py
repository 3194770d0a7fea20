"""The terrain import as a whole (issue 15): `prepare_terrain` reads the DEM tiles and the optional
paths and rivers/lakes files, each in the bounded worker, into a `TerrainPlan` (what would be
written and every problem); `write_terrain` writes a new data package (the package's layers, the
elevation model, the network layers, its manifest with a `terrain` entry) only when the plan has no
errors; `report_rows` and `report_json` tell what was found. Used by the Data page and
`python -m planner import-terrain`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from planner.contracts import ELEVATION, LAYERS
from planner.errors import DataPackageError, Problem, UsageError
from planner.network import NetworkRead
from planner import terrain
from planner.terrain import DEFAULT_MARGIN_M, DemRead, Upload, package_metric_crs

MAX_MARGIN_M = 50_000.0


@dataclass(frozen=True)
class TerrainPlan:
    """Everything a terrain import would write, and every problem. Nothing is written until
    `write_terrain`. `kept`: network layers the package has and this import does not replace."""

    dem: DemRead
    paths: NetworkRead | None
    barriers: NetworkRead | None
    margin_m: float
    kept: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()  # the demo's illustrative network layers, not put on a real DEM

    @property
    def problems(self) -> tuple[Problem, ...]:
        notes = (Problem("ter.demo_network_dropped", {}, layer="terrain", severity="warning"),
                 ) if self.dropped else ()
        return self.dem.problems + sum((r.problems for r in (self.paths, self.barriers) if r is not None), ()) + notes

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity != "error")

    @property
    def ok(self) -> bool:
        return self.dem.ok and not self.errors

    @property
    def files(self) -> tuple[str, ...]:
        return self.dem.files + tuple(r.file for r in (self.paths, self.barriers) if r is not None)

    def manifest_entry(self, now: datetime | None = None) -> dict:
        """The package manifest's `terrain` object."""
        when = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        return {"source": list(self.files), "cell_m": float(self.dem.cell_m), "crs": self.dem.crs,
                "covered_share": round(float(self.dem.covered_share), 6), "demo": False, "imported_at": when}


def check_margin(value) -> float:
    """The margin around the province in metres, 0 to MAX_MARGIN_M (UsageError otherwise)."""
    try:
        margin = float(value)
    except (TypeError, ValueError):
        raise UsageError("err.ter_margin", value=value, most=f"{MAX_MARGIN_M:g}") from None
    if not 0 <= margin <= MAX_MARGIN_M:
        raise UsageError("err.ter_margin", value=value, most=f"{MAX_MARGIN_M:g}")
    return margin


def prepare_terrain(package, dem: Sequence[Upload], *, paths: Upload | None = None, barriers: Upload | None = None,
                    margin_m: float = DEFAULT_MARGIN_M, limits=None) -> TerrainPlan:
    """Read and check every file, each in a bounded worker (`planner.importing.worker`); nothing is
    written. A worker stopped by a limit, or a reader that crashed, is an error naming the file."""
    from planner.importing import worker
    from planner.importing.files import UploadError

    margin = check_margin(margin_m)
    if not dem:
        raise UsageError("err.ter_no_dem")
    metric = package_metric_crs(package.communes, package.manifest)
    communes = package.communes[["geometry"]]
    bounded = {} if limits is None else {"limits": limits}
    try:
        dem_read = worker.run("read_dem", list(dem), communes=communes, metric_crs=metric, margin_m=margin, **bounded)
    except UploadError as exc:
        dem_read = DemRead(tuple(u.name for u in dem), (Problem(exc.key, dict(exc.params), layer="terrain"),))
    reads = {}
    for kind, upload in (("paths", paths), ("barriers", barriers)):
        if upload is None:
            continue
        try:
            reads[kind] = worker.run("read_network", upload.name, upload.data, kind=kind, communes=communes,
                                     metric_crs=metric, margin_m=margin, **bounded)
        except UploadError as exc:
            reads[kind] = NetworkRead(kind, upload.name, "", None, (), (), (Problem(exc.key, dict(exc.params), layer=kind),))
    kept = tuple(k for k in ("paths", "barriers") if k not in reads and getattr(package, k) is not None)
    dropped = ()
    if isinstance(package.manifest.get("terrain"), dict) and package.manifest["terrain"].get("demo"):
        kept, dropped = (), kept  # generated rivers and roads do not belong on a measured terrain
    return TerrainPlan(dem_read, reads.get("paths"), reads.get("barriers"), margin, kept, dropped)


def write_terrain(plan: TerrainPlan, package, out: str | Path, *, now: datetime | None = None) -> Path:
    """Write the package's layers with the plan's elevation model and network layers to `out` (a
    new folder: see `planner.io.unused_folder`), all or nothing. Refuses while the plan has errors."""
    from planner.io import write_package

    if not plan.ok:
        errors = plan.errors or (Problem("err.ter_no_dem", {}, layer="terrain"),)
        raise DataPackageError("err.ter_not_ready", problems=errors, path=str(out))
    layers = {l.name: getattr(package, l.name) for l in LAYERS
              if getattr(package, l.name) is not None and l.name not in plan.dropped}
    for read in (plan.paths, plan.barriers):
        if read is not None:
            layers[read.kind] = read.frame
    manifest = dict(package.manifest) | {"terrain": plan.manifest_entry(now)}
    return write_package(layers, manifest, out, files={ELEVATION: plan.dem.geotiff})


# --- the report ----------------------------------------------------------------------------------
def _counts(read: NetworkRead, lang: str) -> str:
    from planner.formats import fmt_int
    from planner.i18n import t

    prefix = "ter.class." if read.kind == "paths" else "ter.kind."
    return "; ".join(f"{t(prefix + c, lang)}: {fmt_int(n, lang)}" for c, n in read.counts) or "—"


def report_rows(plan: TerrainPlan, lang: str) -> list[tuple[str, str]]:
    """(what, found) in `lang`: files, cell size, grid, CRS in words, share of the province covered,
    elevation range, lines per class and values left out per file, bridges, layers kept."""
    from planner.formats import crs_words, fmt_int, fmt_num, fmt_pct
    from planner.i18n import t

    d = plan.dem
    rows = [(t("ter.row_dem", lang), ", ".join(d.files))]
    if d.cell_m:
        cell = fmt_num(d.cell_m, lang, 1, trim=True)
        rows.append((t("ter.row_cell", lang), t("ter.cell_coarsened", lang, cell=cell, native=fmt_num(d.native_cell_m, lang, 1),
                                                 most=fmt_int(terrain.MAX_CELLS, lang)) if d.coarsened else t("ter.cell", lang, cell=cell)))
        rows.append((t("ter.row_grid", lang), t("ter.grid", lang, rows=fmt_int(d.shape[0], lang), cols=fmt_int(d.shape[1], lang),
                                                 n=fmt_int(d.shape[0] * d.shape[1], lang),
                                                 margin=fmt_int(plan.margin_m, lang))))
        rows.append((t("ter.row_crs", lang), crs_words(d.crs, lang)))
        rows.append((t("ter.row_covered", lang), fmt_pct(d.covered_share, lang)))
        if d.elevation_m is not None:
            rows.append((t("ter.row_elevation", lang), t("ter.elevation", lang, low=fmt_int(d.elevation_m[0], lang),
                                                         high=fmt_int(d.elevation_m[1], lang))))
    for read in (plan.paths, plan.barriers):
        if read is None:
            continue
        rows.append((t(f"ter.row_{read.kind}", lang, file=read.file), _counts(read, lang)))
        if read.dropped:
            rows.append((t("ter.row_dropped", lang, file=read.file),
                         "; ".join(f"{v}: {fmt_int(n, lang)}" for v, n in read.dropped)))
    if plan.kept:
        rows.append((t("ter.row_kept", lang), ", ".join(t(f"imp.kind.{k}", lang) for k in plan.kept)))
    has = {k for k in ("paths", "barriers") if getattr(plan, k) is not None and getattr(plan, k).frame is not None}
    if has | set(plan.kept) >= {"paths", "barriers"}:
        rows.append((t("ter.row_bridges", lang), t("ter.bridges", lang)))
    return rows


def report_json(plan: TerrainPlan, lang: str) -> dict:
    """The report for the command line's --json: figures with machine names, and every problem."""
    from planner.importing.plan import report_json as problems_json

    d = plan.dem
    networks = {r.kind: {"file": r.file, "format": r.format, "counts": dict(r.counts), "dropped": dict(r.dropped)}
                for r in (plan.paths, plan.barriers) if r is not None}
    return {"valid": plan.ok, "errors": len(plan.errors), "warnings": len(plan.warnings),
            "dem": {"files": list(d.files), "crs": d.crs, "cell_m": d.cell_m, "native_cell_m": round(d.native_cell_m, 3),
                    "coarsened": d.coarsened if d.cell_m else False, "rows": d.shape[0], "cols": d.shape[1],
                    "covered_share": d.covered_share, "margin_m": plan.margin_m,
                    "elevation_m": list(d.elevation_m) if d.elevation_m else None},
            **networks, "kept": list(plan.kept), "problems": problems_json(plan.problems, lang)}
