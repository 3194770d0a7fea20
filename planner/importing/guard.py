"""Content checks run on an upload before GDAL opens it (issue 13: no file may make the server
fetch an address).

A GeoJSON's legacy `crs` member of type "link" or "url" makes GDAL download its `href` (or `url`)
while it reads the file, and the file is then accepted. It does the same for a `crs` on a single
geometry, a `"CRS"` or `"\\u0063rs"` key, a key "crs" followed by a NUL character, a type "LINKxyz"
(GDAL compares keys without case, up to a NUL, and types by their start; seen with GDAL 3.12).
`remote_crs` finds every member GDAL would take for a `crs`, anywhere in the text, and reports the
first that is a link, holds an `href` or `url`, or names an address: a URL scheme ("http:", "ftp:",
"file:", any "scheme:/"), or a GDAL virtual file ("/vsi..."). A named CRS such as "EPSG:4326" or
"urn:ogc:def:crs:EPSG::4326" is accepted; so is "crs": null.

The text is scanned, not parsed: an upload may be 200 MB, and a parsed copy would take several
times that. The scan is conservative: a key only resembling "crs" (inside an escaped quote)
is checked too; a `crs` value over MAX_CRS_BYTES is refused.
Process-wide settings (GDAL's and PROJ's network access off) are in `planner.netguard`.
"""
from __future__ import annotations

import json
import re

MAX_CRS_BYTES = 65_536  # a real crs member is a few hundred bytes
MAX_WHAT_CHARS = 80  # of the offending text, in the message

# A key GDAL takes for "crs": any case, each letter possibly \u-escaped, possibly followed by a NUL
# (GDAL compares C strings, which end there) and anything after it.
_CRS_KEY = re.compile(rb'"(?:[cC]|\\u00[46]3)(?:[rR]|\\u00[57]2)(?:[sS]|\\u00[57]3)'
                      rb'(?:(?:\\u0000|\x00)(?:[^"\\]|\\.)*)?"\s*:\s*', re.S)
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[{}\[\]]', re.S)
_ADDRESS = re.compile(r"[a-z][a-z0-9+.\-]*:/|[/\\]vsi|\b(?:https?|ftps?|sftp|scp|tftp|file|smb|ldaps?|dict|gopher|"
                      r"telnet|imaps?|pop3s?|smtps?|rtsp|mqtt|wss?):", re.I)
_FETCHING_TYPES = ("link", "url")  # GDAL: STARTS_WITH_CI(type, "LINK") or "URL" -> importFromUrl(href or url)
_FETCHING_KEYS = ("href", "url")


def remote_crs(data: bytes) -> dict | None:
    """The first `crs` member of a GeoJSON text that would make GDAL fetch something, as
    {"member": the key as written, "line": its line, "what": what it points to}; None when
    there is none."""
    seen: dict[bytes, str | None] = {}  # a crs on every geometry is usually the same one
    for key in _CRS_KEY.finditer(data):
        value = _value(data, key.end())
        what = seen[value] if value in seen else seen.setdefault(value, _fetching(value))
        if what is not None:
            member = _text(_STRING.match(data, key.start()).group()) or "crs"
            return {"member": _short(member), "line": data.count(b"\n", 0, key.start()) + 1, "what": _short(what)}
    return None


def _value(data: bytes, start: int) -> bytes:
    """The JSON value starting at `start` (an object, array or string; b"" for anything else),
    at most MAX_CRS_BYTES + 1 bytes of it."""
    head = data[start:start + 1]
    if head == b'"':
        token = _STRING.match(data, start)
        return token.group() if token else data[start:start + MAX_CRS_BYTES + 1]
    if head not in (b"{", b"["):
        return b""
    depth = 0
    for token in _TOKEN.finditer(data, start):
        if token.end() - start > MAX_CRS_BYTES:
            break
        if token.group() in (b"{", b"["):
            depth += 1
        elif token.group() in (b"}", b"]"):
            depth -= 1
            if depth == 0:
                return data[start:token.end()]
    return data[start:start + MAX_CRS_BYTES + 1]


def _fetching(value: bytes) -> str | None:
    """What in a `crs` value would be fetched (or could be: the check is conservative), the
    address itself when there is one; None if nothing."""
    if len(value) > MAX_CRS_BYTES:
        return _text(value[:MAX_WHAT_CHARS]) + "…"
    strings = list(_STRING.finditer(value))
    found = []  # (rank, text): an address first, then an href or url, then a link type
    for i, token in enumerate(strings):
        text = _text(token.group())
        if _ADDRESS.search(text):
            found.append((0, text))
        if not value[token.end():].lstrip().startswith(b":"):
            continue  # a value, not a key
        key = _plain(text)
        nxt = strings[i + 1] if i + 1 < len(strings) else None
        following = _text(nxt.group()) if nxt is not None and value[token.end():nxt.start()].strip() == b":" else ""
        if key in _FETCHING_KEYS:
            found.append((1, f"{text}: {following}" if following else text))
        elif key == "type" and _plain(following).startswith(_FETCHING_TYPES):
            found.append((2, f"{text}: {following}"))
    return min(found, key=lambda f: f[0])[1] if found else None


def _text(token: bytes) -> str:
    """A JSON string token decoded (leniently when it is not valid JSON)."""
    try:
        value = json.loads(token, strict=False)
        if isinstance(value, str):
            return value
    except (ValueError, RecursionError):
        pass
    return token.strip(b'"').decode("utf-8", "replace")


def _plain(text: str) -> str:
    """A key or type as GDAL compares it: up to the first NUL, without case (and spaces)."""
    return text.split("\x00", 1)[0].strip().lower()


def _short(text: str) -> str:
    text = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    return text if len(text) <= MAX_WHAT_CHARS else text[:MAX_WHAT_CHARS - 1] + "…"
