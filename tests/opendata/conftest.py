"""Open data's world: the shared world plus every kind of thing the feeds publish — a guidance
station's regular sessions, a sports group's weekly activity, and a published games with a
competition at the county's site."""

import datetime

import pytest
from django.utils import timezone


def _at(days: int, hour: int = 9):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def feeds_world(world):
    from quanmin.events import services as events
    from quanmin.organizations import credit, memberships
    from quanmin.organizations import services as orgs
    from quanmin.people import stations

    su = world.users["superuser"]
    station = stations.save_station({"name": "东关社区健身指导站", "site": world.site.pk, "region": world.community.code,
                                     "sports": ["taiji", "square_dance"], "times": "每天 6:30-8:00"}, by=su)
    stations.add_session(station, weekday=timezone.localdate().weekday(), start=datetime.time(7),
                         end=datetime.time(8), capacity=30, by=su)
    group = orgs.register({"name": "东关门球队", "kind": "fitness_point", "status": "registered", "region": world.community,
                           "credit_code": credit.make("5", "371502", 31), "sports": ["gateball"],
                           "join_policy": "open"}, actor=su)
    activity = memberships.add_activity(group, facility_id=world.facility.pk, title="周六门球", weekday=5,
                                        start=datetime.time(9), end=datetime.time(11), places=12, actor=su)
    games = events.create_games(su, {"name": "东昌府区第五届全民健身运动会", "organizer": "东昌府区体育局",
                                     "venue_capacity_checked": True, "medical_cover": True, "insurance": True,
                                     "emergency_plan": True, "organizer_responsible": "甲",
                                     "operator_responsible": "乙", "authority_responsible": "丙"},
                                region=world.county)
    competition = events.add_competition(su, games, {
        "sport": "square_dance", "name": "广场舞比赛", "capacity": 40, "residents_only": False, "entries": "both",
        "starts_at": _at(30), "ends_at": _at(30, 12), "closes_at": _at(20), "site": world.site.pk})
    events.publish(su, games)
    world.station, world.group, world.activity = station, group, activity
    world.games, world.competition = games, competition
    return world
