"""Fifty clients at once, as threads and as separate processes, on whichever database runs the suite.

Exactly the capacity succeeds, everyone else gets `slot_full`, the database never holds more than
the places, and no lock or deadlock error reaches anybody.

A race test: it runs in both passes of .ci/run, and the PostgreSQL pass is the one that bites. SQLite
serialises writers, so a read-then-write capacity bug passes there; on PostgreSQL such a bug let 15
of 50 bookings onto a one-place slot.
"""

import datetime

import pytest
from django.db.models import Sum
from django.utils import timezone

from quanmin.accounts import services as accounts
from quanmin.booking import schedule, services, services_console
from quanmin.booking.errors import BookingError
from quanmin.booking.models import Booking, Slot, WeeklyTemplate
from quanmin.demo.accounts import make_id_number
from tests import races

CLIENTS = 50
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.race]


def _people(world, n):
    return [accounts.create_user(phone=f"1360000{i:04d}", password=None, real_name=f"居民{i}",
                                 id_number=make_id_number(world.community.code, "19900101", 100 + i, True),
                                 home_region=world.community).pk for i in range(n)]


def _unit(world, capacity):
    unit = services.create_unit(world.facility, name=f"unit-{capacity}", kind="session" if capacity > 1 else "slot",
                                payment_provider="on_site", max_open_per_user=50, max_per_day=50)
    for weekday in range(8):
        WeeklyTemplate.objects.create(unit=unit, weekday=weekday, start=datetime.time(18), end=datetime.time(19),
                                      capacity=capacity, price=10)
    schedule.generate_slots(unit)
    return unit


def _attempt(user_id, slot_id, client_key=""):
    """One client's booking; returns 'ok', an error code, or the unexpected exception's name."""
    from quanmin.accounts.models import User

    return races.outcome(lambda: services.book(User.objects.get(pk=user_id), slot_id, client_key=client_key),
                         BookingError)


def _assert_capacity(slot_id, capacity, results):
    assert sorted(set(results) - {"ok"}) in ([], ["slot_full"]), results
    assert results.count("ok") == capacity
    slot = Slot.objects.get(pk=slot_id)
    active = Booking.objects.filter(slot=slot, status__in=["held", "confirmed", "checked_in"])
    assert (active.aggregate(p=Sum("places"))["p"] or 0) == slot.taken == capacity


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_fifty_clients_one_court_slot(world, runner):
    unit = _unit(world, 1)
    slot = unit.slots.order_by("start").last()
    people = _people(world, CLIENTS)
    results = races.RUNNERS[runner](_attempt, [(p, slot.pk) for p in people])
    _assert_capacity(slot.pk, 1, results)


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_fifty_clients_last_places_of_a_session_with_holds_expiring(world, runner):
    unit = _unit(world, 5)
    # The day before the last: inside the booking window of the holds made half an hour ago, even
    # when midnight fell in that half hour (the last day was a day too far, 00:00-00:30).
    slot = unit.slots.order_by("-start")[1]
    people = _people(world, CLIENTS + 2)
    # Two holds that ran out a moment ago: their places must be freed exactly once during the race.
    for p in people[:2]:
        from quanmin.accounts.models import User

        services.hold(User.objects.get(pk=p), slot.pk, now=timezone.now() - datetime.timedelta(minutes=30))
    Slot.objects.filter(pk=slot.pk).update(taken=5)  # …and three confirmed elsewhere: 0 free unless holds expire
    Booking.objects.bulk_create([Booking(slot=slot, user_id=people[0], status="confirmed", channel="walk_in", places=3)])
    results = races.RUNNERS[runner](_attempt, [(p, slot.pk) for p in people[2:]])
    assert results.count("ok") == 2
    slot.refresh_from_db()
    assert slot.taken == 5
    assert Booking.objects.filter(slot=slot, status="expired").count() == 2


@pytest.mark.parametrize("runner", races.RUNNERS)
def test_retried_requests_with_one_client_key_book_once(world, runner):
    unit = _unit(world, 20)
    slot = unit.slots.order_by("start").last()
    person = _people(world, 1)[0]
    results = races.RUNNERS[runner](_attempt, [(person, slot.pk, "retry-key-1")] * CLIENTS)
    assert set(results) == {"ok"}
    assert Booking.objects.filter(user_id=person).count() == 1
    slot.refresh_from_db()
    assert slot.taken == 1


def _block(staff_id, unit_id, weekday, first, last):
    from quanmin.accounts.models import User
    from quanmin.booking.models import BookableUnit

    return races.outcome(lambda: services_console.block_book(
        User.objects.get(pk=staff_id), BookableUnit.objects.get(pk=unit_id), weekday=weekday, start=datetime.time(18),
        first_day=first, last_day=last, label=f"club {staff_id}"), BookingError)


def test_overlapping_block_bookings(world):
    unit = _unit(world, 1)
    first = timezone.localdate() + datetime.timedelta(days=1)
    last = first + datetime.timedelta(days=14)
    staff = world.users["county"].pk
    # Half the clubs ask for weeks 1-2, half for weeks 2-3 of the same weekday: they overlap.
    weeks = [datetime.timedelta(days=7 * (i % 2)) for i in range(20)]
    results = races.run_threads(_block, [(staff, unit.pk, first.weekday(), first + w, last + w) for w in weeks])
    assert results.count("ok") == 1 and set(results) == {"ok", "slot_full"}
    for slot in unit.slots.all():
        assert slot.taken <= slot.capacity
