"""The inclusive indicators against figures counted by hand: six institutions, five fittings, four
activities, in two counties."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quanmin.core import indicators
from quanmin.inclusive import services

SHARES = ("elderly_care_equipped_share", "rehab_centres_equipped_share", "preschool_places_equipped_share",
          "ethnic_villages_equipped_share")
COUNTS = ("elderly_activities", "preschool_activities", "disabled_activities", "ethnic_activities")
AS_OF = datetime.date(2026, 6, 30)


@pytest.fixture
def register(world):
    """County (东昌府区): care home A (elderly equipment 2025-05), elderly centre B (rehab equipment only,
    2026-03), rehab centre C (barrier-free only), kindergarten D (nothing). Other county: ethnic village
    E (basketball 2026-07, after AS_OF), care home F (elderly equipment 2024)."""
    county, other = world.users["county"], world.users["other_county"]

    def inst(user, where, name, kind, **extra):
        return services.save_institution(user, {"region": where.code, "name": name, "kind": kind, **extra})

    def fit(user, found, kind, on):
        services.record_fitting(user, found, {"kind": kind, "fitted_on": on, "pieces": 3})

    a = inst(county, world.community, "东关日间照料中心", "elderly_care")
    b = inst(county, world.township, "古楼街道养老中心", "elderly_centre")
    c = inst(county, world.county, "东昌府区残疾人康复中心", "rehab_centre")
    inst(county, world.community, "东关幼儿园", "preschool")
    e = inst(other, world.other_township, "振兴回族村", "ethnic_village", ethnic_group="回族")
    f = inst(other, world.other_community, "新华幸福院", "elderly_care")
    fit(county, a, "elderly_equipment", "2025-05-01")
    fit(county, b, "rehab_equipment", "2026-03-01")
    fit(county, c, "barrier_free", "2026-01-01")
    fit(other, e, "outdoor_basketball", "2026-07-15")
    fit(other, f, "elderly_equipment", "2024-09-01")

    def act(user, where, group, on, n, programme="other"):
        services.record_activity(user, {"region": where.code, "group": group, "programme": programme, "title": "活动",
                                        "held_on": on, "participants": n})
    act(county, world.community, "elderly", "2026-05-01", 80, "changqing_kele")
    act(county, world.township, "elderly", "2025-07-01", 50)  # in the 365 days up to AS_OF
    act(county, world.township, "elderly", "2025-06-30", 40)  # one day too early
    act(other, world.other_township, "ethnic", "2026-02-01", 200, "ethnic_feature")


def test_shares_and_counts_by_hand(world, register):
    codes = [world.city.code, world.county.code, world.township.code, world.other_county.code]
    found = indicators.compute_many(SHARES + COUNTS, codes, AS_OF)
    city, county, town, other = codes
    # elderly: A, B in the county (A equipped), F in the other (equipped) → city 2 of 3
    assert found["elderly_care_equipped_share"] == {city: Decimal("66.7"), county: Decimal("50.0"),
                                                    town: Decimal("50.0"), other: Decimal("100.0")}
    # rehab: B (equipped), C (barrier-free only) → 1 of 2; none in the other county
    assert found["rehab_centres_equipped_share"] == {city: Decimal("50.0"), county: Decimal("50.0"),
                                                     town: Decimal("100.0"), other: None}
    assert found["preschool_places_equipped_share"] == {city: Decimal("0.0"), county: Decimal("0.0"),
                                                        town: Decimal("0.0"), other: None}
    # ethnic: E's basketball court comes after AS_OF
    assert found["ethnic_villages_equipped_share"][other] == Decimal("0.0")
    assert indicators.compute("ethnic_villages_equipped_share", [other], datetime.date(2026, 7, 15))[other] == 100
    assert found["elderly_activities"] == {city: 2, county: 2, town: 2, other: 0}
    assert found["ethnic_activities"] == {city: 1, county: 0, town: 0, other: 1}
    assert found["disabled_activities"][city] == 0 and found["preschool_activities"][city] == 0


def test_fitted_later_is_not_counted_earlier(world, register):
    found = indicators.compute("rehab_centres_equipped_share", [world.county.code], datetime.date(2026, 2, 1))
    assert found[world.county.code] == Decimal("0.0")


def test_one_query_per_indicator_whatever_the_number_of_divisions(world, register):
    few = [world.city.code]
    many = [world.city.code, world.county.code, world.township.code, world.community.code, world.other_county.code,
            world.other_township.code, world.other_community.code]
    for key in SHARES + COUNTS:
        with CaptureQueriesContext(connection) as small:
            indicators.compute(key, few, AS_OF)
        with CaptureQueriesContext(connection) as large:
            indicators.compute(key, many, AS_OF)
        assert len(small) == len(large) == 1, key
    with CaptureQueriesContext(connection) as batch:
        indicators.compute_many(SHARES + COUNTS, many, AS_OF)
    assert len(batch) == 2
