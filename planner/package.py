"""The data package as the computations see it: checked layers plus where they came from."""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd

from planner.errors import Problem


@dataclass(frozen=True)
class DataPackage:
    """Checked layers in EPSG:4326. Optional layers are None when the package lacks them.

    Treat the frames as read-only: one package is shared by every session of the app.
    """

    communes: gpd.GeoDataFrame
    villages: gpd.GeoDataFrame
    play_points: gpd.GeoDataFrame
    schools: gpd.GeoDataFrame
    toilets: gpd.GeoDataFrame | None = None
    candidate_sites: gpd.GeoDataFrame | None = None
    communes_2024: gpd.GeoDataFrame | None = None
    paths: gpd.GeoDataFrame | None = None  # roads, tracks and paths (column path_class), for walking
    barriers: gpd.GeoDataFrame | None = None  # rivers and lakes no one walks across but by a path
    terrain_file: str = ""  # the elevation GeoTIFF (terrain/elevation.tif), "" when the package has none
    manifest: dict = field(default_factory=dict)
    source: str = ""
    warnings: tuple[Problem, ...] = ()

    @property
    def is_demo(self) -> bool:
        return bool(self.manifest.get("demo", False))

    @property
    def has_terrain(self) -> bool:
        """Whether walking time can be computed: the package has an elevation model."""
        return bool(self.terrain_file)

    @property
    def name(self) -> str:
        return str(self.manifest.get("name") or self.source)

    def display_name(self, lang: str) -> str:
        """The package's name in the user's language, when the manifest has one."""
        return str(self.manifest.get(f"name_{lang}") or self.name)
