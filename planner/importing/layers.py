"""Converting one read source into a contract layer: each mapped cell checked, points from lon/lat or
VN-2000 X/Y columns or a GIS layer's geometry in any coordinate system, commune codes from codes
or names (pre-2025 ones through the official mapping), every problem noted with the file's own
row numbers (`SourceProblems`). Boundaries and the commune table are in `communes`.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from planner import coordinates as co
from planner.contracts import BOOL, FLOAT, INT, LAYER_BY_NAME, TEXT, Column
from planner.errors import Problem
from planner.i18n import t
from planner.importing.columns import (LIST_KINDS, cell_text, enum_table, number_reading, parse_bool, parse_coordinate,
                                       parse_number, read_as)
from planner.importing.sources import SourceRead
from planner.importing.text import first_rows, report_text
from planner.names import NameIndex, fold, normalize_code

ID_PREFIX = {"villages": "V", "play_points": "P", "schools": "S", "toilets": "T", "candidate_sites": "C"}
OUTSIDE_TOLERANCE_DEG = 0.002  # about 200 m
MAX_WHOLE = 2.0**53  # larger numbers are not held exactly (no count or cost comes near)


# --- the report ----------------------------------------------------------------------------------
class SourceProblems:
    """Problems of one source, with the file name and the row numbers people see."""

    def __init__(self, file: str, layer: str, rows: Sequence[int]):
        self.file, self.layer, self.rows = file, layer, tuple(rows)
        self.items: list[Problem] = []
        self.covered: set[tuple[str, str]] = set()  # (layer, contract column) already reported per row
        self.swapped: set[int] = set()  # positions reported as swapped (not reported again as outside)

    def add(self, key: str, *, positions=None, column: str = "", target: str = "", severity: str = "error", **params):
        rows = [self.rows[i] for i in positions] if positions is not None else []
        params = dict(file=self.file, column=column or target, field=target, **params)
        if positions is not None:
            params.update(n=len(rows), rows=first_rows(rows))
        self.items.append(Problem(key, params, layer=self.layer, row=rows[0] if rows else None,
                                  column=column or target, severity=severity))
        if target and severity == "error":
            self.covered.add((self.layer, target))


# --- conversion ----------------------------------------------------------------------------------
@dataclass
class ImportContext:
    """What every source is checked against: commune names, the communes' area and layer, the CRS chosen."""

    index: NameIndex
    area: object | None  # shapely geometry of the communes, or None for the Lai Châu bbox
    communes: gpd.GeoDataFrame | None
    crs: str | None
    taken_ids: Mapping[str, frozenset[str]] = field(default_factory=dict)  # kind -> ids generated ids must avoid


def convert_columns(rd: SourceRead, rep: SourceProblems, columns: Sequence[Column], enum_kind: str) -> dict[str, list]:
    """Contract columns from mapped source columns, each cell checked; unmapped columns are absent."""
    inverse = {v: k for k, v in rd.report.mapping.items()}
    out: dict[str, list] = {}
    report_text(rd, rep, columns)
    for col in columns:
        src = inverse.get(col.name)
        if src is None:
            continue
        cells = list(rd.attrs[src])
        enums = enum_table(enum_kind, col) if col.allowed else {}
        reading = number_reading(col, cells)
        values: list = []
        bad: list[int] = []
        huge: list[int] = []
        for i, cell in enumerate(cells):
            try:
                if col.kind == TEXT:
                    v = cell_text(cell)
                    if v is not None and col.allowed:
                        v = enums[fold(v)]  # KeyError when not an allowed value
                    if v is not None and col.name in ("code", "commune_code", "new_code"):
                        v = normalize_code(v)
                elif col.kind == BOOL:
                    v = parse_bool(cell)
                else:
                    v = parse_number(cell, whole=reading.whole, convention=reading.convention)
                    if v is not None and col.kind == INT and not float(v).is_integer():
                        raise ValueError(cell)
                    if v is not None and abs(v) > MAX_WHOLE:
                        huge.append(i)
                        v = None
            except (ValueError, KeyError):
                v = None
                bad.append(i)
            values.append(v)
        if reading.ambiguous:
            rep.add("imp.ambiguous_number", positions=list(reading.ambiguous), column=src, severity="warning",
                    values=read_as(cells, values, reading.ambiguous))
        if huge:
            rep.add("imp.huge_number", positions=huge, column=src, target=col.name,
                    values=", ".join(repr(str(cells[i])) for i in huge[:3]))
        if bad:
            key = {TEXT: "imp.bad_value", BOOL: "imp.bad_bool", INT: "imp.not_whole", FLOAT: "imp.not_a_number"}[col.kind]
            examples = ", ".join(repr(str(cells[i])) for i in bad[:3])
            extra = dict(allowed=", ".join(col.allowed)) if col.allowed else {}
            rep.add(key, positions=bad, column=src, target=col.name, values=examples, **extra)
        if col.kind == FLOAT and col.maximum == 1.0 and col.minimum == 0.0:
            nums = [v for v in values if v is not None]
            if nums and max(nums) > 1.0 and max(nums) <= 100.0:
                values = [None if v is None else v / 100.0 for v in values]
                rep.add("imp.percent_scaled", column=src, target=col.name, severity="warning")
        out[col.name] = values
    return out


def typed_column(values: list, col: Column):
    """Checked values as the contract column's dtype (whole numbers stay float while any is missing)."""
    if col.kind == INT:
        arr = pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        return arr.astype("int64") if not arr.isna().any() else arr.astype("float64")
    if col.kind == FLOAT:
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    if col.kind == BOOL:
        return np.array(values, dtype=bool) if all(v is not None for v in values) else pd.array(values, dtype=object)
    return pd.array(values, dtype=object)


def layer_frame(layer_name: str, cols: dict[str, list], geometry, n: int) -> gpd.GeoDataFrame:
    """A layer in EPSG:4326 from converted columns, in the contract's column order."""
    data = {}
    for col in LAYER_BY_NAME[layer_name].columns:
        if col.name in cols:
            data[col.name] = typed_column(cols[col.name], col)
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geometry, crs=co.WGS84), crs=co.WGS84, index=pd.RangeIndex(n))


def _swap_geometry(geom):
    return None if geom is None else shapely.transform(geom, lambda xy: xy[:, ::-1])


def _crs_for(rd: SourceRead, rep: SourceProblems, ctx: ImportContext, xs, ys, *, columns: str) -> str | None:
    """The CRS to use: the file's, else the confirmed one, else a guess reported as an error."""
    given = rd.file_crs or rd.source.crs or ctx.crs
    if given:
        crs = co.resolve_crs(given) if not rd.file_crs else rd.file_crs
        rd.report = replace(rd.report, crs=crs)
        return crs
    guess = co.guess_crs(xs, ys)
    if guess.crs is None:
        rep.add("imp.crs_unknown", column=columns, target="geometry", known=", ".join(co.PRESETS.values()))
        return None
    if guess.geographic:
        rep.add("imp.crs_assumed", column=columns, severity="warning", crs=guess.crs)
    else:
        rep.add("imp.crs_guess", column=columns, target="geometry", crs=guess.crs,
                share=f"{guess.share_inside:.0%}", fix="confirm_crs")
    rd.report = replace(rd.report, crs=guess.crs, crs_guess=None if guess.geographic else guess.crs)
    return guess.crs


def _lonlat_swaps(rd: SourceRead, rep: SourceProblems, xs, ys, crs: str, *, column: str) -> np.ndarray:
    """Positions whose lon/lat look exchanged, to swap when the fix was chosen; otherwise they are
    reported as errors (and not reported again as outside) and none is returned."""
    swapped = np.flatnonzero(co.swapped_rows(xs, ys, crs))
    if not swapped.size:
        return swapped
    if "swap_lonlat" in rd.source.fixes:
        rep.add("imp.fix_applied", positions=swapped, column=column, severity="warning", fix="swap_lonlat")
        return swapped
    rep.swapped |= set(int(i) for i in swapped)
    rep.add("imp.swapped_lonlat", positions=swapped, column=column, target="geometry", fix="swap_lonlat")
    return swapped[:0]


def _table_geometry(rd: SourceRead, rep: SourceProblems, ctx: ImportContext) -> list | None:
    """Points from lon/lat or VN-2000 X (northing) / Y (easting) columns."""
    inverse = {v: k for k, v in rd.report.mapping.items()}
    n = len(rd.attrs)
    if "lon" in inverse and "lat" in inverse:
        a_col, b_col, vn_xy = inverse["lon"], inverse["lat"], False
    elif "x" in inverse and "y" in inverse:
        a_col, b_col, vn_xy = inverse["y"], inverse["x"], True  # easting, northing
    else:
        rep.add("imp.no_coordinates", target="geometry", present=", ".join(rd.attrs.columns) or "-")
        rep.covered.add((rep.layer, "geometry"))
        return None
    a, b, bad = np.full(n, np.nan), np.full(n, np.nan), []
    for i, (va, vb) in enumerate(zip(rd.attrs[a_col], rd.attrs[b_col])):
        try:
            pa, pb = parse_coordinate(va), parse_coordinate(vb)
        except ValueError:
            bad.append(i)
            continue
        if pa is None or pb is None:
            bad.append(i)
            continue
        a[i], b[i] = pa, pb
    if bad:
        rep.add("imp.bad_coordinate", positions=bad, column=f"{a_col}, {b_col}", target="geometry")
    ok = np.isfinite(a) & np.isfinite(b)
    if not ok.any():
        return [None] * n
    if vn_xy and co.looks_like_degrees(a[ok], b[ok]):
        a, b, vn_xy = b, a, False  # X/Y holding lon/lat: X is the longitude
        rep.add("imp.xy_degrees", column=f"{b_col}, {a_col}", severity="warning")
    elif vn_xy and np.nanmedian(a[ok]) > np.nanmedian(b[ok]):
        if "swap_xy" in rd.source.fixes:
            a, b = b, a
            rep.add("imp.fix_applied", column=f"{b_col}, {a_col}", severity="warning", fix="swap_xy")
        else:
            rep.add("imp.swapped_xy", column=f"{b_col}, {a_col}", target="geometry", fix="swap_xy",
                    x=b_col, y=a_col)
            a, b = b, a  # to check the rest; the error stays until the fix is chosen
    crs = _crs_for(rd, rep, ctx, a[ok], b[ok], columns=f"{a_col}, {b_col}")
    if crs is None:
        return [None] * n
    if co.is_geographic(crs) and not vn_xy:
        swap = _lonlat_swaps(rd, rep, a, b, crs, column=f"{a_col}, {b_col}")
        a[swap], b[swap] = b[swap], a[swap]
    lon, lat = co.to_lonlat(a, b, crs)
    return [shapely.Point(x, y) if ok[i] and np.isfinite(x) and np.isfinite(y) else None
            for i, (x, y) in enumerate(zip(lon, lat))]


def _gis_geometry(rd: SourceRead, rep: SourceProblems, ctx: ImportContext, polygon: bool) -> list | None:
    """The layer's geometry in EPSG:4326: single points from one-point multipoints, polygons repaired."""
    geoms = list(rd.geometry)
    reps = [None if g is None or g.is_empty else g.representative_point() for g in geoms]
    xs = np.array([p.x if p is not None else np.nan for p in reps])
    ys = np.array([p.y if p is not None else np.nan for p in reps])
    ok = np.isfinite(xs) & np.isfinite(ys)
    if rd.file_crs and co.is_geographic(rd.file_crs) and ok.any() and not co.looks_like_degrees(xs[ok], ys[ok]):
        rd.file_crs = None  # e.g. GeoJSON (always read as EPSG:4326) holding metres
    crs = _crs_for(rd, rep, ctx, xs[ok], ys[ok], columns="geometry") if ok.any() else (rd.file_crs or co.WGS84)
    if crs is None:
        return None
    if co.is_geographic(crs):
        for i in _lonlat_swaps(rd, rep, xs, ys, crs, column="geometry"):
            geoms[i] = _swap_geometry(geoms[i])
    out = gpd.GeoSeries(geoms, crs=crs).to_crs(co.WGS84)
    result = []
    repaired = []
    for i, g in enumerate(out):
        if g is not None and not g.is_empty:
            if g.geom_type == "MultiPoint" and len(g.geoms) == 1:
                g = g.geoms[0]
            if polygon and g.geom_type in ("Polygon", "MultiPolygon") and not g.is_valid:
                fixed = shapely.make_valid(g)
                polys = [p for p in getattr(fixed, "geoms", [fixed]) if p.geom_type in ("Polygon", "MultiPolygon")]
                g = shapely.union_all(polys) if polys else None
                repaired.append(i)
        result.append(g)
    if repaired:
        rep.add("imp.repaired_polygon", positions=repaired, column="geometry", severity="warning")
    return result


def source_geometry(rd: SourceRead, rep: SourceProblems, ctx: ImportContext, polygon: bool) -> list | None:
    """Geometry in EPSG:4326 from a GIS layer or a table's coordinate columns; None when there is none."""
    if rd.geometry is None:
        if polygon:
            rep.add("imp.needs_gis", target="geometry")
            rep.covered.add((rep.layer, "geometry"))
            return None
        return _table_geometry(rd, rep, ctx)
    return _gis_geometry(rd, rep, ctx, polygon)


def report_outside(rep: SourceProblems, geoms: list, ctx: ImportContext, kind: str) -> None:
    """Note the rows outside the communes (or the Lai Châu bbox), except those already reported swapped."""
    pts = [None if g is None or g.is_empty else g.representative_point() for g in geoms]
    idx = [i for i, p in enumerate(pts) if p is not None and i not in rep.swapped]
    if not idx:
        return
    xs = np.array([pts[i].x for i in idx])
    ys = np.array([pts[i].y for i in idx])
    if ctx.area is not None and kind in LIST_KINDS:
        inside = shapely.dwithin(ctx.area, shapely.points(xs, ys), OUTSIDE_TOLERANCE_DEG)
        where = "communes"
    else:
        inside = co.inside_bbox(xs, ys)
        where = "bbox"
    bad = [idx[k] for k in np.flatnonzero(~np.asarray(inside))]
    if bad:
        rep.add("imp.outside", positions=bad, column="geometry", target="geometry", where=t(f"imp.where_{where}", "vi"),
                where_en=t(f"imp.where_{where}", "en"))


def resolve_communes(rep: SourceProblems, values: list, ctx: ImportContext, column: str,
                     vias: list | None = None) -> list:
    """Current commune codes for written codes or names (pre-2025 ones through the official mapping).
    A list mostly in pre-2025 names is read as pre-2025 throughout. `vias` receives how each row matched."""
    out: list = []
    vias = [] if vias is None else vias
    unmatched: dict[str, list[int]] = {}
    legacy: list[int] = []
    first = [ctx.index.resolve(v) for v in dict.fromkeys(v for v in values if v is not None)]
    old = sum(m.via.startswith("legacy") for m in first) > sum(m.matched for m in first) / 2
    cache: dict = {m.query: m for m in first} if not old else {}
    for i, v in enumerate(values):
        if v is None:
            out.append(None)
            vias.append("")
            continue
        m = cache.get(v) or cache.setdefault(v, ctx.index.resolve(v, prefer_legacy=old))
        vias.append(m.via)
        if m.matched:
            out.append(m.code)
            if m.via.startswith("legacy"):
                legacy.append(i)
        else:
            out.append(None)
            unmatched.setdefault(str(v), []).append(i)
    for value, positions in unmatched.items():
        m = cache.get(value) or ctx.index.resolve(value)
        rep.add("imp.unmatched_name", positions=positions, column=column, target="commune_code", value=value,
                candidates=", ".join(m.candidates) or "-")
    if legacy:
        rep.add("imp.legacy_mapped", positions=legacy, column=column, severity="warning")
    return out


def list_layer(rd: SourceRead, ctx: ImportContext) -> tuple[gpd.GeoDataFrame | None, SourceProblems]:
    """A list of points (villages, play points, schools, ...): ids generated and communes found when missing."""
    kind = rd.kind
    layer = LAYER_BY_NAME[kind]
    rep = SourceProblems(rd.label, kind, rd.rows)
    n = len(rd.attrs)
    cols = convert_columns(rd, rep, layer.columns, kind)
    inverse = {v: k for k, v in rd.report.mapping.items()}
    geoms = source_geometry(rd, rep, ctx, polygon=False)
    if geoms is None:
        geoms = [None] * n
    report_outside(rep, geoms, ctx, kind)
    if "id" in (c.name for c in layer.columns) and "id" not in cols:
        cols["id"] = new_ids(kind, n, ctx.taken_ids.get(kind, frozenset()))
        rep.add("imp.ids_generated", target="id", severity="warning", example=cols["id"][0] if n else "-")
    if "commune_code" in (c.name for c in layer.columns):
        if "commune_code" in cols:
            cols["commune_code"] = resolve_communes(rep, cols["commune_code"], ctx, inverse["commune_code"])
        elif "commune_name" in inverse:
            names = [cell_text(v) for v in rd.attrs[inverse["commune_name"]]]
            cols["commune_code"] = resolve_communes(rep, names, ctx, inverse["commune_name"])
        elif ctx.communes is not None:
            cols["commune_code"] = _by_location(geoms, ctx.communes)
            rep.add("imp.commune_by_location", target="commune_code", severity="warning")
    report_duplicates(rep, cols, layer, inverse)
    return layer_frame(kind, cols, geoms, n), rep


def new_ids(kind: str, n: int, taken: frozenset[str] = frozenset()) -> list[str]:
    """`n` ids for rows of a file without an id column: the kind's prefix and a number. With ids
    already `taken` (rows added to a current list), numbering goes on after the highest number
    they use with that prefix, in as many digits, so no id clashes."""
    prefix = ID_PREFIX[kind]
    used = [m.group(1) for v in taken if (m := re.fullmatch(rf"{re.escape(prefix)}(\d+)", v))]
    start = max((int(u) for u in used), default=0)
    width = max(max((len(u) for u in used), default=4), len(str(start + n)))
    out: list[str] = []
    k = start
    while len(out) < n:
        k += 1
        candidate = f"{prefix}{k:0{width}d}"
        if candidate not in taken:
            out.append(candidate)
    return out


def _by_location(geoms: list, communes: gpd.GeoDataFrame) -> list:
    pts = gpd.GeoDataFrame(geometry=gpd.GeoSeries(geoms, crs=co.WGS84))
    joined = gpd.sjoin(pts, communes[["code", "geometry"]], how="left", predicate="intersects")
    first = joined[~joined.index.duplicated()]["code"]
    return [None if pd.isna(v) else str(v) for v in first.reindex(range(len(geoms)))]


def report_duplicates(rep: SourceProblems, cols: dict, layer, inverse: dict) -> None:
    """Note repeated values in the layer's unique columns (ids, codes)."""
    for col in layer.columns:
        if col.unique and col.name in cols:
            s = pd.Series(cols[col.name], dtype=object)
            dup = s.notna() & s.duplicated(keep=False)
            if dup.any():
                rep.add("imp.duplicate", positions=list(np.flatnonzero(dup.to_numpy())), column=inverse.get(col.name, col.name),
                        target=col.name, values=", ".join(repr(v) for v in list(dict.fromkeys(s[dup]))[:5]))
