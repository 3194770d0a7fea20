"""A table as plain HTML, for a page whose map should not wait for the interactive grid.

st.dataframe is a canvas grid whose script (1.2 MB) the browser loads the first time a page shows
one; while it loads, the page's other new elements wait too, the map among them (issue 17: the
Overview's map painted ~0.5 s sooner without it). A plain table also reads as text: it can be
selected, copied into Word or Excel, found with Ctrl+F and printed with the page. Every cell is
escaped (names come from the planner's own data) and written the reader's way.
"""
from __future__ import annotations

import html

import pandas as pd

from planner.formats import value_text

_STYLE = """<style>
.planner-table{overflow-x:auto}
.planner-table table{border-collapse:collapse;width:100%;font-size:.875rem;line-height:1.35}
.planner-table th{font-weight:600;text-align:left;vertical-align:bottom;padding:.35rem .5rem;
  border-bottom:2px solid rgba(128,128,128,.45)}
.planner-table td{padding:.25rem .5rem;border-bottom:1px solid rgba(128,128,128,.2);white-space:nowrap}
.planner-table tbody tr:nth-child(even){background:rgba(128,128,128,.06)}
.planner-table .num{text-align:right;font-variant-numeric:tabular-nums}
</style>"""


def html_table(frame: pd.DataFrame, kinds: dict[str, str], lang: str) -> str:
    """`frame`'s rows as an HTML table; a column named in `kinds` is written as that kind of value
    (planner.formats.value_text: "int", "pct", ...) and right-aligned, any other as its text."""
    def cell(value, col) -> str:
        if col in kinds:
            return f'<td class="num">{html.escape(value_text(value, kinds[col], lang))}</td>'
        return f"<td>{html.escape(value_text(value, 'text', lang))}</td>"

    head = "".join(f'<th{" class=num" if c in kinds else ""}>{html.escape(str(c))}</th>' for c in frame.columns)
    rows = "".join("<tr>" + "".join(cell(v, c) for v, c in zip(row, frame.columns)) + "</tr>"
                   for row in frame.itertuples(index=False, name=None))
    return f'{_STYLE}<div class="planner-table"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
