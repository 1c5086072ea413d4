"""The events' indicators for many divisions at once, in a few queries, and the figures page."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quanmin.core import indicators
from quanmin.events import indicators as events_indicators
from quanmin.events import services, services_entries
from quanmin.events.models import Games

from .conftest import CHECKLIST, at, residents

SPORTS = ["athletics", "swimming", "basketball", "football", "volleyball", "table_tennis", "badminton", "tennis",
          "taiji", "qigong", "wushu", "cycling", "square_dance", "rope_skipping", "tug_of_war", "gateball"]


def _held(world, region, name, *, sports=1, days=1, **extra):
    su = world.users["superuser"]
    games = services.create_games(su, {"name": name, "organizer": "体育局", **CHECKLIST, **extra}, region=region,
                                  year=timezone.localdate().year)
    for i in range(sports):
        services.add_competition(su, games, {"sport": SPORTS[i],
                                             "name": f"项目{i}", "capacity": 50, "residents_only": False,
                                             "starts_at": at(1 + days * i // max(sports - 1, 1)),
                                             "ends_at": at(1 + days * i // max(sports - 1, 1), 17), "closes_at": at(1, 0)})
    services.publish(su, games)
    return games


def test_indicators_for_a_whole_tree(world):
    year = timezone.localdate().year
    _held(world, world.city, "市运会", sports=15, days=100)  # enough sports, too short
    county_games = _held(world, world.county, "区运会", sports=8, days=130, brand=True, target_groups=["elderly"])
    _held(world, world.other_county, "县运会", sports=8, days=30)  # too short
    for n in range(3):
        _held(world, world.township, f"街道活动{n}", association="篮球协会" if n == 0 else "")
    _held(world, world.community, "东关社区运动会")
    _held(world, world.other_community, "新华社区拔河比赛", kind="event")  # one event is not a community games
    person = residents(world, 1)[0]
    services_entries.enter(person, county_games.competitions.first().pk)
    codes = [world.city.code, world.county.code, world.other_county.code, world.township.code]
    as_of = datetime.date(year, 12, 31)
    keys = ["games_meeting_level_rule", "city_games_sports_rule", "city_games_span_rule", "county_games_sports_rule",
            "county_games_span_rule", "townships_with_three_activities", "communities_with_games", "brand_events",
            "mass_events", "target_group_events", "association_events", "participants_per_10000", "person_times",
            "community_games_held"]
    with CaptureQueriesContext(connection) as queries:
        values = indicators.compute_many(keys, codes, as_of)
    assert len(queries) <= 18
    # A division's level rule counts its own level's games: the city its city games only.
    assert values["games_meeting_level_rule"][world.county.code] == 100
    assert values["games_meeting_level_rule"][world.other_county.code] == 0
    assert values["games_meeting_level_rule"][world.city.code] == 0
    # Sports and span are two figures, so T0-12 and T0-13 can differ.
    assert values["city_games_sports_rule"][world.city.code] == 100
    assert values["city_games_span_rule"][world.city.code] == 0
    assert values["county_games_sports_rule"][world.other_county.code] == 100
    assert values["county_games_span_rule"][world.other_county.code] == 0
    assert values["county_games_span_rule"][world.county.code] == 100
    assert values["county_games_span_rule"][world.city.code] == 50  # one county games of two
    assert values["county_games_sports_rule"][world.township.code] is None  # not a level it answers
    assert values["townships_with_three_activities"][world.county.code] == 100
    assert values["townships_with_three_activities"][world.city.code] == 50
    assert values["communities_with_games"][world.county.code] == 100
    assert values["communities_with_games"][world.other_county.code] == 0
    assert values["communities_with_games"][world.city.code] == 50
    assert values["community_games_held"][world.city.code] == 1 == values["community_games_held"][world.county.code]
    assert values["community_games_held"][world.other_county.code] == 0
    assert values["mass_events"][world.city.code] == 8 and values["brand_events"][world.city.code] == 1
    assert values["target_group_events"][world.county.code] == 1
    assert values["association_events"][world.township.code] == 1
    assert values["participants_per_10000"][world.county.code] == Decimal("0.01")
    assert values["person_times"][world.county.code] == 1 and values["person_times"][world.other_county.code] == 0


def test_team_members_count_as_participants_and_person_times(world, ev):
    a, b, c, d = residents(world, 4)
    services_entries.enter(a, ev.sprint.pk)
    services_entries.enter(a, ev.team.pk, team_name="东关队", members=[b, c])  # a captains: counted once
    services_entries.enter(d, ev.team.pk, team_name="西关队", members=[world.users["resident"]])
    as_of = datetime.date(timezone.localdate().year, 12, 31)
    here = [world.community.code, world.county.code, world.city.code]
    values = indicators.compute_many(["participants_per_10000", "person_times"], here, as_of)
    # a, b, c, d and the resident: five people in 8,000 residents; the sprint once and five team places
    assert values["participants_per_10000"][world.community.code] == Decimal("6.25")
    assert values["person_times"][world.community.code] == 6 == values["person_times"][world.city.code]
    found = events_indicators.person_times_by(world.county.prefix, as_of.year)
    assert found["total"] == 6 and sum(found["by_sex"].values()) == sum(found["by_age"].values()) == 6
    assert found["by_sex"]["male"] >= 5


def test_figures_page_and_excel(world, client_for):
    _held(world, world.community, "东关社区运动会")
    client = client_for("county")
    page = client.get(reverse("events:figures") + f"?code={world.county.code}").content.decode()
    assert "古楼街道" in page
    assert client.get(reverse("events:figures_xlsx") + f"?code={world.county.code}").status_code == 200
    assert client_for("other_county").get(reverse("events:figures") + f"?code={world.county.code}").status_code == 404
    city_page = client_for("city").get(reverse("events:figures"), headers={"Accept-Language": "en"}).content.decode()
    assert city_page.count("never held") == 2  # neither county held a county games: both overdue
    assert "Person-times by sex and age" in city_page
    api = client.get(f"/api/v1/events/staff/figures?code={world.county.code}&year={timezone.localdate().year}")
    assert api.status_code == 200 and api.json()["without_games"] == []
    assert api.json()["person_times_by_sex"] == {} and "person_times" in api.json()["keys"]
    assert Games.objects.count() == 1
