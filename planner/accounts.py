"""Local accounts for sign-in where the province has no identity provider.

The accounts file is TOML, one table per user, holding only a salted scrypt hash:

    [users."lan"]
    password_hash = "scrypt$16384$8$1$<salt, base64>$<key, base64>"

Passwords are never stored or logged. `python -m planner accounts add NAME` writes the file.
The throttle for failed sign-ins lives here too (`FailureBook`, one per server process).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import threading
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from planner.errors import PlannerError

ENV_VAR = "PLANNER_ACCOUNTS"
FILE_NAME = "accounts.toml"
SCHEME = "scrypt"
N, R, P = 2**14, 8, 1  # 16 MiB and ~50 ms per hash: slow for a guesser, quick for one sign-in
MAX_N, MAX_R, MAX_P = 2**20, 32, 16  # refuse parameters that would let the file exhaust memory
KEY_BYTES, SALT_BYTES = 32, 16
MIN_PASSWORD = 8
MAX_NAME = 64
NAME_PUNCTUATION = " ._@-"


def accounts_path(*, workspace: Path, environ: Mapping[str, str]) -> Path:
    """The accounts file: $PLANNER_ACCOUNTS if set, else `accounts.toml` in the workspace."""
    return Path(environ[ENV_VAR]) if environ.get(ENV_VAR) else Path(workspace) / FILE_NAME


def accounts_enabled(*, workspace: Path, environ: Mapping[str, str]) -> bool:
    """Local sign-in is on when $PLANNER_ACCOUNTS is set (even to a missing file: edits then stay
    locked) or when the workspace holds an accounts file."""
    return bool(environ.get(ENV_VAR)) or (Path(workspace) / FILE_NAME).exists()


def check_name(name: str) -> str:
    """The account name in NFC, trimmed; letters, digits, spaces and . _ @ - only."""
    clean = unicodedata.normalize("NFC", str(name)).strip()
    if not 1 <= len(clean) <= MAX_NAME or not all(c.isalnum() or c in NAME_PUNCTUATION for c in clean):
        raise PlannerError("err.account_name", name=clean[:MAX_NAME], most=MAX_NAME)
    return clean


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise PlannerError("err.password_short", least=MIN_PASSWORD)
    return password


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None, n: int = N, r: int = R, p: int = P) -> str:
    """`scrypt$n$r$p$salt$key`: a fresh random salt unless one is given (tests)."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    key = _scrypt(password, salt, n, r, p, KEY_BYTES)
    return "$".join([SCHEME, str(n), str(r), str(p), _b64(salt), _b64(key)])


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(unicodedata.normalize("NFC", password).encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=128 * r * (n + p + 2) + 1_048_576, dklen=dklen)


@dataclass(frozen=True)
class PasswordHash:
    n: int
    r: int
    p: int
    salt: bytes
    key: bytes

    @classmethod
    def parse(cls, text: str) -> PasswordHash:
        """Parse a stored hash; ValueError if it is not one this module wrote."""
        parts = text.split("$") if isinstance(text, str) else []
        if len(parts) != 6 or parts[0] != SCHEME:
            raise ValueError("not a scrypt hash")
        try:
            n, r, p = (int(x) for x in parts[1:4])
            salt, key = (base64.b64decode(x, validate=True) for x in parts[4:6])
        except (ValueError, binascii.Error) as exc:
            raise ValueError(str(exc)) from None
        if not (2 <= n <= MAX_N and n & (n - 1) == 0 and 1 <= r <= MAX_R and 1 <= p <= MAX_P and salt and len(key) >= 16):
            raise ValueError("scrypt parameters out of range")
        return cls(n, r, p, salt, key)

    def matches(self, password: str) -> bool:
        return hmac.compare_digest(_scrypt(password, self.salt, self.n, self.r, self.p, len(self.key)), self.key)


def verify_password(password: str, stored: str) -> bool:
    """True if `password` gives `stored`; False for a wrong password or a malformed hash."""
    try:
        return PasswordHash.parse(stored).matches(password)
    except ValueError:
        return False


# Checked against when the name is unknown, so an unknown name costs as long as a wrong password.
_DUMMY = PasswordHash(N, R, P, b"\0" * SALT_BYTES, b"\0" * KEY_BYTES)


@dataclass(frozen=True)
class Accounts:
    """Account name -> stored hash (only ever a hash)."""

    users: Mapping[str, str] = field(default_factory=dict)

    def authenticate(self, name: str, password: str) -> str | None:
        """The account name if `password` is right for `name`, else None (same cost either way)."""
        try:
            clean = check_name(name)
        except PlannerError:
            clean = ""
        stored = self.users.get(clean)
        try:
            target = PasswordHash.parse(stored) if stored else _DUMMY
        except ValueError:
            target = _DUMMY
        ok = target.matches(password)
        return clean if ok and stored else None

    def with_password(self, name: str, password: str, **params) -> Accounts:
        """A copy with `name` added or its password changed."""
        return Accounts({**self.users, check_name(name): hash_password(check_password(password), **params)})

    def without(self, name: str) -> Accounts:
        clean = check_name(name)
        if clean not in self.users:
            raise PlannerError("err.account_unknown", name=clean)
        return Accounts({k: v for k, v in self.users.items() if k != clean})

    def to_toml(self) -> bytes:
        """The file text. JSON string quoting is valid TOML basic-string quoting."""
        lines = ["# Tài khoản được sửa dữ liệu / accounts allowed to edit.",
                 "# Chỉ chứa mã băm scrypt / hashes only: python -m planner accounts add|remove|list", ""]
        for name in sorted(self.users):
            lines += [f"[users.{json.dumps(name, ensure_ascii=False)}]",
                      f"password_hash = {json.dumps(self.users[name])}", ""]
        return "\n".join(lines).encode("utf-8")


def parse_accounts(data: bytes, *, path: str) -> Accounts:
    """Parse and check an accounts file; PlannerError naming the file and what to fix."""
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PlannerError("err.accounts_toml", path=path, detail=str(exc)) from None
    users = doc.get("users", {})
    if set(doc) - {"users"} or not isinstance(users, dict):
        raise PlannerError("err.accounts_shape", path=path)
    out: dict[str, str] = {}
    for name, entry in users.items():
        stored = entry.get("password_hash") if isinstance(entry, dict) else None
        try:
            clean = check_name(name)
            PasswordHash.parse(stored)
        except (PlannerError, ValueError):
            raise PlannerError("err.accounts_entry", path=path, name=str(name)[:MAX_NAME]) from None
        out[clean] = stored
    return Accounts(out)


def load_accounts(path: str | Path) -> Accounts:
    """Read the accounts file; PlannerError if it is missing, unreadable or malformed."""
    from planner.io import read_bytes

    path = Path(path)
    if not path.is_file():
        raise PlannerError("err.accounts_missing", path=str(path))
    return parse_accounts(read_bytes(path, max_bytes=1_000_000), path=str(path))


def save_accounts(accounts: Accounts, path: str | Path) -> Path:
    """Write the file whole or not at all (readable by its owner only)."""
    from planner.io import write_bytes

    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlannerError("err.out_exists", path=str(path), detail=exc.strerror or str(exc)) from None
    return write_bytes(path, accounts.to_toml())


# --- throttle for failed sign-ins -----------------------------------------------------------
FREE_FAILURES = 3
FIRST_WAIT_S, MAX_WAIT_S = 5.0, 300.0


@dataclass(frozen=True)
class Attempts:
    """Failed sign-ins so far (for one key of a `FailureBook`) and when the last one was (monotonic seconds)."""

    failures: int = 0
    last_failure_s: float = 0.0

    def failed(self, *, now_s: float) -> Attempts:
        return Attempts(self.failures + 1, now_s)

    def wait_s(self, *, now_s: float) -> float:
        """Seconds before another try is accepted: none after one or two failures, then 5 s after
        the third, 10 s after the fourth, ... up to 5 minutes."""
        if self.failures < FREE_FAILURES:
            return 0.0
        lock = min(FIRST_WAIT_S * 2 ** (self.failures - FREE_FAILURES), MAX_WAIT_S)
        return max(0.0, self.last_failure_s + lock - now_s)


class FailureBook:
    """Failed sign-ins per account name and per client address, for the whole server process, so
    a new tab or a reload does not start the count again. Thread-safe; forgets keys whose wait has
    run out when it grows past `max_keys` (typed names are untrusted and unbounded)."""

    def __init__(self, *, max_keys: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._by: dict[str, Attempts] = {}
        self._max = max_keys

    def wait_s(self, keys: Sequence[str], *, now_s: float) -> float:
        with self._lock:
            return max((self._by[k].wait_s(now_s=now_s) for k in keys if k in self._by), default=0.0)

    def failures(self, keys: Sequence[str]) -> int:
        with self._lock:
            return max((self._by[k].failures for k in keys if k in self._by), default=0)

    def failed(self, keys: Sequence[str], *, now_s: float) -> None:
        with self._lock:
            if len(self._by) >= self._max:
                self._by = {k: a for k, a in self._by.items() if a.wait_s(now_s=now_s) > 0}
            for k in keys:
                self._by[k] = self._by.get(k, Attempts()).failed(now_s=now_s)

    def succeeded(self, keys: Sequence[str]) -> None:
        with self._lock:
            for k in keys:
                self._by.pop(k, None)


def attempt_keys(name: str, address: str | None) -> tuple[str, ...]:
    """The keys a sign-in attempt counts against: the account name typed, and the client."""
    keys = ("name:" + " ".join(str(name or "").split()).casefold(),)
    return keys + (("addr:" + address,) if address else ())

