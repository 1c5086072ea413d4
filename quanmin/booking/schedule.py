"""Weekly templates → slots ahead. Holidays, closures and blocks are respected; a template change
never loses a booking: slots that already have places taken are kept as they are."""

import datetime

from django.db import transaction
from django.utils import timezone

from quanmin.facilities import opening
from quanmin.facilities.models import Site

from .models import BookableUnit, Slot


def _aware(day: datetime.date, t: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, t), timezone.get_current_timezone())


@transaction.atomic
def generate_slots(unit: BookableUnit, first_day: datetime.date | None = None, days: int | None = None) -> dict:
    first_day = first_day or timezone.localdate()
    days = days if days is not None else unit.window_days + 1
    templates = list(unit.templates.all())
    by_weekday = {}
    for t in templates:
        by_weekday.setdefault(t.weekday, []).append(t)
    closed_days = set(unit.site.opening_exceptions.filter(closed=True).values_list("date", flat=True))
    start = _aware(first_day, datetime.time.min)
    end = _aware(first_day + datetime.timedelta(days=days), datetime.time.min)
    existing = {s.start: s for s in Slot.objects.filter(unit=unit, start__gte=start, start__lt=end)}
    wanted, created = set(), []
    for n in range(days):
        day = first_day + datetime.timedelta(days=n)
        if unit.site.status != Site.Status.OPEN or day in closed_days:
            continue
        weekday, fallback = opening.weekdays_for(day)
        todays = by_weekday.get(weekday) or (by_weekday.get(fallback, []) if fallback is not None else [])
        for t in todays:
            when = _aware(day, t.start)
            wanted.add(when)
            slot = existing.get(when)
            if slot is not None and slot.manual:
                continue
            if slot is None:
                created.append(Slot(unit=unit, start=when, end=_aware(day, t.end), capacity=t.capacity, price=t.price,
                                    benefit=t.benefit, template=t))
            elif slot.taken == 0 and (slot.capacity, slot.price, slot.benefit, slot.end) != (t.capacity, t.price, t.benefit, _aware(day, t.end)):
                slot.capacity, slot.price, slot.benefit, slot.end, slot.template = t.capacity, t.price, t.benefit, _aware(day, t.end), t
                slot.save()
    Slot.objects.bulk_create(created, batch_size=1000)
    # Slots no template wants any more go, unless someone holds a place in them.
    now = timezone.now()
    stale = [s.pk for when, s in existing.items() if when not in wanted and s.taken == 0 and s.start > now
             and not s.manual and not s.bookings.exists()]
    Slot.objects.filter(pk__in=stale).delete()
    return {"created": len(created), "removed": len(stale)}


def block_time(unit: BookableUnit, start: datetime.datetime, end: datetime.datetime, reason: str) -> int:
    """Block the unit's free slots in a time range (maintenance, an event). Booked slots stay."""
    return Slot.objects.filter(unit=unit, start__lt=end, end__gt=start, taken=0).update(blocked=True, block_reason=reason[:120])
