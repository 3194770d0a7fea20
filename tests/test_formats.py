"""planner.formats: Vietnamese and English numbers, money, dates and coordinate systems, checked by hand."""
from datetime import date, datetime, timezone

import pandas as pd
import pytest

from planner.formats import (crs_words, fmt_date, fmt_datetime, fmt_int, fmt_num, fmt_pct, fmt_vnd, fmt_vnd_short,
                             styled, value_text, vega_locale)


@pytest.mark.parametrize("value, vi, en", [
    (0, "0", "0"), (999, "999", "999"), (1000, "1.000", "1,000"), (1234567, "1.234.567", "1,234,567"),
    (2.5, "3", "3"), (-2.5, "-3", "-3"), (6322.0, "6.322", "6,322"), (float("nan"), "—", "—"),
])
def test_whole_numbers(value, vi, en):
    assert fmt_int(value, "vi") == vi and fmt_int(value, "en") == en


def test_decimals_and_shares():
    assert fmt_num(72.46, "vi") == "72,5" and fmt_num(72.46, "en") == "72.5"
    assert fmt_num(1234.5, "vi", 2) == "1.234,50" and fmt_num(1234.5, "en", 2) == "1,234.50"
    assert fmt_num(20.0, "vi", 2, trim=True) == "20" and fmt_num(1.25, "vi", 2, trim=True) == "1,25"
    assert fmt_num(-0.04, "vi") == "0,0"  # never "-0,0"
    assert fmt_pct(0.2368, "vi") == "23,7%" and fmt_pct(0.2368, "en") == "23.7%"
    assert fmt_pct(0.3, "vi", trim=True) == "30%" and fmt_pct(0.843, "vi", trim=True) == "84,3%"
    assert fmt_pct(0.012345, "vi", 2) == "1,23%"


def test_money():
    assert fmt_vnd(1_500_000_000, "vi") == "1.500.000.000 ₫" and fmt_vnd(1_500_000_000, "en") == "VND 1,500,000,000"
    assert fmt_vnd_short(20e9, "vi") == "20 tỷ đồng" and fmt_vnd_short(1.5e9, "vi") == "1,5 tỷ đồng"
    assert fmt_vnd_short(1.25e9, "vi") == "1,25 tỷ đồng" and fmt_vnd_short(1.25e9, "en") == "VND 1.25 billion"
    assert fmt_vnd_short(850e6, "vi") == "850 triệu đồng" and fmt_vnd_short(500_000, "vi") == "500.000 đồng"
    assert fmt_vnd_short(0, "vi") == "0 đồng"


def test_times_are_vietnams():
    utc = datetime(2026, 12, 1, 18, 30, tzinfo=timezone.utc)  # 01:30 the next day in Hà Nội
    assert fmt_datetime(utc, "vi") == "02/12/2026 01:30"
    assert fmt_datetime("2026-12-01T18:30:00+00:00", "vi") == "02/12/2026 01:30"
    assert fmt_datetime("2026-12-01T18:30:00", "vi") == "02/12/2026 01:30"  # the store writes UTC
    assert fmt_datetime(utc, "en") == "2 Dec 2026, 01:30"
    assert fmt_datetime("", "vi") == "—" and fmt_datetime("not a date", "vi") == "not a date"
    assert fmt_date("2025-07-01", "vi") == "01/07/2025" and fmt_date(date(2025, 7, 1), "en") == "1 Jul 2025"


def test_coordinate_systems_in_words():
    assert crs_words("EPSG:9205", "vi") == "VN-2000, kinh tuyến trục 103°00′, múi 3° (EPSG:9205)"
    assert crs_words("epsg:32648", "en") == "WGS 84, UTM zone 48N (EPSG:32648)"
    assert crs_words("EPSG:2154", "vi") == "RGF93 v1 / Lambert-93 (EPSG:2154)"  # PROJ's own name
    assert crs_words(None, "vi") == "—"


def test_tables_show_the_readers_way_and_keep_their_numbers():
    frame = pd.DataFrame({"name": ["Xã A", "Xã B"], "children": [38973, 7075], "share": [0.442, 0.05], "cost": [1.5e9, 0]})
    shown = styled(frame, {"name": "text", "children": "int", "share": "pct", "cost": "vnd"}, "vi")
    html = shown.to_html()
    for text in ("38.973", "7.075", "44,2%", "5,0%", "1.500.000.000 ₫", "0 ₫"):
        assert text in html
    assert shown.data["children"].tolist() == [38973, 7075]  # sorted as numbers by the grid
    assert "38,973" in styled(frame, {"children": "int"}, "en").to_html()
    assert value_text(None, "int", "vi") == "—" and value_text(2026, "year", "vi") == "2026"
    assert value_text(103.534, "coord", "vi") == "103,534000" and value_text(0.0123, "pct2", "vi") == "1,23%"


def test_charts_follow_the_interface():
    assert vega_locale("vi")["number"]["decimal"] == "," and vega_locale("vi")["number"]["thousands"] == "."
    assert vega_locale("en")["number"]["decimal"] == "."
