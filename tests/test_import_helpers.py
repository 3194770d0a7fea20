"""Builders shared by the import tests (files made in memory or in tmp_path); no tests here."""
from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from shapely.geometry import Point

from planner import encodings
from planner.importing import ImportSource, prepare_import

# Real places in Lai Châu (official centres): code, name, lon, lat
DOAN_KET = ("03388", "Phường Đoàn Kết", 103.397, 22.4412)
BINH_LU = ("03390", "Xã Bình Lư", 103.678, 22.3532)
VILLAGE_HEADER = ["Mã", "Tên thôn", "Mã xã", "Dân số", "Trẻ em", "Kinh độ", "Vĩ độ"]


def village_rows(n: int = 4) -> list[list]:
    """`n` valid village rows around Đoàn Kết (a few hundred metres apart)."""
    code, _, lon, lat = DOAN_KET
    return [[f"V{i + 1:02d}", f"Bản Nà Xẻ {i + 1}", code, 100 + i, 30 + i, round(lon + 0.003 * i, 6), round(lat + 0.002 * i, 6)]
            for i in range(n)]


def csv_bytes(rows: list[list], *, delimiter: str = ",", encoding: str = "utf-8", bom: bool = False) -> bytes:
    """A CSV file; cells are written as given (no quoting unless they hold the delimiter)."""
    lines = []
    for row in rows:
        cells = ["" if c is None else str(c) for c in row]
        lines.append(delimiter.join('"' + c.replace('"', '""') + '"' if delimiter in c or '"' in c else c for c in cells))
    text = "\r\n".join(lines) + "\r\n"
    data = encodings.encode(text, encoding) if encoding in ("cp1258", "tcvn3", "vni") else text.encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def villages_csv(rows: list[list] | None = None, **kw) -> bytes:
    return csv_bytes([VILLAGE_HEADER] + (village_rows() if rows is None else rows), **kw)


def validate(name: str, data: bytes, kind: str, **kw):
    """The plan for one file checked on its own (what `planner validate` does)."""
    return prepare_import([ImportSource(kind, name, data, **kw)], complete=False)


def keys(plan) -> list[str]:
    return [p.key for p in plan.problems]


def the(plan, key: str):
    """The one problem with `key` (fails listing what there is otherwise)."""
    found = [p for p in plan.problems if p.key == key]
    assert len(found) == 1, (key, [(p.key, p.message("en")) for p in plan.problems])
    return found[0]


def zip_bytes(entries: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def shapefile_entries(tmp: Path, gdf: gpd.GeoDataFrame, *, stem: str = "layer", folder: str = "",
                      raw_encoding: str | None = None, drop: tuple[str, ...] = (".cpg",)) -> dict[str, bytes]:
    """The files of a shapefile as zip entries. With `raw_encoding`, text attributes are stored as
    that encoding's bytes (written through Latin-1, byte for byte) and no .cpg says so."""
    out = gdf.copy()
    if raw_encoding:
        for c in out.columns:
            if c != out.geometry.name and pd.api.types.is_string_dtype(out[c]):
                out[c] = out[c].map(lambda v: encodings.encode(v, raw_encoding).decode("latin-1") if isinstance(v, str) else v)
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / f"{stem}.shp"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a layer written without a CRS on purpose
        pyogrio.write_dataframe(out, path, encoding="latin1" if raw_encoding else "UTF-8")
    prefix = f"{folder}/" if folder else ""
    return {f"{prefix}{p.name}": p.read_bytes() for p in sorted(tmp.iterdir())
            if p.stem == stem and p.suffix.lower() not in drop}


def points_gdf(rows: list[dict], crs="EPSG:4326") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=[Point(r.pop("_x"), r.pop("_y")) for r in rows], crs=crs)
