"""Events near me: one row per event at its nearest venue, within the distance, nearest first; the
page (a point from the browser or picked on the map), and the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quanmin.events import selectors

from .conftest import HERE, published


@pytest.fixture
def two(world):
    far = published(world, "茌平区健步走", [world.other_site], day=5)
    both = published(world, "两地联赛", [world.other_site, world.site], day=8)
    near = published(world, "东关社区运动会", [world.site], day=20)
    return near, both, far


def test_nearest_venue_first_within_the_distance(world, two):
    near, both, far = two
    found = selectors.near(None, selectors.Filters(), HERE, 50)
    assert [v.games for v in found] == [both, near, far]  # "both" at its venue here, held sooner than "near"
    assert found[0].site_id == world.site.pk and found[0].distance < 100 and found[2].distance > 20_000
    assert [v.games for v in selectors.near(None, selectors.Filters(), HERE, 10)] == [both, near]
    assert [v.games for v in selectors.near(None, selectors.Filters())] == [far, both, near]  # soonest first
    assert selectors.near(None, selectors.Filters(sport="swimming"), HERE, 50) == []


def test_near_takes_a_fixed_number_of_queries(world, two):
    def count():
        with CaptureQueriesContext(connection) as seen:
            selectors.near(None, selectors.Filters(), HERE, 50)
        return len(seen)

    before = count()
    published(world, "又一场", [world.site, world.other_site], day=30)
    published(world, "再一场", [world.other_site], day=31)
    assert count() == before


def test_page_sorts_from_a_point_and_survives_bad_ones(world, two, client):
    near, both, far = two
    page = client.get(reverse("events:near"), {"lat": HERE[0], "lon": HERE[1], "src": "me", "radius": 50}).content.decode()
    assert page.index(both.name) < page.index(near.name) < page.index(far.name)
    assert "27" in page and 'id="near-map"' in page
    for bad in ({"lat": "nan", "lon": "inf"}, {"lat": "x", "lon": ""}, {"lat": "1e999", "lon": "3"}, {"radius": "7"}):
        assert client.get(reverse("events:near"), bad).status_code == 200


def test_api_near(world, two, client):
    near, both, far = two
    rows = client.get("/api/v1/events/near", {"lat": HERE[0], "lon": HERE[1], "radius": 10}).json()
    assert [r["id"] for r in rows] == [both.pk, near.pk] and rows[0]["distance_m"] < 100
    assert rows[0]["venue"] == world.site.name
    assert client.get("/api/v1/events/near", {"lat": 91, "lon": 0}).status_code == 422
