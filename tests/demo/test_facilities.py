"""The demo step "facilities register" (quanmin/demo/facilities.py) on a small division tree."""

import random

import pytest
from django.db.models import Count

from quanmin.demo import facilities as demo
from quanmin.facilities import geo
from quanmin.facilities.models import Facility, OpeningRule, Site
from quanmin.regions.models import Region
from tests.conftest import small_city


@pytest.fixture
def city(db):
    """Two counties × 4 townships × 8 communities, filled by the demo generator (~250 sites)."""
    root = small_city(streets=1, villages=True)
    demo.load(root, random.Random(11))
    return root


def test_demo_is_deterministic_and_loads_once(city):
    root = Region.objects.get(code="371500000000")

    def plan(seed):
        return [(p.site.name, p.site.lon, p.site.lat, tuple(sorted(str(f) for f in p.facilities)))
                for p in demo.CityBuilder(root, random.Random(seed)).build()]

    assert plan(5) == plan(5) != plan(6)
    assert demo.load(root, random.Random(11)) == {"sites": 0, "facilities": 0}


def test_demo_rows_are_consistent(city):
    # Villages and communities: fitness paths first, then basketball (the small tree over-weights schools).
    counts = dict(Facility.objects.filter(site__owner_kind="community").values_list("type").annotate(n=Count("pk")))
    assert sorted(counts, key=counts.get)[-2:] == ["basketball", "fitness_path"]
    for f in Facility.objects.select_related("site"):
        assert (f.region_id, f.lon, f.lat) == (f.site.region_id, f.site.lon, f.site.lat)
        assert f.open == (f.site.status == "open" and f.access != "not_open")
        assert geo.in_china(f.lon, f.lat)
        assert (f.length_km is not None) == (f.type_info.measure == "length")
    schools = Site.objects.filter(owner_kind="school")
    assert schools.exists() and all(s.school_rules for s in schools)
    assert OpeningRule.objects.filter(kind="benefit").exists()
    # Gaps on purpose: some communities without a square or multi-sport court.
    squares = set(Facility.objects.filter(type__in=["fitness_square", "multi_sport_court"])
                  .values_list("region_id", flat=True))
    communities = set(Region.objects.filter(level="community").values_list("code", flat=True))
    assert communities - squares


def test_demo_addresses_are_roads_and_numbers_not_names(city):
    rows = list(Site.objects.select_related("region").values_list("name", "address", "region__name"))
    assert rows and all(address and address != name and address.endswith("号") for name, address, _r in rows)
    village = [(a, r) for _n, a, r in rows if r.endswith("村委会")]
    assert village and all(a.startswith(demo.short(r)) for a, r in village)  # a village's own lanes
    # Varied: many different addresses, and namesakes get different ones.
    assert len({a for _n, a, _r in rows}) > 0.8 * len(rows)
