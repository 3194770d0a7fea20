"""`python -m planner record` and `progress` on the demo: one status change, a scenario taken in, a
commune's list checked and recorded whole or not at all, corrections, and the figures moving."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl

from planner.cli import main
from planner.io import DEMO_DIR, read_package
from planner.progress import today_in_vietnam
from planner.record_store import RecordStore
from planner.scenarios import Scenario
from planner.proposals import propose_at
from planner.store import ScenarioStore

DEMO = read_package(DEMO_DIR).name


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def figures(ws: Path) -> dict:
    code, out, _ = run("progress", "--json", "--workspace", str(ws))
    assert code == 0
    return json.loads(out)


def entries(ws: Path):
    return RecordStore(ws / "scenarios.sqlite").entries(DEMO)


def test_record_a_point_in_use_and_correct_it(tmp_path):
    ws = tmp_path / "ws"
    today = today_in_vietnam()
    code, out, _ = run("record", "--point", "P019", "--status", "in_use", "--date", today.strftime("%d/%m/%Y"),
                       "--cost-vnd", "1.250.000.000", "--funding", "non_state", "--by", "Anh Minh", "--workspace", str(ws))
    assert code == 0 and out.strip() == "Đã ghi mục số 1: điểm P019, Đang sử dụng."
    assert figures(ws)["years"][-1]["communes_with_point"] == 10
    (e,) = entries(ws)
    assert (e.cost_vnd, e.funding, e.recorded_by, e.origin) == (1_250_000_000, "non_state", "Anh Minh", "cli")
    code, out, _ = run("record", "--point", "P019", "--status", "under_construction", "--date", "2025-03-01",
                       "--replaces", "1", "--workspace", str(ws))
    assert code == 0 and figures(ws)["years"][-1]["communes_with_point"] == 9
    code, _, err = run("record", "--point", "P019", "--status", "in_use", "--date", "2025-03-01", "--replaces", "1",
                       "--workspace", str(ws))
    assert code == 2 and "Mục số 1 đã được" in err and "chưa có gì được ghi" in err
    assert [(x.seq, x.replaces) for x in entries(ws)] == [(1, None), (2, 1)]


def test_a_scenario_taken_in_twice_counts_once(tmp_path, demo):
    ws = tmp_path / "ws"
    ScenarioStore(ws / "scenarios.sqlite").save(Scenario(name="Ba điểm", proposals=(
        propose_at(demo, 103.36, 22.7547), propose_at(demo, 103.155, 22.295))))
    assert run("record", "--from-scenario", "Ba điểm", "--workspace", str(ws))[1].strip().startswith("Đã đưa 2 đề xuất")
    code, out, _ = run("record", "--from-scenario", "Ba điểm", "--workspace", str(ws))
    assert code == 0 and "Đã đưa 0 đề xuất" in out and "2 đề xuất đã có" in out
    assert [e.status for e in entries(ws)] == ["planned", "planned"]
    assert figures(ws)["years"][-1]["communes_with_point"] == 9  # planned does not count


def _list(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.load_workbook(path)
    for row in rows:
        wb.worksheets[0].append(row)
    out = path.with_name("danh-sach.xlsx")
    wb.save(out)
    return out


def test_a_communes_list_is_checked_then_recorded_whole(tmp_path):
    ws = tmp_path / "ws"
    template = tmp_path / "mau.xlsx"
    assert run("record", "--template", str(template), "--workspace", str(ws))[0] == 0
    day = today_in_vietnam() - dt.timedelta(days=3)
    bad = _list(template, [["P015", "", "", "", "Đang sử dụng", day.strftime("%d/%m/%Y"), "1.000.000.000",
                            "Ngân sách nhà nước", "", None, None],
                           ["P019", "", "", "", "Hoàn thành", "01/02/2026", "", "", "", None, None]])
    code, out, _ = run("record", "--import", str(bad), "--workspace", str(ws))
    assert code == 1 and "dòng 3" in out and "Trạng thái" in out and "1 lỗi" in out
    assert entries(ws) == ()  # nothing recorded while the list has an error
    good = _list(template, [["P015", "", "", "", "Đang sử dụng", day.strftime("%d/%m/%Y"), "1.000.000.000",
                             "Ngân sách nhà nước", "", None, None],
                            ["P019", "", "", "", "Đang sử dụng", dt.datetime(day.year, day.month, day.day), "", "Xã hội hóa",
                             "", None, None]])
    assert run("record", "--import", str(good), "--check", "--workspace", str(ws))[0] == 0
    assert entries(ws) == ()  # --check records nothing
    code, out, _ = run("record", "--import", str(good), "--workspace", str(ws))
    assert code == 0 and "Đã ghi 2 mục" in out
    assert [(e.point_id, e.status, e.on, e.cost_vnd, e.funding) for e in entries(ws)] == [
        ("P015", "in_use", day, 1_000_000_000, "state"), ("P019", "in_use", day, None, "non_state")]
    assert figures(ws)["years"][-1]["communes_with_point"] == 11
