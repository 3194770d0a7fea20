"""Priority lists for offices and GIS: CSV (Excel-friendly), XLSX, GeoJSON, GeoPackage.

Every export carries its parameters (weights, radius, data source and date, demo flag). The
functions here build bytes in memory; `planner.io` writes them to disk, whole or not at all.
Text cells that a spreadsheet would run as a formula (=, +, -, @) are neutralised.
"""
from __future__ import annotations

import io as _bytes_io
import json
import unicodedata
from datetime import datetime, timezone

import geopandas as gpd
import pandas as pd

from planner.errors import UsageError
from planner.i18n import t
from planner.package import DataPackage
from planner.ranking import CRITERIA, Ranking

FORMATS = (".csv", ".xlsx", ".geojson", ".gpkg")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def check_format(suffix: str) -> str:
    ext = suffix.lower()
    if ext not in FORMATS:
        raise UsageError("err.export_ext", ext=suffix or "-", known=", ".join(FORMATS))
    return ext


def safe_text(value):
    """NFC text, with a leading ' when a spreadsheet would read it as a formula."""
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFC", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def parameters(ranking: Ranking, package: DataPackage, lang: str, *, now: datetime | None = None) -> list[tuple[str, str]]:
    """(label, value) pairs describing how the ranking was made."""
    now = now or datetime.now(timezone.utc)
    preset = t(f"preset.{ranking.preset}", lang) if ranking.preset else t("preset.custom", lang)
    rows = [(t("param.preset", lang), preset)]
    rows += [(t("param.weight", lang, name=t(f"crit.{c}", lang)), f"{w:.4f}") for c, w in ranking.weights.items()]
    rows += [
        (t("param.radius_m", lang), f"{ranking.radius_m:g}"),
        (t("param.data", lang), package.display_name(lang)),
        (t("param.data_date", lang), str(package.manifest.get("as_of", "—"))),
        (t("param.demo", lang), t("yes", lang) if package.is_demo else t("no", lang)),
        (t("param.created", lang), now.strftime("%Y-%m-%d %H:%M UTC")),
        (t("param.tool", lang), "planner rank"),
    ]
    return [(safe_text(k), safe_text(v)) for k, v in rows]


def ranking_frame(ranking: Ranking, lang: str) -> pd.DataFrame:
    """The ranked table with headers in the user's language: rank, code, name, score, then each
    criterion's value and its points."""
    tab = ranking.table
    cols = {
        t("col.rank", lang): tab["rank"],
        t("col.code", lang): tab["code"],
        t("col.name", lang): tab["name"],
        t("col.score", lang): tab["score"].round(2),
    }
    for c in CRITERIA:
        label = t(f"crit.{c}", lang)
        value = tab[f"{c}_value"]
        if value.dtype == bool:
            value = value.map({True: t("yes", lang), False: t("no", lang)})
        cols[t("col.value_of", lang, name=label)] = value
        cols[t("col.points_of", lang, name=label)] = tab[f"{c}_points"].round(2)
    return localise(pd.DataFrame(cols))


def csv_bytes(frame: pd.DataFrame, params: list[tuple[str, str]]) -> bytes:
    """UTF-8 with BOM (Excel opens it correctly). Parameter lines, each starting with '#', come
    first; then a blank line; then the table."""
    buf = _bytes_io.StringIO()
    for k, v in params:
        buf.write(f"# {k}: {v}\n")
    buf.write("\n")
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8-sig")


def xlsx_workbook(sheets: list[tuple[str, pd.DataFrame, int]]) -> bytes:
    """A workbook for an office, one sheet per (name, table, frozen columns): bold wrapped header
    row frozen, column widths from the content, whole numbers as #,##0, other numbers as 0.00,
    a filter on every table. Text is never read as a formula or a link."""
    import xlsxwriter

    buf = _bytes_io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = wb.add_format({"bold": True, "bg_color": "#E8F0E8", "text_wrap": True, "valign": "top", "border": 1})
    num2 = wb.add_format({"num_format": "0.00"})
    intf = wb.add_format({"num_format": "#,##0"})
    for name, frame, freeze_cols in sheets:
        ws = wb.add_worksheet(name[:31])
        ws.freeze_panes(1, freeze_cols)
        for j, col in enumerate(frame.columns):
            ws.write_string(0, j, safe_text(str(col)), head)
            values = frame[col].tolist()
            numeric = pd.api.types.is_numeric_dtype(frame[col]) and frame[col].dtype != bool
            integral = numeric and all(float(v).is_integer() for v in values)
            fmt = intf if integral else (num2 if numeric else None)
            for i, v in enumerate(values, start=1):
                if numeric:
                    ws.write_number(i, j, float(v), fmt)
                else:
                    ws.write_string(i, j, safe_text(str(v)))
            width = max([len(str(col)) * 0.8] + [len(str(v)) for v in values[:200]])
            ws.set_column(j, j, min(max(8, width + 2), 48))
        ws.set_row(0, 45)
        ws.autofilter(0, 0, max(1, len(frame)), max(0, len(frame.columns) - 1))
    wb.close()
    return buf.getvalue()


def params_frame(params: list[tuple[str, str]], lang: str) -> pd.DataFrame:
    return pd.DataFrame(params, columns=[t("param.name", lang), t("param.value", lang)])


def xlsx_bytes(frame: pd.DataFrame, params: list[tuple[str, str]], *, sheet: str, lang: str, freeze_cols: int = 3) -> bytes:
    """The table and a parameters sheet, as one workbook."""
    return xlsx_workbook([(sheet, frame, freeze_cols), (t("param.sheet", lang), params_frame(params, lang), 1)])


def geojson_bytes(layer: gpd.GeoDataFrame, params: list[tuple[str, str]]) -> bytes:
    """GeoJSON FeatureCollection with a top-level "parameters" member (RFC 7946 foreign member)."""
    data = json.loads(layer.to_json(drop_id=True, to_wgs84=True))
    data["parameters"] = dict(params)
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def localise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells NFC and formula-safe."""
    frame = frame.copy()
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].map(safe_text)
    return frame


def to_csv(ranking: Ranking, package: DataPackage, lang: str) -> bytes:
    return csv_bytes(ranking_frame(ranking, lang), parameters(ranking, package, lang))


def to_xlsx(ranking: Ranking, package: DataPackage, lang: str) -> bytes:
    return xlsx_bytes(ranking_frame(ranking, lang), parameters(ranking, package, lang), sheet=t("sheet.ranking", lang), lang=lang)


def ranking_layer(ranking: Ranking, package: DataPackage) -> gpd.GeoDataFrame:
    """Communes with rank, score and contributions (machine column names), in EPSG:4326."""
    tab = ranking.table.drop(columns=[f"{c}_scaled" for c in CRITERIA])
    geom = package.communes.set_index("code").geometry
    return gpd.GeoDataFrame(tab, geometry=geom.reindex(tab["code"]).to_numpy(), crs=package.communes.crs)


def to_geojson(ranking: Ranking, package: DataPackage, lang: str) -> bytes:
    return geojson_bytes(ranking_layer(ranking, package), parameters(ranking, package, lang))


def gpkg_layers(ranking: Ranking, package: DataPackage, lang: str) -> dict[str, pd.DataFrame]:
    """Layers of the GeoPackage: 'ranking' (communes) and a 'parameters' table."""
    params = pd.DataFrame(parameters(ranking, package, lang), columns=["parameter", "value"])
    return {"ranking": ranking_layer(ranking, package), "parameters": params}


def render(ranking: Ranking, package: DataPackage, lang: str, ext: str) -> bytes:
    """The export in format `ext` ('.csv', '.xlsx', '.geojson', '.gpkg') as bytes."""
    ext = check_format(ext)
    if ext == ".gpkg":
        from planner.io import gpkg_bytes

        return gpkg_bytes(gpkg_layers(ranking, package, lang))
    return {".csv": to_csv, ".xlsx": to_xlsx, ".geojson": to_geojson}[ext](ranking, package, lang)
