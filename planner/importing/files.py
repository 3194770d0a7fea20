"""Reading uploads safely (the import's only module that touches files): size limits, zip archives
checked before anything is extracted, temporary folders always removed, tables and GIS layers
returned as frames. Nothing from an upload is ever executed.
"""
from __future__ import annotations

import csv
import io
import json
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pandas as pd

from planner import encodings
from planner.errors import PlannerError, error_detail
from planner.names import fold

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # checked before reading
MAX_ZIP_ENTRIES = 2_000
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_ZIP_RATIO = 100  # uncompressed / compressed, for entries over 1 MB
MAX_TABLE_ROWS = 500_000
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
    """The archive's entries, after checking count, total size, compression ratio, paths, links."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _unsafe(name, f"{len(infos)} > {MAX_ZIP_ENTRIES} entries")
    total = 0
    for info in infos:
        member = info.filename
        path = PurePosixPath(member.replace("\\", "/"))
        if member.startswith(("/", "\\")) or (len(member) > 1 and member[1] == ":") or ".." in path.parts:
            raise _unsafe(name, f"path {member!r}")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise _unsafe(name, f"link {member!r}")
        total += info.file_size
        if total > MAX_UNZIPPED_BYTES:
            raise _unsafe(name, f"> {MAX_UNZIPPED_BYTES // 2**20} MB unpacked")
        if info.file_size > 2**20 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise _unsafe(name, f"{member!r} compressed {info.file_size // max(info.compress_size, 1)}:1")
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
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            try:
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
    """The delimiter csv.Sniffer finds, checked against the first lines (most columns, consistent)."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""

    def widths(d):
        rows = [r for r in csv.reader(io.StringIO(sample), delimiter=d) if any(c.strip() for c in r)]
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
    if blank and kept and blank[0] < kept[-1]:
        notes.append(("imp.blank_rows", dict(file=name, n=len(blank), rows=first_rows(blank))))
    if extra:
        notes.append(("imp.extra_cells", dict(file=name, n=len(extra), rows=first_rows(extra), width=len(header))))
    frame = pd.DataFrame(body, columns=header, dtype=object) if body else pd.DataFrame(columns=header, dtype=object)
    return frame, tuple(kept), notes


def first_rows(rows, k: int = 5) -> str:
    """Row numbers for a report: the first `k`, then "…" when there are more."""
    rows = list(rows)
    return ", ".join(str(r) for r in rows[:k]) + (", …" if len(rows) > k else "")


def read_csv_bytes(name: str, data: bytes, *, encoding: str | None = None) -> RawTable:
    """A CSV file: encoding detected (or given), delimiter sniffed, row numbers as lines in the file."""
    detected = encodings.detect(data) if encoding is None else encodings.Detected(encodings.canonical(encoding), 1.0)
    text = encodings.decode(data, detected.encoding)
    if "\x00" in text:
        raise UploadError("err.imp_binary", file=name)
    delimiter = _delimiter(text)
    rows, numbers = [], []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            rows.append(row)
            numbers.append(reader.line_num)
    except csv.Error as exc:
        raise UploadError("err.imp_unreadable", file=name, detail=f"line {reader.line_num}: {exc}") from None
    frame, kept, notes = _to_frame(rows, numbers, name)
    return RawTable(frame, kept, detected.encoding, detected.scores, delimiter, notes=tuple(notes))


def read_xlsx_bytes(name: str, data: bytes, *, sheet: str | None = None, prefer: tuple[str, ...] = ()) -> RawTable:
    """One sheet of a workbook: `sheet`, else the first whose name folds to one of `prefer`, else the first."""
    with _zipfile(data, name) as zf:
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
        for i, row in enumerate(wb[chosen].iter_rows(values_only=True), start=1):
            rows.append(list(row))
            numbers.append(i)
            if i > MAX_TABLE_ROWS + 10:
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
        frame = pyogrio.read_dataframe(path, layer=layer, encoding="latin1" if latin1 else None,
                                       on_invalid="ignore", force_2d=True)
        if not isinstance(frame, gpd.GeoDataFrame):
            raise UploadError("err.imp_no_geometry", file=name, layer=layer)
    except UploadError:
        raise
    except Exception as exc:  # GDAL raises many types for a broken file
        raise UploadError("err.imp_unreadable", file=name, detail=error_detail(exc)) from None
    return frame, layers, notes


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
    elif cpg.upper().replace("-", "").replace("_", "") in ("UTF8", "65001") and _utf8(sample):
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


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _check_content(path: Path, fmt: str, name: str) -> str:
    """The file really is what its name says, and holds its own data. GDAL chooses its reader by
    content, not by name, so a "villages.geojson" that is a VRT would read any file on the server,
    and a KML network link would fetch addresses. Returns the format to open it as."""
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
            frame, detected = _redecode_dbf(frame, cpg.read_text(errors="replace").strip() if cpg else "", encoding)
    crs = None
    if frame.crs is not None:
        auth = frame.crs.to_authority(min_confidence=70)
        crs = f"{auth[0]}:{auth[1]}" if auth else frame.crs.to_wkt()
    return RawLayer(frame, crs, fmt, detected.encoding, detected.scores, layers, tuple(notes))


# --- remembered column mappings -----------------------------------------------------------------
def save_mappings(path: str | Path, store: dict) -> Path:
    """Write remembered column mappings (see `planner.importing.remember_mapping`) as JSON."""
    from planner.io import write_bytes

    return write_bytes(Path(path), (json.dumps(store, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"))


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
