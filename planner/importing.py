"""Data import (issue 5): uploads -> contract layers, with a report of every problem, written only
once the caller confirms.

For a page: `inspect_upload` (preview, encoding, suggested mapping) for each file, then
`prepare_import` (an `ImportPlan`: converted layers and the report), then `write_import`.
Row numbers in the report are those people see: the line of a CSV file, the row of a sheet,
the feature number of a GIS layer.
"""
from __future__ import annotations

import difflib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from planner import coordinates as co
from planner.contracts import BOOL, FLOAT, INT, LAYER_BY_NAME, LAYERS, TEXT, Column
from planner.errors import DataPackageError, PlannerError, Problem, UsageError
from planner.i18n import t
from planner.exports import safe_text
from planner.import_io import (PREVIEW_ROWS, RawLayer, RawTable, UploadError, check_size, file_format,
                               read_csv_bytes, read_gis_bytes, read_xlsx_bytes)
from planner.names import NameIndex, fold, index_for, normalize_code, official_index
from planner.package import DataPackage
from planner.validate import check_layer, check_package

LIST_KINDS = ("villages", "play_points", "schools", "toilets", "candidate_sites")
KINDS = ("communes", "communes_2024", *LIST_KINDS, "table")
KIND_ALIASES = {"boundaries": "communes", "boundaries_2024": "communes_2024"}
REQUIRED = tuple(layer.name for layer in LAYERS if layer.required)
COORD_ROLES = ("lon", "lat", "x", "y")
ID_PREFIX = {"villages": "V", "play_points": "P", "schools": "S", "toilets": "T", "candidate_sites": "C"}
COUNT_COLUMNS = ("population", "children", "land_available_m2")  # summed when pre-2025 units merge
OUTSIDE_TOLERANCE_DEG = 0.002  # about 200 m
MAX_WHOLE = 2.0**53  # larger numbers are not held exactly (no count or cost comes near)
TABLE_COLUMNS = tuple(c for c in LAYER_BY_NAME["communes"].columns if c.name not in ("code", "name"))


def canonical_kind(kind: str) -> str:
    """A kind name ("boundaries" is an alias of "communes"); UsageError for anything else."""
    k = KIND_ALIASES.get(str(kind).strip().lower(), str(kind).strip().lower())
    if k not in KINDS:
        raise UsageError("err.imp_kind", value=kind, known=", ".join(("boundaries", *KINDS[1:])))
    return k


# --- column mapping ------------------------------------------------------------------------------
def targets(kind: str) -> tuple[str, ...]:
    """What a source column can be mapped to for `kind`: contract columns, coordinates, commune name."""
    kind = canonical_kind(kind)
    if kind == "table":
        return ("code", "name", *(c.name for c in TABLE_COLUMNS))
    cols = tuple(c.name for c in LAYER_BY_NAME[kind].columns)
    if kind in LIST_KINDS:
        cols += COORD_ROLES + (("commune_name",) if "commune_code" in cols else ())
    return cols


_SYN_COMMON = {
    "population": ("dan so", "so dan", "nhan khau", "so nhan khau", "tong dan so", "population", "pop", "dan so nguoi"),
    "children": ("tre em", "so tre em", "so tre", "tre em duoi 16", "tre em duoi 16 tuoi", "tre em 16", "children",
                 "tre em 0 16", "so tre em duoi 16 tuoi"),
    "lon": ("kinh do", "longitude", "lon", "lng", "long", "toa do kinh do"),
    "lat": ("vi do", "latitude", "lat", "toa do vi do"),
    "x": ("x", "toa do x", "x vn2000", "x vn 2000", "x m"),
    "y": ("y", "toa do y", "y vn2000", "y vn 2000", "y m"),
    "ethnic_minority_share": ("ty le dtts", "ti le dtts", "dtts", "ty le dan toc thieu so", "ethnic minority share"),
    "poverty_rate": ("ty le ho ngheo", "ti le ho ngheo", "ho ngheo", "poverty rate", "poverty"),
    "especially_difficult": ("dbkk", "xa dbkk", "dac biet kho khan", "xa dac biet kho khan", "especially difficult"),
    "child_friendly": ("phu hop voi tre em", "xa phu hop voi tre em", "child friendly"),
    "land_available_m2": ("quy dat", "quy dat san co", "dien tich dat san co", "land available", "land available m2"),
    "status": ("trang thai", "tinh trang", "status"),
    "year": ("nam", "nam xay dung", "nam dua vao su dung", "year"),
    "level": ("cap hoc", "cap", "bac hoc", "level"),
    "is_satellite": ("diem truong", "diem le", "la diem truong", "diem truong le", "satellite", "is satellite"),
    "students": ("hoc sinh", "so hoc sinh", "si so", "students"),
    "has_standard_toilet": ("ve sinh dat chuan", "co ve sinh dat chuan", "nha ve sinh dat chuan", "standard toilet",
                            "has standard toilet"),
    "has_psych_support": ("ho tro tam ly", "tu van tam ly", "co ho tro tam ly", "psych support", "has psych support"),
    "facility_id": ("ma co so", "ma cong trinh", "facility", "facility id"),
    "facility_kind": ("loai co so", "facility kind"),
    "standard": ("dat chuan", "standard"),
    "land_status": ("tinh trang dat", "hien trang dat", "loai dat", "land status"),
    "est_cost_vnd": ("kinh phi", "kinh phi du kien", "chi phi", "du toan", "cost", "est cost vnd", "kinh phi dong"),
    "district": ("huyen", "ten huyen", "district"),
    "new_code": ("ma xa moi", "ma moi", "new code"),
}
_SYN_COMMUNE_KEYS = {
    "code": ("ma", "ma xa", "ma dvhc", "ma don vi", "ma hanh chinh", "ma xa phuong", "ma so", "code", "commune code"),
    "name": ("ten", "ten xa", "xa", "ten don vi", "xa phuong", "ten xa phuong", "don vi", "name", "commune",
             "commune name", "xa cu", "ten xa cu", "xa truoc 2025", "old commune"),
    "kind": ("loai", "loai don vi", "cap", "kind", "type"),
    "area_km2": ("dien tich", "dien tich km2", "dien tich tu nhien", "area", "area km2"),
}
_SYN_POINT_KEYS = {
    "id": ("ma", "id", "ma so", "ma thon", "ma ban", "ma truong", "ma diem", "ma dia diem", "ma cong trinh"),
    "name": ("ten", "name", "ten thon", "ten ban", "ten thon ban", "ten truong", "ten diem", "ten diem truong"),
    "commune_code": ("ma xa", "ma xa phuong", "ma dvhc", "commune code"),
    "commune_name": ("xa", "ten xa", "xa phuong", "thuoc xa", "don vi hanh chinh", "commune", "commune name"),
    "kind": ("loai", "loai diem", "loai hinh", "kind", "type"),
    "area_m2": ("dien tich", "dien tich m2", "area", "area m2"),
}


def _synonyms(kind: str) -> dict[str, str]:
    """Folded header -> target for `kind`: the contract name, its labels in both languages, synonyms."""
    allowed = targets(kind)
    specific = _SYN_COMMUNE_KEYS if kind in ("communes", "communes_2024", "table") else _SYN_POINT_KEYS
    out: dict[str, str] = {}
    for target in allowed:
        words = [target, *specific.get(target, ()), *_SYN_COMMON.get(target, ())]
        words += [t(f"imp.col.{target}", lang) for lang in ("vi", "en")]
        for w in words:
            out.setdefault(fold(w), target)
    return out


_UNITS = re.compile(r"\s+(nguoi|m2|km2|dong|vnd|ha|phan tram|ty le|m)$")


def suggest_mapping(columns: Sequence[str], kind: str) -> dict[str, str]:
    """Source column -> target for the headers that look like one (each target used once)."""
    kind = canonical_kind(kind)
    table = _synonyms(kind)
    out: dict[str, str] = {}
    used: set[str] = set()
    pending = []
    for col in columns:
        key = fold(col)
        target = table.get(key) or table.get(_UNITS.sub("", key))
        if target and target not in used:
            out[col] = target
            used.add(target)
        else:
            pending.append(col)
    for col in pending:
        close = difflib.get_close_matches(fold(col), list(table), n=3, cutoff=0.85)
        target = next((table[c] for c in close if table[c] not in used), None)
        if target:
            out[col] = target
            used.add(target)
    return out


def _signature(kind: str, columns: Sequence[str]) -> str:
    return canonical_kind(kind) + "|" + "|".join(sorted(fold(c) for c in columns))


def remember_mapping(store: Mapping, kind: str, columns: Sequence[str], mapping: Mapping[str, str]) -> dict:
    """A copy of `store` that also remembers `mapping` for files of `kind` with these headers."""
    out = dict(store)
    out[_signature(kind, columns)] = {"kind": canonical_kind(kind), "columns": list(columns), "mapping": dict(mapping)}
    return out


def recall_mapping(store: Mapping, kind: str, columns: Sequence[str]) -> dict[str, str] | None:
    """The mapping remembered for files of `kind` with these headers, if any (only columns still present)."""
    entry = store.get(_signature(kind, columns))
    if not isinstance(entry, Mapping) or not isinstance(entry.get("mapping"), Mapping):
        return None
    return {str(k): str(v) for k, v in entry["mapping"].items() if k in set(columns)}


def check_mapping(mapping: Mapping[str, str], kind: str, columns: Sequence[str]) -> dict[str, str]:
    """`mapping` without "" / None targets; UsageError for unknown targets or columns, or a target used twice."""
    allowed = set(targets(kind))
    out = {str(k): str(v) for k, v in mapping.items() if v not in (None, "", "ignore")}
    bad = sorted({v for v in out.values() if v not in allowed})
    if bad:
        raise UsageError("err.imp_mapping_target", values=", ".join(bad), known=", ".join(targets(kind)))
    missing = sorted(k for k in out if k not in set(columns))
    if missing:
        raise UsageError("err.imp_mapping_column", values=", ".join(missing), known=", ".join(columns))
    twice = sorted({v for v in out.values() if list(out.values()).count(v) > 1})
    if twice:
        raise UsageError("err.imp_mapping_twice", values=", ".join(twice))
    return out


# --- cell values ---------------------------------------------------------------------------------
_TRUE = {"true", "1", "x", "co", "yes", "y", "dat", "dung", "c", "v", "t", "1 0"}
_FALSE = {"false", "0", "khong", "no", "n", "chua", "chua dat", "sai", "k", "f", "0 0", "-"}
_ENUMS: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("communes", "kind"): {"xã": ("xa", "x", "commune"), "phường": ("phuong", "p", "ward"),
                           "thị trấn": ("thi tran", "tt", "township", "town")},
    ("play_points", "kind"): {"play_area": ("khu vui choi", "khu vui choi tre em", "san choi", "diem vui choi", "play area"),
                              "culture_point": ("diem van hoa", "nha van hoa", "diem sinh hoat van hoa", "culture point")},
    ("play_points", "status"): {"existing": ("dang hoat dong", "hien co", "da xay dung", "hoat dong", "existing"),
                                "under_construction": ("dang xay dung", "dang thi cong", "under construction")},
    ("schools", "level"): {"mam_non": ("mam non", "mn", "mau giao", "kindergarten", "preschool"),
                           "tieu_hoc": ("tieu hoc", "th", "primary"),
                           "thcs": ("thcs", "trung hoc co so", "lower secondary"),
                           "th_thcs": ("th thcs", "th va thcs", "tieu hoc va trung hoc co so", "primary lower secondary"),
                           "thpt": ("thpt", "trung hoc pho thong", "upper secondary")},
    ("toilets", "facility_kind"): {"school": ("truong", "truong hoc", "diem truong", "school"),
                                   "play_point": ("diem vui choi", "khu vui choi", "play point"),
                                   "public": ("cong cong", "public")},
    ("candidate_sites", "land_status"): {"public_land": ("dat cong", "public land"),
                                         "school_ground": ("san truong", "dat truong", "school ground"),
                                         "needs_acquisition": ("can thu hoi", "phai thu hoi", "thu hoi dat", "needs acquisition")},
}
_ENUMS[("table", "kind")] = _ENUMS[("communes", "kind")]
_LABEL_PREFIX = {"level": "level.", "status": "status.", "kind": "point_kind."}


def _enum_table(kind: str, col: Column) -> dict[str, str]:
    table: dict[str, str] = {}
    for value in col.allowed:
        table[fold(value)] = value
        for lang in ("vi", "en"):
            for prefix in (_LABEL_PREFIX.get(col.name, ""), "kind.", "imp.val."):
                label = t(f"{prefix}{value}", lang)
                if label != f"{prefix}{value}":
                    table.setdefault(fold(label), value)
    for value, words in _ENUMS.get((kind, col.name), {}).items():
        for w in words:
            table.setdefault(fold(w), value)
    return table


def parse_number(value, *, whole: bool = False) -> float | None:
    """A number from a cell: 1.234 / 1,234 / 1.234,5 / 0,35 / 35% / " 12 345 ". None when empty; ValueError when not a number."""
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise ValueError(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        v = float(value)
        if v != v:
            return None
        if not np.isfinite(v):
            raise ValueError(value)
        return v
    text = str(value).strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
    if not text:
        return None
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1], 0.01
    if not re.fullmatch(r"[+-]?[0-9.,]*[0-9][0-9.,]*", text):
        raise ValueError(value)
    if "." in text and "," in text:
        dec = "." if text.rfind(".") > text.rfind(",") else ","
        text = text.replace("," if dec == "." else ".", "").replace(dec, ".")
    elif text.count(",") > 1 or (whole and re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", text)):
        text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    elif text.count(".") > 1 or (whole and re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text)):
        text = text.replace(".", "")
    try:
        return float(text) * scale
    except ValueError:
        raise ValueError(value) from None


_DMS = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*[°º:d ]\s*(?:(\d+(?:[.,]\d+)?)\s*['′:m ]?\s*)?(?:(\d+(?:[.,]\d+)?)\s*(?:\"|″|''|s)?\s*)?([NSEWĐTB])?\s*$", re.I)


def parse_coordinate(value) -> float | None:
    """A coordinate: a number, or degrees-minutes-seconds like 22°23'45.6"N."""
    try:
        return parse_number(value)
    except ValueError:
        m = _DMS.match(str(value))
        if not m:
            raise
        d, mi, s = (float(x.replace(",", ".")) if x else 0.0 for x in m.groups()[:3])
        if mi >= 60 or s >= 60:
            raise ValueError(value) from None
        sign = -1.0 if (m.group(4) or "").upper() in ("S", "W", "T") else 1.0
        return sign * (d + mi / 60 + s / 3600)


def _parse_bool(value) -> bool | None:
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    key = fold(str(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(value)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():
            return str(int(value))
    text = " ".join(str(value).split())
    return text or None


# --- the report ----------------------------------------------------------------------------------
def _first(rows, k: int = 5) -> str:
    rows = list(rows)
    return ", ".join(str(r) for r in rows[:k]) + (", …" if len(rows) > k else "")


class _Report:
    """Problems of one source, with the file name and the row numbers people see."""

    def __init__(self, file: str, layer: str, rows: Sequence[int]):
        self.file, self.layer, self.rows = file, layer, tuple(rows)
        self.items: list[Problem] = []
        self.covered: set[tuple[str, str]] = set()  # (layer, contract column) already reported per row
        self.swapped: set[int] = set()  # positions reported as swapped (not reported again as outside)

    def add(self, key: str, *, positions=None, column: str = "", target: str = "", severity: str = "error", **params):
        rows = [self.rows[i] for i in positions] if positions is not None else []
        params = dict(file=self.file, column=column or target, field=target, **params)
        if positions is not None:
            params.update(n=len(rows), rows=_first(rows))
        self.items.append(Problem(key, params, layer=self.layer, row=rows[0] if rows else None,
                                  column=column or target, severity=severity))
        if target and severity == "error":
            self.covered.add((self.layer, target))


# --- the plan ------------------------------------------------------------------------------------
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


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import would write, and every problem. Nothing is written until `write_import`."""

    layers: Mapping[str, gpd.GeoDataFrame]
    problems: tuple[Problem, ...]
    sources: tuple[SourceReport, ...]
    manifest: Mapping

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity != "error")

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def fixes(self) -> tuple[tuple[str, str], ...]:
        """(file, fix code) offered by the report; pass the code in `ImportSource.fixes` to apply it."""
        return tuple(dict.fromkeys((p.params["file"], p.params["fix"]) for p in self.problems if p.params.get("fix")))

    @property
    def crs_guesses(self) -> dict[str, str]:
        """File -> guessed CRS, for files whose CRS must be confirmed (pass it as `ImportSource.crs`)."""
        return {s.name: s.crs_guess for s in self.sources if s.crs_guess}


@dataclass
class _Read:
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
    words = [kind, kind.replace("_", " "), t(f"imp.kind.{kind}", "vi"), t(f"imp.kind.{kind}", "en")]
    if kind == "communes":
        words += ["boundaries", "communes", "xa"]
    return tuple(words)


def _read(source: ImportSource) -> _Read:
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
    mapping = check_mapping(source.mapping, kind, columns) if source.mapping is not None else suggest_mapping(columns, kind)
    preview = tuple({c: _text(v) for c, v in row.items()} for row in attrs.head(PREVIEW_ROWS).to_dict("records"))
    rep = replace(rep, columns=columns, mapping=MappingProxyType(dict(mapping)), preview=preview, rows=len(attrs), crs=crs)
    return _Read(source, kind, attrs, tuple(rows), geom, crs, rep, notes)


def inspect_upload(name: str, data: bytes, *, kind: str | None = None, encoding: str | None = None,
                   sheet: str | None = None) -> SourceReport:
    """Look at one upload before importing it: format, encoding (with the first rows decoded), sheets
    or layers, headers and the suggested mapping. `kind` is guessed when not given."""
    k = canonical_kind(kind) if kind else guess_kind(name, data)
    return _read(ImportSource(k, name, data, encoding=encoding, sheet=sheet)).report


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
            cols = _read(ImportSource("table", name, data)).report
        except PlannerError:
            return "table"
        if cols.geometry and "Polygon" in cols.geometry:
            return "communes"
        scores = {k: len(suggest_mapping(cols.columns, k)) for k in LIST_KINDS + ("table",)}
        return max(scores, key=lambda k: scores[k])
    return "table"


# --- conversion ----------------------------------------------------------------------------------
@dataclass
class _Context:
    index: NameIndex
    area: object | None  # shapely geometry of the communes, or None for the Lai Châu bbox
    communes: gpd.GeoDataFrame | None
    crs: str | None


def _convert_columns(rd: _Read, rep: _Report, layer_name: str, columns: Sequence[Column], enum_kind: str) -> dict[str, list]:
    """Contract columns from mapped source columns, each cell checked; unmapped columns are absent."""
    inverse = {v: k for k, v in rd.report.mapping.items()}
    out: dict[str, list] = {}
    for col in columns:
        src = inverse.get(col.name)
        if src is None:
            continue
        cells = list(rd.attrs[src])
        enums = _enum_table(enum_kind, col) if col.allowed else {}
        values: list = []
        bad: list[int] = []
        huge: list[int] = []
        for i, cell in enumerate(cells):
            try:
                if col.kind == TEXT:
                    v = _text(cell)
                    if v is not None and col.allowed:
                        v = enums[fold(v)]  # KeyError when not an allowed value
                    if v is not None and col.name in ("code", "commune_code", "new_code"):
                        v = normalize_code(v)
                elif col.kind == BOOL:
                    v = _parse_bool(cell)
                else:
                    v = parse_number(cell, whole=col.kind == INT)
                    if v is not None and col.kind == INT and not float(v).is_integer():
                        raise ValueError(cell)
                    if v is not None and abs(v) > MAX_WHOLE:
                        huge.append(i)
                        v = None
            except (ValueError, KeyError):
                v = None
                bad.append(i)
            values.append(v)
        if huge:
            rep.add("imp.huge_number", positions=huge, column=src, target=col.name,
                    values=", ".join(repr(str(cells[i])) for i in huge[:3]))
        if bad:
            key = {TEXT: "imp.bad_value", BOOL: "imp.bad_bool", INT: "imp.not_whole", FLOAT: "imp.not_a_number"}[col.kind]
            examples = ", ".join(repr(str(cells[i])) for i in bad[:3])
            extra = dict(allowed=", ".join(col.allowed)) if col.allowed else {}
            rep.add(key, positions=bad, column=src, target=col.name, values=examples, **extra)
        if col.kind == FLOAT and col.maximum == 1.0 and col.minimum == 0.0:
            nums = [v for v in values if v is not None]
            if nums and max(nums) > 1.0 and max(nums) <= 100.0:
                values = [None if v is None else v / 100.0 for v in values]
                rep.add("imp.percent_scaled", column=src, target=col.name, severity="warning")
        out[col.name] = values
    return out


def _typed(values: list, col: Column):
    if col.kind == INT:
        arr = pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        return arr.astype("int64") if not arr.isna().any() else arr.astype("float64")
    if col.kind == FLOAT:
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    if col.kind == BOOL:
        return np.array(values, dtype=bool) if all(v is not None for v in values) else pd.array(values, dtype=object)
    return pd.array(values, dtype=object)


def _frame(layer_name: str, cols: dict[str, list], geometry, n: int) -> gpd.GeoDataFrame:
    data = {}
    for col in LAYER_BY_NAME[layer_name].columns:
        if col.name in cols:
            data[col.name] = _typed(cols[col.name], col)
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geometry, crs=co.WGS84), crs=co.WGS84, index=pd.RangeIndex(n))


def _swap_geometry(geom):
    return None if geom is None else shapely.transform(geom, lambda xy: xy[:, ::-1])


def _crs_for(rd: _Read, rep: _Report, ctx: _Context, xs, ys, *, columns: str) -> str | None:
    """The CRS to use: the file's, else the confirmed one, else a guess reported as an error."""
    given = rd.file_crs or rd.source.crs or ctx.crs
    if given:
        crs = co.resolve_crs(given) if not rd.file_crs else rd.file_crs
        rd.report = replace(rd.report, crs=crs)
        return crs
    guess = co.guess_crs(xs, ys)
    if guess.crs is None:
        rep.add("imp.crs_unknown", column=columns, target="geometry", known=", ".join(co.PRESETS))
        return None
    if guess.geographic:
        rep.add("imp.crs_assumed", column=columns, severity="warning", crs=guess.crs)
    else:
        rep.add("imp.crs_guess", column=columns, target="geometry", crs=guess.crs,
                share=f"{guess.share_inside:.0%}", fix="confirm_crs")
    rd.report = replace(rd.report, crs=guess.crs, crs_guess=None if guess.geographic else guess.crs)
    return guess.crs


def _table_geometry(rd: _Read, rep: _Report, ctx: _Context) -> list | None:
    """Points from lon/lat or VN-2000 X (northing) / Y (easting) columns."""
    inverse = {v: k for k, v in rd.report.mapping.items()}
    n = len(rd.attrs)
    if "lon" in inverse and "lat" in inverse:
        a_col, b_col, vn_xy = inverse["lon"], inverse["lat"], False
    elif "x" in inverse and "y" in inverse:
        a_col, b_col, vn_xy = inverse["y"], inverse["x"], True  # easting, northing
    else:
        rep.add("imp.no_coordinates", target="geometry", present=", ".join(rd.attrs.columns) or "-")
        rep.covered.add((rep.layer, "geometry"))
        return None
    a, b, bad = np.full(n, np.nan), np.full(n, np.nan), []
    for i, (va, vb) in enumerate(zip(rd.attrs[a_col], rd.attrs[b_col])):
        try:
            pa, pb = parse_coordinate(va), parse_coordinate(vb)
        except ValueError:
            bad.append(i)
            continue
        if pa is None or pb is None:
            bad.append(i)
            continue
        a[i], b[i] = pa, pb
    if bad:
        rep.add("imp.bad_coordinate", positions=bad, column=f"{a_col}, {b_col}", target="geometry")
    ok = np.isfinite(a) & np.isfinite(b)
    if not ok.any():
        return [None] * n
    fixes = set(rd.source.fixes)
    if vn_xy and co.looks_like_degrees(a[ok], b[ok]):
        a, b, vn_xy = b, a, False  # X/Y holding lon/lat: X is the longitude
        rep.add("imp.xy_degrees", column=f"{b_col}, {a_col}", severity="warning")
    elif vn_xy and np.nanmedian(a[ok]) > np.nanmedian(b[ok]):
        if "swap_xy" in fixes:
            a, b = b, a
            rep.add("imp.fix_applied", column=f"{b_col}, {a_col}", severity="warning", fix="swap_xy")
        else:
            rep.add("imp.swapped_xy", column=f"{b_col}, {a_col}", target="geometry", fix="swap_xy",
                    x=b_col, y=a_col)
            a, b = b, a  # to check the rest; the error stays until the fix is chosen
    crs = _crs_for(rd, rep, ctx, a[ok], b[ok], columns=f"{a_col}, {b_col}")
    if crs is None:
        return [None] * n
    if co.is_geographic(crs) and not vn_xy:
        swapped = np.flatnonzero(co.swapped_rows(a, b, crs))
        if swapped.size:
            if "swap_lonlat" in fixes:
                a[swapped], b[swapped] = b[swapped], a[swapped]
                rep.add("imp.fix_applied", positions=swapped, column=f"{a_col}, {b_col}", severity="warning", fix="swap_lonlat")
            else:
                rep.swapped |= set(int(i) for i in swapped)
                rep.add("imp.swapped_lonlat", positions=swapped, column=f"{a_col}, {b_col}", target="geometry", fix="swap_lonlat")
    lon, lat = co.to_lonlat(a, b, crs)
    return [shapely.Point(x, y) if ok[i] and np.isfinite(x) and np.isfinite(y) else None
            for i, (x, y) in enumerate(zip(lon, lat))]


def _gis_geometry(rd: _Read, rep: _Report, ctx: _Context, polygon: bool) -> list | None:
    """The layer's geometry in EPSG:4326: single points from one-point multipoints, polygons repaired."""
    geoms = list(rd.geometry)
    reps = [None if g is None or g.is_empty else g.representative_point() for g in geoms]
    xs = np.array([p.x if p is not None else np.nan for p in reps])
    ys = np.array([p.y if p is not None else np.nan for p in reps])
    ok = np.isfinite(xs) & np.isfinite(ys)
    if rd.file_crs and co.is_geographic(rd.file_crs) and ok.any() and not co.looks_like_degrees(xs[ok], ys[ok]):
        rd.file_crs = None  # e.g. GeoJSON (always read as EPSG:4326) holding metres
    crs = _crs_for(rd, rep, ctx, xs[ok], ys[ok], columns="geometry") if ok.any() else (rd.file_crs or co.WGS84)
    if crs is None:
        return None
    if co.is_geographic(crs):
        swapped = np.flatnonzero(co.swapped_rows(xs, ys, crs))
        if swapped.size:
            if "swap_lonlat" in rd.source.fixes:
                for i in swapped:
                    geoms[i] = _swap_geometry(geoms[i])
                rep.add("imp.fix_applied", positions=swapped, column="geometry", severity="warning", fix="swap_lonlat")
            else:
                rep.swapped |= set(int(i) for i in swapped)
                rep.add("imp.swapped_lonlat", positions=swapped, column="geometry", target="geometry", fix="swap_lonlat")
    out = gpd.GeoSeries(geoms, crs=crs).to_crs(co.WGS84)
    result = []
    repaired = []
    for i, g in enumerate(out):
        if g is not None and not g.is_empty:
            if g.geom_type == "MultiPoint" and len(g.geoms) == 1:
                g = g.geoms[0]
            if polygon and g.geom_type in ("Polygon", "MultiPolygon") and not g.is_valid:
                fixed = shapely.make_valid(g)
                polys = [p for p in getattr(fixed, "geoms", [fixed]) if p.geom_type in ("Polygon", "MultiPolygon")]
                g = shapely.union_all(polys) if polys else None
                repaired.append(i)
        result.append(g)
    if repaired:
        rep.add("imp.repaired_polygon", positions=repaired, column="geometry", severity="warning")
    return result


def _geometry(rd: _Read, rep: _Report, ctx: _Context, polygon: bool) -> list | None:
    if rd.geometry is None:
        if polygon:
            rep.add("imp.needs_gis", target="geometry")
            rep.covered.add((rep.layer, "geometry"))
            return None
        return _table_geometry(rd, rep, ctx)
    return _gis_geometry(rd, rep, ctx, polygon)


def _outside(rep: _Report, geoms: list, ctx: _Context, kind: str) -> None:
    pts = [None if g is None or g.is_empty else g.representative_point() for g in geoms]
    idx = [i for i, p in enumerate(pts) if p is not None and i not in rep.swapped]
    if not idx:
        return
    xs = np.array([pts[i].x for i in idx])
    ys = np.array([pts[i].y for i in idx])
    if ctx.area is not None and kind in LIST_KINDS:
        inside = shapely.dwithin(ctx.area, shapely.points(xs, ys), OUTSIDE_TOLERANCE_DEG)
        where = "communes"
    else:
        inside = co.inside_bbox(xs, ys)
        where = "bbox"
    bad = [idx[k] for k in np.flatnonzero(~np.asarray(inside))]
    if bad:
        rep.add("imp.outside", positions=bad, column="geometry", target="geometry", where=t(f"imp.where_{where}", "vi"),
                where_en=t(f"imp.where_{where}", "en"))


def _resolve_communes(rep: _Report, values: list, ctx: _Context, column: str, vias: list | None = None) -> list:
    """Current commune codes for written codes or names (pre-2025 ones through the official mapping).
    A list mostly in pre-2025 names is read as pre-2025 throughout. `vias` receives how each row matched."""
    out: list = []
    vias = [] if vias is None else vias
    unmatched: dict[str, list[int]] = {}
    legacy: list[int] = []
    first = [ctx.index.resolve(v) for v in dict.fromkeys(v for v in values if v is not None)]
    old = sum(m.via.startswith("legacy") for m in first) > sum(m.matched for m in first) / 2
    cache: dict = {m.query: m for m in first} if not old else {}
    for i, v in enumerate(values):
        if v is None:
            out.append(None)
            vias.append("")
            continue
        m = cache.get(v) or cache.setdefault(v, ctx.index.resolve(v, prefer_legacy=old))
        vias.append(m.via)
        if m.matched:
            out.append(m.code)
            if m.via.startswith("legacy"):
                legacy.append(i)
        else:
            out.append(None)
            unmatched.setdefault(str(v), []).append(i)
    for value, positions in unmatched.items():
        m = cache.get(value) or ctx.index.resolve(value)
        rep.add("imp.unmatched_name", positions=positions, column=column, target="commune_code", value=value,
                candidates=", ".join(m.candidates) or "-")
    if legacy:
        rep.add("imp.legacy_mapped", positions=legacy, column=column, severity="warning")
    return out


def _list_layer(rd: _Read, ctx: _Context) -> tuple[gpd.GeoDataFrame | None, _Report]:
    kind = rd.kind
    layer = LAYER_BY_NAME[kind]
    rep = _Report(rd.label, kind, rd.rows)
    n = len(rd.attrs)
    cols = _convert_columns(rd, rep, kind, layer.columns, kind)
    inverse = {v: k for k, v in rd.report.mapping.items()}
    geoms = _geometry(rd, rep, ctx, polygon=False)
    if geoms is None:
        geoms = [None] * n
    _outside(rep, geoms, ctx, kind)
    if "id" in (c.name for c in layer.columns) and "id" not in cols:
        width = max(4, len(str(n)))
        cols["id"] = [f"{ID_PREFIX[kind]}{i + 1:0{width}d}" for i in range(n)]
        rep.add("imp.ids_generated", target="id", severity="warning", example=cols["id"][0] if n else "-")
    if "commune_code" in (c.name for c in layer.columns):
        if "commune_code" in cols:
            cols["commune_code"] = _resolve_communes(rep, cols["commune_code"], ctx, inverse["commune_code"])
        elif "commune_name" in inverse:
            names = [_text(v) for v in rd.attrs[inverse["commune_name"]]]
            cols["commune_code"] = _resolve_communes(rep, names, ctx, inverse["commune_name"])
        elif ctx.communes is not None:
            cols["commune_code"] = _by_location(geoms, ctx.communes)
            rep.add("imp.commune_by_location", target="commune_code", severity="warning")
    _duplicates(rep, cols, layer, inverse)
    return _frame(kind, cols, geoms, n), rep


def _by_location(geoms: list, communes: gpd.GeoDataFrame) -> list:
    pts = gpd.GeoDataFrame(geometry=gpd.GeoSeries(geoms, crs=co.WGS84))
    joined = gpd.sjoin(pts, communes[["code", "geometry"]], how="left", predicate="intersects")
    first = joined[~joined.index.duplicated()]["code"]
    return [None if pd.isna(v) else str(v) for v in first.reindex(range(len(geoms)))]


def _duplicates(rep: _Report, cols: dict, layer, inverse: dict) -> None:
    for col in layer.columns:
        if col.unique and col.name in cols:
            s = pd.Series(cols[col.name], dtype=object)
            dup = s.notna() & s.duplicated(keep=False)
            if dup.any():
                rep.add("imp.duplicate", positions=list(np.flatnonzero(dup.to_numpy())), column=inverse.get(col.name, col.name),
                        target=col.name, values=", ".join(repr(v) for v in list(dict.fromkeys(s[dup]))[:5]))


def _geodesic_km2(geom) -> float:
    if geom is None or geom.is_empty:
        return float("nan")
    area, _ = Geod(ellps="WGS84").geometry_area_perimeter(geom)
    return round(abs(area) / 1e6, 2)


def _communes_layer(rd: _Read, ctx: _Context) -> tuple[gpd.GeoDataFrame | None, gpd.GeoDataFrame | None, _Report]:
    """Current communes; pre-2025 boundaries are merged into the current units (and kept as communes_2024)."""
    rep = _Report(rd.label, "communes", rd.rows)
    layer = LAYER_BY_NAME["communes"]
    n = len(rd.attrs)
    cols = _convert_columns(rd, rep, "communes", layer.columns, "communes")
    inverse = {v: k for k, v in rd.report.mapping.items()}
    geoms = _geometry(rd, rep, ctx, polygon=True)
    if geoms is None:
        return None, None, rep
    _outside(rep, geoms, ctx, "communes")
    official = official_index()
    keys = cols.get("code") or ([_text(v) for v in rd.attrs[inverse["name"]]] if "name" in inverse else None)
    matches = [official.resolve(v) if v is not None else None for v in (keys or [])]
    legacy = [m is not None and m.via.startswith("legacy") for m in matches]
    if "code" not in cols and keys is not None:
        cols["code"] = [m.code if m is not None and m.matched else None for m in matches]
        missing = [i for i, m in enumerate(matches) if m is None or not m.matched]
        for i in missing:
            rep.add("imp.unmatched_name", positions=[i], column=inverse["name"], target="code", value=keys[i] or "",
                    candidates=", ".join(matches[i].candidates if matches[i] else ()) or "-")
        if not all(legacy):
            rep.add("imp.codes_from_names", column=inverse["name"], severity="warning")
    if keys is not None and legacy and sum(legacy) > n / 2:
        return _merge_legacy(rd, rep, cols, geoms, matches)
    by_code = {u_code: u_name for u_code, u_name in official.current}
    _fill(rep, cols, "name", [by_code.get(c) for c in cols.get("code", [None] * n)], n)
    kinds = {u.code: u.kind for u in _units().current}
    guessed = [kinds.get(c) or _kind_from_name(nm) for c, nm in zip(cols.get("code", [None] * n), cols.get("name", [None] * n))]
    _fill(rep, cols, "kind", guessed, n)
    _fill(rep, cols, "area_km2", [_geodesic_km2(g) for g in geoms], n)
    _duplicates(rep, cols, layer, inverse)
    return _frame("communes", cols, geoms, n), None, rep


def _units():
    from planner.admin_units import province_units

    return province_units()


def _kind_from_name(name) -> str | None:
    key = fold(name or "")
    for prefix, kind in (("phuong ", "phường"), ("thi tran ", "thị trấn"), ("xa ", "xã")):
        if key.startswith(prefix):
            return kind
    return None


def _fill(rep: _Report, cols: dict, name: str, values: list, n: int) -> None:
    if name in cols or not any(v is not None and v == v for v in values):
        return
    cols[name] = list(values)
    rep.add("imp.filled_column", target=name, severity="warning", how=t(f"imp.how.{name}", "vi"), how_en=t(f"imp.how.{name}", "en"))


def _merge_legacy(rd: _Read, rep: _Report, cols: dict, geoms: list, matches: list):
    """Pre-2025 boundaries: dissolve into the current units; keep the originals as communes_2024."""
    units = _units()
    cur = {u.code: u for u in units.current}
    leg = {u.code: u for u in units.legacy}
    leg_by_name = {}
    for u in units.legacy:
        leg_by_name.setdefault(u.name, u)
    n = len(geoms)
    groups: dict[str, list[int]] = {}
    unmatched = []
    old_codes = []
    for i, m in enumerate(matches):
        if m is None or not m.matched:
            unmatched.append(i)
            old_codes.append(None)
            continue
        groups.setdefault(m.code, []).append(i)
        code = normalize_code(m.query)
        old_codes.append(code if code in leg else None)
    if unmatched:
        rep.add("imp.unmatched_name", positions=unmatched, column="code", target="code", value="-", candidates="-")
    merged: dict[str, list] = {c.name: [] for c in LAYER_BY_NAME["communes"].columns}
    new_geoms = []
    for code, members in sorted(groups.items()):
        merged["code"].append(code)
        merged["name"].append(cur[code].name)
        merged["kind"].append(cur[code].kind)
        g = shapely.union_all([geoms[i] for i in members if geoms[i] is not None])
        new_geoms.append(g)
        merged["area_km2"].append(_geodesic_km2(g))
        for col in LAYER_BY_NAME["communes"].columns:
            if col.name in ("code", "name", "kind", "area_km2") or col.name not in cols:
                continue
            vals = [cols[col.name][i] for i in members]
            if col.name in COUNT_COLUMNS:
                merged[col.name].append(None if any(v is None for v in vals) else sum(vals))
            elif len(set(vals)) == 1:
                merged[col.name].append(vals[0])
            else:
                merged[col.name].append(None)
                rep.add("imp.legacy_conflict", column=col.name, target=col.name, code=code)
    merged = {k: v for k, v in merged.items() if len(v) == len(new_geoms)}
    rep.add("imp.legacy_merged", severity="warning", n_old=n, n_new=len(new_geoms))
    communes = _frame("communes", merged, new_geoms, len(new_geoms))
    old = {"code": [], "name": [], "district": [], "new_code": []}
    old_geoms = []
    for i, m in enumerate(matches):
        if m is None or not m.matched:
            continue
        unit = leg.get(old_codes[i]) if old_codes[i] else _legacy_unit(m.query, cur[m.code].key)
        old["code"].append(unit.code if unit else f"{m.code}-{i + 1}")
        old["name"].append(unit.name if unit else m.query)
        old["district"].append(unit.district if unit else "")
        old["new_code"].append(m.code)
        old_geoms.append(geoms[i])
    communes_2024 = _frame("communes_2024", old, old_geoms, len(old_geoms))
    return communes, communes_2024, rep


def _legacy_unit(query: str, new_key: str):
    """The pre-2025 unit merged into `new_key` whose name `query` is."""
    from planner.names import name_keys

    keys = set(name_keys(query))
    return next((u for u in _units().legacy if u.new_key == new_key and keys & set(name_keys(u.name))), None)


def _simple_polygons(rd: _Read, ctx: _Context, kind: str) -> tuple[gpd.GeoDataFrame | None, _Report]:
    rep = _Report(rd.label, kind, rd.rows)
    layer = LAYER_BY_NAME[kind]
    cols = _convert_columns(rd, rep, kind, layer.columns, kind)
    geoms = _geometry(rd, rep, ctx, polygon=True)
    if geoms is None:
        return None, rep
    _outside(rep, geoms, ctx, kind)
    _duplicates(rep, cols, layer, {v: k for k, v in rd.report.mapping.items()})
    return _frame(kind, cols, geoms, len(rd.attrs)), rep


def _join_table(rd: _Read, communes: gpd.GeoDataFrame | None, index: NameIndex) -> tuple[dict[str, dict], _Report]:
    """Commune code -> {column: value} from a population / indicator table joined by code or name."""
    rep = _Report(rd.label, "table", rd.rows)
    inverse = {v: k for k, v in rd.report.mapping.items()}
    key_col = inverse.get("code") or inverse.get("name")
    if key_col is None:
        rep.add("imp.table_no_key", present=", ".join(rd.attrs.columns) or "-")
        return {}, rep
    cols = _convert_columns(rd, rep, "table", TABLE_COLUMNS, "table")
    if not cols:
        rep.add("imp.table_no_values", present=", ".join(rd.attrs.columns) or "-")
    ctx = _Context(index, None, communes, None)
    vias: list[str] = []
    codes = _resolve_communes(rep, [_text(v) for v in rd.attrs[key_col]], ctx, key_col, vias)
    out: dict[str, dict] = {}
    dup: dict[str, list[int]] = {}
    for i, code in enumerate(codes):
        if code is None:
            continue
        row = {k: v[i] for k, v in cols.items()}
        if code in out:
            dup.setdefault(code, []).append(i)
            prev = out[code]
            for k, v in row.items():
                if k in COUNT_COLUMNS and prev.get(k) is not None and v is not None:
                    prev[k] = prev[k] + v
                elif prev.get(k) != v:
                    prev[k] = None
                    rep.add("imp.legacy_conflict", positions=[i], column=inverse.get(k, k), target=k, code=code)
        else:
            out[code] = row
    if dup:
        groups = {code: [i for i, c in enumerate(codes) if c == code] for code in dup}
        direct = {code: rows for code, rows in groups.items() if not all(vias[i].startswith("legacy") for i in rows)}
        if direct:
            rep.add("imp.table_duplicate", positions=sorted(i for rows in direct.values() for i in rows), column=key_col,
                    target="code", values=", ".join(sorted(direct)[:5]))
        if len(direct) < len(groups):
            rep.add("imp.legacy_summed", positions=sorted(i for c, rows in groups.items() if c not in direct for i in rows),
                    column=key_col, severity="warning")
    if communes is not None:
        missing = [c for c in communes["code"] if c not in out]
        if missing and out:
            rep.add("imp.table_missing_communes", severity="warning", n=len(missing), values=", ".join(missing[:5]))
    return out, rep


def _apply_table(communes: gpd.GeoDataFrame, values: dict[str, dict], rep: _Report) -> gpd.GeoDataFrame:
    out = communes.copy()
    changed: set[str] = set()
    for col in TABLE_COLUMNS:
        new = [values.get(code, {}).get(col.name, None) for code in out["code"]]
        if all(v is None for v in new) and not any(col.name in v for v in values.values()):
            continue
        if col.name in out.columns:
            old = list(out[col.name])
            merged = [o if v is None else v for o, v in zip(old, new)]
            if any(v is not None and not _same(o, v) for o, v in zip(old, new)):
                changed.add(col.name)
        else:
            merged = new
        out[col.name] = _typed(merged, col)
    if changed:
        rep.add("imp.table_overrides", severity="warning", columns=", ".join(sorted(changed)))
    cols = [c.name for c in LAYER_BY_NAME["communes"].columns if c.name in out.columns]
    return out[cols + [out.geometry.name]]


def _same(a, b) -> bool:
    try:
        return a == b or (a != a and b != b) or abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return False


def _remap(problems: Sequence[Problem], layer_files: dict[str, tuple[str, tuple[int, ...]]],
           covered: set[tuple[str, str]]) -> list[Problem]:
    """Contract problems named by the user's file and rows, without those already reported per row."""
    supersedes = {"prob.empty_values", "prob.wrong_type", "prob.not_allowed", "prob.duplicate", "prob.geometry",
                  "prob.missing_column"}
    out = []
    for p in problems:
        col = p.column or ("geometry" if p.key == "prob.geometry" else "")
        if p.key in supersedes and (p.layer, col) in covered:
            continue
        file, rows = layer_files.get(p.layer, (p.params.get("file", ""), ()))
        params = dict(p.params)
        row = None
        if "file" in params:
            params["file"] = file
        if "rows" in params and rows:
            nums = [rows[int(r) - 1] for r in str(params["rows"]).split(", ") if r.isdigit() and 0 < int(r) <= len(rows)]
            if nums:
                params["rows"] = ", ".join(str(r) for r in nums)
                row = nums[0]
        out.append(replace(p, params=params, row=row if row is not None else p.row))
    return out


def _guarded(fn, rd: _Read, *args, empty: tuple):
    """Run one conversion; a failure nobody foresaw becomes a report line naming the file, not a crash."""
    try:
        return fn(rd, *args)
    except PlannerError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, ArithmeticError, AttributeError, shapely.errors.ShapelyError) as exc:
        rep = _Report(rd.label, rd.kind, rd.rows)
        rep.add("err.imp_failed", detail=f"{type(exc).__name__}: {str(exc)[:150]}")
        return (*empty, rep)


def prepare_import(sources: Sequence[ImportSource], *, package: DataPackage | None = None, crs: str | None = None,
                   name: str = "", as_of: str | None = None, complete: bool = True) -> ImportPlan:
    """Read, convert and check every source; nothing is written. Layers not uploaded are taken from
    `package` when given. `crs` is used for files without one. With `complete`, the required layers
    must all be there (an import); without, each file is checked on its own (validation)."""
    if crs is not None:
        co.resolve_crs(crs)
    for s in sources:
        canonical_kind(s.kind)
        if s.crs is not None:
            co.resolve_crs(s.crs)
    problems: list[Problem] = []
    reads: list[_Read] = []
    for s in sources:
        try:
            rd = _read(s)
        except UsageError:
            raise
        except UploadError as exc:
            problems.append(Problem(exc.key, dict(exc.params, file=exc.params.get("file", s.name)), layer=canonical_kind(s.kind)))
            continue
        for key, params in rd.notes:
            problems.append(Problem(key, params, layer=rd.kind, severity="warning"))
        unmapped = [c for c in rd.report.columns if c not in rd.report.mapping]
        if unmapped:
            problems.append(Problem("imp.ignored_columns", dict(file=s.name, columns=", ".join(unmapped)), layer=rd.kind,
                                    severity="warning"))
        if not len(rd.attrs):
            problems.append(Problem("prob.empty_layer", dict(file=s.name), layer=rd.kind))
            continue
        reads.append(rd)
    by_kind: dict[str, list[_Read]] = {}
    for rd in reads:
        by_kind.setdefault(rd.kind, []).append(rd)
    for kind, rds in by_kind.items():
        if kind != "table" and len(rds) > 1:
            problems.append(Problem("imp.many_sources", dict(kind=kind, files=", ".join(r.source.name for r in rds)), layer=kind))

    layers: dict[str, gpd.GeoDataFrame] = {}
    layer_files: dict[str, tuple[str, tuple[int, ...]]] = {}
    covered: set[tuple[str, str]] = set()
    base = {} if package is None else {l.name: getattr(package, l.name) for l in LAYERS if getattr(package, l.name) is not None}
    reports: list[_Report] = []
    ctx = _Context(official_index(), None, None, crs)
    if "communes" in by_kind:
        rd = by_kind["communes"][0]
        communes, communes_2024, rep = _guarded(_communes_layer, rd, ctx, empty=(None, None))
        reports.append(rep)
        if communes is not None:
            layers["communes"] = communes
            layer_files["communes"] = (rd.label, rd.rows if len(communes) == len(rd.rows) else ())
            if communes_2024 is not None:
                layers["communes_2024"] = communes_2024
                layer_files["communes_2024"] = (rd.label, ())
    elif "communes" in base and "table" in by_kind:
        layers["communes"] = base["communes"].copy()
        layer_files["communes"] = (package.source, ())
    communes = layers.get("communes", base.get("communes"))
    if communes is not None and len(communes) and "code" in communes.columns and "name" in communes.columns:
        pairs = [(str(c), str(nm)) for c, nm in zip(communes["code"], communes["name"]) if isinstance(c, str) and isinstance(nm, str)]
        valid = communes.geometry[communes.geometry.notna() & ~communes.geometry.is_empty]
        ctx = _Context(index_for(pairs), shapely.union_all(list(valid)) if len(valid) else None, communes, crs)
    for rd in by_kind.get("table", []):
        values, rep = _guarded(_join_table, rd, layers.get("communes"), ctx.index, empty=({},))
        reports.append(rep)
        if "communes" in layers and values:
            layers["communes"] = _apply_table(layers["communes"], values, rep)
    for kind in ("communes_2024", *LIST_KINDS):
        if kind not in by_kind:
            continue
        rd = by_kind[kind][0]
        if kind == "communes_2024":
            gdf, rep = _guarded(_simple_polygons, rd, ctx, kind, empty=(None,))
        else:
            gdf, rep = _guarded(_list_layer, rd, ctx, empty=(None,))
        reports.append(rep)
        if gdf is not None:
            layers[kind] = gdf
            layer_files[kind] = (rd.label, rd.rows)
    villages = layers.get("villages", base.get("villages") if complete else None)
    if "communes" in layers and villages is not None and reports:
        _fill_from_villages(layers, villages, reports[0])
    for rep in reports:
        problems.extend(rep.items)
        covered |= rep.covered
    kept = []
    if complete:
        for lname, gdf in base.items():
            if lname not in layers and not (lname == "communes_2024" and "communes" in layers):
                layers[lname] = gdf
                layer_files[lname] = (package.source, ())
                kept.append(lname)
        if kept:
            problems.append(Problem("imp.kept_from_package", dict(layers=", ".join(kept), source=package.source), severity="warning"))
        missing = [k for k in REQUIRED if k not in layers]
        if missing and not any(p.layer in missing and p.severity == "error" for p in problems):
            problems.append(Problem("imp.missing_kind", dict(kinds=", ".join(missing))))
        if not missing:
            frames = {l.name: layers.get(l.name) for l in LAYERS}
            problems.extend(_remap(check_package(frames), layer_files, covered))
        else:
            for lname, gdf in layers.items():
                problems.extend(_remap(check_layer(LAYER_BY_NAME[lname], gdf), layer_files, covered))
    else:
        for lname, gdf in layers.items():
            if lname in kept:
                continue
            problems.extend(_remap(check_layer(LAYER_BY_NAME[lname], gdf), layer_files, covered))
    source_reports = tuple(rd.report for rd in reads)
    manifest = {
        "name": name or "Imported data",
        "demo": False,
        "as_of": as_of or date.today().isoformat(),
        "imported_by": "planner.importing",
        "sources": [{"file": r.name, "kind": r.kind, "format": r.format, "encoding": r.encoding, "crs": r.crs or "",
                     "rows": r.rows} for r in source_reports],
    }
    if kept:
        manifest["sources"].append({"kept_from": package.source, "layers": kept})
    frozen = MappingProxyType({k: layers[k] for k in (l.name for l in LAYERS) if k in layers})
    return ImportPlan(frozen, tuple(problems), source_reports, MappingProxyType(manifest))


def _fill_from_villages(layers: dict, villages: gpd.GeoDataFrame, rep: _Report) -> None:
    """Commune population and children from the villages when the communes file has none."""
    communes = layers["communes"]
    missing = [c for c in ("population", "children") if c not in communes.columns]
    if not missing or "commune_code" not in villages.columns or not all(c in villages.columns for c in missing):
        return
    sums = villages.groupby("commune_code")[missing].sum()
    out = communes.copy()
    for c in missing:
        out[c] = out["code"].map(sums[c]).fillna(0).astype("int64")
        rep.add("imp.filled_column", target=c, severity="warning", how=t("imp.how.villages", "vi"), how_en=t("imp.how.villages", "en"))
    cols = [c.name for c in LAYER_BY_NAME["communes"].columns if c.name in out.columns]
    layers["communes"] = out[cols + [out.geometry.name]]


def write_import(plan: ImportPlan, out_dir) -> Path:
    """Write the plan as a data package (GeoJSON in EPSG:4326 + package.json with demo=false).
    Refuses while the report has errors."""
    from planner.io import write_package

    if not plan.ok:
        raise DataPackageError("err.imp_not_ready", problems=plan.errors, path=str(out_dir))
    missing = [k for k in REQUIRED if k not in plan.layers]
    if missing:
        raise DataPackageError("err.imp_not_ready", problems=(Problem("imp.missing_kind", dict(kinds=", ".join(missing))),),
                               path=str(out_dir))
    return write_package(dict(plan.layers), dict(plan.manifest), out_dir)


def report_lines(problems: Sequence[Problem], lang: str) -> list[str]:
    """One line per problem: severity, then the message (which names file, rows and column)."""
    return [f"{t('imp.severity_' + p.severity, lang)}: {p.message(lang)}" for p in problems]


def report_json(problems: Sequence[Problem], lang: str) -> list[dict]:
    return [{"key": p.key, "severity": p.severity, "file": p.params.get("file", ""), "layer": p.layer, "row": p.row,
             "column": p.column, "fix": p.params.get("fix"), "message": p.message(lang)} for p in problems]


# --- templates and Excel export ------------------------------------------------------------------
def _template_columns(kind: str) -> list[tuple[str, Column | None]]:
    kind = canonical_kind(kind)
    if kind in ("communes", "table"):
        return [(c.name, c) for c in LAYER_BY_NAME["communes"].columns]
    if kind == "communes_2024":
        return [(c.name, c) for c in LAYER_BY_NAME["communes_2024"].columns]
    cols: list[tuple[str, Column | None]] = [(c.name, c) for c in LAYER_BY_NAME[kind].columns]
    return cols + [("lon", None), ("lat", None)]


def header(target: str, lang: str) -> str:
    """The column header used in templates and exports (recognised again by `suggest_mapping`)."""
    return t(f"imp.col.{target}", lang)


def _write_sheet(wb, ws, kind: str, lang: str, rows: list[list] | None = None) -> None:
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = wb.add_format({"num_format": "@"})
    cols = _template_columns(kind)
    for j, (target, col) in enumerate(cols):
        ws.write_string(0, j, header(target, lang), bold)
        ws.set_column(j, j, max(12, len(header(target, lang)) + 2), text if col is not None and col.kind == TEXT else None)
        if col is not None and col.allowed:
            ws.data_validation(1, j, 100_000, j, {"validate": "list", "source": list(col.allowed)})
        elif col is not None and col.kind == BOOL:
            ws.data_validation(1, j, 100_000, j, {"validate": "list", "source": ["TRUE", "FALSE"]})
    ws.freeze_panes(1, 0)
    for i, row in enumerate(rows or [], start=1):
        for j, value in enumerate(row):
            if value is None or (isinstance(value, float) and value != value):
                continue
            if isinstance(value, (bool, np.bool_)):
                ws.write_boolean(i, j, bool(value))
            elif isinstance(value, (int, float, np.integer, np.floating)):
                ws.write_number(i, j, float(value) if isinstance(value, (float, np.floating)) else int(value))
            else:
                ws.write_string(i, j, safe_text(str(value)))  # the importer takes the ' off again


def _help_sheet(wb, kinds: Sequence[str], lang: str) -> None:
    ws = wb.add_worksheet(t("imp.sheet_help", lang)[:31])
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, [t("imp.help_list", lang), t("imp.help_header", lang), t("imp.help_type", lang),
                        t("imp.help_allowed", lang), t("imp.help_meaning", lang)], bold)
    r = 1
    for kind in kinds:
        for target, col in _template_columns(kind):
            kind_text = t(f"type.{col.kind}", lang) if col is not None else t("type.number", lang)
            ws.write_row(r, 0, [kind, header(target, lang), kind_text, ", ".join(col.allowed) if col is not None else "",
                                t(f"imp.help.{target}", lang)])
            r += 1
    ws.set_column(0, 4, 28)


def template_xlsx(kind: str, lang: str = "vi") -> bytes:
    """An empty Excel workbook for one list: headers people can fill in, allowed values as drop-downs,
    and a sheet explaining each column."""
    import xlsxwriter

    kind = canonical_kind(kind)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    _write_sheet(wb, wb.add_worksheet(kind[:31]), kind, lang)
    _help_sheet(wb, [kind], lang)
    wb.close()
    return buf.getvalue()


def export_lists_xlsx(package: DataPackage, lang: str = "vi") -> bytes:
    """The package's lists as one workbook: a sheet per list (points as lon/lat), plus the commune
    attributes ("communes", without boundaries), in the template's layout."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    kinds = ["communes", *LIST_KINDS]
    for kind in kinds:
        gdf = getattr(package, kind)
        if gdf is None:
            continue
        cols = _template_columns(kind)
        rows = []
        for i in range(len(gdf)):
            g = gdf.geometry.iloc[i]
            row = []
            for target, col in cols:
                if target == "lon":
                    row.append(g.x if g is not None else None)
                elif target == "lat":
                    row.append(g.y if g is not None else None)
                else:
                    v = gdf[target].iloc[i] if target in gdf.columns else None
                    row.append(None if v is None or (isinstance(v, float) and v != v) else (v.item() if hasattr(v, "item") else v))
            rows.append(row)
        _write_sheet(wb, wb.add_worksheet(kind[:31]), kind, lang, rows)
    _help_sheet(wb, kinds, lang)
    wb.close()
    return buf.getvalue()
