"""Priority lists for offices and GIS: CSV (for machines), XLSX (for people), GeoJSON, GeoPackage.

Every export carries its parameters (weights, radius, data source and date, demo flag): a
'Parameters' sheet in a workbook, a "parameters" member in GeoJSON, a 'parameters' table in a
GeoPackage. A CSV is a plain table (header on line 1, integers as integers, decimals with '.',
UTF-8 with BOM); its parameters are a second CSV (`parameters_csv`), which the CLI writes beside
the table as `<name>.params.csv`, both or neither.

Workbooks store numbers as numbers. Each column declares its kind (KIND_FORMATS: "int", "pct",
"vnd", "num2", ...; a table of figures may declare one kind per row instead), and the kind picks
the number format; nothing is guessed from the values. Excel then shows the numbers in the
reader's own style (1.250.000 or 1,250,000), and columns can be summed. Every sheet prints on A4
landscape, one page wide, with the header row on every page.

GIS layers keep machine field names by default (`code`, `rank`, `score`, `children_value`...:
stable for scripts, joins and styles); `field_names="vi"` (or "en") names the fields as the
workbook's headers instead. Layer names stay machine names.

The functions here build bytes in memory; `planner.io` writes them to disk, whole or not at all.
Text cells that a spreadsheet would run as a formula (=, +, -, @) are neutralised.
"""
from __future__ import annotations

import io as _bytes_io
import json
import numbers
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.errors import UsageError
from planner.formats import VN_TZ, as_datetime, fmt_datetime, is_missing as _missing, value_text
from planner.i18n import t
from planner.package import DataPackage
from planner.ranking import CRITERIA, Ranking

FORMATS = (".csv", ".xlsx", ".geojson", ".gpkg")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FIELD_NAMES = ("machine", "vi", "en")  # GIS field names: machine names (default) or headers in a language

# kind of a column (or of a row of figures) -> Excel number format; None: written as text
KIND_FORMATS: dict[str, str | None] = {
    "text": None,
    "date": None,  # a day, written dd/mm/yyyy (fmt_date)
    "datetime": None,  # a moment, written dd/mm/yyyy HH:MM in Vietnam's time (fmt_datetime)
    "int": "#,##0",  # counts, m²
    "num": "General",  # a number as entered (radius, time limit)
    "num1": "#,##0.0",
    "num2": "#,##0.00",  # scores and points
    "pct": "0.0%",  # a share stored as a fraction: 0.237 shows 23.7%
    "pct2": "0.00%",
    "vnd": '#,##0 "₫"',  # money in đồng
    "year": "0",  # 2026, not 2,026
    "coord": "0.000000",  # longitude, latitude
}
TEXT_KINDS = ("text", "date", "datetime")
WHOLE_KINDS = ("int", "vnd", "year")  # written as integers in a CSV when every value is whole
BY_ROW = "row"  # a column whose kind is given per row (Sheet.row_kinds)

# the value column of each criterion in a ranking (bools become yes/no text)
CRITERION_KINDS = {"children": "int", "children_out_of_reach": "int", "poverty_rate": "pct",
                   "ethnic_minority_share": "pct", "schools_without_toilet": "int", "land_available": "int"}


def check_format(suffix: str) -> str:
    ext = suffix.lower()
    if ext not in FORMATS:
        raise UsageError("err.export_ext", ext=suffix or "-", known=", ".join(FORMATS))
    return ext


def check_field_names(value: str) -> str:
    if value not in FIELD_NAMES:
        raise UsageError("err.field_names", value=value, known=", ".join(FIELD_NAMES))
    return value


def params_path(path: str | Path) -> Path:
    """Where the CLI writes a CSV's parameters: 'xep-hang.csv' -> 'xep-hang.params.csv'."""
    path = Path(path)
    return path.with_name(f"{path.stem}.params.csv")


def safe_text(value):
    """NFC text, with a leading ' when a spreadsheet would read it as a formula."""
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFC", value)
    return "'" + value if value.startswith(FORMULA_START) else value




def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


class Param(NamedTuple):
    """One parameter of an export: its label, its value (a number, a text, an ISO date, a
    datetime, or None when not set) and the value's kind (a key of KIND_FORMATS)."""

    label: str
    value: object
    kind: str = "text"


def machine_value(value, kind: str = "text"):
    """A value for a machine (CSV, JSON, GeoPackage): None when not set, whole numbers as int,
    a datetime as ISO 8601 in Vietnam's time ('2026-01-05T18:24:00+07:00'), text as is."""
    if _missing(value):
        return None
    if kind == "datetime":
        moment = as_datetime(value)
        return moment.astimezone(VN_TZ).isoformat(timespec="seconds") if moment else str(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return int(number) if number.is_integer() else number
    return value


def parameters(ranking: Ranking, package: DataPackage, lang: str, *, now: datetime | None = None) -> list[Param]:
    """How the ranking was made: preset, weights (normalised, as shares), radius, data, when."""
    now = now or datetime.now(timezone.utc)
    preset = t(f"preset.{ranking.preset}", lang) if ranking.preset else t("preset.custom", lang)
    rows = [Param(t("param.preset", lang), preset)]
    rows += [Param(t("param.weight", lang, name=t(f"crit.{c}", lang)), float(w), "pct") for c, w in ranking.weights.items()]
    if ranking.rule is not None:
        rows.append(Param(t("param.reach", lang), ranking.rule.words(lang)))
    if ranking.rule is None or not ranking.rule.walking:
        rows.append(Param(t("param.radius_m", lang), float(ranking.radius_m), "num"))
    return safe_params(rows + provenance(package, lang, now=now, tool="planner rank"))


def provenance(package: DataPackage, lang: str, *, now: datetime, tool: str) -> list[Param]:
    """The rows every export ends with: which data, how old, a demo or not, when and by what."""
    return [
        Param(t("param.data", lang), package.display_name(lang)),
        Param(t("param.data_date", lang), package.manifest.get("as_of"), "date"),
        Param(t("param.demo", lang), t("yes", lang) if package.is_demo else t("no", lang)),
        Param(t("param.created", lang), now, "datetime"),
        Param(t("param.tool", lang), t("param.tool_value", lang, command=tool)),
    ]


def safe_params(params: Sequence[Param]) -> list[Param]:
    """Labels and text values formula-safe (see `safe_text`)."""
    return [Param(safe_text(p.label), safe_text(p.value), p.kind) for p in params]


@dataclass(frozen=True, eq=False)  # holds a DataFrame: equal only to itself
class Sheet:
    """A table for a workbook (and a CSV): its columns' kinds (a key of KIND_FORMATS; a column not
    named is text, and a numeric column must be named), the columns frozen at the left, and for
    the columns of kind BY_ROW one kind per row (a table of figures, one figure per row)."""

    name: str
    frame: pd.DataFrame
    kinds: Mapping[str, str] = field(default_factory=dict)
    freeze_cols: int = 1
    row_kinds: tuple[str, ...] = ()

    def kind_of(self, col) -> str:
        kind = self.kinds.get(col)
        if kind is None:
            dtype = self.frame[col].dtype
            if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
                raise ValueError(f"sheet {self.name!r}: numeric column {col!r} needs a declared kind")
            return "text"
        if kind != BY_ROW and kind not in KIND_FORMATS:
            raise ValueError(f"sheet {self.name!r}: unknown kind {kind!r} for column {col!r}")
        if kind == BY_ROW and len(self.row_kinds) != len(self.frame):
            raise ValueError(f"sheet {self.name!r}: {len(self.row_kinds)} row kinds for {len(self.frame)} rows")
        return kind


def _ranking_columns(ranking: Ranking, lang: str) -> list[tuple[str, pd.Series, str]]:
    tab = ranking.table
    cols = [(t("col.rank", lang), tab["rank"], "int"), (t("col.code", lang), tab["code"], "text"),
            (t("col.name", lang), tab["name"], "text"), (t("col.score", lang), tab["score"].round(2), "num2")]
    for c in CRITERIA:
        label = t(f"crit.{c}", lang)
        value, kind = tab[f"{c}_value"], CRITERION_KINDS.get(c, "num2")
        if value.dtype == bool:
            value, kind = value.map({True: t("yes", lang), False: t("no", lang)}), "text"
        cols.append((t("col.value_of", lang, name=label), value, kind))
        cols.append((t("col.points_of", lang, name=label), tab[f"{c}_points"].round(2), "num2"))
    return cols


def ranking_sheet(ranking: Ranking, lang: str) -> Sheet:
    """The ranked table with headers in the user's language: rank, code, name, score, then each
    criterion's value and its points; three columns frozen."""
    cols = _ranking_columns(ranking, lang)
    frame = localise(pd.DataFrame({label: series for label, series, _ in cols}))
    return Sheet(t("sheet.ranking", lang), frame, {label: kind for label, _, kind in cols}, freeze_cols=3)


def _whole(series: pd.Series) -> pd.Series:
    """A numeric column as nullable integers when every value is whole (6322.0 -> 6322)."""
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return series
    values = series.dropna().to_numpy(dtype=float)
    if not np.isfinite(values).all() or not (values == np.round(values)).all():
        return series
    return series.round().astype("Int64")


def csv_bytes(frame: pd.DataFrame, kinds: Mapping[str, str] | None = None) -> bytes:
    """A table for machines: UTF-8 with BOM (Excel opens it right), the header on line 1, no
    index, whole numbers of kind int/vnd/year written as integers, decimals with '.'."""
    frame = frame.copy()
    for col, kind in (kinds or {}).items():
        if col in frame.columns and kind in WHOLE_KINDS:
            frame[col] = _whole(frame[col])
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def params_frame(params: Sequence[Param], lang: str, *, machine: bool = False) -> pd.DataFrame:
    """Parameters as a two-column table (name, value); `machine`: values for machines."""
    values = [machine_value(p.value, p.kind) if machine else p.value for p in params]
    return pd.DataFrame({t("param.name", lang): [p.label for p in params], t("param.value", lang): values})


def params_csv_bytes(params: Sequence[Param], lang: str) -> bytes:
    """The parameters of an export as a CSV for machines (see `csv_bytes`): one per line."""
    return csv_bytes(params_frame(params, lang, machine=True))


def params_sheet(params: Sequence[Param], lang: str) -> Sheet:
    """The 'Parameters' sheet: numbers as numbers in each row's format, dates dd/mm/yyyy."""
    frame = params_frame(params, lang)
    value = frame.columns[1]
    frame[value] = [("—" if _missing(p.value) else p.value) for p in params]
    return Sheet(t("param.sheet", lang), frame, {value: BY_ROW}, freeze_cols=1, row_kinds=tuple(p.kind for p in params))


def _header_text(text: str, limit: int = 100) -> str:
    """Text for an Excel page header: '&' doubled (a single one starts a code)."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("&", "&&")


def print_setup(ws) -> None:
    """A sheet printed as an office prints a list: A4 across, one page wide (as many pages long as
    needed), the header row on every page."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)


def xlsx_workbook(sheets: Sequence[Sheet], *, lang: str = "vi", title: str | None = None,
                  now: datetime | None = None) -> bytes:
    """A workbook for an office, one worksheet per Sheet: bold wrapped header row, frozen with the
    sheet's first columns; numbers stored as numbers in the format of their kind; widths from
    the content; a filter on every table. Printed on A4 landscape, one page wide, the header row
    on every page, the title, sheet name and date above and the page number below. Text is
    never read as a formula or a link."""
    import xlsxwriter

    now = now or datetime.now(timezone.utc)
    title = t("app.title", lang) if title is None else title
    buf = _bytes_io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    head = wb.add_format({"bold": True, "bg_color": "#E8F0E8", "text_wrap": True, "valign": "top", "border": 1})
    formats = {kind: wb.add_format({"num_format": f}) for kind, f in KIND_FORMATS.items() if f}
    page_header = f"&L{_header_text(title)}&C&A&R{_header_text(fmt_datetime(now, lang))}"
    page_footer = "&C" + _header_text(t("xlsx.page", lang, page="\0P", pages="\0N")).replace("\0", "&")
    for sheet in sheets:
        frame = sheet.frame
        ws = wb.add_worksheet(sheet.name[:31])
        ws.freeze_panes(1, sheet.freeze_cols)
        for j, col in enumerate(frame.columns):
            kind = sheet.kind_of(col)
            ws.write_string(0, j, safe_text(str(col)), head)
            shown = [len(str(col)) * 0.8]
            for i, v in enumerate(frame[col].tolist()):
                cell_kind = sheet.row_kinds[i] if kind == BY_ROW else kind
                if _missing(v):
                    continue
                if cell_kind in TEXT_KINDS or not _is_number(v):
                    text = value_text(v, cell_kind, lang) if cell_kind in ("date", "datetime") else str(v)
                    ws.write_string(i + 1, j, safe_text(text))
                else:
                    text = value_text(v, cell_kind, lang)
                    ws.write_number(i + 1, j, float(v), formats[cell_kind])
                if i < 300:
                    shown.append(len(text))
            ws.set_column(j, j, min(max(8, max(shown) + 2), 48))
        ws.set_row(0, 45)
        ws.autofilter(0, 0, max(1, len(frame)), max(0, len(frame.columns) - 1))
        print_setup(ws)
        ws.hide_gridlines(0)  # gridlines on screen and on paper
        ws.set_header(page_header)
        ws.set_footer(page_footer)
    wb.close()
    return buf.getvalue()


def xlsx_bytes(sheet: Sheet, params: Sequence[Param], *, lang: str, now: datetime | None = None) -> bytes:
    """The table and a parameters sheet, as one workbook."""
    return xlsx_workbook([sheet, params_sheet(params, lang)], lang=lang, now=now)


def geojson_bytes(layer: gpd.GeoDataFrame, params: Sequence[Param]) -> bytes:
    """GeoJSON FeatureCollection with a top-level "parameters" member (RFC 7946 foreign member):
    label -> value, numbers as numbers."""
    data = json.loads(layer.to_json(drop_id=True, to_wgs84=True))
    data["parameters"] = {p.label: machine_value(p.value, p.kind) for p in params}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def gpkg_params(params: Sequence[Param], lang: str, field_names: str = "machine") -> pd.DataFrame:
    """The GeoPackage's 'parameters' table: (parameter, value) as text, ISO dates."""
    values = [machine_value(p.value, p.kind) for p in params]
    frame = pd.DataFrame({"parameter": [p.label for p in params],
                          "value": [None if v is None else str(v) for v in values]})
    if check_field_names(field_names) == "machine":
        return frame
    return frame.set_axis([t("param.name", field_names), t("param.value", field_names)], axis=1)


def localise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells NFC and formula-safe."""
    frame = frame.copy()
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].map(safe_text)
    return frame


def rename_fields(layer: gpd.GeoDataFrame, labels: Callable[[str], Mapping[str, str]], field_names: str) -> gpd.GeoDataFrame:
    """The layer with machine field names, or (field_names "vi"/"en") with the names
    `labels(field_names)` gives in place of the machine names it lists; the geometry column keeps
    its name."""
    if check_field_names(field_names) == "machine":
        return layer
    names = {k: v for k, v in labels(field_names).items() if k in layer.columns}
    if len(set(names.values()) | (set(layer.columns) - set(names))) != len(layer.columns):
        raise ValueError(f"field names in {field_names!r} are not unique: {sorted(names.values())}")
    return layer.rename(columns=names)


def ranking_field_labels(lang: str) -> dict[str, str]:
    """Machine field name of the ranking layer -> its name in `lang` (the workbook's headers)."""
    out = {"rank": t("col.rank", lang), "code": t("col.code", lang), "name": t("col.name", lang),
           "children": t("col.children", lang), "score": t("col.score", lang)}
    for c in CRITERIA:
        label = t(f"crit.{c}", lang)
        out[f"{c}_value"] = t("col.value_of", lang, name=label)
        out[f"{c}_points"] = t("col.points_of", lang, name=label)
    return out


def to_csv(ranking: Ranking, package: DataPackage, lang: str) -> bytes:
    sheet = ranking_sheet(ranking, lang)
    return csv_bytes(sheet.frame, sheet.kinds)


def parameters_csv(ranking: Ranking, package: DataPackage, lang: str, *, now: datetime | None = None) -> bytes:
    """The ranking's parameters as a CSV: the second download beside the ranking's CSV."""
    return params_csv_bytes(parameters(ranking, package, lang, now=now), lang)


def to_xlsx(ranking: Ranking, package: DataPackage, lang: str) -> bytes:
    now = datetime.now(timezone.utc)
    return xlsx_bytes(ranking_sheet(ranking, lang), parameters(ranking, package, lang, now=now), lang=lang, now=now)


def ranking_layer(ranking: Ranking, package: DataPackage) -> gpd.GeoDataFrame:
    """Communes with rank, score and contributions (machine column names), in EPSG:4326; counts
    as integers."""
    tab = ranking.table.drop(columns=[f"{c}_scaled" for c in CRITERIA])
    for c, kind in CRITERION_KINDS.items():
        if kind in WHOLE_KINDS and f"{c}_value" in tab.columns:
            tab[f"{c}_value"] = _whole(tab[f"{c}_value"])
    geom = package.communes.set_index("code").geometry
    return gpd.GeoDataFrame(tab, geometry=geom.reindex(tab["code"]).to_numpy(), crs=package.communes.crs)


def to_geojson(ranking: Ranking, package: DataPackage, lang: str, *, field_names: str = "machine") -> bytes:
    layer = rename_fields(ranking_layer(ranking, package), ranking_field_labels, field_names)
    return geojson_bytes(layer, parameters(ranking, package, lang))


def gpkg_layers(ranking: Ranking, package: DataPackage, lang: str, *, field_names: str = "machine") -> dict[str, pd.DataFrame]:
    """Layers of the GeoPackage: 'ranking' (communes) and a 'parameters' table."""
    layer = rename_fields(ranking_layer(ranking, package), ranking_field_labels, field_names)
    return {"ranking": layer, "parameters": gpkg_params(parameters(ranking, package, lang), lang, field_names)}


def render(ranking: Ranking, package: DataPackage, lang: str, ext: str, *, field_names: str = "machine") -> bytes:
    """The export in format `ext` ('.csv', '.xlsx', '.geojson', '.gpkg') as bytes. A CSV holds the
    table only (its parameters: `parameters_csv`); `field_names` names the GeoJSON/GeoPackage
    fields: "machine" (default), "vi" or "en"."""
    ext = check_format(ext)
    check_field_names(field_names)
    if ext == ".gpkg":
        from planner.io import gpkg_bytes

        return gpkg_bytes(gpkg_layers(ranking, package, lang, field_names=field_names))
    if ext == ".geojson":
        return to_geojson(ranking, package, lang, field_names=field_names)
    return {".csv": to_csv, ".xlsx": to_xlsx}[ext](ranking, package, lang)
