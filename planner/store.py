"""The scenario store: one SQLite database in the workspace folder, every save a new version.

- Crash-safe: each save is one SQLite transaction (rollback journal, synchronous=FULL), so a
  process killed mid-save leaves the previous version intact and the database readable.
- Safe with several sessions: a save names the version it started from; if someone saved a newer
  version meanwhile, the save is refused with ScenarioConflict, never silently overwritten.
- A full disk or a database locked by another writer is refused with its own message (nothing
  saved, previous versions intact) and logged with the database, the operation and SQLite's error.
"""
from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

from planner.errors import PlannerError
from planner.scenarios import Scenario, check_name, check_values, from_json, now_iso

LOCK_TIMEOUT_S = 5.0  # how long a save waits for another writer before it is refused
log = logging.getLogger("planner.store")

SCHEMA = """
CREATE TABLE IF NOT EXISTS scenario (
    name TEXT PRIMARY KEY,
    current_version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS version (
    name TEXT NOT NULL REFERENCES scenario(name),
    version INTEGER NOT NULL,
    saved_at TEXT NOT NULL,
    author TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL,
    PRIMARY KEY (name, version)
);
"""


class ScenarioConflict(PlannerError):
    """Someone saved a newer version since this one was loaded."""


def _conflict(db: sqlite3.Connection, name: str, *, mine: int, theirs: int) -> ScenarioConflict:
    """The refusal of a stale change, saying who saved the current version and when (or that the
    scenario was deleted, or that a new scenario's name is taken)."""
    if theirs == 0:
        return ScenarioConflict("err.scenario_gone", name=name, mine=mine)
    if mine == 0:
        return ScenarioConflict("err.scenario_exists", name=name)
    last = db.execute("SELECT author, saved_at FROM version WHERE name = ? AND version = ?", (name, theirs)).fetchone()
    who = (last[0] if last else "").strip()
    return ScenarioConflict("err.scenario_conflict" if who else "err.scenario_conflict_anon", name=name, mine=mine,
                            theirs=theirs, who=who, when=last[1] if last else "?")


class StoreError(PlannerError):
    """The database cannot be read or written (locked, full disk, damaged)."""


@dataclass(frozen=True)
class VersionInfo:
    version: int
    saved_at: str
    author: str
    note: str


class Database:
    """The workspace database (one SQLite file): connections, and failures turned into StoreError."""

    schema = ""
    label = "workspace database"  # what the log calls it

    def __init__(self, path: str | Path, *, timeout_s: float | None = None):
        self.path = Path(path)
        self.timeout_s = LOCK_TIMEOUT_S if timeout_s is None else timeout_s
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as db:
                db.executescript(self.schema)
        except (OSError, sqlite3.Error) as exc:
            raise self._error(exc, "open") from exc

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=self.timeout_s, isolation_level=None)
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        return db

    def _error(self, exc: BaseException, op: str) -> StoreError:
        """The StoreError for a failed operation, logged: locked, full disk, or anything else."""
        from planner.io import disk_full  # lazily: io pulls in the GIS stack

        code = getattr(exc, "sqlite_errorname", "") or type(exc).__name__
        where = f"{self.label} {self.path}: {op} failed: {code}: {exc}"
        if code in ("SQLITE_BUSY", "SQLITE_LOCKED") or "locked" in str(exc) or "busy" in str(exc):
            log.warning("%s (another writer holds the database)", where)
            return StoreError("err.store_locked", path=str(self.path), detail=str(exc))
        if code == "SQLITE_FULL" or "full" in str(exc) or disk_full(exc, self.path.parent):
            log.error("%s (disk full; nothing saved)", where)
            return StoreError("err.disk_full", path=str(self.path))
        log.error("%s", where, exc_info=exc)
        return StoreError("err.store", path=str(self.path), detail=str(exc))

    def _run(self, fn, op: str):
        try:
            with closing(self._connect()) as db:
                return fn(db)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise self._error(exc, op) from exc

    def _write(self, fn, op: str):
        """`fn(db)` inside one IMMEDIATE transaction: all of it is written, or nothing."""
        def tx(db: sqlite3.Connection):
            db.execute("BEGIN IMMEDIATE")
            try:
                out = fn(db)
                db.execute("COMMIT")
                return out
            except BaseException:
                if db.in_transaction:  # SQLite may already have rolled back (a full disk does)
                    db.execute("ROLLBACK")
                raise

        return self._run(tx, op)


class ScenarioStore(Database):
    schema = SCHEMA
    label = "scenario store"

    def names(self) -> list[str]:
        return self._run(lambda db: [r[0] for r in db.execute(
            "SELECT name FROM scenario WHERE deleted = 0 ORDER BY name COLLATE NOCASE")], "list scenarios")

    def save(self, scenario: Scenario, *, note: str = "") -> Scenario:
        """Save as a new version. `scenario.version` must be the version it was loaded at (0 for a
        new scenario); otherwise ScenarioConflict. Returns the scenario as saved."""
        name = check_name(scenario.name)
        check_values(scenario)  # what cannot be loaded back must not be saved

        def tx(db: sqlite3.Connection) -> Scenario:
            row = db.execute("SELECT current_version, created_at, deleted FROM scenario WHERE name = ?", (name,)).fetchone()
            current = 0 if row is None or row[2] else row[0]
            if scenario.version != current:
                raise _conflict(db, name, mine=scenario.version, theirs=current)
            stamp = now_iso()
            created = row[1] if row is not None and not row[2] else stamp
            new_version = (row[0] if row is not None else 0) + 1
            saved = replace(scenario, name=name, version=new_version, created_at=created, updated_at=stamp)
            db.execute("INSERT INTO scenario (name, current_version, created_at, deleted) VALUES (?, ?, ?, 0) "
                       "ON CONFLICT(name) DO UPDATE SET current_version = excluded.current_version, deleted = 0",
                       (name, new_version, created))
            db.execute("INSERT INTO version (name, version, saved_at, author, note, payload) VALUES (?, ?, ?, ?, ?, ?)",
                       (name, new_version, stamp, scenario.author, note, saved.to_json()))
            return saved

        return self._write(tx, f"save {name!r}")

    def load(self, name: str, version: int | None = None) -> Scenario:
        def q(db):
            row = db.execute("SELECT current_version, deleted FROM scenario WHERE name = ?", (name,)).fetchone()
            if row is None or (row[1] and version is None):
                raise PlannerError("err.scenario_missing", name=name)
            v = row[0] if version is None else version
            got = db.execute("SELECT payload FROM version WHERE name = ? AND version = ?", (name, v)).fetchone()
            if got is None:
                raise PlannerError("err.scenario_version_missing", name=name, version=v)
            return from_json(got[0])

        return self._run(q, f"load {name!r}")

    def versions(self, name: str) -> list[VersionInfo]:
        return self._run(lambda db: [VersionInfo(*r) for r in db.execute(
            "SELECT version, saved_at, author, note FROM version WHERE name = ? ORDER BY version DESC", (name,))],
            f"list versions of {name!r}")

    def restore(self, name: str, version: int, *, expected_version: int, author: str = "") -> Scenario:
        """Make an old version current again, as a new version (history is never rewritten)."""
        old = self.load(name, version)
        return self.save(replace(old, version=expected_version, author=author or old.author),
                         note=f"restore v{version}")

    def delete(self, name: str, *, expected_version: int) -> None:
        """Hide a scenario (its versions stay in the database)."""

        def tx(db):
            row = db.execute("SELECT current_version FROM scenario WHERE name = ? AND deleted = 0", (name,)).fetchone()
            if row is None:
                raise PlannerError("err.scenario_missing", name=name)
            if row[0] != expected_version:
                raise _conflict(db, name, mine=expected_version, theirs=row[0])
            db.execute("UPDATE scenario SET deleted = 1 WHERE name = ?", (name,))

        self._write(tx, f"delete {name!r}")
