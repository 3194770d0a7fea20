"""planner.projection: metric coordinates projected once per geometry column and CRS, read-only,
never stale, in a bounded memory; and the reach figures computed from them unchanged."""
import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Transformer
from scipy.spatial import distance_matrix
from shapely.geometry import Point

from planner import projection
from planner.coverage import nearest_m, reach
from planner.io import read_package

# On UTM zone 48N's central meridian (105° E) a point lies at the false easting, 500,000 m; on the
# equator at northing 0; 3° either side of the meridian the eastings are symmetric about 500,000 m.
LONLAT = [(105.0, 0.0), (102.0, 0.0), (108.0, 0.0), (103.2, 22.4)]


@pytest.fixture(autouse=True)
def empty_cache():
    projection.clear()
    yield
    projection.clear()


@pytest.fixture()
def counted(monkeypatch):
    """The number of projections actually computed (not answered from the cache)."""
    calls = []
    real = projection._project

    def counting(column, target):
        calls.append(target.to_epsg())
        return real(column, target)

    monkeypatch.setattr(projection, "_project", counting)
    return calls


def _points(lonlat, crs=4326) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"n": range(len(lonlat))}, geometry=[Point(x, y) for x, y in lonlat], crs=crs)


def test_coordinates_are_pyprojs_own_and_hand_checked():
    xy = projection.metric_xy(_points(LONLAT), "EPSG:32648")
    lon, lat = np.array(LONLAT).T
    x, y = Transformer.from_crs(4326, 32648, always_xy=True).transform(lon, lat)
    assert np.array_equal(xy, np.column_stack([x, y]))  # to the bit
    assert xy[0] == pytest.approx([500_000.0, 0.0], abs=1e-6)
    assert xy[1, 1] == 0.0 and xy[2, 1] == 0.0
    assert xy[1, 0] + xy[2, 0] == pytest.approx(1_000_000.0, abs=1e-6)
    assert 160_000 < xy[1, 0] < 170_000  # 3° of longitude at the equator: 333.96 km x 0.9996 / 2 from the edge
    assert np.array_equal(xy, shapely.get_coordinates(_points(LONLAT).geometry.to_crs(32648).to_numpy()))


def test_a_second_call_is_the_kept_array(counted):
    frame = _points(LONLAT)
    first = projection.metric_xy(frame, "EPSG:32648")
    again = projection.metric_xy(frame, "EPSG:32648")
    assert again is first
    assert projection.metric_xy(frame.geometry, 32648) is first  # the same column, named another way
    assert counted == [32648]


def test_another_crs_is_another_entry(counted):
    frame = _points(LONLAT)
    zone48 = projection.metric_xy(frame, "EPSG:32648")
    zone49 = projection.metric_xy(frame, "EPSG:32649")
    assert counted == [32648, 32649]
    assert not np.array_equal(zone48, zone49)
    # 105° E is 6° west of zone 49's meridian (111° E), as 99° E is of zone 48's: the same easting
    six_west = projection.metric_xy(_points([(99.0, 0.0)]), "EPSG:32648")
    assert zone49[0].tolist() == pytest.approx(six_west[0].tolist(), abs=1e-6)
    assert zone49[0, 0] < 0 and zone49[0, 1] == 0.0
    assert projection.metric_xy(frame, "EPSG:32648") is zone48
    assert projection.metric_xy(frame, "EPSG:32649") is zone49
    assert counted == [32648, 32649, 32648]  # the third: the 99° E frame


def test_a_frame_stored_in_a_metric_crs(counted):
    metres = gpd.GeoDataFrame(geometry=[Point(500_000.0, 0.0), Point(300_000.0, 2_450_000.0)], crs=32648)
    same = projection.metric_xy(metres, "EPSG:32648")
    assert same.tolist() == [[500_000.0, 0.0], [300_000.0, 2_450_000.0]]  # no transform: the stored numbers
    lonlat = projection.metric_xy(metres, 4326)
    assert lonlat[0] == pytest.approx([105.0, 0.0], abs=1e-12)
    assert np.array_equal(lonlat, shapely.get_coordinates(metres.geometry.to_crs(4326).to_numpy()))
    assert projection.metric_crs_of(metres) == "EPSG:32648"
    zone49 = gpd.GeoDataFrame(geometry=[Point(500_000.0, 1_000_000.0)], crs=32649)  # 111° E
    assert projection.metric_crs_of(zone49) == "EPSG:32649"


def test_the_kept_array_cannot_be_written():
    xy = projection.metric_xy(_points(LONLAT), "EPSG:32648")
    assert not xy.flags.writeable
    with pytest.raises(ValueError):
        xy[0, 0] = 0.0
    assert projection.metric_xy(_points(LONLAT), "EPSG:32648")[0, 0] == pytest.approx(500_000.0, abs=1e-6)


def test_a_frame_changed_in_place_is_projected_again(counted):
    frame = _points(LONLAT)
    before = projection.metric_xy(frame, "EPSG:32648")
    frame.loc[0, "geometry"] = Point(108.0, 0.0)
    after = projection.metric_xy(frame, "EPSG:32648")
    assert after[0, 0] == pytest.approx(before[2, 0], abs=1e-9)
    assert before[0, 0] == pytest.approx(500_000.0, abs=1e-6)  # the first answer is untouched
    series = _points(LONLAT).geometry
    projection.metric_xy(series, "EPSG:32648")
    series.iloc[1] = Point(105.0, 0.0)
    assert projection.metric_xy(series, "EPSG:32648")[1, 0] == pytest.approx(500_000.0, abs=1e-6)
    frame.set_crs(32648, allow_override=True, inplace=True)  # same numbers, now read as metres
    assert projection.metric_xy(frame, "EPSG:32648")[0].tolist() == [108.0, 0.0]
    assert len(counted) == 5  # every change projected afresh


def test_the_crs_of_a_4326_frame_needs_no_projection(counted):
    frame = _points([(102.5, 21.5), (103.9, 22.9)])
    assert projection.metric_crs_of(frame) == "EPSG:32648"
    assert projection.metric_crs_of(_points([(104.0, 10.0), (106.5, 11.0)])) == "EPSG:32648"  # centre 105.25° E
    assert projection.metric_crs_of(_points([(105.5, 10.0), (106.5, 11.0)])) == "EPSG:32648"
    assert projection.metric_crs_of(_points([(106.5, -10.0), (107.5, -9.0)])) == "EPSG:32748"  # south
    assert counted == []


def test_the_cache_is_bounded(counted, monkeypatch):
    monkeypatch.setattr(projection, "MAX_ENTRIES", 2)
    frames = [_points(LONLAT) for _ in range(3)]
    kept = [projection.metric_xy(f, "EPSG:32648") for f in frames]
    assert len(projection._kept) == 2
    assert projection.metric_xy(frames[2], "EPSG:32648") is kept[2]
    assert projection.metric_xy(frames[0], "EPSG:32648") is not kept[0]  # dropped, projected again
    assert len(counted) == 4
    monkeypatch.setattr(projection, "MAX_ENTRIES", 64)
    monkeypatch.setattr(projection, "MAX_ROWS", 5)  # one frame of 4 rows fits, two do not
    projection.metric_xy(frames[1], "EPSG:32649")
    assert len(projection._kept) == 1


def test_reach_unchanged_against_a_direct_computation(counted):
    demo = read_package()
    points = demo.schools
    radius = 2_000.0
    v = shapely.get_coordinates(demo.villages.geometry.to_crs(32648).to_numpy())
    p = shapely.get_coordinates(points.geometry.to_crs(32648).to_numpy())
    direct = distance_matrix(v, p).min(axis=1)
    inside = direct <= radius
    children = demo.villages["children"].to_numpy()
    for _ in range(2):  # projected on the first call, kept on the second
        r = reach(demo.villages, points, radius_m=radius)
        assert r.metric_crs == "EPSG:32648"
        assert np.array_equal(r.village_within, inside)
        assert r.children_within == int(children[inside].sum())
        by = demo.villages.assign(w=np.where(inside, children, 0)).groupby("commune_code")["w"].sum()
        assert r.by_commune["children_within"].to_dict() == by.to_dict()
        assert np.abs(nearest_m(demo.villages, points) - direct).max() < 1e-6
    assert sorted(counted) == [32648, 32648]  # the villages and the schools, each once
    assert 0 < r.children_within < r.children_total
