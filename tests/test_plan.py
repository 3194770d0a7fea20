"""The plan being edited (planner/plan.py): each planner action as a function from plan to plan."""
from dataclasses import replace

import geopandas as gpd
import pytest
from shapely.geometry import Point

from planner.errors import UsageError
from planner.plan import Plan, save_plan
from planner.proposals import Proposal
from planner.scenarios import Scenario
from planner.site_plan import SitePlan, SitingRequest
from planner.siting import SitingResult
from planner.store import ScenarioConflict, ScenarioStore


def prop(pid, lon=103.0, lat=22.0, code="A", candidate=""):
    return Proposal(pid, lon, lat, code, cost_vnd=100, candidate_id=candidate, source="candidate" if candidate else "map")


def with_siting(plan, *ids):
    """`plan` with an optimiser answer choosing candidate sites `ids` (100 VND each)."""
    sites = gpd.GeoDataFrame({"id": list(ids), "source": "candidate_sites", "commune_code": "B", "commune": "B",
                              "cost_vnd": [100] * len(ids), "children_newly_within": [10] * len(ids)},
                             geometry=[Point(104 + k / 100, 22) for k in range(len(ids))], crs=4326)
    result = SitingResult("greedy", tuple(range(len(ids))), 10 * len(ids), 1, 100 * len(ids), 10.0 * len(ids),
                          "heuristic", None, 0.0)
    return plan.with_siting(SitePlan(sites=sites, result=result, fast=result, note=None,
                                     request=SitingRequest(budget_vnd=1000)))


def test_take_sites_add_keeps_hand_placed_points_and_undo_brings_back_the_list():
    plan = Plan.new().with_proposals([prop("N001"), prop("N002")])
    plan = with_siting(plan, "C1", "C2")
    taken = plan.take_sites(mode="add")
    added = taken.plan
    assert (taken.added, taken.kept, taken.dropped) == (2, 2, 0)
    assert [p.id for p in added.proposals] == ["N001", "N002", "N003", "N004"]
    assert [p.candidate_id for p in added.proposals[2:]] == ["C1", "C2"] and added.siting is None
    back = added.undone()
    assert back.proposals == plan.proposals and back.siting is plan.siting  # the optimiser's answer is back too


def test_take_sites_replace_drops_hand_placed_points_and_says_how_many():
    plan = with_siting(Plan.new().with_proposals([prop("N001"), prop("N002"), prop("N003")]), "C1")
    taken = plan.take_sites(mode="replace")
    replaced = taken.plan
    assert (taken.added, taken.kept, taken.dropped) == (1, 0, 3)
    assert [(p.id, p.candidate_id) for p in replaced.proposals] == [("N001", "C1")]
    assert replaced.undone().proposals == plan.proposals


def test_take_sites_add_does_not_propose_a_candidate_twice():
    plan = with_siting(Plan.new().with_proposals([prop("N001", candidate="C1")]), "C1", "C2")
    taken = plan.take_sites(mode="add")
    assert taken.added == 1 and [p.candidate_id for p in taken.plan.proposals] == ["C1", "C2"]


def test_take_sites_unknown_mode():
    with pytest.raises(UsageError) as err:
        with_siting(Plan.new(), "C1").take_sites(mode="merge")
    assert err.value.key == "err.take_mode"


def test_undo_walks_back_one_change_at_a_time():
    plan = Plan.new()
    for k in range(1, 4):
        plan = plan.with_proposals((*plan.proposals, prop(f"N00{k}")))
    assert [len(plan.undone().proposals), len(plan.undone().undone().proposals)] == [2, 1]
    assert plan.undone().undone().undone().undone().proposals == ()  # nothing more to undo: stays


def test_unsaved_tells_edits_from_an_untouched_plan():
    plan = Plan.new()
    assert not plan.unsaved
    assert plan.edited(name="A").unsaved
    assert plan.with_proposals([prop("N001")]).unsaved
    assert not plan.edited(name="").unsaved  # the same values are no change
    assert not plan.edited(name="   ").unsaved and plan.edited(name=" A  B ").scenario.name == "A B"  # as saved


def test_save_then_rename_saves_a_new_scenario_not_a_conflict(tmp_path):
    store = ScenarioStore(tmp_path / "s.sqlite")
    plan = save_plan(store, Plan.new().edited(name="Phương án A").with_proposals([prop("N001")]))
    assert (plan.saved_name, plan.scenario.version, plan.unsaved) == ("Phương án A", 1, False)
    plan = save_plan(store, plan.edited(name="Phương án B"))  # typed a new name, pressed Save
    assert (plan.saved_name, plan.scenario.version) == ("Phương án B", 1)
    plan = save_plan(store, plan.edited(name="Phương án C").with_proposals([]))
    assert store.names() == ["Phương án A", "Phương án B", "Phương án C"]
    assert [len(store.load(n).proposals) for n in store.names()] == [1, 1, 0]
    plan = save_plan(store, plan.edited(description="again"))  # same name: a new version of C
    assert (plan.scenario.version, store.load("Phương án C").version) == (2, 2)


def test_save_as_new_needs_a_free_name(tmp_path):
    store = ScenarioStore(tmp_path / "s.sqlite")
    plan = save_plan(store, Plan.new().edited(name="A"))
    with pytest.raises(UsageError) as err:
        save_plan(store, plan, as_new=True)
    assert err.value.key == "err.scenario_exists" and err.value.params["name"] == "A"
    with pytest.raises(UsageError) as err:  # renamed to a name another scenario has
        save_plan(store, save_plan(store, plan.edited(name="B")).edited(name="A"))
    assert err.value.key == "err.scenario_exists"
    copy = save_plan(store, plan.edited(name="A (bản 2)"), as_new=True)
    assert copy.scenario.version == 1 and store.load("A").version == 1


def test_a_stale_save_names_who_saved_and_a_deleted_scenario_says_so(tmp_path):
    store = ScenarioStore(tmp_path / "s.sqlite")
    mine = save_plan(store, Plan.new().edited(name="A", author="Lan"))
    theirs = save_plan(store, Plan.new().opened(store.load("A")).edited(author="Minh", description="x"))
    with pytest.raises(ScenarioConflict) as err:
        save_plan(store, mine.edited(description="y"))
    assert err.value.key == "err.scenario_conflict" and err.value.params["who"] == "Minh"
    store.delete("A", expected_version=theirs.scenario.version)
    with pytest.raises(ScenarioConflict) as err:
        save_plan(store, theirs.edited(description="z"))
    assert err.value.key == "err.scenario_gone"
    kept = save_plan(store, theirs.edited(name="A mới"), as_new=True)
    assert store.load("A mới").description == "x" and kept.scenario.version == 1


def test_opening_and_new_plans_renew_the_forms():
    plan = Plan.new().edited(name="x")
    opened = plan.opened(Scenario(name="S", version=3, radius_m=3000.0))
    assert (opened.revision, opened.saved_name, opened.scenario.version, opened.unsaved) == (plan.revision + 1, "S", 3, False)
    fresh = Plan.new(previous=opened)
    assert (fresh.revision, fresh.saved_name, fresh.scenario.name, fresh.scenario.radius_m) == (opened.revision + 1, "", "", 3000.0)


def test_a_new_data_package_keeps_the_proposals_and_recounts_their_communes(demo):
    inside = prop("N001", 103.36, 22.7547, code="old")  # Sì Lở Lầu's centre
    outside = prop("N002", 100.0, 10.0, code="old")
    plan = Plan.new(package="/old").edited(name="S").with_proposals([inside, outside])
    moved, out = plan.on_package("/new", demo)
    assert out == ("N002",)
    assert [p.commune_code for p in moved.proposals] == [demo.communes.set_index("name").loc["Xã Sì Lở Lầu", "code"], "old"]
    assert (moved.scenario.name, moved.package, moved.revision) == ("S", "/new", plan.revision + 1)
    assert moved.on_package("/new", demo) == (moved, ())


def test_edited_refuses_what_is_not_a_setting():
    with pytest.raises(TypeError):
        Plan.new().edited(proposals=())
    assert Plan.new().edited(radius_m=2000.0) == Plan.new()
    assert replace(Plan.new().edited(radius_m=3000.0).scenario, radius_m=2000.0) == Plan.new().scenario


def test_analysis_keeps_answers_and_bounds_what_it_keeps(demo):
    from planner.analysis import MEMO_ENTRIES, Analysis
    from planner.proposals import effect

    a = Analysis.of(demo, radius_m=2000)
    p = [Proposal(f"N{k:03d}", 103.36, 22.7547 + k / 1000, "x") for k in range(MEMO_ENTRIES + 5)]
    first = a.effect(p[:1])
    assert a.effect(p[:1]) is first  # kept
    assert first.after.reach.children_within == effect(demo, p[:1], radius_m=2000).after.reach.children_within
    for k in range(1, len(p)):
        a.effect(p[:k + 1])
    assert len(a._memo) <= MEMO_ENTRIES
    assert a.at(radius_m=5000).summary.reach.children_within == effect(demo, [], radius_m=5000).before.reach.children_within
    assert a.at(radius_m=2000) is a and a.at(radius_m=5000)._shared is a._shared  # measures and distances are shared between radii
