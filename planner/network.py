"""Roads, tracks, paths, rivers and lakes for walking time (issue 15): read from a user's file into
the package's `paths` and `barriers` layers (`read_network`, run in the bounded worker), and drawn
onto a terrain grid (`rasterize_network`).

Files: GeoJSON, GeoPackage, zipped Shapefile, KML/KMZ (through `planner.importing.files`, with
its checks), or OpenStreetMap `.osm.pbf` / `.osm` XML (GDAL's OSM driver, layer `lines`, and
`multipolygons` for lakes). OSM `highway` values: motorway, trunk, primary, secondary, tertiary
(and their _link ramps), unclassified, residential, service -> road; track -> track; path,
footway, bridleway, steps, pedestrian -> path. Rivers: `waterway` river, stream, canal (lines);
lakes: `natural=water` (areas; `water=river|stream|canal` or `waterway=riverbank` makes them a
river). Any other value is left out and counted in the report, never silently. Other files name
the class in a column `path_class`, `class`, `loai` or `highway` (for rivers and lakes: `kind`,
`class`, `loai`, `waterway`, `natural`), in English, OSM's words or Vietnamese, with or without tone
marks ("đường ô tô", "Duong dat", "đường mòn", "sông", "suối", "hồ"...).

A road or path crossing a river is a bridge: `walking.flat_speed_grid` lets a path cell over a
barrier be walked, so the crossing stays open and the rest of the river does not.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rasterio import features

from planner.contracts import BARRIER_KINDS, PATH_CLASSES
from planner.errors import Problem
from planner.names import fold

KINDS = ("paths", "barriers")
NET_EXT = (".geojson", ".json", ".gpkg", ".zip", ".kml", ".kmz", ".osm", ".pbf")
OSM_ROADS = ("motorway", "trunk", "primary", "secondary", "tertiary")
OSM_HIGHWAY = {**{v: "road" for v in OSM_ROADS}, **{f"{v}_link": "road" for v in OSM_ROADS},
               "unclassified": "road", "residential": "road", "service": "road", "track": "track",
               **{v: "path" for v in ("path", "footway", "bridleway", "steps", "pedestrian")}}
OSM_WATERWAY = {"river": "river", "stream": "river", "canal": "river"}
OSM_RIVER_AREA = ('"water"=>"river"', '"water"=>"stream"', '"water"=>"canal"', '"waterway"=>"riverbank"')
WORDS = {  # folded words (planner.names.fold) -> class; OSM's values are words too
    "paths": {**OSM_HIGHWAY, "road": "road", "duong o to": "road", "duong oto": "road", "o to": "road",
              "duong dat": "track", "path": "path", "duong mon": "path", "mon": "path", "duong di bo": "path"},
    "barriers": {**OSM_WATERWAY, "song": "river", "suoi": "river", "song suoi": "river", "kenh": "river",
                 "lake": "lake", "water": "lake", "reservoir": "lake", "pond": "lake", "ho": "lake", "ao": "lake",
                 "ho chua": "lake", "ho ao": "lake"},
}
CLASS_COLUMNS = {"paths": ("path class", "class", "loai", "loai duong", "highway"),
                 "barriers": ("kind", "class", "loai", "waterway", "natural")}
NAME_COLUMNS = ("name", "ten", "ten duong", "ten song", "ten ho")
COLUMN = {"paths": "path_class", "barriers": "kind"}
GEOMETRIES = {"paths": {"LineString"}, "barriers": {"LineString", "Polygon"}}
LINES, POLYGONS = ("LineString", "MultiLineString"), ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class NetworkRead:
    """A paths or barriers file as the package will hold it: `frame` in EPSG:4326 with the class
    column (`path_class` or `kind`) and `name`, None when refused; lines kept per class and values
    left out, each with its count; every problem."""

    kind: str
    file: str
    format: str
    frame: gpd.GeoDataFrame | None
    counts: tuple[tuple[str, int], ...]
    dropped: tuple[tuple[str, int], ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.frame is not None and not any(p.severity == "error" for p in self.problems)


def _problem(key: str, kind: str, severity: str = "error", **params) -> Problem:
    return Problem(key, params, layer=kind, severity=severity)


def _refused(kind: str, name: str, fmt: str, problem: Problem) -> NetworkRead:
    return NetworkRead(kind, name, fmt, None, (), (), (problem,))


def _values(counter: Counter) -> str:
    return ", ".join(f"{v} ({n})" for v, n in counter.most_common(8)) + (", …" if len(counter) > 8 else "")


def _osm(name: str, data: bytes, kind: str, bbox) -> tuple[gpd.GeoDataFrame, Counter, list[Problem]]:
    """The OSM lines (and water areas) that are paths or barriers, and the values left out."""
    from planner.importing.files import read_osm_bytes

    wanted = {"lines": ["name", "highway", "waterway", "other_tags"]}
    if kind == "barriers":
        wanted["multipolygons"] = ["name", "natural", "other_tags"]
    layers = read_osm_bytes(name, data, layers=wanted, bbox=bbox)
    lines = layers["lines"]
    tag, table = ("highway", OSM_HIGHWAY) if kind == "paths" else ("waterway", OSM_WATERWAY)
    tagged = lines[lines[tag].notna()]
    cls = tagged[tag].map(table)
    dropped = Counter(f"{tag}={v}" for v in tagged.loc[cls.isna(), tag])
    parts = [gpd.GeoDataFrame({"cls": cls[cls.notna()], "name": tagged.loc[cls.notna(), "name"]},
                              geometry=tagged.loc[cls.notna()].geometry, crs=lines.crs)]
    if kind == "barriers":
        areas = layers["multipolygons"]
        water = areas[areas["natural"] == "water"]
        river = water["other_tags"].fillna("").map(lambda tags: any(t in tags for t in OSM_RIVER_AREA))
        parts.append(gpd.GeoDataFrame({"cls": np.where(river, "river", "lake"), "name": water["name"]},
                                      geometry=water.geometry, crs=areas.crs))
    problems = []
    if dropped:
        problems.append(_problem("ter.net_osm_dropped", kind, "warning", file=name, n=sum(dropped.values()),
                                 values=_values(dropped)))
    frame = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    return frame, dropped, problems


def _column(frame: pd.DataFrame, wanted: tuple[str, ...]) -> str | None:
    folded = {fold(c): c for c in frame.columns if c != frame.geometry.name}
    return next((folded[w] for w in wanted if w in folded), None)


def _classified(name: str, raw: gpd.GeoDataFrame, kind: str) -> tuple[gpd.GeoDataFrame, Counter, list[Problem]]:
    """A GIS file's lines with their class from its class column, and the values not understood."""
    column, problems = _column(raw, CLASS_COLUMNS[kind]), []
    label = _column(raw, NAME_COLUMNS)
    names = raw[label] if label else pd.Series([None] * len(raw), index=raw.index)
    if column is None:
        if kind == "paths":
            cls = pd.Series("path", index=raw.index)
            problems.append(_problem("ter.net_no_class", kind, "warning", file=name, columns=", ".join(CLASS_COLUMNS[kind])))
        else:
            areas = raw.geometry.geom_type.isin(POLYGONS)
            cls = pd.Series(np.where(areas, "lake", "river"), index=raw.index)
            problems.append(_problem("ter.net_kind_by_geometry", kind, "warning", file=name,
                                     columns=", ".join(CLASS_COLUMNS[kind])))
        return gpd.GeoDataFrame({"cls": cls, "name": names}, geometry=raw.geometry, crs=raw.crs), Counter(), problems
    text = raw[column].map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip())
    cls = text.map(lambda v: WORDS[kind].get(fold(v)))
    dropped = Counter(v or "—" for v in text[cls.isna()])
    if dropped:
        allowed = PATH_CLASSES if kind == "paths" else BARRIER_KINDS
        problems.append(_problem("ter.net_unknown", kind, "warning", file=name, column=column, n=sum(dropped.values()),
                                 values=_values(dropped), allowed=", ".join(allowed)))
    keep = cls.notna()
    frame = gpd.GeoDataFrame({"cls": cls[keep], "name": names[keep]}, geometry=raw.geometry[keep], crs=raw.crs)
    return frame, dropped, problems


def read_network(name: str, data: bytes, *, kind: str, communes: gpd.GeoDataFrame, metric_crs: str,
                 margin_m: float) -> NetworkRead:
    """A roads-and-paths (`kind` "paths") or rivers-and-lakes ("barriers") file as the package's
    layer: classified (module docstring), lines (and, for barriers, areas) only, within the
    communes plus `margin_m`, in EPSG:4326. Reads a user's bytes: call it through
    `planner.importing.worker.run("read_network", ...)`."""
    from planner.importing.files import UploadError, read_gis_bytes

    if kind not in KINDS:
        raise ValueError(f"not a network kind: {kind}")
    low = name.lower()
    ext = PurePosixPath(low).suffix
    osm = ext in (".osm", ".pbf")
    fmt = "OpenStreetMap" if osm else ext.lstrip(".").upper()
    if ext not in NET_EXT:
        return _refused(kind, name, fmt, _problem("err.net_extension", kind, file=name, ext=ext or "-",
                                                  known=", ".join(NET_EXT)))
    province = shapely.union_all(list(communes.to_crs(metric_crs).geometry.make_valid()))
    zone = gpd.GeoSeries([province.buffer(margin_m)], crs=metric_crs).to_crs(4326).iloc[0]
    try:
        if osm:
            frame, dropped, problems = _osm(name, data, kind, tuple(zone.bounds))
        else:
            raw = read_gis_bytes(name, data)
            fmt = raw.format.upper()
            if raw.crs is None:
                return _refused(kind, name, fmt, _problem("err.net_no_crs", kind, file=name))
            frame, dropped, problems = _classified(name, raw.frame.to_crs(4326), kind)
    except UploadError as exc:
        return _refused(kind, name, fmt, _problem(exc.key, kind, **exc.params))
    frame = frame[frame.geometry.notna()].copy()
    areas = frame.geometry.geom_type.isin(POLYGONS)
    frame.loc[areas, "geometry"] = frame.geometry[areas].make_valid()
    frame = frame.explode(index_parts=False, ignore_index=True)
    good = frame.geometry.geom_type.isin(GEOMETRIES[kind]) & ~frame.geometry.is_empty
    if (~good).any():
        problems.append(_problem("ter.net_geometry", kind, "warning", file=name, n=int((~good).sum()),
                                 found=", ".join(sorted(set(frame.geometry.geom_type[~good].dropna())))))
    frame = frame[good]
    shapely.prepare(zone)
    inside = shapely.intersects(zone, frame.geometry.to_numpy())
    if (~inside).any():
        problems.append(_problem("ter.net_outside", kind, "warning", file=name, n=int((~inside).sum()),
                                 margin=f"{margin_m:g}"))
    frame = frame[inside]
    if frame.empty:
        problems.append(_problem("err.net_empty", kind, file=name))
        return NetworkRead(kind, name, fmt, None, (), tuple(dropped.most_common()), tuple(problems))
    out = gpd.GeoDataFrame({COLUMN[kind]: frame["cls"].astype(str).to_numpy(),
                            "name": [v if isinstance(v, str) and v.strip() else None for v in frame["name"]]},
                           geometry=frame.geometry.to_numpy(), crs="EPSG:4326")
    order = PATH_CLASSES if kind == "paths" else BARRIER_KINDS
    counts = Counter(out[COLUMN[kind]])
    return NetworkRead(kind, name, fmt, out, tuple((c, counts[c]) for c in order if counts[c]),
                       tuple(dropped.most_common()), tuple(problems))


def rasterize_network(paths: gpd.GeoDataFrame | None, barriers: gpd.GeoDataFrame | None, grid):
    """(path class per cell: 0 none, i + 1 for PATH_CLASSES[i], a road over a track over a path;
    barrier per cell) on `grid` (a `planner.terrain.Grid`): every cell a line touches, every cell
    an area covers or touches."""
    shape = (grid.rows, grid.cols)
    path_class = np.zeros(shape, dtype=np.uint8)
    if paths is not None and len(paths):
        g = paths.to_crs(grid.crs)
        burn = [(geom, PATH_CLASSES.index(c) + 1) for c in reversed(PATH_CLASSES)  # the last burnt wins: roads
                for geom in g.geometry[g["path_class"] == c] if geom is not None and not geom.is_empty]
        if burn:
            path_class = features.rasterize(burn, out_shape=shape, transform=grid.transform, fill=0, all_touched=True,
                                            dtype="uint8")
    barrier = np.zeros(shape, dtype=bool)
    if barriers is not None and len(barriers):
        burn = [(geom, 1) for geom in barriers.to_crs(grid.crs).geometry if geom is not None and not geom.is_empty]
        if burn:
            barrier = features.rasterize(burn, out_shape=shape, transform=grid.transform, fill=0, all_touched=True,
                                         dtype="uint8").astype(bool)
    return path_class, barrier
