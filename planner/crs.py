"""Coordinate systems: storage in EPSG:4326, distances in a metric CRS chosen from the extent."""
from __future__ import annotations

import math

STORAGE_CRS = "EPSG:4326"
LAI_CHAU_METRIC_CRS = "EPSG:32648"  # WGS 84 / UTM zone 48N


def metric_crs_for(lon_min: float, lat_min: float, lon_max: float, lat_max: float) -> str:
    """The WGS 84 UTM zone of the extent's centre (EPSG:32648 for Lai Châu).

    Straight-line distances of a few kilometres are exact to well under 0.1% within a zone.
    """
    lon = (lon_min + lon_max) / 2.0
    lat = (lat_min + lat_max) / 2.0
    zone = min(60, max(1, int(math.floor((lon + 180.0) / 6.0)) + 1))
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"
