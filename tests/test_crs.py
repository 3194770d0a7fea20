import pytest

from planner.crs import metric_crs_for


@pytest.mark.parametrize(
    "bounds, expected",
    [
        ((102.2, 21.7, 103.99, 22.8), "EPSG:32648"),  # Lai Châu
        ((105.3, 20.5, 106.0, 21.4), "EPSG:32648"),  # Hà Nội
        ((107.8, 15.9, 108.4, 16.2), "EPSG:32649"),  # Đà Nẵng
        ((-70.0, -34.0, -69.0, -33.0), "EPSG:32719"),  # southern hemisphere
    ],
)
def test_utm_zone_from_extent(bounds, expected):
    assert metric_crs_for(*bounds) == expected
