"""The plan a planner is editing: one frozen value, and each thing they do as a function from one
plan to the next.

A plan is a scenario (name, parameters, budget, proposals, and the version it was loaded at) plus
what the session holds around it: which stored scenario it came from, the data package it was made
on, the optimiser's answer waiting for a decision, and earlier states to undo to. The app keeps
exactly one plan per session; the CLI works on stored scenarios with the same functions.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from planner.errors import UsageError
from planner.package import DataPackage
from planner.proposals import Proposal, next_id, relocate
from planner.scenarios import Scenario, check_name
from planner.site_plan import SitePlan, as_proposals

UNDO_DEPTH = 20
TAKE_MODES = ("add", "replace")
SCENARIO_FIELDS = ("name", "description", "author", "radius_m", "reach_mode", "walk_minutes", "preset", "weights",
                   "default_cost_vnd", "budget_by_year")


def _content(s: Scenario) -> Scenario:
    """What the planner edits, without what saving stamps on it."""
    return replace(s, created_at="", updated_at="", version=0)


@dataclass(frozen=True, eq=False)
class Step:
    """A state to undo to: the proposals, and the optimiser's answer that was on the table."""

    proposals: tuple[Proposal, ...]
    siting: SitePlan | None


@dataclass(frozen=True)
class Plan:
    scenario: Scenario = field(default_factory=lambda: Scenario(name=""))
    saved_name: str = ""  # the stored scenario it was opened from or last saved as; "" = not stored
    baseline: Scenario | None = None  # the scenario as opened or last saved, to tell unsaved changes
    package: str = ""  # the data package it was made on
    siting: SitePlan | None = None  # the optimiser's answer, until taken or dismissed
    undo: tuple[Step, ...] = ()  # earlier states, newest last
    revision: int = 0  # grows whenever the plan is replaced as a whole: forms start afresh from it

    @classmethod
    def new(cls, *, package: str = "", previous: Plan | None = None, radius_m: float | None = None,
            author: str = "") -> Plan:
        """An empty plan (keeping the previous plan's radius unless given)."""
        radius = radius_m if radius_m is not None else (previous.scenario.radius_m if previous else 2000.0)
        scenario = Scenario(name="", author=author, radius_m=float(radius))
        if previous is not None:
            scenario = replace(scenario, reach_mode=previous.scenario.reach_mode, walk_minutes=previous.scenario.walk_minutes)
        return cls(scenario=scenario, baseline=scenario, package=package,
                   revision=previous.revision + 1 if previous else 0)

    @property
    def proposals(self) -> tuple[Proposal, ...]:
        return self.scenario.proposals

    @property
    def unsaved(self) -> bool:
        """Whether the plan differs from what was opened or last saved (an untouched new plan does not)."""
        return self.baseline is None or _content(self.scenario) != _content(self.baseline)

    def edited(self, **changes) -> Plan:
        """The plan with new scenario fields (name, description, author, radius_m, reach_mode,
        walk_minutes, preset, weights, default_cost_vnd, budget_by_year). A name is kept as it will be saved: spaces collapsed.
        Proposals change through `with_proposals`."""
        unknown = set(changes) - set(SCENARIO_FIELDS)
        if unknown:
            raise TypeError(f"not a plan setting: {', '.join(sorted(unknown))}")
        if "name" in changes:
            changes["name"] = " ".join(str(changes["name"]).split())
        if all(getattr(self.scenario, k) == v for k, v in changes.items()):
            return self
        return replace(self, scenario=replace(self.scenario, **changes))

    def renewed(self) -> Plan:
        """The same plan, with every form started afresh from it."""
        return replace(self, revision=self.revision + 1)

    def _step(self) -> tuple[Step, ...]:
        return (*self.undo, Step(self.proposals, self.siting))[-UNDO_DEPTH:]

    def with_proposals(self, proposals) -> Plan:
        """New proposals; the old list can be had back with `undone`."""
        proposals = tuple(proposals)
        if proposals == self.proposals:
            return self
        return replace(self, scenario=replace(self.scenario, proposals=proposals), undo=self._step())

    def undone(self) -> Plan:
        """The proposals (and the optimiser's answer) as they were before the last change."""
        if not self.undo:
            return self
        last = self.undo[-1]
        return replace(self, scenario=replace(self.scenario, proposals=last.proposals), siting=last.siting,
                       undo=self.undo[:-1])

    def with_siting(self, site_plan: SitePlan | None) -> Plan:
        return replace(self, siting=site_plan)

    def take_sites(self, *, mode: str) -> Taken:
        """The optimiser's sites as proposals: "add" puts them after the planner's own (a site whose
        candidate is already proposed is not added twice), "replace" puts them instead. Undo brings
        back the proposals and the optimiser's answer."""
        if mode not in TAKE_MODES:
            raise UsageError("err.take_mode", value=mode, known=", ".join(TAKE_MODES))
        if self.siting is None:
            return Taken(self, 0, 0, 0)
        kept = self.proposals if mode == "add" else ()
        taken_ids = {p.candidate_id for p in kept if p.candidate_id}
        new: list[Proposal] = []
        for p in as_proposals(self.siting):
            if p.candidate_id in taken_ids:
                continue
            new.append(replace(p, id=next_id((*kept, *new))))
        plan = replace(self, scenario=replace(self.scenario, proposals=(*kept, *new)), siting=None, undo=self._step())
        return Taken(plan, added=len(new), kept=len(kept), dropped=len(self.proposals) - len(kept))

    def opened(self, scenario: Scenario) -> Plan:
        """A stored scenario opened for editing (forms start afresh, undo history cleared)."""
        return Plan(scenario=scenario, saved_name=scenario.name, baseline=scenario, package=self.package,
                    revision=self.revision + 1)

    def saved(self, scenario: Scenario) -> Plan:
        """The plan after `scenario` (this plan as stored) was saved."""
        return replace(self, scenario=scenario, saved_name=scenario.name, baseline=scenario)

    def unstored(self) -> Plan:
        """The plan after its stored scenario was deleted: the content stays, as a new scenario."""
        return replace(self, scenario=replace(self.scenario, version=0), saved_name="", baseline=None)

    def on_package(self, path: str, package: DataPackage) -> tuple[Plan, tuple[str, ...]]:
        """The plan moved to another data package: proposals kept, each counted for the commune it
        lies in on the new data; the optimiser's answer (made on the old data) dropped. Returns the
        plan and the ids of proposals outside every commune of the new package (kept, not counted)."""
        if path == self.package:
            return self, ()
        proposals, outside = relocate(self.proposals, package)
        scenario = replace(self.scenario, proposals=proposals)
        return replace(self, scenario=scenario, package=path, siting=None, undo=(), revision=self.revision + 1), outside


@dataclass(frozen=True)
class Taken:
    """What taking the optimiser's sites did: the new plan, sites added, own proposals kept and dropped."""

    plan: Plan
    added: int
    kept: int
    dropped: int


def save_plan(store, plan: Plan, *, as_new: bool = False) -> Plan:
    """Save the plan. Under the name it was opened or saved as: a new version of that scenario
    (refused if someone saved one meanwhile; none when nothing changed, the plan is returned as it
    is). Under another name, or `as_new`: a new scenario, and the name must not be taken. Returns the
    plan as saved."""
    name = check_name(plan.scenario.name)
    if not as_new and name == plan.saved_name and not plan.unsaved:
        return plan
    scenario = replace(plan.scenario, name=name)
    if as_new or name != plan.saved_name:
        if name in store.names():
            raise UsageError("err.scenario_exists", name=name)
        scenario = replace(scenario, version=0, created_at="", updated_at="")
    return plan.saved(store.save(scenario))
