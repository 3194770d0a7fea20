"""Reading uploads safely (the import's only module that touches files): size limits, zip archives
checked before anything is extracted, temporary folders always removed, tables and GIS layers
returned as frames. Nothing from an upload is ever executed.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import re
import stat
import struct
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pandas as pd

from planner import coordinates, encodings
from planner.errors import PlannerError, error_detail
from planner.formats import both, fmt_num
from planner.importing.guard import remote_crs
from planner.importing.text import (csv_encoding_notes, dbf_encoding_notes, dbf_records, first_rows, is_utf8,
                                    shape_count_notes, shp_records)
from planner.names import fold

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # checked before reading
# Cheap limits, each checked before the expensive step it guards (docs/deployment.md, section 6);
# the bounded worker (worker.py) stays the last resort behind them.
MAX_ZIP_ENTRIES = 2_000  # entries in one archive
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # all entries together, from the archive's directory, before extracting
MAX_ZIP_RATIO = 100  # uncompressed / compressed, for entries over 1 MB
MAX_ZIP_NAME_BYTES = 255  # one file or folder name inside an archive (what Linux file systems take)
MAX_ZIP_PATH_BYTES = 1_024  # a whole path inside an archive
MAX_SHARED_STRINGS_BYTES = 50 * 1024 * 1024  # a workbook's sharedStrings.xml unpacked (openpyxl loads it whole)
MAX_TABLE_ROWS = 200_000  # data rows of one list (a CSV, a sheet, a GIS layer)
MAX_TITLE_ROWS = 10  # rows a sheet or CSV may have above its header
MAX_TABLE_COLUMNS = 500  # columns of one list
MAX_TABLE_CELLS = 10_000_000  # rows × columns of one list
MAX_CELL_CHARS = 10_000  # characters in one cell
MAX_FEATURE_VERTICES = 100_000  # vertices of one GIS feature
MAX_LAYER_VERTICES = 2_000_000  # vertices of a whole GIS layer
SNIFF_CHARS = 8_192  # text given to csv.Sniffer, whose expressions are quadratic on quotes
SAMPLE_CHARS, SAMPLE_LINES = 65_536, 50  # text that decides the delimiter
MAX_MAPPING_BYTES = 1024 * 1024
PREVIEW_ROWS = 5

SQLITE_MAGIC = b"SQLite format 3\x00"
SHP_MAGIC = b"\x00\x00\x27\x0a"

TABLE_EXT = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}
GIS_EXT = {".geojson", ".json", ".gpkg", ".zip", ".kml", ".kmz", ".shp"}
GIS_INSIDE_ZIP = (".shp", ".gpkg", ".geojson", ".json", ".kml")


class UploadError(PlannerError):
    """An uploaded file is unsafe, of an unsupported kind, or cannot be read."""


@dataclass(frozen=True)
class RawTable:
    """A table as text cells (None when empty); `rows` are the row numbers people see in the file."""

    frame: pd.DataFrame
    rows: tuple[int, ...]
    encoding: str = ""
    encoding_scores: tuple = ()
    delimiter: str = ""
    sheet: str = ""
    sheets: tuple[str, ...] = ()
    notes: tuple[tuple[str, dict], ...] = ()  # (key, params) warnings found while reading


@dataclass(frozen=True)
class RawLayer:
    """A GIS layer as read, text re-decoded to Unicode NFC; `crs` is None when the file has none."""

    frame: gpd.GeoDataFrame
    crs: str | None
    format: str
    encoding: str = "utf-8"
    encoding_scores: tuple = ()
    layers: tuple[str, ...] = ()
    notes: tuple[tuple[str, dict], ...] = ()


def check_size(size: int, name: str) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise UploadError("err.imp_too_large", file=name, size_mb=round(size / 2**20, 1), limit_mb=MAX_UPLOAD_BYTES // 2**20)
    if size == 0:
        raise UploadError("err.imp_empty_file", file=name)


def read_upload(path: str | Path) -> tuple[str, bytes]:
    """The name and bytes of a file on disk, its size checked before reading."""
    path = Path(path)
    try:
        info = path.stat()
    except OSError:
        raise UploadError("err.imp_no_file", file=str(path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise UploadError("err.imp_no_file", file=str(path))
    check_size(info.st_size, path.name)
    try:
        return path.name, path.read_bytes()
    except OSError as exc:
        raise UploadError("err.imp_no_file", file=str(path)) from exc


def file_format(name: str, data: bytes) -> str:
    """"csv", "xlsx", "geojson", "gpkg", "zip", "kml", "kmz" or "shp", from the name and the first bytes."""
    ext = Path(name).suffix.lower()
    head = data[:1024].lstrip()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadError("err.imp_old_excel", file=name)
    if ext in (".xlsx", ".xlsm"):
        if not data.startswith(b"PK"):
            kind = "HTML" if head[:1] == b"<" else "?"
            raise UploadError("err.imp_not_xlsx", file=name, found=kind)
        return "xlsx"
    if ext in (".csv", ".txt", ".tsv"):
        return "csv"
    if ext == ".gpkg":
        if not data.startswith(SQLITE_MAGIC):
            raise UploadError("err.imp_not_format", file=name, fmt="GeoPackage")
        return "gpkg"
    if ext in (".zip", ".kmz"):
        if not data.startswith(b"PK"):
            raise UploadError("err.imp_not_format", file=name, fmt="ZIP")
        return ext[1:]
    if ext in (".geojson", ".json"):
        return "geojson"
    if ext == ".kml":
        return "kml"
    if ext == ".shp":
        raise UploadError("err.imp_lone_shp", file=name)
    raise UploadError("err.imp_extension", file=name, ext=ext or "-",
                      known=", ".join(sorted(TABLE_EXT | GIS_EXT)))


# --- zip archives -------------------------------------------------------------------------------
def _unsafe(name: str, reason: str) -> UploadError:
    return UploadError("err.imp_zip_unsafe", file=name, reason=reason)


def check_zip(zf: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    """The archive's entries, after checking count, total size, compression ratio, paths, links,
    name lengths and names taken by both a file and a folder; all from its directory, before
    anything is extracted."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _unsafe(name, f"{len(infos)} > {MAX_ZIP_ENTRIES} entries")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise UploadError("err.imp_zip_too_big", file=name, **both("size_mb", total / 2**20, lambda v, lang: fmt_num(v, lang, 1)),
                          limit_mb=MAX_UNZIPPED_BYTES // 2**20)
    files, folders = set(), set()
    for info in infos:
        member = info.filename
        path = PurePosixPath(member.replace("\\", "/"))
        if member.startswith(("/", "\\")) or (len(member) > 1 and member[1] == ":") or ".." in path.parts:
            raise _unsafe(name, f"path {member!r}")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise _unsafe(name, f"link {member!r}")
        longest = max((len(p.encode("utf-8", "surrogatepass")) for p in path.parts), default=0)
        if longest > MAX_ZIP_NAME_BYTES or len(member.encode("utf-8", "surrogatepass")) > MAX_ZIP_PATH_BYTES:
            limit = MAX_ZIP_NAME_BYTES if longest > MAX_ZIP_NAME_BYTES else MAX_ZIP_PATH_BYTES
            raise UploadError("err.imp_zip_name_long", file=name, limit=limit,
                              name=member if len(member) <= 60 else member[:57] + "…")
        if info.file_size > 2**20 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise _unsafe(name, f"{member!r} compressed {info.file_size // max(info.compress_size, 1)}:1")
        (folders if info.is_dir() else files).add(path)
        folders.update(path.parents)
    clash = sorted(str(p) for p in files & folders)
    if clash:
        raise UploadError("err.imp_zip_clash", file=name, name=clash[0])
    return infos


def _zipfile(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UploadError("err.imp_unreadable", file=name, detail=str(exc)[:200]) from None


def safe_extract(data: bytes, name: str, dest: Path) -> list[Path]:
    """Extract a checked archive into `dest`; every written path stays inside it."""
    zf = _zipfile(data, name)
    dest = dest.resolve()
    out = []
    with zf:
        for info in check_zip(zf, name):
            target = (dest / info.filename.replace("\\", "/")).resolve()
            if dest not in target.parents:
                raise _unsafe(name, f"path {info.filename!r}")
            written = 0
            try:
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as dst:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        if written > info.file_size or written > MAX_UNZIPPED_BYTES:
                            raise _unsafe(name, f"{info.filename!r} larger than declared")
                        dst.write(chunk)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, RuntimeError, OSError) as exc:
                raise UploadError("err.imp_unreadable", file=name, detail=str(exc)[:200]) from None
            out.append(target)
    return out


# --- tables -------------------------------------------------------------------------------------
DELIMITERS = ",;\t|"


def _delimiter(text: str) -> str:
    """The delimiter csv.Sniffer finds, checked against the first lines (most columns, consistent).
    Both look at the first lines only, cut to a few kilobytes: the sniffer's expressions take
    quadratic time on text full of quotes."""
    sample = "\n".join(_head(text, SAMPLE_CHARS).splitlines()[:SAMPLE_LINES])
    try:
        sniffed = csv.Sniffer().sniff(_head(sample, SNIFF_CHARS), delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""

    def widths(d):
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=d) if any(c.strip() for c in r)]
        except csv.Error:
            return []
        return [len(r) for r in rows]

    best, best_key = ",", (-1, 0)
    for d in DELIMITERS:
        w = widths(d)
        if not w or w[0] < 2:
            continue
        key = (sum(x == w[0] for x in w) / len(w), w[0], d == sniffed)
        if key > best_key:
            best, best_key = d, key
    return sniffed if sniffed and best_key[0] < 0 else best


def _head(text: str, limit: int) -> str:
    """The first `limit` characters of `text`, ending at the last line break among them if any."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = max(head.rfind("\n"), head.rfind("\r"))
    return head[:cut] if cut > 0 else head


_QUOTED = re.compile(r'"[^"]*+"')
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _check_text_size(text: str, delimiter: str, name: str) -> None:
    """Rows, columns and cells of a CSV text, counted from its line breaks and delimiters before the
    csv module builds anything. Breaks and delimiters inside quotes count too, at first; only when
    that count is over a limit are the quoted parts taken out and the text counted again."""
    wide = re.compile(rf"(?m)^(?:[^\n{re.escape(delimiter)}]*+{re.escape(delimiter)}){{{MAX_TABLE_COLUMNS}}}")

    def over(t: str):
        if "\n" not in t:
            t = t.replace("\r", "\n")  # old Mac files end lines with CR alone
        lines = t.count("\n") + 1
        if lines > MAX_TABLE_ROWS + MAX_TITLE_ROWS + 1:
            return ("err.imp_too_many_rows", {})
        delimiters = t.count(delimiter)
        if delimiters >= MAX_TABLE_COLUMNS and (m := wide.search(t)):
            return ("err.imp_too_many_columns", {"row": t.count("\n", 0, m.start()) + 1})
        if delimiters + lines > MAX_TABLE_CELLS:
            return ("err.imp_too_many_cells", {})
        return None

    found = over(text)
    if found and '"' in text:
        found = over(_QUOTED.sub('""', text))
    if found:
        key, params = found
        limit = {"err.imp_too_many_rows": MAX_TABLE_ROWS, "err.imp_too_many_columns": MAX_TABLE_COLUMNS}.get(key, MAX_TABLE_CELLS)
        raise UploadError(key, file=name, limit=limit, **params)


def _long_cell_column(text: str, line: int, delimiter: str) -> int:
    """The position (from 0) of the first cell over MAX_CELL_CHARS in the record starting on `line`."""
    pos = 0
    for _ in range(line - 1):
        m = _LINE_BREAK.search(text, pos)
        if m is None:
            return 0
        pos = m.end()
    col, length, quoted, i, n = 0, 0, False, pos, len(text)
    while i < n and length <= MAX_CELL_CHARS:
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1:i + 2] == '"':
                i += 1
                length += 1
            elif ch == '"':
                quoted = False
            else:
                length += 1
        elif ch == '"':
            quoted = True
        elif ch == delimiter:
            col, length = col + 1, 0
        elif ch in "\r\n":
            break
        else:
            length += 1
        i += 1
    return col


def _column_label(rows: list[list], col: int) -> str:
    """The header of column `col` (from 0) as the report names it: the first non-empty row's cell."""
    header = next((r for r in rows if any(_cell(c) is not None for c in r)), [])
    value = _cell(header[col]) if col < len(header) else None
    return str(value) if value is not None and len(str(value)) <= 100 else f"column_{col + 1}"


def _cell(value):
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, str):
        value = value.strip()
        if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
            value = value[1:]  # our own exports neutralise formula-looking text this way (exports.safe_text)
        return value or None
    if hasattr(value, "isoformat") and not isinstance(value, (int, float)):
        return value.isoformat()[:10]
    return value


def _to_frame(rows: list[list], numbers: list[int], name: str) -> tuple[pd.DataFrame, tuple[int, ...], list]:
    """First non-empty row as header; later rows padded or flagged to its width."""
    notes = []
    start = next((i for i, r in enumerate(rows) if any(_cell(c) is not None for c in r)), None)
    if start is None:
        raise UploadError("err.imp_no_rows", file=name)
    header = [str(_cell(c) if _cell(c) is not None else "") for c in rows[start]]
    while header and header[-1] == "":
        header.pop()
    header = [h or f"column_{i + 1}" for i, h in enumerate(header)]
    if len(header) > MAX_TABLE_COLUMNS:
        raise UploadError("err.imp_too_many_columns", file=name, limit=MAX_TABLE_COLUMNS, row=numbers[start])
    seen: dict[str, int] = {}
    for i, h in enumerate(header):  # duplicate headers get a suffix
        if h in seen:
            seen[h] += 1
            header[i] = f"{h} ({seen[h]})"
        else:
            seen[h] = 1
    body, kept, blank, extra = [], [], [], []
    for r, n in zip(rows[start + 1:], numbers[start + 1:]):
        cells = [_cell(c) for c in r]
        if all(c is None for c in cells):
            blank.append(n)
            continue
        if any(c is not None for c in cells[len(header):]):
            extra.append(n)
        cells = (cells + [None] * len(header))[: len(header)]
        body.append(cells)
        kept.append(n)
        if len(body) > MAX_TABLE_ROWS:
            raise UploadError("err.imp_too_many_rows", file=name, limit=MAX_TABLE_ROWS)
        if len(body) * len(header) > MAX_TABLE_CELLS:
            raise UploadError("err.imp_too_many_cells", file=name, limit=MAX_TABLE_CELLS)
    if blank and kept and blank[0] < kept[-1]:
        notes.append(("imp.blank_rows", dict(file=name, n=len(blank), rows=first_rows(blank))))
    if extra:
        notes.append(("imp.extra_cells", dict(file=name, n=len(extra), rows=first_rows(extra), width=len(header))))
    frame = pd.DataFrame(body, columns=header, dtype=object) if body else pd.DataFrame(columns=header, dtype=object)
    return frame, tuple(kept), notes


def read_csv_bytes(name: str, data: bytes, *, encoding: str | None = None) -> RawTable:
    """A CSV file: encoding detected (or given), delimiter sniffed, row numbers as lines in the file."""
    detected = encodings.detect(data) if encoding is None else encodings.Detected(encodings.canonical(encoding), 1.0)
    text = encodings.decode(data, detected.encoding)
    if "\x00" in text:
        raise UploadError("err.imp_binary", file=name)
    delimiter = _delimiter(text)
    _check_text_size(text, delimiter, name)
    rows, numbers = [], []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if len(row) > MAX_TABLE_COLUMNS:
                raise UploadError("err.imp_too_many_columns", file=name, limit=MAX_TABLE_COLUMNS, row=reader.line_num)
            if row and max(map(len, row)) > MAX_CELL_CHARS:
                col = next(i for i, c in enumerate(row) if len(c) > MAX_CELL_CHARS)
                raise UploadError("err.imp_cell_too_long", file=name, row=numbers[-1] + 1 if numbers else 1,
                                  column=_column_label(rows + [row], col), limit=MAX_CELL_CHARS)
            rows.append(row)
            numbers.append(reader.line_num)
            if len(rows) > MAX_TABLE_ROWS + MAX_TITLE_ROWS + 1:
                raise UploadError("err.imp_too_many_rows", file=name, limit=MAX_TABLE_ROWS)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # the csv module's own cap (131,072 characters)
            line = numbers[-1] + 1 if numbers else 1
            raise UploadError("err.imp_cell_too_long", file=name, row=line, limit=MAX_CELL_CHARS,
                              column=_column_label(rows, _long_cell_column(text, line, delimiter))) from None
        raise UploadError("err.imp_unreadable", file=name, detail=f"line {reader.line_num}: {exc}") from None
    frame, kept, notes = _to_frame(rows, numbers, name)
    notes += csv_encoding_notes(name, data, detected.encoding)  # UTF-8 lines in a TCVN3 file...
    return RawTable(frame, kept, detected.encoding, detected.scores, delimiter, notes=tuple(notes))


def _check_shared_strings(zf: zipfile.ZipFile, name: str) -> None:
    """A workbook's shared text (which openpyxl loads whole, even read-only) within its limit, by the
    size the archive's directory declares (zipfile never unpacks more than that)."""
    for info in zf.infolist():
        if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > MAX_SHARED_STRINGS_BYTES:
            raise UploadError("err.imp_xlsx_strings", file=name, size_mb=round(info.file_size / 2**20, 1),
                              limit_mb=MAX_SHARED_STRINGS_BYTES // 2**20)


_XML_SHEET_DATA = re.compile(rb"<([\w.-]+:)?sheetData[\s/>]")


@functools.lru_cache(maxsize=8)
def _sheet_tags(prefix: bytes) -> tuple[re.Pattern, ...]:
    """Rows, rows' numbers, cells and cells' columns in a sheet whose elements carry `prefix` (b"" or
    b"x:"): expressions that start with a literal, which the regular expression engine finds fast."""
    p = b"<" + re.escape(prefix)
    return (re.compile(p + rb"row[\s/>]"), re.compile(p + rb"""row\s[^>]*?(?<=\s)r\s*=\s*["'](\d+)"""),
            re.compile(p + rb"c[\s/>]"), re.compile(p + rb"""c\s[^>]*?(?<=\s)r\s*=\s*["']([A-Za-z]{1,4})"""))


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _sheet_extent(zf: zipfile.ZipFile, path: str | None, name: str) -> tuple[int, int]:
    """Rows and columns a sheet reaches, read from its XML in chunks (every row and cell, not the
    <dimension> it claims) and refused over the limits before openpyxl builds a row: openpyxl pads
    each row to the widest and fills every gap between row numbers. Rows and cells written without
    a reference (openpyxl numbers them on) count one more each."""
    names = zf.namelist()
    path = (path or "").lstrip("/")
    parts = [path] if path in names else [n for n in names if n.lower().startswith("xl/worksheets/") and n.lower().endswith(".xml")]
    rows = cols = 0
    for part in parts:
        top_row = bare_rows = top_col = widest = cells = refs = in_row = height = width = 0
        carry, tags = b"", None
        with zf.open(part) as src:
            while True:
                chunk = src.read(1 << 20)
                text = carry + chunk
                cut = text.rfind(b"<") if chunk else len(text)  # no tag is cut in two: '<' only opens one
                if cut <= 0 and chunk:  # text between tags (dropped), or one tag longer than a chunk (its start kept)
                    carry = text[:65536] if cut == 0 else b""
                    continue
                block, carry = text[:cut], text[cut:]
                if tags is None and (found := _XML_SHEET_DATA.search(block)):  # rows and cells are in <sheetData>
                    tags = _sheet_tags(found.group(1) or b"")
                if tags is None:
                    if not chunk:
                        break
                    continue
                row_tag, row_ref, cell_tag, cell_ref = tags
                row_refs = row_ref.findall(block)
                top_row = max([top_row, *(int(r) if len(r) < 12 else 10**12 for r in row_refs)])
                bare_rows += len(row_tag.findall(block)) - len(row_refs)
                cell_refs = cell_ref.findall(block)
                refs += len(cell_refs)
                top_col = max([top_col, *map(_column_number, set(cell_refs))])
                cells += len(cell_tag.findall(block))
                if cells > refs:  # cells without a reference: each row's cells counted
                    per_row = [len(cell_tag.findall(r)) for r in row_tag.split(block)]
                    per_row[0] += in_row  # the row the previous block ended in
                    in_row = per_row[-1]
                    widest = max(widest, *per_row)
                height = top_row + bare_rows
                width = top_col + widest
                if (height > MAX_TABLE_ROWS + MAX_TITLE_ROWS + 1 or width > MAX_TABLE_COLUMNS
                        or height * width > MAX_TABLE_CELLS):
                    raise UploadError("err.imp_sheet_too_big", file=name, ref=f"{_column_letters(width)}{height}",
                                      rows=height, columns=width, limit_rows=MAX_TABLE_ROWS,
                                      limit_columns=MAX_TABLE_COLUMNS, limit_cells=MAX_TABLE_CELLS)
                if not chunk:
                    break
        rows, cols = max(rows, height), max(cols, width)
    return rows, cols


def read_xlsx_bytes(name: str, data: bytes, *, sheet: str | None = None, prefer: tuple[str, ...] = ()) -> RawTable:
    """One sheet of a workbook: `sheet`, else the first whose name folds to one of `prefer`, else the first."""
    with _zipfile(data, name) as zf:
        _check_shared_strings(zf, name)
        check_zip(zf, name)
    try:
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise UploadError("err.imp_unreadable", file=name, detail=error_detail(exc)) from None
    try:
        sheets = tuple(wb.sheetnames)
        if sheet is not None and sheet not in sheets:
            raise UploadError("err.imp_no_sheet", file=name, sheet=sheet, known=", ".join(sheets))
        wanted = {fold(p) for p in prefer}
        chosen = sheet or next((s for s in sheets if fold(s) in wanted), sheets[0] if sheets else None)
        if chosen is None:
            raise UploadError("err.imp_no_rows", file=name)
        rows, numbers = [], []
        ws = wb[chosen]
        with _zipfile(data, name) as zf:  # the sheet's extent from its XML: openpyxl pads every row to it
            n_rows, n_cols = _sheet_extent(zf, getattr(ws, "_worksheet_path", None), f"{name} [{chosen}]")
        cells = ws.iter_rows(min_row=1, max_row=n_rows, max_col=max(n_cols, 1), values_only=True) if n_rows else ()
        for i, row in enumerate(cells, start=1):
            long = next((j for j, c in enumerate(row) if isinstance(c, str) and len(c) > MAX_CELL_CHARS), None)
            if long is not None:
                raise UploadError("err.imp_cell_too_long", file=f"{name} [{chosen}]", row=i,
                                  column=_column_label(rows + [list(row)], long), limit=MAX_CELL_CHARS)
            rows.append(list(row))
            numbers.append(i)
            if i > MAX_TABLE_ROWS + MAX_TITLE_ROWS + 1:
                raise UploadError("err.imp_too_many_rows", file=name, limit=MAX_TABLE_ROWS)
    except UploadError:
        raise
    except Exception as exc:  # broken XML inside the archive
        raise UploadError("err.imp_unreadable", file=name, detail=error_detail(exc)) from None
    finally:
        wb.close()
    legacy = [c for r in rows for c in r if isinstance(c, str) and not c.isascii() and _font_bytes(c) is not None]
    detected = _font_encoding(legacy)
    if detected is not None:
        top = next((i for i, r in enumerate(rows) if any(c is not None for c in r)), 0)
        rows = [[_refont(c, detected.encoding, header=i == top) for c in r] for i, r in enumerate(rows)]
    frame, kept, notes = _to_frame(rows, numbers, f"{name} [{chosen}]")
    enc = detected.encoding if detected is not None else "xlsx"
    return RawTable(frame, kept, enc, detected.scores if detected else (), "", chosen, sheets, tuple(notes))


def _font_bytes(text: str) -> bytes | None:
    """The bytes a legacy Vietnamese font (.VnTime, VNI-Times) typed, from the text Excel stored
    (Windows-1252 characters); None when the text holds other characters, i.e. real Unicode."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 255:
                return None
            out.append(ord(ch))
    return bytes(out)


def _refont(cell, encoding: str, *, header: bool):
    """A cell decoded from the legacy font when that reads better; on a tie too, except in the header
    row (often retyped in Unicode)."""
    raw = _font_bytes(cell) if isinstance(cell, str) and not cell.isascii() else None
    if raw is None:
        return cell
    decoded = encodings.decode(raw, encoding)
    before, after = encodings.score(cell), encodings.score(decoded)
    return decoded if after > before or (after == before and not header) else cell


def _font_encoding(texts: list[str]) -> encodings.Detected | None:
    """TCVN3 or VNI when a workbook's cells made only of Windows-1252 characters were typed with a
    legacy font and read better decoded (cells holding other characters are real Unicode)."""
    sample = "\n".join(texts)[:200_000]
    if not sample:
        return None
    raw = _font_bytes(sample)
    as_is = encodings.score(sample)
    scores = tuple((enc, round(encodings.score(encodings.decode(raw, enc)), 4)) for enc in (encodings.TCVN3, encodings.VNI))
    best = max(scores, key=lambda s: s[1])
    return encodings.Detected(best[0], best[1], (("unicode", round(as_is, 4)),) + scores) if best[1] > as_is + 0.2 else None


# --- GIS layers ---------------------------------------------------------------------------------
def _read_layer(path: Path | str, name: str, *, layer: str | None, latin1: bool, prefer: tuple[str, ...]) -> tuple[gpd.GeoDataFrame, tuple[str, ...], list]:
    import pyogrio

    pyogrio.set_gdal_config_options({"LIBKML_LAUNDER_FIELD_NAMES": "NO"})  # a KML field 'Mã thôn' stays 'Mã thôn'

    notes = []
    try:
        listed = [(str(row[0]), row[1]) for row in pyogrio.list_layers(path)]
        layers = tuple(n for n, _ in listed)
        if not layers:
            raise UploadError("err.imp_no_rows", file=name)
        if layer is None:
            wanted = {fold(p) for p in prefer}
            spatial = [n for n, geom in listed if geom]  # a GeoPackage may hold plain tables too
            layer = next((l for l in layers if fold(l) in wanted), (spatial or layers)[0])
            if len(layers) > 1:
                notes.append(("imp.many_layers", dict(file=name, layer=layer, layers=", ".join(layers))))
        elif layer not in layers:
            raise UploadError("err.imp_no_sheet", file=name, sheet=layer, known=", ".join(layers))
        if not str(path).startswith("GeoJSON:"):  # GDAL reads a whole GeoJSON to count it: counted from its text instead
            info = pyogrio.read_info(path, layer=layer, encoding="latin1" if latin1 else None)
            _check_layer_size(name, int(info.get("features") or 0), len(info.get("fields", ())))
        frame = pyogrio.read_dataframe(path, layer=layer, encoding="latin1" if latin1 else None,
                                       on_invalid="ignore", force_2d=True)
        if not isinstance(frame, gpd.GeoDataFrame):
            raise UploadError("err.imp_no_geometry", file=name, layer=layer)
        _check_layer_size(name, len(frame), len(frame.columns) - 1)
        _check_vertices(name, frame)
    except UploadError:
        raise
    except Exception as exc:  # GDAL raises many types for a broken file
        raise UploadError("err.imp_unreadable", file=name, detail=error_detail(exc)) from None
    return frame, layers, notes


def _check_layer_size(name: str, features: int, fields: int) -> None:
    if features > MAX_TABLE_ROWS:
        raise UploadError("err.imp_too_many_rows", file=name, limit=MAX_TABLE_ROWS)
    if fields > MAX_TABLE_COLUMNS:
        raise UploadError("err.imp_too_many_columns", file=name, limit=MAX_TABLE_COLUMNS, row=1)
    if features * max(fields, 1) > MAX_TABLE_CELLS:
        raise UploadError("err.imp_too_many_cells", file=name, limit=MAX_TABLE_CELLS)


def _refuse_vertices(name: str, worst: int, most: int, total: int) -> None:
    """Refuse a layer whose feature number `worst` (from 1) has `most` vertices, or all `total`, over the limits."""
    if most > MAX_FEATURE_VERTICES:
        raise UploadError("err.imp_too_many_vertices", file=name, row=worst, n=most, limit=MAX_FEATURE_VERTICES)
    if total > MAX_LAYER_VERTICES:
        raise UploadError("err.imp_too_many_vertices_total", file=name, n=total, limit=MAX_LAYER_VERTICES)


def _check_vertices(name: str, frame: gpd.GeoDataFrame) -> None:
    """Vertices per feature and in all, counted once the layer is read, before any geometry operation
    (making polygons valid, unions, projections), whose cost grows faster than a feature's size."""
    counts = frame.geometry.count_coordinates().to_numpy()
    if counts.size:
        worst = int(counts.argmax())
        _refuse_vertices(name, worst + 1, int(counts[worst]), int(counts.sum()))


_SHP_MULTI = {3, 5, 13, 15, 23, 25, 31}  # shapes with parts: (multi)lines, polygons, multipatches
_SHP_POINTS = {8, 18, 28}  # multipoints
_NUMBER_ARRAY = re.compile(rb"\[\s*[-+.\d]")  # a GeoJSON position opens an array with a number


def _check_source_vertices(path: Path, fmt: str, name: str) -> None:
    """Vertices counted from the file before GDAL reads it: a Shapefile's record headers give each
    feature's point count; a GeoJSON's positions are the arrays that start with a number (counted
    only when the text has more '[' than the limit allows positions)."""
    if fmt == "geojson":
        data = path.read_bytes()
        if data.count(b"[") > MAX_LAYER_VERTICES:
            _refuse_vertices(name, 0, 0, _NUMBER_ARRAY.subn(b"", data)[1])
        return
    if fmt != "shapefile":
        return
    worst = most = total = number = 0
    size = path.stat().st_size
    with path.open("rb") as f:
        pos = 100  # after the file header
        while pos + 12 <= size:
            f.seek(pos)
            head = f.read(52)  # record header (8 bytes), shape type, bounding box, parts, points
            length = struct.unpack(">i", head[4:8])[0] * 2
            shape = struct.unpack("<i", head[8:12])[0]
            n = 0
            if shape in _SHP_MULTI and len(head) >= 52:
                n = struct.unpack("<i", head[48:52])[0]
            elif shape in _SHP_POINTS and len(head) >= 48:
                n = struct.unpack("<i", head[44:48])[0]
            elif shape in (1, 11, 21):
                n = 1
            number += 1
            if number > MAX_TABLE_ROWS:
                raise UploadError("err.imp_too_many_rows", file=name, limit=MAX_TABLE_ROWS)
            n = max(n, 0)
            total += n
            if n > most:
                worst, most = number, n
            if length <= 0:
                break  # a broken header: GDAL will say so
            pos += 8 + length
    _refuse_vertices(name, worst, most, total)


def _redecode_dbf(frame: gpd.GeoDataFrame, cpg: str, encoding: str | None):
    """Shapefile text read as Latin-1 (byte for byte) decoded again in Python: GDAL's own CP1258
    decoding drops the last character of strings."""
    text_cols = [c for c in frame.columns if c != frame.geometry.name
                 and (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c]))]
    raw_names = [c.encode("latin-1", errors="replace") for c in frame.columns]
    raw_values = [v.encode("latin-1", errors="replace") for c in text_cols for v in frame[c] if isinstance(v, str)]
    sample = b"\n".join(raw_names + raw_values)
    if encoding is not None:
        detected = encodings.Detected(encodings.canonical(encoding), 1.0)
    elif cpg.upper().replace("-", "").replace("_", "") in ("UTF8", "65001") and is_utf8(sample):
        detected = encodings.Detected(encodings.UTF8, 1.0)
    else:
        detected = encodings.detect(sample)
    enc = encodings.UTF8 if detected.encoding == encodings.UTF8_SIG else detected.encoding
    fix = lambda v: encodings.decode(v.encode("latin-1", errors="replace"), enc) if isinstance(v, str) else v
    out = frame.copy()
    for c in text_cols:
        out[c] = out[c].map(fix).astype(object)
    renames = {c: fix(c) for c in out.columns if c != out.geometry.name}
    return out.rename(columns=renames), detected


def _check_content(path: Path, fmt: str, name: str) -> str:
    """The file really is what its name says, and holds its own data. GDAL chooses its reader by
    content, not by name, so a "villages.geojson" that is a VRT would read any file on the server,
    and a KML network link would fetch addresses. Returns the format to open it as."""
    if fmt == "geojson" and (found := remote_crs(path.read_bytes())) is not None:  # GDAL would fetch it (issue 13)
        raise UploadError("err.imp_remote_crs", file=name, **found)
    with path.open("rb") as f:
        head = f.read(65536)
    low = head.lower()
    if b"<ogrvrtdatasource" in low:
        raise UploadError("err.imp_refers_elsewhere", file=name, what="OGR VRT")
    if head.startswith(SQLITE_MAGIC):
        if fmt != "gpkg":
            raise UploadError("err.imp_not_format", file=name, fmt=fmt.upper())
        return fmt
    expected = {"geojson": head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"),
                "kml": b"<kml" in low, "shapefile": head.startswith(SHP_MAGIC)}.get(fmt, False)
    if fmt == "gpkg" or not expected:
        raise UploadError("err.imp_not_format", file=name, fmt={"geojson": "GeoJSON", "kml": "KML", "gpkg": "GeoPackage",
                                                              "shapefile": "Shapefile"}.get(fmt, fmt))
    if fmt == "kml":
        whole = path.read_bytes().lower()
        if b"<networklink" in whole or b"/vsi" in whole:
            raise UploadError("err.imp_refers_elsewhere", file=name, what="KML NetworkLink")
    return fmt


def read_gis_bytes(name: str, data: bytes, *, encoding: str | None = None, layer: str | None = None,
                   prefer: tuple[str, ...] = ()) -> RawLayer:
    """A GeoJSON, GeoPackage, KML/KMZ or zipped Shapefile (files at the root or in a folder)."""
    fmt = file_format(name, data)
    if fmt in ("csv", "xlsx"):
        raise UploadError("err.imp_not_gis", file=name)
    with tempfile.TemporaryDirectory(prefix="planner-import-") as tmp:
        root = Path(tmp)
        if fmt in ("zip", "kmz"):
            files = [p for p in safe_extract(data, name, root / "x") if "__MACOSX" not in p.parts]
            inside = [p for p in files if p.suffix.lower() in GIS_INSIDE_ZIP]
            shps = [p for p in inside if p.suffix.lower() == ".shp"]
            found = shps or inside
            if not found:
                raise UploadError("err.imp_zip_empty", file=name, present=", ".join(sorted(p.name for p in files))[:300] or "-")
            if len(found) > 1:
                raise UploadError("err.imp_zip_many", file=name, found=", ".join(sorted(p.name for p in found)))
            path = found[0]
            fmt = "shapefile" if path.suffix.lower() == ".shp" else {".gpkg": "gpkg", ".kml": "kml"}.get(path.suffix.lower(), "geojson")
            if fmt == "shapefile":
                siblings = {p.suffix.lower() for p in files if p.stem == path.stem and p.parent == path.parent}
                missing = [ext for ext in (".dbf", ".shx") if ext not in siblings]
                if missing:
                    raise UploadError("err.imp_shp_parts", file=name, missing=", ".join(missing))
        else:
            path = root / f"upload.{fmt}"
            path.write_bytes(data)
        fmt = _check_content(path, fmt, name)
        _check_source_vertices(path, fmt, name)
        if fmt == "gpkg":
            from planner.io import check_gpkg

            try:
                check_gpkg(path, name)
            except PlannerError as exc:
                raise UploadError(exc.key, **({"file": name} | exc.params)) from None
        source = f"GeoJSON:{path}" if fmt == "geojson" else path  # GDAL would otherwise pick a reader by content
        frame, layers, notes = _read_layer(source, name, layer=layer, latin1=fmt == "shapefile", prefer=prefer)
        detected = encodings.Detected(encodings.UTF8, 1.0)
        if fmt == "shapefile":
            cpg = next((p for p in path.parent.iterdir() if p.stem == path.stem and p.suffix.lower() == ".cpg"), None)
            raw = frame
            frame, detected = _redecode_dbf(frame, cpg.read_text(errors="replace").strip() if cpg else "", encoding)
            dbf = next(p for p in path.parent.iterdir() if p.stem == path.stem and p.suffix.lower() == ".dbf")
            with path.open("rb") as f, dbf.open("rb") as g:  # counts that differ: GDAL reads the fewer, says nothing
                notes += shape_count_notes(name, path.name, shp_records(f), dbf_records(g), len(frame))
            notes += dbf_encoding_notes(name, raw, detected.encoding)
    crs = None
    if frame.crs is not None:
        if not coordinates.is_earth_crs(frame.crs):  # e.g. Mars, or a site's local grid: PROJ cannot convert it
            raise UploadError("err.imp_file_crs_not_earth", file=name, crs=frame.crs.name)
        auth = frame.crs.to_authority(min_confidence=70)
        crs = f"{auth[0]}:{auth[1]}" if auth else frame.crs.to_wkt()
    return RawLayer(frame, crs, fmt, detected.encoding, detected.scores, layers, tuple(notes))


OSM_CONFIG = {"GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR", "OSM_MAX_TMPFILE_SIZE": "100"}  # MB of nodes in memory


def read_osm_bytes(name: str, data: bytes, *, layers: dict[str, list[str]],
                   bbox: tuple[float, float, float, float] | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Layers of an OpenStreetMap file (.osm.pbf, or .osm XML), read by GDAL's OSM driver: {layer:
    frame in EPSG:4326} for `layers` ({"lines": [columns], "multipolygons": [...]}), only the
    features meeting `bbox` (lon/lat), each checked against the row and vertex limits. The driver's
    temporary node store stays in a folder removed afterwards."""
    import pyogrio

    check_size(len(data), name)
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    pbf = b"OSMHeader" in data[:64]
    if not pbf and not (head.startswith((b"<?xml", b"<osm")) and b"<osm" in head):
        raise UploadError("err.net_not_osm", file=name)
    if not pbf and re.search(rb"<!(?:doctype|entity)", data[:65536], re.I):
        raise UploadError("err.imp_refers_elsewhere", file=name, what="XML DOCTYPE/ENTITY")
    with tempfile.TemporaryDirectory(prefix="planner-osm-") as tmp:
        path = Path(tmp) / ("upload.osm.pbf" if pbf else "upload.osm")
        path.write_bytes(data)
        saved = {k: pyogrio.get_gdal_config_option(k) for k in (*OSM_CONFIG, "CPL_TMPDIR")}
        pyogrio.set_gdal_config_options(OSM_CONFIG | {"CPL_TMPDIR": tmp})
        out = {}
        try:
            for layer, columns in layers.items():
                frame = pyogrio.read_dataframe(path, layer=layer, columns=columns, bbox=bbox)
                _check_layer_size(name, len(frame), len(frame.columns) - 1)
                _check_vertices(name, frame)
                out[layer] = frame
        except UploadError:
            raise
        except Exception as exc:  # GDAL raises many types for a broken file
            raise UploadError("err.imp_unreadable", file=name, detail=error_detail(exc)) from None
        finally:
            pyogrio.set_gdal_config_options(saved)
    return out


# --- remembered column mappings -----------------------------------------------------------------
def save_mappings(path: str | Path, store: dict) -> Path:
    """Write remembered column mappings (see `planner.importing.remember_mapping`) as JSON."""
    from planner.io import write_bytes

    return write_bytes(Path(path), (json.dumps(store, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"))


def update_mappings(path: str | Path, change) -> dict:
    """Apply `change` (dict -> dict) to the remembered mappings as they are on disk now (a damaged file
    counts as none) and write the result, holding an exclusive lock on `path`.lock meanwhile: two
    sessions or server processes saving at once both keep their mappings (reading at the page's start
    and writing later would keep only the last one's). Returns what was written."""
    from planner.io import exclusive_lock

    path = Path(path)
    with exclusive_lock(path.with_name(path.name + ".lock")):
        try:
            current = load_mappings(path)
        except UploadError:
            current = {}
        store = change(current)
        save_mappings(path, store)
    return store


def load_mappings(path: str | Path) -> dict:
    """Remembered column mappings from a JSON file; {} when there is none yet."""
    path = Path(path)
    if not path.exists():
        return {}
    name, data = read_upload(path)
    if len(data) > MAX_MAPPING_BYTES:
        raise UploadError("err.imp_too_large", file=name, size_mb=round(len(data) / 2**20, 1), limit_mb=1)
    try:
        store = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise UploadError("err.imp_unreadable", file=name, detail=str(exc)[:200]) from None
    if not isinstance(store, dict):
        raise UploadError("err.imp_unreadable", file=name, detail="not a JSON object")
    return store
