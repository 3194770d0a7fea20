"""Text from data or users shown where Streamlit reads markdown (messages, captions, labels).

Every message template of ours is plain text, and names, file names, paths and descriptions come
from uploads and forms, so a whole message is escaped: it then shows literally, with no link,
emphasis, maths, colour directive or list made out of someone's "[x](…)", "*", "$" or "- ".
A bare address ("http://…", "a@b.vn") still becomes a link to itself (Streamlit's GFM links
plain text after escapes are read): it hides nothing, so it is left so.
"""
from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>$~|#])")
_MARKER = re.compile(r"^([ \t]*)([-+=])", re.M)  # list items, setext heading underlines
_NUMBERED = re.compile(r"^([ \t]*\d+)([.)])(?=\s|$)", re.M)  # "1. " numbered list items


def plain(text: object) -> str:
    """`text` escaped so that Streamlit's markdown shows it exactly as it is."""
    out = _SPECIAL.sub(r"\\\1", str(text))
    out = _MARKER.sub(r"\1\\\2", out)
    return _NUMBERED.sub(r"\1\\\2", out)
