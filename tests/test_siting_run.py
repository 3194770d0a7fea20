"""One optimiser call for the page and the CLI (planner.site_plan.run): hand-checked figures on a
hand-made package, the CLI against `run` on the demo, every bad request, the greedy report."""
from __future__ import annotations

import csv
import io

import geopandas as gpd
import pytest
from shapely.geometry import Point

from planner.candidates import SOURCES
from planner.cli import main
from planner.errors import UsageError
from planner.i18n import TEXT
from planner.io import DEMO_DIR, read_package, write_package
from planner.site_plan import EXACT_TIME_LIMIT_S, SitePlan, SitingRequest, note_text, parameters, run
from tests.conftest import UTM, X0, Y0, tiny_layers

# The four 10 km communes of tests/conftest.py (A, B, C, D from west to east; x, y in km from
# A's south-west corner). One existing point, P1 in A at (5, 5): 1 of 4 communes has a point,
# and both the 2025 (30%) and 2030 (35%) targets need 2, so one more commune.
# Villages (children), radius 2 km:
#   A0 (5.5, 5) 10, 0.5 km from P1: already reached
#   V1 (13, 5) in B 60    V2 (1, 9) in A 45    V3 (9, 9) in A 45 (both 5.66 km from P1)
#   C1 (25, 5) in C 5
# Candidate sites, each on one village and 4 km or more from every other village:
#   K1 on V1, in B, 600 M   K2 on V2, in A, 500 M   K3 on V3, in A, 500 M   K4 on C1, in C, 100 M
M = 1_000_000
VILLAGES = [("A0", "001", 5_500, 5_000, 10), ("V1", "002", 13_000, 5_000, 60), ("V2", "001", 1_000, 9_000, 45),
            ("V3", "001", 9_000, 9_000, 45), ("C1", "003", 25_000, 5_000, 5)]
SITES = [("K1", "002", 13_000, 5_000, 600 * M), ("K2", "001", 1_000, 9_000, 500 * M),
         ("K3", "001", 9_000, 9_000, 500 * M), ("K4", "003", 25_000, 5_000, 100 * M)]


@pytest.fixture(scope="module")
def trap(tmp_path_factory):
    layers = tiny_layers()
    layers["villages"] = gpd.GeoDataFrame(
        [dict(id=i, name=f"Bản {i}", commune_code=c, population=4 * ch, children=ch, geometry=Point(X0 + x, Y0 + y))
         for i, c, x, y, ch in VILLAGES], geometry="geometry", crs=UTM).to_crs(4326)
    communes = layers["communes"].copy()
    sums = layers["villages"].groupby("commune_code")[["population", "children"]].sum()
    for col in ("population", "children"):
        communes[col] = communes["code"].map(sums[col]).fillna(0).astype(int)
    layers["communes"] = communes
    p = layers["play_points"]
    layers["play_points"] = p[p["id"] == "P1"].reset_index(drop=True)
    layers["candidate_sites"] = gpd.GeoDataFrame(
        [dict(id=i, commune_code=c, area_m2=400.0, land_status="public_land", est_cost_vnd=float(cost),
              geometry=Point(X0 + x, Y0 + y)) for i, c, x, y, cost in SITES], geometry="geometry", crs=UTM).to_crs(4326)
    return read_package(write_package(layers, {"name": "trap", "demo": False}, tmp_path_factory.mktemp("trap") / "pkg"))


def figures(result, sp: SitePlan | None = None):
    ids = None if sp is None else sorted(sp.sites["id"])
    return ids, result.children_newly_reached, result.communes_newly_with_point, result.total_cost_vnd


def test_greedy_falls_into_the_budget_trap_and_exact_does_not(trap):
    # Budget 1 bn. Children per 100 M: K1 10, K2 9, K3 9, K4 5. Greedy takes K1 (400 M left), cannot
    # afford K2 or K3, takes K4: 65 children, communes B and C, 700 M. Exact: K2 + K3 cost exactly
    # 1 bn and reach 90 children, in A, which has a point already (no commune gained).
    sp = run(trap, SitingRequest(budget_vnd=1_000 * M, sources=("candidate_sites",)))
    assert figures(sp.result, sp) == (["K2", "K3"], 90, 0, 1_000 * M)
    assert (sp.result.method, sp.result.status, sp.note) == ("exact", "optimal", None)
    assert figures(sp.fast) == (None, 65, 2, 700 * M)
    assert sp.sites.set_index("id")["children_newly_within"].to_dict() == {"K2": 45, "K3": 45}
    assert sp.fast.method == "greedy" and sp.fast.chosen == (0, 3)  # rows of the candidates: K1, K4


def test_greedy_method_returns_the_fast_answer(trap):
    sp = run(trap, SitingRequest(budget_vnd=1_000 * M, method="greedy", sources=("candidate_sites",)))
    assert figures(sp.result, sp) == (["K1", "K4"], 65, 2, 700 * M)
    assert sp.fast is sp.result and sp.note is None and sp.result.status == "heuristic"


@pytest.mark.parametrize("year", [2025, 2030])
@pytest.mark.parametrize("method", ["exact", "greedy"])
def test_target_year_puts_a_commune_first(trap, year, method):
    # One more commune needed: exact gives up K2 + K3 (90 children, no commune) for K1 + K4
    # (65 children, B and C); {K1} alone (60) or K2 + K4 (50) reach fewer. Greedy first takes the
    # commune site with the best (W + children) per VND, K4 (W = 156), then K1 by children per VND.
    sp = run(trap, SitingRequest(budget_vnd=1_000 * M, target_year=year, method=method, sources=("candidate_sites",)))
    assert figures(sp.result, sp) == (["K1", "K4"], 65, 2, 700 * M)
    assert sp.target_year == year


def test_max_new_and_default_cost(trap):
    # At most one site: the best single site by children is K1 (60); greedy also takes K1.
    sp = run(trap, SitingRequest(budget_vnd=10**12, max_new=1, sources=("candidate_sites",)))
    assert figures(sp.result, sp) == (["K1"], 60, 1, 600 * M) and figures(sp.fast) == (None, 60, 1, 600 * M)
    # Villages as candidates at the default cost of 200 M each: with 400 M, V1 + one of V2, V3
    # (60 + 45); A0 is reached already, C1 brings only 5.
    sp = run(trap, SitingRequest(budget_vnd=400 * M, sources=("villages",), default_cost_vnd=200 * M))
    assert sp.result.children_newly_reached == 105 and sp.result.total_cost_vnd == 400 * M
    assert sorted(sp.sites["id"])[0] == "V1" and set(sp.sites["id"]) - {"V1"} <= {"V2", "V3"} and len(sp.sites) == 2
    assert set(sp.sites["source"]) == {"villages"} and set(sp.sites["cost_vnd"]) == {200 * M}


def test_on_greedy_is_called_once_with_the_greedy_answer(trap):
    for method in ("exact", "greedy"):
        seen = []
        sp = run(trap, SitingRequest(budget_vnd=1_000 * M, method=method, sources=("candidate_sites",)), on_greedy=seen.append)
        assert len(seen) == 1 and seen[0] is sp.fast and seen[0].method == "greedy"


def test_the_plan_keeps_its_request(trap):
    req = SitingRequest(budget_vnd=1_000 * M, radius_m=2000, max_new=3, sources=("candidate_sites",))
    sp = run(trap, req)
    assert sp.request is req
    assert (sp.radius_m, sp.budget_vnd, sp.target_year, sp.max_new, sp.sources) == (2000.0, 1_000 * M, None, 3, ("candidate_sites",))
    rows = {p.label: p.value for p in parameters(sp, trap, "en")}
    assert rows["Budget (VND)"] == 1_000 * M and rows["Most new points"] == 3
    assert rows["Default cost of a point (VND)"] == 1_500 * M and rows["Time limit (s)"] == EXACT_TIME_LIMIT_S
    assert rows["Candidate sources"] == "Candidate sites" and rows["Children newly within reach"] == 90
    assert "Note" not in rows


def test_a_stopped_exact_run_keeps_its_note(trap, monkeypatch):
    import planner.siting

    real = planner.siting.SitingProblem.solve_exact

    def stopped(problem, *, time_limit_s, mip_rel_gap=0.0):
        r = real(problem, time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap)
        return planner.siting.SitingResult(r.method, (), 0, 0, 0, 0.0, "time_limit", None, r.seconds)  # found nothing

    monkeypatch.setattr(planner.siting.SitingProblem, "solve_exact", stopped)
    sp = run(trap, SitingRequest(budget_vnd=1_000 * M, sources=("candidate_sites",), time_limit_s=5))
    assert sp.result is sp.fast and figures(sp.result, sp) == (["K1", "K4"], 65, 2, 700 * M)
    assert sp.note == ("opt.no_solution", {"limit": 5, "status": "time_limit"})
    assert {p.label: p.value for p in parameters(sp, trap, "en")}["Note"] == note_text(sp.note, "en") == (
        "The solver found no answer within 5 s (status: stopped at the time limit); showing the fast answer instead.")


# --- bad requests ---------------------------------------------------------------------------

@pytest.mark.parametrize("fields, key, value", [
    (dict(budget_vnd=-1), "err.siting_budget", -1),
    (dict(budget_vnd="lots"), "err.siting_budget", "lots"),
    (dict(budget_vnd=float("nan")), "err.siting_budget", float("nan")),
    (dict(budget_vnd=True), "err.siting_budget", True),
    (dict(target_year=2027), "err.siting_year", 2027),
    (dict(target_year="2027"), "err.siting_year", "2027"),
    (dict(method="best"), "err.siting_method", "best"),
    (dict(max_new=-1), "err.siting_max_new", -1),
    (dict(max_new=1.5), "err.siting_max_new", 1.5),
    (dict(sources=("parks",)), "err.siting_source", "parks"),
    (dict(sources=("villages", "parks")), "err.siting_source", "parks"),
    (dict(sources=None), "err.siting_source", None),
    (dict(default_cost_vnd=-5), "err.siting_cost", -5),
    (dict(default_cost_vnd="cheap"), "err.siting_cost", "cheap"),
    (dict(time_limit_s=0), "err.siting_time", 0),
    (dict(time_limit_s="soon"), "err.siting_time", "soon"),
    (dict(time_limit_s=float("inf")), "err.siting_time", float("inf")),
    (dict(radius_m=0), "err.radius", 0),
    (dict(radius_m="far"), "err.radius", "far"),
])
def test_bad_request(fields, key, value):
    with pytest.raises(UsageError) as err:
        SitingRequest(**{"budget_vnd": 10**9, **fields})
    assert err.value.key == key and str(err.value.params["value"]) == str(value)
    assert err.value.message("vi") != err.value.message("en")  # both languages have the message


def test_bad_year_and_source_say_what_is_allowed():
    with pytest.raises(UsageError) as err:
        SitingRequest(budget_vnd=10**9, target_year=2027)
    assert err.value.message("en") == "Unsupported target year: 2027; use 2025, 2030"
    with pytest.raises(UsageError) as err:
        SitingRequest.from_text(budget_vnd="1e9", sources="villages, parks")
    assert err.value.message("en") == "Unsupported candidate source: parks; use candidate_sites, school_grounds, villages"


def test_request_from_text_is_normalised():
    req = SitingRequest.from_text(budget_vnd="2e10", radius_m="1500", target_year="2030", method="greedy", max_new="4",
                                  sources=" villages,school_grounds,villages ", default_cost_vnd="1.2e9", time_limit_s="7.5")
    assert req == SitingRequest(budget_vnd=20_000_000_000, radius_m=1500.0, target_year=2030, method="greedy", max_new=4,
                                sources=("villages", "school_grounds"), default_cost_vnd=1_200_000_000, time_limit_s=7.5)
    assert type(req.budget_vnd) is int and type(req.default_cost_vnd) is int and type(req.radius_m) is float
    assert SitingRequest.from_text(budget_vnd="20000000000000000001").budget_vnd == 20_000_000_000_000_000_001  # exact
    assert SitingRequest.from_text(budget_vnd="1000.9").budget_vnd == 1000  # whole đồng
    plain = SitingRequest.from_text(budget_vnd="5", target_year="", max_new=None)
    assert (plain.target_year, plain.max_new, plain.sources, plain.method) == (None, None, SOURCES, "exact")
    assert SitingRequest.from_text(budget_vnd="5", max_new="0").max_new == 0


def test_default_time_limit_is_read_when_the_request_is_made(monkeypatch):
    # so that a shorter limit set for a test (tests/test_faults.py) reaches the page's request
    monkeypatch.setattr("planner.site_plan.EXACT_TIME_LIMIT_S", 5.0)
    assert SitingRequest(budget_vnd=1).time_limit_s == 5.0
    assert SitingRequest(budget_vnd=1, time_limit_s=2).time_limit_s == 2.0


def test_run_reports_package_problems(tiny_dir):
    # the tiny package has no candidate_sites file: nothing to choose from
    with pytest.raises(UsageError) as err:
        run(read_package(tiny_dir), SitingRequest(budget_vnd=10**9, sources=("candidate_sites",)))
    assert err.value.key == "err.siting_no_candidates"


# --- the CLI gives the figures of `run` -----------------------------------------------------

def read_sites_csv(path):
    """(parameters, table rows) of an English sites CSV: the table alone (header on line 1) and
    its parameters in the NAME.params.csv beside it."""
    table = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    side = path.with_name(path.stem + ".params.csv")
    params = {row["Parameter"]: row["Value"] for row in csv.DictReader(io.StringIO(side.read_text(encoding="utf-8-sig")))}
    return params, table


@pytest.mark.parametrize("args, request_", [
    ([], SitingRequest(budget_vnd=20_000_000_000)),
    (["--method", "greedy"], SitingRequest(budget_vnd=20_000_000_000, method="greedy")),
    (["--target-year", "2030"], SitingRequest(budget_vnd=20_000_000_000, target_year=2030)),
])
def test_cli_gives_the_figures_of_run(args, request_, demo, tmp_path, capsys):
    out = tmp_path / "s.csv"
    assert main(["site", "--budget-vnd", "20000000000", *args, "--lang", "en", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    params, rows = read_sites_csv(out)
    sp = run(read_package(DEMO_DIR), request_)
    r = sp.result
    assert [row["Site"] for row in rows] == list(sp.sites["id"]) and len(rows) == len(r.chosen) > 0
    assert [int(row["Children newly within reach"]) for row in rows] == list(sp.sites["children_newly_within"])
    assert sum(int(row["Cost (VND)"]) for row in rows) == r.total_cost_vnd <= 20_000_000_000
    assert params["Children newly within reach"] == str(r.children_newly_reached)
    assert params["Communes newly with a point"] == str(r.communes_newly_with_point)
    assert params["Total cost"] == str(r.total_cost_vnd)
    assert r.status == ("heuristic" if request_.method == "greedy" else "optimal")
    assert params["Solver status"] == ("fast answer (not proven optimal)" if request_.method == "greedy" else "optimal (proven)")
    assert f"Children newly within reach: {r.children_newly_reached:,}\n" in printed
    assert f"{len(rows)} sites written to {out}" in printed


def test_cli_prints_the_settle_note(tmp_path, capsys):
    out = tmp_path / "s.csv"
    assert main(["site", "--budget-vnd", "20000000000", "--time-limit-s", "1e-9", "--lang", "en", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    note = "The solver stopped at its time limit of 0 s: this is the best answer found"
    assert note in printed
    assert note in read_sites_csv(out)[0]["Note"]


@pytest.mark.parametrize("args, key", [
    (["--budget-vnd", "-1"], "err.siting_budget"),
    (["--budget-vnd", "1e9", "--target-year", "2027"], "err.siting_year"),
    (["--budget-vnd", "1e9", "--method", "best"], "err.siting_method"),
    (["--budget-vnd", "1e9", "--sources", "villages,parks"], "err.siting_source"),
    (["--budget-vnd", "1e9", "--radius-m", "-3"], "err.radius"),
    (["--budget-vnd", "1e9", "--max-new", "two"], "err.siting_max_new"),
    (["--budget-vnd", "1e9", "--default-cost-vnd", "free"], "err.siting_cost"),
    (["--budget-vnd", "1e9", "--time-limit-s", "0"], "err.siting_time"),
])
def test_cli_errors_are_the_request_errors(args, key, tmp_path, capsys):
    out = tmp_path / "s.csv"
    assert main(["site", *args, "--lang", "en", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    value = args[-1].split(",")[-1]
    assert err.strip().startswith(TEXT[key][1].split("{")[0].rstrip()) and value in err
    assert not out.exists()
