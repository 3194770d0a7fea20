"""Walking mode in a real browser (en-US locale, Vietnamese interface, no network): the planner
switches reach to walking, sees the cards change to the CLI's figures and the catchments drawn,
changes the minutes, then proposes a point by clicking inside a commune and sees the walk counted."""
from __future__ import annotations

import random

import pytest

from planner.analysis import Analysis
from planner.formats import fmt_int
from planner.io import DEMO_DIR, read_package
from planner.reach import ReachRule
from tests.test_browser import ARTIFACTS, MAP, _idle, _map, en_page, server  # noqa: F401 - fixtures


@pytest.fixture(scope="module")
def walk_figures():
    an = Analysis.of(read_package(DEMO_DIR), reach=ReachRule(mode="walk", minutes=30))
    return {m: an.at(reach=ReachRule(mode="walk", minutes=m)).summary.reach.children_within for m in (30, 45)}


def _overlay_labels(frame) -> list[str]:
    labels = frame.locator(".leaflet-control-layers-overlays label")
    return [labels.nth(i).text_content().strip() for i in range(labels.count())]


def test_walking_mode_end_to_end(server, en_page, walk_figures):  # noqa: F811
    page = en_page
    page.goto(server)
    page.get_by_text("Bảng theo xã").first.wait_for(timeout=90_000)
    frame = _map(page)
    frame.locator("path.leaflet-interactive").nth(37).wait_for(timeout=60_000)
    page.get_by_text("Trẻ em trong bán kính 2.000 m").first.wait_for(timeout=30_000)
    paths_before = frame.locator("path").count()

    page.get_by_text("đi bộ (phút)", exact=True).click()
    page.get_by_text("Trẻ em trong 30 phút đi bộ").first.wait_for(timeout=120_000)
    _idle(page)
    body = page.locator("body").inner_text()
    assert fmt_int(walk_figures[30], "vi") in body  # the CLI's figure, in Vietnamese digits
    assert "Địa hình, sông suối và đường trong dữ liệu minh họa là giả định" in body
    frame.get_by_text("Vùng đi bộ 30 phút").wait_for(state="attached", timeout=60_000)
    labels = _overlay_labels(frame)
    assert {"Vùng đi bộ 30 phút", "Vùng đi bộ 15/30/60 phút", "Thời gian đi bộ (bề mặt)",
            "Thôn, bản (thời gian đi bộ)"} <= set(labels) and "Vùng trong bán kính" not in labels
    assert frame.locator("path").count() > paths_before + 10  # a catchment polygon per existing point
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "overview-walking.png"))

    box = page.get_by_role("spinbutton", name="Thời gian đi bộ tối đa (phút)")
    box.fill("45")
    box.press("Enter")
    page.get_by_text("Trẻ em trong 45 phút đi bộ").first.wait_for(timeout=60_000)
    _idle(page)
    assert fmt_int(walk_figures[45], "vi") in page.locator("body").inner_text()
    frame.get_by_text("Vùng đi bộ 45 phút").wait_for(state="attached", timeout=60_000)

    # the Sites page keeps the mode; a click inside a commune proposes a point counted by walking
    page.get_by_role("link", name="Chọn địa điểm").click()
    page.get_by_text("Các điểm đề xuất", exact=True).wait_for(timeout=90_000)
    page.get_by_text("Trẻ em trong 45 phút đi bộ").first.wait_for(timeout=60_000)
    frame = _map(page)
    frame.locator("path.leaflet-interactive").nth(37).wait_for(timeout=60_000)
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    demo = read_package(DEMO_DIR)
    commune = demo.communes.iloc[rng.randrange(len(demo.communes))]
    inside = commune.geometry.representative_point()
    x, y = frame.locator("body").evaluate(
        f"() => {{ const p = window.map_div.latLngToContainerPoint([{inside.y}, {inside.x}]); return [p.x, p.y]; }}")
    map_box = page.locator(MAP).bounding_box()
    page.mouse.click(map_box["x"] + x, map_box["y"] + y)
    page.get_by_text("Đã thêm").first.wait_for(timeout=60_000)
    _idle(page)
    frame.get_by_text("Vùng đi bộ 45 phút").first.wait_for(state="attached", timeout=60_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / "sites-walking.png"), full_page=True)
    assert page.external == [], (seed, page.external)
