"""What-if by hand on the tiny fixture: where clicks land and what proposals change."""
import geopandas as gpd
import pytest
from shapely.geometry import Point

from planner.errors import UsageError
from planner.io import read_package
from planner.proposals import DEFAULT_COST_VND, edit, effect, propose_at, proposals_frame
from tests.conftest import UTM, X0, Y0


@pytest.fixture()
def tiny(tiny_dir):
    return read_package(tiny_dir)


def lonlat(x, y):
    p = gpd.GeoSeries([Point(X0 + x, Y0 + y)], crs=UTM).to_crs(4326).iloc[0]
    return p.x, p.y


@pytest.fixture()
def candidates():
    pts = [Point(X0 + 31_200, Y0 + 5_000), Point(X0 + 13_000, Y0 + 8_000)]
    return gpd.GeoDataFrame({"id": ["C1", "C2"], "commune_code": ["004", "002"], "cost_vnd": [900_000_000, 2_000_000_000]},
                            geometry=pts, crs=UTM).to_crs(4326)


def test_click_makes_a_point_in_its_commune(tiny):
    p = propose_at(tiny, *lonlat(31_000, 2_000))
    assert (p.id, p.commune_code, p.source, p.cost_vnd) == ("N001", "004", "map", DEFAULT_COST_VND)


def test_click_near_a_candidate_snaps_to_it(tiny, candidates):
    p = propose_at(tiny, *lonlat(31_000, 5_100), candidates=candidates)  # 224 m from C1
    assert (p.source, p.candidate_id, p.cost_vnd, p.commune_code) == ("candidate", "C1", 900_000_000, "004")
    again = propose_at(tiny, *lonlat(31_000, 5_100), candidates=candidates, existing=(p,))
    assert again.source == "map" and again.id == "N002"  # C1 is taken; nothing else within 300 m


def test_click_outside_is_explained(tiny):
    with pytest.raises(UsageError) as err:
        propose_at(tiny, *lonlat(-5_000, 5_000))
    assert "outside every commune" in err.value.message("en")
    assert "nằm ngoài các xã" in err.value.message("vi")


def test_effect_by_hand(tiny):
    # a point on D1 (x = 31 km) gives D its first point and reaches D1's 50 children at 1 km
    d = propose_at(tiny, *lonlat(31_000, 5_000))
    e = effect(tiny, [d], radius_m=1000)
    assert (e.communes_newly_with_point, e.children_newly_reached) == (1, 50)
    assert e.after.play_point.achieved == 3 and e.after.communes.loc["004", "points"] == 1
    # a second point next to the first adds no commune and no child
    d2 = propose_at(tiny, *lonlat(31_100, 5_000), existing=(d,))
    e2 = effect(tiny, [d, d2], radius_m=1000)
    assert (e2.communes_newly_with_point, e2.children_newly_reached) == (1, 50)
    # a point in A between A1 and A2 reaches A2 (children 20) too; A already had a point
    a = propose_at(tiny, *lonlat(6_500, 5_300))
    e3 = effect(tiny, [a], radius_m=1000)
    assert (e3.communes_newly_with_point, e3.children_newly_reached) == (0, 20)


def test_no_proposals_change_nothing(tiny):
    e = effect(tiny, [], radius_m=1000)
    assert e.before is e.after and e.children_newly_reached == 0


def test_edit_checks_values(tiny):
    p = propose_at(tiny, *lonlat(31_000, 2_000))
    q = edit(p, kind="culture_point", cost_vnd="750000000", year=2027)
    assert (q.kind, q.cost_vnd, q.year) == ("culture_point", 750_000_000, 2027)
    for kwargs, key in (({"kind": "park"}, "err.proposal_kind"), ({"cost_vnd": -1}, "err.proposal_cost"),
                        ({"cost_vnd": "abc"}, "err.proposal_cost"), ({"year": 1999}, "err.proposal_year")):
        with pytest.raises(UsageError) as err:
            edit(p, **kwargs)
        assert err.value.key == key and err.value.message("vi") != err.value.message("en")


def test_frame_round_trip(tiny):
    p = propose_at(tiny, *lonlat(31_000, 2_000))
    f = proposals_frame([p])
    assert list(f["commune_code"]) == ["004"] and f.crs.to_epsg() == 4326
    assert len(proposals_frame([])) == 0


def test_a_second_click_on_the_same_spot_is_not_a_second_point(tiny):
    """A double click on the Sites map reports two clicks at one spot: the second is refused with
    the proposal already there, while a click 20 m away is a new point."""
    from dataclasses import replace

    first = propose_at(tiny, *lonlat(500, 500))
    with pytest.raises(UsageError) as again:
        propose_at(tiny, *lonlat(500, 500), existing=(first,))
    assert again.value.key == "err.proposal_same_spot"
    assert again.value.message("vi") == "Đã có điểm đề xuất N001 tại chỗ này (cách 0 m); không thêm điểm trùng"
    with pytest.raises(UsageError) as near:
        propose_at(tiny, *lonlat(508, 500), existing=(first,))
    assert "(cách 8 m)" in near.value.message("vi") and "(8 m away)" in near.value.message("en")
    second = propose_at(tiny, *lonlat(520, 500), existing=(first,))
    assert second.id == "N002"
    moved = replace(first, id="N009")
    with pytest.raises(UsageError, match="N009"):
        propose_at(tiny, *lonlat(500, 500), existing=(second, moved))
