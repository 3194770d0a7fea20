"""An illustrative terrain for the demo package: elevation, rivers and roads, generated, not measured.

No elevation model can be bundled with the demo, so this module draws one shaped on the province's
known relief, as the demo villages are drawn around the official commune centres. A real DEM
(SRTM, Copernicus GLO-30/90) replaces it when the province imports one (planner.terrain).

Facts used (heights are the published ones; coordinates and river courses are approximate, read
off general maps, not surveyed):
- Lai Châu spans about 200-300 m on the Đà river (sông Đà) to over 3 000 m on the ridges.
- The Đà enters Vietnam in the north-west (Mường Tè; drawn from ~22.69 N 102.38 E) and flows
  south-east past Mường Tè and Nậm Nhùn to Mường Lay (~22.06 N 103.15 E), then along the southern
  border into Sơn La. Its reservoirs hold it near 295 m above the Lai Châu dam (Nậm Hàng, drawn at
  ~22.14 N 102.98 E; the reservoir as a 700 m wide band) and near 215 m (Sơn La reservoir) below.
- The Nậm Na flows from the north (Phong Thổ, ~22.78 N 103.28 E) south past Pa Tần and joins the
  Đà near Mường Lay, at the province's southern border.
- The Nậm Mu rises under the Hoàng Liên Sơn (Tam Đường) and flows south-east, then south, through
  Tân Uyên and Than Uyên towards the Đà.
- The Hoàng Liên Sơn range runs north-west to south-east along the eastern border: Pu Ta Leng
  3 049 m (~22.42 N 103.61 E), the Ô Quy Hồ pass (~2 000 m, ~22.35 N 103.77 E, QL4D to Sa Pa) and
  Fansipan 3 143 m (~22.30 N 103.77 E), on the Lào Cai border.
- Pu Si Lung 3 076 m (~22.62 N 102.27 E) on the Mường Tè-China border (just west of the grid).
- Lai Châu city lies at about 900-1 000 m, the Sìn Hồ plateau at about 1 500 m.
Invented: every river bed height between those figures, the valley profile (land rising ~1 700 m
over a few kilometres from the nearest river, divides where two rivers' valleys meet), cone-shaped
ridges through the summits, seeded spectral noise (slopes mostly 15-40 %), meanders, and the
courses of roads, tracks and paths. Roads join the commune centres (official, planner.admin_units)
in the order of the national roads QL4D, QL12, QL32, QL4H and QL279, tracks the other centres, and
paths each pre-2025 commune's centre to its current unit's; all are routed over the generated
slopes, and where they cross a river they are bridges. Deterministic: the same versions give the
same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import rasterio
import shapely
import shapely.ops
from pyproj import Transformer
from rasterio import features
from rasterio.io import MemoryFile
from rasterio.transform import Affine
from scipy import ndimage, sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from planner.admin_units import ProvinceUnits, province_units
from planner.contracts import ELEVATION
from planner.crs import LAI_CHAU_METRIC_CRS, STORAGE_CRS

SEED = 2026_0015
CELL_M = 120.0
MARGIN_M = 3000.0

# (lon, lat, bed elevation m), upstream first; approximate courses
RIVERS = {
    "Sông Đà": ((102.38, 22.69, 320), (102.50, 22.61, 312), (102.60, 22.52, 306), (102.71, 22.45, 300),
                (102.81, 22.37, 297), (102.88, 22.29, 295), (102.93, 22.21, 295), (102.98, 22.14, 295),
                (103.05, 22.09, 215), (103.15, 22.06, 214), (103.28, 22.03, 212), (103.40, 22.01, 210),
                (103.50, 21.96, 207), (103.58, 21.89, 204), (103.66, 21.78, 200)),
    "Nậm Na": ((103.28, 22.78, 600), (103.30, 22.68, 520), (103.30, 22.58, 460), (103.24, 22.50, 420),
               (103.15, 22.42, 360), (103.12, 22.32, 300), (103.12, 22.22, 250), (103.14, 22.13, 218),
               (103.15, 22.06, 214)),
    "Nậm Mu": ((103.62, 22.36, 1050), (103.67, 22.32, 900), (103.69, 22.24, 760), (103.74, 22.15, 620),
               (103.80, 22.08, 560), (103.85, 22.00, 520), (103.84, 21.92, 480), (103.82, 21.84, 440),
               (103.80, 21.74, 380), (103.78, 21.64, 330)),
}
RESERVOIR = ("Hồ thủy điện Lai Châu", "Sông Đà", (102.71, 22.45), (102.98, 22.14), 350.0)  # from, to (dam), half-width m
SUMMITS = {"Pu Ta Leng": (103.61, 22.42, 3049.0), "Fansipan": (103.77, 22.30, 3143.0), "Pu Si Lung": (102.27, 22.62, 3076.0)}
# crest lines (lon, lat, crest m) through the summits
RIDGES = (((103.42, 22.62, 2200), (103.52, 22.52, 2500), (103.61, 22.42, 3049), (103.70, 22.39, 2600),
           (103.77, 22.35, 2000), (103.77, 22.30, 3143), (103.85, 22.20, 2600), (103.96, 22.08, 2300), (104.05, 21.95, 2100)),
          ((102.15, 22.35, 2200), (102.18, 22.45, 2400), (102.27, 22.62, 3076), (102.30, 22.80, 2300)))
ANCHORS = ((103.46, 22.39, 950.0), (103.226, 22.326, 1500.0))  # Lai Châu city, Sìn Hồ plateau
VALLEY_RISE_M, VALLEY_LENGTH_M = 1700.0, 6000.0  # how high and how fast the land rises from a river
RIDGE_SLOPE, RIDGE_ROUND_M = 0.28, 1000.0
CAP_M = 2500.0
ROUGH, CREASE_FLOOR = 0.2, 0.45  # noise on the height above the rivers: log-scale, and creases (side valleys)
ANCHOR_RADIUS_M = 5000.0

ROADS = (
    ("road", "QL4D (minh họa)", ("Xã Phong Thổ", "Phường Đoàn Kết", "Phường Tân Phong", "Xã Bình Lư")),
    ("road", "Đường Lai Châu - Sìn Hồ (minh họa)", ("Phường Đoàn Kết", "Xã Hồng Thu", "Xã Sìn Hồ")),
    ("road", "QL12 (minh họa)", ("Xã Khổng Lào", "Xã Phong Thổ", "Xã Pa Tần", "Xã Lê Lợi")),
    ("road", "QL32 (minh họa)", ("Xã Bình Lư", "Xã Bản Bo", "Xã Tân Uyên", "Xã Pắc Ta", "Xã Mường Than", "Xã Than Uyên")),
    ("road", "QL4H (minh họa)", ("Xã Lê Lợi", "Xã Nậm Hàng", "Xã Mường Mô", "Xã Bum Tở", "Xã Mường Tè")),
    ("road", "QL279 (minh họa)", ("Xã Than Uyên", "Xã Mường Kim")),
    ("track", "Đường liên xã (minh họa)", ("Xã Khổng Lào", "Xã Dào San", "Xã Sì Lở Lầu")),
    ("track", "Đường liên xã (minh họa)", ("Phường Đoàn Kết", "Xã Sin Suối Hồ")),
    ("track", "Đường liên xã (minh họa)", ("Phường Tân Phong", "Xã Tả Lèng")),
    ("track", "Đường liên xã (minh họa)", ("Phường Tân Phong", "Xã Khun Há", "Xã Pu Sam Cáp", "Xã Nậm Mạ", "Xã Nậm Cuổi",
                                           "Xã Nậm Sỏ", "Xã Mường Khoa", "Xã Tân Uyên")),
    ("track", "Đường liên xã (minh họa)", ("Xã Sìn Hồ", "Xã Nậm Tăm", "Phường Tân Phong")),
    ("track", "Đường liên xã (minh họa)", ("Xã Sìn Hồ", "Xã Tủa Sín Chải", "Xã Lê Lợi")),
    ("track", "Đường liên xã (minh họa)", ("Xã Pa Tần", "Xã Hua Bum", "Xã Bum Nưa", "Xã Mường Tè", "Xã Pa Ủ")),
    ("track", "Đường liên xã (minh họa)", ("Xã Thu Lũm", "Xã Mù Cả", "Xã Mường Tè")),
    ("track", "Đường liên xã (minh họa)", ("Xã Bum Tở", "Xã Tà Tổng")),
    ("track", "Đường liên xã (minh họa)", ("Xã Mường Kim", "Xã Khoen On")),
)
GRADE = {"road": 0.07, "track": 0.12, "path": 0.25}  # a route's cost: metres x (1 + (slope / grade)²)
CROSSING_M = {"road": 3000.0, "track": 2000.0, "path": 1000.0}  # extra cost of crossing a river
ROUTE_FACTOR = 4  # routes are found on cells this many times coarser

_TO_M = Transformer.from_crs(STORAGE_CRS, LAI_CHAU_METRIC_CRS, always_xy=True)


@dataclass(frozen=True, eq=False)
class DemoTerrain:
    elevation_m: np.ndarray  # float32, NaN farther than MARGIN_M outside the communes
    transform: Affine
    cell_m: float
    crs: str
    paths: gpd.GeoDataFrame  # path_class, name; EPSG:4326
    barriers: gpd.GeoDataFrame  # kind, name; EPSG:4326
    covered_share: float  # share of the communes' area on cells with an elevation


def _trace(vertices, rng, *, step: float, wiggle_m: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Points every `step` metres along (lon, lat, value) vertices, values interpolated, with a
    seeded meander of about `wiggle_m` that vanishes at both ends."""
    lon, lat, val = np.asarray(vertices, dtype=float).T
    x, y = _TO_M.transform(lon, lat)
    s = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))])
    t = np.append(np.arange(0.0, s[-1], step), s[-1])
    px, py, pv = (np.interp(t, s, a) for a in (x, y, val))
    if wiggle_m:
        off = ndimage.gaussian_filter1d(rng.standard_normal(len(t)), 1500.0 / step)
        off *= wiggle_m / off.std() * np.sin(np.pi * t / t[-1])
        dx, dy = (np.gradient(ndimage.gaussian_filter1d(a, 1000.0 / step)) for a in (px, py))
        norm = np.hypot(dx, dy)
        px, py = px - off * dy / norm, py + off * dx / norm
    return np.column_stack([px, py]), pv


def _fractal(shape, rng, cell_m: float, *, beta: float = 2.2, longest_m: float = 40_000.0, shortest_m: float = 1_200.0):
    """Zero-mean, unit-variance spectral noise: power ~ k^-beta between two wavelengths."""
    ky = np.fft.fftfreq(shape[0], cell_m)[:, None]
    kx = np.fft.rfftfreq(shape[1], cell_m)[None, :]
    k = np.hypot(kx, ky)
    amp = np.maximum(k, 1.0 / longest_m) ** (-beta / 2) * np.exp(-((k * shortest_m) ** 2))
    field = np.fft.irfft2(np.fft.rfft2(rng.standard_normal(shape)) * amp, s=shape)
    return (field - field.mean()) / field.std()


def _elevation(shape, transform: Affine, rivers, rng) -> np.ndarray:
    """Height above the nearest river's bed rising away from it, noise scaling that height, and
    ridges through the summits; metres."""
    cell_m = transform.a
    rough, crease = _fractal(shape, rng, cell_m), _fractal(shape, rng, cell_m, beta=3.0, longest_m=16_000.0, shortest_m=2_500.0)
    relief = np.exp(ROUGH * rough) * (CREASE_FLOOR + (1 - CREASE_FLOOR) * np.tanh(np.hypot(crease, 0.3)))
    fields = []  # per river: its bed where nearest, plus the rise away from it
    for pts, val in rivers.values():
        bed = np.full(shape, np.inf)
        r, c = (np.asarray(a) for a in rasterio.transform.rowcol(transform, pts[:, 0], pts[:, 1]))
        ok = (r >= 0) & (r < shape[0]) & (c >= 0) & (c < shape[1])
        np.minimum.at(bed, (r[ok], c[ok]), val[ok])
        d, (ir, ic) = ndimage.distance_transform_edt(np.isinf(bed), sampling=cell_m, return_indices=True)
        fields.append((bed[ir, ic], VALLEY_RISE_M * (1 - np.exp(-d / VALLEY_LENGTH_M)) * relief))
        d_near = d if len(fields) == 1 else np.minimum(d_near, d)
    terms = np.array([-(b + h) / 60.0 for b, h in fields])
    low = -60.0 * np.logaddexp.reduce(terms)  # a smooth minimum: divides between the rivers
    bed = (np.exp(terms + low / 60.0) * np.array([b for b, _ in fields])).sum(axis=0)  # weighted alike
    height = np.maximum(low - bed, 1.0)
    cols, rows = np.meshgrid(np.arange(shape[1]) + 0.5, np.arange(shape[0]) + 0.5)
    xy = np.column_stack(transform @ (cols.ravel(), rows.ravel()))
    scale = np.ones(shape)
    for lon, lat, target in ANCHORS:  # scale the height above the river to the known height of two places
        (r,), (c,) = rasterio.transform.rowcol(transform, *_TO_M.transform([lon], [lat]))
        dist2 = ((xy[:, 0] - xy[r * shape[1] + c, 0]) ** 2 + (xy[:, 1] - xy[r * shape[1] + c, 1]) ** 2).reshape(shape)
        scale += ((target - bed[r, c]) / height[r, c] - 1) * np.exp(-dist2 / ANCHOR_RADIUS_M ** 2)
    z = bed + height * scale
    z = np.where(z > CAP_M, CAP_M + 400.0 * np.tanh((z - CAP_M) / 400.0), z)  # unnamed heights stay below 2 900 m
    crests = [_trace(r, rng, step=cell_m) for r in RIDGES]
    d_ridge, j = cKDTree(np.vstack([p for p, _ in crests])).query(xy, distance_upper_bound=20_000.0)
    crest = np.append(np.concatenate([v for _, v in crests]), -np.inf)[j]
    drop = RIDGE_SLOPE * (np.hypot(np.minimum(d_ridge, 1e6), RIDGE_ROUND_M) - RIDGE_ROUND_M)
    ridge = crest.reshape(shape) - drop.reshape(shape) * np.exp(2 * ROUGH * rough)
    z += 150.0 * np.logaddexp(0.0, (ridge - z) / 150.0) * (1 - np.exp(-d_near / 1200.0))  # smooth max, rivers kept
    return np.clip(z, 150.0, max(s[2] for s in SUMMITS.values()))


def _route_graph(z: np.ndarray, river: np.ndarray, ok: np.ndarray, cell_m: float, path_class: str):
    """Undirected 16-neighbour graph: metres weighted by steepness, crossings of rivers costly."""
    n_r, n_c = z.shape
    idx = np.arange(z.size).reshape(z.shape)
    rows, cols, w = [], [], []
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1), (1, 2), (2, 1), (2, -1), (1, -2)):
        a = (slice(0, n_r - dr), slice(max(0, -dc), n_c - max(0, dc)))
        b = (slice(dr, n_r), slice(max(0, dc), n_c + min(0, dc)))
        length = cell_m * np.hypot(dr, dc)
        cost = length * (1 + (np.abs(z[a] - z[b]) / length / GRADE[path_class]) ** 2)
        cost += CROSSING_M[path_class] * (river[a] ^ river[b])
        keep = ok[a] & ok[b]
        rows.append(idx[a][keep])
        cols.append(idx[b][keep])
        w.append(cost[keep])
    return sparse.csr_matrix((np.concatenate(w), (np.concatenate(rows), np.concatenate(cols))), shape=(z.size, z.size))


def _routes(z, river, ok, transform: Affine, plan) -> list[tuple[str, str, shapely.LineString]]:
    """Each (class, name, [xy, ...]) of `plan` routed leg by leg between its points on the coarse grid."""
    f = ROUTE_FACTOR
    zc, rc, okc = z[f // 2::f, f // 2::f], river[f // 2::f, f // 2::f], ok[f // 2::f, f // 2::f]
    coarse = transform @ Affine.translation(f // 2, f // 2) @ Affine.scale(f)
    graphs = {c: _route_graph(zc, rc, okc, transform.a * f, c) for c in {c for c, _, _ in plan}}
    out = []
    for path_class, name, points in plan:
        node = [int(r) * zc.shape[1] + int(c) for r, c in (rasterio.transform.rowcol(coarse, x, y) for x, y in points)]
        line = [points[0]]
        for k in range(len(node) - 1):
            _, pred = csgraph.dijkstra(graphs[path_class], directed=False, indices=node[k + 1], return_predecessors=True)
            n = pred[node[k]]
            while n >= 0 and n != node[k + 1]:
                line.append(coarse @ (n % zc.shape[1] + 0.5, n // zc.shape[1] + 0.5))
                n = pred[n]
            line.append(points[k + 1])
        coords = np.array(line)
        for _ in range(4):  # Chaikin's corner cutting, ends kept
            q = 0.75 * coords[:-1] + 0.25 * coords[1:]
            r = 0.25 * coords[:-1] + 0.75 * coords[1:]
            coords = np.vstack([coords[:1], np.column_stack([q, r]).reshape(-1, 2), coords[-1:]])
        out.append((path_class, name, shapely.LineString(coords).simplify(15.0)))
    return out


def demo_terrain_layers(communes: gpd.GeoDataFrame, units: ProvinceUnits | None = None, *,
                        cell_m: float = CELL_M, seed: int = SEED) -> DemoTerrain:
    """The demo's elevation grid, paths and barriers around `communes` (the demo's polygons)."""
    units = units or province_units()
    rng = np.random.default_rng(seed)
    union = shapely.union_all(communes.to_crs(LAI_CHAU_METRIC_CRS).geometry.to_numpy())
    minx, miny, maxx, maxy = union.bounds
    x0, y0 = np.floor((minx - MARGIN_M) / cell_m) * cell_m, np.ceil((maxy + MARGIN_M) / cell_m) * cell_m
    shape = (int(np.ceil((y0 - miny + MARGIN_M) / cell_m)), int(np.ceil((maxx + MARGIN_M - x0) / cell_m)))
    transform = Affine(cell_m, 0.0, x0, 0.0, -cell_m, y0)

    rivers = {name: _trace(v, rng, step=cell_m / 2, wiggle_m=450.0) for name, v in RIVERS.items()}
    (da, _), (na, na_bed) = rivers["Sông Đà"], rivers["Nậm Na"]  # the Nậm Na ends on the Đà as drawn
    rivers["Nậm Na"] = (np.vstack([na, da[np.argmin(np.hypot(*(da - na[-1]).T))]]), np.append(na_bed, na_bed[-1]))
    z = _elevation(shape, transform, rivers, rng)
    valid = features.geometry_mask([union.buffer(MARGIN_M)], shape, transform, invert=True)
    inside = features.geometry_mask([union], shape, transform, invert=True)
    covered = float(np.round(valid[inside].mean(), 4))

    river_lines = {name: shapely.LineString(p) for name, (p, _) in rivers.items()}
    river_cells = features.rasterize([(g, 1) for g in river_lines.values()], shape, transform=transform,
                                     all_touched=True).astype(bool)
    centre = {u.name: _TO_M.transform(u.lon, u.lat) for u in units.current}
    plan = [(c, n, [centre[p] for p in pts]) for c, n, pts in ROADS]
    for leg in units.legacy:
        new = next(u for u in units.current if u.key == leg.new_key)
        a = _TO_M.transform(leg.lon, leg.lat)
        if np.hypot(a[0] - centre[new.name][0], a[1] - centre[new.name][1]) > 1500:
            plan.append(("path", f"Đường mòn {leg.name} - {new.name} (minh họa)", [a, centre[new.name]]))
    routes = _routes(np.where(valid, z, np.nan), river_cells, valid, transform, plan)

    r_name, r_river, r_from, r_to, r_half = RESERVOIR
    line = river_lines[r_river]
    lake = shapely.ops.substring(line, *sorted(line.project(shapely.Point(_TO_M.transform(*p))) for p in (r_from, r_to)))
    barriers = gpd.GeoDataFrame(
        {"kind": ["river"] * len(river_lines) + ["lake"], "name": [*river_lines, r_name]},
        geometry=[*river_lines.values(), lake.buffer(r_half)], crs=LAI_CHAU_METRIC_CRS)
    paths = gpd.GeoDataFrame({"path_class": [c for c, _, _ in routes], "name": [n for _, n, _ in routes]},
                             geometry=[g for *_, g in routes], crs=LAI_CHAU_METRIC_CRS)
    elevation = np.where(valid, np.round(z, 1), np.nan).astype(np.float32)
    return DemoTerrain(elevation, transform, cell_m, LAI_CHAU_METRIC_CRS,
                       paths.to_crs(STORAGE_CRS), barriers.to_crs(STORAGE_CRS), covered)


def elevation_geotiff(t: DemoTerrain) -> bytes:
    """The elevation grid as the package stores it: one float32 band, nodata NaN, tiled, DEFLATE
    with the floating-point predictor."""
    rows, cols = t.elevation_m.shape
    with MemoryFile() as mem:
        with mem.open(driver="GTiff", width=cols, height=rows, count=1, dtype="float32", crs=t.crs,
                      transform=t.transform, nodata=np.nan, tiled=True, blockxsize=256, blockysize=256,
                      compress="deflate", predictor=3) as ds:
            ds.write(t.elevation_m, 1)
        return mem.read()


def terrain_package(t: DemoTerrain, as_of: str) -> tuple[dict, dict, dict]:
    """What the demo's data package gets from the terrain: layers (`paths`, `barriers`), files
    ({contracts.ELEVATION: GeoTIFF bytes}) and the manifest's "terrain" entry, for `io.write_package`."""
    entry = {"source": "planner.demo_terrain", "cell_m": float(t.cell_m), "crs": t.crs,
             "covered_share": t.covered_share, "demo": True, "imported_at": as_of}
    return {"paths": t.paths, "barriers": t.barriers}, {ELEVATION: elevation_geotiff(t)}, entry
