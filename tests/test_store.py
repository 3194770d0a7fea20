"""The scenario store: round trip, versions, restore, refusal of stale saves, crash safety."""
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from planner.errors import PlannerError, UsageError
from planner.proposals import Proposal
from planner.scenarios import Scenario, from_json
from planner.store import ScenarioConflict, ScenarioStore

ROOT = Path(__file__).resolve().parent.parent


def sample(name="Ngân sách nhà nước") -> Scenario:
    return Scenario(
        name=name, description="Chỉ dùng ngân sách tỉnh", author="Chị Lan", radius_m=2500.0,
        budget_by_year={2026: 3_000_000_000, 2027: 3_000_000_000, 2028: 0, 2029: 0, 2030: 0},
        proposals=(Proposal("N001", 103.36, 22.7547, "03562", cost_vnd=1_200_000_000, year=2026),
                   Proposal("N002", 103.159, 22.186, "03487", kind="culture_point", cost_vnd=750_000_000, year=2027,
                            funding="non_state", source="candidate", candidate_id="C049")),
    )


def test_round_trip(tmp_path):
    store = ScenarioStore(tmp_path / "s.sqlite")
    saved = store.save(sample())
    assert saved.version == 1 and saved.created_at and saved.updated_at
    loaded = store.load("Ngân sách nhà nước")
    assert loaded == saved
    assert from_json(saved.to_json()) == saved
    assert store.names() == ["Ngân sách nhà nước"]


def test_every_save_is_a_version_and_restore(tmp_path):
    store = ScenarioStore(tmp_path / "s.sqlite")
    v1 = store.save(sample())
    v2 = store.save(replace(v1, description="v2", proposals=v1.proposals[:1]))
    assert [v.version for v in store.versions(v1.name)] == [2, 1]
    assert store.load(v1.name, 1).description == "Chỉ dùng ngân sách tỉnh"
    v3 = store.restore(v1.name, 1, expected_version=v2.version, author="Anh Minh")
    assert v3.version == 3 and v3.proposals == v1.proposals and v3.description == v1.description
    assert store.versions(v1.name)[0].note == "restore v1"
    assert store.load(v1.name).version == 3


def test_stale_save_is_refused(tmp_path):
    store = ScenarioStore(tmp_path / "s.sqlite")
    base = store.save(sample())
    mine = store.load(base.name)
    theirs = store.load(base.name)
    store.save(replace(theirs, author="Anh Minh", description="their change"))
    with pytest.raises(ScenarioConflict) as err:
        store.save(replace(mine, description="my change"))
    msg = err.value.message("en")
    assert "Anh Minh saved version 2" in msg and "editing version 1" in msg
    assert "đã lưu phiên bản 2" in err.value.message("vi")
    assert store.load(base.name).description == "their change"  # nothing lost


def test_stale_delete_says_who_saved_and_when(tmp_path):
    store = ScenarioStore(tmp_path / "s.sqlite")
    base = store.save(sample())
    theirs = store.save(replace(base, author="Anh Minh", description="their change"))
    with pytest.raises(ScenarioConflict) as err:
        store.delete(base.name, expected_version=1)
    msg = err.value.message("en")
    assert "Anh Minh saved version 2" in msg and theirs.updated_at in msg and "?" not in msg
    assert store.names() == [base.name]  # not deleted


def test_new_scenario_with_a_taken_name_is_refused(tmp_path):
    store = ScenarioStore(tmp_path / "s.sqlite")
    store.save(sample())
    with pytest.raises(ScenarioConflict):
        store.save(sample())  # version 0 = "new", but the name exists


def test_delete_and_missing(tmp_path):
    store = ScenarioStore(tmp_path / "s.sqlite")
    s = store.save(sample())
    store.delete(s.name, expected_version=1)
    assert store.names() == []
    with pytest.raises(PlannerError) as err:
        store.load(s.name)
    assert err.value.key == "err.scenario_missing"
    assert store.save(replace(sample(), version=0)).version == 2  # a new start keeps the history


def test_bad_names(tmp_path):
    store = ScenarioStore(tmp_path / "s.sqlite")
    with pytest.raises(UsageError):
        store.save(replace(sample(), name="   "))


def test_killed_mid_save_leaves_previous_version(tmp_path):
    db = tmp_path / "s.sqlite"
    store = ScenarioStore(db)
    store.save(sample())
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from dataclasses import replace
        from planner import store as st

        real = st.ScenarioStore._connect

        class Slow:
            def __init__(self, db): self.db = db
            def execute(self, sql, *a):
                if sql.startswith("INSERT INTO version"):
                    print("inside", flush=True)
                    time.sleep(60)
                return self.db.execute(sql, *a)
            def __getattr__(self, name): return getattr(self.db, name)

        st.ScenarioStore._connect = lambda self: Slow(real(self))
        s = st.ScenarioStore({str(db)!r})
        cur = s.load("Ngân sách nhà nước")
        s.save(replace(cur, description="half-written"))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "inside"  # the scenario row is updated, not committed
    proc.kill()
    proc.wait(timeout=10)
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = ScenarioStore(db)
    assert store.load("Ngân sách nhà nước").description == "Chỉ dùng ngân sách tỉnh"
    assert [v.version for v in store.versions("Ngân sách nhà nước")] == [1]
    assert store.save(replace(store.load("Ngân sách nhà nước"), description="after")).version == 2


def test_locked_database_is_explained(tmp_path):
    db = tmp_path / "s.sqlite"
    store = ScenarioStore(db, timeout_s=0.2)
    s = store.save(sample())
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(PlannerError) as err:
            store.save(s)
        assert err.value.key == "err.store_locked"
        assert "try again" in err.value.message("en")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_unwritable_store_is_explained(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(PlannerError) as err:
        ScenarioStore(tmp_path / "file" / "s.sqlite")
    assert err.value.key == "err.store"


def test_what_cannot_be_loaded_is_not_saved(tmp_path):
    from planner.errors import UsageError
    from planner.proposals import MAX_VND

    store = ScenarioStore(tmp_path / "s.sqlite")
    too_big = replace(sample(), budget_by_year={2026: MAX_VND + 1})
    with pytest.raises(UsageError) as err:
        store.save(too_big)
    assert err.value.key == "err.scenario_value" and "budget_by_year.2026" in err.value.message("en")
    assert store.names() == []  # nothing written
    long_id = "Trường PTDTBT TH Pa Vệ Sử - điểm bản Nậm Pì 2 (khu đất phía sau nhà văn hóa)"
    s = sample()
    s = replace(s, proposals=tuple(replace(p, candidate_id=long_id) for p in s.proposals))
    assert store.load(store.save(s).name).proposals == s.proposals  # ids from an imported package may be long


def test_a_proposal_cost_above_the_ceiling_is_refused():
    from planner.errors import UsageError
    from planner.proposals import MAX_VND, edit

    p = sample().proposals[0]
    assert edit(p, cost_vnd=MAX_VND).cost_vnd == MAX_VND
    with pytest.raises(UsageError) as err:
        edit(p, cost_vnd=MAX_VND * 10)
    assert err.value.key == "err.proposal_cost"


# --- several server processes on one workspace database (docs/deployment.md, several processes) ---

def _worker(i: int, db: str, rounds: int, seq_to_fix: int, barrier, out) -> None:
    """One server process: each round it saves the shared scenario (from the version all workers
    loaded, so only one of them can win), its own scenario and a record entry; then all of them
    correct the same entry at once."""
    from datetime import date

    from planner.record import Entry
    from planner.record_store import RecordConflict, RecordStore

    store, record = ScenarioStore(db), RecordStore(db)
    got = {"shared": [], "conflicts": 0, "own": [], "entries": [], "fixes": 0, "fix_conflicts": 0, "errors": []}
    try:
        own = Scenario(name=f"Riêng {i}")
        for r in range(rounds):
            barrier.wait(30)
            base = store.load("Chung")
            barrier.wait(30)  # everyone holds the same version now
            try:
                saved = store.save(replace(base, description=f"w{i} r{r}", author=f"w{i}"))
                got["shared"].append((saved.version, saved.description))
            except ScenarioConflict:
                got["conflicts"] += 1
            own = store.save(replace(own, description=f"r{r}"))
            got["own"].append(own.version)
            (e,) = record.add("pkg", [Entry(f"N{i}-{r}", "planned", date(2025, 1, 1), name=f"Điểm {i}-{r}",
                                            commune_code="001", lon=103.3, lat=22.4)], today=date(2026, 1, 1),
                              recorded_by=f"w{i}")
            got["entries"].append((e.seq, e.point_id))
        barrier.wait(30)
        try:
            record.add("pkg", [Entry("N-base", "approved", date(2025, 2, 1), replaces=seq_to_fix)],
                       today=date(2026, 1, 1), recorded_by=f"w{i}")
            got["fixes"] += 1
        except RecordConflict:
            got["fix_conflicts"] += 1
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
        got["errors"].append(f"{type(exc).__name__}: {exc}")
    out.put((i, got))


def test_processes_saving_at_once_lose_nothing_and_overwrite_nothing(tmp_path):
    """Four processes on one database: every save is kept once, a save from a stale version is
    refused (never written over the other), the record gets every entry once, and of four
    corrections of one entry exactly one is recorded."""
    import multiprocessing as mp
    from datetime import date

    from planner.record import Entry
    from planner.record_store import RecordStore

    n, rounds = 4, 12
    db = str(tmp_path / "scenarios.sqlite")
    ScenarioStore(db).save(Scenario(name="Chung", description="start"))
    (base,) = RecordStore(db).add("pkg", [Entry("N-base", "planned", date(2025, 1, 1), name="Gốc", commune_code="001",
                                                lon=103.3, lat=22.4)], today=date(2026, 1, 1))
    ctx = mp.get_context("fork")
    barrier, out = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(i, db, rounds, base.seq, barrier, out)) for i in range(n)]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    assert [e for r in results.values() for e in r["errors"]] == []

    store = ScenarioStore(db)
    # the shared scenario: one winner per round, versions 2..rounds+1 in order, each the winner's own text
    won = sorted(v for r in results.values() for v in r["shared"])
    assert [v for v, _ in won] == list(range(2, rounds + 2))
    assert sum(r["conflicts"] for r in results.values()) == (n - 1) * rounds
    assert [store.load("Chung", v).description for v, _ in won] == [d for _, d in won]
    assert [v.version for v in store.versions("Chung")] == list(range(rounds + 1, 0, -1))
    # each process's own scenario: every save a version, none lost
    for i in range(n):
        assert results[i]["own"] == list(range(1, rounds + 1))
        assert [store.load(f"Riêng {i}", v).description for v in range(1, rounds + 1)] == [f"r{r}" for r in range(rounds)]
    # the record: every entry once, in the order of its seq
    entries = RecordStore(db).entries("pkg")
    added = sorted(e for r in results.values() for e in r["entries"])
    assert [(e.seq, e.point_id) for e in entries if e.point_id != "N-base"] == added
    assert {pid for _, pid in added} == {f"N{i}-{r}" for i in range(n) for r in range(rounds)}
    assert len({e.seq for e in entries}) == len(entries) == n * rounds + 2
    # one correction of the base entry recorded, the other three refused
    assert sum(r["fixes"] for r in results.values()) == 1
    assert sum(r["fix_conflicts"] for r in results.values()) == n - 1
    assert [e.replaces for e in entries if e.replaces is not None] == [base.seq]
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
