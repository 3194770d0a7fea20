"""Siting (maximal covering): hand-solved instances, properties on random ones, spopt, adapters, errors."""
from __future__ import annotations

import dataclasses
import itertools

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from shapely.geometry import Point

from planner.candidates import candidates_from_package, site
from planner.coverage import reach
from planner.errors import UsageError
from planner.io import read_package, write_package
from planner.siting import SitingProblem, cover_matrix
from planner.summary import existing_points, summarize
from tests.conftest import UTM, X0, Y0, tiny_layers


def build(weights, reaches, costs, *, covered=None, site_commune=None, has_point=(False,), **options) -> SitingProblem:
    """reaches[j] lists the villages candidate j reaches; one commune without a point by default."""
    n, m = len(weights), len(costs)
    pairs = [(i, j) for j, villages in enumerate(reaches) for i in villages]
    rows, cols = (np.array([p[k] for p in pairs], dtype=np.int64) for k in (0, 1))
    cover = sparse.csr_matrix((np.ones(len(pairs), dtype=bool), (rows, cols)), shape=(n, m))
    return SitingProblem.from_arrays(
        np.asarray(weights, dtype=np.int64), np.zeros(n, dtype=np.int64),
        np.zeros(n, dtype=bool) if covered is None else np.asarray(covered), cover, np.asarray(costs),
        np.zeros(m, dtype=np.int64) if site_commune is None else np.asarray(site_commune), np.asarray(has_point), **options)


def both(problem):
    return problem.solve_exact(), problem.solve_greedy()


# --- hand-solved instances ----------------------------------------------------------------

def test_greedy_is_suboptimal_and_exact_beats_it():
    # Villages v0..v3 have 3 children each, v4 and v5 have 5. Site 0 reaches v0..v3 (12),
    # site 1 reaches v0, v1, v4 (11), site 2 reaches v2, v3, v5 (11). At most 2 sites, cost 1 each.
    # Greedy takes site 0 (12), then site 1 or 2 adds only 5: 17 (tie -> lower index, site 1).
    # The optimum is sites 1 + 2: 3+3+5 + 3+3+5 = 22.
    p = build([3, 3, 3, 3, 5, 5], [[0, 1, 2, 3], [0, 1, 4], [2, 3, 5]], [1, 1, 1], budget_vnd=None, max_new=2)
    exact, greedy = both(p)
    assert (greedy.chosen, greedy.children_newly_reached, greedy.total_cost_vnd) == ((0, 1), 17, 2)
    assert (exact.chosen, exact.children_newly_reached, exact.total_cost_vnd) == ((1, 2), 22, 2)
    assert (exact.status, exact.gap, exact.method) == ("optimal", 0.0, "exact")
    assert (greedy.status, greedy.gap, greedy.method) == ("heuristic", None, "greedy")


def test_budget_ratio_trap():
    # Site 0: 60 children for 6 VND (10 per VND); sites 1 and 2: 45 children for 5 VND each (9).
    # Budget 10. Greedy takes site 0 first; 4 VND remain and neither other site fits: 60.
    # Exact: sites 1 + 2 cost exactly 10 and reach 90.
    p = build([60, 45, 45], [[0], [1], [2]], [6, 5, 5], budget_vnd=10)
    exact, greedy = both(p)
    assert (greedy.chosen, greedy.children_newly_reached, greedy.total_cost_vnd) == ((0,), 60, 6)
    assert (exact.chosen, exact.children_newly_reached, exact.total_cost_vnd, exact.objective) == ((1, 2), 90, 10, 90.0)


@pytest.mark.parametrize("budget, chosen, children, cost", [
    # Ratios: site 0 50/5 = 10, site 1 36/4 = 9, site 2 14/2 = 7, site 3 5/1 = 5.
    # Budget 7: sets within budget include {0,2} 64, {0,3} 55, {1,2,3} 55, {1,2} 50: best {0,2}.
    #   Greedy: 0 (2 left), 1 does not fit (4 > 2) but is skipped, 2 fits (0 left): {0,2}.
    (7, (0, 2), 64, 7),
    # Budget 10: {0,1,3} 91 (cost 10) beats {0,1} 86 and {0,2,3} 69; all four cost 12.
    #   Greedy: 0 (5 left), 1 (1 left), 2 skipped (2 > 1), 3 (0 left): {0,1,3}.
    (10, (0, 1, 3), 91, 10),
    # Budget 0: nothing is affordable, so nothing is chosen.
    (0, (), 0, 0),
])
def test_budget_binds(budget, chosen, children, cost):
    p = build([50, 36, 14, 5], [[0], [1], [2], [3]], [5, 4, 2, 1], budget_vnd=budget)
    for r in both(p):
        assert (r.chosen, r.children_newly_reached, r.total_cost_vnd) == (chosen, children, cost)


@pytest.mark.parametrize("max_new, exact_pick, exact_children, greedy_pick, greedy_children", [
    # Site 0: 40 children for 4 VND (10 per VND); sites 1, 2: 30 and 20 children for 1 VND.
    # No budget. Two sites: exact takes the two largest, 0 + 1 = 70; greedy goes by children
    # per VND: 1 (30), 2 (20) = 50, and must stop there.
    (2, (0, 1), 70, (1, 2), 50),
    (1, (0,), 40, (1,), 30),
    (0, (), 0, (), 0),
    (3, (0, 1, 2), 90, (0, 1, 2), 90),
])
def test_max_new(max_new, exact_pick, exact_children, greedy_pick, greedy_children):
    p = build([40, 30, 20], [[0], [1], [2]], [4, 1, 1], budget_vnd=None, max_new=max_new)
    exact, greedy = both(p)
    assert (exact.chosen, exact.children_newly_reached) == (exact_pick, exact_children)
    assert (greedy.chosen, greedy.children_newly_reached) == (greedy_pick, greedy_children)


@pytest.mark.parametrize("budget, target, chosen, children, communes", [
    # Communes 0 (has a point), 1 and 2 (none). Site 0 in commune 0 reaches 100 children,
    # site 1 in commune 1 reaches 10, site 2 in commune 2 reaches 20; each costs 1.
    (1, None, (0,), 100, 0),  # pure coverage: the big village
    (1, 1, (0,), 100, 0),  # target of 1 commune is met already: pure coverage
    (1, 2, (2,), 20, 1),  # one more commune needed: the better of sites 1 and 2
    (2, None, (0, 2), 120, 1),
    (2, 3, (1, 2), 30, 2),  # two more communes needed: both, although site 0 has 100 children
    (3, 3, (0, 1, 2), 130, 2),  # target met, the rest of the budget goes to children
    (2, 9, (1, 2), 30, 2),  # a target beyond reach: as many communes as possible
])
def test_target_mode_forces_communes_first(budget, target, chosen, children, communes):
    p = build([100, 10, 20], [[0], [1], [2]], [1, 1, 1], site_commune=[0, 1, 2], has_point=[True, False, False],
              budget_vnd=budget, target_communes=target)
    for r in both(p):
        assert (r.chosen, r.children_newly_reached, r.communes_newly_with_point) == (chosen, children, communes)
    # W = 130 + 1 (all children any site could newly reach, plus one) per commune towards the target
    credited = 0 if target is None else min(communes, max(0, target - 1))
    assert p.solve_exact().objective == children + 131 * credited


def test_target_mode_commune_without_children():
    # Site 1 reaches nobody new but is the only site in a commune without a point: in target mode
    # it is worth W; outside target mode it is dropped.
    args = ([50], [[0], []], [1, 1])
    kw = dict(site_commune=[0, 1], has_point=[True, False], budget_vnd=1)
    assert build(*args, **kw).solve_exact().chosen == (0,)
    for r in both(build(*args, **kw, target_communes=2)):
        assert (r.chosen, r.children_newly_reached, r.communes_newly_with_point, r.objective) == ((1,), 0, 1, 51.0)


def test_greedy_reevaluates_stale_gains():
    # Sites 0 and 1 both reach v0 and v1 (20 children), site 2 reaches v2 (15); at most 2 sites.
    # After site 0, site 1's stored gain of 20 is stale (really 0): greedy must take site 2.
    exact, greedy = both(build([10, 10, 15], [[0, 1], [0, 1], [2]], [1, 1, 1], budget_vnd=None, max_new=2))
    assert (greedy.chosen, greedy.children_newly_reached) == ((0, 2), 35)  # tie of 0 and 1: lower index
    assert exact.chosen in {(0, 2), (1, 2)} and exact.children_newly_reached == 35


def test_already_reached_demand_makes_a_cheap_site_worthless():
    # v0 (100 children) is within reach of an existing point; v2 has no children. Site 0 reaches
    # v0 and v2 for 1 VND, site 1 reaches v1 (5 children) for 10 VND; budget 10, so not both.
    # Counting v0 site 0 would win (100 > 5); as it is, site 0 is worth nothing and site 1 wins.
    args = ([100, 5, 0], [[0, 2], [1]], [1, 10])
    for r in both(build(*args, budget_vnd=10)):
        assert (r.chosen, r.children_newly_reached) == ((0,), 100)
    for r in both(build(*args, covered=[True, False, False], budget_vnd=10)):
        assert (r.chosen, r.children_newly_reached, r.total_cost_vnd) == ((1,), 5, 10)


def test_nothing_bought_that_adds_nothing():
    # Sites 0 and 1 both reach v0 only; site 2 reaches only an already-reached village. With money
    # for everything, exactly one of sites 0, 1 is bought and never site 2.
    p = build([7, 9], [[0], [0], [1]], [3, 2, 1], covered=[False, True], budget_vnd=10**9)
    exact, greedy = both(p)
    assert greedy.chosen == (1,)  # 7 per 2 VND beats 7 per 3
    assert exact.chosen in {(0,), (1,)} and exact.children_newly_reached == 7


def test_sites_over_budget_are_dropped_and_costs_stay_exact():
    # Two sites whose costs are large whole VND; the budget is their exact sum, then one VND less.
    big, bigger = 4_123_456_789_013, 3_987_654_321_099
    args = ([10, 20, 30], [[0], [1], [2]], [big, bigger, 10**15])
    for r in both(build(*args, budget_vnd=big + bigger)):
        assert (r.chosen, r.total_cost_vnd, type(r.total_cost_vnd)) == ((0, 1), big + bigger, int)
    for r in both(build(*args, budget_vnd=big + bigger - 1)):
        assert (r.chosen, r.total_cost_vnd) == ((1,), bigger)
    for r in both(build(*args, budget_vnd=bigger - 1)):  # every site dearer than the budget
        assert (r.chosen, r.children_newly_reached, r.total_cost_vnd, r.status in ("optimal", "heuristic")) == ((), 0, 0, True)


def test_float_costs_and_free_sites():
    # A free site comes first for greedy (infinite children per VND); costs given as floats stay floats.
    for r in both(build([4, 6], [[0], [1]], [0.0, 2.5], budget_vnd=2.5)):
        assert (r.chosen, r.children_newly_reached, r.total_cost_vnd) == ((0, 1), 10, 2.5)
        assert isinstance(r.total_cost_vnd, float)


def test_cover_matrix_is_inclusive_and_keeps_zero_distances():
    demand = np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 4.1], [100.0, 0.0]])
    sites = np.array([[0.0, 0.0], [100.0, 0.0]])
    a = cover_matrix(demand, sites, radius_m=5).toarray()
    assert a.tolist() == [[True, False], [True, False], [False, False], [False, True]]
    assert cover_matrix(demand, np.empty((0, 2)), radius_m=5).shape == (4, 0)


# --- properties on random small instances -------------------------------------------------

def random_instance(rng, *, unit_costs=False):
    n, m, k = int(rng.integers(1, 13)), int(rng.integers(1, 8)), int(rng.integers(1, 4))
    density = rng.uniform(0.1, 0.5)
    cover = sparse.csr_matrix(rng.random((n, m)) < density)
    return dict(
        demand_weight=rng.integers(0, 30, n), demand_commune=rng.integers(0, k, n),
        demand_covered=rng.random(n) < 0.2, cover=cover,
        candidate_cost_vnd=np.ones(m, dtype=np.int64) if unit_costs else rng.integers(1, 10, m) * 1_000_000,
        candidate_commune=rng.integers(0, k, m), commune_has_point=rng.random(k) < 0.4,
    )


def brute_force(inst, *, budget_vnd, max_new=None, target_communes=None):
    """Best (communes towards the target, children) over every subset of candidates."""
    w = np.where(inst["demand_covered"], 0, inst["demand_weight"])
    a = inst["cover"].toarray()
    cost, commune, has = inst["candidate_cost_vnd"], inst["candidate_commune"], inst["commune_has_point"]
    gap = 0 if target_communes is None else max(0, target_communes - int(has.sum()))
    best = (0, 0)
    m = len(cost)
    for size in range(m + 1):
        if max_new is not None and size > max_new:
            break
        for s in itertools.combinations(range(m), size):
            s = list(s)
            if budget_vnd is not None and cost[s].sum() > budget_vnd:
                continue
            children = int(w[a[:, s].any(axis=1)].sum()) if s else 0
            communes = len({int(c) for c in commune[s] if not has[c]})
            best = max(best, (min(communes, gap), children))
    return best


def check(result, inst, *, budget_vnd, max_new=None):
    chosen = list(result.chosen)
    assert len(set(chosen)) == len(chosen) and chosen == sorted(chosen)
    assert all(0 <= j < len(inst["candidate_cost_vnd"]) for j in chosen)
    assert budget_vnd is None or result.total_cost_vnd <= budget_vnd
    assert max_new is None or len(chosen) <= max_new
    assert result.total_cost_vnd == int(inst["candidate_cost_vnd"][chosen].sum())
    w = np.where(inst["demand_covered"], 0, inst["demand_weight"])
    assert result.children_newly_reached == (int(w[inst["cover"][:, chosen].toarray().any(axis=1)].sum()) if chosen else 0)
    has, commune = inst["commune_has_point"], inst["candidate_commune"]
    assert result.communes_newly_with_point == len({int(c) for c in commune[chosen] if not has[c]})


def test_exact_is_optimal_and_never_below_greedy_on_random_instances():
    rng = np.random.default_rng(20250731)
    for _ in range(150):
        inst = random_instance(rng)
        budget = int(rng.integers(0, 30)) * 1_000_000
        max_new = None if rng.random() < 0.5 else int(rng.integers(0, 4))
        target = None if rng.random() < 0.5 else int(rng.integers(0, 4))
        p = SitingProblem.from_arrays(**inst, budget_vnd=budget, max_new=max_new, target_communes=target)
        exact, greedy = p.solve_exact(), p.solve_greedy()
        for r in (exact, greedy):
            check(r, inst, budget_vnd=budget, max_new=max_new)
        gap = p.gap
        assert (min(exact.communes_newly_with_point, gap), exact.children_newly_reached) == brute_force(
            inst, budget_vnd=budget, max_new=max_new, target_communes=target)
        assert exact.objective >= greedy.objective
        assert exact.status == "optimal"


def naive_greedy(inst, *, budget_vnd, max_new, w_commune, gap):
    """The greedy of planner.siting without lazy evaluation: every gain recomputed at every step."""
    w = np.where(inst["demand_covered"], 0, inst["demand_weight"])
    a = inst["cover"].toarray()
    cost, commune, has = inst["candidate_cost_vnd"], inst["candidate_commune"], inst["commune_has_point"]
    reached, gained, picks, left = np.zeros(len(w), bool), set(), [], budget_vnd
    limit = len(cost) if max_new is None else max_new

    def children(j):
        return int(w[a[:, j] & ~reached].sum())

    def first(j):
        return 0 if has[commune[j]] or commune[j] in gained else w_commune + children(j)

    for value, done in ((first, lambda: len(gained) >= gap), (children, lambda: False)):
        if value is first and not gap:
            continue
        skipped = set()
        while len(picks) < limit and not done():
            options = [(-(v / cost[j]), -v, j) for j in range(len(cost))
                       if j not in picks and j not in skipped and (v := value(j)) > 0]
            if not options:
                break
            j = min(options)[2]
            if cost[j] > left:
                skipped.add(j)
                continue
            picks.append(j)
            left -= cost[j]
            reached |= a[:, j]
            if not has[commune[j]]:
                gained.add(int(commune[j]))
    return int(w[reached].sum()), min(len(gained), gap)


def test_lazy_greedy_equals_naive_greedy():
    rng = np.random.default_rng(3)
    for _ in range(200):
        inst = random_instance(rng)
        budget = int(rng.integers(0, 30)) * 1_000_000
        max_new = None if rng.random() < 0.5 else int(rng.integers(0, 4))
        target = None if rng.random() < 0.5 else int(rng.integers(0, 4))
        p = SitingProblem.from_arrays(**inst, budget_vnd=budget, max_new=max_new, target_communes=target)
        r = p.solve_greedy()
        expected = naive_greedy(inst, budget_vnd=budget, max_new=max_new, w_commune=p.w_commune, gap=p.gap)
        assert (r.children_newly_reached, min(r.communes_newly_with_point, p.gap)) == expected


def test_more_budget_never_lowers_the_optimum():
    rng = np.random.default_rng(7)
    for _ in range(40):
        inst = random_instance(rng)
        previous = -1.0
        for budget in range(0, 40_000_001, 4_000_000):
            value = SitingProblem.from_arrays(**inst, budget_vnd=budget).solve_exact().objective
            assert value >= previous
            previous = value


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PuLP 3.3 on spopt's use of LpVariable
def test_exact_matches_spopt_mclp_with_unit_costs():
    import pulp
    from spopt.locate import MCLP  # no skip: a missing spopt must fail this test

    rng = np.random.default_rng(11)
    for _ in range(25):
        inst = random_instance(rng, unit_costs=True)
        m = len(inst["candidate_cost_vnd"])
        p = int(rng.integers(1, m + 1))
        ours = SitingProblem.from_arrays(**inst, budget_vnd=m, max_new=p).solve_exact()  # budget m never binds
        weights = np.where(inst["demand_covered"], 0, inst["demand_weight"])
        distance = np.where(inst["cover"].toarray(), 0.0, 1.0)
        model = MCLP.from_cost_matrix(distance, weights, service_radius=0.5, p_facilities=p).solve(pulp.HiGHS(msg=False))
        assert model.problem.status == 1
        assert ours.objective == pytest.approx(model.problem.objective.value(), abs=1e-6)


# --- the package adapter -------------------------------------------------------------------
# Tiny package (tests/conftest.py), radius 2 km: existing points in A and C reach A1, A2, C1, C2;
# B1 (30 children, x = 13 km) and D1 (50 children, x = 31 km) are left. B's point is not built.
# Added candidate sites (x, y in km from the corner):
#   K1 in B at (14, 5), 0.8 bn VND: reaches B1 (1 km)    K2 in D at (30, 5), 1.5 bn: reaches D1
#   K3 in C at (20.5, 5), 0.1 bn: reaches nobody new    K4 in A at (5, 5), on the existing point P1
# Main schools (1 km from the southern edge) reach nobody new: S3 is 4.3 km from B1, S5 3.6 km
# from D1. Default cost 1.2 bn: villages 1.2 bn, school grounds 0.6 x 1.2 = 0.72 bn.
DEFAULT = 1_200_000_000


def tiny_with_sites(tmp_path):
    layers = tiny_layers()
    rows = [("K1", "002", 14_000, 800_000_000), ("K2", "004", 30_000, 1_500_000_000),
            ("K3", "003", 20_500, 100_000_000), ("K4", "001", 5_000, 50_000_000)]
    layers["candidate_sites"] = gpd.GeoDataFrame(
        [dict(id=i, commune_code=c, area_m2=400.0, land_status="public_land", est_cost_vnd=float(cost),
              geometry=Point(X0 + x, Y0 + 5_000)) for i, c, x, cost in rows], geometry="geometry", crs=UTM).to_crs(4326)
    return read_package(write_package(layers, {"name": "tiny+sites", "demo": False}, tmp_path / "tiny_sites"))


def test_candidates_from_tiny_package(tmp_path):
    pkg = tiny_with_sites(tmp_path)
    c = candidates_from_package(pkg, default_cost_vnd=DEFAULT)
    assert list(c.columns) == ["id", "source", "commune_code", "cost_vnd", "geometry"]
    assert c["id"].tolist() == ["K1", "K2", "K3", "K4", "S1", "S3", "S4", "S5", "A1", "A2", "B1", "C1", "C2", "D1"]
    assert c["source"].value_counts().to_dict() == {"villages": 6, "candidate_sites": 4, "school_grounds": 4}
    assert c["cost_vnd"].dtype == np.int64
    assert c["cost_vnd"].tolist()[:5] == [800_000_000, 1_500_000_000, 100_000_000, 50_000_000, 720_000_000]
    assert c["cost_vnd"].tolist()[-1] == DEFAULT
    assert c.crs.to_epsg() == 4326
    only = candidates_from_package(pkg, sources=("school_grounds",), default_cost_vnd=1_000_000_001)
    assert only["cost_vnd"].tolist() == [600_000_001] * 4  # 0.6 x 1,000,000,001 = 600,000,000.6, rounded


@pytest.mark.parametrize("budget, ids, children, cost", [
    (1_000_000_000, ["K1"], 30, 800_000_000),  # only K1 reaches anyone within 1 bn (D1's village costs 1.2)
    # 2 bn: K1 + village D1 = 2.0 bn reach 80; K1 + K2 = 2.3 and villages B1 + D1 = 2.4 do not fit.
    (2_000_000_000, ["K1", "D1"], 80, 2_000_000_000),
    (10**12, ["K1", "D1"], 80, 2_000_000_000),  # money for all; worthless sites (K3, K4...) not bought
])
@pytest.mark.parametrize("method", ["exact", "greedy"])
def test_site_on_tiny_package(tmp_path, method, budget, ids, children, cost):
    pkg = tiny_with_sites(tmp_path)
    c = candidates_from_package(pkg, default_cost_vnd=DEFAULT)
    r = site(pkg, c, radius_m=2000, budget_vnd=budget, method=method)
    if budget == 10**12 and method == "exact":
        # with no binding budget B1 may come from K1 or its own village, D1 from K2 or its village
        assert len(r.chosen) == 2 and r.children_newly_reached == 80
        assert set(c.iloc[list(r.chosen)]["id"]) <= {"K1", "B1", "K2", "D1"}
    else:
        assert (sorted(c.iloc[list(r.chosen)]["id"]), r.children_newly_reached, r.total_cost_vnd) == (sorted(ids), children, cost)
    assert r.communes_newly_with_point == (2 if children == 80 else 1)  # B, and D
    assert_consistent(pkg, c, r, radius_m=2000)
    # the 2025 and 2030 targets (2 of 4 communes) are met already: target mode changes nothing
    assert site(pkg, c, radius_m=2000, budget_vnd=budget, method=method, target_year=2030).children_newly_reached == children


def assert_consistent(pkg, candidates, result, *, radius_m):
    """Children newly reached and communes gained agree with recomputing reach and the summary."""
    chosen = candidates.iloc[list(result.chosen)]
    assert result.total_cost_vnd == int(chosen["cost_vnd"].sum())
    existing = existing_points(pkg)
    before = reach(pkg.villages, existing, radius_m=radius_m)
    both_points = gpd.GeoDataFrame(pd.concat([existing[["commune_code", "geometry"]], chosen[["commune_code", "geometry"]]],
                                             ignore_index=True), geometry="geometry", crs=existing.crs)
    after = reach(pkg.villages, both_points, radius_m=radius_m)
    assert after.children_within - before.children_within == result.children_newly_reached
    gained = summarize(pkg, radius_m=radius_m, extra_points=chosen).play_point.achieved - summarize(pkg, radius_m=radius_m).play_point.achieved
    assert gained == result.communes_newly_with_point
    # existing points are never bought again: no chosen site sits on one
    metric = "EPSG:32648"
    e = existing.geometry.to_crs(metric)
    for g in chosen.geometry.to_crs(metric):
        assert e.distance(g).min() > 1.0


@pytest.fixture(scope="module")
def demo_candidates(demo):
    return candidates_from_package(demo, default_cost_vnd=1_500_000_000)


def test_site_on_demo(demo, demo_candidates):
    c = demo_candidates
    assert c["source"].value_counts().to_dict() == {"villages": 1062, "school_grounds": 285, "candidate_sites": 102}
    budget = 20_000_000_000
    exact = site(demo, c, radius_m=2000, budget_vnd=budget, method="exact")
    greedy = site(demo, c, radius_m=2000, budget_vnd=budget, method="greedy")
    assert exact.status == "optimal" and exact.gap == pytest.approx(0.0, abs=1e-9)
    assert exact.children_newly_reached >= greedy.children_newly_reached > 0
    for r in (exact, greedy):
        assert r.total_cost_vnd <= budget
        assert_consistent(demo, c, r, radius_m=2000)


def test_site_on_demo_with_the_2030_target(demo, demo_candidates):
    # 35% of 38 communes = 14 needed; the demo has fewer, so the result must close the gap.
    before = summarize(demo, radius_m=2000).play_point
    needed = before.gap(2030).needed
    assert needed > 0
    # a budget for about 4 sites of average cost, so that target and reach compete
    budget = 6_000_000_000
    plain = site(demo, demo_candidates, radius_m=2000, budget_vnd=budget)
    for method in ("exact", "greedy"):
        r = site(demo, demo_candidates, radius_m=2000, budget_vnd=budget, method=method, target_year=2030)
        assert r.total_cost_vnd <= budget
        assert_consistent(demo, demo_candidates, r, radius_m=2000)
        assert r.children_newly_reached <= plain.children_newly_reached
        assert r.communes_newly_with_point >= min(needed, plain.communes_newly_with_point)


# --- errors -------------------------------------------------------------------------------

def messages(err) -> tuple[str, str]:
    return err.value.message("vi"), err.value.message("en")


@pytest.mark.parametrize("bad", [-1, -0.5, "abc", float("nan"), True, [1]])
def test_bad_budget(bad):
    with pytest.raises(UsageError) as err:
        build([1], [[0]], [1], budget_vnd=bad)
    assert messages(err) == (f"Ngân sách phải là số không âm (đồng), nhận được: {bad}",
                             f"The budget must be a non-negative number of VND; got: {bad}")


@pytest.mark.parametrize("bad", [-1, 1.5, "2", True])
def test_bad_max_new(bad):
    with pytest.raises(UsageError) as err:
        build([1], [[0]], [1], budget_vnd=1, max_new=bad)
    assert messages(err) == (f"Số điểm mới tối đa phải là số nguyên không âm, nhận được: {bad}",
                             f"The maximum number of new points must be a whole number, 0 or more; got: {bad}")


def test_bad_target_communes():
    with pytest.raises(UsageError) as err:
        build([1], [[0]], [1], budget_vnd=1, target_communes=-2)
    assert messages(err) == ("Chỉ tiêu số xã có điểm phải là số nguyên không âm, nhận được: -2",
                             "The target number of communes with a point must be a whole number, 0 or more; got: -2")


@pytest.mark.parametrize("limit, gap", [(0, 0.0), (-1, 0.0), (float("nan"), 0.0), (10, 1.0), (10, -0.1), ("x", 0.0)])
def test_bad_solver_options(limit, gap):
    with pytest.raises(UsageError) as err:
        build([1], [[0]], [1], budget_vnd=1).solve_exact(time_limit_s=limit, mip_rel_gap=gap)
    assert messages(err) == (
        f"Giới hạn thời gian phải là số giây dương và sai số tối ưu trong [0, 1), nhận được: {limit} giây, {gap}",
        f"The time limit must be a positive number of seconds and the optimality gap in [0, 1); got: {limit} s, {gap}")


def test_no_candidates(tiny_dir):
    with pytest.raises(UsageError) as err:
        build([1], [], [], budget_vnd=1)
    vi, en = messages(err)
    assert vi.startswith("Không có địa điểm ứng viên nào để chọn.") and "candidate_sites.geojson" in vi
    assert en == ("There are no candidate sites to choose from. Add facilities/candidate_sites.geojson "
                  "or use school grounds or villages as candidates.")
    pkg = read_package(tiny_dir)  # has no candidate_sites file
    c = candidates_from_package(pkg, sources=("candidate_sites",), default_cost_vnd=DEFAULT)
    assert len(c) == 0
    with pytest.raises(UsageError) as err:
        site(pkg, c, radius_m=2000, budget_vnd=10**9)
    assert err.value.key == "err.siting_no_candidates"


def test_shape_mismatch_is_a_programming_error():
    with pytest.raises(ValueError, match="demand arrays disagree"):
        SitingProblem.from_arrays([1, 2], [0], [False, False], sparse.csr_matrix((2, 1), dtype=bool), [1], [0], [False], budget_vnd=1)
    with pytest.raises(ValueError, match="candidate arrays disagree"):
        SitingProblem.from_arrays([1], [0], [False], sparse.csr_matrix((1, 2), dtype=bool), [1], [0], [False], budget_vnd=1)


def test_candidate_outside_every_commune(tmp_path):
    pkg = tiny_with_sites(tmp_path)
    extra = gpd.GeoDataFrame([dict(id=f"W{i}", commune_code="001", area_m2=1.0, land_status="public_land", est_cost_vnd=1.0,
                                   geometry=Point(X0 - 1_000 * (i + 1), Y0 + 5_000)) for i in range(6)],
                             geometry="geometry", crs=UTM).to_crs(4326)
    bad = dataclasses.replace(pkg, candidate_sites=pd.concat([pkg.candidate_sites, extra], ignore_index=True))
    with pytest.raises(UsageError) as err:
        candidates_from_package(bad, default_cost_vnd=DEFAULT)
    assert messages(err) == (
        "6 địa điểm ứng viên nằm ngoài mọi xã, phường: W0, W1, W2, W3, W4, …. Hãy sửa tọa độ hoặc bỏ các địa điểm này.",
        "6 candidate site(s) lie outside every commune: W0, W1, W2, W3, W4, …. Fix their coordinates or leave them out.")


def test_candidate_with_unknown_commune(tmp_path):
    pkg = tiny_with_sites(tmp_path)
    c = candidates_from_package(pkg, default_cost_vnd=DEFAULT)
    c.loc[0, "commune_code"] = "999"
    with pytest.raises(UsageError) as err:
        site(pkg, c, radius_m=2000, budget_vnd=10**9)
    assert messages(err) == ("1 địa điểm ứng viên có mã xã không có trong communes.geojson: K1",
                             "1 candidate site(s) have commune codes that are not in communes.geojson: K1")


@pytest.mark.parametrize("options, key, vi, en", [
    (dict(method="fast"), "err.siting_method", "Phương pháp không hỗ trợ: fast; dùng exact (tối ưu chính xác) hoặc greedy (nhanh)",
     "Unsupported method: fast; use exact or greedy"),
    (dict(target_year=2026), "err.siting_year", "Năm chỉ tiêu không hỗ trợ: 2026; dùng 2025, 2030",
     "Unsupported target year: 2026; use 2025, 2030"),
    (dict(radius_m=0), "err.radius", "Bán kính phải là số dương (mét), nhận được: 0",
     "The radius must be a positive number of metres; got: 0"),
    (dict(budget_vnd=-5), "err.siting_budget", "Ngân sách phải là số không âm (đồng), nhận được: -5",
     "The budget must be a non-negative number of VND; got: -5"),
])
def test_bad_site_options(tmp_path, options, key, vi, en):
    pkg = tiny_with_sites(tmp_path)
    c = candidates_from_package(pkg, default_cost_vnd=DEFAULT)
    with pytest.raises(UsageError) as err:
        site(pkg, c, **{"radius_m": 2000, "budget_vnd": 10**9, **options})
    assert err.value.key == key and messages(err) == (vi, en)


@pytest.mark.parametrize("options, key, vi, en", [
    (dict(sources=("parks",)), "err.siting_source",
     "Nguồn ứng viên không hỗ trợ: parks; dùng candidate_sites, school_grounds, villages",
     "Unsupported candidate source: parks; use candidate_sites, school_grounds, villages"),
    (dict(default_cost_vnd=-5), "err.siting_cost", "Chi phí mặc định một điểm phải là số không âm (đồng), nhận được: -5",
     "The default cost of a site must be a non-negative number of VND; got: -5"),
    (dict(default_cost_vnd="cheap"), "err.siting_cost",
     "Chi phí mặc định một điểm phải là số không âm (đồng), nhận được: cheap",
     "The default cost of a site must be a non-negative number of VND; got: cheap"),
])
def test_bad_candidate_options(tiny_dir, options, key, vi, en):
    with pytest.raises(UsageError) as err:
        candidates_from_package(read_package(tiny_dir), **{"default_cost_vnd": DEFAULT, **options})
    assert err.value.key == key and messages(err) == (vi, en)
