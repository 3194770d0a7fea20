"""The progress record in the workspace database: entries are only ever added.

A batch (one status change, a scenario's proposals, a commune's list) is one transaction: all of
it is recorded or none. A correction names the entry it replaces; when someone else corrected that
entry first, the correction is refused (RecordConflict) rather than stacked on a stale view.
Each data package has its own record (the package's name is the key: point ids are per package).
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import date

from planner.errors import PlannerError
from planner.formats import both, fmt_datetime
from planner.record import Entry, check_entry
from planner.scenarios import now_iso
from planner.store import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS progress_entry (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    package TEXT NOT NULL,
    point_id TEXT NOT NULL,
    status TEXT NOT NULL,
    on_date TEXT NOT NULL,
    replaces INTEGER REFERENCES progress_entry(seq),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS progress_entry_package ON progress_entry(package, seq);
"""
_COLUMNS = ("point_id", "status", "on", "replaces", "recorded_by", "recorded_at", "seq")


class RecordConflict(PlannerError):
    """The entry being corrected was corrected (or withdrawn) by someone else meanwhile."""


def _payload(e: Entry) -> str:
    d = {k: v for k, v in asdict(e).items() if k not in _COLUMNS}
    return json.dumps(d, ensure_ascii=False, sort_keys=True)


def _entry(row) -> Entry:
    seq, point_id, status, on_date, replaces, by, at, payload = row
    return Entry(point_id=point_id, status=status, on=date.fromisoformat(on_date), replaces=replaces,
                 recorded_by=by, recorded_at=at, seq=seq, **json.loads(payload))


class RecordStore(Database):
    schema = SCHEMA
    label = "progress record"

    def entries(self, package: str) -> tuple[Entry, ...]:
        """Every entry of `package`'s record, corrected ones too, in the order recorded."""
        return self._run(lambda db: tuple(_entry(r) for r in db.execute(
            "SELECT seq, point_id, status, on_date, replaces, recorded_by, recorded_at, payload "
            "FROM progress_entry WHERE package = ? ORDER BY seq", (package,))), "read the record")

    def add(self, package: str, entries: Sequence[Entry], *, today: date, recorded_by: str = "") -> tuple[Entry, ...]:
        """Record `entries` (checked; UsageError for a value not allowed) in one transaction and
        return them as stored. `recorded_by` is written on entries that do not name their recorder."""
        stamp = now_iso()
        checked = [check_entry(replace(e, recorded_by=e.recorded_by or recorded_by, recorded_at=stamp, seq=0),
                               today=today) for e in entries]

        def tx(db: sqlite3.Connection) -> tuple[Entry, ...]:
            out = []
            for e in checked:
                if e.replaces is not None:
                    self._check_replaceable(db, package, e)
                cur = db.execute(
                    "INSERT INTO progress_entry (package, point_id, status, on_date, replaces, recorded_by, recorded_at, "
                    "payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (package, e.point_id, e.status, e.on.isoformat(), e.replaces, e.recorded_by, e.recorded_at,
                     _payload(e)))
                out.append(replace(e, seq=cur.lastrowid))
            return tuple(out)

        return self._write(tx, f"add {len(checked)} entries to the record of {package!r}")

    @staticmethod
    def _check_replaceable(db: sqlite3.Connection, package: str, e: Entry) -> None:
        old = db.execute("SELECT point_id FROM progress_entry WHERE seq = ? AND package = ?",
                         (e.replaces, package)).fetchone()
        if old is None:
            raise PlannerError("err.record_missing", seq=e.replaces)
        if old[0] != e.point_id:
            raise PlannerError("err.record_other_point", seq=e.replaces, point=old[0])
        later = db.execute("SELECT recorded_by, recorded_at FROM progress_entry WHERE replaces = ? AND package = ?",
                           (e.replaces, package)).fetchone()
        if later is not None:
            raise RecordConflict("err.record_conflict" if later[0] else "err.record_conflict_anon", seq=e.replaces,
                                 who=later[0], **both("when", later[1], fmt_datetime))
