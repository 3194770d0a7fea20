"""Numbers, money, dates and coordinate systems as the reader's office writes them.

Babel's CLDR data gives the separators (vi: 1.234.567,5 and 23,7%; en: 1,234,567.5 and 23.7%);
times are shown in Vietnam's time (Asia/Ho_Chi_Minh) whatever the server's clock says. Nothing
here depends on the browser's locale: the Vietnamese interface reads the same on any machine.
"""
from __future__ import annotations

import math
import numbers
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import numpy as np
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent
from pandas import NA, NaT

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LOCALES = {"vi": "vi_VN", "en": "en_US"}
BILLION = 1_000_000_000
MILLION = 1_000_000


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["vi"])


def _pattern(digits: int, *, fixed: bool = True) -> str:
    if digits <= 0:
        return "#,##0"
    return "#,##0." + ("0" if fixed else "#") * digits


def fmt_int(value: float, lang: str = "vi") -> str:
    """12345 -> '12.345' (vi) or '12,345' (en); rounded half away from zero, '—' for no value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    whole = math.floor(abs(value) + 0.5) * (1 if value >= 0 else -1)
    return format_decimal(whole, format="#,##0", locale=locale_of(lang))


def fmt_num(value: float, lang: str = "vi", digits: int = 1, *, trim: bool = False) -> str:
    """72.46 -> '72,5' (vi) or '72.5' (en); with `trim`, trailing zeros dropped (20.0 -> '20')."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    value = round(value, digits) + 0.0  # no '-0,0'
    return format_decimal(value, format=_pattern(digits, fixed=not trim), locale=locale_of(lang))


def fmt_pct(share: float, lang: str = "vi", digits: int = 1, *, trim: bool = False) -> str:
    """0.2368 -> '23,7%' (vi) or '23.7%' (en); with `trim`, 0.30 -> '30%' (a target as decreed)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    pattern = "#,##0%" if digits <= 0 else "#,##0." + ("#" if trim else "0") * digits + "%"
    return format_percent(share, format=pattern, locale=locale_of(lang))


def fmt_vnd(value: float, lang: str = "vi") -> str:
    """1250000000 -> '1.250.000.000 ₫' (vi) or 'VND 1,250,000,000' (en)."""
    text = fmt_int(value, lang)
    return f"{text} ₫" if lang == "vi" else f"VND {text}"


def fmt_vnd_short(value: float, lang: str = "vi") -> str:
    """Money in billions, at most two decimals, no trailing zeros: 20e9 -> '20 tỷ đồng',
    1.25e9 -> '1,25 tỷ đồng' (vi); 'VND 1.25 billion' (en). Below one million: '850.000 đồng'."""
    if abs(value) < MILLION:
        return f"{fmt_int(value, lang)} đồng" if lang == "vi" else f"VND {fmt_int(value, lang)}"
    if abs(value) < BILLION:
        text = fmt_num(value / MILLION, lang, 2, trim=True)
        return f"{text} triệu đồng" if lang == "vi" else f"VND {text} million"
    text = fmt_num(value / BILLION, lang, 2, trim=True)
    return f"{text} tỷ đồng" if lang == "vi" else f"VND {text} billion"


def as_datetime(value) -> datetime | None:
    """A datetime from a datetime or an ISO text; a naive one is taken as UTC (how the store writes)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def fmt_datetime(value, lang: str = "vi") -> str:
    """A moment as Vietnam's offices write it: '01/12/2026 18:24' (Asia/Ho_Chi_Minh); English
    '1 Dec 2026, 18:24'. An unreadable value is returned as given."""
    moment = as_datetime(value)
    if moment is None:
        return "—" if value in (None, "") else str(value)
    pattern = "dd/MM/yyyy HH:mm" if lang == "vi" else "d MMM yyyy, HH:mm"
    return format_datetime(moment, pattern, tzinfo=VN_TZ, locale=locale_of(lang))


def fmt_date(value, lang: str = "vi") -> str:
    """A day: '01/12/2026' (vi) or '1 Dec 2026' (en); an ISO text or a date."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.astimezone(VN_TZ).date() if value.tzinfo else value.date()
    if not isinstance(value, date):
        return "—" if value in (None, "") else str(value)
    return format_date(value, "dd/MM/yyyy" if lang == "vi" else "d MMM yyyy", locale=locale_of(lang))


_CRS_WORDS = {
    "EPSG:4326": ("WGS 84, kinh độ/vĩ độ (EPSG:4326)", "WGS 84, longitude/latitude (EPSG:4326)"),
    "EPSG:4756": ("VN-2000, kinh độ/vĩ độ (EPSG:4756)", "VN-2000, longitude/latitude (EPSG:4756)"),
    "EPSG:9205": ("VN-2000, kinh tuyến trục 103°00′, múi 3° (EPSG:9205)",
                  "VN-2000, central meridian 103°00′, 3° zone (EPSG:9205)"),
    "EPSG:3405": ("VN-2000, UTM múi 48N (EPSG:3405)", "VN-2000, UTM zone 48N (EPSG:3405)"),
    "EPSG:3406": ("VN-2000, UTM múi 49N (EPSG:3406)", "VN-2000, UTM zone 49N (EPSG:3406)"),
    "EPSG:32648": ("WGS 84, UTM múi 48N (EPSG:32648)", "WGS 84, UTM zone 48N (EPSG:32648)"),
    "EPSG:32649": ("WGS 84, UTM múi 49N (EPSG:32649)", "WGS 84, UTM zone 49N (EPSG:32649)"),
}


def crs_words(code: str | None, lang: str = "vi") -> str:
    """A coordinate system in words: 'VN-2000, kinh tuyến trục 103°00′, múi 3° (EPSG:9205)'.
    A code the table does not know keeps its name from PROJ, with the code."""
    if not code:
        return "—"
    key = str(code).upper()
    if key in _CRS_WORDS:
        return _CRS_WORDS[key][1 if lang == "en" else 0]
    try:
        from pyproj import CRS
        return f"{CRS.from_user_input(code).name} ({code})"
    except Exception:  # noqa: BLE001 - a name is a nicety; the code itself is still right
        return str(code)


def vega_locale(lang: str) -> dict:
    """Vega-Lite's `config.locale` so that chart axes and tooltips follow the interface, not the
    browser: decimal comma and dot thousands in Vietnamese."""
    if lang == "en":
        number = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", " VND"]}
    else:
        number = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]}
    return {"number": number}


def is_missing(value) -> bool:
    """None, NaN, pandas' NA or NaT: a cell with no value."""
    if value is None or value is NA or value is NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def value_text(value, kind: str, lang: str = "vi") -> str:
    """A value of a kind ("int", "pct", "pct2", "vnd", "num1", "num2", "year", "coord", "date",
    "datetime", "text"; anything else: up to four decimals) as a person reads it; '—' when not set."""
    if is_missing(value):
        return "—"
    if kind == "datetime":
        return fmt_datetime(value, lang)
    if kind == "date":
        return fmt_date(value, lang)
    if not isinstance(value, numbers.Real) or isinstance(value, (bool, np.bool_)):
        return str(value)
    if kind == "int":
        return fmt_int(value, lang)
    if kind == "vnd":
        return fmt_vnd(value, lang)
    if kind in ("pct", "pct2"):
        return fmt_pct(value, lang, digits=2 if kind == "pct2" else 1)
    if kind in ("num1", "num2"):
        return fmt_num(value, lang, int(kind[-1]))
    if kind == "year":
        return str(int(value))
    if kind == "coord":
        return fmt_num(value, lang, 6)
    return fmt_num(value, lang, 4, trim=True)


def styled(frame, kinds: dict, lang: str):
    """`frame` shown the reader's way on screen: a pandas Styler whose display text is each
    column's kind (see `value_text`) while the cells keep their numbers, so a click on a column
    header sorts 9 before 10 and 7.075 before 10.373. Streamlit's grid would otherwise format with
    the browser's locale (an en-US browser shows 38,973)."""
    return frame.style.format({col: (lambda v, k=kind: value_text(v, k, lang))
                               for col, kind in kinds.items() if kind != "text" and col in frame.columns})


def both(name: str, value: float, how) -> dict:
    """A figure written the Vietnamese and the English way, for a message's parameters (`name` and
    `name_en`; `planner.errors` picks the reader's)."""
    return {name: how(value, "vi"), f"{name}_en": how(value, "en")}
