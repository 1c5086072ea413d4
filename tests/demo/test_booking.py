"""The demo step "online booking" (quanmin/demo/booking.py) on a small demo city: two districts × 4
townships × 8 communities with the accounts and facilities demos, as load_demo runs them."""

import random

import pytest
from django.db.models import Sum

from quanmin.accounts.models import Membership
from quanmin.booking import figures, tasks
from quanmin.booking.models import BookableUnit, Booking, Certificate, Slot, Strike
from quanmin.demo import accounts as accounts_demo
from quanmin.demo import booking as demo
from quanmin.demo import facilities as facilities_demo
from tests.conftest import small_city


@pytest.fixture
def demo_city(db):
    """Two districts × 4 townships × 8 communities with the facilities and people demos, then booking's."""
    root = small_city(streets=2, villages=False)
    rng = random.Random(3715)
    accounts_demo.load(root, rng)
    facilities_demo.load(root, rng)
    return root


def test_demo_loads_believable_consistent_history_once(demo_city):
    out = demo.load(demo_city, random.Random(3715))
    assert out["units"] > 5 and out["bookings"] > 100
    units = BookableUnit.objects.all()
    assert all(u.region_id[:6] in demo.MAIN_COUNTIES for u in units)
    assert {u.site.owner_kind for u in units} <= {"government", "school"} and units.filter(kind="session").exists()
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert {"checked_in", "no_show", "cancelled", "confirmed"} <= statuses
    assert Booking.objects.filter(channel="walk_in").exists() and Booking.objects.filter(channel="block").exists()
    assert Slot.objects.filter(benefit=True, bookings__status="checked_in").exists()
    assert Strike.objects.count() == Booking.objects.filter(status="no_show").count()
    # Places taken agree with the bookings; nothing over capacity.
    for slot in Slot.objects.filter(taken__gt=0).order_by("?")[:50]:
        held = slot.bookings.filter(status__in=["confirmed", "checked_in", "no_show"]).aggregate(n=Sum("places"))["n"]
        assert slot.taken == held <= slot.capacity
    # The slots are what the weekly times make: the periodic generation finds nothing to add or remove.
    assert tasks.generate_slots.call()["created"] == 0
    assert Membership.objects.filter(role="operator").count() == 2 and Certificate.objects.filter(status="pending").exists()
    assert demo.load(demo_city, random.Random(3715)) == {"units": 0}
    f = figures.division_figures(demo_city, *figures.default_period()).figures
    assert 0 < f.bookable_share < 1 and 0 < f.utilisation < 1 and 0 < f.no_show_rate < 0.2
