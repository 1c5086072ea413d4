"""The demo step "venue safety" (quanmin/demo/safety.py) on a small demo city with the accounts and
facilities demos, as load_demo runs them."""

import random

import pytest
from django.utils import timezone

from quanmin.core import indicators
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import facilities as facilities_demo
from quanmin.demo import safety as demo
from quanmin.demo.management.commands import load_demo
from quanmin.safety.models import Hazard, SafetyCheck, VenueSafety
from tests.conftest import small_city


@pytest.fixture
def demo_city(db):
    root = small_city(streets=2, villages=True)
    rng = random.Random(3715)
    accounts_demo.load(root, rng)
    facilities_demo.load(root, rng)
    demo.load(root, rng)
    return root


def test_records_checks_and_hazards_in_every_state(demo_city):
    today = timezone.localdate()
    assert VenueSafety.objects.count() > 10 and SafetyCheck.objects.count() >= 8
    assert {"open", "closed"} <= set(Hazard.objects.values_list("status", flat=True))
    assert all(h.rectified_on is None or h.rectified_on <= today for h in Hazard.objects.all())
    found = indicators.compute_many(["venue_safety_record_share", "hazards_rectified_on_time_share"],
                                    [demo_city.code], today)
    assert 40 <= found["venue_safety_record_share"][demo_city.code] < 100
    on_time = found["hazards_rectified_on_time_share"][demo_city.code]
    assert on_time is None or 0 < on_time <= 100
    checks = SafetyCheck.objects.count()
    demo.load(demo_city, random.Random(1))  # a second run adds nothing
    assert SafetyCheck.objects.count() == checks


def test_the_step_runs_after_booking():
    labels = [label for label, _step in load_demo._steps()]
    assert labels.index("online booking") < labels.index("venue safety")
