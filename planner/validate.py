"""Check layers against the data contracts; collect every problem instead of stopping at one."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.contracts import BOOL, FLOAT, INT, LAYER_BY_NAME, TEXT, Column, Layer
from planner.errors import Problem

POLYGONS, LINES = {"Polygon", "MultiPolygon"}, {"LineString", "MultiLineString"}
GEOM_TYPES = {"polygon": POLYGONS, "point": {"Point"}, "line": LINES, "line_or_polygon": LINES | POLYGONS}
MAX_EXAMPLES = 5


def _rows(mask: np.ndarray) -> str:
    """1-based row numbers of the first few True entries."""
    idx = np.flatnonzero(mask)[:MAX_EXAMPLES] + 1
    return ", ".join(str(i) for i in idx)


def _values(values) -> str:
    vals = list(dict.fromkeys(str(v) for v in values))
    shown = ", ".join(repr(v) for v in vals[:MAX_EXAMPLES])
    return shown + (", …" if len(vals) > MAX_EXAMPLES else "")


def _type_ok(col: Column, s: pd.Series) -> tuple[bool, str]:
    """Whether the non-empty values of `s` have the column's type, and what they are instead."""
    values = s.dropna()
    if col.kind == TEXT:
        bad = values[~values.map(lambda v: isinstance(v, str))]
        return bad.empty, (type(bad.iloc[0]).__name__ if not bad.empty else "")
    if pd.api.types.is_bool_dtype(s.dtype) or (len(values) and values.map(lambda v: isinstance(v, (bool, np.bool_))).all()):
        return col.kind == BOOL, "true/false"
    if col.kind == BOOL:
        return False, str(s.dtype)
    if not pd.api.types.is_numeric_dtype(values.dtype):
        return False, "text"
    if col.kind == INT and not np.all(np.mod(values.to_numpy(dtype=float), 1) == 0):
        return False, "decimals"
    return True, ""


def check_layer(layer: Layer, gdf: gpd.GeoDataFrame) -> list[Problem]:
    """Problems in one layer: missing columns, types, empty values, allowed values, ranges,
    duplicates, geometry type and validity, CRS."""
    f = layer.path
    out: list[Problem] = []
    # as_named: the layer's own file must call its columns by these names (the import maps its
    # uploads' headers to them, and `planner.importing.plan` says so when it takes these problems over)
    p = lambda key, column="", **kw: Problem(key, dict(file=f, column=column, as_named=True, **kw), layer=layer.name,
                                             column=column)
    if len(gdf) == 0:
        return [p("prob.empty_layer")]
    present = ", ".join(c for c in gdf.columns if c != "geometry")
    for col in layer.columns:
        if col.name not in gdf.columns:
            out.append(p("prob.missing_column", col.name, present=present or "-"))
            continue
        s = gdf[col.name]
        empty = s.isna().to_numpy().copy()
        if col.kind == TEXT:
            empty |= s.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(dtype=bool)
        if empty.any():
            out.append(p("prob.empty_values", col.name, n=int(empty.sum()), rows=_rows(empty)))
        ok, found = _type_ok(col, s)
        if not ok:
            example = s.dropna().iloc[0] if s.notna().any() else ""
            example = example.item() if isinstance(example, np.generic) else example  # 1, not np.int32(1)
            out.append(p("prob.wrong_type", col.name, expected=col.kind, found=found, example=f" ({example!r})"))
            continue
        filled = s[~empty]
        if col.allowed:
            bad = filled[~filled.isin(col.allowed)]
            if not bad.empty:
                out.append(p("prob.not_allowed", col.name, values=_values(bad), allowed=", ".join(col.allowed)))
        if col.kind in (INT, FLOAT) and (col.minimum is not None or col.maximum is not None):
            v = s.to_numpy(dtype=float, na_value=np.nan)
            lo = -np.inf if col.minimum is None else col.minimum
            hi = np.inf if col.maximum is None else col.maximum
            outside = ~np.isnan(v) & ((v < lo) | (v > hi))
            if outside.any():
                out.append(p("prob.out_of_range", col.name, minimum=col.minimum if col.minimum is not None else "-∞",
                             maximum=col.maximum if col.maximum is not None else "∞", n=int(outside.sum()), rows=_rows(outside)))
        if col.unique:
            dup = filled[filled.duplicated()]
            if not dup.empty:
                out.append(p("prob.duplicate", col.name, values=_values(dup)))
    wgs84 = gdf.crs is not None and gdf.crs.to_epsg() == 4326
    if not wgs84:
        out.append(p("prob.crs", found=str(gdf.crs.to_string() if gdf.crs else None)))
    geom = gdf.geometry
    wrong = (geom.isna() | geom.is_empty | ~geom.geom_type.isin(GEOM_TYPES[layer.geometry])).to_numpy()
    if wrong.any():
        out.append(p("prob.geometry", expected=layer.geometry, n=int(wrong.sum()), rows=_rows(wrong)))
        return out
    b = geom.bounds.to_numpy(dtype=float)  # minx, miny, maxx, maxy
    with np.errstate(invalid="ignore"):
        far = ~np.isfinite(b).all(axis=1) | (b[:, 0] < -180) | (b[:, 2] > 180) | (b[:, 1] < -90) | (b[:, 3] > 90)
    if wgs84 and far.any():
        out.append(p("prob.coords_range", n=int(far.sum()), rows=_rows(far)))
        return out
    if layer.geometry in ("polygon", "line_or_polygon"):
        invalid = geom.geom_type.isin(POLYGONS).to_numpy() & ~geom.is_valid.to_numpy()
        if invalid.any():
            out.append(p("prob.invalid_polygon", n=int(invalid.sum()), rows=_rows(invalid)))
    return out


def _cross_checks(frames: dict[str, gpd.GeoDataFrame | None]) -> list[Problem]:
    communes = frames["communes"]
    codes = set(communes["code"])
    out: list[Problem] = []
    for name, column in (("villages", "commune_code"), ("play_points", "commune_code"),
                         ("schools", "commune_code"), ("candidate_sites", "commune_code"),
                         ("communes_2024", "new_code")):
        gdf = frames.get(name)
        if gdf is None:
            continue
        unknown = gdf.loc[~gdf[column].isin(codes), column]
        if not unknown.empty:
            f = LAYER_BY_NAME[name].path
            out.append(Problem("prob.unknown_commune", dict(file=f, values=_values(unknown)), layer=name, column=column))
    for name in ("communes", "villages"):
        gdf = frames[name]
        over = (gdf["children"] > gdf["population"]).to_numpy()
        if over.any():
            f = LAYER_BY_NAME[name].path
            out.append(Problem("prob.children_gt_population", dict(file=f, n=int(over.sum()), rows=_rows(over)), layer=name, column="children"))
    sums = frames["villages"].groupby("commune_code")[["population", "children"]].sum()
    joined = communes.set_index("code")[["population", "children"]].join(sums.rename(columns=lambda c: f"{c}_v")).fillna(0)
    differ = joined[(joined["population"] != joined["population_v"]) | (joined["children"] != joined["children_v"])]
    if not differ.empty:
        out.append(Problem("prob.village_sum", dict(n=len(differ), values=_values(differ.index)), layer="communes", severity="warning"))
    return out


def check_package(frames: dict[str, gpd.GeoDataFrame | None]) -> list[Problem]:
    """Every problem in a set of layers (None for a missing optional layer)."""
    problems: list[Problem] = []
    for name, gdf in frames.items():
        if gdf is not None:
            problems.extend(check_layer(LAYER_BY_NAME[name], gdf))
    if not any(p.severity == "error" for p in problems):
        problems.extend(_cross_checks(frames))
    return problems
