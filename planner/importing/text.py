"""What an upload's text would store wrong without a word, found so the report can say so: cells
holding undecodable bytes (U+FFFD), control characters or tone marks standing on no letter; lines
of a CSV file or rows of a shapefile's table written in another encoding than the rest (UTF-8 rows
in a TCVN3 file, TCVN3 rows in a UTF-8 one); a shapefile whose .shp holds more shapes, or whose .dbf
more records, than rows were read.

Pure functions of text, bytes and frames, below `files` and `layers`: the caller opens the files.
"""
from __future__ import annotations

import re
import struct
import unicodedata
from collections.abc import Iterable, Sequence
from typing import BinaryIO

import pandas as pd

from planner import encodings
from planner.contracts import TEXT, Column
from planner.importing.columns import COORD_ROLES

ENCODING_NAMES = {encodings.UTF8: "UTF-8", encodings.UTF8_SIG: "UTF-8", encodings.CP1258: "Windows-1258",
                  encodings.TCVN3: "TCVN3 (ABC)", encodings.VNI: "VNI-Windows"}
CELL_CHECKS = {"undecodable": "imp.text_undecodable", "control": "imp.text_control", "bare_mark": "imp.text_bare_mark"}
FOREIGN_MIN_SCORE = 0.75  # a line reads as Vietnamese in the other encoding: this share of its words are syllables...
FOREIGN_MIN_GAIN = 0.5  # ...and this much more than in the file's encoding


def first_rows(rows, k: int = 5) -> str:
    """Row numbers for a report: the first `k`, then "…" when there are more."""
    rows = list(rows)
    return ", ".join(str(r) for r in rows[:k]) + (", …" if len(rows) > k else "")

# --- cells -----------------------------------------------------------------------------------------
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # category Cc but tab and line breaks
_MARK = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")  # combining diacritics


def cell_flags(text: str) -> tuple[str, ...]:
    """What is wrong with a text cell, among "undecodable" (U+FFFD, left where bytes could not be
    decoded), "control" (control characters other than tab and line breaks) and "bare_mark" (a
    combining mark, e.g. a tone mark, with no letter under it, as at the start of a word)."""
    if text.isascii() and text.isprintable():
        return ()  # most cells, at no cost
    text = unicodedata.normalize("NFC", text)  # marks on their letters are composed away
    flags = []
    if "\ufffd" in text:
        flags.append("undecodable")
    if _CONTROL.search(text):
        flags.append("control")
    for m in _MARK.finditer(text):
        j = m.start() - 1
        while j >= 0 and unicodedata.category(text[j]).startswith("M"):
            j -= 1  # marks stacked on one letter
        if j < 0 or not unicodedata.category(text[j]).startswith("L"):
            flags.append("bare_mark")
            break
    return tuple(flags)


def _shown(text: str, limit: int = 40) -> str:
    """A cell as the report quotes it: control characters escaped, a bare mark on a dotted circle."""
    out = []
    prev_letter = False
    for c in text[:limit]:
        cat = unicodedata.category(c)
        if cat == "Cc":
            out.append(c.encode("unicode_escape").decode("ascii"))
        elif cat.startswith("M") and not prev_letter:
            out.append("\u25cc" + c)
        else:
            out.append(c)
        if not cat.startswith("M"):
            prev_letter = cat.startswith("L")
    return "'" + "".join(out) + ("…" if len(text) > limit else "") + "'"


def report_text(rd, rep, columns: Sequence[Column]) -> None:
    """Warn, for each mapped column of text (names, ids, codes, kinds...) of a read source `rd`, of
    the cells `cell_flags` finds something wrong with, naming the rows (in `rep`, a SourceProblems)."""
    not_text = {c.name for c in columns if c.kind != TEXT} | set(COORD_ROLES)
    for src, target in rd.report.mapping.items():
        if target in not_text or src not in rd.attrs.columns:
            continue
        cells = list(rd.attrs[src])
        found: dict[str, list[int]] = {}
        for i, cell in enumerate(cells):
            if isinstance(cell, str):
                for flag in cell_flags(cell):
                    found.setdefault(flag, []).append(i)
        for flag, key in CELL_CHECKS.items():
            if flag in found:
                examples = list(dict.fromkeys(_shown(unicodedata.normalize("NFC", cells[i])) for i in found[flag]))[:3]
                rep.add(key, positions=found[flag], column=src, severity="warning", values=", ".join(examples))


# --- lines in another encoding ---------------------------------------------------------------------
def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def foreign_encoding(line: bytes, encoding: str) -> str | None:
    """The encoding a line (or a row's cells) was written in when it is not `encoding`: UTF-8 for a
    line that is valid UTF-8 and reads as Vietnamese in it but not in a legacy `encoding`; the
    legacy encoding (Windows-1258, TCVN3, VNI) that reads best a line of a UTF-8 file that is not
    UTF-8. None when the line reads as well in `encoding` (or is plain ASCII)."""
    if line.isascii():
        return None
    enc = encodings.canonical(encoding)
    utf = enc in (encodings.UTF8, encodings.UTF8_SIG)
    if utf == is_utf8(line):
        return None  # valid UTF-8 in a UTF-8 file; not UTF-8 in a legacy one (legacy mixes are not told apart)
    here = encodings.score(encodings.decode(line, enc))
    others = encodings.LEGACY if utf else (encodings.UTF8,)
    scored = [(encodings.score(encodings.decode(line, other)), other) for other in others]
    best, other = max(scored, key=lambda s: s[0])  # max keeps the first of equals
    return other if best >= FOREIGN_MIN_SCORE and best - here >= FOREIGN_MIN_GAIN else None


def foreign_rows(records: Iterable[tuple[int, bytes]], encoding: str) -> dict[str, list[int]]:
    """Other encoding -> the row numbers of `records` ((row number, bytes)) written in it."""
    out: dict[str, list[int]] = {}
    for row, data in records:
        other = foreign_encoding(data, encoding)
        if other is not None:
            out.setdefault(other, []).append(row)
    return out


def _mixed_notes(name: str, found: dict[str, list[int]], encoding: str) -> list[tuple[str, dict]]:
    return [("imp.mixed_encoding", dict(file=name, n=len(rows), rows=first_rows(rows), other=ENCODING_NAMES.get(other, other),
                                        encoding=ENCODING_NAMES.get(encoding, encoding)))
            for other, rows in found.items()]


def csv_encoding_notes(name: str, data: bytes, encoding: str) -> list[tuple[str, dict]]:
    """A warning naming the lines of a CSV file written in another encoding than the one it is read in
    (line numbers as a CSV file's rows are numbered)."""
    if encodings.canonical(encoding) in (encodings.UTF8, encodings.UTF8_SIG) and is_utf8(data):
        return []  # the common case, at no cost
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return _mixed_notes(name, foreign_rows(enumerate(data.splitlines(), start=1), encoding), encoding)


def dbf_encoding_notes(name: str, frame: pd.DataFrame, encoding: str) -> list[tuple[str, dict]]:
    """A warning naming the rows (feature numbers) of a shapefile's table written in another encoding
    than the one it is read in. `frame` holds the table as read byte for byte (text as Latin-1)."""
    geometry = getattr(frame, "geometry", None)
    geometry = geometry.name if geometry is not None else None
    text_cols = [c for c in frame.columns if c != geometry
                 and (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c]))]
    if not text_cols:
        return []

    def records():
        for i, values in enumerate(zip(*(frame[c] for c in text_cols)), start=1):
            yield i, b"\n".join(v.encode("latin-1", errors="replace") for v in values if isinstance(v, str))

    return _mixed_notes(name, foreign_rows(records(), encoding), encoding)


# --- a shapefile's shapes --------------------------------------------------------------------------
SHP_HEADER = 100


def shp_records(f: BinaryIO) -> int | None:
    """How many shape records a .shp file holds, walking the records' headers (number, length);
    None when the file does not start like a .shp. A record cut short at the end is not counted."""
    head = f.read(SHP_HEADER)
    if len(head) < SHP_HEADER or struct.unpack(">i", head[:4])[0] != 9994:
        return None
    f.seek(0, 2)
    end = min(f.tell(), struct.unpack(">i", head[24:28])[0] * 2)
    pos, count = SHP_HEADER, 0
    while pos + 8 <= end:
        f.seek(pos)
        record = f.read(8)
        if len(record) < 8:
            break
        words = struct.unpack(">i", record[4:])[0]
        if words < 2 or pos + 8 + words * 2 > end:  # every record holds at least its shape type
            break
        count += 1
        pos += 8 + words * 2
    return count


def dbf_records(f: BinaryIO) -> int | None:
    """How many records a .dbf file's header says it holds; None when it is too short to say."""
    head = f.read(8)
    return struct.unpack("<I", head[4:8])[0] if len(head) == 8 else None


def shape_count_notes(name: str, shp: str, shapes: int | None, records: int | None, rows: int) -> list[tuple[str, dict]]:
    """A warning when a shapefile's .shp holds another number of shapes, or its .dbf another number of
    records, than the rows read: GDAL reads only as many as the fewer, and says nothing."""
    if (shapes is None or shapes == rows) and (records is None or records == rows):
        return []
    return [("imp.shp_count", dict(file=name, shp=shp, shapes="?" if shapes is None else shapes,
                                   records="?" if records is None else records, rows=rows))]
