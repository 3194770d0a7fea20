"""The history a data package brings with it, before anyone records anything in the workspace.

- The demo package: an illustrative history, made here deterministically from each point's opening
  year (planned two years before, approved, built, in use in that year, with a cost and a funding
  source); every entry says it is illustrative.
- Any other package: what its points layer says, and no more. A point "existing" since year Y is
  in use from 31/12/Y (the day is not known: the year-end figures are exact, the day is not, and
  the entry says so); an existing point without a year has been in use since before the record
  (dated 01/01/2000, said so); a point "under construction" is under construction at the data date
  (the manifest's `as_of`, else today).
Entries here have negative `seq`, so that anything recorded in the workspace on the same day comes
after them.
"""
from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import date, timedelta

import numpy as np

from planner.package import DataPackage
from planner.record import FIRST_DATE, Entry

ORIGIN = "package"
NOTE_DEMO = "demo"  # note codes, put in words by the page and the report
NOTE_YEAR_ONLY = "year_only"
NOTE_UNDATED = "undated"
NOTE_AT_DATA_DATE = "at_data_date"


def data_date(package: DataPackage, *, today: date) -> date:
    """The day the package's data describe: its manifest's `as_of`, else `today` (the day the
    package is read: what it says is true then)."""
    try:
        return date.fromisoformat(str(package.manifest.get("as_of", ""))[:10])
    except ValueError:
        return today


def _day_in(rng: np.random.Generator, year: int, *, not_after: date) -> date:
    d = date(year, 1, 1) + timedelta(days=int(rng.integers(0, 365)))
    return min(d, not_after)


def _demo_entries(pid: str, status: str, year: int, kind: str, commune: str, name: str, as_of: date) -> list[Entry]:
    rng = np.random.default_rng(zlib.crc32(pid.encode("utf-8")))
    last = as_of - timedelta(days=1)
    cost = int(10_000_000 * round(rng.uniform(0.8, 2.6) * 100))
    funding = "state" if rng.random() < 0.75 else "non_state"
    common = dict(point_id=pid, kind=kind, commune_code=commune, name=name, note=NOTE_DEMO, origin=ORIGIN)
    opened = _day_in(rng, year, not_after=last) if status == "existing" else None
    start = year - 1 if status == "existing" else min(year - 1, last.year)
    days = sorted({_day_in(rng, year - 2, not_after=last), _day_in(rng, start, not_after=last)})
    planned, approved = days[0], days[-1]
    building = min(approved + timedelta(days=int(rng.integers(20, 120))), opened or last)
    out = [Entry(status="planned", on=planned, **common),
           Entry(status="approved", on=max(approved, planned), **common),
           Entry(status="under_construction", on=max(building, approved), **common)]
    if opened is not None:
        out.append(Entry(status="in_use", on=max(opened, building), cost_vnd=cost, funding=funding, **common))
    return out


def package_history(package: DataPackage, *, today: date) -> tuple[Entry, ...]:
    """The package's own entries (see the module's docstring), oldest first."""
    as_of = data_date(package, today=today)
    out: list[Entry] = []
    for row in package.play_points.itertuples(index=False):
        year = getattr(row, "year", None)
        year = int(year) if year is not None and year == year else None
        common = dict(point_id=str(row.id), kind=str(row.kind), commune_code=str(row.commune_code),
                      name=str(getattr(row, "name", "") or row.id), origin=ORIGIN)
        if package.is_demo and year is not None:
            out += _demo_entries(str(row.id), str(row.status), year, str(row.kind), str(row.commune_code),
                                 common["name"], as_of)
        elif row.status == "existing" and year is not None:
            out.append(Entry(status="in_use", on=max(FIRST_DATE, min(date(year, 12, 31), as_of)), note=NOTE_YEAR_ONLY,
                             **common))
        elif row.status == "existing":
            out.append(Entry(status="in_use", on=FIRST_DATE, note=NOTE_UNDATED, **common))
        else:
            out.append(Entry(status="under_construction", on=as_of, note=NOTE_AT_DATA_DATE, **common))
    out.sort(key=lambda e: (e.on, e.point_id))
    return tuple(replace(e, seq=i - len(out)) for i, e in enumerate(out))
