"""The app in a real headless Chromium with every request to other hosts blocked.

Needs Debian's `chromium` (scripts/test.sh installs it). Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("PLANNER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
WORKSPACES: list[Path] = []
LOCAL = ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    log = open(ARTIFACTS.mkdir(exist_ok=True) or ARTIFACTS / "streamlit.log", "w")
    workspace = Path(tempfile.mkdtemp(prefix="planner-ws-"))
    WORKSPACES.append(workspace)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, PLANNER_WORKSPACE=str(workspace)),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start; see test-artifacts/streamlit.log")
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()
    shutil.rmtree(workspace, ignore_errors=True)


def _browser_args():
    return ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def browser_page(request, *, locale: str):
    """A Chromium page whose requests to other hosts are refused (and listed in `pg.external`);
    a full-page screenshot goes to test-artifacts/ at the end."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (scripts/test.sh does)")
    from playwright.sync_api import sync_playwright

    external: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=_browser_args())
        context = browser.new_context(viewport={"width": 1400, "height": 1500}, locale=locale)

        def block(route):
            url = route.request.url
            if url.startswith(LOCAL):
                return route.continue_()
            external.append(url)
            return route.abort()

        context.route("**/*", block)
        pg = context.new_page()
        pg.external = external
        yield pg
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        browser.close()


@pytest.fixture()
def page(request):
    with browser_page(request, locale="vi-VN") as pg:
        yield pg


@pytest.fixture()
def en_page(request):
    """The browser of a person whose computer is set to English (US): the interface stays Vietnamese."""
    with browser_page(request, locale="en-US") as pg:
        yield pg


MAP = "iframe[title='streamlit_folium.st_folium']"


def _map(pg):
    return pg.frame_locator(MAP)


def _new_map_with(pg, selector: str, *, timeout_s: float = 60):
    """The map once it is the only one on the page and holds `selector`: a map with another base
    (tiles switched on) is a new element, and for a moment the old one is still there beside it."""
    from playwright.sync_api import Error

    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            if pg.locator(MAP).count() == 1 and _map(pg).locator(selector).count():
                return _map(pg)
        except Error:  # the old map went away between the two questions
            pass
        pg.wait_for_timeout(200)
    pytest.fail(f"no single map with {selector} after {timeout_s} s")


def test_overview_offline(server, page):
    page.goto(server)
    page.get_by_text("Bảng theo xã").first.wait_for(timeout=90_000)
    frame = _map(page)
    frame.locator("path.leaflet-interactive").nth(37).wait_for(timeout=60_000)
    assert frame.locator("path.leaflet-interactive").count() >= 38  # every commune polygon
    assert frame.locator("#planner-legend").inner_text().startswith("Chú giải")
    body = page.locator("body").inner_text()
    assert "Xã có điểm văn hóa, vui chơi cho trẻ em" in body and "Mục tiêu 2030: 35%" in body
    assert "thiếu 5 xã" in body and "Dữ liệu minh họa" in body
    overlays = frame.locator(".leaflet-control-layers-overlays label")
    overlays.nth(6).wait_for(state="attached", timeout=30_000)  # the cached base's six layers and the reach circles
    assert [overlays.nth(i).text_content().strip() for i in range(overlays.count())] == [
        "Xã, phường", "Thôn, bản (trẻ em)", "Trường, điểm trường", "Điểm vui chơi, văn hóa", "Công trình vệ sinh",
        "Tên xã, phường", "Vùng trong bán kính"]
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "overview-vi.png"))
    assert page.external == [], page.external


def test_overview_table_and_printed_map_on_an_english_browser(server, en_page, tmp_path):
    """The commune table is plain text in Vietnamese format (selectable, printable); the map is
    printed from the popover under it, which is drawn only when opened; twice, with other choices."""
    page = en_page
    page.goto(server)
    table = page.locator(".planner-table table")
    table.wait_for(timeout=90_000)
    assert table.locator("tbody tr").count() == 38
    first = table.locator("tbody tr").first.inner_text()
    assert "03388" in first and "38.973" in first and "44,2%" in first  # not 38,973 / 44.2%
    assert page.get_by_text("Khổ giấy").count() == 0  # the print choices: not drawn until opened
    for paper, fmt, name in (("A4", "PDF", "ban-do-tong-quan-A4-ngang.pdf"), ("A3", "PNG", "ban-do-tong-quan-A3-ngang.png")):
        _idle(page)
        page.get_by_role("button", name="In bản đồ").click()
        popover = page.get_by_test_id("stPopoverBody")
        popover.wait_for(timeout=30_000)
        for label, value in (("Khổ giấy", paper), ("Định dạng tệp", fmt)):
            popover.get_by_label(label).click()
            page.get_by_role("option", name=value, exact=True).click()
            page.wait_for_timeout(300)
        with page.expect_download(timeout=120_000) as info:
            page.get_by_test_id("stPopoverBody").get_by_role("button", name="Tải bản đồ để in").click()
        assert info.value.suggested_filename == name
        path = tmp_path / name
        info.value.save_as(path)
        assert path.read_bytes()[:4] == (b"%PDF" if fmt == "PDF" else b"\x89PNG")
        page.keyboard.press("Escape")
        page.wait_for_timeout(500)
    # another page and back, as people do: the choices are still A3 and PNG
    page.get_by_test_id("stSidebarNav").get_by_text("Ưu tiên", exact=True).click()
    page.get_by_text("Lộ trình đạt chỉ tiêu").first.wait_for(timeout=90_000)
    page.get_by_test_id("stSidebarNav").get_by_text("Tổng quan", exact=True).click()
    page.locator(".planner-table table").wait_for(timeout=90_000)
    _idle(page)  # until then the Priorities page's own print button may still stand where this one goes
    page.get_by_role("button", name="In bản đồ").click()
    popover = page.get_by_test_id("stPopoverBody")
    popover.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    shown = popover.locator("input").evaluate_all("els => els.map(e => e.value)")  # a select box shows its value there
    assert shown == ["A3", "Ngang", "PNG"], shown
    assert page.external == [], page.external


def _until(frame, condition: str, *, timeout_ms: int = 30_000) -> None:
    """Wait until the JavaScript `condition` holds in the map's frame."""
    frame.locator("body").evaluate(f"() => new Promise((ok, no) => {{ const t0 = Date.now(); (function w() {{"
                                   f" if ({condition}) ok(); else if (Date.now() - t0 > {timeout_ms}) no({json.dumps(condition)});"
                                   f" else setTimeout(w, 100); }})(); }})")


def test_radius_change_swaps_the_reach_layers_in_place(server, page):
    """A new radius sends the circles and the communes' figures only: the commune polygons (and every
    other element of the map) stay in the page, and the WebSocket carries a few KiB, not the map."""
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: received.append(len(f))))
    scripts = []
    page.on("response", lambda r: scripts.append(r.url) if "/app/static/maps/" in r.url else None)
    page.goto(server)
    page.get_by_text("Bảng theo xã").first.wait_for(timeout=90_000)
    frame = _map(page)
    frame.locator("path.leaflet-interactive").nth(37).wait_for(timeout=60_000)
    assert len(scripts) == 1 and scripts[0].endswith(".js")  # the map's base came as a static file
    assert sum(received) < 200 * 1024, sum(received)  # the whole Overview over the WebSocket (was 630 KiB)
    radius = "() => window.plannerOverlays[0].getLayers()[0].getRadius()"
    assert frame.locator("body").evaluate(radius) == 2000
    # tag every drawn element; a redrawn map or commune layer would lose the tags
    tagged = frame.locator("body").evaluate("""() => {
        window.sameMap = window.map_div;
        const communes = []; window.plannerCommunes.eachLayer(l => communes.push(l._path));
        communes.forEach((p, i) => { p.dataset.kept = String(i); });
        window.keptPaths = communes;
        return communes.length; }""")
    assert tagged == 38
    tip = "() => { const g = window.plannerCommunes; return g.getTooltip()._content(g.getLayers()[0]); }"
    assert "trong bán kính 2.000 m" in frame.locator("body").evaluate(tip)
    page.wait_for_timeout(1500)  # nothing more arrives for the first run
    received.clear()
    box = page.get_by_role("spinbutton", name="Bán kính tiếp cận (m)")
    box.fill("5000")
    box.press("Enter")
    page.get_by_text("Trẻ em trong bán kính 5.000 m").first.wait_for(timeout=60_000)
    _until(frame, f"({radius})() === 5000")
    page.wait_for_timeout(1500)
    assert 0 < sum(received) <= 60 * 1024, sum(received)  # the new layers and the page's figures, not the map
    assert frame.locator("body").evaluate("() => window.sameMap === window.map_div")  # not redrawn
    kept = frame.locator("body").evaluate("""() => {
        const now = []; window.plannerCommunes.eachLayer(l => now.push(l._path));
        return now.every((p, i) => p === window.keptPaths[i] && p.isConnected && p.dataset.kept === String(i)); }""")
    assert kept  # the same 38 polygon elements, still in the document
    assert "trong bán kính 5.000 m" in frame.locator("body").evaluate(tip)  # their figures follow the radius
    assert frame.locator("[data-kept]").count() == 38
    assert frame.locator(".leaflet-control-layers-overlays label").count() == 7
    assert len(scripts) == 1  # the base was not fetched again
    # a circle takes no mouse: what is under its centre is the play point (its tooltip shows), not the circle
    under = frame.locator("body").evaluate("""() => { const c = window.plannerOverlays[0].getLayers()[0];
        const p = window.map_div.latLngToContainerPoint(c.getLatLng()), r = window.map_div.getContainer().getBoundingClientRect();
        const el = document.elementFromPoint(r.left + p.x, r.top + p.y);
        return [el !== c._path, el.classList.contains('leaflet-interactive'), el.getAttribute('fill')]; }""")
    from planner.maps import COLOURS

    assert under == [True, True, COLOURS["existing"]], under
    # the reader turns the circles off: a new radius keeps them off (and their box unticked)
    circles_box = frame.locator(".leaflet-control-layers-overlays label", has_text="Vùng trong bán kính").locator("input")
    circles_box.evaluate("e => e.click()")
    assert frame.locator("body").evaluate("() => !window.plannerOverlays[0]._map")
    box.fill("3000")
    box.press("Enter")
    page.get_by_text("Trẻ em trong bán kính 3.000 m").first.wait_for(timeout=60_000)
    _until(frame, f"({radius})() === 3000")
    assert frame.locator("body").evaluate("() => !window.plannerOverlays[0]._map")
    assert not frame.locator(".leaflet-control-layers-overlays label", has_text="Vùng trong bán kính").locator("input").is_checked()
    assert page.external == [], page.external


def test_unreachable_basemap_tiles_leave_the_layers(server, page):
    page.goto(server)
    page.get_by_text("Bảng theo xã").first.wait_for(timeout=90_000)
    page.get_by_text("Hiện bản đồ nền (cần Internet)").click()
    frame = _new_map_with(page, "img.leaflet-tile")
    frame.locator("path.leaflet-interactive").nth(37).wait_for(timeout=60_000)
    assert frame.locator("path.leaflet-interactive").count() >= 38
    assert frame.locator("#planner-legend").inner_text().startswith("Chú giải")
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "overview-tiles-unreachable.png"))
    assert page.external and all("tile.openstreetmap.org" in u for u in page.external), page.external


def test_switch_to_english(server, page):
    page.goto(server)
    page.get_by_text("Bảng theo xã").first.wait_for(timeout=90_000)
    _language(page, "English")
    page.get_by_text("Commune table").first.wait_for(timeout=60_000)
    # the English map is a new element: for a moment the Vietnamese one is still beside it
    _new_map_with(page, "#planner-legend:has-text('Legend')")
    assert "5 communes short" in page.locator("body").inner_text()
    assert page.external == [], page.external


def test_priorities_offline_both_languages_and_excel(server, page, tmp_path):
    import openpyxl

    page.goto(f"{server}/priorities")
    page.get_by_text("Lộ trình đạt chỉ tiêu").first.wait_for(timeout=90_000)
    frame = _map(page)
    frame.locator("path.leaflet-interactive").nth(37).wait_for(timeout=60_000)
    assert frame.locator("#planner-legend").inner_text().startswith("Điểm ưu tiên")
    from planner.maps import SCORE_RAMP

    _until(frame, "window.plannerCommunes.getLayers().filter(l => l.options.fillColor !== '#cfd8dc').length === 38")
    fills = frame.locator("body").evaluate("() => { const f = []; window.plannerCommunes.eachLayer(l => f.push(l.options.fillColor)); return f; }")
    assert len(fills) == 38 and set(fills) <= set(SCORE_RAMP) and len(set(fills)) >= 3  # coloured by score
    tip = frame.locator("body").evaluate("() => { const g = window.plannerCommunes; return g.getTooltip()._content(g.getLayers()[0]); }")
    assert "<th>Hạng</th>" in tip and "<th>Điểm ưu tiên</th>" in tip
    assert "xếp thứ 1/38" in page.locator("body").inner_text()
    _language(page, "English")
    page.get_by_text("Path to the targets").first.wait_for(timeout=60_000)
    page.get_by_text("ranks 1 of 38").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / "priorities-en.png"), full_page=True)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="XLSX").click()
    path = tmp_path / "ranking.xlsx"
    info.value.save_as(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Ranking", "Parameters"]
    assert wb["Ranking"].cell(row=1, column=1).value == "Rank"
    assert wb["Ranking"].max_row == 39
    assert page.external == [], page.external


def test_sites_map_click_adds_a_proposal(server, page):
    page.goto(f"{server}/sites")
    page.get_by_text("Các điểm đề xuất", exact=True).wait_for(timeout=90_000)
    frame = _map(page)
    frame.locator("path.leaflet-interactive").nth(37).wait_for(timeout=60_000)
    # Sì Lở Lầu's official centre: a commune without a point
    x, y = frame.locator("body").evaluate(
        "() => { const p = window.map_div.latLngToContainerPoint([22.7547, 103.36]); return [p.x, p.y]; }")
    box = page.locator(MAP).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.get_by_text("9/38 → 10/38").first.wait_for(timeout=60_000)
    body = page.locator("body").inner_text()
    assert "1,5 tỷ đồng" in body and "thiếu 4 xã" in body
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "sites-click.png"), full_page=True)
    assert page.external == [], page.external


def _idle(pg) -> None:
    pg.wait_for_timeout(300)
    pg.locator("[data-testid='stStatusWidget']").first.wait_for(state="detached", timeout=30_000)
    pg.wait_for_function("() => !document.querySelector('[data-stale=true]')", timeout=30_000)


def _click(pg, name: str) -> None:
    from playwright.sync_api import TimeoutError as Timeout

    _idle(pg)
    try:
        pg.get_by_role("button", name=name, exact=True).first.click()
    except Timeout:  # say what the page showed instead, so a failure far away can be read
        alerts = pg.locator("[data-testid=stAlert], [data-testid=stException]").all_inner_texts()
        pytest.fail(f"no button {name!r} to click; the page's messages: {alerts}")


def _language(pg, name: str) -> None:
    """Switch the interface language in the sidebar once the page has finished drawing."""
    _idle(pg)
    pg.get_by_test_id("stSidebar").get_by_text(name, exact=True).first.click()


def _upload(pg, label: str, path) -> None:
    """Put a file into the uploader labelled `label` once the page has finished drawing, as a person
    does: by its label, not by its place (while a page draws, Streamlit may show some of its
    uploaders before others, so the third box is not always the third list)."""
    _idle(pg)
    box = pg.locator("[data-testid='stFileUploader']").filter(has=pg.get_by_text(label, exact=True))
    box.locator("input[type=file]").set_input_files(str(path))
    box.get_by_text(Path(path).name).first.wait_for(timeout=60_000)


def _pick(pg, box, option: str) -> None:
    """Choose `option` in a select box as a person does: scroll to it, open it, and open it again if
    the list closed before it showed (the page may still be settling below the fold)."""
    from playwright.sync_api import Error

    for _ in range(5):
        _idle(pg)
        box.scroll_into_view_if_needed()
        box.click()
        try:
            pg.get_by_role("option", name=option).click(timeout=4_000)
            _idle(pg)
            return
        except Error:
            pg.keyboard.press("Escape")
    pytest.fail(f"the option {option!r} never showed")


def _type(pg, label: str, text: str) -> None:
    """Type into a Streamlit text input/area and wait until the app has taken the value (the
    'press Enter to apply' hint disappears and the app is idle again)."""
    _idle(pg)  # as a person waits for the page to finish drawing before typing
    box = pg.get_by_label(label).first
    box.fill(text)
    box.press("Control+Enter" if box.evaluate("e => e.tagName") == "TEXTAREA" else "Enter")
    pg.wait_for_function("() => [...document.querySelectorAll('[data-testid=InputInstructions]')]"
                         ".every(e => !/Enter/.test(e.innerText))", timeout=20_000)  # a length counter may stay
    pg.wait_for_timeout(300)
    pg.locator("[data-testid='stStatusWidget']").first.wait_for(state="detached", timeout=30_000)


def test_two_sessions_cannot_overwrite_each_other(server, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=_browser_args())
        a = browser.new_context(viewport={"width": 1400, "height": 1400}).new_page()
        b = browser.new_context(viewport={"width": 1400, "height": 1400}).new_page()
        try:
            a.goto(f"{server}/scenarios")
            a.get_by_text("Kịch bản đang soạn").first.wait_for(timeout=90_000)
            _type(a, "Tên kịch bản", "Chung")
            _type(a, "Người soạn", "Chị Lan")
            _click(a, "Lưu kịch bản")
            a.get_by_text("Đã lưu “Chung” phiên bản 1").first.wait_for(timeout=30_000)

            b.goto(f"{server}/scenarios")
            b.get_by_text("Kịch bản đã lưu").first.wait_for(timeout=90_000)
            _click(b, "Mở “Chung”")
            b.get_by_text("Đã mở “Chung” phiên bản 1").first.wait_for(timeout=30_000)
            _type(b, "Người soạn", "Anh Minh")
            _type(b, "Mô tả", "Bản của B")
            _click(b, "Lưu kịch bản")
            b.get_by_text("Đã lưu “Chung” phiên bản 2").first.wait_for(timeout=30_000)

            _type(a, "Mô tả", "Bản của A")
            _click(a, "Lưu kịch bản")
            a.get_by_text("Anh Minh đã lưu phiên bản 2").first.wait_for(timeout=30_000)
            a.screenshot(path=str(ARTIFACTS / "scenario-conflict.png"), full_page=True)
            _click(a, "Mở “Chung”")  # B's work is there, not lost; A is asked before A's unsaved edit is dropped
            a.get_by_text("có thay đổi chưa lưu").first.wait_for(timeout=30_000)
            _click(a, "Bỏ thay đổi và tiếp tục")
            a.get_by_text("Đã mở “Chung” phiên bản 2").first.wait_for(timeout=30_000)
            from planner.store import ScenarioStore

            saved = ScenarioStore(WORKSPACES[-1] / "scenarios.sqlite").load("Chung")
            assert (saved.version, saved.description, saved.author) == (2, "Bản của B", "Anh Minh")
            # the form of the opened version replaces the old one (for a moment both are on the page)
            a.wait_for_function("() => { const t = [...document.querySelectorAll('textarea[aria-label=\"Mô tả\"]')];"
                                " return t.length === 1 && t[0].value === 'Bản của B'; }", timeout=20_000)
        finally:
            browser.close()


def test_import_villages_from_excel_style_csv(server, page, tmp_path, demo):
    v = demo.villages
    csv = tmp_path / "thon-ban.csv"
    rows = ["Tên thôn,Mã xã,Dân số,Trẻ em,Kinh độ,Vĩ độ"]
    rows += [f"{n},{c},{p},{k},{g.x:.6f},{g.y:.6f}" for n, c, p, k, g in
             zip(v["name"], v["commune_code"], v["population"], v["children"] * 0 + v["children"], v.geometry)]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    page.goto(f"{server}/data")
    page.get_by_text("Tải tệp lên").first.wait_for(timeout=90_000)
    _upload(page, "Thôn, bản", csv)
    _idle(page)
    page.get_by_text("Thay thế danh sách hiện có", exact=True).click()  # the demo has villages: the same ones again
    _idle(page)
    _type(page, "Tên bộ dữ liệu", "Thử nhập thôn bản")
    _click(page, "Kiểm tra")
    page.get_by_text("Báo cáo kiểm tra").first.wait_for(timeout=90_000)
    _click(page, "Xác nhận và dùng dữ liệu này")
    page.get_by_text("mọi trang đang dùng dữ liệu này").first.wait_for(timeout=90_000)
    page.screenshot(path=str(ARTIFACTS / "data-imported.png"), full_page=True)
    page.goto(server)
    page.get_by_text("Bảng theo xã").first.wait_for(timeout=90_000)
    body = page.locator("body").inner_text()
    assert "Thử nhập thôn bản" in body and "18.764" in body  # same villages: same reach
    page.goto(f"{server}/data")  # a new session keeps the imported package; one click returns to the demo
    page.get_by_text("Thử nhập thôn bản").first.wait_for(timeout=90_000)
    _click(page, "Quay lại dữ liệu minh họa")
    page.get_by_text("Đang dùng dữ liệu minh họa").first.wait_for(timeout=60_000)
    assert page.external == [], page.external


def test_optimiser_then_compare_scenarios(server, page):
    page.goto(f"{server}/sites")
    page.get_by_text("Tối ưu hóa trong ngân sách").first.wait_for(timeout=90_000)
    _click(page, "Chạy tối ưu hóa")
    page.get_by_text("Các địa điểm được chọn").first.wait_for(timeout=120_000)
    body = page.locator("body").inner_text()
    assert "Phương án nhanh" in body or "tối ưu (đã chứng minh)" in body
    _click(page, "Thêm vào các đề xuất của tôi")
    page.wait_for_function("() => !document.body.innerText.includes('9/38 → 9/38')", timeout=60_000)
    _idle(page)
    # save the optimised plan and an empty one, then compare them
    page.get_by_role("link", name="Kịch bản").click()
    page.get_by_text("Kịch bản đang soạn").first.wait_for(timeout=90_000)
    _type(page, "Tên kịch bản", "Tối ưu 20 tỷ")
    _click(page, "Lưu kịch bản")
    page.get_by_text("Đã lưu “Tối ưu 20 tỷ” phiên bản 1").first.wait_for(timeout=60_000)
    from planner.scenarios import Scenario
    from planner.store import ScenarioStore

    ScenarioStore(WORKSPACES[-1] / "scenarios.sqlite").save(Scenario(name="Không đầu tư"))
    page.reload()
    page.get_by_text("So sánh kịch bản").first.wait_for(timeout=90_000)
    _idle(page)
    box = page.locator("[data-testid='stMultiSelect']").last
    for name in ("Không đầu tư", "Tối ưu 20 tỷ"):
        _pick(page, box, name)
    page.keyboard.press("Escape")
    _idle(page)
    page.get_by_text("PDF — So sánh kịch bản").first.wait_for(timeout=60_000)
    frame = _map(page).last
    frame.locator("#planner-legend").get_by_text("Tối ưu 20 tỷ").wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)
    assert page.external == [], page.external


def test_names_that_look_like_markdown_are_shown_as_typed(server, page):
    """A scenario name with a link, emphasis and maths in it is shown literally: no link, no
    formatting (messages are escaped by ui.markdown.plain before Streamlit renders them)."""
    name = "[Bấm đây](http://e.vil) *đậm* $x^2$ _a_"
    page.goto(f"{server}/scenarios")
    page.get_by_text("Kịch bản đang soạn").first.wait_for(timeout=90_000)
    _type(page, "Tên kịch bản", name)
    _click(page, "Lưu kịch bản")
    saved = page.locator("[data-testid='stAlert']").filter(has_text="Đã lưu")
    saved.first.wait_for(timeout=60_000)
    assert saved.first.inner_text().strip() == f"Đã lưu “{name}” phiên bản 1"
    assert page.get_by_role("link", name="Bấm đây").count() == 0  # a link may only show its own address
    links = saved.first.locator("a")
    assert [links.nth(i).inner_text() for i in range(links.count())] == ["http://e.vil"]
    assert saved.first.locator("em, strong, .katex").count() == 0
    page.screenshot(path=str(ARTIFACTS / "markdown-name.png"), full_page=True)
    assert page.external == [], page.external
