"""Make the printed-map pictures in docs/ again: one per page's map, from the demo data.

    .venv/bin/python scripts/docs_maps.py

The scenario is the one a planner would sketch first: a point at the centre of each of the six
highest-ranked communes without one, phased by a budget of 3 tỷ đồng a year. The date printed
is fixed so that the pictures only change when the maps do.
"""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.analysis import Analysis  # noqa: E402
from planner.io import read_package  # noqa: E402
from planner.printmap import print_map  # noqa: E402
from planner.proposals import propose_at  # noqa: E402
from planner.ranking import target_path  # noqa: E402
from planner.scenarios import YEARS, Scenario, auto_phase  # noqa: E402

WHEN = datetime(2026, 3, 5, 2, 30, tzinfo=timezone.utc)  # 09:30 in Lai Châu
SHEETS = (("overview", "A4", "landscape"), ("priorities", "A4", "landscape"), ("sites", "A3", "portrait"),
          ("scenarios", "A4", "landscape"))


def first_sketch(analysis: Analysis) -> Scenario:
    package = analysis.package
    todo = target_path(analysis.ranking(preset="balanced"))["code"].head(6)
    centres = package.communes.set_index("code").geometry.representative_point()
    proposals: tuple = ()
    for code in todo:
        where = centres[code]
        proposals += (propose_at(package, where.x, where.y, existing=proposals),)
    placed, unfit = auto_phase(proposals, {y: 3_000_000_000 for y in YEARS})
    return Scenario(name="Ưu tiên 6 xã đầu bảng", proposals=placed + unfit, budget_by_year={y: 3_000_000_000 for y in YEARS})


def main() -> None:
    analysis = Analysis.of(read_package(ROOT / "data"), radius_m=2000)
    scenario = first_sketch(analysis)
    for view, paper, orientation in SHEETS:
        out = ROOT / "docs" / f"print-{view}-{paper}-{orientation}.png"
        out.write_bytes(print_map(analysis, view=view, paper=paper, orientation=orientation, file_format="png",
                                  scenario=None if view in ("overview", "priorities") else scenario, now=WHEN))
        print(f"{out.relative_to(ROOT)}: {out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
