"""The stored streets of the walking network: loaded whole, all or nothing, read by a view's box."""

import pytest

from quanmin.regions import streets
from quanmin.regions.errors import RegionError
from quanmin.regions.models import StreetSegment

LINES = [
    ("东关街", "residential", [[115.980, 36.457], [115.985, 36.457], [115.990, 36.457]]),
    ("柳园路", "primary", [[115.985, 36.450], [115.985, 36.457], [115.985, 36.465]]),
    ("", "footway", [[116.250, 36.580], [116.255, 36.581]]),
]


def test_load_replaces_the_network_and_keeps_boxes(db):
    assert streets.replace_streets(LINES) == 3
    east = StreetSegment.objects.get(name="东关街")
    assert (east.min_lon, east.max_lon, east.min_lat, east.max_lat) == (115.98, 115.99, 36.457, 36.457)
    assert streets.any_loaded()
    assert streets.replace_streets(LINES[:1]) == 1
    assert list(StreetSegment.objects.values_list("name", flat=True)) == ["东关街"]


def test_box_finds_the_streets_that_cross_it(db):
    streets.replace_streets(LINES)
    # A box between the ends of 东关街 touches neither of its points but crosses its box.
    found = {name for name, _k, _l in streets.in_box(36.455, 36.459, 115.982, 115.984)}
    assert found == {"东关街"}
    found = {name for name, _k, _l in streets.in_box(36.44, 36.47, 115.97, 116.0)}
    assert found == {"东关街", "柳园路"}
    assert list(streets.in_box(36.0, 36.1, 115.0, 115.1)) == []
    assert len(list(streets.in_box(30, 40, 110, 120, limit=2))) == 2


@pytest.mark.parametrize("bad", [
    [[115.98, 36.45]],  # one point
    [[115.98, 36.45], ["x", 36.46]],  # not a number
    [[115.98, 36.45], [115.99, 95.0]],  # off the globe
    [[115.98, 36.45], [float("nan"), 36.46]],
    "not a line",
])
def test_a_bad_line_refuses_the_load_and_keeps_the_old_network(db, bad):
    streets.replace_streets(LINES)
    with pytest.raises(RegionError) as err:
        streets.replace_streets([LINES[0], ("坏路", "", bad)])
    assert err.value.code == "street_invalid" and "2" in str(err.value.message)
    assert StreetSegment.objects.count() == 3
