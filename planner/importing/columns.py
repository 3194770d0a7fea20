"""Columns of an upload: which contract column each one is (suggested from its header, remembered
from an earlier import, checked when chosen), and how its cells read (numbers written the
Vietnamese or the English way, coordinates in degrees-minutes-seconds, yes/no, allowed values).

The lowest of the import modules: the kinds of list and `canonical_kind` live here too.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from planner.contracts import FLOAT, INT, LAYER_BY_NAME, Column
from planner.errors import UsageError
from planner.labels import field_label, value_label
from planner.names import fold

LIST_KINDS = ("villages", "play_points", "schools", "toilets", "candidate_sites")
KINDS = ("communes", "communes_2024", *LIST_KINDS, "table")
KIND_ALIASES = {"boundaries": "communes", "boundaries_2024": "communes_2024"}
COORD_ROLES = ("lon", "lat", "x", "y")
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
        words += [field_label(kind, target, lang) for lang in ("vi", "en")]
        for w in words:
            out.setdefault(fold(w), target)
    return out


_UNITS = re.compile(r"\s+(nguoi|m2|km2|dong|vnd|ha|phan tram|ty le|m)$")
_NAMED = re.compile(r".*\(\s*([a-z0-9_]+)\s*\)\s*", re.S)  # "Trạng thái (status)": a label and the field's name


def _named_target(col: str, allowed: Collection[str]) -> str | None:
    """The field a header names in parentheses at its end, as the command line writes fields
    ("Trạng thái (status)"), when it is one of `allowed`."""
    m = _NAMED.fullmatch(str(col))
    return m.group(1) if m and m.group(1) in allowed else None


# GDAL's LIBKML driver (the one that reads .kml and .kmz) gives every layer these columns, whatever
# the file holds: the placemark's XML id (empty unless the writer set one, and then a name like
# "thon.1", not the list's code), its <name>, <description>, times and how it is drawn. The file's
# own <ExtendedData> fields follow, with "2" added to a name that clashes ("id" -> "id2").
_KML_SIGNATURE = frozenset(("Name", "description", "timestamp", "begin", "end", "altitudeMode", "tessellate",
                            "extrude", "visibility", "drawOrder", "icon"))  # made by every GDAL version we support
KML_DRIVER_COLUMNS = ("id", *sorted(_KML_SIGNATURE), "snippet")  # "id" and "snippet" depend on the version
_KML_NAME = "Name"  # the placemark's <name>


def kml_driver_columns(columns: Sequence[str]) -> tuple[str, ...]:
    """The columns of `columns` that GDAL's KML reader made rather than read from the file (none
    unless `columns` has all the columns that reader always makes)."""
    if not _KML_SIGNATURE <= set(columns):
        return ()
    return tuple(c for c in columns if c in KML_DRIVER_COLUMNS)


def _header_key(col: str, driver: Collection[str]) -> str:
    """The folded header to look up: a KML field renamed for clashing with a driver column ("id2")
    is read by its own name ("id")."""
    if driver:
        m = re.fullmatch(r"(.+?)(\d+)", col)
        if m and m.group(1).lower() in {d.lower() for d in driver}:
            return fold(m.group(1))
    return fold(col)


def suggest_mapping(columns: Sequence[str], kind: str, *, empty: Collection[str] = ()) -> dict[str, str]:
    """Source column -> target for the headers that look like one (each target used once).

    Columns in `empty` (those empty in every row) are never suggested: a reader may add one, as
    GDAL's KML reader adds an empty "id". Of the columns the KML reader makes, only the placemark's
    <name> is suggested, as the name, when no header of the file's own fields says name."""
    kind = canonical_kind(kind)
    table = _synonyms(kind)
    driver = kml_driver_columns(columns)
    empty = set(empty)
    own = [c for c in columns if c not in driver and c not in empty]
    out: dict[str, str] = {}
    used: set[str] = set()
    pending = []
    for col in own:
        key = _header_key(col, driver)
        target = table.get(key) or table.get(_UNITS.sub("", key)) or _named_target(col, set(table.values()))
        if target and target not in used:
            out[col] = target
            used.add(target)
        else:
            pending.append(col)
    if _KML_NAME in driver and _KML_NAME not in empty and "name" in table.values() and "name" not in used:
        out[_KML_NAME] = "name"  # before guesses from close headers: the name Google Earth shows
        used.add("name")
    for col in pending:
        close = difflib.get_close_matches(_header_key(col, driver), list(table), n=3, cutoff=0.85)
        target = next((table[c] for c in close if table[c] not in used), None)
        if target:
            out[col] = target
            used.add(target)
    return {c: out[c] for c in columns if c in out}


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
        raise UsageError("err.imp_mapping_target", values=", ".join(bad), known=", ".join(targets(kind)),
                         kind=canonical_kind(kind))
    missing = sorted(k for k in out if k not in set(columns))
    if missing:
        raise UsageError("err.imp_mapping_column", values=", ".join(missing), known=", ".join(columns))
    twice = sorted({v for v in out.values() if list(out.values()).count(v) > 1})
    if twice:
        raise UsageError("err.imp_mapping_twice", values=", ".join(twice), kind=canonical_kind(kind))
    return out


# --- cell values ---------------------------------------------------------------------------------
_TRUE = {"true", "1", "x", "co", "yes", "y", "dat", "dung", "c", "v", "t", "1 0", "dat chuan", "co dat chuan", "da co",
         "roi", "da dat", "da dat chuan"}
_FALSE = {"false", "0", "khong", "no", "n", "chua", "chua dat", "sai", "k", "f", "0 0", "-", "khong co", "chua co",
          "chua dat chuan", "khong dat", "khong dat chuan"}
_ENUMS: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("communes", "kind"): {"xã": ("xa", "x", "commune"), "phường": ("phuong", "p", "ward"),
                           "thị trấn": ("thi tran", "tt", "township", "town")},
    ("play_points", "kind"): {"play_area": ("khu vui choi", "khu vui choi tre em", "san choi", "diem vui choi", "play area",
                                            "diem vui choi tre em", "san choi tre em"),
                              "culture_point": ("diem van hoa", "nha van hoa", "diem sinh hoat van hoa", "culture point",
                                                "diem van hoa the thao", "nha van hoa thon", "nha van hoa ban")},
    ("play_points", "status"): {"existing": ("dang hoat dong", "hien co", "da xay dung", "hoat dong", "existing",
                                             "dang su dung", "da dua vao su dung", "su dung", "in use"),
                                "under_construction": ("dang xay dung", "dang thi cong", "under construction", "dang xay",
                                                       "chua hoan thanh")},
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
                                         "needs_acquisition": ("can thu hoi", "phai thu hoi", "thu hoi dat", "needs acquisition",
                                                               "can giai phong mat bang", "giai phong mat bang", "gpmb",
                                                               "can thu hoi giai phong mat bang", "can thu hoi dat")},
}
_ENUMS[("table", "kind")] = _ENUMS[("communes", "kind")]


def enum_table(kind: str, col: Column) -> dict[str, str]:
    """Folded word -> allowed value of `col`: the value itself, its labels in both languages (those
    the templates offer: "Đang hoạt động", "THCS"), synonyms. Folding takes case, tone marks and
    punctuation off, so "ĐANG XÂY DỰNG", "dang xay dung" and "Đang xây dựng" are one word."""
    table: dict[str, str] = {}
    for value in col.allowed:
        table[fold(value)] = value
        for lang in ("vi", "en"):
            table.setdefault(fold(value_label(kind, col.name, value, lang)), value)
    for value, words in _ENUMS.get((kind, col.name), {}).items():
        for w in words:
            table.setdefault(fold(w), value)
    return table


VI, EN, AMBIGUOUS = "vi", "en", "ambiguous"  # 1.234,5 / 1,234.5 / "1.200" (1200 or 1.2?)
_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}")  # one separator before three digits


def _number_text(value) -> tuple[str, float] | None:
    """A text cell as a number's characters (spaces and a trailing % taken off) and its scale; None when empty."""
    text = str(value).strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
    if not text:
        return None
    if text.endswith("%"):
        return text[:-1], 0.01
    return text, 1.0


def separators(text: str) -> str | None:
    """What a number's separators say: VI (dots group thousands, a comma marks decimals: 1.234.567,
    0,5, 1.200,5), EN (1,234,567, 0.5, 1,200.5), AMBIGUOUS (one separator before three digits, as
    in 1.200 or 1,200: 1200, or 1.2) or None (none at all)."""
    dot, comma = "." in text, "," in text
    if dot and comma:
        return VI if text.rfind(",") > text.rfind(".") else EN
    if not dot and not comma:
        return None
    sep = "." if dot else ","
    if text.count(sep) > 1:
        return VI if dot else EN
    if _GROUPED.fullmatch(text):
        return AMBIGUOUS
    return EN if dot else VI


def parse_number(value, *, whole: bool = False, convention: str | None = None) -> float | None:
    """A number from a cell: 1.234 / 1,234 / 1.234,5 / 0,35 / 35% / " 12 345 ". None when empty; ValueError when not a number.

    One separator before three digits ("1.200", "1,200") is read by `convention` (VI or EN) when
    given, else as thousands with `whole` (1200) and as decimals without (1.2)."""
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
    read = _number_text(value)
    if read is None:
        return None
    text, scale = read
    if not re.fullmatch(r"[+-]?[0-9.,]*[0-9][0-9.,]*", text):
        raise ValueError(value)
    style = separators(text)
    if style == AMBIGUOUS:
        dot = "." in text
        grouping = (dot == (convention == VI)) if convention in (VI, EN) else whole
        style = (VI if dot else EN) if grouping else (EN if dot else VI)
    if style == VI:
        text = text.replace(".", "").replace(",", ".")
    elif style == EN:
        text = text.replace(",", "")
    try:
        return float(text) * scale
    except ValueError:
        raise ValueError(value) from None


def groups_thousands(col: Column) -> bool:
    """Whether `col` holds whole amounts in practice, so "1.200" most likely means 1200: counts
    (whole-number columns), money (…_vnd) and areas in square metres (…_m2)."""
    return col.kind == INT or (col.kind == FLOAT and col.name.endswith(("_vnd", "_m2")))


@dataclass(frozen=True)
class NumberReading:
    """How a number column's text cells are read: `whole` reads "1.200" as 1200 unless the column's
    `convention` (VI or EN, settled by its other cells) says otherwise; `ambiguous` are the positions
    read that way although nothing in the column settles it (to be reported)."""

    whole: bool = False
    convention: str | None = None
    ambiguous: tuple[int, ...] = ()


def number_reading(col: Column, cells: Sequence) -> NumberReading:
    """The reading of a number column's cells. Money and areas in m² follow the convention their other
    cells show (1.250.000 or 0,5: Vietnamese; 1,250,000 or 0.5: English); when none shows one (or
    both do), "1.200" and "1,200" are read as 1200 and their positions returned as ambiguous.
    Whole-number columns need no convention: 1.200 people can only be 1200."""
    if not groups_thousands(col):
        return NumberReading()
    if col.kind == INT:
        return NumberReading(whole=True)
    seen: set[str] = set()
    ambiguous: list[int] = []
    for i, cell in enumerate(cells):
        if not isinstance(cell, str) or (read := _number_text(cell)) is None:
            continue
        style = separators(read[0])
        if style == AMBIGUOUS:
            ambiguous.append(i)
        elif style is not None:
            seen.add(style)
    if len(seen) == 1:
        return NumberReading(whole=True, convention=seen.pop())
    return NumberReading(whole=True, ambiguous=tuple(ambiguous))


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


def parse_bool(value) -> bool | None:
    """A yes/no cell (có/không, đạt/chưa đạt, x, 1/0, TRUE/FALSE, ...); None when empty, else ValueError."""
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


def cell_text(value) -> str | None:
    """A cell as text in Unicode NFC (names exported decomposed, as some Mac and web tools do, are
    stored composed, and ids equal once composed are equal), spaces collapsed; whole floats without
    ".0" (codes read as numbers); None when empty."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():
            return str(int(value))
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    return text or None


def read_as(cells: Sequence, values: Sequence, positions: Sequence[int], k: int = 3) -> str:
    """How some cells were read, for a report: "'1.200' → 1200, '2,500' → 2500"."""
    shown = []
    for i in positions[:k]:
        v = values[i]
        num = "-" if v is None else (str(int(v)) if float(v).is_integer() else repr(float(v)))
        shown.append(f"'{str(cells[i]).strip()}' → {num}")
    return ", ".join(shown)
