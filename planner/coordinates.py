"""Coordinates in uploads: VN-2000 presets, guessing a missing CRS, swapped axes, points outside the province.

Conversions go through pyproj with EPSG codes, so the official VN-2000 -> WGS 84 datum shift
(7-parameter Helmert, EPSG transformation "VN-2000 to WGS 84 (2)") is applied. Vietnamese survey
tables write X for the northing and Y for the easting; `to_lonlat` takes easting/northing.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError, ProjError

from planner.errors import UsageError

WGS84 = "EPSG:4326"
# key -> EPSG code. TM-3 103°00' (k = 0.9999) is the provincial grid of Lai Châu and Điện Biên.
PRESETS: dict[str, str] = {
    "wgs84": "EPSG:4326",
    "vn2000": "EPSG:4756",
    "vn2000_tm3_103": "EPSG:9205",
    "vn2000_utm48": "EPSG:3405",
    "vn2000_utm49": "EPSG:3406",
    "wgs84_utm48": "EPSG:32648",
}
PROJECTED_GUESSES = ("EPSG:9205", "EPSG:3405", "EPSG:32648", "EPSG:3406")  # tried in this order
LAI_CHAU_BBOX = (102.15, 21.55, 104.10, 22.95)  # lon/lat with ~15 km around the province
VIETNAM_LON, VIETNAM_LAT = (100.0, 112.0), (6.0, 25.0)
NORTHING_RANGE, EASTING_RANGE = (900_000.0, 2_800_000.0), (50_000.0, 1_000_000.0)
# Semi-major axes of the Earth's ellipsoids and spheres (6,370 to 6,378.4 km), with room: a CRS of
# Mars (3,396 km), the Moon or a unit sphere is not one of the Earth's.
EARTH_SEMI_MAJOR_M = (6_300_000.0, 6_400_000.0)


def resolve_crs(value) -> str:
    """An authority string ("EPSG:9205") for a preset key, an EPSG code or any pyproj CRS text."""
    if value is None or str(value).strip() == "":
        raise UsageError("err.imp_crs", value=value, known=", ".join(PRESETS.values()))
    text = str(value).strip()
    if text.lower() in PRESETS:
        return PRESETS[text.lower()]
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        crs = CRS.from_user_input(text)
    except CRSError:
        raise UsageError("err.imp_crs", value=value, known=", ".join(PRESETS.values())) from None
    if not is_earth_crs(crs):
        raise UsageError("err.imp_crs_not_earth", value=value, name=crs.name)
    auth = crs.to_authority()
    return f"{auth[0]}:{auth[1]}" if auth else crs.to_wkt()


def is_earth_crs(crs) -> bool:
    """Whether `crs` places points on the Earth as longitude/latitude or easting/northing that PROJ
    converts to WGS 84. Not: a body other than the Earth (an IAU code, a WKT with a Mars datum), a
    local engineering grid (LOCAL_CS, ENGCRS), a geocentric or a height-only system. PROJ refuses
    those, or turns them into nonsense, when converting, so they are refused before with a message."""
    try:
        crs = crs if isinstance(crs, CRS) else CRS.from_user_input(crs)
        if crs.is_engineering or not (crs.is_geographic or crs.is_projected):
            return False
        ellipsoid = crs.ellipsoid
        if ellipsoid is None or not EARTH_SEMI_MAJOR_M[0] <= ellipsoid.semi_major_metre <= EARTH_SEMI_MAJOR_M[1]:
            return False
        Transformer.from_crs(crs, WGS84, always_xy=True)
    except (CRSError, ProjError, TypeError, ValueError):
        return False
    return True


def is_geographic(crs: str) -> bool:
    return CRS.from_user_input(crs).is_geographic


def to_lonlat(xs, ys, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Longitude/latitude (WGS 84) of easting/northing or lon/lat pairs in `crs`."""
    t = Transformer.from_crs(crs, WGS84, always_xy=True)
    lon, lat = t.transform(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def inside_bbox(lon, lat, bbox=LAI_CHAU_BBOX) -> np.ndarray:
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    return (lon >= bbox[0]) & (lon <= bbox[2]) & (lat >= bbox[1]) & (lat <= bbox[3])


def _share(mask: np.ndarray) -> float:
    return float(mask.mean()) if mask.size else 0.0


@dataclass(frozen=True)
class CrsGuess:
    """What the coordinate ranges suggest: a CRS (None when nothing fits) and how many points it puts
    in the province. A guess is never applied without the caller confirming it."""

    crs: str | None
    share_inside: float
    geographic: bool = False


def guess_crs(xs, ys, *, bbox=LAI_CHAU_BBOX) -> CrsGuess:
    """The likeliest CRS of easting/northing (or lon/lat) pairs: lon/lat when they look like degrees
    in Vietnam, else the projected preset that puts most points inside `bbox`."""
    x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size == 0:
        return CrsGuess(None, 0.0)
    if _share((x >= VIETNAM_LON[0]) & (x <= VIETNAM_LON[1]) & (y >= VIETNAM_LAT[0]) & (y <= VIETNAM_LAT[1])) > 0.5:
        return CrsGuess(WGS84, _share(inside_bbox(x, y, bbox)), True)
    best = CrsGuess(None, 0.0)
    if _share((x >= EASTING_RANGE[0]) & (x <= EASTING_RANGE[1]) & (y >= NORTHING_RANGE[0]) & (y <= NORTHING_RANGE[1])) > 0.5:
        for crs in PROJECTED_GUESSES:
            share = _share(inside_bbox(*to_lonlat(x, y, crs), bbox))
            if share > best.share_inside:
                best = CrsGuess(crs, share)
    return best


def swapped_rows(xs, ys, crs: str, *, bbox=LAI_CHAU_BBOX) -> np.ndarray:
    """Rows outside `bbox` as given that fall inside with the two coordinates exchanged."""
    x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    with np.errstate(invalid="ignore"):
        as_is = inside_bbox(*to_lonlat(x, y, crs), bbox)
        swapped = inside_bbox(*to_lonlat(y, x, crs), bbox)
    return ~as_is & swapped & np.isfinite(x) & np.isfinite(y)


def looks_like_degrees(xs, ys) -> bool:
    x, y = np.abs(np.asarray(xs, dtype=float)), np.abs(np.asarray(ys, dtype=float))
    ok = np.isfinite(x) & np.isfinite(y)
    return bool(ok.any()) and bool(np.all((x[ok] <= 180) & (y[ok] <= 180)))
