"""`python -m planner accounts add|remove|list [NAME]`: local sign-in accounts (hashed passwords).

The file is $PLANNER_ACCOUNTS, else `accounts.toml` in the workspace ($PLANNER_WORKSPACE or
./workspace), else the one given with --file. Passwords are read with getpass (asked twice) or,
for scripts, as one line on standard input with --password-stdin; they are never echoed or stored.
"""
from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from planner.accounts import Accounts, accounts_path, check_name, load_accounts, save_accounts
from planner.errors import UsageError
from planner.i18n import DEFAULT_LANG, t

ACTIONS = ("add", "remove", "list")


def add_parsers(subparsers) -> None:
    a = subparsers.add_parser("accounts", help="local sign-in accounts: add (or change a password), remove, list")
    a.add_argument("action", help="add, remove or list")
    a.add_argument("name", nargs="?", default=None, help="account name (add, remove)")
    a.add_argument("--password-stdin", action="store_true", help="read the password as one line from standard input")
    a.add_argument("--file", default=None, help="accounts file (default: $PLANNER_ACCOUNTS or WORKSPACE/accounts.toml)")
    a.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")


def _file(args) -> Path:
    if args.file:
        return Path(args.file)
    from planner.io import REPO_ROOT

    workspace = Path(os.environ.get("PLANNER_WORKSPACE") or REPO_ROOT / "workspace")
    return accounts_path(workspace=workspace, environ=os.environ)


def _read_password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    try:
        first = getpass.getpass(t("cli.password_prompt", args.lang))
        again = getpass.getpass(t("cli.password_again", args.lang))
    except EOFError:
        raise UsageError("err.usage", detail="no password given; use --password-stdin in scripts") from None
    if first != again:
        raise UsageError("err.password_mismatch")
    return first


def accounts_command(args) -> int:
    if args.action not in ACTIONS:
        raise UsageError("err.usage", detail=f"accounts {args.action}: use add, remove or list")
    if (args.name is None) != (args.action == "list"):
        raise UsageError("err.usage", detail=f"accounts {args.action}: " + ("no name" if args.action == "list" else "give a name"))
    path, lang = _file(args), args.lang
    accounts = load_accounts(path) if path.exists() else Accounts()
    if args.action == "list":
        for name in sorted(accounts.users):
            print(name)
        return 0
    if args.action == "add":
        updated = accounts.with_password(args.name, _read_password(args))
        key = "cli.account_changed" if len(updated.users) == len(accounts.users) else "cli.account_added"
    else:
        updated = accounts.without(args.name)
        key = "cli.account_removed"
    save_accounts(updated, path)
    print(t(key, lang, name=check_name(args.name), path=str(path)))
    if not updated.users:
        print(t("cli.accounts_none_left", lang, path=str(path)))
    return 0


HANDLERS = {"accounts": accounts_command}
