"""The province's facility targets (Action Programme 28-CT/TW, section II.2) and progress on them.

Shares are exact fractions, and "how many more are needed" is integer arithmetic:
ceil(target x total) - achieved, so 35% of 38 communes needs 14 (not 13.3, not 13).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

# indicator -> ((year, target share), ...)
TARGETS: dict[str, tuple[tuple[int, Fraction], ...]] = {
    "play_point": ((2025, Fraction(30, 100)), (2030, Fraction(35, 100))),
    "child_friendly": ((2025, Fraction(843, 1000)), (2030, Fraction(85, 100))),
    "school_toilet": ((2025, Fraction(1)), (2030, Fraction(1))),
    "psych_support": ((2025, Fraction(1)), (2030, Fraction(1))),
}


@dataclass(frozen=True)
class TargetGap:
    year: int
    target: Fraction
    required: int  # units needed to meet the target: ceil(target x total)
    needed: int  # how many more units must meet the criterion (0 when met)

    @property
    def met(self) -> bool:
        return self.needed == 0


@dataclass(frozen=True)
class Indicator:
    key: str
    achieved: int
    total: int
    gaps: tuple[TargetGap, ...]

    @property
    def share(self) -> Fraction:
        return Fraction(self.achieved, self.total) if self.total else Fraction(0)

    def gap(self, year: int) -> TargetGap:
        return next(g for g in self.gaps if g.year == year)


def required_count(target: Fraction, total: int) -> int:
    """Smallest whole number of units whose share of `total` reaches `target`."""
    return -((-target.numerator * total) // target.denominator)


def indicator(key: str, *, achieved: int, total: int) -> Indicator:
    """Progress of `achieved` out of `total` units against the targets for `key`."""
    if not 0 <= achieved <= total:
        raise ValueError(f"achieved={achieved} must lie in 0..total={total}")
    gaps = tuple(
        TargetGap(year, share, required_count(share, total), max(0, required_count(share, total) - achieved))
        for year, share in TARGETS[key]
    )
    return Indicator(key, achieved, total, gaps)
