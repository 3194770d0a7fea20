"""The record of what gets built: every point's status history, entry by entry.

An entry says that a point (one of the package's, or a new one taken from a scenario or a
commune's list) reached a status on a day: planned → approved → under construction → in use, and
perhaps closed. Entries are never overwritten: a correction is a new entry that `replaces` an
older one (which stays, marked as replaced), a withdrawal is a correction with `withdrawn`.
Only a point *in use* counts towards the targets.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

from planner.errors import UsageError
from planner.formats import both, fmt_date
from planner.proposals import FUNDING, KINDS

STATUSES = ("planned", "approved", "under_construction", "in_use", "closed")
COUNTS = "in_use"  # the only status that counts towards the targets
FIRST_DATE = date(2000, 1, 1)  # no entry is older (the record is of this programme's era)
MAX_VND = 10**13  # ten thousand billion đồng: more is a typing error
TEXT_LIMITS = {"point_id": 200, "name": 200, "commune_code": 40, "note": 2_000, "recorded_by": 120,
               "origin": 300, "scenario": 120}


@dataclass(frozen=True)
class Entry:
    """One status change of one point. `seq` is its place in the record (0 until stored)."""

    point_id: str
    status: str
    on: date  # the day the status took effect
    name: str = ""
    commune_code: str = ""
    kind: str = "play_area"
    lon: float | None = None  # where a new point is (None for the package's points: they have their place)
    lat: float | None = None
    cost_vnd: int | None = None  # actual cost where known (the cost of the point as a whole)
    funding: str | None = None  # "state" (ngân sách nhà nước) / "non_state" (xã hội hóa), where known
    note: str = ""
    scenario: str = ""  # the saved scenario a new point was taken from
    origin: str = ""  # "package" (the data's own history), "app", "cli", "import:<file>", "scenario:<name> v<k>"
    recorded_by: str = ""
    recorded_at: str = ""  # ISO moment, UTC
    seq: int = 0
    replaces: int | None = None  # the seq of the entry this one corrects
    withdrawn: bool = False  # a correction that takes the replaced entry back without a new status

    @property
    def counts(self) -> bool:
        return self.status == COUNTS and not self.withdrawn


def check_entry(e: Entry, *, today: date) -> Entry:
    """`e` with its text trimmed when every value is allowed; else UsageError naming the field, the
    value and what is allowed (the message says what to fix)."""
    def bad(name: str, value, allowed: str) -> UsageError:
        return UsageError("err.record_value", field=name, value=str(value)[:60], allowed=allowed)

    e = replace(e, **{k: " ".join(str(getattr(e, k) or "").split()) for k in
                      ("point_id", "name", "commune_code", "recorded_by", "origin", "scenario")},
                note=str(e.note or "").strip())
    if not e.point_id:
        raise bad("point_id", "", "≠ ∅")
    for k, limit in TEXT_LIMITS.items():
        if len(getattr(e, k)) > limit:
            raise bad(k, getattr(e, k), f"≤ {limit}")
    if e.status not in STATUSES:
        raise bad("status", e.status, ", ".join(STATUSES))
    if e.kind not in KINDS:
        raise bad("kind", e.kind, ", ".join(KINDS))
    if not isinstance(e.on, date):
        raise bad("on", e.on, "dd/mm/yyyy")
    if not FIRST_DATE <= e.on <= today:
        raise UsageError("err.record_date", **both("value", e.on, fmt_date), **both("first", FIRST_DATE, fmt_date),
                         **both("today", today, fmt_date))
    if e.cost_vnd is not None and not (isinstance(e.cost_vnd, int) and 0 <= e.cost_vnd <= MAX_VND):
        raise bad("cost_vnd", e.cost_vnd, f"0 … {MAX_VND:,}")
    if e.funding is not None and e.funding not in FUNDING:
        raise bad("funding", e.funding, ", ".join(FUNDING))
    if (e.lon is None) != (e.lat is None):
        raise bad("lon/lat", f"{e.lon}, {e.lat}", "both or neither")
    if e.lon is not None and not (math.isfinite(e.lon) and math.isfinite(e.lat) and -180 <= e.lon <= 180
                                  and -90 <= e.lat <= 90):
        raise bad("lon/lat", f"{e.lon}, {e.lat}", "-180 … 180, -90 … 90")
    return e


def current(entries) -> tuple[Entry, ...]:
    """The entries that stand: not replaced by a later correction, and not withdrawals."""
    entries = tuple(entries)
    replaced = {e.replaces for e in entries if e.replaces is not None}
    return tuple(e for e in entries if e.seq not in replaced and not e.withdrawn)


def status_on(entries, day: date) -> dict[str, Entry]:
    """Each point's standing entry on `day`: the latest (by date, then by order recorded) of the
    standing entries dated on or before it. Pass `current(...)` entries."""
    out: dict[str, Entry] = {}
    for e in sorted((e for e in entries if e.on <= day), key=lambda e: (e.on, e.seq)):
        out[e.point_id] = e
    return out


def same_as(entry: Entry, entries) -> Entry | None:
    """The standing entry that already says all `entry` says (point, status, day, cost, funding,
    note), if any: recording it again would add nothing (a second click, a list sent twice)."""
    key = (entry.point_id.casefold(), entry.status, entry.on, entry.cost_vnd, entry.funding or None, entry.note.strip())
    return next((e for e in current(entries)
                 if (e.point_id.casefold(), e.status, e.on, e.cost_vnd, e.funding or None, e.note.strip()) == key), None)


def cost_from_millions(text: str, *, lang: str) -> int | None:
    """A cost typed in millions of đồng, written the reader's way ("1.500" is one and a half billion
    in Vietnamese, "1,500" in English), in whole đồng; None when empty; UsageError when unreadable."""
    from planner.importing.columns import EN, VI, parse_number

    text = str(text or "").strip()
    try:
        value = parse_number(text, convention=VI if lang == "vi" else EN) if text else None
    except ValueError:
        value = -1
    if value is not None and not (0 <= value * 1_000_000 <= MAX_VND):
        raise UsageError("err.cost_text", value=text[:40])
    return None if value is None else int(round(value * 1_000_000))
