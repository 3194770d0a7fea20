"""Every figure a page shows is the CLI's figure for the same inputs: the pages and
`python -m planner` make the same core calls (Analysis, site_plan.run, scenarios.figures)."""
import io
import json
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from conftest import plan_key
from planner.briefs import fmt_vnd_short
from planner.cli import main
from planner.i18n import fmt_int, fmt_pct
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
    values = [m.value for m in at.metric]
    assert values[0] == fmt_pct(j["share_with_point"], "vi")
    assert values[4] == fmt_int(j["children_within_radius"], "vi")
    assert f"{j['communes_with_point']}/{j['communes_total']}" in [c.value for c in at.caption]


def test_priorities_table_is_the_cli_ranking(capsys, tmp_path):
    cli(capsys, "rank", "--preset", "equity_first", "--radius-m", "3000", "--out", str(tmp_path / "r.csv"))
    expected = read_csv(tmp_path / "r.csv")
    at = open_app("views/priorities.py", radius_m=3000)
    at.selectbox(key=plan_key(at, "preset-vi")).set_value("equity_first").run()
    assert not at.exception
    shown = at.dataframe[1].value
    assert list(shown.iloc[:, 1]) == list(expected["Mã"])
    # the page shows scores to 0.1, the file to 0.01: the same score, each rounded once
    assert all(abs(a - float(b)) <= 0.0501 for a, b in zip(shown.iloc[:, 3], expected["Điểm ưu tiên"]))


def test_sites_optimiser_is_the_cli_site_command(capsys, tmp_path):
    out = cli(capsys, "site", "--budget-vnd", "6000000000", "--target-year", "2030", "--radius-m", "2500",
              "--out", str(tmp_path / "s.csv"))
    expected = read_csv(tmp_path / "s.csv")
    at = open_app("views/sites.py", radius_m=2500)
    at.number_input(key="opt_budget").set_value(6.0)
    at.radio(key="opt_goal").set_value("2030")
    next(b for b in at.button if b.label == "Chạy tối ưu hóa").click().run()
    assert not at.exception, at.exception
    sites = at.session_state["plan"].siting.sites
    assert list(sites["id"]) == list(expected.iloc[:, 0])
    shown = {m.label: m.value for m in at.metric[3:]}
    r = at.session_state["plan"].siting.result
    assert shown["Trẻ em mới được tiếp cận"] == fmt_int(r.children_newly_reached)
    assert f"{fmt_int(r.children_newly_reached)}" in out and f"{fmt_int(r.total_cost_vnd)} ₫" in out
    assert shown["Tổng kinh phí"] == fmt_vnd_short(r.total_cost_vnd, "vi")


def test_scenario_figures_are_the_cli_scenario_show(capsys, tmp_path, monkeypatch, demo):
    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))
    p = propose_at(demo, 103.36, 22.7547)
    ScenarioStore(tmp_path / "scenarios.sqlite").save(
        Scenario(name="Một điểm", radius_m=3000.0, proposals=(p,), budget_by_year={2026: 1_000_000_000}))
    lines = cli(capsys, "scenario", "show", "Một điểm", "--workspace", str(tmp_path)).splitlines()[1:]
    at = open_app("views/scenarios.py")
    at.selectbox(key="scn_pick").set_value("Một điểm").run()
    next(b for b in at.button if b.label == "Mở").click().run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert [f"- {k}: {v}" for k, v in zip(table.iloc[:, 0], table.iloc[:, 1])] == lines
    assert len(lines) > 10 and at.session_state["plan"].scenario.radius_m == 3000.0
