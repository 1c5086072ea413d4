"""Periodic work: run-out holds, no-shows, reminders and slot generation, once per tick and idempotent."""

import datetime
import io
import json

from django.core.management import call_command
from django.utils import timezone

from quanmin.booking import services, tasks
from quanmin.booking.models import Booking, Slot, Strike

from .conftest import at, slot_at


def tick(*args) -> dict:
    out = io.StringIO()
    call_command("booking_tick", *args, stdout=out)
    return json.loads(out.getvalue())


def test_booking_tick_does_each_job_once(world, court, django_capture_on_commit_callbacks):
    resident, other = world.users["resident"], world.users["other_resident"]
    now = timezone.now()
    # A hold that ran out an hour ago.
    stale = services.hold(other, slot_at(court, at(2, 12)).pk, now=now - datetime.timedelta(hours=1))
    # A booking whose time ended two hours ago, nobody came.
    past = Slot.objects.create(unit=court, start=now - datetime.timedelta(hours=3, seconds=7),
                               end=now - datetime.timedelta(hours=2), taken=1)
    missed = Booking.objects.create(slot=past, user=resident, status="confirmed", confirmed_at=past.start)
    # A booking starting within the reminder horizon.
    soon = Slot.objects.create(unit=court, start=now + datetime.timedelta(hours=1, seconds=7),
                               end=now + datetime.timedelta(hours=2))
    upcoming = services.book(resident, soon.pk)
    # Slots of the window that went missing (the window moved on by a day).
    gone = court.slots.filter(start__gte=at(5, 0), start__lt=at(6, 0), taken=0)
    n_gone = gone.count()
    gone.delete()

    with django_capture_on_commit_callbacks(execute=True):
        first = tick()
    assert first["expired_holds"] == 1 and first["no_shows"] == 1 and first["reminders"] == 1
    assert first["slots"]["created"] == n_gone and first["slots"]["units"] == 3  # court + the world's two courts
    stale.refresh_from_db()
    missed.refresh_from_db()
    upcoming.refresh_from_db()
    assert stale.status == "expired" and missed.status == "no_show" and upcoming.reminded_at is not None
    assert Strike.objects.filter(booking=missed).count() == 1
    assert resident.notifications.filter(subject__in=["Reminder", "提醒"]).count() <= 1

    # Idempotent: the second run finds nothing to do and changes nothing.
    before = (Booking.objects.count(), Slot.objects.count(), Strike.objects.count())
    second = tick()
    assert second == {"expired_holds": 0, "no_shows": 0, "reminders": 0,
                      "slots": {"units": 3, "created": 0, "removed": 0}}
    assert (Booking.objects.count(), Slot.objects.count(), Strike.objects.count()) == before


def test_tick_skips_inactive_units_and_closed_sites(world, court):
    court.active = False
    court.save()
    court.slots.filter(start__gte=at(5, 0), taken=0).delete()
    result = tasks.generate_slots.call()
    assert result["units"] == 2 and not court.slots.filter(start__gte=at(5, 0)).exists()


def test_tasks_can_be_queued(world):
    from django_tasks_db.models import DBTaskResult

    out = io.StringIO()
    call_command("booking_tick", "--enqueue", stdout=out)
    assert "enqueued" in json.loads(out.getvalue())
    assert DBTaskResult.objects.filter(task_path="quanmin.booking.tasks.tick").count() == 1


def test_tick_at_a_given_time(world, court):
    later = timezone.localtime(world.booking.slot.end + datetime.timedelta(hours=1)).replace(tzinfo=None)
    result = tick("--now", later.isoformat())
    world.booking.refresh_from_db()
    assert result["no_shows"] >= 1 and world.booking.status == "no_show"
