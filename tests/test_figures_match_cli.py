"""Every figure a page shows is the CLI's figure for the same inputs: the pages and
`python -m planner` make the same core calls (Analysis, site_plan.run, scenarios.figures)."""
import io
import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from conftest import grid_text, plan_key
from planner.formats import fmt_num
from planner.formats import fmt_vnd_short
from planner.cli import main
from planner.formats import fmt_int, fmt_pct
from planner.proposals import propose_at
from planner.scenarios import Scenario
from planner.store import ScenarioStore

APP = Path(__file__).resolve().parent.parent / "app.py"


def cli(capsys, *args) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def read_csv(path) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(Path(path).read_text(encoding="utf-8-sig")), comment="#", dtype=str)


def open_app(page: str | None = None, radius_m: int | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    if radius_m is not None:
        at.number_input(key=plan_key(at, "radius_m")).set_value(radius_m).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_overview_at_another_radius(capsys):
    j = json.loads(cli(capsys, "summary", "--json", "--radius-m", "3500"))
    at = open_app(radius_m=3500)
    assert [m.value for m in at.metric] == [
        fmt_pct(j["share_with_point"], "vi"), fmt_pct(j["child_friendly_share"], "vi"), fmt_pct(j["school_toilet_share"], "vi"),
        fmt_pct(j["psych_support_share"], "vi"), fmt_int(j["children_within_reach"], "vi")]
    captions = [c.value for c in at.caption]
    for num, den in (("communes_with_point", "communes_total"), ("child_friendly_communes", "communes_total"),
                     ("schools_with_standard_toilet", "schools_total"), ("main_schools_with_psych_support", "main_schools_total")):
        assert f"{fmt_int(j[num])}/{fmt_int(j[den])}" in captions


def test_priorities_table_is_the_cli_ranking(capsys, tmp_path):
    cli(capsys, "rank", "--preset", "equity_first", "--radius-m", "3000", "--out", str(tmp_path / "r.csv"))
    expected = read_csv(tmp_path / "r.csv")
    at = open_app("views/priorities.py", radius_m=3000)
    at.selectbox(key=plan_key(at, "preset-vi")).set_value("equity_first").run()
    assert not at.exception
    shown = at.dataframe[1].value
    assert list(shown.iloc[:, 1]) == list(expected["Mã"])
    # the page shows scores to 0.1, the file to 0.01: the same score, each rounded once
    assert all(abs(a - float(b)) <= 0.0051 for a, b in zip(shown.iloc[:, 3], expected["Điểm ưu tiên"]))
    # on screen the same scores, written the Vietnamese way to 0,1
    text = grid_text(at.dataframe[1]).iloc[:, 3]
    assert list(text) == [fmt_num(v, "vi", 1) for v in shown.iloc[:, 3]] and text.iloc[0] == "88,9"


def test_sites_optimiser_is_the_cli_site_command(capsys, tmp_path):
    out = cli(capsys, "site", "--budget-vnd", "6000000000", "--target-year", "2030", "--radius-m", "2500",
              "--out", str(tmp_path / "s.csv"))
    expected = read_csv(tmp_path / "s.csv")
    at = open_app("views/sites.py", radius_m=2500)
    at.number_input(key="opt_budget").set_value(6000)  # whole millions of đồng
    at.radio(key="opt_goal").set_value("2030")
    next(b for b in at.button if b.label == "Chạy tối ưu hóa").click().run()
    assert not at.exception, at.exception
    assert list(at.session_state["plan"].siting.sites["id"]) == list(expected.iloc[:, 0])
    said = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    shown = {m.label: m for m in at.metric[3:]}
    assert shown["Trẻ em mới được tiếp cận"].value == said["Trẻ em mới được tiếp cận"]
    assert shown["Xã mới có điểm"].value == said["Xã mới có điểm"]
    assert shown["Tổng kinh phí"].help == said["Tổng kinh phí"]  # the exact đồng on hover; the card shows tỷ đồng
    assert any(c.value.startswith(f"Trạng thái lời giải: {said['Trạng thái lời giải']} · ") for c in at.caption)


def test_sites_cards_are_the_cli_scenario_figures(capsys, tmp_path, monkeypatch, demo):
    """The Sites page's before/after cards for some proposals are `scenario show`'s figures for a
    scenario holding the same proposals."""
    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))
    props = [propose_at(demo, 103.36, 22.7547), propose_at(demo, 103.4957, 22.5216)]
    props[1] = replace(props[1], id="N002")
    ScenarioStore(tmp_path / "scenarios.sqlite").save(Scenario(name="Hai điểm", proposals=tuple(props)))
    said = dict(line[2:].split(": ", 1) for line in
                cli(capsys, "scenario", "show", "Hai điểm", "--workspace", str(tmp_path)).splitlines()[1:])
    at = open_app("views/sites.py")
    at.session_state["plan"] = at.session_state["plan"].with_proposals(props)
    at.run()
    assert not at.exception, at.exception
    after = at.metric[0].value.split(" → ")[1]  # "9/38 → 11/38"
    assert said["Xã có điểm văn hóa, vui chơi cho trẻ em"].startswith(after + " (")
    assert f"Trẻ em mới được tiếp cận: {said['Trẻ em mới được tiếp cận']}" in [c.value for c in at.caption]
    assert at.metric[2].help == said["Tổng kinh phí"]


def test_scenario_figures_are_the_cli_scenario_show(capsys, tmp_path, monkeypatch, demo):
    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))
    p = propose_at(demo, 103.36, 22.7547)
    ScenarioStore(tmp_path / "scenarios.sqlite").save(
        Scenario(name="Một điểm", radius_m=3000.0, proposals=(p,), budget_by_year={2026: 1_000_000_000}))
    lines = cli(capsys, "scenario", "show", "Một điểm", "--workspace", str(tmp_path)).splitlines()[1:]
    at = open_app("views/scenarios.py")
    at.selectbox(key="scn_pick").set_value("Một điểm").run()
    next(b for b in at.button if b.label == "Mở “Một điểm”").click().run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert [f"- {k}: {v}" for k, v in zip(table.iloc[:, 0], table.iloc[:, 1])] == lines
    assert len(lines) > 10 and at.session_state["plan"].scenario.radius_m == 3000.0


def open_walking(page: str | None = None, minutes: int = 30) -> AppTest:
    """The app in walking mode on the demo (its illustrative terrain), as the sidebar sets it."""
    at = AppTest.from_file(str(APP), default_timeout=240)
    at.run()
    at.radio(key=plan_key(at, "reach_mode-vi")).set_value("walk").run()
    if minutes != 30:
        at.number_input(key=plan_key(at, "walk_minutes")).set_value(minutes).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_overview_walking_is_the_cli_summary(capsys):
    j = json.loads(cli(capsys, "summary", "--json", "--reach", "walk", "--minutes", "45"))
    assert j["reach_mode"] == "walk" and j["walk_minutes"] == 45 and j["radius_m"] is None
    at = open_walking(minutes=45)
    assert at.metric[4].value == fmt_int(j["children_within_reach"], "vi")
    assert any(m.value == "**Trẻ em trong 45 phút đi bộ**" for m in at.markdown)
    straight = json.loads(cli(capsys, "summary", "--json"))
    assert j["children_within_reach"] != straight["children_within_reach"]


def test_priorities_walking_is_the_cli_ranking(capsys, tmp_path):
    cli(capsys, "rank", "--reach", "walk", "--minutes", "30", "--out", str(tmp_path / "r.csv"))
    expected = read_csv(tmp_path / "r.csv")
    params = read_csv(tmp_path / "r.params.csv").set_index("Tham số")["Giá trị"]
    assert params["Tầm tiếp cận"] == "đi bộ, tối đa 30 phút" and "Bán kính tiếp cận (m)" not in params
    at = open_walking("views/priorities.py")
    shown = at.dataframe[1].value
    assert list(shown.iloc[:, 1]) == list(expected["Mã"])


def test_sites_optimiser_walking_is_the_cli_site_command(capsys, tmp_path):
    out = cli(capsys, "site", "--budget-vnd", "6000000000", "--reach", "walk", "--minutes", "30",
              "--out", str(tmp_path / "s.csv"))
    expected = read_csv(tmp_path / "s.csv")
    at = open_walking("views/sites.py")
    at.number_input(key="opt_budget").set_value(6000)
    next(b for b in at.button if b.label == "Chạy tối ưu hóa").click().run()
    assert not at.exception, at.exception
    plan = at.session_state["plan"]
    assert plan.siting.request.rule.walking and list(plan.siting.sites["id"]) == list(expected.iloc[:, 0])
    said = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    shown = {m.label: m for m in at.metric[3:]}
    assert shown["Trẻ em mới được tiếp cận"].value == said["Trẻ em mới được tiếp cận"]
