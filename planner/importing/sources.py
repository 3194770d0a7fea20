"""Reading one upload for the import: what the user chose for it (`ImportSource`), what was found in
it (`SourceReport`: format, encoding, sheets, headers, suggested mapping, the first rows decoded),
and the list it most likely holds (`guess_kind`). The bytes themselves are read by `files`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.contracts import FLOAT, INT, LAYER_BY_NAME
from planner.errors import PlannerError
from planner.formats import fmt_int, fmt_num
from planner.i18n import t
from planner.importing.columns import LIST_KINDS, canonical_kind, cell_text, check_mapping, suggest_mapping
from planner.importing.files import (PREVIEW_ROWS, RawLayer, RawTable, check_size, file_format, read_csv_bytes,
                                     read_gis_bytes, read_xlsx_bytes)
from planner.names import fold


@dataclass(frozen=True)
class ImportSource:
    """One uploaded file and what the user chose for it (None = detect / suggest)."""

    kind: str
    name: str
    data: bytes = field(repr=False)
    crs: str | None = None  # for files without one: a preset key, "EPSG:9205", ...
    encoding: str | None = None
    mapping: Mapping[str, str] | None = None
    sheet: str | None = None  # workbook sheet or GIS layer
    fixes: tuple[str, ...] = ()  # fix codes offered by the report, e.g. "swap_lonlat"


@dataclass(frozen=True)
class SourceReport:
    """What was found in one file: format, encoding, CRS, headers, mapping and the first rows decoded."""

    name: str
    kind: str
    format: str
    encoding: str = ""
    encoding_scores: tuple = ()
    delimiter: str = ""
    sheet: str = ""
    sheets: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    mapping: Mapping[str, str] = field(default_factory=dict)
    preview: tuple[Mapping, ...] = ()
    rows: int = 0
    crs: str | None = None  # the CRS used (from the file, confirmed, or the guess)
    crs_guess: str | None = None  # set when the CRS was guessed and must be confirmed
    geometry: str = ""


@dataclass
class SourceRead:
    """A source after reading: attribute cells, row numbers, geometry (GIS) and what was detected."""

    source: ImportSource
    kind: str
    attrs: pd.DataFrame
    rows: tuple[int, ...]
    geometry: gpd.GeoSeries | None
    file_crs: str | None
    report: SourceReport
    notes: tuple = ()

    @property
    def label(self) -> str:
        """The file as the report names it: with the sheet for workbooks."""
        return f"{self.source.name} [{self.report.sheet}]" if self.report.sheet else self.source.name


def _prefer(kind: str) -> tuple[str, ...]:
    """Names of the sheet (or layer) that holds `kind`: the list's name in either language (the
    templates' and exports' sheets), its machine name (exports before they were in words)."""
    words = [kind, kind.replace("_", " "), t(f"imp.kind.{kind}", "vi"), t(f"imp.kind.{kind}", "en")]
    if kind == "communes":
        words += ["boundaries", "communes", "xa"]
    if kind == "table":
        words += ["communes"]  # the commune figures of an earlier export
    return tuple(words)


def read_source(source: ImportSource) -> SourceRead:
    """Read one upload (UploadError when it cannot be)."""
    kind = canonical_kind(source.kind)
    check_size(len(source.data), source.name)
    fmt = file_format(source.name, source.data)
    if fmt in ("csv", "xlsx"):
        if fmt == "csv":
            raw: RawTable = read_csv_bytes(source.name, source.data, encoding=source.encoding)
        else:
            raw = read_xlsx_bytes(source.name, source.data, sheet=source.sheet, prefer=_prefer(kind))
        attrs, rows, geom, crs = raw.frame, raw.rows, None, None
        rep = SourceReport(source.name, kind, fmt, raw.encoding, raw.encoding_scores, raw.delimiter, raw.sheet, raw.sheets)
        notes = raw.notes
    else:
        layer: RawLayer = read_gis_bytes(source.name, source.data, encoding=source.encoding, layer=source.sheet,
                                         prefer=_prefer(kind))
        frame = layer.frame
        attrs = pd.DataFrame({c: frame[c].astype(object).where(frame[c].notna(), None) for c in frame.columns
                              if c != frame.geometry.name}, index=frame.index).reset_index(drop=True)
        rows = tuple(range(1, len(frame) + 1))
        geom = frame.geometry.reset_index(drop=True)
        crs = layer.crs
        types = sorted(set(geom.dropna().geom_type))
        rep = SourceReport(source.name, kind, layer.format, layer.encoding, layer.encoding_scores, "", "",
                           layer.layers, geometry=", ".join(types))
        notes = layer.notes
    columns = tuple(str(c) for c in attrs.columns)
    attrs.columns = list(columns)
    empty = [c for c in columns if len(attrs) and all(cell_text(v) is None for v in attrs[c])]  # e.g. a KML reader's own
    mapping = (check_mapping(source.mapping, kind, columns) if source.mapping is not None
               else suggest_mapping(columns, kind, empty=empty))
    preview = tuple({c: _preview_cell(v) for c, v in row.items()} for row in attrs.head(PREVIEW_ROWS).to_dict("records"))
    rep = replace(rep, columns=columns, mapping=MappingProxyType(dict(mapping)), preview=preview, rows=len(attrs), crs=crs)
    return SourceRead(source, kind, attrs, tuple(rows), geom, crs, rep, notes)


def _preview_cell(value):
    """A cell for the preview: numbers and yes/no as they are (the page writes them in the reader's
    style, `preview_rows`), anything else as text."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        v = float(value)
        if v != v or not np.isfinite(v):
            return None if v != v else cell_text(value)
        return int(value) if isinstance(value, (int, np.integer)) else v
    return cell_text(value)


def _grouped(kind: str, target: str | None) -> bool:
    """Whether numbers of the column mapped to `target` are amounts to write with thousands grouped
    (people, money, areas, metres of X/Y), not codes or years."""
    if target in ("x", "y"):
        return True
    if not target or target == "year":
        return False
    layer = LAYER_BY_NAME.get("communes" if kind == "table" else kind)
    col = next((c for c in layer.columns if c.name == target), None) if layer is not None else None
    return col is not None and col.kind in (INT, FLOAT)


def preview_rows(report: SourceReport, lang: str = "vi") -> list[dict[str, str | None]]:
    """The first rows of an upload as a page shows them, under the file's own headers: numbers read
    from a workbook or GIS file in the reader's style (1.234,5 in Vietnamese; amounts grouped, codes
    and years not), yes/no in words; text as the file holds it."""
    out = []
    for row in report.preview:
        shown: dict[str, str | None] = {}
        for col, value in row.items():
            if isinstance(value, bool):
                shown[col] = t("yes" if value else "no", lang)
            elif isinstance(value, (int, float)):
                whole = float(value).is_integer()
                if _grouped(report.kind, report.mapping.get(col)):
                    shown[col] = fmt_int(value, lang) if whole else fmt_num(value, lang, 6, trim=True)
                else:
                    shown[col] = str(int(value)) if whole else fmt_num(value, lang, 6, trim=True)
            else:
                shown[col] = value
        out.append(shown)
    return out


def inspect_upload(name: str, data: bytes, *, kind: str | None = None, encoding: str | None = None,
                   sheet: str | None = None) -> SourceReport:
    """Look at one upload before importing it: format, encoding (with the first rows decoded), sheets
    or layers, headers and the suggested mapping. `kind` is guessed when not given."""
    k = canonical_kind(kind) if kind else guess_kind(name, data)
    return read_source(ImportSource(k, name, data, encoding=encoding, sheet=sheet)).report


def guess_kind(name: str, data: bytes | None = None) -> str:
    """The list a file most likely holds, from its name (then its headers when `data` is given)."""
    key = f" {fold(name)} "
    for kind, words in (("communes_2024", ("2024", "truoc 2025", "cu")), ("communes", ("ranh gioi", "boundar", "commune", " xa ", "ward")),
                        ("villages", ("thon", "ban", "village")), ("schools", ("truong", "school")),
                        ("toilets", ("ve sinh", "toilet")), ("play_points", ("vui choi", "play", "van hoa")),
                        ("candidate_sites", ("candidate", "dia diem", "ung vien")), ("table", ("dan so", "table", "bang", "chi tieu"))):
        if any(w in key for w in words):
            if kind != "communes_2024" or "commune" in key or " xa " in key or "ranh gioi" in key:
                return kind
    if data is not None:
        try:
            cols = read_source(ImportSource("table", name, data)).report
        except PlannerError:
            return "table"
        if cols.geometry and "Polygon" in cols.geometry:
            return "communes"
        scores = {k: len(suggest_mapping(cols.columns, k)) for k in LIST_KINDS + ("table",)}
        return max(scores, key=lambda k: scores[k])
    return "table"
