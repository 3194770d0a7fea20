"""Every table on every page shows its numbers the Vietnamese way (issue 14), while the cells keep
their numbers so that a click on a column header sorts them as numbers.

A browser's grid draws on a canvas; what it draws is the display text Streamlit sends with a
pandas Styler (planner.formats.styled), read here through AppTest (conftest.grid_text).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import grid_text, html_tables
from planner.proposals import propose_at
from planner.scenarios import Scenario
from planner.store import ScenarioStore

APP = Path(__file__).resolve().parent.parent / "app.py"
NOT_VIETNAMESE = (
    (re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])"), "English thousands separator"),
    (re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.])"), "decimal point"),
    (re.compile(r"(?<![\d.,])\d+\.\d{4,}(?![\d.])"), "decimal point (coordinates)"),
    (re.compile(r"(?<![\d.,])\d{5,}(?![\d.,])"), "number without thousands separators"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "ISO date"),
)


def problems(at, page: str, codes: set[str]) -> list[str]:
    """Every table of the page, grids (st.dataframe) and plain ones (ui.tables), as the reader sees it."""
    found = []
    grids = [grid_text(e) for e in at.dataframe if e.proto.editing_mode == 0]  # the proposals editor: whole
    tables = grids + html_tables(at)                                          # millions typed as plain digits
    assert tables, f"{page}: no table"
    for k, shown in enumerate(tables):
        for text in [*map(str, shown.columns), *shown.astype(str).to_numpy().ravel()]:
            if text in codes or re.fullmatch(r"\d{5}-\w+", text):  # a commune's code, a village's id: names
                continue
            found += [f"{page} table {k}: {what} in {text!r}" for pattern, what in NOT_VIETNAMESE if pattern.search(text)]
    return found


@pytest.fixture()
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))
    return tmp_path


def test_every_table_on_every_page_is_in_vietnamese_format(workspace, demo):
    codes = set(demo.communes["code"])
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    assert not at.exception, at.exception
    found = problems(at, "overview", codes)

    at.switch_page("views/priorities.py").run()
    found += problems(at, "priorities", codes)

    at.session_state["plan"] = at.session_state["plan"].with_proposals((propose_at(demo, 103.36, 22.7547),))
    at.switch_page("views/sites.py").run()
    at.number_input(key="opt_budget").set_value(12_000)
    next(b for b in at.button if b.label == "Chạy tối ưu hóa").click().run()
    assert not at.exception, at.exception
    sites = grid_text(at.dataframe[0])
    assert "Kinh phí (đồng)" in sites.columns and all(v.endswith(" ₫") for v in sites["Kinh phí (đồng)"])
    assert pd.api.types.is_numeric_dtype(at.dataframe[0].value["Kinh phí (đồng)"])  # a number beneath
    found += problems(at, "sites", codes)

    store = ScenarioStore(workspace / "scenarios.sqlite")
    store.save(Scenario(name="A", proposals=at.session_state["plan"].proposals, budget_by_year={2026: 1_500_000_000}))
    store.save(Scenario(name="B"))
    at.switch_page("views/scenarios.py").run()
    at.multiselect(key="scn_compare").set_value(["A", "B"]).run()
    assert not at.exception, at.exception
    found += problems(at, "scenarios", codes)
    assert not found, "\n".join(found)


def test_a_column_of_numbers_sorts_as_numbers(demo):
    """A grid sorts by the numbers beneath its Vietnamese text: 9 before 10, 7.075 before 10.373."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page("views/priorities.py").run()
    table = at.dataframe[1].value
    assert pd.api.types.is_numeric_dtype(table["Điểm ưu tiên"]) and pd.api.types.is_numeric_dtype(table["Hạng"])
    shown = grid_text(at.dataframe[1])
    assert shown["Điểm ưu tiên"].str.fullmatch(r"\d+,\d").all()  # written 88,9 ...
    assert table.sort_values("Điểm ưu tiên")["Hạng"].tolist() == sorted(table["Hạng"], reverse=True)  # ... sorted as numbers
