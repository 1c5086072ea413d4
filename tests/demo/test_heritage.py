"""The demo step "sports tourism and heritage" (quanmin/demo/heritage.py) on a small demo city (东昌府区
and 茌平区, no facilities: the routes keep their named points)."""

import random

import pytest
from django.utils import timezone

from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import heritage as demo
from quanmin.heritage.models import Base, Item, QualityEvent, Route
from tests.conftest import small_city


@pytest.fixture
def demo_city(db):
    root = small_city(streets=4, villages=True)
    rng = random.Random(3715)
    accounts_demo.load(root, rng)
    demo.load(root, rng)
    return root


def test_routes_bases_events_and_collections(demo_city):
    assert set(Route.objects.values_list("name", flat=True)) == {"环东昌湖健步走线路", "聊城古城定向线路"}
    assert Base.objects.get().name == "东昌湖水上运动基地" and QualityEvent.objects.count() == 5
    items = Item.objects.count()
    assert items >= 24 and Item.objects.exclude(on_loan_to="").count() == 3
    phones = Item.objects.exclude(donor_phone_enc="").values_list("donor_phone_enc", flat=True)
    assert phones and all(p.startswith("gAAAAA") for p in phones)  # Fernet tokens, never the number
    found = indicators.compute_many(["tourism_routes", "tourism_bases_provincial", "heritage_items"],
                                    [demo_city.code], timezone.localdate())
    assert (found["tourism_routes"][demo_city.code], found["tourism_bases_provincial"][demo_city.code]) == (2, 1)
    assert found["heritage_items"][demo_city.code] == items
    demo.load(demo_city, random.Random(1))  # a second run adds nothing
    assert Route.objects.count() == 2
