"""Shared fixtures: a tiny hand-made package whose figures are worked out by hand, and the demo."""
from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from planner.io import DEMO_DIR, read_package, write_package

X0, Y0 = 300_000.0, 2_450_000.0  # metres in EPSG:32648, inside Lai Châu
UTM = "EPSG:32648"


def _to_wgs(rows: list[dict]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=UTM).to_crs(4326)


def tiny_layers() -> dict[str, gpd.GeoDataFrame]:
    """Four 10 km x 10 km communes in a row (A, B, C, D from west to east).

    Existing points: one in A at (5 km, 5 km) from A's corner, one in C at (25 km, 5 km).
    Under construction (does not count): one in B.
    Villages (children / population), distance to the nearest existing point:
      A1 10/40 at 0.5 km, A2 20/50 at 1.5 km, B1 30/90 at 3 km (from A's point, x = 8 km),
      C1 40/100 at 0 km, C2 5/20 at 0.9 km, D1 50/120 at 6 km (x = 31 km).
    Schools: A main (standard toilet, psych), A satellite (no toilet), B main (standard, no psych),
      C main (no toilet, psych), D main (standard, psych).
    Child-friendly: A and D.
    """
    communes = []
    for i, code in enumerate(["001", "002", "003", "004"]):
        communes.append(dict(
            code=code, name=f"Xã {'ABCD'[i]}", kind="xã", area_km2=100.0,
            population=0, children=0, ethnic_minority_share=0.9, poverty_rate=0.3 + 0.1 * i,
            especially_difficult=i % 2 == 0, child_friendly=i in (0, 3), land_available_m2=1000.0,
            geometry=box(X0 + 10_000 * i, Y0, X0 + 10_000 * (i + 1), Y0 + 10_000),
        ))
    villages = [
        ("A1", "001", 5_500, 5_000, 10, 40), ("A2", "001", 6_500, 5_000, 20, 50),
        ("B1", "002", 8_000 + 0, 5_000, 30, 90), ("C1", "003", 25_000, 5_000, 40, 100),
        ("C2", "003", 25_000, 5_900, 5, 20), ("D1", "004", 31_000, 5_000, 50, 120),
    ]
    # B1 sits at x = 8 km, inside A's square by coordinates; move it into B (x = 13 km) but keep
    # its distance to A's point > radius: 8 km from A's point.
    villages[2] = ("B1", "002", 13_000, 5_000, 30, 90)
    v_rows = [dict(id=v, name=f"Bản {v}", commune_code=c, population=p, children=ch,
                   geometry=Point(X0 + x, Y0 + y)) for v, c, x, y, ch, p in villages]
    for c in communes:
        c["population"] = sum(v["population"] for v in v_rows if v["commune_code"] == c["code"])
        c["children"] = sum(v["children"] for v in v_rows if v["commune_code"] == c["code"])
    points = [
        dict(id="P1", name="Điểm A", kind="play_area", commune_code="001", status="existing", year=2020, area_m2=500.0, geometry=Point(X0 + 5_000, Y0 + 5_000)),
        dict(id="P2", name="Điểm C", kind="culture_point", commune_code="003", status="existing", year=2021, area_m2=800.0, geometry=Point(X0 + 25_000, Y0 + 5_000)),
        dict(id="P3", name="Điểm B", kind="play_area", commune_code="002", status="under_construction", year=2026, area_m2=600.0, geometry=Point(X0 + 15_000, Y0 + 5_000)),
    ]
    schools = [
        ("S1", "001", False, True, True), ("S2", "001", True, False, False), ("S3", "002", False, True, False),
        ("S4", "003", False, False, True), ("S5", "004", False, True, True),
    ]
    s_rows = [dict(id=s, name=f"Trường {s}", level="tieu_hoc", is_satellite=sat, students=100, commune_code=c,
                   has_standard_toilet=toilet, has_psych_support=psych, geometry=Point(X0 + 1_000 + 10_000 * int(c[-1]) - 10_000, Y0 + 1_000 + 100 * k))
              for k, (s, c, sat, toilet, psych) in enumerate(schools)]
    return {
        "communes": _to_wgs(communes),
        "villages": _to_wgs(v_rows),
        "play_points": _to_wgs(points),
        "schools": _to_wgs(s_rows),
    }


@pytest.fixture(autouse=True)
def private_workspace(tmp_path, monkeypatch):
    """Every test gets its own workspace: no test sees another's scenarios or imported data."""
    monkeypatch.setenv("PLANNER_WORKSPACE", str(tmp_path / "workspace"))


@pytest.fixture()
def tiny_dir(tmp_path):
    return write_package(tiny_layers(), {"name": "tiny", "demo": False}, tmp_path / "tiny")


@pytest.fixture(scope="session")
def demo():
    return read_package(DEMO_DIR)


def plan_key(at, name: str) -> str:
    """The key of a widget that edits the session's plan (ui.plan.widget_key) in an AppTest."""
    return f"plan-{at.session_state['plan'].revision}-{name}"


def grid_text(element):
    """What a Streamlit table shows: the display text of a pandas Styler (planner.formats.styled)
    when the page gave one, else the cells as text. AppTest's `.value` holds the numbers beneath."""
    import pyarrow as pa

    styler = element.proto.arrow_data.styler
    if styler.display_values:
        return pa.ipc.open_stream(styler.display_values).read_pandas()
    return element.value.astype(str)


def html_tables(at) -> list:
    """The plain tables of a page (ui.tables.html_table, shown with st.html), each as a DataFrame of
    the texts a reader sees, headers as columns."""
    from html.parser import HTMLParser

    import pandas as pd

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.cell = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append(self.cell)
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    out = []
    for element in at.get("html"):
        if 'class="planner-table"' in element.proto.body:
            parser = Cells()
            parser.feed(element.proto.body)
            out.append(pd.DataFrame(parser.rows[1:], columns=parser.rows[0]))
    return out
