"""Every page in Vietnamese, read by a browser set to en-US: no English word, no number or date
in a non-Vietnamese format (issue 14).

The English words come from the English interface itself (every English text of planner.i18n,
minus the words the Vietnamese texts and the data also use: GeoPackage, PDF, Lai Châu...) and
the words Streamlit draws on its own. The test reads what a person sees: visible text nodes of
the page (also the SVG of the charts), the cells of the tables (the grid draws them on a canvas
and mirrors them in an accessible table), placeholders, and the map's tooltips after a hover.
"""
from __future__ import annotations

import re

from planner.i18n import TEXT
from test_browser import ARTIFACTS, _click, _idle, _map, _pick, _type, _upload, en_page, server  # noqa: F401

STREAMLIT_WORDS = {"upload", "drag", "drop", "browse", "choose", "select", "options", "running", "stop", "stopping",
                   "print", "press", "enter", "apply", "submit", "skip", "content", "results", "deploy", "file",
                   "files", "rerun", "clear", "cache", "settings", "about", "download", "search", "fullscreen"}
# Names and standard abbreviations that read the same in a Vietnamese office
KEEP = {"csv", "xlsx", "pdf", "png", "gpkg", "geojson", "geopackage", "kml", "kmz", "excel", "shapefile", "zip", "tsv",
        "txt", "json", "epsg", "utm", "wgs", "tw", "ct", "km", "lai", "châu", "openstreetmap", "leaflet", "osm", "highs",
        "mb", "gb", "kb", "id", "ctrl", "gis", "qgis", "demo", "thcs", "thpt", "unicef"}

JS_TEXTS = """() => {
  const out = [];
  const seen = (el) => { const s = getComputedStyle(el);
    return s.display !== 'none' && s.visibility !== 'hidden' && parseFloat(s.fontSize) > 0 && el.getClientRects().length > 0; };
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = w.nextNode(); n; n = w.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('[data-testid=stIconMaterial], script, style, noscript')) continue;
    if (el.closest('[data-testid=stDataFrame], [data-testid=stDataFrameResizable]')) continue;  // read below
    if (el.closest('[class*="st-key-file-preview"]')) continue;  // a user's file, shown as the file writes it
    const t = n.nodeValue.trim();
    if (t && seen(el)) out.push(t);
  }
  // the grids' headers; their cells are drawn from a Styler's display text, checked in tests/test_app_tables.py
  // (the accessible mirror of the canvas holds the numbers beneath, as a screen reader announces them)
  for (const c of document.querySelectorAll('[data-testid=stDataFrame] table th')) {
    if (c.closest('[class*="st-key-file-preview"]')) continue;
    const t = c.textContent.trim(); if (t) out.push(t);
  }
  for (const e of document.querySelectorAll('[aria-label], [title]')) {  // what a screen reader or a hover says
    if (e.getClientRects().length === 0) continue;  // not drawn (display: none): neither heard nor hovered
    for (const a of ['aria-label', 'title']) { const t = e.getAttribute(a); if (t && t.trim()) out.push(t.trim()); }
  }
  for (const i of document.querySelectorAll('input, textarea')) { if (i.placeholder && seen(i)) out.push(i.placeholder); }
  return out;
}"""


def english_words(demo) -> set[str]:
    def words(text: str) -> set[str]:
        return {w.lower() for w in re.findall(r"[^\W\d_]{3,}", re.sub(r"\{[^}]*\}", " ", text))}

    en, vi = set(), set()
    for pair in TEXT.values():
        vi |= words(pair[0])
        en |= words(pair[1])
    for frame in (demo.communes, demo.villages, demo.play_points, demo.schools):
        for name in frame["name"]:
            vi |= words(str(name))
    return (en - vi - KEEP) | STREAMLIT_WORDS


NUMBER_PROBLEMS = (
    (re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])"), "English thousands separator"),
    (re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.])"), "decimal point"),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "ISO date"),
    (re.compile(r"\b\d{2}:\d{2}(?::\d{2})? ?UTC\b"), "UTC time"),
    (re.compile(r"(?<![\d.,])\d{7,}(?![\d.,])"), "long number without separators"),
)


def problems(texts: list[str], english: set[str], codes: set[str]) -> list[str]:
    found = []
    for text in texts:
        text = " ".join(tok for tok in text.split() if "/" not in tok)  # a folder's path is the machine's
        for w in re.findall(r"[^\W\d_]{3,}", text):
            if w.lower() in english:
                found.append(f"English word {w!r} in {text[:120]!r}")
        cleaned = " ".join(tok for tok in re.split(r"(\s+)", text) if tok.strip("()[],;:") not in codes)
        for pattern, what in NUMBER_PROBLEMS:
            for m in pattern.finditer(cleaned):
                found.append(f"{what} {m.group(0)!r} in {text[:120]!r}")
    return found


def read_page(pg) -> list[str]:
    _idle(pg)
    for exp in pg.locator("[data-testid=stExpander] summary").all():  # what a reader opens
        if exp.get_attribute("aria-expanded") == "false" or exp.locator("xpath=..").get_attribute("open") is None:
            exp.click()
    _idle(pg)
    return pg.evaluate(JS_TEXTS)


def hover_tooltips(pg) -> list[str]:
    """A person's pointer over a few communes: the tooltips' text."""
    frame = _map(pg)
    polys = frame.locator("path.leaflet-interactive")
    polys.nth(37).wait_for(timeout=60_000)
    out = []
    for i in (0, 11, 23):
        polys.nth(i).hover(force=True)
        pg.wait_for_timeout(300)
        out += [t.inner_text() for t in frame.locator(".leaflet-tooltip").all()]
    return [t for t in out if t.strip()]


def test_every_page_in_vietnamese_with_an_en_us_browser(server, en_page, demo, tmp_path):  # noqa: F811
    pg = en_page
    english = english_words(demo)
    codes = set(demo.communes["code"]) | (set() if demo.communes_2024 is None else set(demo.communes_2024["code"]))
    seen: dict[str, list[str]] = {}

    pg.goto(server)
    pg.get_by_text("Bảng theo xã").first.wait_for(timeout=90_000)
    seen["overview"] = read_page(pg) + hover_tooltips(pg)

    pg.goto(f"{server}/priorities")
    pg.get_by_text("Xếp hạng xã").first.wait_for(timeout=90_000)
    seen["priorities"] = read_page(pg)

    pg.goto(f"{server}/sites")
    pg.get_by_role("button", name="Chạy tối ưu hóa").wait_for(timeout=90_000)
    _click(pg, "Chạy tối ưu hóa")
    pg.get_by_text("Địa điểm được chọn").first.wait_for(timeout=120_000)
    _click(pg, "Thêm vào các đề xuất của tôi")
    _idle(pg)
    seen["sites"] = read_page(pg) + hover_tooltips(pg)

    pg.goto(f"{server}/scenarios")
    pg.get_by_role("button", name="Lưu kịch bản").wait_for(timeout=90_000)
    _type(pg, "Tên kịch bản", "Phương án A")
    _click(pg, "Lưu kịch bản")
    _idle(pg)
    _type(pg, "Tên kịch bản", "Phương án B")
    _click(pg, "Lưu thành kịch bản mới")
    _idle(pg)
    box = pg.locator("[data-testid='stMultiSelect']").last
    for name in ("Phương án A", "Phương án B"):
        _pick(pg, box, name)
    pg.keyboard.press("Escape")
    pg.get_by_text("Kinh phí theo năm so với ngân sách").first.wait_for(timeout=60_000)
    seen["scenarios"] = read_page(pg)

    csv = tmp_path / "diem-vui-choi.csv"
    csv.write_text("Tên điểm,Mã xã,Kinh độ,Vĩ độ,Trạng thái,Diện tích\nSân chơi bản Mới,03382,103.45,22.40,đang sử dụng,1200\n",
                   encoding="utf-8")
    pg.get_by_role("link", name="Dữ liệu").click()  # within the app, as a person goes from page to page
    pg.get_by_text("Tải tệp lên").first.wait_for(timeout=90_000)
    _upload(pg, "Điểm vui chơi, văn hóa", csv)
    pg.get_by_text("Hệ tọa độ").first.wait_for(timeout=60_000)
    seen["data"] = read_page(pg)

    report = []
    for name, texts in seen.items():
        assert len(texts) > 20, f"{name}: too little text read ({len(texts)})"
        report += [f"{name}: {p}" for p in problems(texts, english, codes)]
    (ARTIFACTS / "words-walk.txt").write_text("\n".join(f"== {n}\n" + "\n".join(t) for n, t in seen.items()), encoding="utf-8")
    assert not report, "\n".join(sorted(set(report)))


VI_NUMBERS = (
    (re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,])"), "Vietnamese thousands separator"),
    (re.compile(r"(?<![\d.,])\d+,\d{1,2}(?![\d,])"), "decimal comma"),
)


def test_the_english_interface_writes_english_numbers(server, en_page, demo):  # noqa: F811
    pg = en_page
    codes = set(demo.communes["code"])
    pg.goto(server)
    pg.get_by_text("Bảng theo xã").first.wait_for(timeout=90_000)
    pg.get_by_text("English", exact=True).click()
    pg.get_by_text("Commune table").first.wait_for(timeout=60_000)
    seen = {"overview": read_page(pg) + hover_tooltips(pg)}
    pg.get_by_role("link", name="Priorities").click()
    pg.get_by_text("Commune ranking").first.wait_for(timeout=90_000)
    seen["priorities"] = read_page(pg)
    found = []
    for name, texts in seen.items():
        assert len(texts) > 20, name
        for text in texts:
            cleaned = " ".join(tok for tok in text.split() if tok.strip("()[],;:") not in codes and "/" not in tok)
            found += [f"{name}: {what} {m.group(0)!r} in {text[:100]!r}" for pattern, what in VI_NUMBERS
                      for m in pattern.finditer(cleaned)]
    assert not found, "\n".join(sorted(set(found)))
