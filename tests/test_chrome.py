"""ui.chrome: the Streamlit texts it replaces are still Streamlit's (an upgrade that rewords one
makes this fail, rather than letting English back into the Vietnamese interface unseen)."""
from __future__ import annotations

import re
from pathlib import Path

import streamlit

from planner.i18n import t
from ui.chrome import ATTRIBUTES, HIDDEN_MENU_ITEMS, MENU_TEXTS, RULES

BUNDLE = "\n".join(p.read_text(encoding="utf-8", errors="ignore")
                   for p in (Path(streamlit.__file__).parent / "static" / "static" / "js").glob("*.js"))


def test_every_replacement_has_both_languages():
    for _, pattern, key in RULES:
        re.compile(pattern)
        assert t(key, "vi") != key and t(key, "en") != key, key
    for _, pattern, key in ATTRIBUTES:
        re.compile(pattern)
        assert t(key, "vi") != key and t(key, "en") != key, key


def test_the_replaced_texts_are_in_this_streamlit():
    for text in MENU_TEXTS:
        assert f"`{text}`" in BUNDLE or f'"{text}"' in BUNDLE, f"Streamlit {streamlit.__version__} no longer says {text!r}"
    for _, pattern in HIDDEN_MENU_ITEMS:
        assert f"`{pattern.strip('^$')}`" in BUNDLE
    for _, pattern, _ in ATTRIBUTES:
        literal = pattern.strip("^$").replace("(.+)", "").replace("\\", "").strip()
        if re.fullmatch(r"[\w /()-]+", literal):  # a fixed text (a file's size is made by the browser)
            assert literal in BUNDLE, f"Streamlit {streamlit.__version__} no longer says {literal!r}"
    for literal in ("Skip to main content", "per file", "Press Enter to ", "Choose an option", "Choose options", "Upload",
                    "Stop", "Stopping...", "No results"):
        assert literal in BUNDLE, f"Streamlit {streamlit.__version__} no longer says {literal!r}"


def test_rules_turn_streamlits_words_into_vietnamese():
    def apply(text: str, where_ok=lambda where: True) -> str:
        for where, pattern, key in RULES:
            m = re.match(pattern, text)
            if m and where_ok(where):
                return re.sub(r"\{(\d)\}", lambda g: m.group(int(g.group(1))) or "", t(key, "vi"))
        return text

    assert apply("200MB per file • GPKG") == "Tối đa 200 MB mỗi tệp • GPKG"
    assert apply("50MB per file") == "Tối đa 50 MB mỗi tệp"
    assert apply("134.0B") == "134 B" and apply("12.5KB") == "12,5 KB" and apply("12KB") == "12 KB"
    assert apply("Press Enter to apply") == "Nhấn Enter để áp dụng"
    assert apply("Press ⌘+Enter to apply") == "Nhấn Ctrl+Enter để áp dụng"
    assert apply("2 options available.") == "Có 2 lựa chọn."
    assert apply("Download as CSV") == "Tải về dạng CSV"
    assert apply("Skip to main content") == "Chuyển đến nội dung chính"
