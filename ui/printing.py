"""A printable map for download: in a popover under the map, paper, orientation and format, then
one click that draws it.

The page gives its analysis and view (and the scenario or ranking it shows); the file is made by
`planner.printmap.print_map`, the function `python -m planner map` calls, so the same choices give
the same map. The drawing runs only when the button is clicked (Streamlit calls `data` then).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from planner.analysis import Analysis
from planner.printmap import FORMATS, ORIENTATIONS, PAPERS, print_map
from planner.ranking import Ranking
from planner.scenarios import Scenario
from planner.i18n import t
from ui.lang import lang, tr
from ui.logs import guarded

FILE_WORDS = {"overview": "tong-quan", "priorities": "uu-tien", "sites": "dia-diem", "scenarios": "kich-ban"}
ORIENTATION_WORDS = {"landscape": "ngang", "portrait": "doc"}
MIME = {"pdf": "application/pdf", "png": "image/png"}


def file_name(view: str, paper: str, orientation: str, file_format: str) -> str:
    """'ban-do-tong-quan-A4-ngang.pdf': Vietnamese words in plain ASCII, safe on every system."""
    return f"ban-do-{FILE_WORDS[view]}-{paper}-{ORIENTATION_WORDS[orientation]}.{file_format}"


@dataclass(frozen=True)
class PrintChoice:
    """The reader's paper, orientation and format: kept for the session, the same on every page and
    in either language (Streamlit forgets a widget's value when a page without it runs)."""
    paper: str = "A4"
    orientation: str = "landscape"
    file_format: str = "pdf"


CHOICE_KEY = "print_choice"


def _choice() -> PrintChoice:
    return st.session_state.get(CHOICE_KEY) or PrintChoice()


def _keep(field: str, widget_key: str):
    def keep() -> None:
        st.session_state[CHOICE_KEY] = replace(_choice(), **{field: st.session_state[widget_key]})
    return guarded(keep, f"print choice {field}")


def map_download(analysis: Analysis, *, view: str, scenario: Scenario | None = None, ranking: Ranking | None = None,
                 key: str) -> None:
    """A popover "In bản đồ" with paper, orientation and format and a download button for the `view` map."""
    L = lang()
    # In a popover: its widgets are drawn only when it is opened, so the page (and its map) does not
    # wait for their scripts on the first visit (issue 17).
    box = st.popover(tr("print.heading"), icon=":material/print:")
    box.markdown(f"**{tr('print.heading')}** — {tr(f'print.view.{view}')}")
    chosen = _choice()
    keys = {f: f"{key}-{f}-{L}" for f in ("paper", "orientation", "file_format")}
    paper = box.selectbox(tr("print.paper"), PAPERS, index=PAPERS.index(chosen.paper), key=keys["paper"],
                          on_change=_keep("paper", keys["paper"]))
    orientation = box.selectbox(tr("print.orientation"), ORIENTATIONS, index=ORIENTATIONS.index(chosen.orientation),
                                format_func=lambda o, lang=L: t(f"print.orientation.{o}", lang), key=keys["orientation"],
                                on_change=_keep("orientation", keys["orientation"]))
    file_format = box.selectbox(tr("print.format"), FORMATS, index=FORMATS.index(chosen.file_format),
                                format_func=str.upper, key=keys["file_format"], on_change=_keep("file_format", keys["file_format"]))
    box.download_button(
        tr("print.download"),
        data=lambda: print_map(analysis, view=view, lang=L, paper=paper, orientation=orientation,
                               file_format=file_format, scenario=scenario, ranking=ranking),
        file_name=file_name(view, paper, orientation, file_format), mime=MIME[file_format],
        help=tr("print.download_help"), key=f"{key}-download", icon=":material/print:", on_click="ignore")
