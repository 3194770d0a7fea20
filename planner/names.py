"""Commune names as people write them: without diacritics, in any case, with or without "Xã"/"P."/"TT",
before or after the July 2025 merger. Matching is exact on a folded key; what fails gets the closest
candidates (difflib)."""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

CODE_WIDTH = 5  # commune-level codes are five digits ("03388"); spreadsheets drop leading zeros
_PREFIX = re.compile(r"^(?:(xã|xa|phường|phuong|thị trấn|thi tran|thị xã|thi xa|tt)\s+|(x|p|tt)\.\s*)")
_CANONICAL = {"xã": "xa", "xa": "xa", "x": "xa", "phường": "phuong", "phuong": "phuong", "p": "phuong",
              "thị trấn": "thi tran", "thi tran": "thi tran", "tt": "thi tran", "thị xã": "thi xa", "thi xa": "thi xa"}
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lowercase ASCII words: no diacritics, đ -> d, punctuation as spaces ("Phường  Đoàn-Kết" -> "phuong doan ket")."""
    text = unicodedata.normalize("NFD", str(text).casefold().replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", text).strip()


def split_prefix(text: str) -> tuple[str, str]:
    """(canonical prefix or "", the name without it): "TT. Mường Tè" -> ("thi tran", "mường tè")."""
    text = " ".join(unicodedata.normalize("NFC", str(text)).split())
    m = _PREFIX.match(text.casefold())
    if not m:
        return "", text
    return _CANONICAL[m.group(1) or m.group(2)], text.casefold()[m.end():]


def strip_prefix(text: str) -> str:
    """The name without a leading unit prefix ("Xã", "xa", "X.", "Phường", "P.", "Thị trấn", "TT")."""
    return split_prefix(text)[1]


def name_keys(text: str) -> tuple[str, ...]:
    """Keys to look a name up by, best first: with its prefix spelled out ("thi tran muong te"),
    without it ("muong te"), then as written."""
    prefix, bare = split_prefix(text)
    keys = (f"{prefix} {fold(bare)}" if prefix and fold(bare) else "", fold(bare), fold(text))
    return tuple(dict.fromkeys(k for k in keys if k))


def _levels(text: str, *, query_side: bool = False) -> list[tuple[int, str]]:
    """(level, key) pairs, most exact first: 0 full name as spelled, 1 full name folded, 2 bare name as
    spelled, 3 bare name folded, 4 (queries only) everything folded as written."""
    prefix, bare = split_prefix(text)
    exact = " ".join(bare.casefold().split())
    out = []
    if prefix and exact:
        out += [(0, f"{prefix}|{exact}"), (1, f"{prefix} {fold(bare)}")]
    out += [(2, exact), (3, fold(bare))]
    if query_side:
        out.append((3, fold(text)))
    return [(level, key) for level, key in out if key and not key.endswith("|")]


def normalize_code(value, *, width: int = CODE_WIDTH) -> str | None:
    """A code as text with its leading zeros back ("3388", 3388, "3388.0" -> "03388"); None when empty."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    if not text:
        return None
    return text.zfill(width) if text.isdigit() and len(text) < width else text


@dataclass(frozen=True)
class NameMatch:
    """How one written name or code resolved: to a current code (directly or through a pre-2025 unit)."""

    query: str
    code: str | None
    name: str | None = None
    via: str = ""  # "code", "name", "legacy_code", "legacy_name" or "" when unmatched
    candidates: tuple[str, ...] = ()

    @property
    def matched(self) -> bool:
        return self.code is not None


@dataclass(frozen=True)
class NameIndex:
    """Current units (code -> name) and pre-2025 units (code, name, current code) to resolve against."""

    current: tuple[tuple[str, str], ...]
    legacy: tuple[tuple[str, str, str], ...] = ()

    @property
    def _tables(self):
        cached = self.__dict__.get("_cache")
        if cached is None:
            cur = {c: n for c, n in self.current}
            leg = {c: t for c, _, t in self.legacy if t in cur}
            tables: dict[tuple[str, int], dict[str, set[str]]] = {}
            for which, rows in (("cur", [(n, c) for c, n in self.current]), ("leg", [(n, t) for _, n, t in self.legacy if t in cur])):
                for name, target in rows:
                    for level, key in _levels(name):
                        tables.setdefault((which, level), {}).setdefault(key, set()).add(target)
            cached = (cur, leg, tables)
            object.__setattr__(self, "_cache", cached)
        return cached

    def resolve(self, value, *, prefer_legacy: bool = False) -> NameMatch:
        """The current unit `value` (a code or a name, current or pre-2025) stands for. Exact spellings
        come before folded ones and full names ("Thị trấn Mường Tè") before bare ones ("Mường Tè"); an
        ambiguous name is not guessed. A name that is both current and pre-2025 goes to the current unit
        unless `prefer_legacy` (for lists written before July 2025)."""
        cur, leg, tables = self._tables
        query = "" if value is None else str(value).strip()
        code = normalize_code(value)
        if code in cur:
            return NameMatch(query, code, cur[code], "code")
        if code in leg:
            return NameMatch(query, leg[code], cur[leg[code]], "legacy_code")
        order = ("leg", "cur") if prefer_legacy else ("cur", "leg")
        for level, key in _levels(query, query_side=True):
            for which in order:
                targets = tables.get((which, level), {}).get(key, set())
                if len(targets) == 1:
                    target = next(iter(targets))
                    return NameMatch(query, target, cur[target], "name" if which == "cur" else "legacy_name")
                if len(targets) > 1:
                    return NameMatch(query, None, candidates=tuple(sorted(cur[t] for t in targets)))
        return NameMatch(query, None, candidates=self.closest(query))

    def closest(self, query: str, *, n: int = 3) -> tuple[str, ...]:
        """Up to `n` current or pre-2025 names most like `query` (difflib ratio >= 0.6)."""
        names = [name for _, name in self.current] + [name for _, name, _ in self.legacy]
        keyed: dict[str, str] = {}
        for name in names:
            keyed.setdefault(fold(strip_prefix(name)), name)
        keys = name_keys(query)
        found = difflib.get_close_matches(keys[0], list(keyed), n=n, cutoff=0.6) if keys else []
        return tuple(keyed[k] for k in found)


@lru_cache(maxsize=4)
def official_index(province: str = "Lai Châu") -> NameIndex:
    """The official current and pre-2025 units of `province`, with the 2025 old-to-new mapping."""
    from planner.admin_units import province_units

    units = province_units(province)
    code_by_key = {u.key: u.code for u in units.current}
    return NameIndex(
        current=tuple((u.code, u.name) for u in units.current),
        legacy=tuple((u.code, u.name, code_by_key[u.new_key]) for u in units.legacy),
    )


def index_for(communes: list[tuple[str, str]], *, province: str = "Lai Châu") -> NameIndex:
    """An index over the given (code, name) communes, plus the official pre-2025 names of those codes."""
    legacy = official_index(province).legacy
    codes = {c for c, _ in communes}
    return NameIndex(current=tuple(communes), legacy=tuple(row for row in legacy if row[2] in codes))
