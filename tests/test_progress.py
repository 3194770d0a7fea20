"""Progress over the years, on the tiny package with histories worked out by hand.

Tiny package (tests/conftest.py): communes A, B, C, D; P1 in A existing since 2020, P2 in C since
2021 (years only: in use from 31/12 of those years), P3 in B under construction. 30% and 35% of
4 communes both need 2. Children within 2 km: A1 10, A2 20, C1 40, C2 5 = 75; D1 (50) is 6 km
from P2; B1 (30) is 8 km from P1 and 12 km from P2.
"""
from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import Point

from planner.analysis import Analysis
from planner.errors import UsageError
from planner.io import read_package
from planner.progress import from_scenario, progress
from planner.proposals import Proposal
from planner.record import Entry, check_entry, current
from planner.record_store import RecordConflict, RecordStore
from planner.scenarios import Scenario
from tests.conftest import UTM, X0, Y0

TODAY = date(2026, 12, 1)


def _lonlat(x_m: float, y_m: float) -> tuple[float, float]:
    import geopandas as gpd

    p = gpd.GeoSeries([Point(X0 + x_m, Y0 + y_m)], crs=UTM).to_crs(4326).iloc[0]
    return p.x, p.y


D1 = _lonlat(31_000, 5_000)  # village D1 (50 children)
A_NEAR = _lonlat(5_200, 5_000)  # 200 m from P1, in A


@pytest.fixture()
def tiny(tiny_dir):
    return Analysis.of(read_package(tiny_dir))


@pytest.fixture()
def store(tmp_path):
    return RecordStore(tmp_path / "ws.sqlite")


def _new(pid, status, on, commune, lonlat=None, **kw):
    lon, lat = lonlat if lonlat else (None, None)
    return Entry(point_id=pid, status=status, on=on, name=f"Điểm {pid}", commune_code=commune, lon=lon, lat=lat, **kw)


def test_the_package_alone(tiny):
    p = progress(tiny, (), today=TODAY)
    assert [f.year for f in p.years] == [2020, 2021, 2022, 2023, 2024, 2025, 2026]
    assert [f.communes_with_point for f in p.years] == [1, 2, 2, 2, 2, 2, 2]
    assert [f.points_in_use for f in p.years] == [1, 2, 2, 2, 2, 2, 2]
    assert [f.children_within for f in p.years] == [30, 75, 75, 75, 75, 75, 75]
    assert p.years[-1].day == TODAY and p.years[0].day == date(2020, 12, 31)
    t25, t30 = p.targets
    assert (t25.required, t25.achieved, t25.short, t25.reached_on, t25.final) == (2, 2, 0, date(2021, 12, 31), True)
    assert (t30.required, t30.achieved, t30.short, t30.final) == (2, 2, 0, False)
    assert p.caveats == {"year_only": 2, "at_data_date": 1}  # said on the page and in the report
    assert p.points.loc["P3", "status"] == "under_construction"
    # today's figure is the Overview's
    assert p.years[-1].communes_with_point == tiny.summary.play_point.achieved
    assert p.years[-1].children_within == tiny.summary.reach.children_within


def test_a_point_in_use_from_15_june_2024_counts_from_2024_on(tiny, store):
    store.add("tiny", [_new("N1", "under_construction", date(2023, 9, 1), "004", D1),
                       _new("N1", "in_use", date(2024, 6, 15), "004", cost_vnd=1_200_000_000, funding="state")],
              today=TODAY, recorded_by="cán bộ A")
    p = progress(tiny, store.entries("tiny"), today=TODAY)
    by = {f.year: f for f in p.years}
    assert [by[y].communes_with_point for y in (2023, 2024, 2025, 2026)] == [2, 3, 3, 3]
    assert [by[y].children_within for y in (2023, 2024)] == [75, 125]  # D1's 50 children from 2024
    assert by[2024].opened == 1 and dict(by[2024].spent_vnd)["state"] == 1_200_000_000
    assert dict(by[2023].spent_vnd) == {"state": 0, "non_state": 0, "unknown": 0}
    assert p.by_commune.loc["004", 2023] == 0 and p.by_commune.loc["004", 2024] == 1


def test_a_closure_removes_the_point_from_then(tiny, store):
    store.add("tiny", [_new("N1", "in_use", date(2024, 6, 15), "004", D1),
                       _new("N1", "closed", date(2026, 3, 1), "004")], today=TODAY)
    p = progress(tiny, store.entries("tiny"), today=TODAY)
    assert [f.communes_with_point for f in p.years[-3:]] == [3, 3, 2]  # 2024, 2025, 2026 (closed)
    assert p.years[-1].children_within == 75 and p.year(2026).closed == 1
    assert p.points.loc["N1", "status"] == "closed"


def test_a_closure_before_the_target_year_ends_undoes_the_reached_day(tiny, store):
    """P2 closes in 2025: at 31/12/2025 only A has a point, the 2025 target is missed by 1."""
    store.add("tiny", [Entry("P2", "closed", date(2025, 5, 1))], today=TODAY)
    t25 = progress(tiny, store.entries("tiny"), today=TODAY).target(2025)
    assert (t25.achieved, t25.short, t25.reached_on) == (1, 1, None)


def test_a_commune_with_two_points_counts_once(tiny, store):
    store.add("tiny", [_new("N2", "in_use", date(2022, 5, 1), "001", A_NEAR)], today=TODAY)
    f = progress(tiny, store.entries("tiny"), today=TODAY).year(2022)
    assert (f.points_in_use, f.communes_with_point) == (3, 2)
    assert f.children_within == 75  # N2 reaches no village P1 did not


def test_a_point_under_construction_does_not_count(tiny, store):
    store.add("tiny", [_new("N3", "approved", date(2024, 1, 10), "004", D1),
                       _new("N3", "under_construction", date(2025, 2, 1), "004")], today=TODAY)
    p = progress(tiny, store.entries("tiny"), today=TODAY)
    assert p.year(2025).communes_with_point == 2 and p.year(2025).children_within == 75
    assert p.points.loc["N3", "status"] == "under_construction"


def test_an_edit_is_a_new_entry_and_the_old_one_stays(tiny, store):
    (wrong,) = store.add("tiny", [_new("N1", "in_use", date(2023, 6, 15), "004", D1)], today=TODAY, recorded_by="A")
    assert progress(tiny, store.entries("tiny"), today=TODAY).year(2023).communes_with_point == 3
    (fixed,) = store.add("tiny", [_new("N1", "in_use", date(2024, 6, 15), "004", D1, replaces=wrong.seq)],
                         today=TODAY, recorded_by="B")
    entries = store.entries("tiny")
    assert [e.seq for e in entries] == [wrong.seq, fixed.seq] and entries[0].on == date(2023, 6, 15)
    assert current(entries) == (entries[1],)
    p = progress(tiny, entries, today=TODAY)
    assert [p.year(y).communes_with_point for y in (2023, 2024)] == [2, 3]
    assert {e.seq for e in p.entries} >= {wrong.seq, fixed.seq}  # the page lists both
    # someone correcting the same entry from a stale view is refused, and nothing is written
    with pytest.raises(RecordConflict) as err:
        store.add("tiny", [_new("N1", "in_use", date(2024, 7, 1), "004", D1, replaces=wrong.seq)], today=TODAY)
    assert "B" in err.value.message("vi") and "chưa có gì được ghi" in err.value.message("vi")
    assert len(store.entries("tiny")) == 2


def test_a_withdrawal_takes_an_entry_back(tiny, store):
    (e,) = store.add("tiny", [_new("N1", "in_use", date(2024, 6, 15), "004", D1)], today=TODAY)
    store.add("tiny", [Entry("N1", "in_use", date(2024, 6, 15), replaces=e.seq, withdrawn=True)], today=TODAY)
    assert progress(tiny, store.entries("tiny"), today=TODAY).year(2024).communes_with_point == 2


def test_a_batch_is_recorded_whole_or_not_at_all(store):
    good = _new("N1", "in_use", date(2024, 6, 15), "004", D1)
    with pytest.raises(UsageError) as err:
        store.add("tiny", [good, _new("N2", "in_use", date(2027, 1, 1), "001")], today=TODAY)
    assert err.value.key == "err.record_date" and "01/01/2027" in err.value.message("vi")
    assert store.entries("tiny") == ()
    with pytest.raises(UsageError) as err:
        store.add("tiny", [good, Entry("N2", "finished", date(2024, 1, 1))], today=TODAY)
    assert err.value.key == "err.record_value" and "in_use" in err.value.message("vi")
    assert store.entries("tiny") == ()


def test_records_are_kept_per_package(store):
    store.add("tiny", [_new("N1", "in_use", date(2024, 6, 15), "004", D1)], today=TODAY)
    assert store.entries("other") == ()
    assert len(RecordStore(store.path).entries("tiny")) == 1  # on disk, read by a new connection


@pytest.mark.parametrize("entry,key", [
    (Entry("", "in_use", date(2024, 1, 1)), "err.record_value"),
    (Entry("X", "in_use", date(1999, 12, 31)), "err.record_date"),
    (Entry("X", "in_use", date(2024, 1, 1), cost_vnd=-1), "err.record_value"),
    (Entry("X", "in_use", date(2024, 1, 1), funding="bank"), "err.record_value"),
    (Entry("X", "in_use", date(2024, 1, 1), lon=103.0), "err.record_value"),
    (Entry("X", "in_use", date(2024, 1, 1), lon=203.0, lat=22.0), "err.record_value"),
    (Entry("X", "in_use", date(2024, 1, 1), kind="stadium"), "err.record_value"),
])
def test_each_bad_value_is_refused_with_what_to_fix(entry, key):
    with pytest.raises(UsageError) as err:
        check_entry(entry, today=TODAY)
    assert err.value.key == key
    assert err.value.message("vi") != err.value.message("en")


def test_a_scenario_taken_into_the_record_and_its_plan_against_what_was_done(tiny, store):
    d1 = Proposal(id="M1", lon=D1[0], lat=D1[1], commune_code="004", cost_vnd=1_500_000_000, year=2026)
    b = Proposal(id="M2", lon=_lonlat(13_000, 5_000)[0], lat=_lonlat(13_000, 5_000)[1], commune_code="002",
                 cost_vnd=900_000_000, year=2027, funding="non_state")
    s = Scenario(name="Kế hoạch 2026", proposals=(d1, b), version=3, created_at="2026-01-14T18:00:00+00:00")
    entries, already = from_scenario(s, today=TODAY, known=set())
    assert already == 0 and [e.point_id for e in entries] == ["Kế hoạch 2026 / M1", "Kế hoạch 2026 / M2"]
    assert entries[0].status == "planned" and entries[0].origin == "scenario:Kế hoạch 2026 v3"
    assert entries[0].on == date(2026, 1, 15)  # the day it was first saved, in Vietnam (UTC+7)
    stored = store.add("tiny", entries, today=TODAY)
    again, already = from_scenario(s, today=TODAY, known={e.point_id for e in stored})
    assert (again, already) == ((), 2)
    store.add("tiny", [Entry("Kế hoạch 2026 / M1", "in_use", date(2026, 11, 20), cost_vnd=1_400_000_000,
                             funding="state")], today=TODAY)
    p = progress(tiny, store.entries("tiny"), today=TODAY, scenario=s)
    plan = {r.year: r for r in p.plan}
    r26 = plan[2026]
    assert (r26.planned_points, r26.realised_points, r26.planned_communes, r26.realised_communes) == (1, 1, 3, 3)
    assert (r26.planned_children, r26.realised_children, r26.planned_vnd, r26.realised_vnd) == (125, 125, 1_500_000_000,
                                                                                                1_400_000_000)
    r27 = plan[2027]
    assert (r27.planned_points, r27.planned_communes, r27.planned_children, r27.planned_vnd) == (2, 4, 155, 900_000_000)
    assert (r27.realised_points, r27.realised_communes, r27.realised_vnd) == (None, None, None)
    assert p.year(2026).communes_with_point == 3


def test_the_figures_of_a_past_day_know_nothing_later(tiny, store):
    store.add("tiny", [_new("N1", "in_use", date(2024, 6, 15), "004", D1, cost_vnd=5, funding="state")], today=TODAY)
    p = progress(tiny, store.entries("tiny"), today=date(2024, 3, 1))
    assert p.years[-1].year == 2024 and p.years[-1].day == date(2024, 3, 1)
    assert (p.years[-1].communes_with_point, p.years[-1].opened, p.years[-1].spent_total_vnd) == (2, 0, 0)
    assert "N1" not in p.points.index  # not yet in the record on that day
    assert progress(tiny, store.entries("tiny"), today=date(2024, 6, 15)).years[-1].communes_with_point == 3


def test_what_the_workspace_records_outranks_the_packages_history(tiny, store):
    """P3 is under construction at the data date (today, for the tiny package); a commune says it
    has been in use since 01/02/2024: from then on B has a point."""
    assert progress(tiny, (), today=TODAY).year(2026).communes_with_point == 2
    store.add("tiny", [Entry("P3", "in_use", date(2024, 2, 1))], today=TODAY)
    p = progress(tiny, store.entries("tiny"), today=TODAY)
    assert [p.year(y).communes_with_point for y in (2023, 2024, 2026)] == [2, 3, 3]
    assert p.points.loc["P3", "status"] == "in_use"


def test_a_reopening_spends_in_its_own_year_and_leaves_the_first_alone(tiny, store):
    store.add("tiny", [_new("N1", "in_use", date(2022, 5, 1), "004", D1, cost_vnd=1_000_000_000, funding="state"),
                       _new("N1", "closed", date(2024, 1, 10), "004"),
                       _new("N1", "closed", date(2024, 2, 10), "004"),
                       _new("N1", "in_use", date(2025, 9, 1), "004", cost_vnd=300_000_000, funding="non_state")],
              today=TODAY)
    p = progress(tiny, store.entries("tiny"), today=TODAY)
    assert [(o.point_id, o.on, o.cost_vnd, o.funding) for o in p.openings if o.point_id == "N1"] == [
        ("N1", date(2022, 5, 1), 1_000_000_000, "state"), ("N1", date(2025, 9, 1), 300_000_000, "non_state")]
    assert dict(p.year(2022).spent_vnd) == {"state": 1_000_000_000, "non_state": 0, "unknown": 0}
    assert dict(p.year(2025).spent_vnd) == {"state": 0, "non_state": 300_000_000, "unknown": 0}
    assert (p.year(2024).closed, p.year(2024).communes_with_point, p.year(2025).opened) == (1, 2, 1)


def test_an_older_planned_entry_takes_nothing_from_the_packages_later_history(tiny, store):
    store.add("tiny", [Entry("P1", "planned", date(2015, 1, 1), note="theo hồ sơ lưu trữ")], today=TODAY)
    p = progress(tiny, store.entries("tiny"), today=TODAY)
    assert [p.year(y).communes_with_point for y in (2015, 2019, 2020, 2021)] == [0, 0, 1, 2]


def test_works_on_a_point_in_use_spend_in_the_reopening_year_only(tiny, store):
    store.add("tiny", [_new("N1", "in_use", date(2022, 5, 1), "004", D1, cost_vnd=1_000_000_000, funding="state"),
                       _new("N1", "under_construction", date(2026, 4, 1), "004", cost_vnd=250_000_000,
                            funding="non_state", note="nâng cấp"),
                       _new("N1", "in_use", date(2026, 9, 1), "004")], today=TODAY)
    p = progress(tiny, store.entries("tiny"), today=TODAY)
    assert dict(p.year(2022).spent_vnd)["state"] == 1_000_000_000  # the first opening keeps its money
    assert dict(p.year(2026).spent_vnd) == {"state": 0, "non_state": 250_000_000, "unknown": 0}
    assert p.year(2026).opened == 1 and p.year(2026).communes_with_point == 3
    store.add("tiny", [_new("P1", "under_construction", date(2025, 3, 1), "001"),
                       _new("P1", "in_use", date(2025, 6, 1), "001")], today=TODAY)
    p = progress(tiny, store.entries("tiny"), today=TODAY)
    assert (p.year(2025).opened, p.year(2025).cost_unknown, p.year(2025).spent_total_vnd) == (1, 1, 0)  # not counted twice
