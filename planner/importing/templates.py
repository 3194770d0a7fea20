"""Excel for the import: an empty template per list (headers people fill in, allowed values as
drop-downs, a sheet explaining each column) and the package's lists exported in the same layout,
so that an exported workbook imports again unchanged.

Everything a person reads is in their language: sheets named after the list ("Điểm vui chơi"),
headers by the fields' labels ("Trạng thái"), allowed values as the interface names them
("Đang hoạt động", "THCS") and yes/no as "có"/"không". The importer reads these words back (and
the English ones, and the names the package stores) as the values the package stores.
"""
from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np

from planner.contracts import BOOL, FLOAT, INT, LAYER_BY_NAME, TEXT, Column
from planner.exports import print_setup, safe_text
from planner.i18n import t
from planner.importing.columns import LIST_KINDS, canonical_kind
from planner.labels import bool_label, field_label, kind_label, value_label
from planner.package import DataPackage

_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def _template_columns(kind: str) -> list[tuple[str, Column | None]]:
    kind = canonical_kind(kind)
    layer = LAYER_BY_NAME["communes" if kind == "table" else kind]
    cols: list[tuple[str, Column | None]] = [(c.name, c) for c in layer.columns]
    return cols + [("lon", None), ("lat", None)] if kind in LIST_KINDS else cols


def header(target: str, lang: str, kind: str | None = None) -> str:
    """The column header used in templates and exports: the field's label (recognised again by
    `suggest_mapping`)."""
    return field_label(kind, target, lang)


def sheet_name(kind: str, lang: str) -> str:
    """A list's sheet: its name in `lang` ("Thôn bản"), as Excel allows sheet names; the importer picks
    a workbook's sheet by it."""
    return " ".join(kind_label(kind, lang).translate(_SHEET_FORBIDDEN).split())[:31]


def allowed_words(kind: str, col: Column, lang: str) -> list[str]:
    """What a template offers for a column with a fixed set of values: the values in words, or
    yes/no."""
    if col.allowed:
        return [value_label(kind, col.name, v, lang) for v in col.allowed]
    if col.kind == BOOL:
        return [bool_label(True, lang), bool_label(False, lang)]
    return []


def _cell_words(kind: str, col: Column | None, value, lang: str):
    """A stored value as the template writes it: an allowed value or yes/no in words, else as it is."""
    if col is None:
        return value
    if col.allowed and isinstance(value, str) and value in col.allowed:
        return value_label(kind, col.name, value, lang)
    if col.kind == BOOL and isinstance(value, (bool, np.bool_)):
        return bool_label(bool(value), lang)
    return value


def number_format(target: str, col: Column | None) -> str | None:
    """The Excel number format of a column: counts with thousands, shares as percentages (the cell
    keeps the fraction), money in đồng, coordinates to six decimals; None for text."""
    if col is None:
        return "0.000000" if target in ("lon", "lat", "x", "y") else "#,##0.######"
    if col.kind == INT:
        return "0" if col.name == "year" else "#,##0"
    if col.kind != FLOAT:
        return None
    if col.maximum == 1.0:
        return "0.0%"
    if col.name.endswith("_vnd"):
        return '#,##0 "₫"'
    return "#,##0.00" if col.name.endswith("_km2") else "#,##0"


def _write_sheet(wb, ws, kind: str, lang: str, rows: list[list] | None = None) -> None:
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
    text = wb.add_format({"num_format": "@"})
    cols = _template_columns(kind)
    for j, (target, col) in enumerate(cols):
        title = header(target, lang, kind)
        ws.write_string(0, j, title, bold)
        fmt = text if col is not None and col.kind in (TEXT, BOOL) else None
        if fmt is None and number_format(target, col):
            fmt = wb.add_format({"num_format": number_format(target, col)})
        ws.set_column(j, j, min(40, max(12, len(title) + 2)), fmt)
        words = allowed_words(kind, col, lang) if col is not None else []
        if words:
            ws.data_validation(1, j, 100_000, j, {"validate": "list", "source": words})
    ws.freeze_panes(1, 0)
    print_setup(ws)
    for i, row in enumerate(rows or [], start=1):
        for j, value in enumerate(row):
            if value is None or (isinstance(value, float) and value != value):
                continue
            value = _cell_words(kind, cols[j][1], value, lang)
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
            allowed = ", ".join(allowed_words(kind, col, lang)) if col is not None else ""
            ws.write_row(r, 0, [kind_label(kind, lang), header(target, lang, kind), kind_text, allowed,
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
    _write_sheet(wb, wb.add_worksheet(sheet_name(kind, lang)), kind, lang)
    _help_sheet(wb, [kind], lang)
    wb.close()
    return buf.getvalue()


def export_lists_xlsx(package: DataPackage, lang: str = "vi") -> bytes:
    """The package's lists as one workbook: a sheet per list (points as lon/lat), plus the commune
    attributes (without boundaries, as the commune table "Bảng số liệu xã"), in the template's layout."""
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
        _write_sheet(wb, wb.add_worksheet(sheet_name("table" if kind == "communes" else kind, lang)), kind, lang, rows)
    _help_sheet(wb, kinds, lang)
    wb.close()
    return buf.getvalue()
