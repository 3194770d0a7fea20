"""Vietnamese text encodings: UTF-8, Windows-1258, TCVN3 (ABC) and VNI-Windows, detected by score.

TCVN3 and VNI-Windows are font encodings with no Python codec. Their tables below follow the
published charts: TCVN3 puts each precomposed lowercase letter in one byte (capitals with tone
marks need a separate capital font, so they decode as lowercase); VNI-Windows writes a base
letter followed by a byte for the diacritics. Everything decodes to Unicode NFC.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

UTF8, UTF8_SIG, CP1258, TCVN3, VNI = "utf-8", "utf-8-sig", "cp1258", "tcvn3", "vni"
ENCODINGS = (UTF8, UTF8_SIG, CP1258, TCVN3, VNI)
LEGACY = (CP1258, TCVN3, VNI)  # tried, in this order of preference, when UTF-8 fails
ALIASES = {
    "utf8": UTF8, "utf-8": UTF8, "utf_8": UTF8, "utf-8-sig": UTF8_SIG, "utf8-sig": UTF8_SIG,
    "cp1258": CP1258, "windows-1258": CP1258, "1258": CP1258, "tcvn3": TCVN3, "abc": TCVN3,
    "tcvn": TCVN3, "vni": VNI, "vni-windows": VNI,
}

# --- TCVN3 (ABC): byte -> letter --------------------------------------------------------------
_TCVN3_CHART = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
TCVN3_TO_UNICODE: dict[int, str] = dict(_TCVN3_CHART)  # other bytes read as Latin-1
UNICODE_TO_TCVN3: dict[str, int] = {ch: b for b, ch in _TCVN3_CHART.items()}

# --- VNI-Windows: base letter + diacritic byte(s) -> letter ----------------------------------
_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_CIRCUMFLEX = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}


def _vni_chart() -> dict[str, str]:
    """Every VNI-Windows sequence (as Latin-1 text) and its letter, lowercase and capital."""
    nfc = lambda s: unicodedata.normalize("NFC", s)
    lower: dict[str, str] = dict(_VNI_SINGLE)
    for base in "aeouy":
        for mark, tone in _TONES.items():
            if not (base == "y" and mark == "ï"):  # ỵ is the single byte î
                lower[base + mark] = nfc(base + tone)
    for base in "aeo":
        for mark, tone in _CIRCUMFLEX.items():
            lower[base + mark] = nfc(base + "\u0302" + tone)
    for mark, tone in _BREVE.items():
        lower["a" + mark] = nfc("a\u0306" + tone)
    for horn, letter in (("ô", "ơ"), ("ö", "ư")):
        for mark, tone in _TONES.items():
            lower[horn + mark] = nfc(letter + tone)
    upper = {seq.upper(): letter.upper() for seq, letter in lower.items()}
    return lower | upper


VNI_TO_UNICODE: dict[str, str] = _vni_chart()
UNICODE_TO_VNI: dict[str, str] = {}
for _seq, _letter in sorted(VNI_TO_UNICODE.items(), key=lambda kv: len(kv[0])):
    UNICODE_TO_VNI.setdefault(_letter, _seq)
_VNI_RE = re.compile("|".join(re.escape(s) for s in sorted(VNI_TO_UNICODE, key=len, reverse=True)))

# --- Vietnamese syllables, for scoring ---------------------------------------------------------
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[aăâeêioôơuưy]{1,3}(ch|ng|nh|[cmnpt])?"
)
_SPLIT = re.compile(r"[\s0-9!-/:-@\[-`{-~]+")


def is_syllable(word: str) -> bool:
    """Whether `word` is spelled like one Vietnamese syllable (at most one tone mark)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(c in TONE_MARKS for c in decomposed) > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    return _SYLLABLE.fullmatch(toneless) is not None


def score(text: str, *, max_words: int = 3000) -> float:
    """Share of the words holding non-ASCII letters that are valid Vietnamese syllables (1.0 if none)."""
    words = [w for w in _SPLIT.split(text) if w and not w.isascii()][:max_words]
    if not words:
        return 1.0
    return sum(is_syllable(w) for w in words) / len(words)


_CAPS_WORD = re.compile(r"\w*[A-ZĂÂÊÔƠƯĐ]\w*")


def _caps(m: re.Match) -> str:
    """A TCVN3 word in capitals whose toned letters came out lowercase ("ĐấT" -> "ĐẤT")."""
    word = m.group(0)
    return word.upper() if sum(c.isupper() for c in word) >= 2 and not any("a" <= c <= "z" for c in word) else word


# --- decode / encode ---------------------------------------------------------------------------
def canonical(encoding: str) -> str:
    """The canonical name of an encoding this module knows; KeyError otherwise."""
    return ALIASES[encoding.strip().lower()]


def decode(data: bytes, encoding: str) -> str:
    """`data` as Unicode NFC text. Undecodable bytes become U+FFFD, never an exception."""
    enc = canonical(encoding)
    if enc == TCVN3:
        text = _CAPS_WORD.sub(_caps, data.decode("latin-1").translate(TCVN3_TO_UNICODE))
    elif enc == VNI:
        text = _VNI_RE.sub(lambda m: VNI_TO_UNICODE[m.group(0)], data.decode("latin-1"))
    else:
        text = data.decode(enc, errors="replace")
    return unicodedata.normalize("NFC", text)


def _cp1258_char(ch: str) -> bytes:
    try:
        return ch.encode("cp1258")
    except UnicodeEncodeError:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        return base.encode("cp1258", errors="replace") + tones.encode("cp1258")


def encode(text: str, encoding: str) -> bytes:
    """`text` in `encoding` (for tests and templates). TCVN3 writes capitals with tone marks as lowercase."""
    enc = canonical(encoding)
    text = unicodedata.normalize("NFC", text)
    if enc == CP1258:
        return b"".join(_cp1258_char(ch) for ch in text)
    if enc == TCVN3:
        out = bytearray()
        for ch in text:
            code = UNICODE_TO_TCVN3.get(ch, UNICODE_TO_TCVN3.get(ch.lower()))
            out += bytes([code]) if code is not None else ch.encode("latin-1", errors="replace")
        return bytes(out)
    if enc == VNI:
        return "".join(UNICODE_TO_VNI.get(ch, ch) for ch in text).encode("latin-1", errors="replace")
    return text.encode(enc)


@dataclass(frozen=True)
class Detected:
    """The encoding chosen for some bytes, how sure (0..1), and every candidate's score."""

    encoding: str
    confidence: float
    scores: tuple[tuple[str, float], ...] = ()


def detect(data: bytes, *, sample_bytes: int = 200_000) -> Detected:
    """UTF-8 (BOM or not) when the bytes are valid UTF-8; else the legacy encoding whose decoded
    text has the largest share of valid Vietnamese syllables (ties go to Windows-1258)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return Detected(UTF8_SIG, 1.0)
    try:
        data.decode("utf-8")
        return Detected(UTF8, 1.0)
    except UnicodeDecodeError:
        pass
    sample = data[:sample_bytes]
    scores = tuple((enc, round(score(decode(sample, enc)), 4)) for enc in LEGACY)
    best = max(scores, key=lambda s: s[1])  # max keeps the first of equals
    return Detected(best[0], best[1], scores)
