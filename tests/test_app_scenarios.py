"""The Scenarios page through AppTest: save, refuse a stale save, open, restore, compare."""
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.proposals import propose_at
from planner.scenarios import figures
from planner.store import ScenarioStore

APP = Path(__file__).resolve().parent.parent / "app.py"


@pytest.fixture()
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))
    return tmp_path


def open_page(props=()):
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.session_state["proposals"] = list(props)
    at.switch_page("views/scenarios.py").run()
    assert not at.exception, at.exception
    return at


def click(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def test_save_then_stale_save_is_refused(workspace, demo):
    p = propose_at(demo, 103.36, 22.7547)
    a = open_page([p])
    a.text_input(key="scn_name").set_value("Biên giới trước")
    a.text_input(key="scn_author").set_value("Chị Lan")
    click(a, "Lưu kịch bản")
    assert any("phiên bản 1" in s.value for s in a.success)
    b = open_page()
    b.selectbox(key="scn_pick").set_value("Biên giới trước")
    click(b, "Mở")
    assert b.session_state["proposals"] == [p]
    b.text_input(key="scn_author").set_value("Anh Minh")
    b.text_area(key="scn_description").set_value("B's change")
    click(b, "Lưu kịch bản")
    a.text_area(key="scn_description").set_value("A's change").run()
    click(a, "Lưu kịch bản")
    assert len(a.error) == 1 and "Anh Minh đã lưu phiên bản 2" in a.error[0].value
    store = ScenarioStore(workspace / "scenarios.sqlite")
    assert store.load("Biên giới trước").description == "B's change"


def test_figures_and_restore(workspace, demo):
    p = propose_at(demo, 103.36, 22.7547)
    at = open_page([p])
    at.text_input(key="scn_name").set_value("Một điểm")
    click(at, "Lưu kịch bản")
    at.session_state["proposals"] = []
    at.run()
    click(at, "Lưu kịch bản")
    store = ScenarioStore(workspace / "scenarios.sqlite")
    assert store.load("Một điểm").proposals == ()
    at.selectbox(key="scn_restore_v").set_value(1).run()
    click(at, "Khôi phục phiên bản 1")
    assert store.load("Một điểm").proposals == (p,) and store.load("Một điểm").version == 3
    f = figures(demo, store.load("Một điểm"))
    assert f.communes_with_point == 10


def test_compare(workspace, demo):
    store = ScenarioStore(workspace / "scenarios.sqlite")
    p = propose_at(demo, 103.36, 22.7547)
    from planner.scenarios import Scenario
    store.save(Scenario(name="A", proposals=(p,)))
    store.save(Scenario(name="B", proposals=(replace(p, funding="non_state"),)))
    at = open_page()
    at.multiselect(key="scn_compare").set_value(["A", "B"]).run()
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert "PDF — So sánh kịch bản" in labels and "XLSX — So sánh kịch bản" in labels


def test_delete_asks_first_and_refuses_a_stale_delete(workspace):
    from planner.scenarios import Scenario

    store = ScenarioStore(workspace / "scenarios.sqlite")
    store.save(Scenario(name="A"))
    store.save(Scenario(name="B"))
    at = open_page()
    at.selectbox(key="scn_pick").set_value("A").run()
    click(at, "Xóa kịch bản")
    assert any("Xóa “A” (phiên bản mới nhất 1)?" in w.value for w in at.warning)
    click(at, "Hủy")
    assert store.names() == ["A", "B"] and not any("Xóa “A”" in w.value for w in at.warning)
    click(at, "Xóa kịch bản")
    store.save(Scenario(name="A", version=1, description="saved by someone else meanwhile"))
    click(at, "Có, xóa")
    assert len(at.error) == 1 and "phiên bản 2" in at.error[0].value
    assert store.names() == ["A", "B"]
    click(at, "Xóa kịch bản")
    click(at, "Có, xóa")
    assert store.names() == ["B"] and any("Đã xóa “A”" in s.value for s in at.success)
    assert store.load("A", 2).description == "saved by someone else meanwhile"  # versions are kept
