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
    page.button[0].click().run()  # remove all
    assert [m.value for m in page.metric][0] == "9/38 → 9/38"
