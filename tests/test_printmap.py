"""Printable maps: every view on A4 and A3, portrait and landscape, as PDF (exact ISO page, text
that can be searched: title, legend, km scale, date, source, demo notice) and PNG (pixels = paper
× dpi); bad options name themselves in Vietnamese; the CLI writes the very bytes `print_map` makes."""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from planner.analysis import Analysis
from planner.cartography import PAPER_MM, paper_inches
from planner.cli import main
from planner.errors import UsageError
from planner.i18n import t
from planner.io import read_package, write_package
from planner.printmap import PNG_DPI, print_map
from planner.proposals import Proposal, propose_at
from planner.scenarios import Scenario
from planner.store import ScenarioStore
from tests.conftest import tiny_layers

NOW = datetime(2026, 3, 5, 2, 30, tzinfo=timezone.utc)  # 09:30 in Vietnam
EPOCH = int(NOW.timestamp())
PT_PER_MM = 72 / 25.4
LEGEND = {  # words each view's legend must carry (Vietnamese)
    "overview": ["print.shading_point", "map.has_point", "map.no_point", "map.play_points", "map.toilet_ok",
                 "map.toilet_missing"],
    "priorities": ["print.shading_score", "map.play_points", "print.top_ranks"],
    "sites": ["print.shading_after", "print.gains_point", "sites.proposed", "map.toilet_ok"],
    "scenarios": ["print.shading_year", "print.had_point", "print.still_none"],
}


@pytest.fixture(scope="module")
def analysis(demo):
    return Analysis.of(demo)


@pytest.fixture(scope="module")
def scenario(demo):
    centres = demo.communes.set_index("code").geometry.representative_point()
    props = []
    for k, code in enumerate(["03562", "03637", "03487"]):
        p = propose_at(demo, centres[code].x, centres[code].y, existing=tuple(props))
        props.append(replace(p, year=2026 + k, cost_vnd=1_250_000_000))
    return Scenario(name="Ưu tiên biên giới", proposals=tuple(props))


def words(data: bytes) -> str:
    """The page's text with every run of white space made one space (wrapped lines join up)."""
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("paper", ["A4", "A3"])
@pytest.mark.parametrize("view", ["overview", "priorities", "sites", "scenarios"])
def test_pdf_page_and_words(analysis, demo, scenario, view, paper, orientation):
    data = print_map(analysis, view=view, paper=paper, orientation=orientation, file_format="pdf", lang="vi",
                     scenario=scenario if view in ("sites", "scenarios") else None, now=NOW)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    w_mm, h_mm = PAPER_MM[paper] if orientation == "portrait" else PAPER_MM[paper][::-1]
    assert float(box.width) == pytest.approx(w_mm * PT_PER_MM, abs=1)
    assert float(box.height) == pytest.approx(h_mm * PT_PER_MM, abs=1)
    text = words(data)
    needles = [t(f"print.title.{view}", "vi"), t("map.legend", "vi"), t("print.symbols", "vi"),
               "km", "05/03/2026 09:30", demo.display_name("vi"), flat(t("app.demo_note", "vi"))]
    needles += [flat(t(k, "vi", n=10)) for k in LEGEND[view]]
    for needle in needles:
        assert needle in text, needle
    assert b"/FontFile2" in data and b"/Type3" not in data  # TrueType embedded, text stays text


def test_commune_names_and_scenario_words(analysis, scenario):
    text = words(print_map(analysis, view="scenarios", scenario=scenario, now=NOW))
    for needle in ("Sìn Hồ", "Tủa Sín Chải", "P. Đoàn Kết", "Kịch bản: Ưu tiên biên giới", "Có điểm đầu tiên năm 2026",
                   "Phạm vi 2 km quanh điểm đề xuất", "Năm 2026: 1 điểm, 1,25 tỷ đồng"):
        assert needle in text, needle
    en = words(print_map(analysis, view="overview", lang="en", now=NOW))
    for needle in ("Play and culture points for children", "Legend", "Made 5 Mar 2026, 09:30 (Vietnam time)",
                   "Lai Châu — demo data", "Demo data:", "km"):
        assert needle in en, needle


@pytest.mark.parametrize("paper, orientation", [("A4", "landscape"), ("A3", "portrait")])
def test_png_pixels_match_the_paper(analysis, scenario, paper, orientation):
    data = print_map(analysis, view="sites", paper=paper, orientation=orientation, file_format="png",
                     scenario=scenario, now=NOW)
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "PNG"
        w_in, h_in = paper_inches(paper, orientation)
        assert im.size[0] == pytest.approx(w_in * PNG_DPI, abs=1)
        assert im.size[1] == pytest.approx(h_in * PNG_DPI, abs=1)


def test_same_inputs_same_bytes(analysis):
    one = print_map(analysis, view="overview", now=NOW)
    assert one == print_map(analysis, view="overview", now=NOW)


@pytest.mark.parametrize("options, key, vietnamese", [
    (dict(view="bogus"), "err.print_view", "Không có loại bản đồ 'bogus'; dùng: overview, priorities, sites, scenarios"),
    (dict(view="overview", paper="A5"), "err.print_paper", "Khổ giấy không hỗ trợ: 'A5'; dùng: A4, A3"),
    (dict(view="overview", orientation="sideways"), "err.print_orientation", "Hướng giấy không hỗ trợ: 'sideways'"),
    (dict(view="overview", file_format="svg"), "err.print_format", "Định dạng bản đồ không hỗ trợ: 'svg'; dùng: pdf, png"),
    (dict(view="scenarios"), "err.print_scenario", "Bản đồ 'scenarios' cần một kịch bản"),
])
def test_bad_options(analysis, options, key, vietnamese):
    with pytest.raises(UsageError) as info:
        print_map(analysis, **options)
    assert info.value.key == key
    assert vietnamese in info.value.message("vi")


def test_options_are_tidied(analysis):
    data = print_map(analysis, view=" Overview", paper="a4", orientation="PORTRAIT", file_format=".PDF", now=NOW)
    assert float(PdfReader(io.BytesIO(data)).pages[0].mediabox.width) == pytest.approx(210 * PT_PER_MM, abs=1)


def test_cli_writes_what_print_map_makes(tmp_path, monkeypatch, capsys, analysis, scenario):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    workspace = tmp_path / "ws"
    saved = ScenarioStore(workspace / "scenarios.sqlite").save(scenario)
    out = tmp_path / "ban-do.pdf"
    assert main(["map", "--view", "sites", "--paper", "A3", "--orientation", "portrait", "--scenario", saved.name,
                 "--workspace", str(workspace), "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    want = print_map(analysis, view="sites", paper="A3", orientation="portrait", scenario=saved, now=NOW)
    assert out.read_bytes() == want
    png = tmp_path / "tong-quan.png"
    assert main(["map", "--out", str(png), "--lang", "en", "--radius-m", "3000"]) == 0
    assert png.read_bytes() == print_map(analysis.at(radius_m=3000), view="overview", lang="en", file_format="png", now=NOW)


@pytest.mark.parametrize("args, needle", [
    (["map", "--view", "nowhere", "--out", "x.pdf"], "Không có loại bản đồ 'nowhere'"),
    (["map", "--paper", "Letter", "--out", "x.pdf"], "Khổ giấy không hỗ trợ: 'Letter'"),
    (["map", "--out", "x.svg"], "Định dạng bản đồ không hỗ trợ: '.svg'"),
    (["map", "--view", "scenarios", "--out", "x.pdf"], "cần một kịch bản"),
    (["map", "--view", "sites", "--scenario", "không có", "--out", "x.pdf"], "không có"),
])
def test_cli_errors_are_one_line(tmp_path, monkeypatch, capsys, args, needle):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1
    assert not list(Path(tmp_path).glob("x.*"))


def test_names_are_drawn_as_typed(tmp_path):
    """'$' in a name is a dollar sign, not mathematics for matplotlib; markup stays text."""
    layers = tiny_layers()
    layers["communes"] = layers["communes"].assign(name=[r"Xã $\notacommand$", "<b>&", "Xã _ẩn", "=1+2"])
    package = read_package(write_package(layers, {"name": "hostile", "demo": False}, tmp_path / "hostile"))
    centre = package.communes.geometry.iloc[0].representative_point()
    s = Scenario(name=r"Giá $x$ & <y>", proposals=(Proposal("N001", centre.x, centre.y, "001"),))
    for view in ("overview", "priorities", "sites", "scenarios"):
        text = words(print_map(Analysis.of(package), view=view, scenario=s, now=NOW))
        assert r"$\notacommand$" in text and "<b>&" in text, view
        assert t("app.demo_note", "vi")[:20] not in text  # not demo data: no demo notice


def test_download_file_names_are_plain_ascii():
    from ui.printing import file_name

    assert file_name("overview", "A4", "landscape", "pdf") == "ban-do-tong-quan-A4-ngang.pdf"
    assert file_name("scenarios", "A3", "portrait", "png") == "ban-do-kich-ban-A3-doc.png"


def test_walking_maps_print_catchments(tmp_path, scenario):
    """Walking: the existing points' catchments (not rings) in the legend as 'Vùng đi bộ 30 phút',
    the proposals' dashed ones, and the rule in the subtitle and the figures."""
    from planner.reach import ReachRule
    from tests.test_isochrones import write_terrain_package

    package = read_package(write_terrain_package(tmp_path / "pkg"))
    walk = Analysis.of(package, reach=ReachRule(mode="walk", minutes=30))
    text = words(print_map(walk, view="overview", now=NOW))
    for needle in ("Tầm tiếp cận: đi bộ, tối đa 30 phút", "Vùng đi bộ 30 phút", "Trẻ em trong 30 phút đi bộ",
                   t("map.play_points", "vi"), t("print.symbols", "vi")):
        assert needle in text, needle
    assert "km quanh điểm hiện có" not in text
    on_foot = replace(scenario, reach_mode="walk", walk_minutes=45)
    text = words(print_map(walk, view="sites", scenario=on_foot, now=NOW))
    assert "Vùng đi bộ 45 phút tới điểm đề xuất" in text and "đi bộ, tối đa 45 phút" in text
    assert "km quanh điểm đề xuất" not in text


def test_a_walking_map_on_the_demo_says_its_terrain_is_illustrative(demo):
    import io

    from pypdf import PdfReader

    from planner.analysis import Analysis
    from planner.printmap import print_map
    from planner.reach import ReachRule

    walking = Analysis.of(demo, reach=ReachRule(mode="walk", minutes=30))
    text = " ".join(PdfReader(io.BytesIO(print_map(walking, view="overview", lang="vi"))).pages[0].extract_text().split())
    assert "Tầm tiếp cận: đi bộ, tối đa 30 phút" in text and "Vùng đi bộ 30 phút" in text
    assert "Địa hình, sông suối và đường trong dữ liệu minh họa là giả định" in text
    straight = " ".join(PdfReader(io.BytesIO(print_map(walking.at(reach=ReachRule()), view="overview", lang="vi")))
                        .pages[0].extract_text().split())
    assert "giả định (do chương trình tạo)" not in straight and "bán kính 2.000 m" in straight
