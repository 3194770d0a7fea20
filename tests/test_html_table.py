"""ui.tables.html_table: escaped cells, figures the reader's way, numbers to the right."""
from __future__ import annotations

import math

import pandas as pd

from conftest import html_tables
from ui.tables import html_table


class _At:
    """Just enough of an AppTest for conftest.html_tables: one st.html element."""

    def __init__(self, body: str):
        proto = type("P", (), {"body": body})()
        self._elements = [type("E", (), {"proto": proto})()]

    def get(self, kind):
        return self._elements if kind == "html" else []


def test_cells_are_written_the_readers_way_and_escaped():
    frame = pd.DataFrame({"Mã": ["03388", "03390"], "Tên": ["Xã <b>A</b> & B", None],
                          "Dân số": [38973, 1234567], "Tỷ lệ": [0.2368, math.nan]})
    body = html_table(frame, {"Dân số": "int", "Tỷ lệ": "pct"}, "vi")
    assert "<b>A</b>" not in body and "Xã &lt;b&gt;A&lt;/b&gt; &amp; B" in body  # a name is text, never markup
    (shown,) = html_tables(_At(body))
    assert list(shown.columns) == ["Mã", "Tên", "Dân số", "Tỷ lệ"]
    assert shown.to_dict("list") == {"Mã": ["03388", "03390"], "Tên": ["Xã <b>A</b> & B", "—"],
                                     "Dân số": ["38.973", "1.234.567"], "Tỷ lệ": ["23,7%", "—"]}
    assert body.count('<td class="num">') == 4 and body.count("<th class=num>") == 2  # figures to the right


def test_english_figures_and_escaped_headers():
    body = html_table(pd.DataFrame({"<Population>": [38973.4]}), {"<Population>": "int"}, "en")
    assert "&lt;Population&gt;" in body and "<Population>" not in body
    assert html_tables(_At(body))[0].iloc[0, 0] == "38,973"
