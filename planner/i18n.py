"""Every user-facing string, in Vietnamese (default) and English."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.errors import PlannerError, Problem

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
    "scn.delete": ("Xóa kịch bản", "Delete scenario"),
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
    "opt.use": ("Dùng các điểm này làm đề xuất", "Use these as proposals"),
    "opt.chosen": ("Các địa điểm được chọn", "Chosen sites"),
    "opt.nothing": ("Không chọn được địa điểm nào trong ngân sách này.", "No site fits within this budget."),
    "opt.site_children": ("Trẻ em mới trong bán kính", "Children newly within radius"),
    "opt.sheet": ("Địa điểm", "Sites"),
    "col.lon": ("Kinh độ", "Longitude"),
    "col.site_id": ("Mã địa điểm", "Site"),
    "opt.no_limit": ("0 = không giới hạn", "0 = no limit"),
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
    "scn.load": ("Mở", "Open"),
    "scn.saved_list": ("Kịch bản đã lưu", "Saved scenarios"),
    "scn.none": ("Chưa có kịch bản nào được lưu.", "No scenario saved yet."),
    "scn.saved_at": ("Lưu lúc", "Saved at"),
    "err.version": ("Phiên bản phải là số nguyên, nhận được: {value}", "The version must be a whole number; got: {value}"),
    "scn.view_version": ("Xem “{name}” phiên bản {version}", "View “{name}” version {version}"),
    "scn.note": ("Ghi chú", "Note"),
    "scn.restore": ("Khôi phục phiên bản {version}", "Restore version {version}"),
    "scn.restored": ("Đã khôi phục thành phiên bản {version}", "Restored as version {version}"),
    "scn.phase": ("Xếp năm tự động theo ngân sách", "Place in years by budget"),
    "scn.unfit": ("{n} đề xuất không vừa ngân sách năm nào", "{n} proposals fit no year's budget"),
    "scn.export": ("Tải kịch bản (GeoPackage, mở được bằng QGIS)", "Download scenario (GeoPackage, opens in QGIS)"),
    "scn.import": ("Nhập kịch bản từ tệp GeoPackage", "Import a scenario from a GeoPackage"),
    "scn.imported": ("Đã nhập “{name}”", "Imported “{name}”"),
    "scn.compare": ("So sánh kịch bản", "Compare scenarios"),
    "scn.pick": ("Chọn 2–4 kịch bản", "Choose 2–4 scenarios"),
    "scn.loaded": ("Đã mở “{name}” phiên bản {version}", "Opened “{name}” version {version}"),
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
    # data import (planner/importing.py and the import_*.py modules, cli_import.py)
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
    "err.imp_lone_shp": ("{file}: Shapefile cần cả .shp, .shx, .dbf (và .prj); hãy nén chúng vào một tệp .zip", "{file}: a Shapefile needs its .shp, .shx, .dbf (and .prj); put them in one .zip"),
    "err.imp_extension": ("{file}: không hỗ trợ loại tệp '{ext}'; dùng: {known}", "{file}: unsupported file type '{ext}'; use: {known}"),
    "err.imp_zip_unsafe": ("{file}: tệp nén bị từ chối vì không an toàn ({reason})", "{file}: archive refused as unsafe ({reason})"),
    "err.imp_unreadable": ("{file}: không đọc được ({detail})", "{file}: cannot be read ({detail})"),
    "err.imp_no_rows": ("{file}: không có dòng dữ liệu nào", "{file}: holds no data rows"),
    "err.imp_too_many_rows": ("{file}: quá {limit} dòng", "{file}: more than {limit} rows"),
    "err.imp_no_sheet": ("{file}: không có trang/lớp '{sheet}'; hiện có: {known}", "{file}: no sheet or layer '{sheet}'; present: {known}"),
    "err.imp_binary": ("{file}: không phải tệp văn bản CSV (có ký tự nhị phân)", "{file}: not a CSV text file (binary content)"),
    "err.imp_not_gis": ("{file}: ranh giới cần tệp GIS (GeoJSON, GeoPackage, Shapefile nén .zip, KML/KMZ)", "{file}: boundaries need a GIS file (GeoJSON, GeoPackage, zipped Shapefile, KML/KMZ)"),
    "err.imp_zip_empty": ("{file}: tệp nén không chứa lớp GIS nào (.shp, .gpkg, .geojson, .kml); có: {present}", "{file}: the archive holds no GIS layer (.shp, .gpkg, .geojson, .kml); present: {present}"),
    "err.imp_zip_many": ("{file}: tệp nén chứa nhiều lớp ({found}); hãy nén riêng từng lớp", "{file}: the archive holds several layers ({found}); zip one layer per file"),
    "err.imp_shp_parts": ("{file}: Shapefile thiếu {missing}", "{file}: the Shapefile lacks {missing}"),
    "err.imp_crs": ("Hệ tọa độ không hợp lệ: {value}; dùng mã EPSG (ví dụ EPSG:9205) hoặc: {known}", "Unknown coordinate system: {value}; use an EPSG code (e.g. EPSG:9205) or: {known}"),
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
    "imp.cli_not_written": ("Chưa ghi gì: hãy sửa các lỗi trên", "Nothing written: fix the errors above"),
    "imp.huge_number": ("{file}, cột '{column}': {values} quá lớn ở {n} dòng (dòng {rows})", "{file}, column '{column}': {values} is too large in {n} row(s) (rows {rows})"),
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


def problem_text(problem: "Problem", lang: str = DEFAULT_LANG) -> str:
    params = dict(problem.params)
    # a word already translated by the caller comes as `name` (Vietnamese) and `name_en`
    params.update({k[:-3]: v for k, v in problem.params.items() if lang == "en" and k.endswith("_en")})
    for name in ("expected",):
        if name in params:
            params[name] = t(f"type.{params[name]}", lang)
    if problem.key == "prob.geometry":
        params["expected"] = t(f"geom.{problem.params['expected']}", lang)
    return t(problem.key, lang, **params)


def error_text(error: "PlannerError", lang: str = DEFAULT_LANG) -> str:
    params = dict(error.params)
    if error.problems:
        params["n"] = len(error.problems)
        params["details"] = "; ".join(p.message(lang) for p in error.problems)
    return t(error.key, lang, **params)


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
