"""Excel for the import: an empty template per list (headers people fill in, allowed values as
drop-downs, a sheet explaining each column) and the package's lists exported in the same layout,
so that an exported workbook imports again unchanged.
"""
from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np

from planner.contracts import BOOL, LAYER_BY_NAME, TEXT, Column
from planner.exports import safe_text
from planner.i18n import t
from planner.importing.columns import LIST_KINDS, canonical_kind
from planner.package import DataPackage


def _template_columns(kind: str) -> list[tuple[str, Column | None]]:
    kind = canonical_kind(kind)
    layer = LAYER_BY_NAME["communes" if kind == "table" else kind]
    cols: list[tuple[str, Column | None]] = [(c.name, c) for c in layer.columns]
    return cols + [("lon", None), ("lat", None)] if kind in LIST_KINDS else cols


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
