"""A planner's day in a real browser, done as a person does it, not as the test author knows works:
clicks at random interior points of random communes (zoomed out and zoomed in), the optimiser's
sites looked at before they are taken, added to and then replacing the hand-placed points, undo,
three scenarios saved in a row under new names, and an en-US browser on the Vietnamese interface.
Every request to another host is blocked and counted. The random choices are seeded: the seed is in
every failure message (set PLANNER_JOURNEY_SEED to replay one).

Screenshots of each step go to test-artifacts/journey-*.png.
"""
from __future__ import annotations

import os
import random
import re

import pytest
import shapely

from planner.maps import CHOSEN_RING
from test_browser import ARTIFACTS, CHROMIUM, LOCAL, MAP, _browser_args, _click, _idle, _type, _upload, server  # noqa: F401

SEED = int(os.environ.get("PLANNER_JOURNEY_SEED") or random.SystemRandom().randrange(1_000_000))


@pytest.fixture()
def person(request):
    """A page in an en-US browser (the interface stays Vietnamese), external hosts blocked."""
    from playwright.sync_api import sync_playwright

    external: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=_browser_args())
        context = browser.new_context(viewport={"width": 1400, "height": 1300}, locale="en-US",
                                      timezone_id="America/New_York")

        def block(route):
            if route.request.url.startswith(LOCAL):
                return route.continue_()
            external.append(route.request.url)
            return route.abort()

        context.route("**/*", block)
        pg = context.new_page()
        pg.external = external
        yield pg
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        browser.close()


def interior_points(communes, rng: random.Random, n: int) -> list[tuple[str, float, float]]:
    """(name, lat, lon) of a random point well inside each of `n` random communes."""
    out = []
    for name, geom in rng.sample(list(zip(communes["name"], communes.geometry)), n):
        inner = geom.buffer(-0.004)
        if inner.is_empty:
            continue
        minx, miny, maxx, maxy = inner.bounds
        while True:
            pt = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if inner.contains(pt):
                out.append((name, pt.y, pt.x))
                break
    return out


def proposals_shown(pg) -> int:
    text = pg.locator("body").inner_text()
    found = re.findall(r"Các điểm đề xuất: (\d+)", text)
    assert found, "the proposals count is not on the page"
    return int(found[0])


def spot_on_map(pg, lat: float, lon: float) -> tuple[float, float] | None:
    """Where on the page a person would click for (lat, lon), or None when the spot is off screen or
    covered by the map's controls or a proposal already made."""
    frame = pg.frame_locator(MAP)
    x, y, free = frame.locator("body").evaluate(
        "(_, [lat, lon]) => { const p = window.map_div.latLngToContainerPoint([lat, lon]);"
        " const s = window.map_div.getSize(); if (p.x < 5 || p.y < 5 || p.x > s.x - 5 || p.y > s.y - 5) return [p.x, p.y, false];"
        " const r = window.map_div.getContainer().getBoundingClientRect();"
        " const e = document.elementFromPoint(r.left + p.x, r.top + p.y);"
        " return [p.x, p.y, !!e && !e.closest('.leaflet-control, #planner-legend') && e.getAttribute('fill') !== '#e65100']; }",
        [lat, lon])  # a click on a proposal's own marker shows it, it does not propose another
    if not free:
        return None
    box = pg.locator(MAP).bounding_box()
    return box["x"] + x, box["y"] + y


def click_on_map(pg, lat: float, lon: float) -> bool:
    """Click the map where (lat, lon) is, if a person could (see `spot_on_map`)."""
    spot = spot_on_map(pg, lat, lon)
    if spot:
        pg.mouse.click(*spot)
    return spot is not None


def wait_count(pg, n: int, why: str) -> None:
    try:
        pg.wait_for_function(f"() => document.body.innerText.includes('Các điểm đề xuất: {n}')", timeout=30_000)
    except Exception:  # noqa: BLE001 - say what the person saw
        pytest.fail(f"{why}: expected {n} proposals, the page shows {proposals_shown(pg)} (seed {SEED})")
    _idle(pg)


def test_a_planners_day(server, person, demo, tmp_path):  # noqa: F811 - `server` is the shared fixture
    pg, rng = person, random.Random(SEED)
    pg.goto(f"{server}/sites")
    pg.get_by_text("Tối ưu hóa trong ngân sách").first.wait_for(timeout=90_000)
    frame = pg.frame_locator(MAP)
    frame.locator("path.leaflet-interactive").nth(37).wait_for(timeout=60_000)
    _idle(pg)

    # 1. zoomed out: random points inside random communes each add a proposal
    spots = interior_points(demo.communes, rng, 14)
    added, clicked = 0, []
    for name, lat, lon in spots[:6]:
        if click_on_map(pg, lat, lon):
            added += 1
            clicked.append(name)
            wait_count(pg, added, f"click inside {name} at {lat:.5f}, {lon:.5f}, zoomed out")
    assert added >= 4, f"too few free spots zoomed out (seed {SEED})"
    quick = [xy for xy in (spot_on_map(pg, lat, lon) for _, lat, lon in interior_points(demo.communes, rng, 6)) if xy][:2]
    for x, y in quick:  # two clicks a tenth of a second apart: both count, and both are said
        pg.mouse.click(x, y)
        pg.wait_for_timeout(100)
    added += len(quick)
    wait_count(pg, added, "two quick clicks")
    if len(quick) == 2:
        for n in (added - 1, added):
            pg.get_by_text(f"Đã thêm đề xuất N{n:03d}").first.wait_for(timeout=10_000)

    # 2. zoomed in on another commune: more clicks in the communes in view, panning on when needed
    rest = [s for s in spots[6:] if s[0] not in clicked]
    for name0, lat0, lon0 in rest:
        if len(set(clicked)) >= 10:
            break
        frame.locator("body").evaluate("(_, [lat, lon]) => window.map_div.setView([lat, lon], 11, {animate: false})", [lat0, lon0])
        pg.wait_for_timeout(400)
        w, s_, e, n = frame.locator("body").evaluate(
            "() => { const b = window.map_div.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }")
        view = shapely.box(w, s_, e, n)
        in_view = demo.communes[demo.communes.intersects(view) & ~demo.communes["name"].isin(clicked)]
        for name, lat, lon in interior_points(in_view.assign(geometry=in_view.intersection(view)), rng, min(3, len(in_view))):
            if click_on_map(pg, lat, lon):
                added += 1
                clicked.append(name)
                wait_count(pg, added, f"click inside {name} at {lat:.5f}, {lon:.5f}, zoomed in")
    assert len(set(clicked)) >= 8, f"only {len(set(clicked))} communes clicked (seed {SEED}): {clicked}"
    pg.screenshot(path=str(ARTIFACTS / "journey-1-clicks.png"), full_page=True)
    hand = added

    # 3. the optimiser's sites are on the map before they are taken
    pg.get_by_label("Ngân sách (triệu đồng)").fill(str(rng.choice([8_000, 12_000, 15_000])))  # whole millions
    _click(pg, "Chạy tối ưu hóa")
    pg.get_by_text("Thêm vào các đề xuất của tôi").first.wait_for(timeout=180_000)
    _idle(pg)
    chosen = pg.locator("[data-testid='stDataFrame']").first
    n_sites = int(frame.locator("body").evaluate(
        "() => new Promise(ok => setTimeout(() => ok(document.querySelectorAll(\"path[stroke='" + CHOSEN_RING + "']\").length), 1500))"))
    assert n_sites > 0, f"the optimiser's sites are not on the map (seed {SEED})"
    assert proposals_shown(pg) == hand  # not taken yet
    assert chosen.count() == 1
    pg.screenshot(path=str(ARTIFACTS / "journey-2-optimiser-sites.png"), full_page=True)

    # 4. add them to the hand-placed points, then replace, then undo
    _click(pg, "Thêm vào các đề xuất của tôi")
    said = pg.get_by_text(re.compile(r"Đã thêm \d+ địa điểm")).first
    said.wait_for(timeout=30_000)
    # a site whose candidate a click already proposed (clicks snap to candidates) is not added twice
    added = int(re.search(r"Đã thêm (\d+) địa điểm", said.inner_text()).group(1))
    assert 0 < added <= n_sites, (added, n_sites, SEED)
    wait_count(pg, hand + added, "add the optimiser's sites")
    pg.screenshot(path=str(ARTIFACTS / "journey-3-added.png"), full_page=True)
    _click(pg, "Chạy tối ưu hóa")
    pg.get_by_text("Thay thế các đề xuất của tôi").first.wait_for(timeout=180_000)
    _click(pg, "Thay thế các đề xuất của tôi")
    wait_count(pg, n_sites, "replace with the optimiser's sites")
    pg.get_by_text(f"Đã thay {hand + added} đề xuất có sẵn").first.wait_for(timeout=20_000)
    _click(pg, "Hoàn tác")
    wait_count(pg, hand + added, "undo the replacement")
    pg.screenshot(path=str(ARTIFACTS / "journey-4-undo.png"), full_page=True)

    # 5. three scenarios in a row: save, rename and save, save as new
    names = [f"Phương án {rng.choice(['A', 'B', 'C'])}{k} {rng.randrange(100)}" for k in range(3)]
    pg.get_by_role("link", name="Kịch bản").click()
    pg.get_by_text("Kịch bản đang soạn").first.wait_for(timeout=90_000)
    _idle(pg)
    for k, (name, button) in enumerate(zip(names, ["Lưu kịch bản", "Lưu kịch bản", "Lưu thành kịch bản mới"])):
        _type(pg, "Tên kịch bản", name)
        _click(pg, button)
        pg.get_by_text(f"Đã lưu “{name}” phiên bản 1").first.wait_for(timeout=60_000)
        assert pg.locator("[data-testid='stAlertContentError']").count() == 0, f"save {k + 1} failed (seed {SEED})"
    _click(pg, "Lưu kịch bản")  # once more with nothing changed: no new version, and it says so
    pg.get_by_text(f"Không có thay đổi nào kể từ phiên bản 1 của “{names[2]}”").first.wait_for(timeout=60_000)
    _type(pg, "Mô tả", f"Biến thể {rng.randrange(1000)}")
    _click(pg, "Lưu kịch bản")  # and again after a change: a new version of the last one
    pg.get_by_text(f"Đã lưu “{names[2]}” phiên bản 2").first.wait_for(timeout=60_000)
    pg.screenshot(path=str(ARTIFACTS / "journey-5-three-scenarios.png"), full_page=True)
    from planner.store import ScenarioStore
    from test_browser import WORKSPACES

    store = ScenarioStore(WORKSPACES[-1] / "scenarios.sqlite")
    assert sorted(store.names()) == sorted(names)
    assert {len(store.load(n).proposals) for n in store.names()} == {hand + added}

    # 6. import 3 new play points in "add" mode: 19 + 3 points, the indicator rises, nothing dropped
    without = demo.communes[~demo.communes["code"].isin(demo.play_points["commune_code"])]
    new_points = interior_points(without, rng, 3)
    csv = tmp_path / f"diem-moi-{rng.randrange(1000)}.csv"
    csv.write_text("Tên điểm,Loại,Trạng thái,Năm,Diện tích (m²),Kinh độ,Vĩ độ\n" + "".join(
        f"Điểm mới ở {name},play_area,existing,2025,{rng.randrange(200, 900)},{lon:.6f},{lat:.6f}\n"
        for name, lat, lon in new_points), encoding="utf-8")
    pg.get_by_role("link", name="Dữ liệu").click()
    pg.get_by_text("Tải tệp lên").first.wait_for(timeout=90_000)
    _upload(pg, "Điểm vui chơi, văn hóa", csv)
    _idle(pg)
    pg.get_by_text("Thêm vào danh sách hiện có").click()
    _idle(pg)
    _type(pg, "Tên bộ dữ liệu", "Thêm 3 điểm mới")
    _click(pg, "Kiểm tra")
    pg.get_by_text("Thay đổi so với dữ liệu hiện tại").first.wait_for(timeout=90_000)
    _idle(pg)
    body = pg.locator("body").inner_text()
    assert "19 → 22" in body and "9/38 (23,7%) → 12/38 (31,6%)" in body, f"no before/after counts (seed {SEED})"
    pg.screenshot(path=str(ARTIFACTS / "journey-6-import-add.png"), full_page=True)
    _click(pg, "Xác nhận và dùng dữ liệu này")
    pg.get_by_text("mọi trang đang dùng dữ liệu này").first.wait_for(timeout=90_000)
    pg.get_by_role("link", name="Tổng quan").click()
    pg.get_by_text("Bảng theo xã").first.wait_for(timeout=90_000)
    pg.get_by_text("31,6%").first.wait_for(timeout=60_000)

    # 7. the data package changed: the scenario form shows the plan, not a stale name over nothing
    pg.get_by_role("link", name="Kịch bản").click()
    pg.get_by_text("Kịch bản đang soạn").first.wait_for(timeout=90_000)
    _idle(pg)
    assert pg.get_by_label("Tên kịch bản").first.input_value() == names[2]
    pg.get_by_role("link", name="Chọn địa điểm").click()
    pg.get_by_text("Tối ưu hóa trong ngân sách").first.wait_for(timeout=90_000)
    _idle(pg)
    assert proposals_shown(pg) == hand + added, f"the plan lost proposals when the data changed (seed {SEED})"
    pg.screenshot(path=str(ARTIFACTS / "journey-7-after-import.png"), full_page=True)
    assert pg.external == [], pg.external
