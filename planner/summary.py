"""The figures the Overview shows and `planner summary` prints, from one data package."""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.coverage import Reach, reach
from planner.package import DataPackage
from planner.projection import metric_crs_of
from planner.reach import DEFAULT_RADIUS_M, Measure, ReachRule, measure_for
from planner.targets import Indicator, indicator


@dataclass(frozen=True)
class Summary:
    rule: ReachRule  # how reach was measured: straight-line metres or walking minutes
    play_point: Indicator  # communes with >= 1 existing play/culture point
    child_friendly: Indicator
    school_toilet: Indicator  # every school site, satellites included
    psych_support: Indicator  # main schools (support is organised per school)
    reach: Reach
    communes: pd.DataFrame  # one row per commune, indexed by code, in package order
    legacy_with_point: int | None  # on the pre-2025 communes, where the package has them
    legacy_total: int | None
    village_cost: np.ndarray | None = None  # each village's metres or minutes to the nearest point counted
    snapped: dict | None = None  # walking: villages and points moved onto a passable cell ({"villages": Snap.report(), ...})

    @property
    def radius_m(self) -> float:
        return self.rule.radius_m

    def to_json(self) -> dict:
        """Plain JSON-ready figures (what `planner summary --json` prints)."""
        pp = self.play_point
        out = {
            "reach_mode": self.rule.mode,
            "radius_m": self.rule.radius_m if not self.rule.walking else None,
            "walk_minutes": self.rule.minutes if self.rule.walking else None,
            "metric_crs": self.reach.metric_crs,
            "communes_total": pp.total,
            "communes_with_point": pp.achieved,
            "share_with_point": float(pp.share),
            "share_with_point_exact": f"{pp.achieved}/{pp.total}",
            "needed_2025": pp.gap(2025).needed,
            "needed_2030": pp.gap(2030).needed,
            "children_total": self.reach.children_total,
            "children_within_reach": self.reach.children_within,
            "people_total": self.reach.people_total,
            "people_within_reach": self.reach.people_within,
            "schools_total": self.school_toilet.total,
            "schools_with_standard_toilet": self.school_toilet.achieved,
            "school_toilet_share": float(self.school_toilet.share),
            "main_schools_total": self.psych_support.total,
            "main_schools_with_psych_support": self.psych_support.achieved,
            "psych_support_share": float(self.psych_support.share),
            "child_friendly_communes": self.child_friendly.achieved,
            "child_friendly_share": float(self.child_friendly.share),
            "legacy_communes_total": self.legacy_total,
            "legacy_communes_with_point": self.legacy_with_point,
        }
        if self.snapped is not None:
            out["snapped"] = self.snapped
        out["targets"] = {
            ind.key: [
                {"year": g.year, "target": float(g.target), "required": g.required, "needed": g.needed, "met": g.met}
                for g in ind.gaps
            ]
            for ind in (self.play_point, self.child_friendly, self.school_toilet, self.psych_support)
        }
        return out


def existing_points(package: DataPackage) -> gpd.GeoDataFrame:
    pts = package.play_points
    return pts[pts["status"] == "existing"]


def existing_distance_m(package: DataPackage) -> np.ndarray:
    """Each village's distance to the nearest existing point, in metres (for `summarize`)."""
    return Measure(package).to_nearest(existing_points(package))


def summarize(package: DataPackage, *, radius_m: float = DEFAULT_RADIUS_M, rule: ReachRule | None = None,
              extra_points: gpd.GeoDataFrame | None = None, distance_m: np.ndarray | None = None,
              measure: Measure | None = None) -> Summary:
    """Every Overview figure. `extra_points` (proposed sites) count as existing when given.
    `rule` says how reach is measured (default: straight line within `radius_m`); `measure` is
    the package's measure for that rule (built when not given; the walking one is costly).
    `distance_m`: each village's distance or time to the nearest existing point, when the
    caller keeps it to answer every limit without searching again."""
    rule = rule or ReachRule(radius_m=radius_m)
    measure = measure or measure_for(package, rule)
    communes = package.communes
    codes = pd.Index(communes["code"], name="code")
    pts = existing_points(package)
    cost = measure.to_nearest(pts) if distance_m is None else np.asarray(distance_m)
    if extra_points is not None and len(extra_points):
        cost = np.minimum(cost, measure.to_nearest(extra_points, limit=rule.limit))
        pts = pd.concat([pts[["commune_code", "geometry"]], extra_points[["commune_code", "geometry"]]], ignore_index=True)
        pts = gpd.GeoDataFrame(pts, geometry="geometry", crs=package.play_points.crs)
    n_points = pts.groupby("commune_code").size().reindex(codes, fill_value=0)
    schools = package.schools
    main = schools[~schools["is_satellite"]]
    r = reach(package.villages, commune_codes=codes, metric_crs=metric_crs_of(communes), within=cost <= rule.limit,
              mode=rule.mode, limit=rule.limit)
    school_n = schools.groupby("commune_code").size().reindex(codes, fill_value=0)
    school_ok = schools[schools["has_standard_toilet"]].groupby("commune_code").size().reindex(codes, fill_value=0)
    table = pd.DataFrame({
        "name": communes["name"].to_numpy(),
        "kind": communes["kind"].to_numpy(),
        "population": communes["population"].to_numpy(),
        "children": communes["children"].to_numpy(),
        "points": n_points.to_numpy(),
        "has_point": (n_points > 0).to_numpy(),
        "children_within": r.by_commune["children_within"].to_numpy(),
        "village_children": r.by_commune["children"].to_numpy(),
        "schools": school_n.to_numpy(),
        "schools_toilet": school_ok.to_numpy(),
        "child_friendly": communes["child_friendly"].to_numpy(),
        "especially_difficult": communes["especially_difficult"].to_numpy(),
        "poverty_rate": communes["poverty_rate"].to_numpy(),
        "ethnic_minority_share": communes["ethnic_minority_share"].to_numpy(),
    }, index=codes)
    vc = table["village_children"].where(table["village_children"] > 0)
    table["reach_share"] = (table["children_within"] / vc).fillna(0.0)
    legacy_with, legacy_total = None, None
    if package.communes_2024 is not None:
        legacy = package.communes_2024
        hit = gpd.sjoin(pts[["geometry"]], legacy[["code", "geometry"]], predicate="within", how="inner")
        legacy_with, legacy_total = int(hit["code"].nunique()), len(legacy)
    return Summary(
        rule=rule,
        play_point=indicator("play_point", achieved=int((n_points > 0).sum()), total=len(communes)),
        child_friendly=indicator("child_friendly", achieved=int(communes["child_friendly"].sum()), total=len(communes)),
        school_toilet=indicator("school_toilet", achieved=int(schools["has_standard_toilet"].sum()), total=len(schools)),
        psych_support=indicator("psych_support", achieved=int(main["has_psych_support"].sum()), total=len(main)),
        reach=r,
        communes=table,
        legacy_with_point=legacy_with,
        legacy_total=legacy_total,
        village_cost=cost,
        snapped=measure.snapped(pts) if rule.walking else None,
    )
