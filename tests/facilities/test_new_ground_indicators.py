"""The plans' new-ground targets by kind of ground (G12), the fitness-path pieces laid since the
plan began, and the grounds with smart equipment: each against a hand count on the small world."""

import datetime
from decimal import Decimal

import pytest

from quanmin.core import indicators
from quanmin.facilities import equipment_services as es
from quanmin.facilities import services as fs

AS_OF = datetime.date(2026, 6, 30)


@pytest.fixture
def built(world, settings):
    """The city's plan began in 2021. 东昌府区: two basketball courts (2022, 2019), a badminton
    court (2023), a lit basketball court (2021), a 5-a-side pitch and a fitness centre (2024), a
    smart station; 茌平区: a multi-sport court (2022) and a fitness path with pieces laid in 2020,
    2022 and after the date, and one with no date."""
    settings.QUANMIN_FIGURE_TARGETS = {"3715": {"plan": "计划", "since": "2021-01-01", "targets": []}}

    def add(site, kind, year, **extra):
        return fs.add_facility(site, {"type": kind, "area_m2": "400", "year_built": year, **extra})

    for kind, year in (("basketball", 2022), ("basketball", 2019), ("badminton", 2023), ("basketball_lit", 2021),
                       ("football_5", 2024), ("fitness_centre", 2024)):
        add(world.site, kind, year)
    add(world.site, "smart_station", 2024, smart=True)
    add(world.other_site, "multi_sport_court", 2022)
    path = add(world.other_site, "fitness_path", 2020)
    for day in (datetime.date(2020, 5, 1), datetime.date(2022, 5, 1), datetime.date(2026, 9, 1), None):
        es.create_equipment(facility=path, kind="air_walker", install_date=day)
    return world


def values(key, world):
    return indicators.compute(key, [world.city.code, world.county.code, world.other_county.code,
                                    world.community.code], AS_OF)


def test_new_grounds_by_kind_since_the_plan_began(built):
    w = built
    by_hand = {  # (city, 东昌府区, 茌平区, 东关社区)
        "new_basketball_courts": (1, 1, 0, 1),  # the 2019 court is older than the plan
        "new_badminton_courts": (1, 1, 0, 1),
        "new_multi_sport_courts": (2, 1, 1, 1),  # the lit court and the multi-sport court
        "new_ball_grounds": (1, 1, 0, 1),  # the 5-a-side pitch
        "new_fitness_venues": (3, 2, 1, 2),  # the pitch, the centre, the multi-sport court
        "new_path_equipment": (1, 0, 1, 0),  # 2022 only: 2020 is before the plan, one after the date, one undated
        "smart_facilities": (1, 1, 0, 1),
    }
    for key, expected in by_hand.items():
        found = values(key, w)
        assert list(found.values()) == [Decimal(n) for n in expected], key


def test_no_plan_no_figure(built, settings):
    settings.QUANMIN_FIGURE_TARGETS = {"4101": {"plan": "另一计划", "since": "2021-01-01", "targets": []}}
    assert set(values("new_badminton_courts", built).values()) == {None}
    assert set(values("new_path_equipment", built).values()) == {None}
