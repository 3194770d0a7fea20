"""The print popover's choices (ui.printing) are the reader's for the session: they survive a
language switch, another page and the way back, and are the same on every map page."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.printing import CHOICE_KEY, PrintChoice

APP = Path(__file__).resolve().parent.parent / "app.py"


def _shown(at, key: str, lang: str) -> tuple:
    return tuple(at.selectbox(key=f"{key}-{f}-{lang}").value for f in ("paper", "orientation", "file_format"))


def test_print_choices_are_kept_across_languages_and_pages(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path))
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    assert _shown(at, "print-overview", "vi") == ("A4", "landscape", "pdf")  # the defaults
    at.selectbox(key="print-overview-paper-vi").set_value("A3").run()
    at.selectbox(key="print-overview-orientation-vi").set_value("portrait").run()
    at.selectbox(key="print-overview-file_format-vi").set_value("png").run()
    assert at.session_state[CHOICE_KEY] == PrintChoice("A3", "portrait", "png")

    at.radio(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    assert _shown(at, "print-overview", "en") == ("A3", "portrait", "png")
    assert at.selectbox(key="print-overview-orientation-en").format_func("portrait") == "Portrait"

    at.switch_page("views/priorities.py").run()
    assert _shown(at, "print-priorities", "en") == ("A3", "portrait", "png")  # one choice for every map
    at.selectbox(key="print-priorities-paper-en").set_value("A4").run()
    at.radio(key="lang").set_value("vi").run()
    at.switch_page("views/overview.py").run()
    assert not at.exception, at.exception
    assert _shown(at, "print-overview", "vi") == ("A4", "portrait", "png")
