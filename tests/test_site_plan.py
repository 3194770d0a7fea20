"""Optimiser output: the chosen-sites table, its exports, proposals from it, and the site CLI."""
import io
import json
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from planner.candidates import SOURCES, candidates_from_package, site
from planner.cli import main
from planner.proposals import effect
from planner.site_plan import SitingRequest, as_proposals, parameters_csv, plan, render, run


@pytest.fixture(scope="module")
def exact_plan(demo):
    return run(demo, SitingRequest(budget_vnd=8_000_000_000))


def test_plan_of_a_result_solved_elsewhere(exact_plan, demo):
    # the same exact solve outside `run` gives the same sites; its request takes the result's method
    cands = candidates_from_package(demo, sources=SOURCES, default_cost_vnd=1_500_000_000)
    result = site(demo, cands, radius_m=2000, budget_vnd=8_000_000_000, method="exact", time_limit_s=60)
    other = plan(demo, cands, result, radius_m=2000, budget_vnd=8_000_000_000, sources=SOURCES)
    assert other.request == exact_plan.request and other.fast is other.result and other.note is None
    assert list(other.sites["id"]) == list(exact_plan.sites["id"])
    assert plan(demo, cands, site(demo, cands, radius_m=2000, budget_vnd=10**9, method="greedy"),
                budget_vnd=10**9).request.method == "greedy"


def test_plan_rows_match_result(exact_plan):
    r = exact_plan.result
    assert len(exact_plan.sites) == len(r.chosen)
    assert exact_plan.sites["cost_vnd"].sum() == r.total_cost_vnd <= 8_000_000_000
    assert exact_plan.sites["children_newly_within"].sum() >= r.children_newly_reached  # overlaps count twice


def test_proposals_from_plan_give_the_same_effect(exact_plan, demo):
    props = as_proposals(exact_plan)
    e = effect(demo, props, radius_m=2000)
    assert e.children_newly_reached == exact_plan.result.children_newly_reached
    assert e.communes_newly_with_point == exact_plan.result.communes_newly_with_point
    assert [p.id for p in props] == [f"N{k:03d}" for k in range(1, len(props) + 1)]


def test_exports_read_back(exact_plan, demo):
    data = json.loads(render(exact_plan, demo, "en", ".geojson"))
    assert [f["properties"]["id"] for f in data["features"]] == list(exact_plan.sites["id"])
    assert data["parameters"]["Budget (VND)"] == 8_000_000_000
    wb = openpyxl.load_workbook(io.BytesIO(render(exact_plan, demo, "vi", ".xlsx")))
    ws = wb.worksheets[0]
    assert ws.title == "Địa điểm" and ws.cell(1, 1).value == "Mã địa điểm"
    assert [ws.cell(i, 1).value for i in range(2, 2 + len(exact_plan.sites))] == list(exact_plan.sites["id"])
    costs = [ws.cell(i, 5) for i in range(2, 2 + len(exact_plan.sites))]
    assert [c.value for c in costs] == list(exact_plan.sites["cost_vnd"]) and costs[0].number_format == '#,##0 "₫"'
    params = {r[0].value: r[1] for r in wb["Tham số"].iter_rows(min_row=2)}
    assert params["Ngân sách (đồng)"].value == 8_000_000_000 and params["Ngân sách (đồng)"].data_type == "n"
    data = render(exact_plan, demo, "vi", ".csv")
    assert data.decode("utf-8-sig").startswith("Mã địa điểm,")  # a plain table: the header on line 1
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"Mã": str})
    assert list(table["Mã địa điểm"]) == list(exact_plan.sites["id"])
    assert pd.api.types.is_integer_dtype(table["Kinh phí (đồng)"]) and pd.api.types.is_integer_dtype(table["Trẻ em mới được tiếp cận"])
    params = pd.read_csv(io.BytesIO(parameters_csv(exact_plan, demo, "vi")), encoding="utf-8-sig", dtype=str)
    params = dict(zip(params["Tham số"], params["Giá trị"]))
    assert params["Ngân sách (đồng)"] == "8000000000" and params["Xã mới có điểm"] == str(exact_plan.result.communes_newly_with_point)
    vi = json.loads(render(exact_plan, demo, "vi", ".geojson", field_names="vi"))["features"][0]["properties"]
    assert {"Mã địa điểm", "Kinh phí (đồng)", "Trẻ em mới được tiếp cận"} <= set(vi)


def test_site_cli(tmp_path, capsys, exact_plan):
    out = tmp_path / "sites.geojson"
    assert main(["site", "--budget-vnd", "8000000000", "--lang", "en", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Solver status: optimal" in printed and f"{len(exact_plan.sites)} sites written" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(f["properties"]["id"] for f in data["features"]) == sorted(exact_plan.sites["id"])


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--budget-vnd", "-5"], "budget"),
        (["--budget-vnd", "lots"], "budget"),
        (["--budget-vnd", "1e9", "--radius-m", "0"], "The radius must be a positive number"),
        (["--budget-vnd", "1e9", "--sources", "parks"], "parks"),
        (["--budget-vnd", "1e9", "--target-year", "2027"], "2027"),
        (["--budget-vnd", "1e9", "--method", "magic"], "magic"),
    ],
)
def test_site_cli_errors(args, needle, tmp_path):
    out = tmp_path / "x.csv"
    res = subprocess.run([sys.executable, "-m", "planner", "site", *args, "--lang", "en", "--out", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 2, res.stderr
    assert needle in res.stderr and res.stderr.count("\n") == 1 and "Traceback" not in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_site_cli_no_candidates(tiny_dir, tmp_path):
    # the tiny package has no candidate_sites file: asking only for that source finds nothing
    res = subprocess.run([sys.executable, "-m", "planner", "site", "--data", str(tiny_dir), "--budget-vnd", "1e9",
                          "--sources", "candidate_sites", "--lang", "en", "--out", str(tmp_path / "x.csv")],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 2 and res.stderr.count("\n") == 1, res.stderr
