"""The elevation model for walking time (issue 15): DEM tiles checked, mosaicked, reprojected and
clipped for a data package (`read_dem`, run in the bounded worker), and a package's model read back
as a `walking.Terrain` with its paths and barriers (`load_terrain`).

A DEM is GeoTIFF (SRTM, Copernicus GLO-30/90, any CRS), SRTM `.hgt` (EPSG:4326 by definition; the
name N22E103.hgt places it) or a `.zip` of those. Tiles in one CRS are mosaicked with
`rasterio.merge`, then warped with bilinear resampling (`rasterio.warp.reproject`) onto square cells
in the package's metric CRS, aligned to multiples of the cell size: the DEM's own resolution,
never finer than MIN_CELL_M, and coarser when the grid would exceed MAX_CELLS (Lai Châu with 1″ SRTM:
its 171 km x 131 km box with the 3 km margin would be 24.9 million cells of 30 m, so cells become
62 m, 2 758 x 2 119). The grid covers the communes' bounding box plus a margin; cells farther than
the margin outside the communes are NaN.

Everything here reads bytes in memory (`rasterio.io.MemoryFile`); nothing opens a file on disk.
Header figures are checked before any pixel is read, so a file claiming gigabytes (a sparse TIFF,
a decompression bomb) is refused without decompressing it.
"""
from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import PurePosixPath

import geopandas as gpd
import numpy as np
import rasterio
import shapely
from pyproj import Transformer
from rasterio import features
from rasterio.enums import Resampling
from rasterio.io import MemoryFile
from rasterio.merge import merge
from rasterio.transform import from_origin
from rasterio.warp import reproject, transform_bounds

from planner.coordinates import is_earth_crs
from planner.crs import metric_crs_for
from planner.errors import Problem
from planner.formats import both, fmt_int, fmt_num, fmt_pct
from planner.importing.files import UploadError, check_size, check_zip
from planner.netguard import GDAL_SETTINGS

MIN_CELL_M = 30.0
MAX_CELLS = 6_000_000
DEFAULT_MARGIN_M = 3_000.0
MAX_CLAIMED_BYTES = 2_000_000_000  # width x height x bytes per sample of one band, read from the header
MAX_READ_CELLS = 50_000_000  # source cells read over the province (200 MB as float32); coarser beyond
LOWEST_M, HIGHEST_M = -500.0, 9_000.0  # valid elevations outside this are a wrong nodata or unit
REFUSE_BELOW, WARN_BELOW = 0.5, 0.98  # share of the province with elevation
DEM_EXT = (".tif", ".tiff", ".hgt", ".zip")
HGT_NAME = re.compile(r"^([NS])(\d{2})([EW])(\d{3})\.hgt$", re.I)
HGT_SIZES = (1201, 3601)  # SRTM 3″ and 1″ tiles
# No sidecar files, no network (the worker has none either; planner.netguard is the layer behind).
GDAL_SAFE = {"GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR", "GDAL_PAM_ENABLED": "NO", "GDAL_HTTP_MAX_RETRY": "0",
             "GDAL_HTTP_TIMEOUT": "1", "GDAL_HTTP_CONNECTTIMEOUT": "1", "CPL_VSIL_CURL_USE_HEAD": "NO"} | GDAL_SETTINGS


@dataclass(frozen=True)
class Upload:
    """One file a user gave: its name (as shown in messages) and bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class DemRead:
    """What `read_dem` made of the tiles: the GeoTIFF for `contracts.ELEVATION` (b"" when refused),
    its grid and figures for the report, and every problem (errors refuse, warnings do not)."""

    files: tuple[str, ...]
    problems: tuple[Problem, ...]
    geotiff: bytes = b""
    crs: str = ""
    cell_m: float = 0.0
    native_cell_m: float = 0.0  # the DEM's own resolution in metres; cell_m is larger when coarsened
    shape: tuple[int, int] = (0, 0)
    covered_share: float = 0.0
    elevation_m: tuple[float, float] | None = None  # lowest and highest cell of the grid

    @property
    def ok(self) -> bool:
        return bool(self.geotiff) and not any(p.severity == "error" for p in self.problems)

    @property
    def coarsened(self) -> bool:
        return self.cell_m > max(MIN_CELL_M, round(self.native_cell_m))


def package_metric_crs(communes: gpd.GeoDataFrame, manifest: dict | None = None) -> str:
    """The package's metric CRS: the manifest's `metric_crs`, else the UTM zone of the communes."""
    given = (manifest or {}).get("metric_crs")
    return str(given) if given else metric_crs_for(*communes.to_crs(4326).total_bounds)


def _problem(key: str, severity: str = "error", **params) -> Problem:
    return Problem(key, params, layer="terrain", severity=severity)


def _degrees(value: float, lang: str) -> str:
    return fmt_num(value, lang, 2)


def _metres(value: float, lang: str) -> str:
    return fmt_num(value, lang, 1, trim=True)


def _gb(value: float, lang: str) -> str:
    return fmt_num(value / 1e9, lang, 1, trim=True)


# --- the tiles ------------------------------------------------------------------------------------
def _members(upload: Upload) -> list[tuple[str, str, bytes]]:
    """(label for messages, file name, bytes) of each raster in an upload; a .zip gives its .tif/.hgt."""
    check_size(len(upload.data), upload.name)
    ext = PurePosixPath(upload.name.lower()).suffix
    if ext not in DEM_EXT:
        raise UploadError("err.dem_extension", file=upload.name, ext=ext or "-", known=", ".join(DEM_EXT))
    if ext != ".zip":
        return [(upload.name, PurePosixPath(upload.name).name, upload.data)]
    try:
        with zipfile.ZipFile(io.BytesIO(upload.data)) as zf:
            infos = [i for i in check_zip(zf, upload.name) if not i.is_dir() and "__MACOSX" not in i.filename
                     and PurePosixPath(i.filename.lower()).suffix in (".tif", ".tiff", ".hgt")]
            if not infos:
                raise UploadError("err.dem_zip_empty", file=upload.name,
                                  present=", ".join(i.filename for i in zf.infolist()[:10]) or "-")
            return [(f"{upload.name}/{i.filename}", PurePosixPath(i.filename).name, zf.read(i)) for i in infos]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise UploadError("err.dem_not_raster", file=upload.name, detail=str(exc)[:200]) from None


def _open(stack: ExitStack, label: str, name: str, data: bytes):
    """The dataset of one raster in memory, or the problem that refuses it. Only the GeoTIFF and
    SRTM readers may open it: a 'GeoTIFF' that is a VRT would read other files of the server."""
    hgt = name.lower().endswith(".hgt")
    if hgt:
        match = HGT_NAME.match(name)
        side = math.isqrt(len(data) // 2)
        if not match or side not in HGT_SIZES or side * side * 2 != len(data):
            return _problem("err.dem_hgt", file=label, **both("size", len(data), fmt_int))
        name = "".join(match.groups()).upper() + ".hgt"  # the SRTM reader places the tile by its name
    try:
        mem = stack.enter_context(MemoryFile(data, filename=name if hgt else "upload.tif"))
        return mem.open(driver=["SRTMHGT"] if hgt else ["GTiff"])
    except rasterio.errors.RasterioError as exc:
        detail = re.sub(r"'?/vsimem/[^'\s]*'?\s*", "", str(exc)).strip()  # GDAL names its in-memory path
        return _problem("err.dem_not_raster", file=label, detail=detail[:200] or type(exc).__name__)


def _too_big(label: str, claimed: int, width: int, height: int) -> Problem:
    return _problem("err.dem_too_big", file=label, claimed=claimed, **both("width", width, fmt_int),
                    **both("height", height, fmt_int), **both("gb", claimed, _gb), **both("limit", MAX_CLAIMED_BYTES, _gb))


def _header_problems(ds, label: str, hgt: bool) -> list[Problem]:
    """Refusals read from the header alone, before any pixel."""
    claimed = ds.width * ds.height * np.dtype(ds.dtypes[0]).itemsize
    if claimed > MAX_CLAIMED_BYTES:
        return [_too_big(label, claimed, ds.width, ds.height)]
    if ds.crs is None or (ds.transform.is_identity and not hgt):
        return [_problem("err.dem_no_crs", file=label)]
    if not is_earth_crs(ds.crs.to_wkt()):
        return [_problem("err.dem_crs_bad", file=label, crs=ds.crs.to_string()[:80])]
    out = []
    if ds.count > 1:
        out.append(_problem("ter.dem_bands", "warning", file=label, n=ds.count))
    return out


def _valid(band: np.ma.MaskedArray | np.ndarray) -> np.ndarray:
    """Cells with a value: not masked as nodata and finite."""
    data = np.ma.getdata(band)
    return ~np.ma.getmaskarray(band) & np.isfinite(data)


def _all_nodata(ds) -> bool:
    """Whether a tile has no value at all (read at most 1024 x 1024, nearest)."""
    shape = (min(ds.height, 1024), min(ds.width, 1024))
    return not _valid(ds.read(1, masked=True, out_shape=shape)).any()


# --- the grid ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Grid:
    """Square cells in a metric CRS; `x0, y0` the top-left corner."""

    crs: str
    x0: float
    y0: float
    cell_m: float
    rows: int
    cols: int

    @property
    def transform(self):
        return from_origin(self.x0, self.y0, self.cell_m, self.cell_m)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return self.x0, self.y0 - self.rows * self.cell_m, self.x0 + self.cols * self.cell_m, self.y0


def grid_over(bounds: Sequence[float], crs: str, cell_m: float) -> Grid:
    """The grid of cells of `cell_m` (or larger, up to MAX_CELLS) aligned to multiples of the cell
    size that covers `bounds` (minx, miny, maxx, maxy)."""
    minx, miny, maxx, maxy = bounds
    cell = float(cell_m)
    if (maxx - minx) * (maxy - miny) / cell**2 > MAX_CELLS:
        cell = float(math.ceil(math.sqrt((maxx - minx) * (maxy - miny) / MAX_CELLS)))
    while True:
        x0, y0 = math.floor(minx / cell) * cell, math.ceil(maxy / cell) * cell
        cols, rows = math.ceil((maxx - x0) / cell), math.ceil((y0 - miny) / cell)
        if rows * cols <= MAX_CELLS:
            return Grid(crs, x0, y0, cell, rows, cols)
        cell += 1.0


def native_cell_m(ds, crs: str) -> float:
    """A tile's cell size in metres in `crs`, at its centre: the square root of the cell's width
    times its height there (1″ SRTM at 22° N in UTM 48N: 28.7 m x 30.8 m -> 29.7 m)."""
    to = Transformer.from_crs(ds.crs.to_wkt(), crs, always_xy=True)
    b = ds.bounds
    cx, cy = (b.left + b.right) / 2, (b.bottom + b.top) / 2
    rx, ry = ds.res
    (x0, x1, x2), (y0, y1, y2) = to.transform([cx, cx + rx, cx], [cy, cy, cy + ry])
    return math.sqrt(math.hypot(x1 - x0, y1 - y0) * math.hypot(x2 - x0, y2 - y0))


def _burn(shape, grid: Grid, *, all_touched: bool = False) -> np.ndarray:
    """Cells of `grid` whose centre is in `shape` (touched by it with `all_touched`)."""
    if shape is None or shape.is_empty:
        return np.zeros((grid.rows, grid.cols), dtype=bool)
    return features.rasterize([(shape, 1)], out_shape=(grid.rows, grid.cols), transform=grid.transform, fill=0,
                              all_touched=all_touched, dtype="uint8").astype(bool)


def _mosaic(group: list, grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """Tiles in one CRS merged over the grid's area (at their finest resolution, coarser when that
    would read over MAX_READ_CELLS) and warped onto the grid: (grid values, source values read)."""
    crs = group[0].crs
    left, bottom, right, top = transform_bounds(grid.crs, crs, *grid.bounds, densify_pts=21)
    left, bottom = max(left, min(d.bounds.left for d in group)), max(bottom, min(d.bounds.bottom for d in group))
    right, top = min(right, max(d.bounds.right for d in group)), min(top, max(d.bounds.top for d in group))
    out = np.full((grid.rows, grid.cols), np.nan, dtype=np.float32)
    if left >= right or bottom >= top:
        return out, np.empty(0, dtype=np.float32)
    rx, ry = min(d.res[0] for d in group), min(d.res[1] for d in group)
    scale = max(1.0, math.sqrt((right - left) * (top - bottom) / (rx * ry) / MAX_READ_CELLS))
    rx, ry = rx * scale, ry * scale
    ox, oy = group[0].bounds.left, group[0].bounds.top  # read on the first tile's own pixel grid
    left, right = ox + math.floor((left - ox) / rx) * rx, ox + math.ceil((right - ox) / rx) * rx
    top, bottom = oy - math.floor((oy - top) / ry) * ry, oy - math.ceil((oy - bottom) / ry) * ry
    data, transform = merge(group, bounds=(left, bottom, right, top), res=(rx, ry), nodata=np.nan, dtype="float32",
                            indexes=[1], resampling=Resampling.bilinear if scale > 1 else Resampling.nearest)
    reproject(data[0], out, src_transform=transform, src_crs=crs, src_nodata=np.nan, dst_transform=grid.transform,
              dst_crs=grid.crs, dst_nodata=np.nan, resampling=Resampling.bilinear)
    return out, data[0][np.isfinite(data[0])]


def geotiff_bytes(values: np.ndarray, grid: Grid) -> bytes:
    """The elevation model as `contracts.ELEVATION` holds it: one float32 band, nodata NaN, tiled,
    DEFLATE with the floating-point predictor."""
    profile = dict(driver="GTiff", width=grid.cols, height=grid.rows, count=1, dtype="float32", crs=grid.crs,
                   transform=grid.transform, nodata=np.nan, tiled=True, blockxsize=256, blockysize=256,
                   compress="deflate", predictor=3)
    with MemoryFile() as mem:
        with mem.open(**profile) as ds:
            ds.write(values.astype(np.float32), 1)
        return mem.read()


def read_dem(files: Sequence[Upload], *, communes: gpd.GeoDataFrame, metric_crs: str,
             margin_m: float = DEFAULT_MARGIN_M) -> DemRead:
    """Check the DEM tiles, mosaic them, warp them onto the package's grid and clip them (module
    docstring). Reads a user's bytes: call it through `planner.importing.worker.run("read_dem", ...)`."""
    names = tuple(f.name for f in files)
    problems: list[Problem] = []
    with rasterio.Env(**GDAL_SAFE), ExitStack() as stack:
        tiles, empty = [], []
        for upload in files:
            try:
                members = _members(upload)
            except UploadError as exc:
                problems.append(_problem(exc.key, **exc.params))
                continue
            for label, name, data in members:
                ds = _open(stack, label, name, data)
                if isinstance(ds, Problem):
                    problems.append(ds)
                    continue
                found = _header_problems(ds, label, name.lower().endswith(".hgt"))
                if not any(p.severity == "error" for p in found) and _all_nodata(ds):
                    empty.append(label)
                problems.extend(found)
                tiles.append((label, ds))
        # a tile with no value (sea, or past the area's edge) is left out when others have values
        if empty and len(empty) == len(tiles):
            problems.extend(_problem("err.dem_all_nodata", file=label) for label in empty)
        elif empty:
            problems.extend(_problem("ter.dem_tile_empty", "warning", file=label) for label in empty)
            tiles = [(label, ds) for label, ds in tiles if label not in empty]
        claimed = sum(ds.width * ds.height * np.dtype(ds.dtypes[0]).itemsize for _, ds in tiles)
        if len(tiles) > 1 and claimed > MAX_CLAIMED_BYTES and not any(p.severity == "error" for p in problems):
            problems.append(_too_big(", ".join(label for label, _ in tiles), claimed, sum(ds.width for _, ds in tiles),
                                     max(ds.height for _, ds in tiles)))
        if any(p.severity == "error" for p in problems) or not tiles:
            return DemRead(names, tuple(problems))
        return _grid_from(names, [ds for _, ds in tiles], problems, communes=communes, metric_crs=metric_crs,
                          margin_m=margin_m)


def _grid_from(names, datasets, problems: list[Problem], *, communes, metric_crs: str, margin_m: float) -> DemRead:
    province = shapely.union_all(list(communes.to_crs(metric_crs).geometry.make_valid()))
    zone = province.buffer(margin_m)
    native = min(native_cell_m(ds, metric_crs) for ds in datasets)
    grid = grid_over(zone.bounds, metric_crs, max(MIN_CELL_M, round(native)))
    values = np.full((grid.rows, grid.cols), np.nan, dtype=np.float32)
    lowest, highest = math.inf, -math.inf
    groups: dict[str, list] = {}
    for ds in datasets:
        groups.setdefault(ds.crs.to_wkt(), []).append(ds)
    for group in groups.values():
        warped, read = _mosaic(group, grid)
        values = np.where(np.isfinite(values), values, warped)
        if read.size:
            lowest, highest = min(lowest, float(read.min())), max(highest, float(read.max()))
    if lowest < LOWEST_M or highest > HIGHEST_M:
        problems.append(_problem("err.dem_absurd", files=", ".join(names), lowest=lowest, highest=highest,
                                 **both("low", lowest, _metres), **both("high", highest, _metres),
                                 **both("least", LOWEST_M, _metres), **both("most", HIGHEST_M, _metres)))
    values[~_burn(zone, grid)] = np.nan
    inside = _burn(province, grid)
    if not inside.any():
        inside = _burn(province, grid, all_touched=True)
    share = float(np.isfinite(values[inside]).mean()) if inside.any() else 0.0
    where = {}  # the province's box, for the message saying which tiles to add
    for name, value in zip(("lon0", "lat0", "lon1", "lat1"), communes.to_crs(4326).total_bounds):
        where |= both(name, float(value), _degrees)
    if share < REFUSE_BELOW:
        problems.append(_problem("err.dem_outside", covered=share, **both("share", share, fmt_pct),
                                 **both("least", REFUSE_BELOW, lambda x, lang: fmt_pct(x, lang, trim=True)), **where))
    elif share < WARN_BELOW:
        problems.append(_problem("ter.dem_partly", "warning", covered=share, **both("share", share, fmt_pct), **where))
    valid = values[np.isfinite(values)]
    elevation = (float(valid.min()), float(valid.max())) if valid.size else None
    refused = any(p.severity == "error" for p in problems)
    return DemRead(names, tuple(problems), b"" if refused else geotiff_bytes(values, grid), grid.crs, grid.cell_m,
                   native, (grid.rows, grid.cols), share, elevation)


# --- a package's terrain ---------------------------------------------------------------------------
def load_terrain(package, model):
    """The package's walking surface: its elevation model (`contracts.ELEVATION`), and per cell the
    flat speed of `model` after the path network (road over track over path, every cell a line
    touches) and the barriers (rivers and lakes, every cell they touch; a path over one is a bridge)
    are rasterized onto the model's grid. Raises DataPackageError when the package has no model."""
    from planner import walking
    from planner.errors import DataPackageError
    from planner.io import read_elevation
    from planner.network import rasterize_network

    if not package.terrain_file:
        raise DataPackageError("err.no_terrain", path=package.source)  # key shared with planner.reach
    elevation, transform, crs = read_elevation(package.terrain_file)
    grid = Grid(crs, transform.c, transform.f, transform.a, *elevation.shape)
    path_class, barrier = rasterize_network(package.paths, package.barriers, grid)
    flat = walking.flat_speed_grid(elevation.shape, model=model, path_class=path_class, barrier=barrier)
    return walking.Terrain(elevation_m=elevation, flat_kmh=flat, x0=grid.x0, y0=grid.y0, cell_m=grid.cell_m, crs=crs)
