import datetime

import pytest

from quanmin.accounts import services as accounts
from quanmin.accounts.models import Role
from quanmin.facilities import services as fs
from tests.conftest import make_user

EVERY_DAY = [{"weekday": d, "opens": datetime.time(8), "closes": datetime.time(21)} for d in range(8)]
CLERK_ALL = {"hours_posted": "1", "fitness_day_free": "1", "closure_notice": "1", "certified_notice": "1",
             "certificate_entry": "1", "certified_register": "1"}


@pytest.fixture
def venues(world):
    """World's two government venues (东关社区文体广场 in 东昌府区, 新华社区健身广场 in 茌平区) open 08:00-21:00
    every day, and a community-owned fitness point beside the first (not publicly funded)."""
    fs.set_opening_rules(world.site, EVERY_DAY)
    fs.set_opening_rules(world.other_site, EVERY_DAY)
    world.community_point = fs.create_site({"name": "东关小区健身点", "lon": 115.99, "lat": 36.46, "region": world.community,
                                            "owner_kind": "community"})
    fs.add_facility(world.community_point, {"type": "fitness_path", "area_m2": "100"})
    return world


@pytest.fixture
def operator(world):
    """The operator of 东关社区文体广场 (world.site)."""
    user = make_user("13700000031", "场馆运营", seq=31)
    accounts.grant_membership(user, Role.OPERATOR, world.community, world.site)
    return user
