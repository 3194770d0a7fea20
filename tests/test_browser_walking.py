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
from tests.test_browser import ARTIFACTS, MAP, _idle, _map, _new_map_with, en_page, server  # noqa: F401 - fixtures


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
    frame = _new_map_with(page, "text=Vùng đi bộ 30 phút")  # walking's base: the bands and the surface with it
    labels = _overlay_labels(frame)
    assert {"Vùng đi bộ 30 phút", "Vùng đi bộ 15/30/60 phút", "Thời gian đi bộ (bề mặt)"} <= set(labels)
    assert "Vùng trong bán kính" not in labels
    village_tip = "() => { const l = window.plannerPoints.villages.getLayers()[0]; return l.getTooltip()._content(l); }"
    assert "<th>Thời gian đi bộ đến điểm gần nhất</th>" in frame.locator("body").evaluate(village_tip)
    catchments = frame.locator("body").evaluate(
        "() => window.plannerOverlays[0].getLayers()[0].getLayers().filter(l => l._path && l._path.isConnected).length")
    assert catchments == 17 and frame.locator("path").count() >= paths_before  # a catchment polygon per existing point
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "overview-walking.png"))

    box = page.get_by_role("spinbutton", name="Thời gian đi bộ tối đa (phút)")
    box.fill("45")
    box.press("Enter")
    page.get_by_text("Trẻ em trong 45 phút đi bộ").first.wait_for(timeout=60_000)
    _idle(page)
    assert fmt_int(walk_figures[45], "vi") in page.locator("body").inner_text()
    frame.get_by_text("Vùng đi bộ 45 phút").wait_for(state="attached", timeout=60_000)
    assert "<th>Thời gian đi bộ đến điểm gần nhất</th>" in frame.locator("body").evaluate(village_tip)

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


def _dem_in_degrees(path):
    """The demo's elevation as a user would download it: a GeoTIFF in EPSG:4326 (like SRTM)."""
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin
    from rasterio.warp import Resampling, reproject

    with rasterio.open(DEMO_DIR / "terrain" / "elevation.tif") as src:
        step = 0.0012
        transform = from_origin(102.15, 22.9, step, step)
        out = np.full((int(1.35 / step), int(1.9 / step)), -32768, dtype=np.int16)
        reproject(src.read(1), out, src_transform=src.transform, src_crs=src.crs, src_nodata=np.nan,
                  dst_transform=transform, dst_crs="EPSG:4326", dst_nodata=-32768, resampling=Resampling.bilinear)
    with rasterio.open(path, "w", driver="GTiff", width=out.shape[1], height=out.shape[0], count=1, dtype="int16",
                       crs="EPSG:4326", transform=transform, nodata=-32768, compress="deflate") as dst:
        dst.write(out, 1)
    return path


def test_a_dem_imported_on_the_data_page_gives_walking_times(server, en_page, tmp_path):  # noqa: F811
    from tests.test_browser import WORKSPACES

    page = en_page
    bad = tmp_path / "ban-do-do-cao.tif"
    bad.write_text("không phải ảnh", encoding="utf-8")
    good = _dem_in_degrees(tmp_path / "srtm-lai-chau.tif")
    page.goto(f"{server}/data")
    page.get_by_text("Địa hình và đường đi (thời gian đi bộ)").first.wait_for(timeout=90_000)
    dem = page.locator("[data-testid='stFileUploader']").filter(has_text="Mô hình độ cao (DEM)")
    dem.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_text(bad.name).first.wait_for(timeout=60_000)
    _idle(page)
    page.get_by_role("button", name="Kiểm tra địa hình").click()
    page.get_by_text("không đọc được như một ảnh độ cao").first.wait_for(timeout=120_000)
    page.get_by_text("Chưa có gì được ghi").first.wait_for(timeout=10_000)
    before = {p.name for p in WORKSPACES[-1].rglob("elevation.tif")}

    dem.get_by_role("button", name=f"Bỏ {bad.name}").click()  # the bad file out, as a person would
    page.get_by_text(bad.name).first.wait_for(state="detached", timeout=60_000)
    _idle(page)
    dem.locator("input[type=file]").set_input_files(str(good))
    page.get_by_text(good.name).first.wait_for(timeout=60_000)
    _idle(page)
    page.get_by_role("button", name="Kiểm tra địa hình").click()
    page.get_by_text("Kết quả kiểm tra địa hình").first.wait_for(timeout=180_000)
    _idle(page)
    page.get_by_role("button", name="Tạo bộ dữ liệu có địa hình").click()
    page.get_by_text("Đã ghi bộ dữ liệu có địa hình").first.wait_for(timeout=180_000)
    written = sorted(WORKSPACES[-1].rglob("terrain/elevation.tif"), key=lambda p: p.stat().st_mtime)
    assert written and before == set()  # nothing was written for the bad file
    package = read_package(written[-1].parent.parent)
    assert package.has_terrain and package.manifest["terrain"]["demo"] is False
    expected = Analysis.of(package, reach=ReachRule(mode="walk", minutes=30)).summary.reach.children_within

    page.get_by_role("link", name="Tổng quan").click()
    page.get_by_text("Bảng theo xã").first.wait_for(timeout=90_000)
    page.get_by_text("đi bộ (phút)", exact=True).click()
    page.get_by_text("Trẻ em trong 30 phút đi bộ").first.wait_for(timeout=120_000)
    _idle(page)
    assert fmt_int(expected, "vi") in page.locator("body").inner_text()
    page.screenshot(path=str(ARTIFACTS / "overview-walking-imported-dem.png"))
    assert page.external == [], page.external
