"""The demo step "plans, targets and task tables" (quanmin/demo/planning.py): the demo city's own plan
is seed 000, the other seed plans sit beside it, its departments' staff have reported, and the
city's targets have a year of history."""

import random

import pytest

from quanmin.accounts import crypto
from quanmin.accounts.models import User
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import planning as demo
from quanmin.planning.models import IndicatorSnapshot, Plan, TaskEntry
from quanmin.planning.services import tasks
from tests.conftest import small_city


@pytest.mark.django_db
def test_demo_city_has_its_plan():
    city = small_city(streets=2, villages=True)
    accounts_demo.load(city, random.Random(3715))
    demo.load(city, random.Random(3715))
    demo.load(city, random.Random(3715))  # load_demo may run again over the same database
    own = Plan.objects.get(division_code=city.code)
    assert own.title == "聊城市全民健身三年行动实施方案"
    assert (own.targets.count(), own.tasks.count()) == (29, 16 + 1)  # the joint meeting's decision
    assert Plan.objects.count() == 5
    assert TaskEntry.objects.filter(kind="report").count() == 4
    assert TaskEntry.objects.filter(kind="review", decision="accepted").count() == 1
    assert len(demo.describe()) == 2
    assert own.meetings.count() == 1 and own.meetings.get().decisions.get().task.plan == own
    lead = User.objects.get(phone_hash=crypto.lookup_hash(demo.STAFF[0][0]))
    assert 0 < tasks.overdue_for(lead).count() < 17  # it leads all 16 tasks and the meeting's decision
    # Twelve month ends and today; the facilities register keeps no history: today's only.
    assert IndicatorSnapshot.objects.filter(indicator="instructors_per_10000", division_code=city.code).count() == 13
    assert IndicatorSnapshot.objects.filter(indicator="grounds", division_code=city.code).count() == 1
