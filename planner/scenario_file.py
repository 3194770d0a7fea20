"""One scenario as one file: a GeoPackage that opens in QGIS (proposals as points, parameters as
a table) and comes back without loss (the full scenario is kept as JSON in the parameters)."""
from __future__ import annotations

import pandas as pd

from planner.errors import UsageError
from planner.io import gpkg_bytes, read_gpkg_bytes
from planner.proposals import proposals_frame
from planner.scenarios import Scenario, from_json


def to_gpkg(scenario: Scenario) -> bytes:
    props = proposals_frame(scenario.proposals)
    params = [("name", scenario.name), ("description", scenario.description), ("author", scenario.author),
              ("radius_m", f"{scenario.radius_m:g}"), ("reach_mode", scenario.reach_mode),
              ("walk_minutes", f"{scenario.walk_minutes:g}"), ("preset", scenario.preset or "custom"),
              ("default_cost_vnd", str(scenario.default_cost_vnd))]
    params += [(f"budget_{y}_vnd", str(v)) for y, v in sorted(scenario.budget_by_year.items())]
    params += [("version", str(scenario.version)), ("updated_at", scenario.updated_at),
               ("scenario_json", scenario.to_json())]
    layers = {"parameters": pd.DataFrame(params, columns=["key", "value"])}
    if len(props):
        layers = {"proposals": props} | layers
    return gpkg_bytes(layers)


MAX_SCENARIO_MB = 50  # a scenario file is small: proposals and parameters


def from_gpkg(data: bytes, *, name: str = "GeoPackage") -> Scenario:
    """The scenario in a GeoPackage made by `to_gpkg` (untrusted: size, format, SQL and values are
    checked; every refusal is a PlannerError saying what is wrong)."""
    layers = read_gpkg_bytes(data, max_bytes=MAX_SCENARIO_MB * 1_000_000, name=name)
    params = layers.get("parameters")
    if params is None or "key" not in params or "value" not in params:
        raise UsageError("err.scenario_malformed", detail="no 'parameters' table")
    found = params.loc[params["key"] == "scenario_json", "value"]
    if found.empty:
        raise UsageError("err.scenario_malformed", detail="no 'scenario_json' row in 'parameters'")
    return from_json(str(found.iloc[0]))
