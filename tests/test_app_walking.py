"""The Overview and Sites pages in walking mode, through AppTest, on a package with terrain: the map
gets each existing point's catchment (no circles), the optional bands and surface (off at first),
the villages' walking times, and on Sites the proposals' and the optimiser's catchments."""
import json
from pathlib import Path
from unittest import mock

import pytest
import streamlit_folium as sf
from streamlit.testing.v1 import AppTest

from planner.io import read_package
from planner.maps import CHOSEN_COLOUR, COLOURS, PROPOSAL_COLOUR
from planner.proposals import propose_at
from tests.test_isochrones import write_terrain_package

APP = Path(__file__).resolve().parent.parent / "app.py"


@pytest.fixture(scope="module")
def terrain_dir(tmp_path_factory):
    return write_terrain_package(tmp_path_factory.mktemp("walk") / "pkg")


@pytest.fixture()
def maps():
    """What each map on the page sends the browser (the component's arguments)."""
    calls = []
    with mock.patch.object(sf, "_component_func", lambda **kw: calls.append(kw) or kw.get("default")):
        yield calls


def walking_app(terrain_dir, minutes=30):
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["data_dir"] = str(terrain_dir)
    at.run()
    assert not at.exception, at.exception
    at.session_state["plan"] = at.session_state["plan"].edited(reach_mode="walk", walk_minutes=float(minutes))
    return at


def test_overview_map_walks(terrain_dir, maps):
    at = walking_app(terrain_dir).run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    assert at.session_state["plan"].scenario.reach_mode == "walk"  # the package can walk: the rule stays
    layers = maps[-1]["feature_group"]
    assert json.dumps("Vùng đi bộ 30 phút") in layers  # in the layer control
    assert "L.circle(" not in layers and COLOURS["reach"] in layers
    assert '.setExtra({"head":"Thời gian đi bộ đến điểm gần nhất"' in layers  # the villages' walks, on the base's villages
    assert "data:image/png;base64," not in layers and len(layers.encode()) < 60 * 1024  # a new minutes value: light
    # the bands and the surface do not change with the minutes: they come with the base map, off at first
    from ui.state import STATIC_DIR

    base = (STATIC_DIR / "maps" / maps[-1]["js_links"][-1].rsplit("/", 1)[1]).read_text(encoding="utf-8")
    for name in ("Vùng đi bộ 15/30/60 phút", "Thời gian đi bộ (bề mặt)"):
        assert json.dumps(name) in base, name  # in the layer control
    assert "data:image/png;base64," in base and base.count("data:image/png;base64,") == 1
    assert any(m.value == "**Trẻ em trong 30 phút đi bộ**" for m in at.markdown)


def test_sites_map_walks(terrain_dir, maps):
    at = walking_app(terrain_dir, minutes=45)
    at.switch_page("views/sites.py").run()
    assert not at.exception, at.exception
    p = propose_at(read_package(terrain_dir), 103.36, 22.7547)
    at.session_state["plan"] = at.session_state["plan"].with_proposals([p])
    at.run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    layers = maps[-1]["feature_group"]
    assert "L.circle(" not in layers and f'"color": "{PROPOSAL_COLOUR}", "dashArray": "6 4"' in layers
    next(b for b in at.button if b.label == "Chạy tối ưu hóa").click().run()
    assert not at.exception, at.exception
    assert len(at.session_state["plan"].siting.sites), "the optimiser chose nothing"
    layers = maps[-1]["feature_group"]
    assert f'"color": "{CHOSEN_COLOUR}"' in layers and "L.circle(" not in layers
