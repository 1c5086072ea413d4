"""A county games of the world's 东昌府区: three competitions, two delegations with leaders, a judge."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from quanmin.accounts import services as accounts
from quanmin.accounts.models import Role
from quanmin.demo.accounts import make_id_number
from quanmin.events import services
from quanmin.events.models import Delegation
from tests.conftest import PASSWORD, make_user

CHECKLIST = {"venue_capacity_checked": True, "medical_cover": True, "insurance": True, "emergency_plan": True,
             "organizer_responsible": "张主任", "operator_responsible": "李经理", "authority_responsible": "王科长"}


def at(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@dataclass
class Setup:
    games: object
    sprint: object
    team: object
    delegated: object
    township: object
    other: object
    leader: object
    judge: object


def make_games(world, *, publish=True, capacity=3):
    county = world.users["county"]
    games = services.create_games(county, {"name": "东昌府区第五届全民健身运动会", "edition": 5, "organizer": "东昌府区体育局",
                                           "operator": "聊城体育产业公司", "target_groups": ["elderly"], **CHECKLIST},
                                  region=world.county)
    sprint = services.add_competition(county, games, {
        "sport": "athletics", "name": "男子100米", "sex": "male", "min_age": 18, "max_age": 60, "capacity": capacity,
        "starts_at": at(10), "ends_at": at(10, 12), "closes_at": at(5), "measure": "time"})
    team = services.add_competition(county, games, {
        "sport": "basketball", "name": "三人篮球", "format": "team", "team_min": 2, "team_max": 3, "capacity": 4,
        "starts_at": at(20), "ends_at": at(20, 17), "closes_at": at(15), "measure": "score"})
    delegated = services.add_competition(county, games, {
        "sport": "tug_of_war", "name": "拔河", "entries": "delegation", "capacity": 10, "delegation_quota": 2,
        "starts_at": at(30), "ends_at": at(30, 12), "closes_at": at(25), "measure": "rank"})
    if publish:
        services.publish(county, games)
    township = Delegation.objects.create(games=games, name="古楼街道代表团", kind="township", region=world.township)
    other = Delegation.objects.create(games=games, name="区直机关代表团", kind="unit", region=world.county)
    leader = make_user("13700000031", "领队", home=world.community, seq=31)
    accounts.grant_membership(leader, Role.DELEGATION_LEADER, world.township, target=township)
    judge = make_user("13700000032", "裁判", home=world.community, seq=32)
    accounts.grant_membership(judge, Role.JUDGE, world.county, target=sprint)
    return Setup(games, sprint, team, delegated, township, other, leader, judge)


@pytest.fixture
def ev(world):
    return make_games(world)


def residents(world, n, *, start=100, birth="19900101", male=True, home=None):
    home = home or world.community
    return [accounts.create_user(phone=f"1380000{start + i:04d}", password=PASSWORD, real_name=f"选手{i}",
                                 id_number=make_id_number(home.code, birth, start + i, male), home_region=home)
            for i in range(n)]


HERE = (36.4575, 115.9855)  # beside 东关社区文体广场 (world.site); 新华社区健身广场 is ~27 km away


def published(world, name, sites, day=10):
    county = world.users["county"]
    games = services.create_games(county, {"name": name, "organizer": "区体育局", **CHECKLIST}, region=world.county)
    for n, site in enumerate(sites):
        services.add_competition(county, games, {"sport": "running", "name": f"健步走{n}", "capacity": 50,
                                                 "starts_at": at(day + n), "ends_at": at(day + n, 12)},
                                 site_id=site.pk)
    services.publish(county, games)
    return games
