"""The Sites page through AppTest. A map click cannot be sent from AppTest, so the test puts the
proposal a click makes (planner.proposals.propose_at, tested on its own) into the session's plan;
the clicks themselves are in tests/test_browser.py."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.analysis import Analysis
from planner.formats import fmt_vnd_short
from planner.formats import fmt_int
from planner.proposals import propose_at
from planner.site_plan import SitingRequest, run

APP = Path(__file__).resolve().parent.parent / "app.py"


@pytest.fixture()
def page():
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/sites.py").run()
    assert not at.exception, at.exception
    return at


def click(at, label):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception


def put_proposals(at, proposals):
    at.session_state["plan"] = at.session_state["plan"].with_proposals(proposals)
    at.run()
    assert not at.exception, at.exception


def test_no_proposals(page, demo):
    values = [m.value for m in page.metric]
    assert values[0] == "9/38 → 9/38" and values[2] == fmt_vnd_short(0, "vi")
    assert any("Chưa có điểm đề xuất nào." in c.value for c in page.caption)
    assert next(b for b in page.button if b.label == "Hoàn tác").disabled


def test_proposal_changes_figures_at_once_and_undo(page, demo):
    p = propose_at(demo, 103.36, 22.7547)  # Sì Lở Lầu centre, no point yet
    put_proposals(page, [p])
    e = Analysis.of(demo).effect([p])
    values = [m.value for m in page.metric]
    assert values[0] == "9/38 → 10/38"
    assert values[1] == f"{fmt_int(e.before.reach.children_within)} → {fmt_int(e.after.reach.children_within)}"
    assert values[2] == "1,5 tỷ đồng" and page.metric[2].help == "1.500.000.000 ₫"
    text = " ".join(m.value for m in page.markdown)
    assert "thiếu 2 xã" in text and "thiếu 4 xã" in text
    changed = page.dataframe[-1].value
    assert list(changed.iloc[:, 1]) == ["Xã Sì Lở Lầu"] and changed.iloc[0, 2] == "0 → 1"
    click(page, "Xóa tất cả đề xuất")
    assert [m.value for m in page.metric][0] == "9/38 → 9/38"
    click(page, "Hoàn tác")  # the cleared list comes back
    assert [m.value for m in page.metric][0] == "9/38 → 10/38"


def optimise(page, budget_trieu=5000, goal="2030"):
    page.number_input(key="opt_budget").set_value(budget_trieu)  # whole millions of đồng
    page.radio(key="opt_goal").set_value(goal)
    click(page, "Chạy tối ưu hóa")


def test_optimiser_shows_its_sites_before_they_are_taken(page, demo):
    optimise(page)
    sp = run(demo, SitingRequest(budget_vnd=5_000_000_000, target_year=2030))
    values = [m.value for m in page.metric]
    assert fmt_int(sp.result.children_newly_reached) in values
    cost = next(m for m in page.metric if m.label == "Tổng kinh phí" and m.value != fmt_vnd_short(0, "vi"))
    assert cost.value == fmt_vnd_short(sp.result.total_cost_vnd, "vi") and cost.help == f"{fmt_int(sp.result.total_cost_vnd)} ₫"
    plan = page.session_state["plan"]
    assert plan.proposals == () and list(plan.siting.sites["id"]) == list(sp.sites["id"])
    assert page.metric[0].value == "9/38 → 9/38"  # not proposals yet
    assert any("viền vàng" in i.value for i in page.info)


def test_take_sites_add_then_replace_then_undo(page, demo):
    mine = propose_at(demo, 103.36, 22.7547)
    put_proposals(page, [mine])
    optimise(page)
    n = len(page.session_state["plan"].siting.sites)
    click(page, "Thêm vào các đề xuất của tôi")
    props = page.session_state["plan"].proposals
    assert len(props) == 1 + n and props[0] == mine and all(p.source == "optimiser" for p in props[1:])
    assert any(f"Đã thêm {n} địa điểm" in s.value and "sau 1 đề xuất" in s.value for s in page.success)
    optimise(page)
    click(page, "Thay thế các đề xuất của tôi")
    props = page.session_state["plan"].proposals
    assert len(props) == n and mine not in props
    assert any(f"Đã thay {1 + n} đề xuất có sẵn bằng {n} địa điểm" in s.value for s in page.success)
    click(page, "Hoàn tác")
    assert len(page.session_state["plan"].proposals) == 1 + n


def test_dismiss_the_optimisers_answer(page):
    optimise(page)
    click(page, "Bỏ kết quả tối ưu")
    assert page.session_state["plan"].siting is None and page.session_state["plan"].proposals == ()


def test_optimiser_error_is_explained(page):
    page.multiselect(key="opt_sources").set_value([])
    click(page, "Chạy tối ưu hóa")
    assert len(page.error) == 1
