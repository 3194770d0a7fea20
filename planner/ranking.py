"""Transparent commune ranking for land allocation and investment.

Each criterion is a per-commune value scaled to 0..1 (higher = more priority), multiplied by its
normalised weight; the score is the visible sum of those contributions (0..100). Ties go to more
children, then to the lower code.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.errors import UsageError
from planner.package import DataPackage
from planner.summary import Summary, summarize

# name -> how the 0..1 value is made. "binary": 1 when true. "minmax": (x - min) / (max - min)
# over the communes in the package (0 for all when they are all equal). Every direction is
# "more is more priority".
CRITERIA: dict[str, str] = {
    "no_point": "binary",  # no existing play/culture point yet
    "children": "minmax",  # children under 16 living in the commune
    "children_out_of_reach": "minmax",  # children farther than the radius from any point
    "poverty_rate": "minmax",  # share of poor households
    "ethnic_minority_share": "minmax",  # share of ethnic-minority people
    "especially_difficult": "binary",  # especially difficult commune (vùng ĐBKK)
    "schools_without_toilet": "minmax",  # school sites without a standard toilet
    "land_available": "minmax",  # land set aside (m²): a point can be built sooner
}

PRESETS: dict[str, dict[str, float]] = {
    "balanced": {"no_point": 2, "children": 1, "children_out_of_reach": 2, "poverty_rate": 1,
                 "ethnic_minority_share": 1, "especially_difficult": 1, "schools_without_toilet": 1,
                 "land_available": 1},
    "equity_first": {"no_point": 1, "children": 0.5, "children_out_of_reach": 2, "poverty_rate": 3,
                     "ethnic_minority_share": 2, "especially_difficult": 3, "schools_without_toilet": 1,
                     "land_available": 0.5},
    "target_fastest": {"no_point": 6, "children": 1, "children_out_of_reach": 1, "poverty_rate": 0,
                       "ethnic_minority_share": 0, "especially_difficult": 0, "schools_without_toilet": 0,
                       "land_available": 2},
}
DEFAULT_PRESET = "balanced"


def check_weights(weights: dict[str, float]) -> dict[str, float]:
    """Weights for every criterion (missing ones are 0), normalised to sum to 1."""
    unknown = sorted(set(weights) - set(CRITERIA))
    if unknown:
        raise UsageError("err.rank_criterion", names=", ".join(unknown), known=", ".join(CRITERIA))
    out = {}
    for name in CRITERIA:
        raw = weights.get(name, 0.0)
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise UsageError("err.rank_weight", name=name, value=raw) from None
        if not math.isfinite(value) or value < 0:
            raise UsageError("err.rank_weight", name=name, value=raw)
        out[name] = value
    total = sum(out.values())
    if total == 0:
        raise UsageError("err.rank_zero")
    return {k: v / total for k, v in out.items()}


def preset_weights(preset: str) -> dict[str, float]:
    if preset not in PRESETS:
        raise UsageError("err.rank_preset", name=preset, known=", ".join(PRESETS))
    return dict(PRESETS[preset])


def resolve_weights(preset: str | None, weights: dict | None) -> tuple[str | None, dict[str, float]]:
    """The one rule for "preset or custom weights": (preset, its raw weights) when no weights are
    given or they equal the preset's; else (None, the weights as given, every criterion present).
    With neither, the default preset."""
    if preset is not None and preset not in PRESETS:
        raise UsageError("err.rank_preset", name=preset, known=", ".join(PRESETS))
    if not weights:
        chosen = preset or DEFAULT_PRESET
        return chosen, {c: float(w) for c, w in PRESETS[chosen].items()}
    raw = {c: float(weights.get(c, 0.0)) for c in CRITERIA} | {k: v for k, v in weights.items() if k not in CRITERIA}
    for name, values in PRESETS.items():
        if raw == {c: float(w) for c, w in values.items()} and (preset in (None, name)):
            return name, raw
    return None, raw


def parse_weights(text: str) -> dict[str, float]:
    """'no_point=3,children=1' -> {'no_point': 3.0, 'children': 1.0} (checked by check_weights)."""
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        if not sep:
            raise UsageError("err.rank_weights_syntax", part=part)
        out[name.strip()] = value.strip()  # type: ignore[assignment]
    return out


@dataclass(frozen=True)
class Ranking:
    weights: dict  # normalised, every criterion
    preset: str | None  # None for custom weights
    radius_m: float
    table: pd.DataFrame  # by rank: code, name, children, rank, score, <c>_value, <c>_scaled, <c>_points
    communes_with_point: int
    communes_total: int
    rule: object = None  # the ReachRule "children out of reach" was counted under


def criteria_values(package: DataPackage, summary: Summary) -> pd.DataFrame:
    """The raw value of every criterion per commune (indexed by code)."""
    t = summary.communes
    c = package.communes.set_index("code")
    return pd.DataFrame({
        "no_point": ~t["has_point"].to_numpy(dtype=bool),
        "children": t["children"].to_numpy(dtype=float),
        "children_out_of_reach": (t["village_children"] - t["children_within"]).to_numpy(dtype=float),
        "poverty_rate": c["poverty_rate"].reindex(t.index).to_numpy(dtype=float),
        "ethnic_minority_share": c["ethnic_minority_share"].reindex(t.index).to_numpy(dtype=float),
        "especially_difficult": c["especially_difficult"].reindex(t.index).to_numpy(dtype=bool),
        "schools_without_toilet": (t["schools"] - t["schools_toilet"]).to_numpy(dtype=float),
        "land_available": c["land_available_m2"].reindex(t.index).to_numpy(dtype=float),
    }, index=t.index)


def scale(values: pd.Series, how: str) -> np.ndarray:
    v = values.to_numpy(dtype=float)
    if how == "binary":
        return v
    lo, hi = np.min(v), np.max(v)
    return np.zeros_like(v) if hi == lo else (v - lo) / (hi - lo)


def rank_values(values: pd.DataFrame, names: pd.Series, children: pd.Series, weights: dict[str, float]) -> pd.DataFrame:
    """The ranked table from raw criterion values: the array-level door, no geometry needed."""
    w = check_weights(weights)
    out = pd.DataFrame({"code": values.index, "name": names.reindex(values.index).to_numpy(),
                        "children": children.reindex(values.index).to_numpy()})
    score = np.zeros(len(values))
    for name, how in CRITERIA.items():
        scaled = scale(values[name], how)
        points = 100.0 * w[name] * scaled
        out[f"{name}_value"] = values[name].to_numpy()
        out[f"{name}_scaled"] = scaled
        out[f"{name}_points"] = points
        score += points
    out["score"] = score
    out = out.sort_values(["score", "children", "code"], ascending=[False, False, True], kind="mergesort")
    out.insert(3, "rank", np.arange(1, len(out) + 1))
    return out.reset_index(drop=True)


def rank(package: DataPackage, *, weights: dict[str, float] | None = None, preset: str | None = None,
         radius_m: float, summary: Summary | None = None) -> Ranking:
    """Rank communes with a preset or custom weights (custom wins when both are given)."""
    if weights is None:
        preset = preset or DEFAULT_PRESET
        weights = preset_weights(preset)
    else:
        preset = None
    summary = summary or summarize(package, radius_m=radius_m)
    values = criteria_values(package, summary)
    table = rank_values(values, summary.communes["name"], summary.communes["children"], weights)
    return Ranking(check_weights(weights), preset, summary.radius_m, table,
                   summary.play_point.achieved, summary.play_point.total, summary.rule)


def target_path(ranking: Ranking) -> pd.DataFrame:
    """Communes without a point in priority order, with the running count of communes that would
    have one and the year whose target each step reaches (marked on the step that reaches it)."""
    from planner.targets import indicator

    todo = ranking.table[ranking.table["no_point_value"].astype(bool)]
    ind = indicator("play_point", achieved=ranking.communes_with_point, total=ranking.communes_total)
    path = pd.DataFrame({
        "step": np.arange(1, len(todo) + 1),
        "code": todo["code"].to_numpy(),
        "name": todo["name"].to_numpy(),
        "score": todo["score"].to_numpy(),
        "communes_with_point": ranking.communes_with_point + np.arange(1, len(todo) + 1),
    })
    path["share"] = path["communes_with_point"] / ranking.communes_total
    path["reaches"] = ""
    for g in ind.gaps:
        if g.needed > 0 and g.needed <= len(path):
            path.loc[g.needed - 1, "reaches"] = (path.loc[g.needed - 1, "reaches"] + f" {g.year}").strip()
    return path


def top_reasons(ranking: Ranking, code: str, *, n: int = 3) -> tuple[int, float, list[tuple[str, float, float]]]:
    """(rank, score, [(criterion, raw value, points), ...]) for the biggest contributions."""
    row = ranking.table.loc[ranking.table["code"] == code].iloc[0]
    parts = sorted(((c, row[f"{c}_value"], row[f"{c}_points"]) for c in CRITERIA), key=lambda p: -p[2])
    return int(row["rank"]), float(row["score"]), [p for p in parts[:n] if p[2] > 0]


def explain(ranking: Ranking, code: str, lang: str) -> str:
    """One sentence in the user's language: where the commune ranks and its biggest reasons."""
    from planner.formats import fmt_int, fmt_num, fmt_pct
    from planner.i18n import t

    position, score, reasons = top_reasons(ranking, code)
    name = ranking.table.loc[ranking.table["code"] == code, "name"].iloc[0]
    total = len(ranking.table)

    def shown(criterion: str, value) -> str:
        if criterion in ("poverty_rate", "ethnic_minority_share"):
            return fmt_pct(float(value), lang, 0)
        return fmt_int(float(value), lang)

    parts = [f"{t(f'why.{c}', lang, value=shown(c, v))} (+{fmt_num(p, lang)})" for c, v, p in reasons]
    head = dict(name=name, rank=position, total=total, score=fmt_num(score, lang))
    if not parts:
        return t("rank.explain_none", lang, **head)
    return t("rank.explain", lang, reasons="; ".join(parts), **head)
