"""Every user-facing string, in Vietnamese (default) and English."""
from __future__ import annotations

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"

# key: (Vietnamese, English). Placeholders use str.format names.
TEXT: dict[str, tuple[str, str]] = {
    # app shell
    "app.title": ("Quy hoạch điểm vui chơi trẻ em — Lai Châu", "Children's play-point planner — Lai Châu"),
    "app.language": ("Ngôn ngữ", "Language"),
    "app.language_both": ("Ngôn ngữ / Language", "Ngôn ngữ / Language"),
    "lang.vi": ("Tiếng Việt", "Tiếng Việt"),
    "lang.en": ("English", "English"),
    "app.radius": ("Bán kính tiếp cận (m)", "Reach radius (m)"),
    "app.radius_help": (
        "Trẻ em sống trong bán kính này (đường chim bay) tính là được tiếp cận một điểm vui chơi.",
        "Children living within this straight-line distance of a point count as reached.",
    ),
    "app.data_source": ("Nguồn dữ liệu", "Data source"),
    # sign-in and who may change what (ui/auth.py, planner/accounts.py, planner/cli_accounts.py)
    "auth.heading": ("Đăng nhập để sửa", "Sign in to edit"),
    "auth.name": ("Tên tài khoản", "Account name"),
    "auth.password": ("Mật khẩu", "Password"),
    "auth.sign_in": ("Đăng nhập", "Sign in"),
    "auth.sign_in_provider": ("Đăng nhập bằng {provider}", "Sign in with {provider}"),
    "auth.provider_default": ("tài khoản cơ quan", "your organisation's account"),
    "auth.sign_out": ("Đăng xuất", "Sign out"),
    "auth.signed_in": ("Đã đăng nhập: {name}", "Signed in as {name}"),
    "auth.failed": ("Sai tên tài khoản hoặc mật khẩu", "Wrong account name or password"),
    "auth.wait": (
        "Đăng nhập sai nhiều lần; hãy thử lại sau {s} giây",
        "Too many failed sign-ins; try again in {s} seconds",
    ),
    "auth.locked": (
        "Chỉ người đã đăng nhập mới được lưu, xóa, khôi phục kịch bản và nhập dữ liệu. "
        "Bạn vẫn xem và tải xuống được mọi thứ. Đăng nhập ở thanh bên.",
        "Only signed-in users may save, delete or restore scenarios and import data. "
        "You can still view and download everything. Sign in in the sidebar.",
    ),
    "auth.locked_config": (
        "Chức năng sửa đang khóa vì cấu hình đăng nhập có lỗi (xem thanh bên); hãy báo quản trị viên.",
        "Editing is locked because the sign-in setup has an error (see the sidebar); tell the administrator.",
    ),
    "auth.secrets_broken": (
        "Không đọc được .streamlit/secrets.toml (xem nhật ký máy chủ); chức năng sửa đang khóa.",
        "Cannot read .streamlit/secrets.toml (see the server log); editing is locked.",
    ),
    "auth.refused": (
        "Thao tác bị từ chối vì bạn chưa đăng nhập (hoặc tài khoản đã bị thu hồi); không có gì bị thay đổi.",
        "Refused: you are not signed in (or your account was revoked); nothing was changed.",
    ),
    "err.account_name": (
        "Tên tài khoản “{name}” không hợp lệ: cần 1–{most} ký tự gồm chữ, số, dấu cách và . _ @ -",
        "Invalid account name “{name}”: use 1–{most} letters, digits, spaces or . _ @ -",
    ),
    "err.password_short": ("Mật khẩu phải có ít nhất {least} ký tự", "The password needs at least {least} characters"),
    "err.password_mismatch": ("Hai lần nhập mật khẩu không khớp", "The two passwords do not match"),
    "err.account_unknown": ("Không có tài khoản “{name}”", "No account named “{name}”"),
    "err.accounts_missing": (
        "Không tìm thấy tệp tài khoản {path}; mọi chức năng sửa bị khóa cho đến khi có tệp "
        "(tạo bằng: python -m planner accounts add TÊN)",
        "Accounts file {path} not found; editing stays locked until it exists "
        "(create it with: python -m planner accounts add NAME)",
    ),
    "err.accounts_toml": (
        "Tệp tài khoản {path} không đọc được (TOML): {detail}",
        "The accounts file {path} cannot be read as TOML: {detail}",
    ),
    "err.accounts_shape": (
        "Tệp tài khoản {path} chỉ được chứa các bảng [users.\"tên\"], mỗi bảng một dòng password_hash",
        "The accounts file {path} may only hold [users.\"name\"] tables, each with one password_hash",
    ),
    "err.accounts_entry": (
        "Tệp tài khoản {path}: tài khoản “{name}” có tên hoặc mã băm mật khẩu không hợp lệ; "
        "đặt lại bằng: python -m planner accounts add TÊN",
        "Accounts file {path}: account “{name}” has an invalid name or password hash; "
        "set it again with: python -m planner accounts add NAME",
    ),
    "cli.password_prompt": ("Mật khẩu: ", "Password: "),
    "cli.password_again": ("Nhập lại mật khẩu: ", "Password again: "),
    "cli.account_added": ("Đã thêm tài khoản “{name}” vào {path}", "Account “{name}” added to {path}"),
    "cli.account_changed": ("Đã đổi mật khẩu của “{name}” trong {path}", "Password of “{name}” changed in {path}"),
    "cli.account_removed": ("Đã xóa tài khoản “{name}” khỏi {path}", "Account “{name}” removed from {path}"),
    "cli.accounts_none_left": (
        "Không còn tài khoản nào: không ai sửa được; xóa tệp {path} để tắt đăng nhập",
        "No account left: nobody can edit; delete {path} to turn sign-in off",
    ),
    "scn.delete": ("Xóa “{name}”", "Delete “{name}”"),
    "scn.delete_confirm": (
        "Xóa “{name}” (phiên bản mới nhất {version})? Kịch bản sẽ không còn trong danh sách; "
        "các phiên bản vẫn được giữ trong cơ sở dữ liệu.",
        "Delete “{name}” (latest version {version})? It leaves the list; "
        "its versions stay in the database.",
    ),
    "scn.delete_yes": ("Có, xóa", "Yes, delete"),
    "scn.delete_cancel": ("Hủy", "Cancel"),
    "scn.deleted": ("Đã xóa “{name}”", "Deleted “{name}”"),
    "app.demo_note": (
        "Dữ liệu minh họa: tên, mã, tâm và diện tích đơn vị hành chính là chính thức; ranh giới gần đúng; "
        "dân số, trẻ em, cơ sở và thuộc tính xã là giả định. Không dùng cho quyết định thật.",
        "Demo data: unit names, codes, centres and areas are official; boundaries are approximate; "
        "population, children, facilities and commune attributes are illustrative. Not for real decisions.",
    ),
    # faults and untrusted input (ui/logs.py, planner/io.py, planner/store.py, planner/scenarios.py)
    "fault.unexpected": (
        "Đã xảy ra lỗi ngoài dự kiến; lỗi đã được ghi vào nhật ký máy chủ với mã {ref}. "
        "Hãy tải lại trang; nếu lỗi lặp lại, báo mã này cho quản trị viên.",
        "Something went wrong; the error was logged on the server with reference {ref}. "
        "Reload the page; if it happens again, give this reference to your administrator.",
    ),
    "fault.package_help": (
        "Mở trang Dữ liệu để nhập lại dữ liệu của tỉnh hoặc quay lại dữ liệu minh họa.",
        "Open the Data page to import the province's data again or go back to the demo data.",
    ),
    "fault.package_fallback": (
        "Gói dữ liệu đã chọn trước đây ({path}) không còn (đã bị xóa hoặc di chuyển); đang dùng dữ liệu minh họa. "
        "Mở trang Dữ liệu để nhập lại.",
        "The data package chosen earlier ({path}) is gone (deleted or moved); using the demo data. "
        "Open the Data page to import it again.",
    ),
    "err.disk_full": (
        "Ổ đĩa của máy chủ đã đầy: chưa lưu được gì vào {path}, bản trước vẫn nguyên vẹn. "
        "Hãy giải phóng dung lượng (hoặc báo quản trị viên) rồi thử lại.",
        "The server's disk is full: nothing was saved to {path} and the previous version is intact. "
        "Free some space (or tell the administrator), then try again.",
    ),
    "err.gpkg_not_sqlite": (
        "{file}: không phải tệp GeoPackage (.gpkg là một cơ sở dữ liệu SQLite)",
        "{file}: not a GeoPackage (a .gpkg file is an SQLite database)",
    ),
    "err.gpkg_sql": (
        "{file}: GeoPackage bị từ chối vì chứa mã SQL chạy khi đọc (view hoặc cột tính toán: {names}). "
        "Hãy xuất lại lớp dữ liệu thành bảng thường (QGIS: Xuất > Lưu đối tượng thành…).",
        "{file}: GeoPackage refused: it holds SQL that runs when it is read (views or computed columns: {names}). "
        "Export the layer again as a plain table (QGIS: Export > Save Features As…).",
    ),
    "err.scenario_value": (
        "Kịch bản có giá trị không hợp lệ: {field} = {value} (cho phép: {allowed})",
        "The scenario has an invalid value: {field} = {value} (allowed: {allowed})",
    ),
    "err.imp_no_geometry": (
        "{file}: lớp '{layer}' không có hình học (là bảng thường); hãy dùng lớp có điểm hoặc vùng",
        "{file}: layer '{layer}' has no geometry (it is a plain table); use a layer with points or polygons",
    ),
    "prob.coords_range": (
        "{file}: tọa độ không hợp lệ (không phải số hữu hạn, hoặc ngoài kinh độ -180…180, vĩ độ -90…90) "
        "ở {n} dòng (ví dụ dòng {rows}); hãy kiểm tra hệ tọa độ",
        "{file}: invalid coordinates (not finite, or outside longitude -180…180, latitude -90…90) "
        "in {n} row(s) (e.g. rows {rows}); check the coordinate system",
    ),
    "opt.time_limit_gap": (
        "Trình giải dừng ở giới hạn thời gian {limit} giây: đây là phương án tốt nhất tìm được, "
        "có thể kém phương án tối ưu tới {gap}.",
        "The solver stopped at its time limit of {limit} s: this is the best answer found, "
        "at most {gap} short of the optimum.",
    ),
    "opt.time_limit_nogap": (
        "Trình giải dừng ở giới hạn thời gian {limit} giây: đây là phương án tốt nhất tìm được "
        "(chưa biết còn cách phương án tối ưu bao xa).",
        "The solver stopped at its time limit of {limit} s: this is the best answer found "
        "(how far it is from the optimum is not known).",
    ),
    "opt.stopped": (
        "Trình giải dừng trước khi chứng minh được tối ưu (trạng thái: {status}): đây là phương án tốt nhất tìm được.",
        "The solver stopped before proving the optimum (status: {status}): this is the best answer found.",
    ),
    "opt.no_solution": (
        "Trình giải không tìm được phương án trong {limit} giây (trạng thái: {status}); đang hiện phương án nhanh.",
        "The solver found no answer within {limit} s (status: {status}); showing the fast answer instead.",
    ),
    "app.basemap": ("Hiện bản đồ nền (cần Internet)", "Show basemap tiles (needs internet)"),
    "app.error_title": ("Không thể tiếp tục", "Cannot continue"),
    "page.overview": ("Tổng quan", "Overview"),
    # overview
    "overview.heading": ("Tổng quan mục tiêu và bản đồ", "Targets and map"),
    "overview.targets": ("Chỉ tiêu cơ sở vật chất (Chương trình hành động 28-CT/TW)", "Facility targets (Action Programme 28-CT/TW)"),
    "overview.map": ("Bản đồ", "Map"),
    "overview.table": ("Bảng theo xã", "Commune table"),
    "overview.legacy_note": (
        "Theo 106 xã cũ (trước 1/7/2025, cơ sở của chỉ tiêu 2025): {with_point}/{total} xã có điểm ({share}).",
        "On the 106 pre-2025 communes (the base of the 2025 target): {with_point}/{total} with a point ({share}).",
    ),
    "card.current": ("Hiện tại", "Now"),
    "card.target": ("Mục tiêu {year}: {target}", "{year} target: {target}"),
    "card.met": ("đạt", "met"),
    "card.gap_communes": ("thiếu {n} xã", "{n} communes short"),
    "card.gap_schools": ("thiếu {n} trường", "{n} schools short"),
    "card.reach": ("Trẻ em trong bán kính {radius} m", "Children within {radius} m"),
    "card.reach_detail": ("{within} / {total} trẻ em ({share})", "{within} of {total} children ({share})"),
    "indicator.play_point": ("Xã có điểm văn hóa, vui chơi cho trẻ em", "Communes with a play/culture point"),
    "indicator.child_friendly": ("Xã phù hợp với trẻ em", "Child-friendly communes"),
    "indicator.school_toilet": ("Điểm trường có công trình vệ sinh đạt chuẩn", "School sites with standard toilets"),
    "indicator.psych_support": ("Trường có dịch vụ hỗ trợ tâm lý", "Schools with psychological support"),
    "indicator.fraction": ("{num}/{den}", "{num} of {den}"),
    # map
    "map.communes": ("Xã, phường", "Communes"),
    "map.has_point": ("Có điểm vui chơi/văn hóa", "Has a play/culture point"),
    "map.no_point": ("Chưa có điểm", "No point yet"),
    "map.play_points": ("Điểm vui chơi, văn hóa", "Play/culture points"),
    "map.under_construction": ("Đang xây dựng", "Under construction"),
    "map.schools": ("Trường, điểm trường", "Schools and satellite sites"),
    "map.toilet_ok": ("Trường có vệ sinh đạt chuẩn", "School with standard toilet"),
    "map.toilet_missing": ("Trường chưa có vệ sinh đạt chuẩn", "School without standard toilet"),
    "map.villages": ("Thôn, bản (trẻ em)", "Villages (children)"),
    "map.reach": ("Vùng trong bán kính", "Within radius"),
    "map.legend": ("Chú giải", "Legend"),
    # columns
    "col.code": ("Mã", "Code"),
    "col.name": ("Tên", "Name"),
    "col.kind": ("Loại", "Kind"),
    "col.population": ("Dân số", "Population"),
    "col.children": ("Trẻ em (<16)", "Children (<16)"),
    "col.children_within": ("Trẻ em trong bán kính", "Children within radius"),
    "col.reach_share": ("Tỷ lệ tiếp cận", "Share reached"),
    "col.points": ("Số điểm hiện có", "Existing points"),
    "col.has_point": ("Có điểm", "Has point"),
    "col.schools": ("Số điểm trường", "School sites"),
    "col.schools_toilet": ("Có vệ sinh đạt chuẩn", "With standard toilet"),
    "col.child_friendly": ("Phù hợp với trẻ em", "Child-friendly"),
    "col.especially_difficult": ("ĐBKK", "Especially difficult"),
    "col.poverty_rate": ("Tỷ lệ hộ nghèo", "Poverty rate"),
    "col.ethnic_minority_share": ("Tỷ lệ DTTS", "Ethnic-minority share"),
    "col.level": ("Cấp học", "Level"),
    "col.status": ("Trạng thái", "Status"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    # values
    "kind.xã": ("Xã", "Commune"),
    "kind.phường": ("Phường", "Ward"),
    "kind.thị trấn": ("Thị trấn", "Township"),
    "level.mam_non": ("Mầm non", "Kindergarten"),
    "level.tieu_hoc": ("Tiểu học", "Primary"),
    "level.thcs": ("THCS", "Lower secondary"),
    "level.th_thcs": ("TH&THCS", "Primary & lower secondary"),
    "level.thpt": ("THPT", "Upper secondary"),
    "status.existing": ("Đang hoạt động", "Existing"),
    "status.under_construction": ("Đang xây dựng", "Under construction"),
    "point_kind.play_area": ("Khu vui chơi", "Play area"),
    "point_kind.culture_point": ("Điểm văn hóa", "Culture point"),
    # CLI
    "cli.summary_title": ("Tóm tắt — {source}", "Summary — {source}"),
    "cli.demo_written": ("Đã ghi gói dữ liệu minh họa vào {out}", "Demo data package written to {out}"),
    "cli.radius_line": ("Bán kính tiếp cận: {radius} m (hệ tọa độ {crs})", "Reach radius: {radius} m (CRS {crs})"),
    # ranking
    "page.priorities": ("Ưu tiên", "Priorities"),
    "crit.no_point": ("Chưa có điểm vui chơi", "No play point yet"),
    "crit.children": ("Số trẻ em", "Children"),
    "crit.children_out_of_reach": ("Trẻ em ngoài bán kính", "Children out of reach"),
    "crit.poverty_rate": ("Tỷ lệ hộ nghèo", "Poverty rate"),
    "crit.ethnic_minority_share": ("Tỷ lệ đồng bào DTTS", "Ethnic-minority share"),
    "crit.especially_difficult": ("Xã đặc biệt khó khăn", "Especially difficult"),
    "crit.schools_without_toilet": ("Điểm trường chưa có vệ sinh đạt chuẩn", "School sites without standard toilet"),
    "crit.land_available": ("Quỹ đất sẵn có (m²)", "Land available (m²)"),
    "how.binary": ("1 nếu đúng, 0 nếu không", "1 when true, 0 otherwise"),
    "how.minmax": (
        "chuẩn hóa 0–1 theo giá trị nhỏ nhất–lớn nhất trong tỉnh; càng cao càng ưu tiên",
        "scaled 0–1 between the province's lowest and highest; higher means more priority",
    ),
    "why.no_point": ("chưa có điểm vui chơi", "no play point yet"),
    "why.children": ("{value} trẻ em", "{value} children"),
    "why.children_out_of_reach": ("{value} trẻ em ngoài bán kính", "{value} children out of reach"),
    "why.poverty_rate": ("tỷ lệ hộ nghèo {value}", "poverty rate {value}"),
    "why.ethnic_minority_share": ("{value} là đồng bào DTTS", "{value} ethnic minority"),
    "why.especially_difficult": ("xã đặc biệt khó khăn", "especially difficult commune"),
    "why.schools_without_toilet": ("{value} điểm trường chưa có vệ sinh đạt chuẩn", "{value} school sites without a standard toilet"),
    "why.land_available": ("{value} m² đất sẵn có", "{value} m² of land available"),
    "rank.explain": (
        "{name} xếp thứ {rank}/{total} (điểm {score}), chủ yếu vì: {reasons}.",
        "{name} ranks {rank} of {total} (score {score}), mainly because of: {reasons}.",
    ),
    "rank.explain_none": (
        "{name} xếp thứ {rank}/{total} (điểm {score}): không tiêu chí có trọng số nào cộng điểm.",
        "{name} ranks {rank} of {total} (score {score}): no weighted criterion adds to its score.",
    ),
    "preset.balanced": ("Cân bằng", "Balanced"),
    "preset.equity_first": ("Ưu tiên công bằng", "Equity first"),
    "preset.target_fastest": ("Đạt chỉ tiêu nhanh nhất", "Reach the target fastest"),
    "preset.custom": ("Tùy chỉnh", "Custom"),
    "rank.preset": ("Bộ trọng số", "Weight preset"),
    "rank.weights": ("Trọng số", "Weights"),
    "rank.weights_help": ("Trọng số được chuẩn hóa để tổng bằng 1; điểm = tổng đóng góp (0–100).",
                          "Weights are normalised to sum to 1; the score is the sum of contributions (0–100)."),
    "rank.table": ("Xếp hạng xã", "Commune ranking"),
    "rank.chart": ("Đóng góp của từng tiêu chí", "Contribution of each criterion"),
    "rank.map": ("Bản đồ điểm ưu tiên", "Priority score map"),
    "rank.why": ("Vì sao xã này xếp hạng như vậy?", "Why does this commune rank here?"),
    "rank.pick": ("Chọn xã", "Choose a commune"),
    "rank.path": ("Lộ trình đạt chỉ tiêu", "Path to the targets"),
    "rank.path_help": (
        "Các xã chưa có điểm theo thứ tự ưu tiên; số xã có điểm nếu lần lượt xây thêm một điểm ở mỗi xã.",
        "Communes without a point in priority order; the count of communes with a point if one is built in each, in turn.",
    ),
    "rank.criteria": ("Tiêu chí và cách chuẩn hóa", "Criteria and scaling"),
    "rank.download": ("Tải xuống", "Download"),
    "col.rank": ("Hạng", "Rank"),
    "col.score": ("Điểm ưu tiên", "Priority score"),
    "col.step": ("Bước", "Step"),
    "col.communes_with_point": ("Số xã có điểm", "Communes with a point"),
    "col.share": ("Tỷ lệ", "Share"),
    "col.reaches": ("Đạt chỉ tiêu năm", "Reaches target of"),
    "col.criterion": ("Tiêu chí", "Criterion"),
    "col.weight": ("Trọng số", "Weight"),
    "col.scaling": ("Chuẩn hóa", "Scaling"),
    "col.points_of": ("Điểm: {name}", "Points: {name}"),
    "col.value_of": ("{name}", "{name}"),
    "param.sheet": ("Tham số", "Parameters"),
    "param.name": ("Tham số", "Parameter"),
    "param.value": ("Giá trị", "Value"),
    "param.preset": ("Bộ trọng số", "Preset"),
    "param.weight": ("Trọng số: {name}", "Weight: {name}"),
    "param.radius_m": ("Bán kính tiếp cận (m)", "Reach radius (m)"),
    "param.data": ("Nguồn dữ liệu", "Data source"),
    "param.data_date": ("Ngày dữ liệu", "Data date"),
    "param.demo": ("Dữ liệu minh họa", "Demo data"),
    "param.created": ("Thời điểm xuất", "Exported at"),
    "param.tool": ("Công cụ", "Tool"),
    "sheet.ranking": ("Xếp hạng", "Ranking"),
    "cli.rank_written": ("Đã ghi bảng xếp hạng ({n} xã) vào {out}", "Ranking of {n} communes written to {out}"),
    # optimiser
    "opt.heading": ("Tối ưu hóa trong ngân sách", "Optimise within a budget"),
    "opt.budget": ("Ngân sách (đồng)", "Budget (VND)"),
    "opt.budget_ty": ("Ngân sách (tỷ đồng)", "Budget (billion VND)"),
    "opt.default_cost_ty": ("Kinh phí mặc định một điểm (tỷ đồng)", "Default cost of a point (billion VND)"),
    "opt.method": ("Phương pháp", "Method"),
    "opt.method_exact": ("Chính xác (quy hoạch nguyên, HiGHS)", "Exact (integer programming, HiGHS)"),
    "opt.method_greedy": ("Nhanh (tham lam theo hiệu quả chi phí)", "Fast (greedy by cost-effectiveness)"),
    "opt.mode": ("Mục tiêu", "Goal"),
    "opt.mode_children": ("Nhiều trẻ em được tiếp cận nhất", "Most children reached"),
    "opt.mode_target": ("Đạt chỉ tiêu xã năm {year} trước, rồi nhiều trẻ em nhất", "Reach the {year} commune target first, then most children"),
    "opt.max_new": ("Số điểm mới tối đa", "Most new points"),
    "opt.sources": ("Nguồn địa điểm", "Candidate sources"),
    "opt.source_candidate_sites": ("Địa điểm tiềm năng", "Candidate sites"),
    "opt.source_school_grounds": ("Sân trường", "School grounds"),
    "opt.source_villages": ("Thôn, bản", "Villages"),
    "opt.run": ("Chạy tối ưu hóa", "Run the optimiser"),
    "opt.running": ("Đang tìm phương án…", "Finding sites…"),
    "opt.greedy_done": ("Phương án nhanh: {children} trẻ em, {cost} ₫", "Fast answer: {children} children, {cost} ₫"),
    "opt.done": ("Xong", "Done"),
    "opt.status": ("Trạng thái lời giải", "Solver status"),
    "opt.gap": ("Khoảng cách tối ưu (MIP gap)", "Optimality gap (MIP gap)"),
    "opt.seconds": ("Thời gian (giây)", "Time (s)"),
    "opt.children": ("Trẻ em mới được tiếp cận", "Children newly within reach"),
    "opt.communes": ("Xã mới có điểm", "Communes newly with a point"),
    "opt.total_cost": ("Tổng kinh phí", "Total cost"),
    "opt.greedy_vs_exact": (
        "Phương án nhanh đạt {greedy} trẻ em; phương án chính xác {exact} ({diff}).",
        "The fast answer reaches {greedy} children; the exact one {exact} ({diff}).",
    ),
    "opt.default_cost": ("Kinh phí mặc định một điểm (đồng)", "Default cost of a point (VND)"),
    "opt.time_limit": ("Giới hạn thời gian (giây)", "Time limit (s)"),
    "opt.note": ("Ghi chú", "Note"),
    "opt.chosen": ("Các địa điểm được chọn", "Chosen sites"),
    "opt.nothing": ("Không chọn được địa điểm nào trong ngân sách này.", "No site fits within this budget."),
    "opt.site_children": ("Trẻ em mới trong bán kính", "Children newly within radius"),
    "opt.sheet": ("Địa điểm", "Sites"),
    "col.lon": ("Kinh độ", "Longitude"),
    "col.site_id": ("Mã địa điểm", "Site"),
    "opt.no_limit": ("Để trống: không giới hạn", "Leave empty: no limit"),
    "opt.stale": ("Kết quả tính với bán kính {radius} m.", "Result computed with a radius of {radius} m."),
    "col.lat": ("Vĩ độ", "Latitude"),
    "err.siting_time": ("Giới hạn thời gian phải là số giây dương, nhận được: {value}", "The time limit must be a positive number of seconds; got: {value}"),
    "cli.site_written": ("Đã ghi {n} địa điểm vào {out}", "{n} sites written to {out}"),
    # sites (what-if by hand)
    "page.sites": ("Chọn địa điểm", "Sites"),
    "sites.heading": ("Chọn địa điểm điểm vui chơi mới", "Choose sites for new play points"),
    "sites.click_help": (
        "Bấm vào bản đồ để đề xuất một điểm mới tại đó; nếu gần một địa điểm tiềm năng (trong {snap} m) thì dùng địa điểm đó.",
        "Click the map to propose a new point there; a candidate site within {snap} m is used instead when there is one.",
    ),
    "sites.proposals": ("Các điểm đề xuất", "Proposed points"),
    "sites.none": ("Chưa có điểm đề xuất nào.", "No proposed points yet."),
    "sites.clear": ("Xóa tất cả đề xuất", "Remove all proposals"),
    "sites.before_after": ("{before} → {after}", "{before} → {after}"),
    "sites.new_children": ("Trẻ em mới được tiếp cận", "Children newly within reach"),
    "sites.total_cost": ("Tổng kinh phí", "Total cost"),
    "sites.candidates": ("Địa điểm tiềm năng", "Candidate sites"),
    "sites.proposed": ("Điểm đề xuất", "Proposed point"),
    "sites.affected": ("Các xã thay đổi", "Communes that change"),
    "col.id": ("Mã đề xuất", "Proposal"),
    "col.cost_vnd": ("Kinh phí (đồng)", "Cost (VND)"),
    "col.year": ("Năm", "Year"),
    "col.source": ("Nguồn", "Source"),
    "col.remove": ("Xóa", "Remove"),
    "col.commune": ("Xã", "Commune"),
    "source.map": ("Bấm trên bản đồ", "Map click"),
    "source.candidate": ("Địa điểm tiềm năng", "Candidate site"),
    "source.optimiser": ("Tối ưu hóa", "Optimiser"),
    "err.proposal_outside": (
        "Điểm ({lon}, {lat}) nằm ngoài các xã của tỉnh; hãy bấm vào trong ranh giới xã",
        "The point ({lon}, {lat}) is outside every commune; click inside a commune boundary",
    ),
    "err.proposal_kind": ("Loại điểm không hợp lệ: {value}; dùng: {known}", "Unknown kind of point: {value}; use: {known}"),
    "err.proposal_cost": ("Kinh phí phải là số không âm (đồng), nhận được: {value}", "The cost must be a non-negative number of VND; got: {value}"),
    "err.proposal_year": ("Năm phải trong khoảng 2025–2035, nhận được: {value}", "The year must be within 2025–2035; got: {value}"),
    # scenarios
    "page.scenarios": ("Kịch bản", "Scenarios"),
    "scn.heading": ("Kịch bản đầu tư", "Investment scenarios"),
    "scn.current": ("Kịch bản đang soạn", "Scenario being edited"),
    "scn.name": ("Tên kịch bản", "Scenario name"),
    "scn.description": ("Mô tả", "Description"),
    "scn.author": ("Người soạn", "Author"),
    "scn.budget_year": ("Ngân sách nhà nước {year} (tỷ đồng)", "State budget {year} (billion VND)"),
    "scn.save": ("Lưu kịch bản", "Save scenario"),
    "scn.saved": ("Đã lưu “{name}” phiên bản {version}", "Saved “{name}” version {version}"),
    "scn.load": ("Mở “{name}”", "Open “{name}”"),
    "scn.saved_list": ("Kịch bản đã lưu", "Saved scenarios"),
    "scn.none": ("Chưa có kịch bản nào được lưu.", "No scenario saved yet."),
    "scn.saved_at": ("Lưu lúc", "Saved at"),
    "err.version": ("Phiên bản phải là số nguyên, nhận được: {value}", "The version must be a whole number; got: {value}"),
    "scn.view_version": ("Xem “{name}” phiên bản {version}", "View “{name}” version {version}"),
    "scn.note": ("Ghi chú", "Note"),
    "scn.restore": ("Khôi phục “{name}” về phiên bản {version}", "Restore “{name}” to version {version}"),
    "scn.restored": ("Đã khôi phục thành phiên bản {version}", "Restored as version {version}"),
    "scn.phase": ("Xếp năm tự động theo ngân sách", "Place in years by budget"),
    "scn.unfit": ("{n} đề xuất không vừa ngân sách năm nào", "{n} proposals fit no year's budget"),
    "scn.export": ("Tải kịch bản (GeoPackage, mở được bằng QGIS)", "Download scenario (GeoPackage, opens in QGIS)"),
    "scn.import": ("Nhập kịch bản từ tệp GeoPackage", "Import a scenario from a GeoPackage"),
    "scn.imported": ("Đã nhập “{name}”", "Imported “{name}”"),
    "scn.compare": ("So sánh kịch bản", "Compare scenarios"),
    "scn.pick": ("Chọn 2–4 kịch bản", "Choose 2–4 scenarios"),
    "scn.loaded": ("Đã mở “{name}” phiên bản {version}", "Opened “{name}” version {version}"),
    # the plan being edited (planner/plan.py, ui/plan.py)
    "scn.save_as_new": ("Lưu thành kịch bản mới", "Save as a new scenario"),
    "scn.new": ("Kịch bản mới", "New scenario"),
    "scn.started_new": ("Đã bắt đầu một kịch bản mới (chưa lưu).", "Started a new scenario (not saved yet)."),
    "scn.editing": ("Đang sửa “{name}”, phiên bản {version}", "Editing “{name}”, version {version}"),
    "scn.editing_new": ("Kịch bản mới, chưa lưu", "A new scenario, not saved yet"),
    "scn.unsaved": ("có thay đổi chưa lưu", "unsaved changes"),
    "scn.discard_ask": (
        "Kịch bản đang soạn có thay đổi chưa lưu. Lưu trước, hoặc bỏ các thay đổi đó để {action}?",
        "The scenario being edited has unsaved changes. Save it first, or discard them to {action}?",
    ),
    "scn.action_new": ("bắt đầu kịch bản mới", "start a new scenario"),
    "scn.action_open": ("mở “{name}”", "open “{name}”"),
    "scn.discard_yes": ("Bỏ thay đổi và tiếp tục", "Discard the changes and go on"),
    "scn.over_budget_warning": (
        "Vượt ngân sách nhà nước: {items}. Hãy tăng ngân sách năm đó, dời đề xuất sang năm khác hoặc chuyển sang xã hội hóa.",
        "Over the state budget: {items}. Raise that year's budget, move proposals to another year, or fund them outside the state budget.",
    ),
    "scn.over_budget_item": ("“{name}” năm {year} vượt {amount}", "“{name}” in {year} over by {amount}"),
    "scn.budget_line": ("Ngân sách nhà nước", "State budget"),
    "scn.spending": ("Chi theo năm", "Spending by year"),
    "plan.package_changed": (
        "Dữ liệu đã đổi: kịch bản đang soạn được giữ nguyên, mọi số liệu được tính lại trên dữ liệu mới.",
        "The data changed: the scenario being edited is kept, and every figure is computed again on the new data.",
    ),
    "plan.outside": (
        "{n} đề xuất nằm ngoài các xã của dữ liệu mới ({ids}): vẫn giữ nhưng không tính cho xã nào.",
        "{n} proposals lie outside every commune of the new data ({ids}): kept, but counted for no commune.",
    ),
    "sites.take_add": ("Thêm vào các đề xuất của tôi", "Add to my proposals"),
    "sites.take_replace": ("Thay thế các đề xuất của tôi", "Replace my proposals"),
    "sites.took_add": (
        "Đã thêm {n} địa điểm của phương án tối ưu vào sau {kept} đề xuất có sẵn.",
        "Added the optimiser's {n} sites after your {kept} proposals.",
    ),
    "sites.took_replace": (
        "Đã thay {dropped} đề xuất có sẵn bằng {n} địa điểm của phương án tối ưu.",
        "Replaced your {dropped} proposals with the optimiser's {n} sites.",
    ),
    "sites.undo": ("Hoàn tác", "Undo"),
    "sites.undone": ("Đã hoàn tác: danh sách đề xuất trở lại như trước.", "Undone: the proposals are as they were."),
    "sites.dismiss": ("Bỏ kết quả tối ưu", "Dismiss the optimiser's answer"),
    "sites.pending": (
        "Các địa điểm tối ưu (viền vàng) đang hiện trên bản đồ cùng vùng tiếp cận; chúng chỉ thành đề xuất khi bạn chọn.",
        "The optimiser's sites (yellow rings) are on the map with their catchments; they become proposals only when you say so.",
    ),
    "sites.added": ("Đã thêm đề xuất {id} ở {commune}.", "Added proposal {id} in {commune}."),
    "err.scenario_exists": (
        "Đã có kịch bản tên “{name}”. Hãy gõ một tên khác để lưu thành kịch bản mới, hoặc mở “{name}” để sửa.",
        "A scenario called “{name}” exists. Type another name to save a new scenario, or open “{name}” to edit it.",
    ),
    "err.scenario_gone": (
        "Không lưu được “{name}”: kịch bản này đã bị xóa trong khi bạn đang sửa phiên bản {mine}. "
        "Hãy bấm “Lưu thành kịch bản mới” để giữ bản của bạn.",
        "Could not save “{name}”: it was deleted while you were editing version {mine}. "
        "Press “Save as a new scenario” to keep your work.",
    ),
    # the bounded worker that reads uploads (planner/importing/worker.py)
    "err.imp_worker_time": (
        "{file}: đọc tệp quá {seconds} giây nên đã dừng. Tệp có thể quá lớn hoặc hỏng; hãy chia nhỏ tệp hoặc lưu lại bằng phần mềm khác.",
        "{file}: reading the file took more than {seconds} s and was stopped. It may be too large or damaged; split it or save it again with other software.",
    ),
    "err.imp_worker_memory": (
        "{file}: đọc tệp cần quá {mb} MB bộ nhớ nên đã dừng. Tệp có thể quá lớn hoặc hỏng; hãy chia nhỏ tệp hoặc bỏ các cột, ô thừa.",
        "{file}: reading the file needed more than {mb} MB of memory and was stopped. It may be too large or damaged; split it or remove unused columns and cells.",
    ),
    "err.imp_worker_disk": (
        "{file}: tệp bung ra quá {mb} MB nên đã dừng. Hãy gửi tệp nhỏ hơn.",
        "{file}: the file unpacks to more than {mb} MB and was stopped. Send a smaller file.",
    ),
    "err.imp_worker_crash": (
        "{file}: trình đọc tệp bị lỗi khi mở tệp này (mã {code}); tệp có thể hỏng. Hãy lưu lại tệp bằng phần mềm khác rồi thử lại.",
        "{file}: the file reader failed on this file (code {code}); the file may be damaged. Save it again with other software and try again.",
    ),
    "err.take_mode": ("Cách nhận địa điểm không hợp lệ: {value} (dùng {known})", "Unknown way to take the sites: {value} (use {known})"),
    "scn.year_reached": ("Năm đạt chỉ tiêu {target}", "Year the {target} target is reached"),
    "scn.never": ("không đạt (thiếu {n} xã)", "not reached ({n} communes short)"),
    "scn.already": ("đã đạt", "already met"),
    "scn.cost_per_child": ("Kinh phí / trẻ em mới được tiếp cận", "Cost per child newly reached"),
    "scn.cost_year": ("Kinh phí năm {year}", "Cost in {year}"),
    "scn.cost_funding": ("Kinh phí: {funding}", "Cost: {funding}"),
    "scn.over_budget_row": ("Vượt ngân sách nhà nước", "Over the state budget"),
    "scn.figure": ("Chỉ số", "Figure"),
    "funding.state": ("Ngân sách nhà nước", "State budget"),
    "funding.non_state": ("Xã hội hóa", "Non-state (xã hội hóa)"),
    "col.funding": ("Nguồn vốn", "Funding"),
    "err.proposal_funding": ("Nguồn vốn không hợp lệ: {value}; dùng: {known}", "Unknown funding source: {value}; use: {known}"),
    "err.scenario_malformed": ("Tệp kịch bản không đúng định dạng: {detail}", "The scenario file is malformed: {detail}"),
    "err.scenario_name": ("Tên kịch bản không được để trống (tối đa 120 ký tự)", "A scenario needs a name (at most 120 characters)"),
    "scn.unchanged": (
        "Không có thay đổi nào kể từ phiên bản {version} của “{name}”: không lưu thêm phiên bản.",
        "Nothing changed since version {version} of “{name}”: no new version saved.",
    ),
    "err.scenario_conflict_anon": (
        "Không lưu được “{name}”: có người đã lưu phiên bản {theirs} lúc {when} trong khi bạn đang sửa phiên bản {mine}. "
        "Hãy mở lại phiên bản mới nhất, rồi áp dụng lại thay đổi của bạn.",
        "Cannot save “{name}”: someone saved version {theirs} at {when} while you were editing version {mine}. "
        "Open the latest version, then apply your changes again.",
    ),
    "err.scenario_conflict": (
        "Không lưu được “{name}”: {who} đã lưu phiên bản {theirs} lúc {when} trong khi bạn đang sửa phiên bản {mine}. "
        "Hãy mở lại phiên bản mới nhất, rồi áp dụng lại thay đổi của bạn.",
        "Cannot save “{name}”: {who} saved version {theirs} at {when} while you were editing version {mine}. "
        "Open the latest version, then apply your changes again.",
    ),
    "err.scenario_missing": ("Không có kịch bản “{name}”", "No scenario named “{name}”"),
    "err.scenario_version_missing": ("Kịch bản “{name}” không có phiên bản {version}", "Scenario “{name}” has no version {version}"),
    "err.no_file": ("Không tìm thấy hoặc không đọc được tệp {path}", "File {path} not found or not readable"),
    "err.file_too_big": ("Tệp quá lớn (tối đa {limit} MB)", "The file is too big (at most {limit} MB)"),
    "err.not_gpkg": ("Tệp không phải GeoPackage đọc được: {detail}", "The file is not a readable GeoPackage: {detail}"),
    "err.store": ("Không đọc/ghi được cơ sở dữ liệu kịch bản {path}: {detail}", "Cannot read or write the scenario database {path}: {detail}"),
    "err.store_locked": (
        "Cơ sở dữ liệu kịch bản đang bận (người khác đang lưu); hãy thử lại sau ít giây",
        "The scenario database is busy (someone else is saving); try again in a few seconds",
    ),
    # data import (the planner/importing/ package, cli_import.py)
    "err.imp_too_large": ("{file}: tệp {size_mb} MB vượt giới hạn {limit_mb} MB", "{file}: {size_mb} MB is over the {limit_mb} MB limit"),
    "err.imp_empty_file": ("{file}: tệp rỗng (0 byte)", "{file}: the file is empty (0 bytes)"),
    "err.imp_no_file": ("Không tìm thấy tệp {file}", "File {file} not found"),
    "err.imp_old_excel": ("{file}: tệp Excel cũ (.xls) không được hỗ trợ; hãy lưu lại dưới dạng .xlsx", "{file}: old Excel files (.xls) are not supported; save it as .xlsx"),
    "err.imp_not_xlsx": ("{file}: không phải tệp Excel .xlsx thật (nội dung: {found}); hãy mở bằng Excel và lưu lại dạng .xlsx", "{file}: not a real .xlsx workbook (content: {found}); open it in Excel and save it as .xlsx"),
    "err.imp_not_format": ("{file}: nội dung không phải {fmt} như đuôi tệp cho biết", "{file}: the content is not {fmt} as its extension says"),
    "err.imp_refers_elsewhere": (
        "{file}: tệp bị từ chối vì trỏ tới tệp hoặc địa chỉ khác ({what}); ứng dụng chỉ đọc dữ liệu nằm trong chính tệp. "
        "Hãy xuất dữ liệu thành GeoJSON, GeoPackage hoặc Shapefile nén .zip.",
        "{file}: refused because it points to other files or addresses ({what}); the app only reads data held in the "
        "file itself. Export the data as GeoJSON, GeoPackage or a zipped Shapefile.",
    ),
    "err.imp_remote_crs": (
        "{file}: tệp bị từ chối vì trường \"{member}\" (dòng {line}) trỏ tới một địa chỉ hoặc tệp ở nơi khác ({what}); "
        "ứng dụng không tải bất cứ thứ gì mà tệp trỏ tới. Hãy xóa trường \"crs\" khỏi tệp, hoặc ghi hệ tọa độ bằng "
        "mã EPSG, ví dụ \"EPSG:4326\".",
        "{file}: refused because its \"{member}\" member (line {line}) points to an address or a file elsewhere "
        "({what}); the app never fetches what a file points to. Remove the \"crs\" member from the file, or give "
        "the coordinate system as an EPSG code, e.g. \"EPSG:4326\".",
    ),
    "err.imp_lone_shp": ("{file}: Shapefile cần cả .shp, .shx, .dbf (và .prj); hãy nén chúng vào một tệp .zip", "{file}: a Shapefile needs its .shp, .shx, .dbf (and .prj); put them in one .zip"),
    "err.imp_extension": ("{file}: không hỗ trợ loại tệp '{ext}'; dùng: {known}", "{file}: unsupported file type '{ext}'; use: {known}"),
    "err.imp_zip_unsafe": ("{file}: tệp nén bị từ chối vì không an toàn ({reason})", "{file}: archive refused as unsafe ({reason})"),
    "err.imp_unreadable": ("{file}: không đọc được ({detail})", "{file}: cannot be read ({detail})"),
    "err.imp_no_rows": ("{file}: không có dòng dữ liệu nào", "{file}: holds no data rows"),
    "err.imp_too_many_rows": (
        "{file}: có hơn {limit} dòng, quá giới hạn của một danh sách; hãy xóa các dòng trống hoặc thừa bên dưới dữ liệu, hoặc chia thành nhiều tệp",
        "{file}: more than {limit} rows, the most one list may have; delete empty or unused rows below the data, or split it into several files",
    ),
    "err.imp_too_many_columns": (
        "{file}: có hơn {limit} cột (dòng {row}); hãy xóa các cột trống hoặc thừa bên phải dữ liệu rồi lưu lại",
        "{file}: more than {limit} columns (row {row}); delete the empty or unused columns to the right of the data and save it again",
    ),
    "err.imp_too_many_cells": (
        "{file}: có hơn {limit} ô (số dòng × số cột); hãy bỏ các cột không dùng hoặc chia thành nhiều tệp",
        "{file}: more than {limit} cells (rows × columns); remove unused columns or split it into several files",
    ),
    "err.imp_cell_too_long": (
        "{file}: ô ở dòng {row}, cột {column} dài hơn {limit} ký tự; ô của danh sách chỉ chứa tên, mã, số — hãy rút gọn hoặc xóa nội dung ô đó",
        "{file}: the cell in row {row}, column {column} is longer than {limit} characters; a list's cells hold names, codes and numbers — shorten or clear it",
    ),
    "err.imp_sheet_too_big": (
        "{file}: trang tính có ô tới {ref} ({rows} dòng × {columns} cột); giới hạn là {limit_rows} dòng, {limit_columns} cột và {limit_cells} ô. "
        "Hãy xóa các dòng, cột trống sau vùng dữ liệu (chọn chúng, bấm chuột phải, Xóa) rồi lưu lại",
        "{file}: the sheet has cells up to {ref} ({rows} rows × {columns} columns); the limits are {limit_rows} rows, {limit_columns} columns and {limit_cells} cells. "
        "Delete the empty rows and columns after the data (select them, right-click, Delete) and save it again",
    ),
    "err.imp_xlsx_strings": (
        "{file}: phần chữ dùng chung của tệp Excel (sharedStrings.xml) khi giải nén là {size_mb} MB, vượt giới hạn {limit_mb} MB; "
        "hãy xóa các trang, ô không dùng, hoặc lưu danh sách thành CSV",
        "{file}: the workbook's shared text (sharedStrings.xml) unpacks to {size_mb} MB, over the {limit_mb} MB limit; "
        "delete unused sheets and cells, or save the list as CSV",
    ),
    "err.imp_too_many_vertices": (
        "{file}: đối tượng thứ {row} có {n} đỉnh, vượt giới hạn {limit} đỉnh cho một đối tượng; hãy đơn giản hóa hình (Simplify trong QGIS) rồi xuất lại",
        "{file}: feature {row} has {n} vertices, over the limit of {limit} per feature; simplify it (Simplify in QGIS) and export again",
    ),
    "err.imp_too_many_vertices_total": (
        "{file}: lớp có {n} đỉnh, vượt giới hạn {limit} đỉnh cho cả lớp; hãy đơn giản hóa các hình (Simplify trong QGIS) hoặc chia lớp thành nhiều tệp",
        "{file}: the layer has {n} vertices, over the limit of {limit} for a whole layer; simplify the shapes (Simplify in QGIS) or split the layer into several files",
    ),
    "err.imp_zip_too_big": (
        "{file}: tệp nén bung ra {size_mb} MB, vượt giới hạn {limit_mb} MB; hãy chỉ nén các tệp của một lớp (.shp, .shx, .dbf, .prj, .cpg) hoặc chia nhỏ",
        "{file}: the archive unpacks to {size_mb} MB, over the {limit_mb} MB limit; zip only the files of one layer (.shp, .shx, .dbf, .prj, .cpg), or split it",
    ),
    "err.imp_zip_name_long": (
        "{file}: tệp nén chứa tên tệp hoặc thư mục dài hơn {limit} byte ({name}); hãy đặt tên ngắn hơn rồi nén lại",
        "{file}: the archive holds a file or folder name longer than {limit} bytes ({name}); give it a shorter name and zip again",
    ),
    "err.imp_zip_clash": (
        "{file}: tệp nén chứa cả tệp và thư mục cùng tên '{name}'; hãy đổi tên một trong hai rồi nén lại",
        "{file}: the archive holds both a file and a folder named '{name}'; rename one of them and zip again",
    ),
    "err.imp_no_sheet": ("{file}: không có trang/lớp '{sheet}'; hiện có: {known}", "{file}: no sheet or layer '{sheet}'; present: {known}"),
    "err.imp_binary": ("{file}: không phải tệp văn bản CSV (có ký tự nhị phân)", "{file}: not a CSV text file (binary content)"),
    "err.imp_not_gis": ("{file}: ranh giới cần tệp GIS (GeoJSON, GeoPackage, Shapefile nén .zip, KML/KMZ)", "{file}: boundaries need a GIS file (GeoJSON, GeoPackage, zipped Shapefile, KML/KMZ)"),
    "err.imp_zip_empty": ("{file}: tệp nén không chứa lớp GIS nào (.shp, .gpkg, .geojson, .kml); có: {present}", "{file}: the archive holds no GIS layer (.shp, .gpkg, .geojson, .kml); present: {present}"),
    "err.imp_zip_many": ("{file}: tệp nén chứa nhiều lớp ({found}); hãy nén riêng từng lớp", "{file}: the archive holds several layers ({found}); zip one layer per file"),
    "err.imp_shp_parts": ("{file}: Shapefile thiếu {missing}", "{file}: the Shapefile lacks {missing}"),
    "err.imp_crs": ("Hệ tọa độ không hợp lệ: {value}; dùng mã EPSG (ví dụ EPSG:9205) hoặc: {known}", "Unknown coordinate system: {value}; use an EPSG code (e.g. EPSG:9205) or: {known}"),
    "err.imp_crs_not_earth": (
        "Hệ tọa độ {value} ({name}) không phải hệ tọa độ trên Trái Đất dùng được ở đây; hãy cung cấp dữ liệu theo WGS 84 (EPSG:4326) hoặc VN-2000 (ví dụ EPSG:9205)",
        "The coordinate system {value} ({name}) is not an Earth coordinate system usable here; give the data in WGS 84 (EPSG:4326) or VN-2000 (e.g. EPSG:9205)",
    ),
    "err.imp_file_crs_not_earth": (
        "{file}: hệ tọa độ của tệp ({crs}) không phải hệ tọa độ trên Trái Đất dùng được ở đây; hãy xuất lại dữ liệu theo WGS 84 (EPSG:4326) hoặc VN-2000 (ví dụ EPSG:9205)",
        "{file}: the file's coordinate system ({crs}) is not an Earth coordinate system usable here; export the data again in WGS 84 (EPSG:4326) or VN-2000 (e.g. EPSG:9205)",
    ),
    "err.imp_kind": ("Loại danh sách không hợp lệ: {value}; dùng: {known}", "Unknown kind of list: {value}; use: {known}"),
    "err.imp_mapping_target": ("Ghép cột tới trường không có: {values}; các trường: {known}", "Columns mapped to unknown fields: {values}; fields: {known}"),
    "err.imp_mapping_column": ("Ghép cột không có trong tệp: {values}; các cột: {known}", "Mapped columns not in the file: {values}; columns: {known}"),
    "err.imp_mapping_twice": ("Mỗi trường chỉ được ghép với một cột: {values}", "Each field can take only one column: {values}"),
    "err.imp_not_ready": ("Chưa thể nhập vào {path}: còn {n} lỗi: {details}", "Cannot import into {path} yet: {n} error(s): {details}"),
    "err.imp_failed": ("{file}: không xử lý được ({detail})", "{file}: could not be processed ({detail})"),
    "imp.severity_error": ("Lỗi", "Error"),
    "imp.severity_warning": ("Cảnh báo", "Warning"),
    "imp.blank_rows": ("{file}: bỏ qua {n} dòng trống (dòng {rows})", "{file}: {n} blank row(s) skipped (rows {rows})"),
    "imp.extra_cells": ("{file}: {n} dòng có nhiều ô hơn tiêu đề ({width} cột), ví dụ dòng {rows}; kiểm tra dấu phân cách", "{file}: {n} row(s) have more cells than the header ({width} columns), e.g. rows {rows}; check the delimiter"),
    "imp.many_layers": ("{file}: có nhiều lớp ({layers}); đã dùng '{layer}'", "{file}: several layers ({layers}); '{layer}' was used"),
    "imp.ignored_columns": ("{file}: các cột không dùng: {columns}", "{file}: columns not used: {columns}"),
    "imp.many_sources": ("Chỉ nhập được một tệp cho '{kind}': {files}", "Only one file can be imported for '{kind}': {files}"),
    "imp.bad_value": ("{file}, cột '{column}': giá trị không hợp lệ {values} ở {n} dòng (dòng {rows}); cho phép: {allowed}", "{file}, column '{column}': invalid values {values} in {n} row(s) (rows {rows}); allowed: {allowed}"),
    "imp.bad_bool": ("{file}, cột '{column}': {values} không phải có/không ở {n} dòng (dòng {rows}); dùng có/không hoặc TRUE/FALSE", "{file}, column '{column}': {values} is not yes/no in {n} row(s) (rows {rows}); use yes/no or TRUE/FALSE"),
    "imp.not_whole": ("{file}, cột '{column}': {values} không phải số nguyên ở {n} dòng (dòng {rows})", "{file}, column '{column}': {values} is not a whole number in {n} row(s) (rows {rows})"),
    "imp.not_a_number": ("{file}, cột '{column}': {values} không phải số ở {n} dòng (dòng {rows})", "{file}, column '{column}': {values} is not a number in {n} row(s) (rows {rows})"),
    "imp.percent_scaled": ("{file}, cột '{column}': giá trị dạng phần trăm (0–100) đã đổi thành tỷ lệ (0–1)", "{file}, column '{column}': percentages (0–100) were turned into shares (0–1)"),
    "imp.crs_unknown": ("{file}: không nhận ra hệ tọa độ của cột {column}; hãy chọn một hệ (ví dụ {known})", "{file}: cannot tell the coordinate system of {column}; choose one (e.g. {known})"),
    "imp.crs_assumed": ("{file}: tệp không ghi hệ tọa độ; tọa độ {column} được coi là kinh độ/vĩ độ WGS 84 ({crs})", "{file}: no coordinate system given; {column} taken as WGS 84 longitude/latitude ({crs})"),
    "imp.crs_guess": ("{file}: tệp không ghi hệ tọa độ; đoán là {crs} ({share} điểm nằm trong tỉnh); hãy xác nhận hệ tọa độ", "{file}: no coordinate system given; it looks like {crs} ({share} of points inside the province); confirm the coordinate system"),
    "imp.no_coordinates": ("{file}: không có cột tọa độ (kinh độ/vĩ độ hoặc X/Y VN-2000); các cột: {present}", "{file}: no coordinate columns (longitude/latitude or VN-2000 X/Y); columns: {present}"),
    "imp.bad_coordinate": ("{file}, cột {column}: tọa độ trống hoặc không phải số ở {n} dòng (dòng {rows})", "{file}, columns {column}: coordinates empty or not numbers in {n} row(s) (rows {rows})"),
    "imp.xy_degrees": ("{file}: cột X/Y ({column}) chứa độ; X được coi là kinh độ, Y là vĩ độ", "{file}: X/Y columns ({column}) hold degrees; X taken as longitude, Y as latitude"),
    "imp.fix_applied": ("{file}, cột {column}: đã áp dụng sửa lỗi '{fix}'", "{file}, columns {column}: fix '{fix}' applied"),
    "imp.swapped_xy": ("{file}: cột '{x}' giống tọa độ Đông (Y), '{y}' giống tọa độ Bắc (X); theo quy ước VN-2000 X là tọa độ Bắc. Chọn sửa lỗi '{fix}' để đổi chỗ", "{file}: column '{x}' looks like an easting and '{y}' like a northing, but in VN-2000 X is the northing. Choose fix '{fix}' to swap them"),
    "imp.swapped_lonlat": ("{file}, cột {column}: kinh độ và vĩ độ có vẻ bị đảo ở {n} dòng (dòng {rows}); chọn sửa lỗi '{fix}' để đổi chỗ", "{file}, columns {column}: longitude and latitude look swapped in {n} row(s) (rows {rows}); choose fix '{fix}' to swap them"),
    "imp.repaired_polygon": ("{file}: đã sửa {n} vùng không hợp lệ (tự cắt…), dòng {rows}; hãy kiểm tra lại", "{file}: {n} invalid polygon(s) repaired (self-intersection…), rows {rows}; check them"),
    "imp.needs_gis": ("{file}: ranh giới cần tệp GIS có vùng (GeoJSON, GeoPackage, Shapefile nén .zip, KML/KMZ), không phải bảng", "{file}: boundaries need a GIS file with polygons (GeoJSON, GeoPackage, zipped Shapefile, KML/KMZ), not a table"),
    "imp.outside": ("{file}: {n} đối tượng nằm ngoài {where} (dòng {rows}); kiểm tra tọa độ và hệ tọa độ", "{file}: {n} feature(s) lie outside {where} (rows {rows}); check the coordinates and the coordinate system"),
    "imp.where_communes": ("các xã của tỉnh", "the province's communes"),
    "imp.where_bbox": ("phạm vi tỉnh Lai Châu", "the extent of Lai Châu province"),
    "imp.unmatched_name": ("{file}, cột '{column}': không tìm thấy xã '{value}' ({n} dòng, dòng {rows}); gần giống: {candidates}", "{file}, column '{column}': no commune '{value}' ({n} row(s), rows {rows}); closest: {candidates}"),
    "imp.legacy_mapped": ("{file}, cột '{column}': {n} dòng dùng tên/mã xã trước 1/7/2025, đã đổi sang xã mới theo Nghị quyết 1670/NQ-UBTVQH15 (dòng {rows})", "{file}, column '{column}': {n} row(s) name pre-July-2025 communes, mapped to the current units by Resolution 1670/NQ-UBTVQH15 (rows {rows})"),
    "imp.ids_generated": ("{file}: không có cột mã; đã tạo mã tự động (ví dụ {example})", "{file}: no id column; ids were generated (e.g. {example})"),
    "imp.commune_by_location": ("{file}: không có cột xã; xã được xác định theo vị trí điểm", "{file}: no commune column; each point's commune was taken from its location"),
    "imp.duplicate": ("{file}, cột '{column}': giá trị trùng {values} ở {n} dòng (dòng {rows}); mỗi giá trị phải là duy nhất", "{file}, column '{column}': duplicate values {values} in {n} row(s) (rows {rows}); each must be unique"),
    "imp.codes_from_names": ("{file}: không có cột mã; mã xã lấy theo tên chính thức (cột '{column}')", "{file}: no code column; commune codes taken from the official names (column '{column}')"),
    "imp.filled_column": ("{file}: thiếu cột '{field}'; đã lấy {how}", "{file}: column '{field}' missing; taken {how}"),
    "imp.how.name": ("tên chính thức theo mã xã", "from the official names by code"),
    "imp.how.kind": ("loại đơn vị chính thức theo mã (hoặc tiền tố tên)", "from the official unit kinds by code (or the name prefix)"),
    "imp.how.area_km2": ("diện tích tính từ ranh giới", "as the area of the boundaries"),
    "imp.how.villages": ("tổng của các thôn bản", "as the sum of the villages"),
    "imp.legacy_conflict": ("{file}, cột '{column}': các xã cũ gộp vào xã {code} có giá trị khác nhau; hãy nhập giá trị cho xã mới", "{file}, column '{column}': pre-2025 communes merged into {code} have different values; give the value for the current unit"),
    "imp.legacy_merged": ("{file}: {n_old} xã cũ (trước 1/7/2025) đã gộp thành {n_new} xã hiện nay; ranh giới cũ giữ lại làm communes_2024", "{file}: {n_old} pre-July-2025 communes merged into {n_new} current units; the old boundaries are kept as communes_2024"),
    "imp.table_no_key": ("{file}: cần cột mã xã hoặc tên xã để ghép; các cột: {present}", "{file}: needs a commune code or name column to join on; columns: {present}"),
    "imp.table_no_values": ("{file}: không có cột số liệu nào nhận ra được; các cột: {present}", "{file}: no recognised figure columns; columns: {present}"),
    "imp.table_duplicate": ("{file}, cột '{column}': xã {values} xuất hiện nhiều lần (dòng {rows})", "{file}, column '{column}': communes {values} appear more than once (rows {rows})"),
    "imp.legacy_summed": ("{file}, cột '{column}': số liệu của các xã cũ đã cộng vào xã mới (dòng {rows})", "{file}, column '{column}': figures of pre-2025 communes were added up into the current units (rows {rows})"),
    "imp.table_missing_communes": ("{file}: thiếu số liệu của {n} xã (ví dụ {values}); giữ giá trị hiện có", "{file}: no figures for {n} commune(s) (e.g. {values}); existing values kept"),
    "imp.table_overrides": ("{file}: bảng số liệu thay giá trị cũ ở cột {columns}", "{file}: the table replaces existing values in {columns}"),
    "imp.kept_from_package": ("Giữ nguyên từ gói dữ liệu hiện tại ({source}): {layers}", "Kept from the current data package ({source}): {layers}"),
    "imp.missing_kind": ("Thiếu danh sách bắt buộc: {kinds}", "Required lists missing: {kinds}"),
    "imp.kind.communes": ("Ranh giới xã", "Commune boundaries"),
    "imp.kind.communes_2024": ("Ranh giới xã trước 2025", "Pre-2025 commune boundaries"),
    "imp.kind.villages": ("Thôn bản", "Villages"),
    "imp.kind.play_points": ("Điểm vui chơi", "Play points"),
    "imp.kind.schools": ("Trường học", "Schools"),
    "imp.kind.toilets": ("Nhà vệ sinh", "Toilets"),
    "imp.kind.candidate_sites": ("Địa điểm tiềm năng", "Candidate sites"),
    "imp.kind.table": ("Bảng số liệu xã", "Commune figures"),
    "imp.col.code": ("Mã xã", "Commune code"),
    "imp.col.name": ("Tên", "Name"),
    "imp.col.kind": ("Loại", "Kind"),
    "imp.col.area_km2": ("Diện tích (km²)", "Area (km²)"),
    "imp.col.population": ("Dân số", "Population"),
    "imp.col.children": ("Trẻ em dưới 16 tuổi", "Children under 16"),
    "imp.col.ethnic_minority_share": ("Tỷ lệ DTTS (0–1)", "Ethnic-minority share (0–1)"),
    "imp.col.poverty_rate": ("Tỷ lệ hộ nghèo (0–1)", "Poverty rate (0–1)"),
    "imp.col.especially_difficult": ("Xã ĐBKK", "Especially difficult"),
    "imp.col.child_friendly": ("Xã phù hợp với trẻ em", "Child-friendly commune"),
    "imp.col.land_available_m2": ("Quỹ đất sẵn có (m²)", "Land available (m²)"),
    "imp.col.district": ("Huyện", "District"),
    "imp.col.new_code": ("Mã xã mới", "New commune code"),
    "imp.col.id": ("Mã", "Id"),
    "imp.col.commune_code": ("Mã xã", "Commune code"),
    "imp.col.commune_name": ("Tên xã", "Commune name"),
    "imp.col.status": ("Trạng thái", "Status"),
    "imp.col.year": ("Năm", "Year"),
    "imp.col.area_m2": ("Diện tích (m²)", "Area (m²)"),
    "imp.col.level": ("Cấp học", "Level"),
    "imp.col.is_satellite": ("Điểm trường lẻ", "Satellite site"),
    "imp.col.students": ("Số học sinh", "Students"),
    "imp.col.has_standard_toilet": ("Có nhà vệ sinh đạt chuẩn", "Has standard toilet"),
    "imp.col.has_psych_support": ("Có hỗ trợ tâm lý", "Has psychological support"),
    "imp.col.facility_id": ("Mã cơ sở", "Facility id"),
    "imp.col.facility_kind": ("Loại cơ sở", "Facility kind"),
    "imp.col.standard": ("Đạt chuẩn", "Standard"),
    "imp.col.land_status": ("Tình trạng đất", "Land status"),
    "imp.col.est_cost_vnd": ("Kinh phí dự kiến (đồng)", "Estimated cost (VND)"),
    "imp.col.lon": ("Kinh độ", "Longitude"),
    "imp.col.lat": ("Vĩ độ", "Latitude"),
    "imp.col.x": ("X (VN-2000, tọa độ Bắc)", "X (VN-2000 northing)"),
    "imp.col.y": ("Y (VN-2000, tọa độ Đông)", "Y (VN-2000 easting)"),
    "imp.val.public_land": ("Đất công", "Public land"),
    "imp.val.school_ground": ("Sân trường", "School ground"),
    "imp.val.needs_acquisition": ("Cần thu hồi đất", "Needs acquisition"),
    "imp.val.school": ("Trường học", "School"),
    "imp.val.play_point": ("Điểm vui chơi", "Play point"),
    "imp.val.public": ("Công cộng", "Public"),
    "imp.sheet_help": ("Hướng dẫn", "Instructions"),
    "imp.help_list": ("Danh sách", "List"),
    "imp.help_header": ("Cột", "Column"),
    "imp.help_type": ("Kiểu", "Type"),
    "imp.help_allowed": ("Giá trị cho phép", "Allowed values"),
    "imp.help_meaning": ("Ý nghĩa", "Meaning"),
    "imp.help.code": ("Mã đơn vị hành chính 5 chữ số, giữ số 0 ở đầu", "Five-digit administrative code, leading zeros kept"),
    "imp.help.name": ("Tên đầy đủ", "Full name"),
    "imp.help.kind": ("Loại (xã/phường/thị trấn, hoặc loại điểm)", "Kind (commune/ward/township, or kind of point)"),
    "imp.help.area_km2": ("Diện tích tự nhiên, km²", "Land area, km²"),
    "imp.help.population": ("Số người", "Number of people"),
    "imp.help.children": ("Số trẻ em dưới 16 tuổi", "Children under 16"),
    "imp.help.ethnic_minority_share": ("Tỷ lệ người dân tộc thiểu số, từ 0 đến 1", "Share of ethnic-minority people, 0 to 1"),
    "imp.help.poverty_rate": ("Tỷ lệ hộ nghèo, từ 0 đến 1", "Share of poor households, 0 to 1"),
    "imp.help.especially_difficult": ("Xã đặc biệt khó khăn: TRUE/FALSE", "Especially difficult commune: TRUE/FALSE"),
    "imp.help.child_friendly": ("Đạt chuẩn xã phù hợp với trẻ em: TRUE/FALSE", "Recognised child-friendly commune: TRUE/FALSE"),
    "imp.help.land_available_m2": ("Diện tích đất có thể dùng làm điểm vui chơi, m²", "Land that could host a play point, m²"),
    "imp.help.district": ("Huyện trước 1/7/2025", "District before July 2025"),
    "imp.help.new_code": ("Mã xã hiện nay mà xã cũ gộp vào", "Code of the current unit it merged into"),
    "imp.help.id": ("Mã duy nhất của dòng", "Unique id of the row"),
    "imp.help.commune_code": ("Mã xã chứa điểm (hoặc dùng cột Tên xã)", "Code of the commune it lies in (or use a commune name column)"),
    "imp.help.commune_name": ("Tên xã (có thể là tên trước 2025)", "Commune name (pre-2025 names are mapped)"),
    "imp.help.status": ("existing = đang hoạt động, under_construction = đang xây dựng", "existing or under_construction"),
    "imp.help.year": ("Năm đưa vào sử dụng", "Year opened"),
    "imp.help.area_m2": ("Diện tích, m²", "Area, m²"),
    "imp.help.level": ("Cấp học", "School level"),
    "imp.help.is_satellite": ("Điểm trường lẻ: TRUE/FALSE", "Satellite site: TRUE/FALSE"),
    "imp.help.students": ("Số học sinh", "Number of students"),
    "imp.help.has_standard_toilet": ("Có công trình vệ sinh đạt chuẩn: TRUE/FALSE", "Has a standard toilet: TRUE/FALSE"),
    "imp.help.has_psych_support": ("Có dịch vụ hỗ trợ tâm lý: TRUE/FALSE", "Offers psychological support: TRUE/FALSE"),
    "imp.help.facility_id": ("Mã trường/điểm có nhà vệ sinh này", "Id of the school or point the toilet belongs to"),
    "imp.help.facility_kind": ("Loại cơ sở", "Kind of facility"),
    "imp.help.standard": ("Đạt chuẩn: TRUE/FALSE", "Meets the standard: TRUE/FALSE"),
    "imp.help.land_status": ("Tình trạng đất", "Land status"),
    "imp.help.est_cost_vnd": ("Kinh phí dự kiến, đồng", "Estimated cost, VND"),
    "imp.help.lon": ("Kinh độ WGS 84, độ thập phân (ví dụ 103,45)", "WGS 84 longitude, decimal degrees (e.g. 103.45)"),
    "imp.help.lat": ("Vĩ độ WGS 84, độ thập phân (ví dụ 22,40)", "WGS 84 latitude, decimal degrees (e.g. 22.40)"),
    "imp.help.x": ("Tọa độ Bắc VN-2000, mét", "VN-2000 northing, metres"),
    "imp.help.y": ("Tọa độ Đông VN-2000, mét", "VN-2000 easting, metres"),
    "imp.cli_valid": ("{file}: hợp lệ ({rows} dòng)", "{file}: valid ({rows} rows)"),
    "imp.cli_counts": ("{errors} lỗi, {warnings} cảnh báo", "{errors} error(s), {warnings} warning(s)"),
    "imp.cli_detected": ("{file}: {format}, mã ký tự {encoding}, {rows} dòng, hệ tọa độ {crs}", "{file}: {format}, encoding {encoding}, {rows} rows, CRS {crs}"),
    "imp.cli_confirm_crs": ("Để xác nhận hệ tọa độ đoán được, chạy lại với --crs {crs}", "To confirm the guessed coordinate system, run again with --crs {crs}"),
    "imp.cli_fix": ("Để áp dụng sửa lỗi, chạy lại với --fix {fix}", "To apply the fix, run again with --fix {fix}"),
    "imp.cli_written": ("Đã nhập và ghi gói dữ liệu vào {out}", "Data package imported and written to {out}"),
    # a list over the current package: add or replace, and what the import changes (planner/importing/plan.py,
    # cli_import.py, views/data.py)
    "err.imp_mode": ("Cách nhập không hợp lệ: {value}; dùng: {known}", "Unknown way of importing: {value}; use: {known}"),
    "err.imp_mode_needed": (
        "Dữ liệu hiện tại đã có danh sách này; hãy chọn thêm vào danh sách hiện có (add) hay thay thế danh sách "
        "hiện có (replace): {details}",
        "The current data already has this list; choose whether to add to the current list (add) or replace it "
        "(replace): {details}",
    ),
    "imp.mode_layer": ("{layer}: dữ liệu hiện tại có {before} dòng, tệp {file} có {rows} dòng", "{layer}: the current data has {before} rows, the file {file} has {rows}"),
    "imp.mode.add": ("Thêm vào danh sách hiện có", "Add to the current list"),
    "imp.mode.replace": ("Thay thế danh sách hiện có", "Replace the current list"),
    "imp.id_taken": (
        "{file}, cột '{column}': mã {values} đã có trong danh sách hiện tại ({layer}) ở vị trí khác ({n} dòng, dòng {rows}); "
        "hãy đổi mã hoặc chọn thay thế danh sách hiện có",
        "{file}, column '{column}': ids {values} are already in the current list ({layer}) at another place ({n} row(s), "
        "rows {rows}); change the ids or choose to replace the current list",
    ),
    "imp.already_listed": (
        "{file}: {n} dòng đã có trong danh sách hiện tại ({layer}) với cùng mã và vị trí (dòng {rows}, mã {values}); "
        "giữ nguyên dòng hiện có, không tính thêm lần nữa",
        "{file}: {n} row(s) are already in the current list ({layer}) with the same id and place (rows {rows}, ids "
        "{values}); the existing rows are kept and not counted twice",
    ),
    "imp.same_place": (
        "{file}: {n} dòng nằm đúng vị trí của một điểm đã có trong danh sách hiện tại ({layer}) nhưng khác mã (dòng {rows}); "
        "hãy kiểm tra xem có phải cùng một điểm không",
        "{file}: {n} row(s) lie where a point of the current list ({layer}) already is, under another id (rows {rows}); "
        "check whether they are the same point",
    ),
    "imp.replace_drops": (
        "{file}: thay thế danh sách hiện có ({layer}) sẽ bỏ {dropped} trong {before} dòng hiện có vì tệp không có các dòng "
        "này; danh sách mới có {after} dòng",
        "{file}: replacing the current list ({layer}) drops {dropped} of its {before} rows, which the file does not have; "
        "the new list has {after} rows",
    ),
    "imp.effect_heading": ("So với dữ liệu hiện tại:", "Compared with the current data:"),
    "imp.effect_heading_add": ("So với dữ liệu hiện tại (thêm vào danh sách hiện có):", "Compared with the current data (adding to the current list):"),
    "imp.effect_heading_replace": ("So với dữ liệu hiện tại (thay thế danh sách hiện có):", "Compared with the current data (replacing the current list):"),
    "imp.cli_mode_unused": ("Bỏ qua --mode {mode}: dữ liệu hiện tại chưa có danh sách nào được nhập lần này", "--mode {mode} is not used: the current data has none of the lists being imported"),
    "data.mode": ("Dữ liệu hiện tại đã có danh sách này ({lists}). Chọn cách nhập:", "The current data already has this list ({lists}). How to import it:"),
    "data.mode_required": (
        "Hãy chọn thêm vào hay thay thế danh sách hiện có trước khi kiểm tra.",
        "Choose whether to add to or replace the current list before checking.",
    ),
    "data.effect": ("Thay đổi so với dữ liệu hiện tại", "Changes from the current data"),
    "data.stale": (
        "Tệp hoặc lựa chọn đã thay đổi sau lần kiểm tra trước; hãy bấm Kiểm tra lại trước khi xác nhận.",
        "A file or a choice has changed since the last check; press Check again before confirming.",
    ),
    "data.effect_item": ("Nội dung", "Item"),
    "data.effect_change": ("Trước → sau", "Before → after"),
    "data.effect_rows": ("{layer} (số dòng)", "{layer} (rows)"),
    "data.effect_points": ("Số điểm vui chơi", "Play points"),
    "data.effect_communes": ("Xã có điểm vui chơi", "Communes with a play point"),
    "data.effect_children": ("Trẻ em trong bán kính {radius} m", "Children within {radius} m"),
    "data.drops": (
        "{layer}: {dropped} trong {before} dòng hiện có sẽ bị bỏ khi nhập.",
        "{layer}: {dropped} of the {before} current rows will be dropped by this import.",
    ),
    "imp.cli_not_written": ("Chưa ghi gì: hãy sửa các lỗi trên", "Nothing written: fix the errors above"),
    "imp.huge_number": ("{file}, cột '{column}': {values} quá lớn ở {n} dòng (dòng {rows})", "{file}, column '{column}': {values} is too large in {n} row(s) (rows {rows})"),
    "imp.ambiguous_number": (
        "{file}, cột '{column}': {n} giá trị có một dấu chấm hoặc dấu phẩy đứng trước ba chữ số nên hiểu được hai cách "
        "(dòng {rows}); các giá trị khác trong cột không cho biết tệp viết số theo kiểu Việt hay kiểu Anh, nên dấu đó "
        "đã được đọc là dấu phân cách hàng nghìn: {values}. Nếu không đúng, hãy viết số không có dấu phân cách "
        "(ví dụ 1200) và phần thập phân sau dấu phẩy (ví dụ 1,2)",
        "{file}, column '{column}': {n} value(s) have one dot or comma before three digits and can be read two ways "
        "(rows {rows}); the column's other values do not show whether the file writes numbers the Vietnamese or the "
        "English way, so the mark was read as a thousands separator: {values}. If that is wrong, write the numbers "
        "without separators (e.g. 1200) and decimals after a comma or a dot (e.g. 1,2 or 1.2)",
    ),
    "imp.text_undecodable": (
        "{file}, cột '{column}': {n} ô có ký tự không đọc được (�) do có byte không giải mã được theo bảng mã của tệp "
        "(dòng {rows}), ví dụ {values}; hãy kiểm tra bảng mã (UTF-8, TCVN3, VNI...) hoặc gõ lại các ô này",
        "{file}, column '{column}': {n} cell(s) hold unreadable characters (�) where bytes could not be decoded in the "
        "file's encoding (rows {rows}), e.g. {values}; check the encoding (UTF-8, TCVN3, VNI...) or retype these cells",
    ),
    "imp.text_control": (
        "{file}, cột '{column}': {n} ô có ký tự điều khiển ẩn (dòng {rows}), ví dụ {values}; hãy xóa các ký tự này "
        "trong tệp gốc",
        "{file}, column '{column}': {n} cell(s) hold hidden control characters (rows {rows}), e.g. {values}; remove "
        "them in the original file",
    ),
    "imp.text_bare_mark": (
        "{file}, cột '{column}': {n} ô có dấu thanh (hoặc dấu phụ) đứng riêng, không gắn với chữ cái nào (dòng {rows}), "
        "ví dụ {values}; thường do gõ nhầm hoặc chuyển bảng mã bị lỗi, hãy gõ lại các ô này",
        "{file}, column '{column}': {n} cell(s) hold a tone mark (or other diacritic) on no letter (rows {rows}), "
        "e.g. {values}; usually a typing slip or a faulty encoding conversion: retype these cells",
    ),
    "imp.mixed_encoding": (
        "{file}: {n} dòng có vẻ được viết bằng bảng mã {other}, trong khi tệp được đọc theo bảng mã {encoding}, nên "
        "chữ tiếng Việt ở các dòng này có thể bị lỗi font (dòng {rows}); tệp trộn nhiều bảng mã: hãy chuyển cả tệp "
        "về một bảng mã (nên dùng UTF-8) rồi tải lên lại",
        "{file}: {n} row(s) look written in {other} while the file is read as {encoding}, so their Vietnamese text "
        "may be garbled (rows {rows}); the file mixes encodings: convert all of it to one (UTF-8 is best) and upload "
        "it again",
    ),
    "imp.shp_count": (
        "{file}: tệp {shp} có {shapes} hình, tệp .dbf có {records} dòng thuộc tính, nhưng chỉ đọc được {rows} dòng; "
        "các phần của Shapefile không khớp nhau nên có hình hoặc dòng bị bỏ qua. Hãy xuất lại Shapefile từ phần mềm "
        "GIS",
        "{file}: {shp} holds {shapes} shapes and the .dbf {records} rows of attributes, but only {rows} rows were read; "
        "the parts of the shapefile do not match, so shapes or rows were left out. Export the shapefile again from the "
        "GIS software",
    ),
    # data page
    "page.data": ("Dữ liệu", "Data"),
    "data.heading": ("Dữ liệu của tỉnh", "The province's data"),
    "data.back_to_demo": ("Quay lại dữ liệu minh họa", "Back to the demo data"),
    "data.using_demo": ("Đang dùng dữ liệu minh họa", "Using the demo data"),
    "data.templates": ("Mẫu Excel và danh sách hiện có", "Excel templates and the current lists"),
    "data.export_lists": ("Tải các danh sách hiện có (Excel)", "Download the current lists (Excel)"),
    "data.upload": ("Tải tệp lên", "Upload files"),
    "data.upload_help": (
        "Ranh giới: GeoJSON, GeoPackage, Shapefile nén .zip, KML/KMZ. Danh sách: CSV hoặc Excel có cột kinh độ/vĩ độ "
        "hoặc X/Y VN-2000, hoặc tệp GIS. Chưa ghi gì cho đến khi bạn xác nhận.",
        "Boundaries: GeoJSON, GeoPackage, zipped Shapefile, KML/KMZ. Lists: CSV or Excel with longitude/latitude or "
        "VN-2000 X/Y columns, or GIS files. Nothing is written until you confirm.",
    ),
    "data.kind.communes": ("Ranh giới xã (hiện hành)", "Commune boundaries (current)"),
    "data.kind.communes_2024": ("Ranh giới xã cũ (trước 1/7/2025)", "Pre-July-2025 commune boundaries"),
    "data.kind.villages": ("Thôn, bản", "Villages"),
    "data.kind.play_points": ("Điểm vui chơi, văn hóa", "Play/culture points"),
    "data.kind.schools": ("Trường, điểm trường", "Schools and satellite sites"),
    "data.kind.toilets": ("Công trình vệ sinh", "Toilet blocks"),
    "data.kind.candidate_sites": ("Địa điểm tiềm năng", "Candidate sites"),
    "data.kind.table": ("Bảng số liệu theo xã", "Commune table"),
    "data.rows": ("{n} dòng", "{n} rows"),
    "data.encoding": ("mã ký tự {enc}", "encoding {enc}"),
    "data.mapping_help": ("Ghép mỗi cột của tệp với một trường (bỏ trống để bỏ qua cột).", "Match each column of the file to a field (leave empty to ignore it)."),
    "data.ignore": ("(bỏ qua)", "(ignore)"),
    "data.crs": ("Hệ tọa độ", "Coordinate system"),
    "data.crs_auto": ("Tự nhận (theo tệp hoặc đoán)", "Automatic (from the file, or guessed)"),
    "data.crs_guess": ("Tệp không ghi hệ tọa độ; đoán là {crs}. Hãy xác nhận bằng cách chọn hệ tọa độ ở trên.",
                       "The file names no coordinate system; guessed {crs}. Confirm it by choosing it above."),
    "data.package_name": ("Tên bộ dữ liệu", "Package name"),
    "data.check": ("Kiểm tra", "Check"),
    "data.checking": ("Đang đọc và kiểm tra…", "Reading and checking…"),
    "data.report": ("Báo cáo kiểm tra", "Validation report"),
    "data.severity": ("Mức", "Severity"),
    "data.sev.error": ("Lỗi", "Error"),
    "data.sev.warning": ("Cảnh báo", "Warning"),
    "data.file": ("Tệp", "File"),
    "data.row": ("Dòng", "Row"),
    "data.field": ("Trường", "Field"),
    "data.what": ("Vấn đề và cách sửa", "Problem and what to do"),
    "data.counts": ("{errors} lỗi, {warnings} cảnh báo", "{errors} error(s), {warnings} warning(s)"),
    "data.apply_fix": ("Áp dụng sửa “{fix}” cho {file}, rồi Kiểm tra lại", "Apply the fix “{fix}” to {file}, then Check again"),
    "data.fix.swap_lonlat": ("đổi chỗ kinh độ và vĩ độ", "swap longitude and latitude"),
    "data.fix.swap_xy": ("đổi chỗ X và Y", "swap X and Y"),
    "data.fix.confirm_crs": ("xác nhận hệ tọa độ đã đoán", "confirm the guessed coordinate system"),
    "data.confirm": ("Xác nhận và dùng dữ liệu này", "Confirm and use this data"),
    "data.imported": ("Đã ghi bộ dữ liệu vào {path}; mọi trang đang dùng dữ liệu này.", "Package written to {path}; every page now uses it."),
    "data.blocked": ("Còn lỗi: hãy sửa tệp hoặc ghép cột rồi kiểm tra lại. Chưa có gì được ghi.",
                     "There are errors: fix the files or the column matching and check again. Nothing has been written."),
    # errors
    "err.rank_criterion": ("Tiêu chí không có: {names}. Các tiêu chí: {known}", "Unknown criterion: {names}. Criteria: {known}"),
    "err.rank_weight": ("Trọng số '{name}' phải là số không âm, nhận được: {value}", "Weight '{name}' must be a non-negative number; got: {value}"),
    "err.rank_zero": ("Cần ít nhất một trọng số lớn hơn 0", "At least one weight must be above 0"),
    "err.rank_preset": ("Không có bộ trọng số '{name}'. Các bộ: {known}", "No preset '{name}'. Presets: {known}"),
    "err.rank_weights_syntax": ("Trọng số phải có dạng tên=giá_trị, nhận được: '{part}'", "Weights must look like name=value; got: '{part}'"),
    "err.rank_both": ("Chỉ dùng một trong --preset hoặc --weights", "Use either --preset or --weights, not both"),
    "err.export_ext": ("Không hỗ trợ định dạng '{ext}'. Dùng: {known}", "Unsupported format '{ext}'. Use: {known}"),
    "err.usage": ("Lỗi cú pháp: {detail}", "Usage error: {detail}"),
    "err.radius": ("Bán kính phải là số dương (mét), nhận được: {value}", "The radius must be a positive number of metres; got: {value}"),
    "err.lang": ("Ngôn ngữ không hỗ trợ: {value}; dùng vi hoặc en", "Unsupported language: {value}; use vi or en"),
    "err.package": (
        "Gói dữ liệu tại {path} có {n} lỗi: {details}",
        "The data package at {path} has {n} problem(s): {details}",
    ),
    "err.no_folder": (
        "Không tìm thấy thư mục dữ liệu {path}. Hãy chỉ tới thư mục chứa boundaries/ và facilities/.",
        "Data folder {path} not found. Point to the folder that holds boundaries/ and facilities/.",
    ),
    "err.out_exists": ("Không ghi được vào {path}: {detail}", "Cannot write to {path}: {detail}"),
    "prob.missing_file": (
        "thiếu tệp {file}; các tệp hiện có: {present}",
        "file {file} is missing; files present: {present}",
    ),
    "prob.unreadable": ("không đọc được tệp {file}: {detail}", "cannot read {file}: {detail}"),
    "prob.missing_column": (
        "{file}: thiếu cột '{column}'; các cột hiện có: {present}. Hãy đổi tên một cột thành '{column}'.",
        "{file}: column '{column}' not found; columns present: {present}. Rename one of them to '{column}'.",
    ),
    "prob.wrong_type": (
        "{file}: cột '{column}' phải là {expected}, nhưng đang là {found}{example}",
        "{file}: column '{column}' must be {expected} but holds {found}{example}",
    ),
    "prob.empty_values": (
        "{file}: cột '{column}' trống ở {n} dòng (ví dụ dòng {rows})",
        "{file}: column '{column}' is empty in {n} row(s) (e.g. rows {rows})",
    ),
    "prob.not_allowed": (
        "{file}: cột '{column}' có giá trị không hợp lệ {values}; cho phép: {allowed}",
        "{file}: column '{column}' has values {values} not in {allowed}",
    ),
    "prob.out_of_range": (
        "{file}: cột '{column}' có giá trị ngoài khoảng [{minimum}, {maximum}] ở {n} dòng (ví dụ dòng {rows})",
        "{file}: column '{column}' is outside [{minimum}, {maximum}] in {n} row(s) (e.g. rows {rows})",
    ),
    "prob.duplicate": (
        "{file}: cột '{column}' có giá trị trùng {values}; mỗi giá trị phải là duy nhất",
        "{file}: column '{column}' has duplicate values {values}; each must be unique",
    ),
    "prob.geometry": (
        "{file}: hình học phải là {expected}; {n} dòng khác loại hoặc trống (ví dụ dòng {rows})",
        "{file}: geometry must be {expected}; {n} row(s) are another type or empty (e.g. rows {rows})",
    ),
    "prob.invalid_polygon": (
        "{file}: {n} vùng không hợp lệ (tự cắt…), ví dụ dòng {rows}",
        "{file}: {n} invalid polygon(s) (self-intersection…), e.g. rows {rows}",
    ),
    "prob.crs": (
        "{file}: hệ tọa độ phải là EPSG:4326 (kinh độ/vĩ độ), đang là {found}",
        "{file}: the CRS must be EPSG:4326 (longitude/latitude), found {found}",
    ),
    "prob.unknown_commune": (
        "{file}: mã xã {values} không có trong communes.geojson",
        "{file}: commune codes {values} are not in communes.geojson",
    ),
    "prob.children_gt_population": (
        "{file}: số trẻ em lớn hơn dân số ở {n} dòng (ví dụ dòng {rows})",
        "{file}: children exceed population in {n} row(s) (e.g. rows {rows})",
    ),
    "prob.village_sum": (
        "dân số/trẻ em của {n} xã khác tổng các thôn bản (ví dụ {values}); số liệu xã được dùng cho bảng, thôn bản cho tiếp cận",
        "population/children of {n} commune(s) differ from their villages' sums (e.g. {values}); commune figures are used in tables, villages for reach",
    ),
    "prob.empty_layer": ("{file}: không có dòng nào", "{file}: has no rows"),
    "type.text": ("văn bản", "text"),
    "type.integer": ("số nguyên", "whole numbers"),
    "type.number": ("số", "numbers"),
    "type.boolean": ("đúng/sai (true/false)", "true/false"),
    "geom.polygon": ("vùng (Polygon)", "polygons"),
    "geom.point": ("điểm (Point)", "points"),
    # siting (planner/siting.py, planner/candidates.py)
    "err.siting_budget": (
        "Ngân sách phải là số không âm (đồng), nhận được: {value}",
        "The budget must be a non-negative number of VND; got: {value}",
    ),
    "err.siting_no_candidates": (
        "Không có địa điểm ứng viên nào để chọn. Hãy thêm facilities/candidate_sites.geojson hoặc dùng sân trường, thôn bản làm ứng viên.",
        "There are no candidate sites to choose from. Add facilities/candidate_sites.geojson or use school grounds or villages as candidates.",
    ),
    "err.siting_max_new": (
        "Số điểm mới tối đa phải là số nguyên không âm, nhận được: {value}",
        "The maximum number of new points must be a whole number, 0 or more; got: {value}",
    ),
    "err.siting_target": (
        "Chỉ tiêu số xã có điểm phải là số nguyên không âm, nhận được: {value}",
        "The target number of communes with a point must be a whole number, 0 or more; got: {value}",
    ),
    "err.siting_solver": (
        "Giới hạn thời gian phải là số giây dương và sai số tối ưu trong [0, 1), nhận được: {time_limit} giây, {gap}",
        "The time limit must be a positive number of seconds and the optimality gap in [0, 1); got: {time_limit} s, {gap}",
    ),
    "err.siting_outside": (
        "{n} địa điểm ứng viên nằm ngoài mọi xã, phường: {ids}. Hãy sửa tọa độ hoặc bỏ các địa điểm này.",
        "{n} candidate site(s) lie outside every commune: {ids}. Fix their coordinates or leave them out.",
    ),
    "err.siting_unknown_commune": (
        "{n} địa điểm ứng viên có mã xã không có trong communes.geojson: {ids}",
        "{n} candidate site(s) have commune codes that are not in communes.geojson: {ids}",
    ),
    "err.siting_method": (
        "Phương pháp không hỗ trợ: {value}; dùng exact (tối ưu) hoặc greedy (tham lam)",
        "Unsupported method: {value}; use exact or greedy",
    ),
    "err.siting_year": (
        "Năm chỉ tiêu không hỗ trợ: {value}; dùng {allowed}",
        "Unsupported target year: {value}; use {allowed}",
    ),
    "err.siting_source": (
        "Nguồn ứng viên không hỗ trợ: {value}; dùng {allowed}",
        "Unsupported candidate source: {value}; use {allowed}",
    ),
    "err.siting_cost": (
        "Chi phí mặc định một điểm phải là số không âm (đồng), nhận được: {value}",
        "The default cost of a site must be a non-negative number of VND; got: {value}",
    ),
}


def t(key: str, lang: str = DEFAULT_LANG, **params) -> str:
    """The text for `key` in `lang`, with `params` filled in; the key itself if unknown."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**params) if params else text


def fmt_int(value: int | float, lang: str = DEFAULT_LANG) -> str:
    """12345 -> '12.345' (vi) or '12,345' (en)."""
    text = f"{int(round(value)):,}"
    return text.replace(",", ".") if lang == "vi" else text


def fmt_num(value: float, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """72.46 -> '72,5' (vi) or '72.5' (en)."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u00a0").replace(".", ",").replace("\u00a0", ".") if lang == "vi" else text


def fmt_pct(value: float, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """0.2368 -> '23,7%' (vi) or '23.7%' (en)."""
    text = f"{value * 100:.{digits}f}%"
    return text.replace(".", ",") if lang == "vi" else text
