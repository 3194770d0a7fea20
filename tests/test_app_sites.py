"""The Sites page through AppTest. A map click cannot be sent from AppTest, so the test puts the
proposal a click makes (planner.proposals.propose_at, tested on its own) into the session."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.proposals import effect, propose_at
from planner.i18n import fmt_int

APP = Path(__file__).resolve().parent.parent / "app.py"


@pytest.fixture()
def page():
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/sites.py").run()
    assert not at.exception, at.exception
    return at


def test_no_proposals(page, demo):
    values = [m.value for m in page.metric]
    assert values[0] == "9/38 → 9/38" and values[2] == "0 ₫"
    assert any("Chưa có điểm đề xuất nào." in c.value for c in page.caption)


def test_proposal_changes_figures_at_once(page, demo):
    p = propose_at(demo, 103.36, 22.7547)  # Sì Lở Lầu centre, no point yet
    page.session_state["proposals"] = [p]
    page.run()
    assert not page.exception
    e = effect(demo, [p], radius_m=2000)
    values = [m.value for m in page.metric]
    assert values[0] == "9/38 → 10/38"
    assert values[1] == f"{fmt_int(e.before.reach.children_within)} → {fmt_int(e.after.reach.children_within)}"
    assert values[2] == f"{fmt_int(p.cost_vnd)} ₫"
    text = " ".join(m.value for m in page.markdown)
    assert "thiếu 2 xã" in text and "thiếu 4 xã" in text
    next(b for b in page.button if b.label == "Xóa tất cả đề xuất").click().run()
    assert [m.value for m in page.metric][0] == "9/38 → 9/38"


def test_optimiser_then_use_as_proposals(page, demo):
    from planner.briefs import fmt_vnd_short
    from planner.candidates import SOURCES, candidates_from_package, site

    page.number_input(key="opt_budget").set_value(5.0)
    page.radio(key="opt_goal").set_value("2030")
    submit = next(b for b in page.button if b.label == "Chạy tối ưu hóa")
    submit.click().run()
    assert not page.exception, page.exception
    cands = candidates_from_package(demo, sources=SOURCES, default_cost_vnd=1_500_000_000)
    exact = site(demo, cands, radius_m=2000, budget_vnd=5_000_000_000, method="exact", target_year=2030)
    values = [m.value for m in page.metric]
    assert fmt_int(exact.children_newly_reached) in values
    cost = next(m for m in page.metric if m.label == "Tổng kinh phí" and m.value != "0 ₫")  # not the proposals' total
    assert cost.value == fmt_vnd_short(exact.total_cost_vnd, "vi") and cost.value.endswith(" tỷ đồng")
    assert cost.help == f"{fmt_int(exact.total_cost_vnd)} ₫"  # the exact figure on hover
    use = next(b for b in page.button if b.label == "Dùng các điểm này làm đề xuất")
    use.click().run()
    assert not page.exception
    props = page.session_state["proposals"]
    assert len(props) == len(exact.chosen) and all(p.source == "optimiser" for p in props)
    assert sum(p.cost_vnd for p in props) == exact.total_cost_vnd
    assert page.metric[0].value == f"9/38 → {9 + exact.communes_newly_with_point}/38"


def test_optimiser_error_is_explained(page):
    page.multiselect(key="opt_sources").set_value([])
    next(b for b in page.button if b.label == "Chạy tối ưu hóa").click().run()
    assert not page.exception
    assert len(page.error) == 1
