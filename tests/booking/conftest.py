import datetime

import pytest
from django.utils import timezone

from quanmin.booking import schedule, services
from quanmin.booking.models import WeeklyTemplate


@pytest.fixture(autouse=True)
def quiet_notifications(settings):
    settings.NOTIFY_BACKENDS = ["quanmin.accounts.notify.InAppBackend"]


def at(day_offset: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=day_offset)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def court(world):
    """A basketball court booked in hourly slots, every day 08:00-21:00, 20 yuan, benefit 08-10 free."""
    unit = services.create_unit(world.facility, name="1号篮球场", kind="slot", payment_provider="on_site")
    for weekday in range(8):
        for hour in range(8, 21):
            WeeklyTemplate.objects.create(unit=unit, weekday=weekday, start=datetime.time(hour), end=datetime.time(hour + 1),
                                          capacity=1, price=0 if hour < 10 else 20, benefit=hour < 10)
    schedule.generate_slots(unit)
    return unit


@pytest.fixture
def pool(world):
    """A swimming session space: two sessions a day with 120 places, 15 yuan."""
    unit = services.create_unit(world.facility, name="游泳馆", kind="session", payment_provider="simulated")
    for weekday in range(8):
        WeeklyTemplate.objects.create(unit=unit, weekday=weekday, start=datetime.time(14), end=datetime.time(16),
                                      capacity=120, price=15)
        WeeklyTemplate.objects.create(unit=unit, weekday=weekday, start=datetime.time(19), end=datetime.time(21),
                                      capacity=3, price=15)
    schedule.generate_slots(unit)
    return unit


def slot_at(unit, start):
    return unit.slots.get(start=start)
