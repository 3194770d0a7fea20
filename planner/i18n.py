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
    "app.demo_note": (
        "Dữ liệu minh họa: tên, mã, tâm và diện tích đơn vị hành chính là chính thức; ranh giới gần đúng; "
        "dân số, trẻ em, cơ sở và thuộc tính xã là giả định. Không dùng cho quyết định thật.",
        "Demo data: unit names, codes, centres and areas are official; boundaries are approximate; "
        "population, children, facilities and commune attributes are illustrative. Not for real decisions.",
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
    "opt.default_cost": ("Kinh phí mặc định một điểm (đồng)", "Default cost of a point (VND)"),
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
    "sites.effect": ("Tác động của các đề xuất", "Effect of the proposals"),
    "sites.before_after": ("{before} → {after}", "{before} → {after}"),
    "sites.new_communes": ("Xã mới có điểm", "Communes newly with a point"),
    "sites.new_children": ("Trẻ em mới được tiếp cận", "Children newly within reach"),
    "sites.total_cost": ("Tổng kinh phí", "Total cost"),
    "sites.added": ("Đã thêm đề xuất {id} tại {name}", "Added proposal {id} in {name}"),
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
    "scn.new": ("Kịch bản mới từ các đề xuất hiện tại", "New scenario from the current proposals"),
    "scn.saved_list": ("Kịch bản đã lưu", "Saved scenarios"),
    "scn.none": ("Chưa có kịch bản nào được lưu.", "No scenario saved yet."),
    "scn.versions": ("Các phiên bản", "Versions"),
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
    "scn.report": ("Báo cáo cho cuộc họp", "Meeting outputs"),
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
