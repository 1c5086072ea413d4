"""The incentives' periodic work as a django-tasks task: credit (and reverse) points for the facts
the domain apps recorded since the last run, expire points and vouchers past their date, give back
the vouchers and points of cancelled bookings and the points of entry fees given back. Idempotent; cron runs it through
`manage.py incentives_tick` (and `manage.py tick` runs that with every app's upkeep)."""

import datetime

from django.utils import timezone

from quanmin.core.tasks import task

from . import points, spending, vouchers


def upkeep(now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    return {"points": points.credit(now=now), "expired_points": points.expire(today=timezone.localdate(now)),
            "vouchers": vouchers.expire_vouchers(now=now), "cancelled": vouchers.undo_cancelled_bookings(now=now),
            "entry_fees_back": spending.undo_dropped_entry_fees()}


@task()
def tick(now: str | None = None) -> dict:
    when = datetime.datetime.fromisoformat(now) if now else timezone.now()
    return upkeep(timezone.make_aware(when) if timezone.is_naive(when) else when)
