"""Official administrative units of a province, before and after the July 2025 reform.

Facts (names, codes, kinds, centres, areas, old-to-new mapping) come from the PyPI package
`vietnamadminunits` (MIT). Nothing here is invented; the demo builds on these facts.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

KIND_BY_TYPE = {"Xã": "xã", "Phường": "phường", "Thị trấn": "thị trấn"}


@dataclass(frozen=True)
class CurrentUnit:
    """A commune-level unit after 1 July 2025."""

    key: str
    code: str
    name: str
    kind: str
    lat: float
    lon: float
    area_km2: float


@dataclass(frozen=True)
class LegacyUnit:
    """A commune-level unit before 1 July 2025, with the current unit it merged into."""

    key: str
    code: str
    name: str
    kind: str
    district: str
    lat: float
    lon: float
    new_key: str


@dataclass(frozen=True)
class ProvinceUnits:
    province: str
    current: tuple[CurrentUnit, ...]
    legacy: tuple[LegacyUnit, ...]

    def current_by_key(self) -> dict[str, CurrentUnit]:
        return {u.key: u for u in self.current}


_PREFIXES = ("Thành phố ", "Thị trấn ", "Thị xã ", "Huyện ", "Xã ", "Phường ", "Tỉnh ")


def tidy_name(text: str) -> str:
    """NFC text with each syllable of the proper name capitalised ("Xã Pa ủ" -> "Xã Pa Ủ")."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    prefix = next((p for p in _PREFIXES if text.startswith(p)), "")
    rest = text[len(prefix):]
    return prefix + " ".join(w[:1].upper() + w[1:] for w in rest.split(" "))


@lru_cache(maxsize=8)
def province_units(province_short: str = "Lai Châu") -> ProvinceUnits:
    """Current and pre-2025 commune-level units of one province, ordered by code."""
    from vietnamadminunits.converter import converter_2025 as conv
    from vietnamadminunits.database import query

    safe = province_short.replace("'", "''")
    cur_rows = query(
        "SELECT DISTINCT provinceKey, province, ward, wardType, wardCode, wardLat, wardLon, "
        f"wardAreaKm2, wardKey FROM admin_units WHERE provinceShort = '{safe}'"
    )
    if not cur_rows:
        raise KeyError(province_short)
    prov_key = cur_rows[0]["provinceKey"]
    current = tuple(
        sorted(
            (
                CurrentUnit(
                    key=r["wardKey"],
                    code=r["wardCode"],
                    name=tidy_name(r["ward"]),
                    kind=KIND_BY_TYPE[r["wardType"]],
                    lat=float(r["wardLat"]),
                    lon=float(r["wardLon"]),
                    area_km2=float(r["wardAreaKm2"]),
                )
                for r in cur_rows
            ),
            key=lambda u: u.code,
        )
    )
    mapping = conv.DICT_PROVINCE_WARD_NO_DIVIDED[prov_key]
    old_to_new = {old: new for new, olds in mapping.items() for old in olds}
    leg_rows = query(
        "SELECT DISTINCT provinceKey, district, districtKey, ward, wardKey, wardType, wardCode, "
        f"wardLat, wardLon FROM admin_units_legacy WHERE provinceShort = '{safe}'"
    )
    legacy = []
    for r in leg_rows:
        full_key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"
        legacy.append(
            LegacyUnit(
                key=full_key,
                code=r["wardCode"],
                name=tidy_name(r["ward"]),
                kind=KIND_BY_TYPE[r["wardType"]],
                district=tidy_name(r["district"]),
                lat=float(r["wardLat"]),
                lon=float(r["wardLon"]),
                new_key=old_to_new[full_key],
            )
        )
    return ProvinceUnits(
        province=tidy_name(cur_rows[0]["province"]),
        current=current,
        legacy=tuple(sorted(legacy, key=lambda u: u.code)),
    )
