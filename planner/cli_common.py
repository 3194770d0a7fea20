"""What several commands share: the workspace folder, its scenario store, the reach options."""
from __future__ import annotations

from pathlib import Path

from planner.errors import UsageError


def reach_options(p) -> None:
    p.add_argument("--reach", default="line", metavar="line|walk",
                   help="line: straight line within --radius-m (default); walk: walking time over the terrain within --minutes")
    p.add_argument("--minutes", default=None, help="longest walk in minutes with --reach walk (default 30)")


def reach_rule(args):
    """The reach rule the options ask for (checked: UsageError naming the bad value)."""
    from planner.reach import ReachRule

    walking = args.reach == "walk"
    if walking and args.radius_m is not None:
        raise UsageError("err.reach_option", option="--radius-m", mode="line")
    if args.reach == "line" and args.minutes is not None:
        raise UsageError("err.reach_option", option="--minutes", mode="walk")
    return ReachRule(mode=args.reach, radius_m=2000 if args.radius_m is None else args.radius_m,
                     minutes=30 if args.minutes is None else args.minutes)


def workspace_dir(args) -> Path:
    """--workspace, else $PLANNER_WORKSPACE, else ./workspace: the scenarios and the progress record."""
    import os

    from planner.io import REPO_ROOT

    return Path(args.workspace or os.environ.get("PLANNER_WORKSPACE") or REPO_ROOT / "workspace")


def scenario_store(args):
    from planner.store import ScenarioStore

    return ScenarioStore(workspace_dir(args) / "scenarios.sqlite")
