"""Streamlit's own English texts, replaced in the Vietnamese interface.

Streamlit 1.67 has no setting for the words it draws itself: the file uploader's "Upload" and
"200MB per file", "Press Enter to apply", "Skip to main content", the file size "1.2KB", the
running indicator's "Stop". Where a widget takes the text (multiselect `placeholder`,
`select_all=False`) the pages pass it. For the rest a small script in the page rewrites those
text nodes (only inside Streamlit's own elements, found by their `data-testid`), and writes the
originals back when the planner switches to English. Screen readers and copy-paste get the
Vietnamese too, which a CSS overlay would not give. docs/decisions.md says how to check it after
a Streamlit upgrade; tests/test_browser_words.py fails when an English text comes back.
"""
from __future__ import annotations

import functools
import json
import re

import streamlit as st

from planner.i18n import t

# (where, English text as a regular expression, i18n key of the replacement; groups as {1}, {2})
RULES = (
    ('[data-testid="stSkipToContent"]', r"^Skip to main content$", "chrome.skip"),
    ('[data-testid="stFileUploaderDropzone"] button', r"^Upload$", "chrome.browse"),
    ('[data-testid="stFileUploaderDropzone"]', r"^Drag and drop (?:a )?files? here$", "chrome.drop"),
    ('[data-testid="stFileUploaderDropzoneInstructions"]', r"^(\d+)(?:\.\d+)?MB per file$", "chrome.upload_limit"),
    ('[data-testid="stFileUploaderDropzoneInstructions"]', r"^(\d+)(?:\.\d+)?MB per file • (.*)$", "chrome.upload_limit_types"),
    ('[data-testid="stFileChip"]', r"^(\d+)\.0(B|KB|MB|GB)$", "chrome.file_size_whole"),
    ('[data-testid="stFileChip"]', r"^(\d+)\.(\d+)(B|KB|MB|GB)$", "chrome.file_size"),
    ('[data-testid="stFileChip"]', r"^(\d+)(B|KB|MB|GB)$", "chrome.file_size_whole"),
    # react-aria's screen-reader announcements follow the browser's language, not the page's
    ("body", r"^(\d+) options? available\.$", "chrome.options_available"),
    ('[data-testid="InputInstructions"]', r"^Press Enter to apply$", "chrome.enter"),
    ('[data-testid="InputInstructions"]', r"^Press (?:⌘|Ctrl)\+Enter to apply$", "chrome.ctrl_enter"),
    ('[data-testid="InputInstructions"]', r"^Press Enter to submit form$", "chrome.enter_form"),
    ('[data-testid="InputInstructions"]', r"^Press (?:⌘|Ctrl)\+Enter to submit form$", "chrome.ctrl_enter_form"),
    ('[data-testid="stFileUploader"]', r"^add icon$", "chrome.add_file"),
    ('[data-testid="stStatusWidget"]', r"^Stop$", "chrome.stop"),
    ('[data-testid="stStatusWidget"]', r"^Stopping\.\.\.$", "chrome.stopping"),
    ('[data-baseweb="popover"]', r"^No results$", "chrome.no_results"),
)
# the table's and chart's toolbars and menus (tooltips on hover, the column menu): whole texts, anywhere
MENU_TEXTS = ("Download as CSV", "Search", "Fullscreen", "Close fullscreen", "Show/hide columns", "Sort ascending",
              "Sort descending", "Pin column", "Unpin column", "Hide column", "Autosize", "Format", "Copy",
              "Copy to clipboard", "Add row", "Delete row(s)", "Clear selection", "Select all", "Automatic", "Localized",
              "Plain", "Percent", "Scientific", "Compact", "Download as PNG", "Save as Image")
RULES += tuple(("body", "^" + re.escape(text) + "$", "chrome.menu." + re.sub(r"[^a-z]+", "_", text.lower()).strip("_"))
               for text in MENU_TEXTS)

# attributes: select boxes' placeholders when a page gave none; labels a screen reader reads and
# tooltips the browser shows on hover ((attribute, English text as a regular expression, i18n key))
ATTRIBUTES = (
    ("placeholder", r"^Choose an option$", "pick.placeholder"),
    ("placeholder", r"^Choose options$", "pick.placeholder"),
    ("placeholder", r"^Choose or add an option$", "pick.placeholder"),
    ("aria-label", r"^Increment$", "chrome.increment"),
    ("aria-label", r"^Decrement$", "chrome.decrement"),
    ("aria-label", r"^Collapse sidebar$", "chrome.collapse_sidebar"),
    ("aria-label", r"^Expand sidebar$", "chrome.expand_sidebar"),
    ("aria-label", r"^App pages$", "chrome.app_pages"),
    ("aria-label", r"^Link to heading$", "chrome.heading_link"),
    ("aria-label", r"^Clear all$", "chrome.clear_all"),
    ("aria-label", r"^Open$", "chrome.open"),
    ("aria-label", r"^Selected values$", "chrome.selected_values"),
    ("aria-label", r"^Remove (.+)$", "chrome.remove"),
    ("aria-label", r"^Help for (.+)$", "chrome.help_for"),
    ("aria-label", r"^Help$", "chrome.help"),
    ("aria-label", r"^file upload$", "chrome.file_upload"),
    ("aria-label", r"^Sidebar$", "chrome.sidebar"),
    ("aria-label", r"^Add files$", "chrome.add_files"),
    ("aria-label", r"^(.+), (\d+)\.0(B|KB|MB|GB)$", "chrome.file_and_size_whole"),
    ("aria-label", r"^(.+), (\d+)\.(\d+)(B|KB|MB|GB)$", "chrome.file_and_size"),
)
ATTRIBUTES += tuple(("aria-label", pattern, key)  # the same toolbar texts as the buttons' screen-reader labels
                   for where, pattern, key in RULES if key.startswith("chrome.menu."))
# menu items that show numbers in the browser's locale or reformat a column that way: hidden in
# the Vietnamese interface (where, English text)
HIDDEN_MENU_ITEMS = (
    ('[data-testid="stDataFrameColumnMenu"]', r"^Statistics$"),
    ('[data-testid="stDataFrameColumnMenu"]', r"^Format$"),
)
# the chart toolbar's "Show data" (the chart's internal table, English field names) and "Copy
# Vega-Lite spec": hidden in both languages; the page's tables and downloads hold the figures
CSS = """
[data-testid="stElementToolbar"] button[aria-label*="Show data"],
[data-testid="stElementToolbar"] button[aria-label*="Copy Vega-Lite"] { display: none; }
"""

_SCRIPT = """
<script>
(function () {
  const w = window;
  const rules = %(rules)s;
  const attrs = %(attrs)s;
  const hides = %(hides)s;
  const vi = %(vi)s;
  w.__plannerChrome = { rules: rules.map(r => [r[0], new RegExp(r[1]), r[2]]),
                        attrs: attrs.map(r => [r[0], new RegExp(r[1]), r[2]]),
                        hides: hides.map(r => [r[0], new RegExp(r[1])]), on: vi };
  const fill = (repl, m) => repl.replace(/\\{(\\d)\\}/g, (_, i) => m[+i] === undefined ? "" : m[+i]);
  if (w.__plannerChromeObserver) { w.__plannerChromeApply(document.body); return; }
  function attributes(root) {
    const state = w.__plannerChrome;
    if (!root.querySelectorAll) return;
    const els = [root, ...root.querySelectorAll("[placeholder], [aria-label], [title]")];
    for (const e of els) {
      if (!e.getAttribute) continue;
      e.__plannerAttr = e.__plannerAttr || {};
      for (const name of ["placeholder", "aria-label", "title"]) {
        const now = e.getAttribute(name);
        if (now === null) continue;
        const done = e.__plannerAttr[name];
        if (!state.on) { if (done && now === done[1]) e.setAttribute(name, done[0]); continue; }
        if (done && now === done[1]) continue;
        for (const [attr, re, repl] of state.attrs) {
          const m = attr === name && now.match(re);
          if (m) { const out = fill(repl, m); e.__plannerAttr[name] = [now, out]; e.setAttribute(name, out); break; }
        }
      }
    }
  }
  function apply(root) {
    const state = w.__plannerChrome;
    attributes(root.nodeType === 1 ? root : document.body);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!state.on) { if (n.__plannerOrig !== undefined && n.nodeValue === n.__plannerNew) n.nodeValue = n.__plannerOrig; continue; }
      const text = n.nodeValue.trim();
      if (!text || n.nodeValue === n.__plannerNew) continue;
      for (const [where, re] of state.hides) {
        const item = re.test(text) && n.parentElement && n.parentElement.closest(where) && n.parentElement.closest('[role="menuitem"]');
        if (item) item.style.display = "none";
      }
      for (const [where, re, repl] of state.rules) {
        const m = text.match(re);
        if (m && n.parentElement && n.parentElement.closest(where)) {
          const out = fill(repl, m);
          n.__plannerOrig = n.nodeValue; n.__plannerNew = out; n.nodeValue = out;
          break;
        }
      }
    }
  }
  w.__plannerChromeApply = apply;
  w.__plannerChromeObserver = new MutationObserver(muts => {
    for (const m of muts) {
      if (m.type === "characterData") apply(m.target.parentNode || document.body);
      if (m.type === "attributes") attributes(m.target);
      for (const a of m.addedNodes) apply(a.nodeType === 3 ? (a.parentNode || document.body) : a);
    }
  });
  w.__plannerChromeObserver.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true,
                                                        attributeFilter: ["placeholder", "aria-label", "title"] });
  apply(document.body);
})();
</script>
"""


def replace_streamlit_texts(lang: str) -> None:
    """Once per page run, before any widget; in English it puts Streamlit's own words back."""
    st.html(_page_html(lang), unsafe_allow_javascript=True)


@functools.cache
def _page_html(lang: str) -> str:
    """The script and the style for `lang`, built once per language and server process."""
    rules = [(where, pattern, t(key, lang)) for where, pattern, key in RULES]
    attrs = [(name, pattern, t(key, lang)) for name, pattern, key in ATTRIBUTES]
    hides = list(HIDDEN_MENU_ITEMS) if lang != "en" else []
    script = _SCRIPT % {"rules": json.dumps(rules, ensure_ascii=False), "attrs": json.dumps(attrs, ensure_ascii=False),
                        "hides": json.dumps(hides), "vi": "true" if lang != "en" else "false"}
    return f"<style>{CSS}</style>{script}"
