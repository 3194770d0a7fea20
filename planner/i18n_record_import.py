"""Texts of the record import (key: (Vietnamese, English)); planner.i18n merges them. Imports nothing."""

TEXT: dict[str, tuple[str, str]] = {
    # the list's columns, as the template heads them
    "recimp.col.point_id": ("Mã điểm", "Point id"),
    "recimp.col.name": ("Tên điểm", "Point name"),
    "recimp.col.commune": ("Xã/phường", "Commune/ward"),
    "recimp.col.kind": ("Loại điểm", "Kind of point"),
    "recimp.col.status": ("Trạng thái", "Status"),
    "recimp.col.on": ("Ngày", "Date"),
    "recimp.col.cost_vnd": ("Kinh phí (đồng)", "Cost (đồng)"),
    "recimp.col.funding": ("Nguồn vốn", "Funding"),
    "recimp.col.note": ("Ghi chú", "Note"),
    "recimp.col.lon": ("Kinh độ", "Longitude"),
    "recimp.col.lat": ("Vĩ độ", "Latitude"),
    "recimp.id_or_name": ("Mã điểm hoặc Tên điểm", "Point id or Point name"),
    # the template's sheets
    "recimp.sheet_list": ("Danh sách", "List"),
    "recimp.sheet_help": ("Hướng dẫn", "Instructions"),
    "recimp.sheet_communes": ("Xã", "Communes"),
    "recimp.sheet_points": ("Điểm", "Points"),
    "recimp.commune_code": ("Mã xã", "Commune code"),
    "recimp.commune_name": ("Tên xã/phường", "Commune name"),
    "recimp.help_column": ("Cột", "Column"),
    "recimp.help_required": ("Bắt buộc", "Required"),
    "recimp.help_what": ("Ghi gì", "What to write"),
    "recimp.help_allowed": ("Giá trị được nhận", "Words accepted"),
    "recimp.help_yes": ("có", "yes"),
    "recimp.help_no": ("không", "no"),
    "recimp.help_either": ("có (Mã điểm hoặc Tên điểm)", "yes (Point id or Point name)"),
    "recimp.help_intro": (
        "Mỗi dòng ở trang 'Danh sách' là một lần thay đổi trạng thái của một điểm vui chơi hoặc điểm văn hóa "
        "(ví dụ: được phê duyệt, khởi công, đưa vào sử dụng). Một điểm có thể có nhiều dòng. "
        "Không đổi tên dòng tiêu đề.",
        "Each row of the 'List' sheet is one change of status of one play or culture point (approved, building "
        "started, in use, ...). A point may have several rows. Do not rename the header row.",
    ),
    "recimp.help_dates": (
        "Ngày viết ngày trước, tháng sau: dd/mm/yyyy (ví dụ 05/03/2025 là ngày 5 tháng 3). Không viết tháng trước. "
        "Nếu Excel đổi ngày bạn gõ, hãy kiểm tra ô hiện đúng ngày.",
        "Dates are written day first: dd/mm/yyyy (05/03/2025 is 5 March 2025), never month first. "
        "If Excel changes a date you typed, check that the cell shows the day you meant.",
    ),
    "recimp.help_ids": (
        "Điểm đã có: chép Mã điểm ở trang 'Điểm'. Điểm mới: để trống Mã điểm và ghi Tên điểm; "
        "chương trình tạo mã từ mã xã và tên.",
        "A point already known: copy its id from the 'Points' sheet. A new point: leave the id empty and write "
        "its name; the tool makes an id from the commune code and the name.",
    ),
    "recimp.help_example": ("Ví dụ một dòng (không ghi ví dụ vào trang 'Danh sách'):",
                            "An example row (do not copy it into the 'List' sheet):"),
    "recimp.example_name": ("Sân chơi bản Mới", "Bản Mới playground"),
    "recimp.example_note": ("Hoàn thành, bàn giao cho thôn", "Finished, handed over to the village"),
    "recimp.help.point_id": ("Mã của điểm (chép ở trang 'Điểm'); để trống nếu là điểm mới",
                             "The point's id (copy it from the 'Points' sheet); empty for a new point"),
    "recimp.help.name": ("Tên điểm; bắt buộc với điểm mới", "The point's name; required for a new point"),
    "recimp.help.commune": ("Tên hoặc mã xã/phường (xem trang 'Xã')", "The commune's name or code (see the 'Communes' sheet)"),
    "recimp.help.kind": ("Loại điểm; để trống là Khu vui chơi", "Kind of point; empty means Play area"),
    "recimp.help.status": (
        "Trạng thái từ ngày ghi ở cột Ngày. Cũng nhận: Kế hoạch, Phê duyệt, Đang thi công, Đưa vào sử dụng, "
        "Đang hoạt động, Đóng cửa, Ngừng hoạt động",
        "The status from the day in the Date column. Also accepted: the Vietnamese words and planned, approved, "
        "under_construction, in_use, closed",
    ),
    "recimp.help.on": ("Ngày bắt đầu trạng thái, dd/mm/yyyy (ngày trước tháng); từ năm 2000 đến hôm nay",
                       "The day the status began, dd/mm/yyyy (day first); from 2000 up to today"),
    "recimp.help.cost_vnd": ("Kinh phí thực tế của cả điểm, số đồng (ví dụ 1.500.000.000); có thể để trống",
                             "The actual cost of the whole point, in đồng (e.g. 1,500,000,000); may be empty"),
    "recimp.help.funding": ("Nguồn vốn; cũng nhận NSNN, XHH; có thể để trống",
                            "The source of funds; NSNN and XHH also accepted; may be empty"),
    "recimp.help.note": ("Ghi chú tự do", "Any note"),
    "recimp.help.lon": ("Kinh độ (độ thập phân, Lai Châu khoảng 102–104); nên ghi cho điểm mới",
                        "Longitude (decimal degrees, about 102–104 in Lai Châu); write it for a new point"),
    "recimp.help.lat": ("Vĩ độ (độ thập phân, Lai Châu khoảng 21–23); nên ghi cho điểm mới",
                        "Latitude (decimal degrees, about 21–23 in Lai Châu); write it for a new point"),
    "recimp.date_words": ("dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, yyyy-mm-dd hoặc ô ngày của Excel",
                          "dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, yyyy-mm-dd or an Excel date cell"),
    # the file as a whole
    "err.recimp_format": (
        "{file}: không đọc được loại tệp '{ext}'. Danh sách công trình phải là tệp Excel (.xlsx) hoặc CSV; "
        "nhận các đuôi: {known}",
        "{file}: files of type '{ext}' cannot be read. A list of what was built must be an Excel workbook "
        "(.xlsx) or a CSV file; accepted endings: {known}",
    ),
    "err.recimp_text_as_xlsx": (
        "{file}: tệp có đuôi .xlsx nhưng là văn bản, không phải sổ Excel. Nếu là danh sách CSV, hãy đổi đuôi thành "
        ".csv; nếu không, mở bằng Excel và lưu lại dạng .xlsx",
        "{file}: the file ends in .xlsx but holds text, not an Excel workbook. If it is a CSV list, rename it to "
        ".csv; otherwise open it in Excel and save it as .xlsx",
    ),
    "recimp.missing_columns": (
        "{file}: thiếu cột bắt buộc: {missing}. Các cột có trong tệp: {found}. Hãy dùng tiêu đề như tệp mẫu",
        "{file}: required columns missing: {missing}. Columns in the file: {found}. Use the template's headers",
    ),
    "recimp.entry": ("{file}, dòng {row}: {detail}", "{file}, row {row}: {detail}"),
    "recimp.ignored_columns": (
        "{file}: các cột không dùng: {columns}. Kinh phí chỉ đọc ở cột \u201cKinh phí (đồng)\u201d, ghi bằng đồng "
        "(một cột tính bằng triệu đồng hay tỷ đồng không được đọc, để không nhầm đơn vị).",
        "{file}: columns not used: {columns}. The cost is read only from the column \u201cKinh phí (đồng)\u201d, in đồng "
        "(a column in millions or billions is not read, so that no unit is mistaken).",
    ),
    "recimp.no_rows": ("{file}: không có dòng nào ghi nhận được; hãy điền danh sách ở trang đầu (dưới dòng tiêu đề)",
                       "{file}: no row can be recorded; fill in the list below the header row"),
    "recimp.skipped_rows": (
        "{file}: bỏ qua {n} dòng không có gì ở các cột được đọc (dòng {rows})",
        "{file}: {n} row(s) with nothing in the columns read were skipped (rows {rows})",
    ),
    # one row
    "recimp.missing_value": ("{file}, dòng {row}: thiếu '{column}'; hãy ghi giá trị",
                             "{file}, row {row}: '{column}' is empty; write a value"),
    "recimp.no_id_or_name": ("{file}, dòng {row}: thiếu cả Mã điểm và Tên điểm; hãy ghi một trong hai",
                             "{file}, row {row}: neither a point id nor a name; write one of them"),
    "recimp.bad_word": ("{file}, dòng {row}, cột '{column}': không hiểu '{value}'; hãy ghi một trong: {allowed}",
                        "{file}, row {row}, column '{column}': '{value}' is not understood; write one of: {allowed}"),
    "recimp.bad_date": (
        "{file}, dòng {row}, cột '{column}': không đọc được ngày '{value}'; hãy ghi ngày trước tháng, dạng dd/mm/yyyy "
        "(ví dụ 05/03/2025)",
        "{file}, row {row}, column '{column}': the date '{value}' cannot be read; write the day first, dd/mm/yyyy "
        "(e.g. 05/03/2025)",
    ),
    "recimp.unknown_commune": (
        "{file}, dòng {row}, cột '{column}': không có xã/phường '{value}' trong gói dữ liệu; hãy ghi tên hoặc mã ở trang "
        "'Xã' của tệp mẫu",
        "{file}, row {row}, column '{column}': no commune '{value}' in the data package; write a name or code from "
        "the template's 'Communes' sheet",
    ),
    "recimp.unknown_commune_close": (
        "{file}, dòng {row}, cột '{column}': không có xã/phường '{value}' trong gói dữ liệu; có phải là: {close}?",
        "{file}, row {row}, column '{column}': no commune '{value}' in the data package; did you mean: {close}?",
    ),
    "recimp.point_commune": (
        "{file}, dòng {row}: điểm {id} thuộc {point_commune}, nhưng dòng này ghi {commune}; hãy sửa Mã điểm hoặc Xã/phường",
        "{file}, row {row}: point {id} is in {point_commune}, but this row says {commune}; correct the id or the commune",
    ),
    "recimp.name_ambiguous": ("{file}, dòng {row}: xã có nhiều điểm tên '{name}' ({ids}); hãy ghi Mã điểm",
                              "{file}, row {row}: several points of this commune are named '{name}' ({ids}); write the id"),
    "recimp.new_without_name": (
        "{file}, dòng {row}: điểm {id} là điểm mới (chưa có trong gói dữ liệu và sổ ghi nhận); hãy ghi Tên điểm, "
        "hoặc sửa Mã điểm nếu là điểm đã có",
        "{file}, row {row}: point {id} is new (neither in the data package nor in the record); write its name, "
        "or correct the id if the point is known",
    ),
    "recimp.bad_coordinate": ("{file}, dòng {row}, cột '{column}': '{value}' không phải tọa độ; hãy ghi độ thập phân "
                              "(ví dụ 103,4512)",
                              "{file}, row {row}, column '{column}': '{value}' is not a coordinate; write decimal "
                              "degrees (e.g. 103.4512)"),
    "recimp.half_coordinate": ("{file}, dòng {row}: chỉ có một trong Kinh độ, Vĩ độ; hãy ghi cả hai hoặc để trống cả hai",
                               "{file}, row {row}: only one of longitude and latitude; write both or neither"),
    "recimp.coordinate_range": (
        "{file}, dòng {row}: tọa độ ({lon}, {lat}) nằm ngoài phạm vi (kinh độ -180 … 180, vĩ độ -90 … 90); ở Lai Châu "
        "kinh độ khoảng 102–104, vĩ độ khoảng 21–23: kiểm tra hai cột có bị đổi chỗ",
        "{file}, row {row}: the coordinates ({lon}, {lat}) are out of range (longitude -180 … 180, latitude -90 … 90); "
        "in Lai Châu longitude is about 102–104 and latitude 21–23: check that the columns are not swapped",
    ),
    "recimp.bad_cost": ("{file}, dòng {row}, cột '{column}': '{value}' không phải số đồng; hãy ghi số nguyên không âm "
                        "(ví dụ 1.500.000.000)",
                        "{file}, row {row}, column '{column}': '{value}' is not an amount of đồng; write a whole "
                        "number, not negative (e.g. 1,500,000,000)"),
    "recimp.duplicate": (
        "{file}, dòng {row}: điểm {id} đã có trạng thái '{status}' ngày {on} ở dòng {first}; hãy xóa một dòng",
        "{file}, row {row}: point {id} already has the status '{status}' on {on} in row {first}; delete one row",
    ),
    "recimp.id_made": (
        "{file}, dòng {row}: không có Mã điểm; điểm mới '{name}' được đặt mã {id} (từ mã xã và tên)",
        "{file}, row {row}: no point id; the new point '{name}' gets the id {id} (from the commune code and the name)",
    ),
    "recimp.id_from_name": (
        "{file}, dòng {row}: không có Mã điểm; dùng mã {id} của điểm đã có cùng tên '{name}' trong xã",
        "{file}, row {row}: no point id; the id {id} of the known point named '{name}' in this commune is used",
    ),
    "recimp.no_coordinates": (
        "{file}, dòng {row}: điểm mới {id} không có tọa độ: được tính cho xã của nó nhưng không tính được số trẻ em "
        "trong tầm tiếp cận; hãy ghi Kinh độ, Vĩ độ",
        "{file}, row {row}: the new point {id} has no coordinates: it counts for its commune but not for children "
        "within reach; write its longitude and latitude",
    ),
    "recimp.kind_assumed": ("{file}, dòng {row}: điểm mới {id} không ghi Loại điểm; coi là {kind}",
                            "{file}, row {row}: the new point {id} has no kind; taken as {kind}"),
}
