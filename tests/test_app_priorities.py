"""The Priorities page through AppTest: same ranking as the CLI, presets, sliders, errors, English."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import plan_key
from planner.ranking import CRITERIA, explain, rank

APP = Path(__file__).resolve().parent.parent / "app.py"


@pytest.fixture()
def page():
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/priorities.py").run()
    assert not at.exception, at.exception
    return at


def codes(at):
    return list(at.dataframe[1].value.iloc[:, 1])


def test_same_ranking_as_library(page, demo):
    expected = rank(demo, preset="balanced", radius_m=2000)
    assert codes(page) == list(expected.table["code"])
    top = expected.table["code"][0]
    assert page.markdown[-1].value == explain(expected, top, "vi") or any(
        m.value == explain(expected, top, "vi") for m in page.markdown)


def test_preset_switch_moves_sliders_and_ranking(page, demo):
    page.selectbox(key=plan_key(page, "preset-vi")).set_value("target_fastest").run()
    assert not page.exception
    assert page.select_slider(key=plan_key(page, "w-no_point")).value == 6.0
    assert codes(page) == list(rank(demo, preset="target_fastest", radius_m=2000).table["code"])


def test_slider_makes_custom_weights(page, demo):
    page.select_slider(key=plan_key(page, "w-poverty_rate")).set_value(10.0).run()
    assert page.selectbox(key=plan_key(page, "preset-vi")).value == "custom"
    weights = {"no_point": 2, "children": 1, "children_out_of_reach": 2, "poverty_rate": 10,
               "ethnic_minority_share": 1, "especially_difficult": 1, "schools_without_toilet": 1, "land_available": 1}
    assert codes(page) == list(rank(demo, weights=weights, radius_m=2000).table["code"])


def test_slider_back_to_a_preset_weight_is_that_preset_again(page, demo):
    page.select_slider(key=plan_key(page, "w-poverty_rate")).set_value(10.0).run()
    page.select_slider(key=plan_key(page, "w-poverty_rate")).set_value(1.0).run()
    assert page.selectbox(key=plan_key(page, "preset-vi")).value == "balanced"
    assert page.session_state["plan"].scenario.preset == "balanced"


def test_all_zero_weights_explained(page):
    for c in CRITERIA:
        page.select_slider(key=plan_key(page, f"w-{c}")).set_value(0.0)
    page.run()
    assert not page.exception
    assert any("Cần ít nhất một trọng số lớn hơn 0" in e.value for e in page.error)


def test_english_and_explanation_for_chosen_commune(demo):
    # AppTest replays a selectbox by its shown label, so switch language before opening the page
    # (the real browser switch is covered in tests/test_browser.py).
    page = AppTest.from_file(str(APP), default_timeout=120)
    page.run()
    page.radio(key="lang").set_value("en").run()
    page.switch_page("views/priorities.py").run()
    page.selectbox(key="why_code").set_value("03408").run()
    assert not page.exception
    assert page.title[0].value == "Priorities"
    expected = rank(demo, preset="balanced", radius_m=2000)
    assert any(m.value == explain(expected, "03408", "en") for m in page.markdown)


def test_downloads_offered(page):
    labels = [b.label for b in page.get("download_button")]
    assert labels == ["Tải bản đồ để in", "CSV", "XLSX", "GEOJSON", "GPKG", "Tham số (CSV)"]
