"""Share of public venues bookable online, against a hand count.

The world fixture's two sites (东关社区 and 新华社区) each have a free ground with a bookable court.
Added here:
  东关社区   a square with a free ground whose only unit is inactive  -> public, not bookable
             a planned site with a free ground                          -> not a venue yet
  古楼街道   a gym, paid, no unit                                        -> public, not bookable
  新华社区   a school ground not open to the public, with a unit        -> not public
  新区社区   (an empty community)                                        -> no figure
"""

import datetime
from decimal import Decimal

import pytest

from quanmin.booking import figures
from quanmin.booking import services as bs
from quanmin.core import indicators
from quanmin.facilities import services as fs
from quanmin.regions.models import Region

AS_OF = datetime.date(2026, 6, 30)
CITY, COUNTY, OTHER = "371500000000", "371502000000", "371503000000"
TOWNSHIP, COMMUNITY, OTHER_COMMUNITY, EMPTY = "371502001000", "371502001001", "371503001001", "371502001002"


@pytest.fixture
def venues(world):
    w = world
    Region.objects.create(code=EMPTY, name="新区社区", level="community", parent=w.township, population=3000)

    def ground(name, region, access="free", status="open"):
        site = fs.create_site({"name": name, "lon": 115.98, "lat": 36.45, "region": region, "status": status})
        return fs.add_facility(site, {"type": "fitness_square", "area_m2": "900", "access": access})

    bs.create_unit(ground("东关广场", w.community), name="场地", payment_provider="on_site", active=False)
    ground("东关新馆（规划）", w.community, status="planned")
    ground("古楼健身馆", w.township, access="paid")
    bs.create_unit(ground("新华学校", w.other_community, access="not_open"), name="操场", payment_provider="on_site")
    return w


def test_share_of_public_venues_bookable_online(venues):
    found = indicators.compute("bookable_online_share", [CITY, COUNTY, OTHER, TOWNSHIP, COMMUNITY,
                                                         OTHER_COMMUNITY, EMPTY], AS_OF)
    assert found == {
        CITY: Decimal("50.0"),  # 2 of 4
        COUNTY: Decimal("33.3"),  # 1 of 3
        OTHER: 100,  # 1 of 1: the school is not a public venue
        TOWNSHIP: Decimal("33.3"),
        COMMUNITY: 50,  # 1 of 2
        OTHER_COMMUNITY: 100,
        EMPTY: None,
    }


def test_the_share_agrees_with_the_figures_page(venues):
    div = figures.division_figures(venues.city, AS_OF, AS_OF)
    assert (div.figures.bookable_sites, div.figures.public_sites) == (2, 4)
