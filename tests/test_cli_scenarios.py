"""`planner scenario ...` and `planner report ...` on a workspace made by the test."""
import io
import json
import subprocess
import sys

import openpyxl
import pytest
from pypdf import PdfReader

from planner.cli import main
from planner.proposals import Proposal
from planner.scenarios import Scenario
from planner.store import ScenarioStore


@pytest.fixture()
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path / "ws"))
    store = ScenarioStore(tmp_path / "ws" / "scenarios.sqlite")
    store.save(Scenario(name="Biên giới trước", author="Lan",
                        proposals=(Proposal("N001", 103.36, 22.7547, "03562", cost_vnd=1_250_000_000),)))
    store.save(Scenario(name="Không làm gì"))
    return tmp_path


def test_list_show_compare(ws, capsys):
    assert main(["scenario", "list"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("Biên giới trước\tv1\t")
    assert main(["scenario", "show", "Biên giới trước", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["figures"]["communes_with_point"] == 10 and data["figures"]["cost_total_vnd"] == 1_250_000_000
    assert main(["scenario", "compare", "Biên giới trước", "Không làm gì", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "10/38 (26.3%)" in out and "9/38 (23.7%)" in out


def test_show_an_older_version(ws, capsys):
    from dataclasses import replace

    store = ScenarioStore(ws / "ws" / "scenarios.sqlite")
    store.save(replace(store.load("Biên giới trước"), proposals=()))
    assert main(["scenario", "show", "Biên giới trước", "--version", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["figures"]["communes_with_point"] == 10
    assert main(["scenario", "show", "Biên giới trước", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["figures"]["communes_with_point"] == 9


def test_export_import_identical(ws, capsys):
    out = ws / "s.gpkg"
    assert main(["scenario", "export", "Biên giới trước", "--out", str(out)]) == 0
    assert main(["scenario", "import", str(out), "--as", "Bản sao"]) == 0
    store = ScenarioStore(ws / "ws" / "scenarios.sqlite")
    a, b = store.load("Biên giới trước"), store.load("Bản sao")
    assert a.proposals == b.proposals and a.budget_by_year == b.budget_by_year and a.author == b.author


def test_report_pdf_and_xlsx(ws):
    pdf = ws / "brief.pdf"
    assert main(["report", "--scenario", "Biên giới trước", "--compare", "Không làm gì", "--out", str(pdf)]) == 0
    text = PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    assert "Biên giới trước" in text and "1.250.000.000 ₫" in text
    xlsx = ws / "book.xlsx"
    assert main(["report", "--scenario", "Biên giới trước", "--out", str(xlsx), "--lang", "en"]) == 0
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "Figure"


@pytest.mark.parametrize(
    "args, needle",
    [
        (["report", "--scenario", "Nope", "--out", "x.pdf"], "No scenario named “Nope”"),
        (["report", "--scenario", "Nope", "--out", "x.docx"], "Unsupported format '.docx'"),
        (["scenario", "show"], "wrong number of names"),
        (["scenario", "import", "missing.gpkg"], "not found"),
        (["scenario", "dance"], "use list, show"),
    ],
)
def test_errors(ws, args, needle):
    import os
    from pathlib import Path

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    res = subprocess.run([sys.executable, "-m", "planner", *args, "--lang", "en"], capture_output=True, text=True,
                         timeout=300, cwd=ws, env=env)
    assert res.returncode == 2 and needle in res.stderr and res.stderr.count("\n") == 1, res.stderr
