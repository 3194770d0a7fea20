"""Progress in a real browser (en-US locale, Vietnamese interface, no network): a planner proposes
a point by clicking inside a commune that has none, saves the scenario, takes it into the record
on the "Tiến độ" page, records the point as in use today, and sees this year's indicator rise;
then downloads the periodic report and finds the page's figures in it."""
from __future__ import annotations

import random

from planner.io import DEMO_DIR, read_package
from planner.progress import today_in_vietnam
from tests.test_browser import ARTIFACTS, WORKSPACES, _click, _idle, _language, _map, _pick, _type, en_page, server  # noqa: F401
from tests.test_browser_journey import click_on_map, interior_points


def _metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_a_proposal_recorded_in_use_raises_this_years_indicator(server, en_page, tmp_path):  # noqa: F811
    page = en_page
    demo = read_package(DEMO_DIR)
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    with_point = set(demo.play_points.loc[demo.play_points["status"] == "existing", "commune_code"])
    lacking = demo.communes[~demo.communes["code"].isin(with_point)].reset_index(drop=True)
    commune = lacking.iloc[rng.randrange(len(lacking))]
    year = today_in_vietnam().year

    # the Tiến độ page before anything is recorded
    page.goto(f"{server}/progress")
    page.get_by_text("Tiến độ thực hiện chỉ tiêu").first.wait_for(timeout=90_000)
    _idle(page)
    assert _metric(page, f"Xã có điểm — năm {year}") == "9/38", seed

    # a point proposed by a click inside the commune, then the scenario saved
    page.get_by_role("link", name="Chọn địa điểm").click()
    page.get_by_text("Các điểm đề xuất", exact=True).wait_for(timeout=90_000)
    _map(page).locator("path.leaflet-interactive").nth(37).wait_for(timeout=60_000)
    _idle(page)
    mine = lacking[lacking["code"] == commune["code"]]
    spots = [spot for _ in range(8) for spot in interior_points(mine, rng, 1)]  # random spots well inside it
    assert any(click_on_map(page, lat, lon) for _, lat, lon in spots), seed  # the first one free of markers
    page.get_by_text("Đã thêm").first.wait_for(timeout=60_000)
    _idle(page)
    page.get_by_role("link", name="Kịch bản").click()
    page.get_by_text("Kịch bản đang soạn").first.wait_for(timeout=90_000)
    name = f"Xây dựng {commune['name']} {seed}"
    _type(page, "Tên kịch bản", name)
    _click(page, "Lưu kịch bản")
    page.get_by_text(f"Đã lưu “{name}” phiên bản 1").first.wait_for(timeout=30_000)

    # taken into the record, then recorded as in use today
    page.get_by_role("link", name="Tiến độ").click()
    page.get_by_text("Tiến độ thực hiện chỉ tiêu").first.wait_for(timeout=90_000)
    _pick(page, page.locator("[data-testid='stSelectbox']").filter(has_text="Đưa các đề xuất của kịch bản"), name)
    _click(page, "Đưa vào sổ")
    page.get_by_text("Đã đưa 1 đề xuất").first.wait_for(timeout=30_000)
    _idle(page)
    assert _metric(page, f"Xã có điểm — năm {year}") == "9/38"  # planned does not count
    point_box = page.locator("[data-testid='stSelectbox']").filter(has_text="Điểm").first
    point_box.click()
    page.keyboard.type(name)  # as a person finds one point among many: by typing
    page.get_by_role("option").filter(has_text=f"({name}) — {commune['name']}").first.click()
    _idle(page)
    _click(page, "Ghi vào sổ theo dõi")
    page.get_by_text("Đã ghi mục số 2").first.wait_for(timeout=30_000)
    _idle(page)
    assert _metric(page, f"Xã có điểm — năm {year}") == "10/38", seed
    body = page.locator("body").inner_text()
    assert "còn thiếu 4 xã" in body
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "progress.png"), full_page=True)

    # the periodic report for this year holds the page's figure
    with page.expect_download() as dl:
        page.get_by_role("button", name="DOCX").click()
    path = tmp_path / "report.docx"
    dl.value.save_as(path)
    import docx

    cells = [c.text for t in docx.Document(str(path)).tables for row in t.rows for c in row.cells]
    assert "10/38" in cells, seed

    # saved again at once, another point and status: the entry is the one on screen, not a stale choice
    others = [r for r in demo.play_points.itertuples() if r.commune_code != commune["code"]]
    for lang_switch, other in zip((False, True), rng.sample(others, 2)):  # two different points (the same
        # entry twice would rightly be refused as already recorded)
        label = f"{other.name} — {demo.communes.set_index('code').at[other.commune_code, 'name']}"
        if lang_switch:  # the interface switched to English between two saves
            _language(page, "English")
            page.get_by_text("Progress on the targets").first.wait_for(timeout=30_000)
            _idle(page)
        box = page.locator("[data-testid='stSelectbox']").filter(has_text="Point" if lang_switch else "Điểm").first
        box.click()
        page.keyboard.type(other.name)
        page.get_by_role("option").filter(has_text=label).first.click()
        _idle(page)
        status = page.locator("[data-testid='stSelectbox']").filter(has_text="Status" if lang_switch else "Trạng thái").first
        status.click()
        page.get_by_role("option", name="Approved" if lang_switch else "Đã phê duyệt", exact=True).click()
        _idle(page)
        if lang_switch:
            _click(page, "Record")
        else:  # a double click, as hurried hands do: one entry, the one chosen
            _idle(page)
            page.get_by_role("button", name="Ghi vào sổ theo dõi", exact=True).first.dblclick()
        said = (f"Recorded entry {4 if lang_switch else 3}: {other.name} — Approved" if lang_switch
                else f"Đã ghi mục số 3: {other.name} — Đã phê duyệt")
        page.get_by_text(said).first.wait_for(timeout=30_000)
        _idle(page)
    from planner.record_store import RecordStore

    recorded = RecordStore(WORKSPACES[-1] / "scenarios.sqlite").entries(demo.name)
    assert [e.status for e in recorded] == ["planned", "in_use", "approved", "approved"], seed
    _language(page, "Tiếng Việt")
    page.get_by_text("Tiến độ thực hiện chỉ tiêu").first.wait_for(timeout=30_000)
    _idle(page)

    assert page.external == [], (seed, page.external)
