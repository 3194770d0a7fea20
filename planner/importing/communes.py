"""The communes of an import: boundaries (pre-2025 ones merged into the current units and kept as
communes_2024), names, kinds and areas filled in when the file has none, a population or
indicator table joined by commune code or name, and population and children summed from the
villages when neither the boundaries nor a table give them.
"""
from __future__ import annotations

import geopandas as gpd
import shapely
from pyproj import Geod

from planner.contracts import LAYER_BY_NAME
from planner.i18n import t
from planner.importing.columns import TABLE_COLUMNS, cell_text
from planner.importing.layers import (ImportContext, SourceProblems, convert_columns, layer_frame, report_duplicates,
                                      report_outside, resolve_communes, source_geometry, typed_column)
from planner.importing.sources import SourceRead
from planner.names import NameIndex, fold, name_keys, normalize_code, official_index

COUNT_COLUMNS = ("population", "children", "land_available_m2")  # summed when pre-2025 units merge


def _geodesic_km2(geom) -> float:
    if geom is None or geom.is_empty:
        return float("nan")
    area, _ = Geod(ellps="WGS84").geometry_area_perimeter(geom)
    return round(abs(area) / 1e6, 2)


def communes_layer(rd: SourceRead,
                   ctx: ImportContext) -> tuple[gpd.GeoDataFrame | None, gpd.GeoDataFrame | None, SourceProblems]:
    """Current communes; pre-2025 boundaries are merged into the current units (and kept as communes_2024)."""
    rep = SourceProblems(rd.label, "communes", rd.rows)
    layer = LAYER_BY_NAME["communes"]
    n = len(rd.attrs)
    cols = convert_columns(rd, rep, layer.columns, "communes")
    inverse = {v: k for k, v in rd.report.mapping.items()}
    geoms = source_geometry(rd, rep, ctx, polygon=True)
    if geoms is None:
        return None, None, rep
    report_outside(rep, geoms, ctx, "communes")
    official = official_index()
    keys = cols.get("code") or ([cell_text(v) for v in rd.attrs[inverse["name"]]] if "name" in inverse else None)
    matches = [official.resolve(v) if v is not None else None for v in (keys or [])]
    legacy = [m is not None and m.via.startswith("legacy") for m in matches]
    if "code" not in cols and keys is not None:
        cols["code"] = [m.code if m is not None and m.matched else None for m in matches]
        missing = [i for i, m in enumerate(matches) if m is None or not m.matched]
        for i in missing:
            rep.add("imp.unmatched_name", positions=[i], column=inverse["name"], target="code", value=keys[i] or "",
                    candidates=", ".join(matches[i].candidates if matches[i] else ()) or "-")
        if not all(legacy):
            rep.add("imp.codes_from_names", column=inverse["name"], severity="warning")
    if keys is not None and legacy and sum(legacy) > n / 2:
        return _merge_legacy(rd, rep, cols, geoms, matches)
    by_code = {u_code: u_name for u_code, u_name in official.current}
    _fill(rep, cols, "name", [by_code.get(c) for c in cols.get("code", [None] * n)])
    kinds = {u.code: u.kind for u in _units().current}
    guessed = [kinds.get(c) or _kind_from_name(nm) for c, nm in zip(cols.get("code", [None] * n), cols.get("name", [None] * n))]
    _fill(rep, cols, "kind", guessed)
    _fill(rep, cols, "area_km2", [_geodesic_km2(g) for g in geoms])
    report_duplicates(rep, cols, layer, inverse)
    return layer_frame("communes", cols, geoms, n), None, rep


def _units():
    from planner.admin_units import province_units

    return province_units()


def _kind_from_name(name) -> str | None:
    key = fold(name or "")
    for prefix, kind in (("phuong ", "phường"), ("thi tran ", "thị trấn"), ("xa ", "xã")):
        if key.startswith(prefix):
            return kind
    return None


def _fill(rep: SourceProblems, cols: dict, name: str, values: list) -> None:
    if name in cols or not any(v is not None and v == v for v in values):
        return
    cols[name] = list(values)
    rep.add("imp.filled_column", target=name, severity="warning", how=t(f"imp.how.{name}", "vi"), how_en=t(f"imp.how.{name}", "en"))


def _merge_legacy(rd: SourceRead, rep: SourceProblems, cols: dict, geoms: list, matches: list):
    """Pre-2025 boundaries: dissolve into the current units; keep the originals as communes_2024."""
    units = _units()
    cur = {u.code: u for u in units.current}
    leg = {u.code: u for u in units.legacy}
    n = len(geoms)
    groups: dict[str, list[int]] = {}
    unmatched = []
    old_codes = []
    for i, m in enumerate(matches):
        if m is None or not m.matched:
            unmatched.append(i)
            old_codes.append(None)
            continue
        groups.setdefault(m.code, []).append(i)
        code = normalize_code(m.query)
        old_codes.append(code if code in leg else None)
    if unmatched:
        rep.add("imp.unmatched_name", positions=unmatched, column="code", target="code", value="-", candidates="-")
    merged: dict[str, list] = {c.name: [] for c in LAYER_BY_NAME["communes"].columns}
    new_geoms = []
    for code, members in sorted(groups.items()):
        merged["code"].append(code)
        merged["name"].append(cur[code].name)
        merged["kind"].append(cur[code].kind)
        g = shapely.union_all([geoms[i] for i in members if geoms[i] is not None])
        new_geoms.append(g)
        merged["area_km2"].append(_geodesic_km2(g))
        for col in LAYER_BY_NAME["communes"].columns:
            if col.name in ("code", "name", "kind", "area_km2") or col.name not in cols:
                continue
            vals = [cols[col.name][i] for i in members]
            if col.name in COUNT_COLUMNS:
                merged[col.name].append(None if any(v is None for v in vals) else sum(vals))
            elif len(set(vals)) == 1:
                merged[col.name].append(vals[0])
            else:
                merged[col.name].append(None)
                rep.add("imp.legacy_conflict", column=col.name, target=col.name, code=code)
    merged = {k: v for k, v in merged.items() if len(v) == len(new_geoms)}
    rep.add("imp.legacy_merged", severity="warning", n_old=n, n_new=len(new_geoms))
    communes = layer_frame("communes", merged, new_geoms, len(new_geoms))
    old = {"code": [], "name": [], "district": [], "new_code": []}
    old_geoms = []
    for i, m in enumerate(matches):
        if m is None or not m.matched:
            continue
        unit = leg.get(old_codes[i]) if old_codes[i] else _legacy_unit(m.query, cur[m.code].key)
        old["code"].append(unit.code if unit else f"{m.code}-{i + 1}")
        old["name"].append(unit.name if unit else m.query)
        old["district"].append(unit.district if unit else "")
        old["new_code"].append(m.code)
        old_geoms.append(geoms[i])
    communes_2024 = layer_frame("communes_2024", old, old_geoms, len(old_geoms))
    return communes, communes_2024, rep


def _legacy_unit(query: str, new_key: str):
    """The pre-2025 unit merged into `new_key` whose name `query` is."""
    keys = set(name_keys(query))
    return next((u for u in _units().legacy if u.new_key == new_key and keys & set(name_keys(u.name))), None)


def polygon_layer(rd: SourceRead, ctx: ImportContext, kind: str) -> tuple[gpd.GeoDataFrame | None, SourceProblems]:
    """Boundaries taken as they are (the pre-2025 communes uploaded on their own)."""
    rep = SourceProblems(rd.label, kind, rd.rows)
    layer = LAYER_BY_NAME[kind]
    cols = convert_columns(rd, rep, layer.columns, kind)
    geoms = source_geometry(rd, rep, ctx, polygon=True)
    if geoms is None:
        return None, rep
    report_outside(rep, geoms, ctx, kind)
    report_duplicates(rep, cols, layer, {v: k for k, v in rd.report.mapping.items()})
    return layer_frame(kind, cols, geoms, len(rd.attrs)), rep


def join_table(rd: SourceRead, communes: gpd.GeoDataFrame | None,
               index: NameIndex) -> tuple[dict[str, dict], SourceProblems]:
    """Commune code -> {column: value} from a population / indicator table joined by code or name."""
    rep = SourceProblems(rd.label, "table", rd.rows)
    inverse = {v: k for k, v in rd.report.mapping.items()}
    key_col = inverse.get("code") or inverse.get("name")
    if key_col is None:
        rep.add("imp.table_no_key", present=", ".join(rd.attrs.columns) or "-")
        return {}, rep
    cols = convert_columns(rd, rep, TABLE_COLUMNS, "table")
    if not cols:
        rep.add("imp.table_no_values", present=", ".join(rd.attrs.columns) or "-")
    ctx = ImportContext(index, None, communes, None)
    vias: list[str] = []
    codes = resolve_communes(rep, [cell_text(v) for v in rd.attrs[key_col]], ctx, key_col, vias)
    out: dict[str, dict] = {}
    dup: dict[str, list[int]] = {}
    for i, code in enumerate(codes):
        if code is None:
            continue
        row = {k: v[i] for k, v in cols.items()}
        if code in out:
            dup.setdefault(code, []).append(i)
            prev = out[code]
            for k, v in row.items():
                if k in COUNT_COLUMNS and prev.get(k) is not None and v is not None:
                    prev[k] = prev[k] + v
                elif prev.get(k) != v:
                    prev[k] = None
                    rep.add("imp.legacy_conflict", positions=[i], column=inverse.get(k, k), target=k, code=code)
        else:
            out[code] = row
    if dup:
        groups = {code: [i for i, c in enumerate(codes) if c == code] for code in dup}
        direct = {code: rows for code, rows in groups.items() if not all(vias[i].startswith("legacy") for i in rows)}
        if direct:
            rep.add("imp.table_duplicate", positions=sorted(i for rows in direct.values() for i in rows), column=key_col,
                    target="code", values=", ".join(sorted(direct)[:5]))
        if len(direct) < len(groups):
            rep.add("imp.legacy_summed", positions=sorted(i for c, rows in groups.items() if c not in direct for i in rows),
                    column=key_col, severity="warning")
    if communes is not None:
        missing = [c for c in communes["code"] if c not in out]
        if missing and out:
            rep.add("imp.table_missing_communes", severity="warning", n=len(missing), values=", ".join(missing[:5]))
    return out, rep


def apply_table(communes: gpd.GeoDataFrame, values: dict[str, dict], rep: SourceProblems) -> gpd.GeoDataFrame:
    """The communes with a joined table's values (a table's value wins; overrides are noted)."""
    out = communes.copy()
    changed: set[str] = set()
    for col in TABLE_COLUMNS:
        new = [values.get(code, {}).get(col.name, None) for code in out["code"]]
        if all(v is None for v in new) and not any(col.name in v for v in values.values()):
            continue
        if col.name in out.columns:
            old = list(out[col.name])
            merged = [o if v is None else v for o, v in zip(old, new)]
            if any(v is not None and not _same(o, v) for o, v in zip(old, new)):
                changed.add(col.name)
        else:
            merged = new
        out[col.name] = typed_column(merged, col)
    if changed:
        rep.add("imp.table_overrides", severity="warning", columns=", ".join(sorted(changed)))
    return _contract_order(out)


def _contract_order(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The communes' columns in the contract's order, geometry last."""
    cols = [c.name for c in LAYER_BY_NAME["communes"].columns if c.name in communes.columns]
    return communes[cols + [communes.geometry.name]]


def _same(a, b) -> bool:
    try:
        return a == b or (a != a and b != b) or abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return False


def fill_from_villages(layers: dict, villages: gpd.GeoDataFrame, rep: SourceProblems) -> None:
    """Commune population and children from the villages when the communes file has none."""
    communes = layers["communes"]
    missing = [c for c in ("population", "children") if c not in communes.columns]
    if not missing or "commune_code" not in villages.columns or not all(c in villages.columns for c in missing):
        return
    sums = villages.groupby("commune_code")[missing].sum()
    out = communes.copy()
    for c in missing:
        out[c] = out["code"].map(sums[c]).fillna(0).astype("int64")
        rep.add("imp.filled_column", target=c, severity="warning", how=t("imp.how.villages", "vi"), how_en=t("imp.how.villages", "en"))
    layers["communes"] = _contract_order(out)
