"""Faults (issue 8, point 4): the app survives and explains them in the user's language, and the
server log records enough to diagnose each: a corrupt or missing data package, a full disk on
save, a database locked by another writer, an optimiser stopped by its time limit, anything
unexpected on a page."""
from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner import io as pio
from planner.errors import PlannerError
from planner.i18n import t
from planner.formats import fmt_int
from planner.io import DEMO_DIR, read_package, write_package
from planner.scenarios import Scenario
from planner.siting import SitingResult
from planner.store import ScenarioStore
from tests.conftest import tiny_layers
from ui.markdown import plain
from conftest import plan_key

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
HELP_VI = t("fault.package_help", "vi")


def workspace() -> Path:
    return Path(os.environ["PLANNER_WORKSPACE"])


def choose(path: Path) -> None:
    """Make `path` the active package, as the Data page does when an import is confirmed."""
    workspace().mkdir(parents=True, exist_ok=True)
    (workspace() / "active_package.txt").write_text(str(path), encoding="utf-8")


def session(page: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def records(caplog, name: str, level: int = logging.WARNING) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == name and r.levelno >= level]


# --- the log -------------------------------------------------------------------------------------
def test_log_reaches_stderr_once_with_timestamps(capsys):
    from ui.logs import HANDLER_NAME, setup_logging

    setup_logging()
    setup_logging()
    root = logging.getLogger("planner")
    assert [h.get_name() for h in root.handlers].count(HANDLER_NAME) == 1
    logging.getLogger("planner.test").warning("disk check %s", "ok")
    lines = [l for l in capsys.readouterr().err.splitlines() if "planner.test" in l]
    assert len(lines) == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING planner\.test: disk check ok", lines[0])


def test_cli_stderr_stays_one_line_when_the_library_logs(tmp_path):
    """The library logs a failed write; the CLI still prints only its one-line message."""
    res = subprocess.run([sys.executable, "-m", "planner", "rank", "--lang", "en",
                          "--out", str(tmp_path / "no" / "x.csv")], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert res.returncode == 2 and res.stderr.count("\n") == 1 and res.stderr.startswith("Cannot write to")


# --- a corrupt or missing data package ---------------------------------------------------------
def _truncate(p: Path) -> None:
    f = p / "boundaries/communes.geojson"
    f.write_bytes(f.read_bytes()[:300])


def _garbage(p: Path) -> None:
    (p / "facilities/schools.geojson").write_bytes(bytes(range(256)) * 8)


def _no_villages(p: Path) -> None:
    (p / "boundaries/villages.geojson").unlink()


def _manifest_list(p: Path) -> None:
    (p / "package.json").write_text("[1, 2]", encoding="utf-8")


@pytest.mark.parametrize("damage, says", [
    (_truncate, "không đọc được tệp boundaries/communes.geojson"),
    (_garbage, "không đọc được tệp facilities/schools.geojson"),
    (_no_villages, "thiếu tệp boundaries/villages.geojson"),
    (_manifest_list, "không đọc được tệp package.json: not a JSON object"),
], ids=["truncated", "garbage", "no_villages", "manifest_list"])
def test_broken_package_every_page_explains_and_the_data_page_recovers(tiny_dir, caplog, damage, says):
    damage(tiny_dir)
    choose(tiny_dir)
    with pytest.raises(PlannerError) as err:
        read_package(tiny_dir)
    expected = f"**{t('app.error_title', 'vi')}**: {plain(err.value.message('vi'))}"
    assert says in expected
    for page in (None, "views/priorities.py", "views/sites.py", "views/scenarios.py"):
        at = session(page)
        assert [e.value for e in at.error] == [expected]
        assert [i.value for i in at.info] == [HELP_VI]
        assert len(at.title) == 0  # the page did not run
    logged = records(caplog, "planner.app", logging.ERROR)
    assert len(logged) == 1  # once per process, not on every rerun of every session
    assert str(tiny_dir) in logged[0].getMessage() and "DataPackageError err.package" in logged[0].getMessage()

    at = session("views/data.py")
    assert [e.value for e in at.error] == [expected]
    assert at.title[0].value == "Dữ liệu của tỉnh"
    next(b for b in at.button if b.label == "Quay lại dữ liệu minh họa").click().run()
    assert not at.exception
    assert at.session_state["data_dir"] == str(DEMO_DIR) and [e.value for e in at.error] == []
    assert [s.value for s in at.success] == ["Đang dùng dữ liệu minh họa"]
    assert (workspace() / "active_package.txt").read_text(encoding="utf-8") == str(DEMO_DIR)
    assert [e.value for e in session().error] == []  # a new session starts on the demo


def test_unexpected_failure_reading_a_package_still_leaves_the_data_page(tiny_dir, monkeypatch, caplog):
    def broken(_frames):
        raise KeyError("geometry")

    monkeypatch.setattr("planner.io.check_package", broken)
    choose(tiny_dir)
    at = session()
    [err] = [e.value for e in at.error]
    ref = re.search(r"với mã ([0-9A-F]{8})\.", err).group(1)
    assert [i.value for i in at.info] == [HELP_VI] and len(at.title) == 0
    [rec] = [r for r in records(caplog, "planner.app", logging.ERROR) if ref in r.getMessage()]
    assert rec.getMessage() == f"unexpected error, reference {ref}, reading data package {tiny_dir}: KeyError: 'geometry'"
    at.switch_page("views/data.py").run()
    assert not at.exception and at.title[0].value == "Dữ liệu của tỉnh" and len(at.error) == 1
    monkeypatch.undo()  # the demo must read normally (it may not be cached yet)
    next(b for b in at.button if b.label == "Quay lại dữ liệu minh họa").click().run()
    assert at.session_state["data_dir"] == str(DEMO_DIR) and not at.error


def test_package_deleted_after_it_was_cached(tiny_dir, caplog):
    at = session(data_dir=str(tiny_dir))
    assert at.title[0].value.startswith("Quy hoạch") and not at.error
    shutil.rmtree(tiny_dir)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"**{t('app.error_title', 'vi')}**: {plain(t('err.no_folder', 'vi', path=str(tiny_dir)))}"]
    assert [i.value for i in at.info] == [HELP_VI] and len(at.title) == 0
    assert any(str(tiny_dir) in r.getMessage() and "err.no_folder" in r.getMessage()
               for r in records(caplog, "planner.app", logging.ERROR))
    at.switch_page("views/data.py").run()
    assert not at.exception and at.title[0].value == "Dữ liệu của tỉnh"
    next(b for b in at.button if b.label == "Quay lại dữ liệu minh họa").click().run()
    assert at.session_state["data_dir"] == str(DEMO_DIR) and not at.error


def test_active_package_gone_at_start_falls_back_to_the_demo_and_says_so(tmp_path, caplog):
    gone = tmp_path / "gone"
    choose(gone)
    at = session()
    assert at.session_state["data_dir"] == str(DEMO_DIR) and not at.error
    assert plain(t("fault.package_fallback", "vi", path=str(gone))) in [w.value for w in at.sidebar.warning]
    assert any(str(gone) in r.getMessage() and "is gone" in r.getMessage() for r in records(caplog, "planner.app"))


# --- a full disk ---------------------------------------------------------------------------------
def _sample() -> Scenario:
    return Scenario(name="Ngân sách tỉnh", description="v1", author="Chị Lan")


@pytest.fixture()
def full_database(monkeypatch):
    """Every connection may not grow the database by a page: SQLite itself answers SQLITE_FULL."""
    connect = ScenarioStore._connect

    def tight(self):
        db = connect(self)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    return lambda: monkeypatch.setattr(ScenarioStore, "_connect", tight)


def test_full_database_save_is_refused_previous_version_intact(tmp_path, full_database, caplog, monkeypatch):
    db = tmp_path / "s.sqlite"
    store = ScenarioStore(db)
    v1 = store.save(_sample())
    full_database()
    with pytest.raises(PlannerError) as err:
        store.save(replace(v1, description="x" * 5_000))  # the longest description allowed
    assert err.value.key == "err.disk_full"
    assert err.value.message("en") == (f"The server's disk is full: nothing was saved to {db} and the previous version is "
                                       "intact. Free some space (or tell the administrator), then try again.")
    assert isinstance(err.value.__cause__, sqlite3.OperationalError)
    assert err.value.__cause__.sqlite_errorname == "SQLITE_FULL"  # the real error, not a failed ROLLBACK
    assert store.load(v1.name) == v1 and [v.version for v in store.versions(v1.name)] == [1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.sqlite"]  # no journal left behind
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    [rec] = records(caplog, "planner.store", logging.ERROR)
    assert str(db) in rec.getMessage() and "save 'Ngân sách tỉnh' failed: SQLITE_FULL" in rec.getMessage()
    monkeypatch.undo()
    assert store.save(replace(v1, description="after")).version == 2


def test_full_database_on_the_scenarios_page(full_database):
    db = workspace() / "scenarios.sqlite"
    ScenarioStore(db).save(_sample())
    full_database()
    at = session("views/scenarios.py")
    at.session_state["plan"] = at.session_state["plan"].opened(ScenarioStore(db).load("Ngân sách tỉnh"))
    at.run()
    at.text_area(key=plan_key(at, "description")).set_value("y" * 5_000)
    next(b for b in at.button if b.label == "Lưu kịch bản").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [plain(t("err.disk_full", "vi", path=str(db)))]
    assert ScenarioStore(db).load("Ngân sách tỉnh").description == "v1"


@pytest.fixture()
def small_fs(tmp_path):
    """A real 256 KiB file system (tmpfs); skipped where mounting is not allowed."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a small tmpfs")
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {res.stderr.decode(errors='replace').strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def test_really_full_file_system(small_fs, demo):
    store = ScenarioStore(small_fs / "s.sqlite")
    v1 = store.save(_sample())
    (small_fs / "keep.txt").write_bytes(b"old")
    filler = _fill(small_fs)
    with pytest.raises(PlannerError) as err:
        store.save(replace(v1, description="x" * 5_000))
    assert err.value.key == "err.disk_full"
    with pytest.raises(PlannerError) as err:
        pio.write_bytes(small_fs / "keep.txt", b"new" * 10_000)
    assert err.value.key == "err.disk_full"
    filler.write_bytes(b"x" * 150_000)  # some room, not enough for a package: GDAL fails without saying why
    with pytest.raises(PlannerError) as err:
        write_package({k: getattr(demo, k) for k in ("communes", "villages", "play_points", "schools")}, {"name": "t"},
                      small_fs / "pkg")
    assert err.value.key == "err.disk_full"
    assert sorted(p.name for p in small_fs.iterdir()) == ["filler", "keep.txt", "s.sqlite"]
    assert (small_fs / "keep.txt").read_bytes() == b"old"
    filler.unlink()
    assert store.load(v1.name) == v1
    assert store.save(replace(v1, description="room again")).version == 2


def test_write_bytes_full_disk_keeps_the_old_file(tmp_path, monkeypatch, caplog):
    out = tmp_path / "column_mappings.json"
    out.write_bytes(b"old")

    def fsync(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pio.os, "fsync", fsync)
    with pytest.raises(PlannerError) as err:
        pio.write_bytes(out, b"new")
    assert err.value.message("vi") == (f"Ổ đĩa của máy chủ đã đầy: chưa lưu được gì vào {out}, bản trước vẫn nguyên vẹn. "
                                       "Hãy giải phóng dung lượng (hoặc báo quản trị viên) rồi thử lại.")
    assert out.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["column_mappings.json"]
    [rec] = records(caplog, "planner.io", logging.ERROR)
    assert rec.getMessage() == f"write file {out} failed (disk full): OSError: [Errno 28] No space left on device"


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_write_package_full_disk_midway_puts_the_previous_package_back(tmp_path, monkeypatch):
    out = write_package(tiny_layers(), {"name": "v1"}, tmp_path / "pkg")
    before = _tree(out)
    layers = tiny_layers()
    layers["villages"] = layers["villages"].assign(name="Bản mới")
    calls = []
    real = os.replace

    def replace_(src, dst):
        calls.append(dst)
        if len(calls) == 5:  # some files already moved into place
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(pio.os, "replace", replace_)
    with pytest.raises(PlannerError) as err:
        write_package(layers, {"name": "v2"}, out)
    assert err.value.key == "err.disk_full"
    monkeypatch.undo()
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]  # no temporary or backup folders left


def test_rewriting_a_package_drops_layers_the_new_one_lacks(tmp_path, monkeypatch):
    from planner.io import read_package

    import geopandas as gpd

    layers = tiny_layers()
    layers["candidate_sites"] = gpd.GeoDataFrame(
        {"id": ["K1"], "commune_code": ["002"], "area_m2": [900.0], "land_status": ["public_land"],
         "est_cost_vnd": [1.2e9]}, geometry=layers["villages"].geometry.iloc[[2]].to_numpy(), crs=layers["villages"].crs)
    out = write_package(layers, {"name": "v1"}, tmp_path / "pkg")
    assert len(read_package(out).candidate_sites) == 1
    fewer = {k: v for k, v in layers.items() if k != "candidate_sites"}
    before = _tree(out)
    real = os.replace

    def replace_(src, dst):  # the disk fills while the old candidate sites are set aside
        if "candidate" in str(src) and ".planner-old-" in str(dst):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(pio.os, "replace", replace_)
    with pytest.raises(PlannerError):
        write_package(fewer, {"name": "v2"}, out)
    monkeypatch.undo()
    assert _tree(out) == before  # all or nothing: v1 complete, its candidate sites included
    write_package(fewer, {"name": "v2"}, out)
    assert read_package(out).candidate_sites is None  # not v1's, left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_a_new_import_never_overwrites_a_package(tmp_path):
    from planner.io import unused_folder

    assert unused_folder(tmp_path / "du-lieu") == tmp_path / "du-lieu"  # made empty, for the import
    (tmp_path / "du-lieu-2").mkdir()
    assert unused_folder(tmp_path / "du-lieu") == tmp_path / "du-lieu-3"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["du-lieu", "du-lieu-2", "du-lieu-3"]


def test_write_package_full_disk_creates_nothing(tmp_path, monkeypatch):
    real = os.replace

    def replace_(src, dst):
        if Path(dst).name == "package.json":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(pio.os, "replace", replace_)
    with pytest.raises(PlannerError) as err:
        write_package(tiny_layers(), {"name": "new"}, tmp_path / "new")
    assert err.value.key == "err.disk_full" and list(tmp_path.iterdir()) == []


# --- a database locked by another writer -------------------------------------------------------
def test_locked_database_on_the_scenarios_page(monkeypatch, caplog):
    monkeypatch.setattr("planner.store.LOCK_TIMEOUT_S", 0.2)
    db = workspace() / "scenarios.sqlite"
    ScenarioStore(db).save(_sample())
    at = session("views/scenarios.py")
    at.text_input(key=plan_key(at, "name")).set_value("Kịch bản mới")
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer, mid-save
    try:
        next(b for b in at.button if b.label == "Lưu kịch bản").click().run()
        assert not at.exception
        assert [e.value for e in at.error] == [t("err.store_locked", "vi")]
        assert ScenarioStore(db).names() == ["Ngân sách tỉnh"]  # reading still works
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    [rec] = records(caplog, "planner.store")
    assert rec.levelno == logging.WARNING
    assert rec.getMessage() == (f"scenario store {db}: save 'Kịch bản mới' failed: SQLITE_BUSY: database is locked "
                                "(another writer holds the database)")
    next(b for b in at.button if b.label == "Lưu kịch bản").click().run()
    assert not at.error and ScenarioStore(db).names() == ["Kịch bản mới", "Ngân sách tỉnh"]


def test_damaged_scenario_database_is_explained(caplog):
    db = workspace() / "scenarios.sqlite"
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"not a database, " * 512)
    at = session("views/scenarios.py")
    assert [e.value for e in at.error] == [plain(t("err.store", "vi", path=str(db), detail="file is not a database"))]
    [rec] = records(caplog, "planner.store", logging.ERROR)
    assert rec.getMessage() == f"scenario store {db}: open failed: SQLITE_NOTADB: file is not a database"
    assert rec.exc_info is not None  # unexpected: the traceback is logged


# --- an optimiser stopped by its time limit ---------------------------------------------------
def test_time_limit_on_the_sites_page(monkeypatch, caplog, demo):
    from planner.candidates import SOURCES, candidates_from_package, problem_from_package

    monkeypatch.setattr("planner.site_plan.EXACT_TIME_LIMIT_S", 1e-9)
    at = session("views/sites.py")
    next(b for b in at.button if b.label == "Chạy tối ưu hóa").click().run()
    assert not at.exception and not at.error
    assert [w.value for w in at.main.warning] == [t("opt.time_limit_nogap", "vi", limit="0")]
    cands = candidates_from_package(demo, sources=SOURCES, default_cost_vnd=1_500_000_000)
    greedy = problem_from_package(demo, cands, radius_m=2000, budget_vnd=20_000_000_000).solve_greedy()
    values = [m.value for m in at.metric]
    assert fmt_int(greedy.children_newly_reached, "vi") in values  # the best found: greedy's
    assert any(c.value.startswith("Trạng thái lời giải: dừng khi hết thời gian cho phép") for c in at.caption)
    assert any("HiGHS stopped with status time_limit" in r.getMessage() and "time limit 1e-09 s" in r.getMessage()
               for r in records(caplog, "planner.siting"))


def _result(status: str, objective: float, gap: float | None, method: str = "exact") -> SitingResult:
    return SitingResult(method, (1,) if objective else (), int(objective), 0, 10, objective, status, gap, 0.5)


def test_settle_says_what_the_answer_is(caplog):
    from planner.site_plan import note_text, settle

    fast = _result("heuristic", 100, None, "greedy")
    optimal = _result("optimal", 120, 0.0)
    assert settle(fast, optimal, time_limit_s=60) == (optimal, None)
    best, note = settle(fast, _result("time_limit", 110, 0.0123), time_limit_s=60)
    assert best.objective == 110
    assert note_text(note, "vi") == ("Trình giải dừng ở giới hạn thời gian 60 giây: đây là phương án tốt nhất tìm được, "
                                     "có thể kém phương án tối ưu tới 1,23%.")
    assert note_text(note, "en") == ("The solver stopped at its time limit of 60 s: this is the best answer found, "
                                     "at most 1.23% short of the optimum.")
    best, note = settle(fast, _result("time_limit", 0, None), time_limit_s=60)
    assert best is fast
    assert note_text(note, "en") == ("The solver found no answer within 60 s (status: stopped at the time limit); "
                                     "showing the fast answer instead.")
    assert any("found no answer" in r.getMessage() for r in records(caplog, "planner.site_plan"))
    best, note = settle(fast, _result("interrupted", 105, None), time_limit_s=60)
    assert best.objective == 105 and note == ("opt.stopped", {"status": "interrupted"})


# --- anything unexpected -------------------------------------------------------------------------
def test_unexpected_error_on_a_page_shows_a_reference_not_a_traceback(monkeypatch, caplog):
    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr("planner.formats.fmt_pct", broken)
    at = session()
    assert len(at.error) == 1
    ref = re.fullmatch(r"Đã xảy ra lỗi ngoài dự kiến; lỗi đã được ghi vào nhật ký máy chủ với mã ([0-9A-F]{8})\. "
                       r"Hãy tải lại trang; nếu lỗi lặp lại, báo mã này cho quản trị viên\.", at.error[0].value).group(1)
    assert "Traceback" not in at.error[0].value and "boom" not in at.error[0].value
    [rec] = [r for r in records(caplog, "planner.app", logging.ERROR) if ref in r.getMessage()]
    assert rec.getMessage() == f"unexpected error, reference {ref}, page overview: RuntimeError: boom"
    assert rec.exc_info and rec.exc_info[0] is RuntimeError  # the traceback is in the log
    at.radio(key="lang").set_value("en").run()
    assert at.error[0].value.startswith("Something went wrong; the error was logged on the server with reference ")


def test_failing_callback_is_explained_on_the_next_run(monkeypatch, caplog):
    ScenarioStore(workspace() / "scenarios.sqlite").save(_sample())
    at = session("views/scenarios.py")

    load = ScenarioStore.load

    def broken(self, name, version=None):
        if version is None:  # the "Open" button's callback; the page itself loads a given version
            raise RuntimeError("disk read error")
        return load(self, name, version)

    monkeypatch.setattr(ScenarioStore, "load", broken)
    next(b for b in at.button if b.label.startswith("Mở “")).click().run()
    assert not at.exception
    [err] = [e.value for e in at.error]
    ref = re.search(r"mã ([0-9A-F]{8})", err).group(1)
    assert any(r.getMessage() == f"unexpected error, reference {ref}, open scenario: RuntimeError: disk read error"
               for r in records(caplog, "planner.app", logging.ERROR))


def test_server_config_hides_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] in (False, "none")
