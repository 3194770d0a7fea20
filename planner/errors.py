"""One small error hierarchy. Each error carries a message key that `planner.i18n` translates."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, where it is, and (through its key) what to do."""

    key: str
    params: dict = field(default_factory=dict)
    layer: str = ""
    row: int | None = None
    column: str = ""
    severity: str = "error"  # "error" blocks, "warning" does not

    def message(self, lang: str = "en") -> str:
        from planner.i18n import problem_text

        return problem_text(self, lang)


class PlannerError(ValueError):
    """An error a user can fix; the app and CLI show its message, never a traceback."""

    def __init__(self, key: str, problems: tuple[Problem, ...] = (), **params):
        self.key = key
        self.params = params
        self.problems = tuple(problems)
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        from planner.i18n import error_text

        return error_text(self, lang)


class DataPackageError(PlannerError):
    """The data package is missing a file or has files that break the contracts."""


class UsageError(PlannerError):
    """An option value is out of range or malformed."""


def error_detail(exc: BaseException) -> str:
    """The first line of an exception's message (its type when it has none), short enough for a report."""
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__
