"""What an import changes in the current data package, before anything is written: rows per layer
and the headline figures (`import_effect`), and one way to say it (`effect_rows`), shared by the
Data page and `python -m planner import`.
"""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd

from planner.contracts import LAYERS
from planner.errors import DataPackageError, Problem
from planner.i18n import t
from planner.formats import fmt_int, fmt_pct
from planner.importing.plan import REQUIRED, ImportPlan
from planner.package import DataPackage
from planner.summary import DEFAULT_RADIUS_M, summarize


@dataclass(frozen=True)
class LayerChange:
    """One layer's rows before and after an import; `dropped`: rows of the package whose id (code for
    communes) the new layer no longer has; `mode`: "add" or "replace" for a list file over the package."""

    layer: str
    before: int
    after: int
    dropped: int = 0
    mode: str = ""


@dataclass(frozen=True)
class ImportEffect:
    """What an import changes in the current package: rows per layer and the headline figures
    (play points, communes with an existing point, children within `radius_m` of one)."""

    layer_rows: tuple[LayerChange, ...]
    points_before: int
    points_after: int
    communes_with_point_before: int
    communes_with_point_after: int
    communes_total_before: int
    communes_total_after: int
    children_within_before: int
    children_within_after: int
    radius_m: float

    @property
    def share_before(self) -> float:
        return self.communes_with_point_before / self.communes_total_before if self.communes_total_before else 0.0

    @property
    def share_after(self) -> float:
        return self.communes_with_point_after / self.communes_total_after if self.communes_total_after else 0.0

    @property
    def dropped(self) -> tuple[LayerChange, ...]:
        """Layers losing rows of the package (a replaced list without some of its ids)."""
        return tuple(c for c in self.layer_rows if c.dropped)

    @property
    def mode(self) -> str:
        """The mode ("add" or "replace") of the lists taken over the package's (one choice serves
        every list of an import); "" when there are none."""
        return next((c.mode for c in self.layer_rows if c.mode), "")

    def to_json(self) -> dict:
        return {
            "layers": [{"layer": c.layer, "before": c.before, "after": c.after, "dropped": c.dropped, "mode": c.mode}
                       for c in self.layer_rows],
            "radius_m": self.radius_m,
            "play_points": [self.points_before, self.points_after],
            "communes_with_point": [self.communes_with_point_before, self.communes_with_point_after],
            "communes_total": [self.communes_total_before, self.communes_total_after],
            "children_within_radius": [self.children_within_before, self.children_within_after],
        }


def _keys(gdf: gpd.GeoDataFrame | None, layer: str) -> set:
    column = "code" if layer in ("communes", "communes_2024") else "id"
    return set() if gdf is None or column not in gdf.columns else set(gdf[column])


def import_effect(plan: ImportPlan, package: DataPackage, *, radius_m: float = DEFAULT_RADIUS_M) -> ImportEffect:
    """Rows per layer and the headline figures of `package` and of the package the plan would write,
    both through `summarize` at `radius_m`. Nothing is written. The plan must be a complete import
    with no errors (DataPackageError otherwise: its figures would mean nothing)."""
    missing = [k for k in REQUIRED if k not in plan.layers]
    if not plan.ok or missing:
        errors = plan.errors or (Problem("imp.missing_kind", dict(kinds=", ".join(missing))),)
        raise DataPackageError("err.imp_not_ready", problems=errors, path=package.source)
    after = DataPackage(**{l.name: plan.layers.get(l.name) for l in LAYERS}, manifest=dict(plan.manifest),
                        source=str(plan.manifest.get("name", "")))
    changes = []
    for l in LAYERS:
        old, new = getattr(package, l.name), plan.layers.get(l.name)
        if old is None and new is None:
            continue
        dropped = len(_keys(old, l.name) - _keys(new, l.name)) if old is not None and new is not old else 0
        changes.append(LayerChange(l.name, 0 if old is None else len(old), 0 if new is None else len(new), dropped,
                                   plan.modes.get(l.name, "")))
    s0, s1 = summarize(package, radius_m=radius_m), summarize(after, radius_m=radius_m)
    return ImportEffect(
        layer_rows=tuple(changes),
        points_before=len(package.play_points), points_after=len(after.play_points),
        communes_with_point_before=s0.play_point.achieved, communes_with_point_after=s1.play_point.achieved,
        communes_total_before=s0.play_point.total, communes_total_after=s1.play_point.total,
        children_within_before=int(s0.reach.children_within), children_within_after=int(s1.reach.children_within),
        radius_m=float(radius_m),
    )


def effect_rows(effect: ImportEffect, lang: str) -> list[tuple[str, str]]:
    """(what, "before → after") in `lang`: the rows of each layer that changes (or that a list file
    was added to or replaced), then play points, communes with a point (of all communes, with the
    share) and children within reach. The Data page shows them as a table, the command line as lines."""

    def change(before: str, after: str) -> str:
        return f"{before} → {after}"

    def share(achieved: int, total: int, value: float) -> str:
        return f"{fmt_int(achieved, lang)}/{fmt_int(total, lang)} ({fmt_pct(value, lang)})"

    rows = [(t("data.effect_rows", lang, layer=t(f"imp.kind.{c.layer}", lang)),
             change(fmt_int(c.before, lang), fmt_int(c.after, lang)))
            for c in effect.layer_rows if c.before != c.after or c.mode or c.dropped]
    return rows + [
        (t("data.effect_points", lang), change(fmt_int(effect.points_before, lang), fmt_int(effect.points_after, lang))),
        (t("data.effect_communes", lang),
         change(share(effect.communes_with_point_before, effect.communes_total_before, effect.share_before),
                share(effect.communes_with_point_after, effect.communes_total_after, effect.share_after))),
        (t("data.effect_children", lang, within=t("reach.within_line", lang, radius=fmt_int(effect.radius_m, lang))),
         change(fmt_int(effect.children_within_before, lang), fmt_int(effect.children_within_after, lang))),
    ]
