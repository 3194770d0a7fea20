"""The app through Streamlit's AppTest: same figures as the CLI, both languages, clear errors."""
import json

import pytest
from streamlit.testing.v1 import AppTest

from planner.cli import main
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"
from planner.formats import fmt_int, fmt_pct
from conftest import html_tables, plan_key


def cli_json(capsys, *args):
    assert main(["summary", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture()
def app():
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def metric_values(at):
    return [m.value for m in at.metric]


def test_overview_shows_cli_figures(app, capsys):
    j = cli_json(capsys)
    values = metric_values(app)
    assert values[0] == fmt_pct(j["share_with_point"], "vi")
    assert values[2] == fmt_pct(j["school_toilet_share"], "vi")
    assert values[4] == fmt_int(j["children_within_reach"], "vi")
    text = " ".join(md.value for md in app.markdown)
    assert f"thiếu {j['needed_2025']} xã" in text and f"thiếu {j['needed_2030']} xã" in text
    captions = [c.value for c in app.caption]
    assert f"{j['communes_with_point']}/{j['communes_total']}" in captions
    assert any("Dữ liệu minh họa" in i.value for i in app.info)


def test_radius_change_recomputes(app, capsys):
    j = cli_json(capsys, "--radius-m", "5000")
    app.number_input(key=plan_key(app, "radius_m")).set_value(5000).run()
    assert not app.exception
    assert metric_values(app)[4] == fmt_int(j["children_within_reach"], "vi")


def test_english(app, capsys):
    j = cli_json(capsys)
    app.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Children's play-point planner — Lai Châu"
    assert metric_values(app)[0] == fmt_pct(j["share_with_point"], "en")
    text = " ".join(md.value for md in app.markdown)
    assert f"{j['needed_2030']} communes short" in text
    assert any("Demo data" in i.value for i in app.info)


def test_broken_data_package_is_explained_not_a_traceback(tmp_path):
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["data_dir"] = str(tmp_path / "missing")
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and "Không tìm thấy thư mục dữ liệu" in at.error[0].value


def test_commune_table_lists_every_commune(app, demo):
    """A plain table (not the grid: the map does not wait for its script), every commune once,
    every figure written the Vietnamese way."""
    assert not app.dataframe
    (shown,) = html_tables(app)
    assert len(shown) == 38 and shown["Mã"].is_unique and set(shown["Mã"]) == set(demo.communes["code"])
    shown = shown.set_index("Mã")
    first = demo.communes.set_index("code").loc["03388"]
    assert shown.loc["03388", "Dân số"] == f"{int(first['population']):,}".replace(",", ".")  # 38.973, not 38,973
    communes = demo.communes.set_index("code")
    assert list(shown["Trẻ em (<16)"]) == [fmt_int(communes.loc[c, "children"]) for c in shown.index]
