"""The CLI: JSON figures that match an independent recomputation, and one-line errors."""
import json
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pytest

from planner.cli import build_parser, main
from planner.io import DEMO_DIR

REQUIRED = {"communes_total", "communes_with_point", "share_with_point", "needed_2025", "needed_2030",
            "children_total", "children_within_reach", "school_toilet_share"}


def run(*args):
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, timeout=300)


def independent_figures(folder, radius_m):
    """The same numbers the plain geopandas way: buffer the points, spatial-join the villages."""
    communes = gpd.read_file(folder / "boundaries/communes.geojson")
    villages = gpd.read_file(folder / "boundaries/villages.geojson").to_crs(32648)
    points = gpd.read_file(folder / "facilities/play_points.geojson")
    schools = gpd.read_file(folder / "facilities/schools.geojson")
    existing = points[points["status"] == "existing"].to_crs(32648)
    with_point = communes["code"].isin(existing["commune_code"]).sum()
    zones = gpd.GeoDataFrame(geometry=existing.buffer(radius_m, quad_segs=64), crs=32648)
    # a buffer polygon is slightly inside the true circle; count by exact distance for the edge
    hit = gpd.sjoin(villages, zones, predicate="intersects", how="inner").index.unique()
    d = villages.geometry.apply(lambda g: existing.distance(g).min())
    within = villages.index[d <= radius_m]
    assert set(hit) <= set(within)
    n = len(communes)
    return {
        "communes_total": n,
        "communes_with_point": int(with_point),
        "share_with_point": with_point / n,
        "needed_2025": max(0, int(np.ceil(round(0.30 * n, 9))) - int(with_point)),
        "needed_2030": max(0, int(np.ceil(round(0.35 * n, 9))) - int(with_point)),
        "children_total": int(villages["children"].sum()),
        "children_within_reach": int(villages.loc[within, "children"].sum()),
        "school_toilet_share": schools["has_standard_toilet"].mean(),
    }


@pytest.mark.parametrize("radius", [500, 2000, 3500, 10_000])
def test_summary_json_matches_independent_recomputation(radius):
    out = run("summary", "--json", "--radius-m", str(radius))
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert REQUIRED <= set(got)
    want = independent_figures(DEMO_DIR, radius)
    for key, value in want.items():
        assert got[key] == pytest.approx(value, abs=1e-12), key
    assert got["demo"] is True and got["metric_crs"] == "EPSG:32648"


def test_summary_text_in_both_languages(capsys):
    assert main(["summary", "--lang", "en"]) == 0
    en = capsys.readouterr().out
    assert "- Communes with a play/culture point: 9/38 (23.7%); 2025 target: 30% — 3 communes short; 2030 target: 35% — 5 communes short" in en
    assert main(["summary"]) == 0
    vi = capsys.readouterr().out
    assert "- Xã có điểm văn hóa, vui chơi cho trẻ em: 9/38 (23,7%); Mục tiêu 2025: 30% — thiếu 3 xã" in vi


def test_tiny_package_through_cli(tiny_dir, capsys):
    assert main(["summary", "--data", str(tiny_dir), "--radius-m", "1000", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert (got["communes_with_point"], got["children_within_reach"], got["needed_2030"]) == (2, 55, 0)


@pytest.mark.parametrize(
    "args, needle",
    [
        (["summary", "--radius-m", "-5"], "The radius must be a positive number of metres; got: -5"),
        (["summary", "--radius-m", "abc"], "got: abc"),
        (["summary", "--data", "/does/not/exist"], "Data folder /does/not/exist not found"),
        (["summary", "--bogus"], "Usage error: unrecognized arguments: --bogus"),
        (["nothing"], "Usage error"),
        (["summary", "--lang", "fr"], "Ngôn ngữ không hỗ trợ: fr; dùng vi hoặc en"),
    ],
)
def test_errors_are_one_line_exit_2(args, needle):
    out = run(*args, *([] if "--lang" in args else ["--lang", "en"]))
    assert out.returncode == 2
    assert needle in out.stderr
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert out.stdout == ""


def test_data_error_is_one_line_in_vietnamese(tiny_dir):
    (tiny_dir / "boundaries" / "villages.geojson").unlink()
    out = run("summary", "--data", str(tiny_dir))
    assert out.returncode == 2
    assert "thiếu tệp boundaries/villages.geojson" in out.stderr and out.stderr.count("\n") == 1


def test_site_options_default_to_the_request_defaults():
    from planner.site_plan import SitingRequest

    from planner.cli import _rule

    args = build_parser().parse_args(["site", "--budget-vnd", "5", "--out", "x.csv"])
    rule = _rule(args)
    got = SitingRequest.from_text(budget_vnd=args.budget_vnd, radius_m=rule.radius_m, target_year=args.target_year,
                                  method=args.method, max_new=args.max_new, sources=args.sources,
                                  default_cost_vnd=args.default_cost_vnd, time_limit_s=args.time_limit_s,
                                  reach_mode=rule.mode, minutes=rule.minutes)
    assert got == SitingRequest(budget_vnd=5)
