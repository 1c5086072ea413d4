"""Booking's periodic work as django-tasks tasks (the database backend by default, RQ or Celery at scale).

Each task is idempotent: run it twice and the second run finds nothing to do. Cron runs them all
once through `manage.py booking_tick` (every few minutes is enough; holds also expire lazily when
someone books the same slot), or a worker takes them from the queue after `tick.enqueue()`.
"""

import datetime

from django.utils import timezone

from quanmin.core.tasks import task
from quanmin.facilities.models import Site

from . import schedule, services
from .models import BookableUnit


def _when(now: str | None) -> datetime.datetime:
    # Task arguments travel as JSON: an ISO time (local if it names no zone), or none for now.
    if not now:
        return timezone.now()
    when = datetime.datetime.fromisoformat(now)
    return timezone.make_aware(when) if timezone.is_naive(when) else when


@task()
def expire_holds(now: str | None = None) -> int:
    return services.expire_holds(now=_when(now))


@task()
def send_reminders(now: str | None = None) -> int:
    return services.send_reminders(now=_when(now))


@task()
def mark_no_shows(now: str | None = None) -> int:
    return services.mark_no_shows(now=_when(now))


@task()
def generate_slots() -> dict:
    """Slots for the booking window of every active unit at an open site (one transaction per unit)."""
    total = {"units": 0, "created": 0, "removed": 0}
    for unit in (BookableUnit.objects.filter(active=True, site__status=Site.Status.OPEN)
                 .select_related("site").order_by("pk").iterator(chunk_size=200)):
        result = schedule.generate_slots(unit)
        total["units"] += 1
        total["created"] += result["created"]
        total["removed"] += result["removed"]
    return total


def run_all(now: str | None = None) -> dict:
    """Everything once, in an order where each step sees the one before: holds run out, then
    no-shows are marked, reminders go out, and the window moves on by a day when a day has passed."""
    return {
        "expired_holds": expire_holds.call(now),
        "no_shows": mark_no_shows.call(now),
        "reminders": send_reminders.call(now),
        "slots": generate_slots.call(),
    }


@task()
def tick(now: str | None = None) -> dict:
    return run_all(now)
