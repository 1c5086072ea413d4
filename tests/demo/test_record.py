"""The demo step "the demo resident's year of exercise" (quanmin/demo/record.py): 赵丽's record on a
small demo city with the steps before it, as load_demo runs them, then the points step."""

import random

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts.models import User
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import booking as booking_demo
from quanmin.demo import events as events_demo
from quanmin.demo import facilities as facilities_demo
from quanmin.demo import incentives as incentives_demo
from quanmin.demo import organizations as organizations_demo
from quanmin.demo import people as people_demo
from quanmin.demo import physique as physique_demo
from quanmin.demo import record as demo
from quanmin.demo import sportmed as sportmed_demo
from quanmin.demo.management.commands import load_demo
from quanmin.web import record
from tests.conftest import small_city


@pytest.fixture
def demo_city(db):
    root = small_city(streets=2, villages=True)
    rng = random.Random(3715)
    for step in (accounts_demo.load, facilities_demo.load, booking_demo.load):
        step(root, rng)
    physique_demo.load(root, rng, results=200)
    sportmed_demo.load(root, rng, referrals=3)
    people_demo.load(root, rng, instructors=300, stations=20)
    organizations_demo.load(root, rng, community_groups=40)
    events_demo.load(root, rng)
    return root


def test_the_demo_resident_has_a_believable_year(demo_city):
    out = demo.load(demo_city, random.Random(3715))
    assert out["record_visits"] >= 20 and out["record_guided"] == 8 and out["record_games"] == 1
    incentives_demo.load(demo_city, random.Random(3715))
    her = User.objects.get(phone_hash=crypto.lookup_hash(demo.RESIDENT_PHONE))
    found = record.build(her)
    kinds = {line.kind for line in found.lines}
    assert {"test", "prescription", "standard", "referral", "visit", "guided", "entry", "group"} <= kinds
    assert len(found.years) == 2  # last year's games and this year's tests
    this_year = found.years[0]
    assert this_year.year == timezone.localdate().year and this_year.counts["test"] >= 1 and this_year.hours > 10
    assert any(line.change for line in found.lines if line.kind == "test")  # her trend between tests
    assert this_year.points_earned > 0 and any(line.points for line in found.lines if line.kind == "visit")
    # A second run adds nothing.
    assert demo.load(demo_city, random.Random(3715)) == {"record_lines": 0}
    client = Client()
    client.force_login(her)
    assert "赵丽" in client.get(reverse("web:my_record")).content.decode()


def test_the_step_runs_after_the_games_and_before_the_points():
    labels = [step for _label, step in load_demo._steps()]
    assert labels.index(events_demo.load) < labels.index(demo.load) < labels.index(incentives_demo.load)
