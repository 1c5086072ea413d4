"""The register's indicators against hand counts on a small tree (the world fixture plus a few sites).

  聊城市 5,952,128
    东昌府区 1,229,768         at the county itself: athletics stadium 20,000 (2015), fitness centre 3,000 (2022)
      古楼街道 90,000          multi-sport court 800 (2023), fitness trail 2.5 km (2021), lit basketball 600
        东关社区 8,000         world: basketball 420; sports park 50,000 (2019)
      新区街道 (none)          nothing
        新区一社区 10,000      nothing
    茌平区 497,416
      振兴街道 60,000
        新华社区 7,000         world: fitness square 1,500; fitness centre 600 not open to the public;
                               planned site: stadium 9,999 (not counted)

Compliance, counting only grounds open to the public of existing sites:
- "三个一": 东昌府区 has all three (its sports park lies in 东关社区); 茌平区 has only the square.
- "两个一": 古楼街道 has both; 新区街道 and 振兴街道 neither.
- a square: only 新华社区.
"""

import datetime
from decimal import Decimal

import pytest

from quanmin.core import indicators
from quanmin.facilities import services as fs
from quanmin.regions.models import Region

AS_OF = datetime.date(2026, 6, 30)
CITY, COUNTY, OTHER = "371500000000", "371502000000", "371503000000"
TOWNSHIP, NEW_TOWNSHIP, OTHER_TOWNSHIP = "371502001000", "371502002000", "371503001000"
COMMUNITY, NEW_COMMUNITY, OTHER_COMMUNITY = "371502001001", "371502002001", "371503001001"
EVERY = [CITY, COUNTY, OTHER, TOWNSHIP, NEW_TOWNSHIP, OTHER_TOWNSHIP, COMMUNITY, NEW_COMMUNITY, OTHER_COMMUNITY]


@pytest.fixture
def tree(world, settings):
    settings.QUANMIN_FIGURE_TARGETS = {"3715": {"plan": "三年行动", "since": "2021-01-01", "targets": []}}
    w = world
    new_township = Region.objects.create(code=NEW_TOWNSHIP, name="新区街道", level="township", parent=w.county)
    Region.objects.create(code=NEW_COMMUNITY, name="新区一社区", level="community", parent=new_township,
                          population=10000)

    def site(name, region, status="open"):
        return fs.create_site({"name": name, "lon": 115.98, "lat": 36.45, "region": region, "status": status})

    centre = site("区体育中心", w.county)
    fs.add_facility(centre, {"type": "athletics_stadium", "area_m2": "20000", "year_built": 2015})
    fs.add_facility(centre, {"type": "fitness_centre", "area_m2": "3000", "year_built": 2022})
    township = site("古楼街道全民健身中心", w.township)
    fs.add_facility(township, {"type": "multi_sport_court", "area_m2": "800", "year_built": 2023})
    fs.add_facility(township, {"type": "fitness_trail", "length_km": "2.5", "year_built": 2021})
    fs.add_facility(township, {"type": "basketball_lit", "area_m2": "600"})
    fs.add_facility(site("东关体育公园", w.community), {"type": "sports_park", "area_m2": "50000", "year_built": 2019})
    fs.add_facility(site("新华学校", w.other_community), {"type": "fitness_centre", "area_m2": "600",
                                                         "access": "not_open"})
    fs.add_facility(site("茌平体育场（规划）", w.other_community, "planned"), {"type": "stadium", "area_m2": "9999"})
    return w


def values(key):
    return indicators.compute(key, EVERY, AS_OF)


def test_grounds(tree):
    assert values("grounds") == {
        CITY: 9, COUNTY: 7, OTHER: 2, TOWNSHIP: 5, NEW_TOWNSHIP: 0, OTHER_TOWNSHIP: 2,
        COMMUNITY: 2, NEW_COMMUNITY: 0, OTHER_COMMUNITY: 2,
    }


def test_area_per_resident(tree):
    found = values("area_per_resident")
    assert found[CITY] == Decimal("0.0129")  # 76,920 m² / 5,952,128
    assert found[COUNTY] == Decimal("0.0608")  # 74,820 / 1,229,768
    assert found[OTHER] == Decimal("0.0042")  # 2,100 / 497,416
    assert found[TOWNSHIP] == Decimal("0.5758")  # 51,820 / 90,000
    assert found[NEW_TOWNSHIP] == 0  # no population of its own: its community's 10,000
    assert found[COMMUNITY] == Decimal("6.3025")  # 50,420 / 8,000
    assert found[OTHER_COMMUNITY] == Decimal("0.3")  # 2,100 / 7,000


def test_trail_km_per_10000(tree):
    found = values("trail_km_per_10000")
    assert found[CITY] == Decimal("0.0042")  # 2.5 km * 10,000 / 5,952,128
    assert found[COUNTY] == Decimal("0.0203")  # / 1,229,768
    assert found[TOWNSHIP] == Decimal("0.2778")  # / 90,000
    assert found[OTHER] == found[COMMUNITY] == 0


def test_new_grounds_since_the_plan_began(tree):
    found = values("new_grounds")
    # built 2021 or later: the fitness centre (2022), the court (2023), the trail (2021)
    assert (found[CITY], found[COUNTY], found[TOWNSHIP], found[COMMUNITY], found[OTHER]) == (3, 3, 2, 0, 0)


def test_new_grounds_without_a_plan_is_no_figure(tree, settings):
    settings.QUANMIN_FIGURE_TARGETS = {"3304": {"plan": "嘉兴", "since": "2021-01-01", "targets": []}}
    assert set(values("new_grounds").values()) == {None}


def test_share_of_counties_with_the_three_ones(tree):
    assert indicators.compute("county_trio_share", [CITY, COUNTY, OTHER], AS_OF) == {
        CITY: Decimal("50.0"), COUNTY: 100, OTHER: 0}


def test_share_of_townships_with_the_two_ones(tree):
    found = indicators.compute("township_pair_share", [CITY, COUNTY, OTHER, TOWNSHIP, NEW_TOWNSHIP], AS_OF)
    assert found == {CITY: Decimal("33.3"), COUNTY: 50, OTHER: 0, TOWNSHIP: 100, NEW_TOWNSHIP: 0}


def test_share_of_communities_with_a_square(tree):
    assert values("community_square_share") == {
        CITY: Decimal("33.3"), COUNTY: 0, OTHER: 100, TOWNSHIP: 0, NEW_TOWNSHIP: 0, OTHER_TOWNSHIP: 100,
        COMMUNITY: 0, NEW_COMMUNITY: 0, OTHER_COMMUNITY: 100,
    }


def test_a_county_alone_gives_the_same_values_as_in_the_whole_tree(tree):
    for key in ("grounds", "area_per_resident", "county_trio_share", "community_square_share"):
        assert indicators.compute(key, [OTHER], AS_OF)[OTHER] == values(key)[OTHER]


def test_a_code_that_names_no_division_has_no_figure(tree):
    assert indicators.compute("grounds", ["371599000000", COMMUNITY], AS_OF) == {"371599000000": None, COMMUNITY: 2}


def test_public_fitness_centres(tree):
    # The county's own centre counts for it and the city; the school's, not open to the public, does not.
    found = values("fitness_centres")
    assert (found[CITY], found[COUNTY], found[OTHER], found[TOWNSHIP], found[OTHER_COMMUNITY]) == (1, 1, 0, 0, 0)
    township = fs.create_site({"name": "古楼街道综合文体站", "lon": 115.98, "lat": 36.45, "region": TOWNSHIP})
    fs.add_facility(township, {"type": "fitness_centre", "area_m2": "900"})
    found = values("fitness_centres")
    assert (found[CITY], found[COUNTY], found[TOWNSHIP], found[NEW_TOWNSHIP]) == (2, 2, 1, 0)
