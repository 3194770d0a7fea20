"""The data package: which files, which columns, which types and values (DESIGN.md)."""
from __future__ import annotations

from dataclasses import dataclass

TEXT, INT, FLOAT, BOOL = "text", "integer", "number", "boolean"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # TEXT, INT, FLOAT or BOOL
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False


@dataclass(frozen=True)
class Layer:
    name: str
    path: str  # relative to the package folder
    geometry: str  # "polygon", "point", "line" or "line_or_polygon"
    columns: tuple[Column, ...]
    required: bool = True


SHARE = dict(minimum=0.0, maximum=1.0)
PATH_CLASSES = ("road", "track", "path")  # = planner.walking.PATH_CLASSES (tests/test_terrain.py checks)
BARRIER_KINDS = ("river", "lake")

LAYERS: tuple[Layer, ...] = (
    Layer(
        "communes",
        "boundaries/communes.geojson",
        "polygon",
        (
            Column("code", TEXT, unique=True),
            Column("name", TEXT),
            Column("kind", TEXT, allowed=("xã", "phường", "thị trấn")),
            Column("area_km2", FLOAT, minimum=0.0),
            Column("population", INT, minimum=0),
            Column("children", INT, minimum=0),
            Column("ethnic_minority_share", FLOAT, **SHARE),
            Column("poverty_rate", FLOAT, **SHARE),
            Column("especially_difficult", BOOL),
            Column("child_friendly", BOOL),
            Column("land_available_m2", FLOAT, minimum=0.0),
        ),
    ),
    Layer(
        "communes_2024",
        "boundaries/communes_2024.geojson",
        "polygon",
        (
            Column("code", TEXT, unique=True),
            Column("name", TEXT),
            Column("district", TEXT),
            Column("new_code", TEXT),
        ),
        required=False,
    ),
    Layer(
        "villages",
        "boundaries/villages.geojson",
        "point",
        (
            Column("id", TEXT, unique=True),
            Column("name", TEXT),
            Column("commune_code", TEXT),
            Column("population", INT, minimum=0),
            Column("children", INT, minimum=0),
        ),
    ),
    Layer(
        "play_points",
        "facilities/play_points.geojson",
        "point",
        (
            Column("id", TEXT, unique=True),
            Column("name", TEXT),
            Column("kind", TEXT, allowed=("play_area", "culture_point")),
            Column("commune_code", TEXT),
            Column("status", TEXT, allowed=("existing", "under_construction")),
            Column("year", INT, minimum=1900, maximum=2100),
            Column("area_m2", FLOAT, minimum=0.0),
        ),
    ),
    Layer(
        "schools",
        "facilities/schools.geojson",
        "point",
        (
            Column("id", TEXT, unique=True),
            Column("name", TEXT),
            Column("level", TEXT, allowed=("mam_non", "tieu_hoc", "thcs", "th_thcs", "thpt")),
            Column("is_satellite", BOOL),
            Column("students", INT, minimum=0),
            Column("commune_code", TEXT),
            Column("has_standard_toilet", BOOL),
            Column("has_psych_support", BOOL),
        ),
    ),
    Layer(
        "toilets",
        "facilities/toilets.geojson",
        "point",
        (
            Column("id", TEXT, unique=True),
            Column("facility_id", TEXT),
            Column("facility_kind", TEXT, allowed=("school", "play_point", "public")),
            Column("standard", BOOL),
        ),
        required=False,
    ),
    Layer(
        "candidate_sites",
        "facilities/candidate_sites.geojson",
        "point",
        (
            Column("id", TEXT, unique=True),
            Column("commune_code", TEXT),
            Column("area_m2", FLOAT, minimum=0.0),
            Column("land_status", TEXT, allowed=("public_land", "school_ground", "needs_acquisition")),
            Column("est_cost_vnd", FLOAT, minimum=0.0),
        ),
        required=False,
    ),
    # walking time (issue 15, planner/terrain.py, planner/network.py): an optional `name` column too
    Layer("paths", "terrain/paths.geojson", "line", (Column("path_class", TEXT, allowed=PATH_CLASSES),), required=False),
    Layer("barriers", "terrain/barriers.geojson", "line_or_polygon", (Column("kind", TEXT, allowed=BARRIER_KINDS),),
          required=False),
)

LAYER_BY_NAME = {layer.name: layer for layer in LAYERS}
MANIFEST = "package.json"
# the elevation model: GeoTIFF, one float32 band, NaN nodata, in the package's metric CRS (planner/terrain.py)
ELEVATION = "terrain/elevation.tif"
