"""County games within the four-year cycle (A07) and the share of associations that held an
event in the year, those that held none counted (A18): against a hand count on the small world."""

import datetime
from decimal import Decimal

from quanmin.core import indicators
from quanmin.events.models import Games
from quanmin.organizations.models import Organization

AS_OF = datetime.date(2026, 6, 30)


def games(region, year, level="county", **extra):
    return Games.objects.create(name=f"{region.name}{year}运动会", level=level, region=region, year=year,
                                organizer="体育局", **{"status": "published", **extra})


def test_county_games_within_four_years(world):
    games(world.county, 2023)  # three years back: in the cycle
    games(world.other_county, 2022)  # four years back: overdue
    games(world.other_county, 2026, status="draft")  # not held
    found = indicators.compute("county_games_in_cycle", [world.city.code, world.county.code,
                                                         world.other_county.code], AS_OF)
    assert found == {world.city.code: Decimal("50.0"), world.county.code: Decimal("100.0"),
                     world.other_county.code: Decimal("0.0")}


def test_associations_with_an_event_this_year(world):
    def association(name, region, **extra):
        Organization.objects.create(name=name, kind="association", status="registered", region=region, **extra)

    association("东昌府区篮球协会", world.community)
    association("东昌府区门球协会", world.township)
    association("茌平区太极拳协会", world.other_community)
    Organization.objects.create(name="茌平区体育总会", kind="federation", status="registered", region=world.other_county)
    association("停办的协会", world.community, active=False)
    Organization.objects.create(name="茌平区健身队", kind="fitness_point", status="filed", region=world.other_community)
    games(world.county, 2026, kind="event", association="东昌府区篮球协会")
    games(world.county, 2026, kind="event", association="东昌府区篮球协会")  # twice: one association still
    games(world.other_county, 2025, kind="event", association="茌平区太极拳协会")  # last year's
    games(world.other_county, 2026, kind="event", association="茌平区体育总会")  # a federation's counts too
    found = indicators.compute("associations_with_events", [world.city.code, world.county.code,
                                                            world.other_county.code, world.community.code], AS_OF)
    # By hand: 2 of the 4 active associations and federations; 1 of 2 in 东昌府区; 1 of 2 in 茌平区;
    # 1 of 1 in 东关社区.
    assert found == {world.city.code: Decimal("50.0"), world.county.code: Decimal("50.0"),
                     world.other_county.code: Decimal("50.0"), world.community.code: Decimal("100.0")}
