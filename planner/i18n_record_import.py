"""Texts of the record import (key: (Vietnamese, English)); planner.i18n merges them. Imports nothing."""

TEXT: dict[str, tuple[str, str]] = {
}
