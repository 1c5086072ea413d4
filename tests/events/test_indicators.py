"""The events' indicators for many divisions at once, in a few queries, and the figures page."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quanmin.core import indicators
from quanmin.events import services, services_entries
from quanmin.events.models import Games

from .conftest import CHECKLIST, at, residents


def _held(world, region, name, *, sports=1, days=1, **extra):
    su = world.users["superuser"]
    games = services.create_games(su, {"name": name, "organizer": "体育局", **CHECKLIST, **extra}, region=region,
                                  year=timezone.localdate().year)
    for i in range(sports):
        services.add_competition(su, games, {"sport": ["athletics", "swimming", "basketball", "football", "volleyball",
                                                        "table_tennis", "badminton", "tennis", "taiji"][i],
                                             "name": f"项目{i}", "capacity": 50, "residents_only": False,
                                             "starts_at": at(1 + days * i // max(sports - 1, 1)),
                                             "ends_at": at(1 + days * i // max(sports - 1, 1), 17), "closes_at": at(1, 0)})
    services.publish(su, games)
    return games


def test_indicators_for_a_whole_tree(world):
    year = timezone.localdate().year
    county_games = _held(world, world.county, "区运会", sports=8, days=130, brand=True, target_groups=["elderly"])
    _held(world, world.other_county, "县运会", sports=8, days=30)  # too short
    for n in range(3):
        _held(world, world.township, f"街道活动{n}", association="篮球协会" if n == 0 else "")
    _held(world, world.community, "东关社区运动会")
    person = residents(world, 1)[0]
    services_entries.enter(person, county_games.competitions.first().pk)
    codes = [world.city.code, world.county.code, world.other_county.code, world.township.code]
    as_of = datetime.date(year, 12, 31)
    with CaptureQueriesContext(connection) as queries:
        values = indicators.compute_many(["games_meeting_level_rule", "townships_with_three_activities",
                                          "communities_with_games", "brand_events", "mass_events",
                                          "target_group_events", "association_events", "participants_per_10000"],
                                         codes, as_of)
    assert len(queries) <= 14
    assert values["games_meeting_level_rule"][world.county.code] == 100
    assert values["games_meeting_level_rule"][world.other_county.code] == 0
    assert values["games_meeting_level_rule"][world.city.code] == 50
    assert values["townships_with_three_activities"][world.county.code] == 100
    assert values["townships_with_three_activities"][world.city.code] == 50
    assert values["communities_with_games"][world.county.code] == 100
    assert values["communities_with_games"][world.other_county.code] == 0
    assert values["mass_events"][world.city.code] == 6 and values["brand_events"][world.city.code] == 1
    assert values["target_group_events"][world.county.code] == 1
    assert values["association_events"][world.township.code] == 1
    assert values["participants_per_10000"][world.county.code] == Decimal("0.01")


def test_figures_page_and_excel(world, client_for):
    _held(world, world.community, "东关社区运动会")
    client = client_for("county")
    page = client.get(reverse("events:figures") + f"?code={world.county.code}").content.decode()
    assert "古楼街道" in page
    assert client.get(reverse("events:figures_xlsx") + f"?code={world.county.code}").status_code == 200
    assert client_for("other_county").get(reverse("events:figures") + f"?code={world.county.code}").status_code == 404
    city_page = client_for("city").get(reverse("events:figures"), headers={"Accept-Language": "en"}).content.decode()
    assert city_page.count("never held") == 2  # neither county held a county games: both overdue
    api = client.get(f"/api/v1/events/staff/figures?code={world.county.code}&year={timezone.localdate().year}")
    assert api.status_code == 200 and api.json()["without_games"] == []
    assert Games.objects.count() == 1
