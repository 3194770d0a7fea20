"""Texts of the progress record and its figures (key: (Vietnamese, English)); planner.i18n merges
them. Imports nothing."""

TEXT: dict[str, tuple[str, str]] = {
    "record.status.planned": ("Đã lên kế hoạch", "Planned"),
    "record.status.approved": ("Đã phê duyệt", "Approved"),
    "record.status.under_construction": ("Đang xây dựng", "Under construction"),
    "record.status.in_use": ("Đang sử dụng", "In use"),
    "record.status.closed": ("Đã đóng cửa", "Closed"),
    "err.record_value": (
        "Giá trị không hợp lệ ở trường {field}: {value}. Giá trị cho phép: {allowed}",
        "Invalid value for {field}: {value}. Allowed: {allowed}",
    ),
    "err.record_date": (
        "Ngày {value} không hợp lệ: ngày ghi nhận phải từ {first} đến hôm nay ({today}); "
        "không ghi trước những việc chưa xảy ra.",
        "The date {value} is not allowed: a recorded date lies between {first} and today ({today}); "
        "nothing is recorded before it happens.",
    ),
    "err.record_missing": ("Không có mục số {seq} trong sổ theo dõi của gói dữ liệu này.",
                           "There is no entry {seq} in this data package's record."),
    "err.record_other_point": ("Mục số {seq} là của điểm {point}, không phải điểm đang sửa.",
                               "Entry {seq} belongs to point {point}, not to the point being corrected."),
    "err.record_conflict": (
        "Mục số {seq} đã được {who} sửa lúc {when}. Tải lại trang để xem bản mới nhất rồi sửa lại nếu cần; "
        "chưa có gì được ghi.",
        "Entry {seq} was corrected by {who} at {when}. Reload the page to see the latest, then correct it again "
        "if needed; nothing was recorded.",
    ),
}
