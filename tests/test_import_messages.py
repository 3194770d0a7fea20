"""Every user-facing message of the import exists in Vietnamese and English and formats with the
parameters the code gives it."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from planner.i18n import TEXT
from planner.importing import KINDS, ImportSource, prepare_import, targets
from tests.test_import_helpers import csv_bytes, village_rows, villages_csv, zip_bytes

PLANNER = Path(__file__).resolve().parent.parent / "planner"
MODULES = ["importing/__init__.py", "importing/columns.py", "importing/sources.py", "importing/layers.py",
           "importing/communes.py", "importing/plan.py", "importing/templates.py", "importing/files.py", "cli_import.py",
           "importing/effect.py", "importing/text.py", "importing/guard.py", "importing/worker.py",
           "coordinates.py", "names.py", "encodings.py"]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_used_in_the_code_exists_in_both_languages():
    used = set()
    for name in MODULES:
        used |= set(re.findall(r"\"((?:imp\.|err\.imp_)[a-z0-9_.]+)\"", (PLANNER / name).read_text(encoding="utf-8")))
    used |= {f"imp.col.{t}" for k in KINDS for t in targets(k)} | {f"imp.help.{t}" for k in KINDS for t in targets(k)}
    used |= {f"imp.kind.{k}" for k in KINDS} | {"imp.severity_error", "imp.severity_warning", "imp.where_communes", "imp.where_bbox"}
    used |= {f"imp.how.{c}" for c in ("name", "kind", "area_km2", "villages")}
    used = {k for k in used if not k.endswith(".")}  # prefixes like "imp.val." completed at run time
    missing = sorted(k for k in used if k not in TEXT)
    assert missing == []
    for key in used:
        vi, en = TEXT[key]
        assert vi.strip() and en.strip(), key


def test_placeholders_agree_between_languages():
    for key, (vi, en) in TEXT.items():
        if key.startswith(("imp.", "err.imp_")) and key not in ("imp.outside", "imp.filled_column"):
            assert _fields(vi) == _fields(en), key


def _bad_sources(demo) -> list[list[ImportSource]]:
    rows = village_rows()
    rows[0][3] = "nhiều"
    rows[1][5], rows[1][6] = rows[1][6], rows[1][5]
    rows[2][0] = rows[3][0]
    rows[3][2] = "Xã Không Có"
    header = ["Mã", "Tên thôn", "Mã xã", "Dân số", "Trẻ em", "X", "Y"]
    table = [["Mã xã", "Dân số", "Tỷ lệ hộ nghèo", "Xã ĐBKK"]] + [[c, "x", "45", "có lẽ"] for c in demo.communes["code"][:3]]
    return [
        [ImportSource("villages", "a.csv", villages_csv(rows + [[None] * 7, ["V9", "B", "03388", 1, 1, 105.8, 21.0, "thêm"]]))],
        [ImportSource("villages", "b.csv", csv_bytes([header, ["V1", "A", "03388", 1, 1, 2480000, 500000]]))],
        [ImportSource("villages", "b.csv", csv_bytes([header, ["V1", "A", "03388", 1, 1, 500000, 2480000]]), crs="EPSG:9205")],
        [ImportSource("villages", "c.csv", csv_bytes([["Tên"], ["A"]]))],
        [ImportSource("table", "d.csv", csv_bytes(table))],
        [ImportSource("table", "e.csv", csv_bytes([["Dân số"], [1]]))],
        [ImportSource("boundaries", "f.csv", csv_bytes([["Mã"], ["1"]]))],
        [ImportSource("boundaries", "g.zip", zip_bytes({"../x.shp": b"1"}))],
        [ImportSource("boundaries", "h.zip", zip_bytes({"x.txt": b"1"}))],
        [ImportSource("schools", "i.xlsx", b"<html>")],
        [ImportSource("villages", "j.csv", villages_csv()), ImportSource("villages", "k.csv", villages_csv())],
        [ImportSource("villages", "l.csv", villages_csv())],
    ]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_problem_formats_in_both_languages(demo, lang):
    seen = set()
    for sources in _bad_sources(demo):
        plan = prepare_import(sources, complete=len(sources) == 1 and sources[0].name == "l.csv")
        for p in plan.problems:
            text = p.message(lang)
            assert "{" not in text and p.key not in text, (p.key, text)
            seen.add(p.key)
    assert len(seen) >= 20, sorted(seen)
