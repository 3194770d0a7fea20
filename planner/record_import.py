"""A commune's list of what it built, read into record entries with a report, and its Excel template.

One row is one status change of one point. Every broken rule is a `Problem` on the row people see
in the file; the caller records the entries only when the plan has no error. The bytes are read in
the bounded worker (`read_record_list_safely`), never in the server.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import PurePath

from planner.contracts import LAYER_BY_NAME
from planner.errors import Problem, UsageError
from planner.exports import print_setup, safe_text
from planner.formats import both, fmt_date, fmt_int, fmt_num
from planner.i18n import t
from planner.importing import worker
from planner.importing.columns import cell_text, enum_table, parse_coordinate, parse_number
from planner.importing.files import TABLE_EXT, UploadError, check_size, file_format, read_csv_bytes, read_xlsx_bytes
from planner.importing.text import first_rows
from planner.names import fold, index_for
from planner.proposals import FUNDING, KINDS
from planner.record import STATUSES, Entry, check_entry

FIELDS = ("point_id", "name", "commune", "kind", "status", "on", "cost_vnd", "funding", "note", "lon", "lat")
REQUIRED = ("commune", "status", "on")  # and a point id or a name
LAYER = "records"
TEMPLATE_ROWS = 5_000  # rows of the data sheet offered drop-downs
_SYNONYMS = {  # folded headers besides the labels and the field names
    "point_id": ("ma", "id", "ma so", "ma diem vui choi", "point"), "name": ("ten", "ten cong trinh", "point name"),
    "commune": ("xa", "phuong", "ma xa", "ten xa", "xa phuong thi tran", "commune code", "ward"),
    "kind": ("loai", "type"), "status": ("tinh trang",), "on": ("ngay", "date", "ngay thang"),
    "cost_vnd": ("kinh phi", "chi phi", "cost", "tong kinh phi", "kinh phi vnd"),
    "funding": ("nguon kinh phi",), "note": ("notes",), "lon": ("longitude", "lng"), "lat": ("latitude",),
}
_WORDS = {  # folded words besides the labels and the codes
    "status": {"planned": ("ke hoach", "len ke hoach", "plan"), "approved": ("phe duyet", "da duoc phe duyet"),
               "under_construction": ("dang thi cong", "dang xay"),
               "in_use": ("dua vao su dung", "da dua vao su dung", "dang hoat dong", "hoat dong"),
               "closed": ("dong cua", "ngung hoat dong", "da ngung hoat dong")},
    "funding": {"state": ("nsnn", "ngan sach", "state"), "non_state": ("xhh", "non state", "ngoai ngan sach")},
}
_LABELS = {"status": ("record.status.", STATUSES), "kind": ("point_kind.", KINDS), "funding": ("funding.", FUNDING)}
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]*)?")
_SCALED = re.compile(r"\b(trieu|ty|nghin|ngan|million|billion|thousand)\b")
_UNIT = re.compile(r"\s*(đồng|đ|vnđ|vnd|₫)\s*$", re.IGNORECASE)
EXCEL_DAY0, EXCEL_SERIALS = date(1899, 12, 30), range(20_000, 80_000)  # 1954 … 2119 as Excel day numbers
OLE = b"\xd0\xcf\x11\xe0"  # an old Excel .xls


@dataclass(frozen=True)
class RecordContext:
    """What a list is checked against: today, the package's communes (code, name) and the points
    known (id, name, commune code), the package's and those recorded before."""

    today: date
    communes: tuple[tuple[str, str], ...]
    points: tuple[tuple[str, str, str], ...] = ()
    recorded_by: str = ""
    origin: str = ""


def context_for(package, known, *, today: date, recorded_by: str = "") -> RecordContext:
    """What a list is checked against, for `package` and its `known` points (a frame indexed by id
    with name and commune_code: `planner.progress.known_points`)."""
    return RecordContext(today=today, communes=tuple(zip(package.communes["code"].astype(str),
                                                         package.communes["name"].astype(str))),
                         points=tuple((str(i), str(r["name"]), str(r["commune_code"])) for i, r in known.iterrows()),
                         recorded_by=recorded_by)


@dataclass(frozen=True)
class RecordListPlan:
    """The entries read from one file and every problem found (rows as the file numbers them)."""

    file: str
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    rows_read: int  # rows with something in the columns read

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        return not self.errors


def label(field: str, lang: str = "vi") -> str:
    """A column's header in the template."""
    return t(f"recimp.col.{field}", lang)


@lru_cache(maxsize=1)
def _headers() -> dict[str, str]:
    table = {}
    for f in FIELDS:
        for word in (label(f, "vi"), label(f, "en"), f, *_SYNONYMS.get(f, ())):
            table.setdefault(fold(word), f)
    return table


@lru_cache(maxsize=3)
def words(field: str) -> dict[str, str]:
    """Folded word -> the value stored, for status, kind and funding."""
    if field == "kind":
        return enum_table("play_points", next(c for c in LAYER_BY_NAME["play_points"].columns if c.name == "kind"))
    prefix, values = _LABELS[field]
    table = {fold(w): v for v in values for w in (v, t(prefix + v, "vi"), t(prefix + v, "en"))}
    for v, extra in _WORDS.get(field, {}).items():
        table.update({fold(w): v for w in extra})
    return table


def allowed(field: str, lang: str) -> list[str]:
    prefix, values = _LABELS[field]
    return [t(prefix + v, lang) for v in values]


def parse_day(value) -> date | None:
    """A day from a cell: a date, an Excel day number, dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy or
    yyyy-mm-dd (the day always before the month); None when empty, else ValueError."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in EXCEL_SERIALS:
            return EXCEL_DAY0 + timedelta(days=int(value))
        raise ValueError(value)
    text = cell_text(value)
    if text is None:
        return None
    if m := _ISO.fullmatch(text):
        y, mo, d = m.groups()
    elif m := _DMY.fullmatch(text):
        d, mo, y = m.groups()
    else:
        raise ValueError(value)
    return date(int(y), int(mo), int(d))


def _read_table(name: str, data: bytes):
    check_size(len(data), name)
    ext = PurePath(name).suffix.lower()
    if ext not in TABLE_EXT and not data.startswith(OLE):  # an old .xls: file_format says to save it as .xlsx
        raise UploadError("err.recimp_format", file=name, ext=ext or "-", known=", ".join(sorted(TABLE_EXT)))
    if ext in (".xlsx", ".xlsm") and not data.startswith((b"PK", OLE)) and b"\x00" not in data[:4096]:
        raise UploadError("err.recimp_text_as_xlsx", file=name)  # a CSV or HTML table named .xlsx
    if file_format(name, data) == "csv":
        return read_csv_bytes(name, data)
    return read_xlsx_bytes(name, data, prefer=(t("recimp.sheet_list", "vi"), t("recimp.sheet_list", "en")))


def parse_cost(value) -> int | None:
    """Whole đồng from a cell ("1.500.000.000", "1,500,000,000 đ", 1500000000); None when empty,
    else ValueError (negative or not whole too)."""
    amount = parse_number(_UNIT.sub("", value) if isinstance(value, str) else value, whole=True)
    if amount is not None and (amount < 0 or not float(amount).is_integer()):
        raise ValueError(value)
    return None if amount is None else int(amount)


def _degrees(value: float, lang: str) -> str:
    return fmt_num(value, lang, 6, trim=True)


def _word(field: str):
    def parse(value) -> str | None:
        text = cell_text(value)
        return None if text is None else words(field)[fold(text)]  # KeyError: not an allowed word
    return parse


_PARSE = {"status": _word("status"), "kind": _word("kind"), "funding": _word("funding"), "on": parse_day,
          "cost_vnd": parse_cost, "lon": parse_coordinate, "lat": parse_coordinate}
_BAD = {"status": "recimp.bad_word", "kind": "recimp.bad_word", "funding": "recimp.bad_word", "on": "recimp.bad_date",
        "cost_vnd": "recimp.bad_cost", "lon": "recimp.bad_coordinate", "lat": "recimp.bad_coordinate"}


class _Rows:
    """The rows of one list, checked one by one; the problems and entries found."""

    def __init__(self, file: str, where: str, headers: dict[str, str], context: RecordContext):
        self.file, self.where, self.headers, self.context = file, where, headers, context
        self.index = index_for(list(context.communes))
        self.commune_names = dict(context.communes)
        self.points = {pid.casefold(): (pid, name, code) for pid, name, code in context.points}
        self.named: dict[tuple[str, str], list[str]] = {}  # (commune code, folded name) -> ids
        for pid, name, code in context.points:
            self.named.setdefault((code, fold(name)), []).append(pid)
        self.new: dict[str, list] = {}  # folded id of a point new in this file -> [first row, has coordinates]
        self.seen: dict[tuple, int] = {}  # (folded id, status, day) -> row
        self.problems: list[Problem] = []
        self.entries: list[Entry] = []

    def column(self, field: str) -> str:
        return self.headers.get(field) or label(field)

    def add(self, key: str, row: int, at: str = "", *, severity: str = "error", **params) -> None:
        """A problem of `row`, in the column of field `at`."""
        column = self.column(at) if at else ""
        self.problems.append(Problem(key, dict(file=self.where, row=row, column=column, **params), layer=LAYER,
                                     row=row, column=column, severity=severity))

    def _value(self, row: int, field: str, cell):
        try:
            return _PARSE[field](cell)
        except (ValueError, KeyError):
            words_ = {"allowed": ", ".join(allowed(field, "vi")), "allowed_en": ", ".join(allowed(field, "en"))
                      } if field in _LABELS else {}
            self.add(_BAD[field], row, field, value=str(cell)[:60], **words_)
            return None

    def read(self, row: int, cells: dict) -> None:
        before = len(self.problems)
        pid, name, note = (cell_text(cells.get(f)) for f in ("point_id", "name", "note"))
        known = self.points.get(pid.casefold()) if pid else None
        code = self._commune(row, cells.get("commune"), known=known[2] if known else None)
        v = {f: self._value(row, f, cells.get(f)) for f in _PARSE}
        for f in ("status", "on"):
            if cell_text(cells.get(f)) is None:
                self.add("recimp.missing_value", row, f)
        lon, lat = v["lon"], v["lat"]
        empty = {f for f in ("lon", "lat") if cell_text(cells.get(f)) is None}
        if len(empty) == 1:
            self.add("recimp.half_coordinate", row, empty.pop())
        elif lon is not None and lat is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
            self.add("recimp.coordinate_range", row, "lon", **both("lon", lon, _degrees), **both("lat", lat, _degrees))
        point = self._point(row, pid, name, code) if code else None
        if point is None or any(p.severity == "error" for p in self.problems[before:]):
            return
        pid, name = point
        new = self.new.get(pid.casefold())
        if new is not None:
            new[1] = new[1] or lon is not None
            if new[0] == row and v["kind"] is None:
                self.add("recimp.kind_assumed", row, "kind", severity="warning", id=pid,
                         **both("kind", "play_area", lambda k, lang: t(f"point_kind.{k}", lang)))
        entry = Entry(pid, v["status"], v["on"], name=name, commune_code=code, kind=v["kind"] or "play_area", lon=lon,
                      lat=lat, cost_vnd=v["cost_vnd"], funding=v["funding"], note=note or "",
                      recorded_by=self.context.recorded_by, origin=self.context.origin or f"import:{self.file}")
        try:
            entry = check_entry(entry, today=self.context.today)
        except UsageError as exc:
            field = exc.params.get("field", "on")  # err.record_date has none
            field = {"point_id": "point_id" if "point_id" in self.headers else "name",
                     "lon/lat": "lon"}.get(field, field)
            self.add("recimp.entry", row, field if field in FIELDS else "", detail=exc.message("vi"),
                     detail_en=exc.message("en"), reason=exc.key)
            return
        key = (entry.point_id.casefold(), entry.status, entry.on)
        if key in self.seen:
            self.add("recimp.duplicate", row, id=entry.point_id, first=self.seen[key], **both("on", entry.on, fmt_date),
                     **both("status", entry.status, lambda s, lang: t(f"record.status.{s}", lang)))
            return
        self.seen[key] = row
        self.entries.append(entry)

    def _commune(self, row: int, cell, *, known: str | None = None) -> str | None:
        """The row's commune code; a known point's own when the cell is empty."""
        value = cell_text(cell)
        if value is None:
            if known:
                return known
            self.add("recimp.missing_value", row, "commune")
            return None
        match = self.index.resolve(value)
        if match.matched:
            return match.code
        if match.candidates:
            self.add("recimp.unknown_commune_close", row, "commune", value=value[:60],
                     close=", ".join(match.candidates))
        else:
            self.add("recimp.unknown_commune", row, "commune", value=value[:60])
        return None

    def _point(self, row: int, pid: str | None, name: str | None, code: str) -> tuple[str, str] | None:
        """(id, name) of the row's point: a known one (in the same commune) or a new one, registered."""
        if pid is None:
            if name is None:
                self.add("recimp.no_id_or_name", row, "point_id")
                return None
            same = self.named.get((code, fold(name)), [])
            if len(same) > 1:
                self.add("recimp.name_ambiguous", row, "point_id", name=name[:60], ids=", ".join(same))
                return None
            if same:
                pid = same[0]
                if pid.casefold() not in self.new:
                    self.add("recimp.id_from_name", row, "point_id", severity="warning", id=pid, name=name[:60])
            else:
                pid = f"{code}-{'-'.join(fold(name).split())[:150]}"
                self.add("recimp.id_made", row, "point_id", severity="warning", id=pid, name=name[:60])
        known = self.points.get(pid.casefold())
        if known is not None:
            if known[2] and known[2] != code:
                self.add("recimp.point_commune", row, "commune", id=known[0],
                         point_commune=self.commune_names.get(known[2], known[2]),
                         commune=self.commune_names.get(code, code))
                return None
            return known[0], name or known[1]
        if name is None:
            self.add("recimp.new_without_name", row, "name", id=pid)
            return None
        self.points[pid.casefold()] = (pid, name, code)
        self.named.setdefault((code, fold(name)), []).append(pid)
        self.new[pid.casefold()] = [row, False]
        return pid, name

    def finish(self) -> None:
        for key, (row, placed) in self.new.items():
            if not placed:
                self.add("recimp.no_coordinates", row, "lon", severity="warning", id=self.points[key][0])


def read_record_list(name: str, data: bytes, *, context: RecordContext) -> RecordListPlan:
    """A commune's list (.xlsx or .csv) read into entries and a report; UploadError when the file
    cannot be read at all. Reads a user's bytes: the app and CLI call `read_record_list_safely`."""
    raw = _read_table(name, data)
    where = f"{name} [{raw.sheet}]" if raw.sheet else name
    problems = [Problem(k, p, layer=LAYER, severity="warning") for k, p in raw.notes]
    columns = [str(c) for c in raw.frame.columns]
    headers: dict[str, str] = {}
    unused = []
    for c in columns:
        f = _headers().get(fold(c)) or _headers().get(fold(re.sub(r"\(.*?\)", " ", c)))  # "Ngày (dd/mm/yyyy)"
        if f == "cost_vnd" and _SCALED.search(fold(c)):
            f = None  # "Kinh phí (triệu đồng)" is not in đồng: not read, and said so
        if f and f not in headers:
            headers[f] = c
        else:
            unused.append(c)
    missing = [f for f in REQUIRED if f not in headers]
    missing = missing if {"point_id", "name"} & set(headers) else ["id_or_name", *missing]
    if missing:
        names = {lang: ", ".join(t("recimp.id_or_name", lang) if f == "id_or_name" else label(f, lang) for f in missing)
                 for lang in ("vi", "en")}
        problems.append(Problem("recimp.missing_columns", dict(file=where, missing=names["vi"], missing_en=names["en"],
                                                               found=", ".join(columns)), layer=LAYER))
        return RecordListPlan(name, (), tuple(problems), 0)
    if unused:
        problems.append(Problem("recimp.ignored_columns", dict(file=where, columns=", ".join(unused)), layer=LAYER,
                                severity="warning"))
    rows = _Rows(name, where, headers, context)
    skipped, at = [], {f: columns.index(h) for f, h in headers.items()}
    for row, values in zip(raw.rows, raw.frame.itertuples(index=False, name=None)):
        cells = {f: values[i] for f, i in at.items()}
        if all(cell_text(v) is None for v in cells.values()):
            skipped.append(row)
        else:
            rows.read(row, cells)
    rows.finish()
    if skipped:
        problems.append(Problem("recimp.skipped_rows", dict(file=where, n=len(skipped), rows=first_rows(skipped)),
                                layer=LAYER, severity="warning"))
    if not rows.entries and not any(p.severity == "error" for p in rows.problems):  # else the rows' errors say why
        problems.append(Problem("recimp.no_rows", dict(file=where), layer=LAYER))
    problems += sorted(rows.problems, key=lambda p: p.row)
    return RecordListPlan(name, tuple(rows.entries), tuple(problems), len(raw.rows) - len(skipped))


def read_record_list_safely(name: str, data: bytes, *, context: RecordContext) -> RecordListPlan:
    """`read_record_list` in the bounded worker process (the way the app and the CLI read uploads)."""
    return worker.run("read_record_list", name, data, context=context)


_WIDTHS = {"point_id": 16, "name": 32, "commune": 22, "kind": 16, "status": 20, "on": 13, "cost_vnd": 18,
           "funding": 22, "note": 36, "lon": 12, "lat": 12}


def template_xlsx(lang: str, *, context: RecordContext) -> bytes:
    """The Excel workbook a commune fills in: an empty list (headers, drop-downs, day-first dates,
    grouped đồng), the instructions with an example, the package's communes and the known points."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
    formats = {"on": wb.add_format({"num_format": "dd/mm/yyyy"}), "cost_vnd": wb.add_format({"num_format": "#,##0"}),
               "lon": wb.add_format({"num_format": "0.000000"}), "lat": wb.add_format({"num_format": "0.000000"})}
    text = wb.add_format({"num_format": "@"})
    ws = wb.add_worksheet(t("recimp.sheet_list", lang))
    communes_sheet = t("recimp.sheet_communes", lang)
    for j, f in enumerate(FIELDS):
        ws.write_string(0, j, label(f, lang), bold)
        ws.set_column(j, j, _WIDTHS[f], formats.get(f, text))
        if f in _LABELS:
            ws.data_validation(1, j, TEMPLATE_ROWS, j, {"validate": "list", "source": allowed(f, lang)})
        elif f == "commune" and context.communes:  # names from the communes' sheet; a code is allowed too
            names = f"='{communes_sheet}'!$B$2:$B${len(context.communes) + 1}"
            ws.data_validation(1, j, TEMPLATE_ROWS, j, {"validate": "list", "error_type": "warning", "source": names})
    ws.freeze_panes(1, 0)
    print_setup(ws)

    help_ = wb.add_worksheet(t("recimp.sheet_help", lang))
    for r, key in enumerate(("recimp.help_intro", "recimp.help_dates", "recimp.help_ids")):
        help_.write_string(r, 0, t(key, lang))
    r0 = 4
    help_.write_row(r0, 0, [t(f"recimp.help_{k}", lang) for k in ("column", "required", "what", "allowed")], bold)
    for i, f in enumerate(FIELDS, start=r0 + 1):
        required = ("recimp.help_either" if f in ("point_id", "name") else
                    "recimp.help_yes" if f in REQUIRED else "recimp.help_no")
        accepted = (", ".join(allowed(f, lang)) if f in _LABELS else t("recimp.date_words", lang) if f == "on" else "")
        help_.write_row(i, 0, [label(f, lang), t(required, lang), t(f"recimp.help.{f}", lang), accepted])
    r = r0 + len(FIELDS) + 2
    help_.write_string(r, 0, t("recimp.help_example", lang))
    help_.write_row(r + 1, 0, [label(f, lang) for f in FIELDS], bold)
    example = ["", t("recimp.example_name", lang), context.communes[0][1] if context.communes else "",
               allowed("kind", lang)[0], allowed("status", lang)[3], "15/03/2025", fmt_int(1_500_000_000, lang),
               allowed("funding", lang)[0], t("recimp.example_note", lang), _degrees(103.4512, lang),
               _degrees(22.402, lang)]
    help_.write_row(r + 2, 0, [safe_text(v) for v in example])
    for first, last, width in ((0, 0, 30), (1, 1, 14), (2, 3, 60)):
        help_.set_column(first, last, width)

    for sheet, heads, rows in (
            (communes_sheet, ("recimp.commune_code", "recimp.commune_name"), context.communes),
            (t("recimp.sheet_points", lang), ("recimp.col.point_id", "recimp.col.name", "recimp.commune_code",
                                              "recimp.commune_name"),
             [(pid, name, code, dict(context.communes).get(code, "")) for pid, name, code in context.points])):
        out = wb.add_worksheet(sheet)
        out.write_row(0, 0, [t(h, lang) for h in heads], bold)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                out.write_string(i, j, safe_text(str(value)))
        out.set_column(0, len(heads) - 1, 24, text)
        out.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()
