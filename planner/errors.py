"""One small error hierarchy. Each error carries a message key that `planner.i18n` translates.

The dependency is one way: this module uses `planner.i18n`, which knows nothing of errors.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from planner.i18n import DEFAULT_LANG, t
from planner.labels import humanize


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, where it is, and (through its key) what to do."""

    key: str
    params: dict = field(default_factory=dict)
    layer: str = ""
    row: int | None = None
    column: str = ""
    severity: str = "error"  # "error" blocks, "warning" does not

    def message(self, lang: str = "en", *, machine: bool = False) -> str:
        """The message in `lang`; with `machine` (the command line), fields and values are named by
        their words and, in parentheses, the names scripts use."""
        return problem_text(self, lang, machine=machine)


class PlannerError(ValueError):
    """An error a user can fix; the app and CLI show its message, never a traceback."""

    def __init__(self, key: str, problems: tuple[Problem, ...] = (), **params):
        self.key = key
        self.params = params
        self.problems = tuple(problems)
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return error_text(self, lang)

    def __reduce__(self):
        # pickled whole (key, problems, params): the import worker sends errors back to the app
        return (_rebuild, (type(self), self.key, self.problems, self.params))


def _rebuild(cls, key: str, problems: tuple, params: dict) -> PlannerError:
    return cls(key, problems, **params)


class DataPackageError(PlannerError):
    """The data package is missing a file or has files that break the contracts."""


class UsageError(PlannerError):
    """An option value is out of range or malformed."""


def _english(params: dict, lang: str) -> dict:
    """The words a caller wrote both ways (`name`, `name_en`): the English ones, for an English reader."""
    return {k[:-3]: v for k, v in params.items() if lang == "en" and k.endswith("_en")}


def problem_text(problem: Problem, lang: str = DEFAULT_LANG, *, machine: bool = False) -> str:
    """A problem's message in `lang`: words the caller translated already (`name`, `name_en`), the
    expected type or geometry named in `lang`, fields, values and coordinate systems in words
    (`planner.labels.humanize`)."""
    params = humanize(problem.key, problem.params, kind=problem.layer, lang=lang, machine=machine)
    params.update(_english(problem.params, lang))
    for name in ("expected",):
        if name in params:
            params[name] = t(f"type.{params[name]}", lang)
    if problem.key == "prob.geometry":
        params["expected"] = t(f"geom.{problem.params['expected']}", lang)
    return t(problem.key, lang, **params)


def error_text(error: PlannerError, lang: str = DEFAULT_LANG) -> str:
    """An error's message in `lang`; with problems, their count (`n`) and messages (`details`)."""
    params = humanize(error.key, error.params, lang=lang)
    params.update(_english(error.params, lang))
    if error.problems:
        params["n"] = len(error.problems)
        params["details"] = "; ".join(p.message(lang) for p in error.problems)
    return t(error.key, lang, **params)


def error_detail(exc: BaseException) -> str:
    """The first line of an exception's message (its type when it has none), short enough for a report."""
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__
