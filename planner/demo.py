"""The bundled Lai Châu demo package, generated from official facts plus illustrative figures.

Real: names, codes, kinds, centres and areas of the 38 current and 106 pre-2025 units and the
old-to-new mapping (`vietnamadminunits`). Approximate: the polygons (a power diagram around the
official centres, calibrated to the official areas). Illustrative: every population, facility
and attribute. The generator is deterministic: the same versions give byte-identical files.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import geopandas as gpd
import shapely
from shapely.geometry import Point, Polygon
from shapely.ops import nearest_points

from planner.admin_units import CurrentUnit, ProvinceUnits, province_units
from planner.crs import LAI_CHAU_METRIC_CRS, STORAGE_CRS
from planner.tessellation import calibrate_weights, power_tiling

SEED = 2025_07_01
TOTAL_POPULATION = 490_000
AS_OF = "2026-01-01"
# Units holding existing points, and ones building one: the former district towns and wards.
WITH_POINTS = ("03388", "03408", "03390", "03595", "03598", "03478", "03549", "03433", "03434")
UNDER_CONSTRUCTION = ("03637", "03583")

MANIFEST = {
    "name": "Lai Châu — dữ liệu minh họa (demo)",
    "name_en": "Lai Châu — demo data",
    "province": "Tỉnh Lai Châu",
    "demo": True,
    "as_of": AS_OF,
    "generated_by": "planner.demo",
    "metric_crs": LAI_CHAU_METRIC_CRS,
    "note_vi": (
        "Dữ liệu minh họa. Tên, mã, loại, tâm và diện tích các đơn vị hành chính là số liệu chính "
        "thức (gói vietnamadminunits, MIT); ranh giới là gần đúng; dân số, trẻ em, cơ sở và thuộc "
        "tính xã là giả định để minh họa, không dùng cho quyết định thật."
    ),
    "note_en": (
        "Demo data. Names, codes, kinds, centres and areas of the administrative units are official "
        "(vietnamadminunits package, MIT); boundaries are approximate; population, children, "
        "facilities and commune attributes are illustrative and not for real decisions."
    ),
    "sources": [
        {"name": "vietnamadminunits", "licence": "MIT", "used_for": "unit names, codes, centres, areas, 2025 mapping"}
    ],
}


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to `weights` that sum to `total` exactly (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    quota = w / w.sum() * total
    base = np.floor(quota).astype(np.int64)
    order = np.lexsort((np.arange(len(w)), -(quota - base)))
    base[order[: total - int(base.sum())]] += 1
    return base


def _short(name: str) -> str:
    for prefix in ("Thị trấn ", "Phường ", "Xã "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _province_region(seeds: np.ndarray, areas_m2: np.ndarray, total_m2: float) -> Polygon:
    """A smooth outline around the centres, scaled so that its area is the official total."""

    def outline(k: float) -> Polygon:
        discs = shapely.buffer(shapely.points(seeds), k * np.sqrt(areas_m2 / np.pi), quad_segs=8)
        return shapely.union_all(discs).buffer(6000, quad_segs=4).buffer(-6000, quad_segs=4)

    lo, hi = 0.3, 3.0
    for _ in range(40):
        k = (lo + hi) / 2
        lo, hi = (lo, k) if outline(k).area > total_m2 else (k, hi)
    return outline((lo + hi) / 2)


def _split_nearest(polygon, seeds: list[Point]) -> list:
    """Split a polygon among seeds by nearest seed (Voronoi), in seed order."""
    if len(seeds) == 1:
        return [polygon]
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=polygon)
    )
    out = []
    for s in seeds:
        cell = next(c for c in cells if c.contains(s))
        out.append(cell.intersection(polygon))
    return out


def _inside(polygon, point: Point, margin_m: float) -> Point:
    inner = polygon.buffer(-margin_m)
    return point if inner.contains(point) else nearest_points(inner, point)[0]


def build_geometry(units: ProvinceUnits) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Current and pre-2025 units as polygons in the metric CRS (no attributes but keys)."""
    to_m = gpd.GeoSeries(
        [Point(u.lon, u.lat) for u in units.current], crs=STORAGE_CRS
    ).to_crs(LAI_CHAU_METRIC_CRS)
    centres = np.column_stack([to_m.x, to_m.y])
    areas = np.array([u.area_km2 for u in units.current]) * 1e6
    region = _province_region(centres, areas, float(areas.sum()))
    weights = calibrate_weights(centres, areas, region)
    tiling = power_tiling(centres, weights, region)
    polys = [
        shapely.union_all([f for f, s in zip(tiling.faces, tiling.face_seed) if s == i])
        for i in range(len(units.current))
    ]
    current = gpd.GeoDataFrame(
        {"key": [u.key for u in units.current]}, geometry=polys, crs=LAI_CHAU_METRIC_CRS
    )
    leg_m = gpd.GeoSeries(
        [Point(u.lon, u.lat) for u in units.legacy], crs=STORAGE_CRS
    ).to_crs(LAI_CHAU_METRIC_CRS)
    poly_by_key = dict(zip(current["key"], current.geometry))
    legacy_geom: dict[str, object] = {}
    for key, poly in poly_by_key.items():
        members = [(u, p) for u, p in zip(units.legacy, leg_m) if u.new_key == key]
        seeds = [_inside(poly, p, 1500.0) for _, p in members]
        for (u, _), part in zip(members, _split_nearest(poly, seeds)):
            legacy_geom[u.key] = part
    legacy = gpd.GeoDataFrame(
        {"key": [u.key for u in units.legacy]},
        geometry=[legacy_geom[u.key] for u in units.legacy],
        crs=LAI_CHAU_METRIC_CRS,
    )
    return current, legacy


def _sample_in(poly, centre: Point, n: int, rng: np.random.Generator, *, margin_m: float) -> list[Point]:
    """`n` points inside `poly` (at least `margin_m` from its edge), clustered near `centre`."""
    inner = poly.buffer(-margin_m)
    if inner.is_empty:
        inner = poly
    first = centre if inner.contains(centre) else inner.representative_point()
    sigma = 0.35 * np.sqrt(poly.area)
    pts = [first]
    while len(pts) < n:
        xy = rng.normal([first.x, first.y], sigma, size=(4 * n, 2))
        ok = shapely.contains_xy(inner, xy[:, 0], xy[:, 1])
        pts.extend(Point(x, y) for x, y in xy[ok][: n - len(pts)])
    return pts


def _near(poly, p: Point, rng: np.random.Generator, lo_m: float, hi_m: float) -> Point:
    """A point `lo_m`..`hi_m` from `p`, inside `poly`."""
    for _ in range(50):
        ang = rng.uniform(0, 2 * np.pi)
        r = rng.uniform(lo_m, hi_m)
        q = Point(p.x + r * np.cos(ang), p.y + r * np.sin(ang))
        if poly.buffer(-20).contains(q):
            return q
    return p


def _unit_profile(u: CurrentUnit, has_town: bool, rng: np.random.Generator) -> dict:
    if u.kind == "phường":
        return dict(urban=30_000, child=rng.uniform(0.24, 0.27), ethnic=rng.uniform(0.35, 0.5),
                    poverty=rng.uniform(0.01, 0.04), difficult=False)
    if has_town:
        return dict(urban=5_000, child=rng.uniform(0.29, 0.32), ethnic=rng.uniform(0.7, 0.85),
                    poverty=rng.uniform(0.08, 0.2), difficult=False)
    return dict(urban=0, child=rng.uniform(0.33, 0.37), ethnic=rng.uniform(0.9, 0.995),
                poverty=rng.uniform(0.2, 0.55), difficult=bool(rng.random() < 0.85))


def build_demo(units: ProvinceUnits | None = None, *, seed: int = SEED) -> dict[str, gpd.GeoDataFrame]:
    """Every layer of the demo package, in EPSG:4326, following planner.contracts."""
    units = units or province_units()
    rng = np.random.default_rng(seed)
    current_m, legacy_m = build_geometry(units)
    cur_poly = dict(zip(current_m["key"], current_m.geometry))
    leg_poly = dict(zip(legacy_m["key"], legacy_m.geometry))
    code_of = {u.key: u.code for u in units.current}
    legacy_of = {u.key: [l for l in units.legacy if l.new_key == u.key] for u in units.current}

    profiles = [
        _unit_profile(u, any(l.kind == "thị trấn" for l in legacy_of[u.key]), rng)
        for u in units.current
    ]
    base = np.array(
        [len(legacy_of[u.key]) * 9_000 * rng.uniform(0.8, 1.2) + p["urban"]
         for u, p in zip(units.current, profiles)]
    )
    population = apportion(TOTAL_POPULATION, base)

    leg_m = gpd.GeoSeries([Point(l.lon, l.lat) for l in units.legacy], crs=STORAGE_CRS).to_crs(
        LAI_CHAU_METRIC_CRS
    )
    leg_point = dict(zip([l.key for l in units.legacy], leg_m))

    villages, schools, points, toilets, candidates = [], [], [], [], []
    commune_rows = []
    for u, prof, pop in zip(units.current, profiles, population):
        children_total = int(round(pop * prof["child"]))
        vill = []  # (legacy, point, name, is_centre)
        for l in legacy_of[u.key]:
            n = int(rng.integers(8, 13)) if l.kind != "xã" else int(rng.integers(7, 14))
            pts = _sample_in(leg_poly[l.key], leg_point[l.key], n, rng, margin_m=150.0)
            label = "Tổ dân phố" if l.kind != "xã" else "Bản"
            for i, p in enumerate(pts):
                vill.append((l, p, f"{label} {_short(l.name)} {i + 1}", i == 0))
        w = rng.lognormal(0.0, 0.5, len(vill)) * np.array([2.0 if c else 1.0 for *_, c in vill])
        v_pop = apportion(int(pop), w)
        v_child = apportion(children_total, v_pop)
        start = len(villages)
        for k, ((l, p, name, _), vp, vc) in enumerate(zip(vill, v_pop, v_child)):
            villages.append(dict(id=f"{u.code}-V{k + 1:02d}", name=name, commune_code=u.code,
                                 population=int(vp), children=int(vc), geometry=p, legacy=l.key))
        unit_villages = villages[start:]
        _schools_for(u, legacy_of[u.key], unit_villages, leg_poly, rng, schools)
        top = sorted(unit_villages, key=lambda v: (-v["children"], v["id"]))
        if u.code in WITH_POINTS or u.code in UNDER_CONSTRUCTION:
            n_pts = (3 if u.kind == "phường" else int(rng.integers(1, 3))) if u.code in WITH_POINTS else 1
            for j in range(n_pts):
                v = top[j]
                kind = ("culture_point", "play_area")[j % 2]
                label = "Điểm văn hóa thiếu nhi" if kind == "culture_point" else "Khu vui chơi trẻ em"
                existing = u.code in WITH_POINTS
                points.append(dict(
                    id=f"P{len(points) + 1:03d}", name=f"{label} {v['name']}", kind=kind,
                    commune_code=u.code, status="existing" if existing else "under_construction",
                    year=int(rng.integers(2012, 2025)) if existing else int(rng.integers(2025, 2027)),
                    area_m2=float(50 * rng.integers(6, 50)),
                    geometry=_near(cur_poly[u.key], v["geometry"], rng, 60, 250)))
        n_cand = int(rng.integers(2, 5)) if u.code not in WITH_POINTS else 1
        offset = 1 if u.code in WITH_POINTS else 0
        for j in range(n_cand):
            v = top[offset + j]
            status = rng.choice(["public_land", "school_ground", "needs_acquisition"], p=[0.45, 0.35, 0.2])
            lo, hi = {"public_land": (1.2, 2.6), "school_ground": (0.6, 1.4), "needs_acquisition": (2.4, 4.2)}[status]
            candidates.append(dict(
                id=f"C{len(candidates) + 1:03d}", commune_code=u.code,
                area_m2=float(50 * rng.integers(8, 60)), land_status=str(status),
                est_cost_vnd=float(10_000_000 * round(rng.uniform(lo, hi) * 100)),
                geometry=_near(cur_poly[u.key], v["geometry"], rng, 100, 400)))
        commune_rows.append(dict(
            code=u.code, name=u.name, kind=u.kind, area_km2=u.area_km2,
            population=int(v_pop.sum()), children=int(v_child.sum()),
            ethnic_minority_share=round(float(prof["ethnic"]), 3),
            poverty_rate=round(float(prof["poverty"]), 3),
            especially_difficult=prof["difficult"],
            child_friendly=bool(rng.random() < (0.6 if prof["difficult"] else 0.95)),
            land_available_m2=float(0 if rng.random() < 0.2 else 100 * rng.integers(5, 50)),
            geometry=cur_poly[u.key]))

    for s in schools:
        n_blocks = (int(rng.integers(1, 3)) if s["has_standard_toilet"]
                    else int(rng.random() < 0.7))
        for b in range(n_blocks):
            toilets.append(dict(
                id=f"T{len(toilets) + 1:04d}", facility_id=s["id"], facility_kind="school",
                standard=bool(s["has_standard_toilet"] and (b == 0 or rng.random() < 0.5)),
                geometry=Point(s["geometry"].x + 15 + 10 * b, s["geometry"].y)))
    for p in points:
        if p["status"] == "existing":
            toilets.append(dict(
                id=f"T{len(toilets) + 1:04d}", facility_id=p["id"], facility_kind="play_point",
                standard=bool(rng.random() < 0.7), geometry=Point(p["geometry"].x + 15, p["geometry"].y)))

    legacy_rows = [
        dict(code=l.code, name=l.name, district=l.district, new_code=code_of[l.new_key],
             geometry=leg_poly[l.key])
        for l in units.legacy
    ]
    frames = {
        "communes": commune_rows,
        "communes_2024": legacy_rows,
        "villages": [{k: v for k, v in r.items() if k != "legacy"} for r in villages],
        "play_points": points,
        "schools": schools,
        "toilets": toilets,
        "candidate_sites": candidates,
    }
    return {
        name: gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=LAI_CHAU_METRIC_CRS)
        .to_crs(STORAGE_CRS)
        for name, rows in frames.items()
    }


def _schools_for(u: CurrentUnit, legacies, unit_villages, leg_poly, rng, out: list) -> None:
    """A kindergarten, primary and lower-secondary (or combined) school per pre-2025 commune,
    an upper-secondary school in each former district town, and village satellite sites."""

    def add(name, level, satellite, students, village, standard_p, psych_p):
        out.append(dict(
            id=f"S{len(out) + 1:04d}", name=name, level=level, is_satellite=satellite,
            students=int(max(10, students)), commune_code=u.code,
            has_standard_toilet=bool(rng.random() < standard_p),
            has_psych_support=bool(not satellite and rng.random() < psych_p),
            geometry=_near(leg_poly[village["legacy"]], village["geometry"], rng, 30, 150)))

    urban = u.kind == "phường"
    for l in legacies:
        vs = [v for v in unit_villages if v["legacy"] == l.key]
        kids = sum(v["children"] for v in vs)
        short = _short(l.name)
        ok = 1.0 if urban else 0.9
        add(f"Trường Mầm non {short}", "mam_non", False, kids * 0.12, vs[0], ok, 0.6)
        if urban or rng.random() < 0.6:
            add(f"Trường Tiểu học {short}", "tieu_hoc", False, kids * 0.25, vs[0], ok, 0.7)
            add(f"Trường THCS {short}", "thcs", False, kids * 0.2, vs[0], ok, 0.75)
        else:
            add(f"Trường PTDTBT TH&THCS {short}", "th_thcs", False, kids * 0.45, vs[0], ok, 0.65)
        if l.kind == "thị trấn" or (urban and l.name == "Phường Tân Phong"):
            district = l.district.replace("Huyện ", "").replace("Thành phố ", "")
            add(f"Trường THPT {district}", "thpt", False, kids * 0.6, vs[0], 1.0, 0.9)
        for v in vs[1:]:
            if not urban and rng.random() < 0.4:
                level = "mam_non" if rng.random() < 0.6 else "tieu_hoc"
                add(f"Điểm trường {v['name']}", level, True, v["children"] * 0.3, v, 0.55, 0.0)


def write_demo(out) -> None:
    """Build the demo and write it as a data package to `out`."""
    from planner.io import write_package

    write_package(build_demo(), MANIFEST, out)
