"""Texts of the report (key: (Vietnamese, English)); planner.i18n merges them. Imports nothing."""

TEXT: dict[str, tuple[str, str]] = {
    "report.page": ("Trang", "Page"),  # before the page number in the report's footer
    "report.opened": ("Điểm mới đưa vào sử dụng trong kỳ", "Points opened in the period"),
}
