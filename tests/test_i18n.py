"""Every string has both languages with the same placeholders, and every key the code uses exists."""
import re
import string
from pathlib import Path

from planner.i18n import TEXT
from planner.formats import fmt_int, fmt_num, fmt_pct

ROOT = Path(__file__).resolve().parent.parent


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_both_languages_same_placeholders():
    bad = [k for k, (vi, en) in TEXT.items() if fields(vi) != fields(en) or not vi or not en]
    assert bad == []


def test_every_literal_key_exists():
    used = set()
    for path in [*ROOT.glob("planner/**/*.py"), *ROOT.glob("views/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'\b(?:t|tr)\(\s*"([a-z_]+\.[a-z0-9_.]+)"', text))
        used |= set(re.findall(r'(?:Error|Problem)\(\s*"((?:err|prob)\.[a-z0-9_]+)"', text))
    missing = sorted(k for k in used if k not in TEXT)
    assert missing == []


def test_number_styles():
    assert (fmt_int(1234567, "vi"), fmt_int(1234567, "en")) == ("1.234.567", "1,234,567")
    assert (fmt_num(1234.5, "vi"), fmt_num(1234.5, "en")) == ("1.234,5", "1,234.5")
    assert (fmt_pct(0.2368, "vi"), fmt_pct(0.2368, "en")) == ("23,7%", "23.7%")
