"""The fitness circle as indicators: each division's share of residents within a 10- and a
15-minute walk, from the latest finished analysis of it or of a division above it, against a hand
count on a small world."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quanmin.analytics.circle.standard import DEFAULT_SPEED_KMH
from quanmin.analytics.models import CircleRun
from quanmin.core import indicators
from quanmin.regions.models import Region

AS_OF = datetime.date(2026, 6, 30)
CITY, COUNTY, TOWN, VILLAGE, OTHER = "419900000000", "419901000000", "419901001000", "419901001001", "419902000000"


def cell(covered10, covered15, total):
    return {"10": {"covered_population": covered10, "share": round(covered10 / total, 6)},
            "15": {"covered_population": covered15, "share": round(covered15 / total, 6)}}


def division(code, covered10, covered15, total):
    return {"region_code": code, "total_population": total, "minutes": cell(covered10, covered15, total)}


def run(region, rows, finished, status=CircleRun.Status.DONE, speed=DEFAULT_SPEED_KMH):
    return CircleRun.objects.create(region_id=region, minutes=[10, 15], speed_kmh=speed, data_version="v",
                                    status=status, result={"divisions": rows}, finished_at=finished)


@pytest.fixture
def world(db):
    city = Region.objects.create(code=CITY, name="市", level="city")
    county = Region.objects.create(code=COUNTY, name="县", level="county", parent=city)
    town = Region.objects.create(code=TOWN, name="镇", level="township", parent=county)
    Region.objects.create(code=VILLAGE, name="村", level="community", parent=town)
    Region.objects.create(code=OTHER, name="另一县", level="county", parent=city)
    now = timezone.now()
    # The county's analyses: an older one, the latest, one still running and one at another speed.
    run(COUNTY, [division(COUNTY, 100, 100, 1000)], now - datetime.timedelta(days=30))
    run(COUNTY, [division(COUNTY, 250, 600, 1000), division(TOWN, 200, 300, 400), division(VILLAGE, 50, 80, 100)],
        now - datetime.timedelta(days=1))
    run(COUNTY, [division(COUNTY, 999, 999, 1000)], None, status=CircleRun.Status.RUNNING)
    run(COUNTY, [division(COUNTY, 1000, 1000, 1000)], now, speed=3.0)
    # The village analysed on its own later: its own figure wins for it, never for the county above.
    run(VILLAGE, [division(VILLAGE, 90, 100, 100), division(TOWN, 90, 100, 100)], now)
    # The city, analysed earlier, with the other county in it.
    run(CITY, [division(CITY, 600, 1500, 3000), division(COUNTY, 1, 1, 1000), division(OTHER, 350, 900, 2000)],
        now - datetime.timedelta(days=60))


def test_each_division_reads_its_nearest_latest_analysis(world):
    codes = [CITY, COUNTY, TOWN, VILLAGE, OTHER, "419903000000"]
    ten = indicators.compute("walk_10_minute_share", codes, AS_OF)
    fifteen = indicators.compute("walk_15_minute_share", codes, AS_OF)
    # By hand: city 600/3000; county 250/1000 (its own latest, not the city's 1/1000); town 200/400
    # (the county's run: the village's run holds only part of it); village 90/100 (its own);
    # the other county 350/2000 (the city's run); a county never analysed: no figure.
    assert ten == {CITY: Decimal("20.0"), COUNTY: Decimal("25.0"), TOWN: Decimal("50.0"), VILLAGE: Decimal("90.0"),
                   OTHER: Decimal("17.5"), "419903000000": None}
    assert fifteen == {CITY: Decimal("50.0"), COUNTY: Decimal("60.0"), TOWN: Decimal("75.0"),
                       VILLAGE: Decimal("100.0"), OTHER: Decimal("45.0"), "419903000000": None}


def test_queries_do_not_grow_with_the_divisions(world):
    found = indicators.get("walk_10_minute_share")
    with CaptureQueriesContext(connection) as one:
        found.compute([COUNTY], AS_OF)
    with CaptureQueriesContext(connection) as many:
        found.compute([CITY, COUNTY, TOWN, VILLAGE, OTHER], AS_OF)
    assert len(one) == len(many) <= 2
