"""The Scenarios page through AppTest: save, refuse a stale save, open, restore, compare."""
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import plan_key
from planner.analysis import Analysis
from planner.plan import Plan
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
    at.session_state["plan"] = at.session_state["plan"].with_proposals(props)
    at.switch_page("views/scenarios.py").run()
    assert not at.exception, at.exception
    return at


def click(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def test_save_then_stale_save_is_refused(workspace, demo):
    p = propose_at(demo, 103.36, 22.7547)
    a = open_page([p])
    a.text_input(key=plan_key(a, "name")).set_value("Biên giới trước")
    a.text_input(key=plan_key(a, "author-")).set_value("Chị Lan")
    click(a, "Lưu kịch bản")
    assert any("phiên bản 1" in s.value for s in a.success)
    b = open_page()
    b.selectbox(key="scn_pick").set_value("Biên giới trước")
    click(b, "Mở “Biên giới trước”")
    assert b.session_state["plan"].proposals == (p,)
    b.text_input(key=plan_key(b, "author-")).set_value("Anh Minh")
    b.text_area(key=plan_key(b, "description")).set_value("B's change")
    click(b, "Lưu kịch bản")
    a.text_area(key=plan_key(a, "description")).set_value("A's change").run()
    click(a, "Lưu kịch bản")
    assert len(a.error) == 1 and "Anh Minh đã lưu phiên bản 2" in a.error[0].value
    store = ScenarioStore(workspace / "scenarios.sqlite")
    assert store.load("Biên giới trước").description == "B's change"


def test_figures_and_restore(workspace, demo):
    p = propose_at(demo, 103.36, 22.7547)
    at = open_page([p])
    at.text_input(key=plan_key(at, "name")).set_value("Một điểm")
    click(at, "Lưu kịch bản")
    at.session_state["plan"] = at.session_state["plan"].with_proposals([])
    at.run()
    click(at, "Lưu kịch bản")
    store = ScenarioStore(workspace / "scenarios.sqlite")
    assert store.load("Một điểm").proposals == ()
    at.selectbox(key="scn_restore_v-Một điểm").set_value(1).run()
    click(at, "Khôi phục “Một điểm” về phiên bản 1")
    assert store.load("Một điểm").proposals == (p,) and store.load("Một điểm").version == 3
    f = figures(Analysis.of(demo), store.load("Một điểm"))
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
    click(at, "Xóa “A”")
    assert any("Xóa “A” (phiên bản mới nhất 1)?" in w.value for w in at.warning)
    click(at, "Hủy")
    assert store.names() == ["A", "B"] and not any("Xóa “A”" in w.value for w in at.warning)
    click(at, "Xóa “A”")
    store.save(Scenario(name="A", version=1, description="saved by someone else meanwhile"))
    click(at, "Có, xóa")
    assert len(at.error) == 1 and "phiên bản 2" in at.error[0].value
    assert store.names() == ["A", "B"]
    click(at, "Xóa “A”")
    click(at, "Có, xóa")
    assert store.names() == ["B"] and any("Đã xóa “A”" in s.value for s in at.success)
    assert store.load("A", 2).description == "saved by someone else meanwhile"  # versions are kept


def names_in(workspace):
    return ScenarioStore(workspace / "scenarios.sqlite").names()


def test_three_variants_in_a_row_under_new_names(workspace, demo):
    """Save, type a new name, Save again (a rename is a new scenario, not a conflict), then save as
    new, then start a new plan and save it: four scenarios, none overwritten."""
    p = propose_at(demo, 103.36, 22.7547)
    at = open_page([p])
    at.text_input(key=plan_key(at, "name")).set_value("Phương án 1")
    click(at, "Lưu kịch bản")
    at.text_input(key=plan_key(at, "name")).set_value("Phương án 2")
    click(at, "Lưu kịch bản")
    assert not at.error and any("Đã lưu “Phương án 2” phiên bản 1" in s.value for s in at.success)
    click(at, "Lưu thành kịch bản mới")  # the name is taken: say so, save nothing
    assert len(at.error) == 1 and "Đã có kịch bản tên “Phương án 2”" in at.error[0].value
    at.text_input(key=plan_key(at, "name")).set_value("Phương án 3")
    click(at, "Lưu thành kịch bản mới")
    assert any("Đã lưu “Phương án 3” phiên bản 1" in s.value for s in at.success)
    click(at, "Kịch bản mới")
    assert at.text_input(key=plan_key(at, "name")).value == "" and at.session_state["plan"].proposals == ()
    at.text_input(key=plan_key(at, "name")).set_value("Không đầu tư")
    click(at, "Lưu kịch bản")
    store = ScenarioStore(workspace / "scenarios.sqlite")
    assert store.names() == ["Không đầu tư", "Phương án 1", "Phương án 2", "Phương án 3"]
    assert [len(store.load(n).proposals) for n in store.names()] == [0, 1, 1, 1]
    assert all(store.load(n).version == 1 for n in store.names())


def test_new_scenario_asks_before_dropping_unsaved_changes(workspace, demo):
    at = open_page([propose_at(demo, 103.36, 22.7547)])
    click(at, "Kịch bản mới")
    assert any("thay đổi chưa lưu" in w.value for w in at.warning)
    assert len(at.session_state["plan"].proposals) == 1  # nothing dropped yet
    click(at, "Hủy")
    assert len(at.session_state["plan"].proposals) == 1
    click(at, "Kịch bản mới")
    click(at, "Bỏ thay đổi và tiếp tục")
    assert at.session_state["plan"].proposals == () and any("kịch bản mới" in s.value for s in at.success)


def test_data_package_change_leaves_no_stale_form(workspace, demo, tiny_dir):
    """The form shows the plan as it is after the package changed: the saved scenario's name with
    its proposals (recounted on the new data), never its name over an empty list."""
    p = propose_at(demo, 103.36, 22.7547)
    at = open_page([p])
    at.text_input(key=plan_key(at, "name")).set_value("Thật")
    click(at, "Lưu kịch bản")
    at.session_state["data_dir"] = str(tiny_dir)
    at.run()
    assert not at.exception, at.exception
    plan = at.session_state["plan"]
    assert plan.package == str(tiny_dir) and plan.proposals and plan.proposals[0].id == p.id
    assert at.text_input(key=plan_key(at, "name")).value == "Thật"
    assert any("Dữ liệu đã đổi" in i.value for i in at.info)
    click(at, "Lưu kịch bản")
    assert ScenarioStore(workspace / "scenarios.sqlite").load("Thật").proposals == plan.proposals


def test_overspend_is_shown_above_the_comparison(workspace, demo):
    from planner.scenarios import Scenario

    store = ScenarioStore(workspace / "scenarios.sqlite")
    p = propose_at(demo, 103.36, 22.7547)
    store.save(Scenario(name="Vượt", proposals=(p,), budget_by_year={2026: 500_000_000}))
    store.save(Scenario(name="Vừa", proposals=(p,), budget_by_year={2026: 2_000_000_000}))
    at = open_page()
    at.multiselect(key="scn_compare").set_value(["Vượt", "Vừa"]).run()
    assert not at.exception
    assert len(at.error) == 1 and "“Vượt” năm 2026 vượt 1 tỷ đồng" in at.error[0].value
    assert "Vừa" not in at.error[0].value


def test_save_without_changes_adds_no_version_and_buttons_name_their_scenario(workspace, demo):
    from planner.scenarios import Scenario

    store = ScenarioStore(workspace / "scenarios.sqlite")
    store.save(Scenario(name="Khác"))
    at = open_page([propose_at(demo, 103.36, 22.7547)])
    at.text_input(key=plan_key(at, "name")).set_value("Đang sửa")
    click(at, "Lưu kịch bản")
    click(at, "Lưu kịch bản")
    assert store.load("Đang sửa").version == 1
    assert any("Không có thay đổi nào kể từ phiên bản 1 của “Đang sửa”" in i.value for i in at.info)
    at.selectbox(key="scn_pick").set_value("Khác").run()
    labels = [b.label for b in at.button]
    assert {"Mở “Khác”", "Khôi phục “Khác” về phiên bản 1", "Xóa “Khác”"} <= set(labels)  # never the wrong one unnamed


def test_stale_save_by_someone_without_a_name_says_someone(workspace):
    from planner.scenarios import Scenario

    store = ScenarioStore(workspace / "scenarios.sqlite")
    mine = store.save(Scenario(name="X"))
    store.save(replace(mine, description="theirs"))
    at = open_page()
    at.session_state["plan"] = at.session_state["plan"].opened(mine)
    at.run()
    at.text_area(key=plan_key(at, "description")).set_value("mine").run()
    click(at, "Lưu kịch bản")
    assert len(at.error) == 1 and "có người đã lưu phiên bản 2" in at.error[0].value and "?" not in at.error[0].value
