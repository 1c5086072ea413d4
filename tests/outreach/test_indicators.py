"""The outreach indicators against figures counted by hand, in a bounded number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quanmin.core import indicators
from quanmin.outreach import services

from .conftest import lecture_data

KEYS = ("lectures_held", "counties_meeting_lecture_norm", "five_into_township_share", "workplaces_with_exercise",
        "workplace_exercise_share")
AS_OF = datetime.date(2026, 6, 30)


def _at(region, when: str, title: str, **extra):
    return lecture_data(region, starts_at=when, title=title, **extra)


@pytest.fixture
def registers(world, monkeypatch):
    """东昌府区: 4 lectures held in 2026 by 30 June (one at the county, two in 古楼街道, one in 东关社区)
    + one cancelled + one on 1 July + one in 2025; 茌平区: 1. "Five into": 古楼街道 reached (through
    东关社区), 振兴街道 not (its activity was in 2025). Workplaces: 800/500 and 200/50, one inactive."""
    now = timezone.make_aware(datetime.datetime(2026, 6, 30, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: now)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: AS_OF)
    county, other, city = world.users["county"], world.users["other_county"], world.users["city"]
    for region, when, title in ((world.county, "2026-01-10 09:00", "一"), (world.township, "2026-03-10 09:00", "二"),
                                (world.township, "2026-04-10 09:00", "三"), (world.community, "2026-06-30 23:59", "四"),
                                (world.community, "2026-07-01 00:00", "七月"),
                                (world.county, "2025-12-31 23:59", "去年")):
        services.save_lecture(county, _at(region, when, title))
    cancelled = services.save_lecture(county, _at(world.county, "2026-12-01 09:00", "取消"))
    services.cancel_lecture(county, cancelled)
    services.save_lecture(other, _at(world.other_township, "2026-02-01 09:00", "茌平"))
    services.save_lecture(city, _at(world.city, "2026-02-02 09:00", "市级"))
    act = {"setting": "community", "title": "五进", "place": "广场", "participants": 30}
    services.save_activity(county, {**act, "region": world.community.code, "held_on": "2026-05-01"})
    services.save_activity(other, {**act, "region": world.other_township.code, "held_on": "2025-11-01"})
    unit = {"since": "2024-01-01"}
    services.save_workplace(county, {**unit, "region": world.county.code, "name": "区医院", "headcount": 800,
                                     "participants": 500})
    services.save_workplace(other, {**unit, "region": world.other_community.code, "name": "信发集团",
                                    "headcount": 200, "participants": 50})
    services.save_workplace(other, {**unit, "region": world.other_county.code, "name": "停办", "headcount": 100,
                                    "participants": 100, "active": False})


def test_against_a_hand_count(world, registers):
    codes = [world.city.code, world.county.code, world.other_county.code, world.township.code,
             world.other_township.code]
    with CaptureQueriesContext(connection) as queries:
        found = indicators.compute_many(KEYS, codes, AS_OF)
    assert len(queries) <= 10
    city, county, other, township, other_township = codes
    assert found["lectures_held"] == {city: Decimal(6), county: Decimal(4), other: Decimal(1), township: Decimal(3),
                                      other_township: Decimal(1)}
    assert found["counties_meeting_lecture_norm"][city] == Decimal("50.0")
    assert found["counties_meeting_lecture_norm"][county] == Decimal("100.0")
    assert found["counties_meeting_lecture_norm"][other] == Decimal("0.0")
    assert found["five_into_township_share"] == {city: Decimal("50.0"), county: Decimal("100.0"),
                                                 other: Decimal("0.0"), township: Decimal("100.0"),
                                                 other_township: Decimal("0.0")}
    assert found["workplaces_with_exercise"][city] == Decimal(2)
    assert found["workplace_exercise_share"][city] == Decimal("55.0")  # 550 of 1,000
    assert found["workplace_exercise_share"][township] is None


def test_queries_do_not_grow_with_the_divisions(world, registers):
    few = [world.city.code]
    many = [world.city.code, world.county.code, world.other_county.code, world.township.code,
            world.other_township.code, world.community.code]
    counts = []
    for wanted in (few, many):
        with CaptureQueriesContext(connection) as queries:
            indicators.compute_many(KEYS, wanted, AS_OF)
        counts.append(len(queries))
    assert counts[0] == counts[1]
