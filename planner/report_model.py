"""What the periodic report says, as plain values: every text and figure already written in the
reader's language. `planner.periodic_report` fills it from the progress figures;
`planner.report_files` lays it out as DOCX and PDF. The tables here are the tables the app shows
and the CLI prints, so the three cannot disagree.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""  # a line under the table (source, what "—" means)
    numeric: tuple[int, ...] = ()  # column positions to right-align


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    chart: bool = False  # the progress chart goes at the end of this section
    map: bool = False  # the map goes at the end of this section


@dataclass(frozen=True)
class ChartData:
    """The share of communes with a point at each year's end, against the targets."""

    title: str
    years: tuple[int, ...]
    shares: tuple[float | None, ...]  # 0..1 per year; None for years not yet reached
    targets: tuple[tuple[int, float, str], ...]  # (year, share, label) e.g. (2025, 0.30, "Chỉ tiêu 2025: 30%")
    planned: tuple[float | None, ...] = ()  # the chosen scenario's share per year, when one is chosen
    series_label: str = ""  # "Đã đạt (thực tế)"
    planned_label: str = ""  # "Theo kịch bản …"
    y_label: str = ""  # "Tỷ lệ xã có điểm (%)"
    lang: str = "vi"


@dataclass(frozen=True)
class MapData:
    """Communes shaded by whether they have a point in use at the period's end; points in use and
    the points opened in the period."""

    title: str
    communes: gpd.GeoDataFrame  # EPSG:4326; columns code, name, has_point (bool), geometry
    in_use: gpd.GeoDataFrame  # EPSG:4326 points in use at the period's end: id, name, geometry
    opened: gpd.GeoDataFrame  # EPSG:4326 points opened in the period: id, name, geometry
    legend: dict = field(default_factory=dict)  # "has_point", "no_point", "in_use", "opened" -> label
    note: str = ""  # e.g. "Dữ liệu minh họa"
    lang: str = "vi"


@dataclass(frozen=True)
class ReportContent:
    lang: str
    issuer: tuple[str, ...]  # top left, centred: e.g. ("TỈNH ỦY LAI CHÂU", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "*", "Số: …")
    motto: tuple[str, ...]  # top right, centred: e.g. ("ĐẢNG CỘNG SẢN VIỆT NAM", "", "Lai Châu, ngày 01 tháng 12 năm 2026")
    title: str  # "BÁO CÁO"
    subtitle: str  # "Kết quả thực hiện … năm 2025"
    intro: tuple[str, ...]  # paragraphs before the sections (period, data, reach rule, demo notice)
    sections: tuple[Section, ...]
    chart: ChartData
    map: MapData
    closing: tuple[str, ...] = ()  # "Nơi nhận: …" lines
    signer: tuple[str, ...] = ()  # the signature block (right): role, blank, name placeholder
    doc_title: str = ""  # the file's title property
    doc_author: str = ""  # the file's author property
    doc_subject: str = ""
