"""The venue console's writes: unit rules, weekly times, blocked times, block bookings and walk-ins,
visitor counts, forgiven strikes and the eligibility check of certificates.

The places these take go through the same conditional UPDATE as a resident's hold
(holds_sql.take, after services.expire_stale_holds), so a console write never oversells a slot.
Errors are BookingErrors with the codes in errors.py.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit
from quanmin.core.api import FIRST_YEAR_TIME, LAST_YEAR, year_message
from quanmin.core.notify import notify

from . import holds_sql, payments, schedule
from .errors import fail, invalid
from .models import Booking, Certificate, Slot, Strike, WeeklyTemplate
from .models_counts import VisitCount
from .services import create_unit, expire_stale_holds

# --- units and their weekly times -----------------------------------------------------------------

UNIT_RULE_FIELDS = ("name", "active", "window_days", "hold_minutes", "cancel_hours", "max_open_per_user", "max_per_day",
                    "max_companions", "min_age", "guardian_under", "free_for_seniors", "free_for_disabled",
                    "student_discount_pct", "minor_discount_pct", "payment_provider")


def check_unit_rules(data: dict) -> None:
    """Rules a form or API body may set, checked before anything is written."""
    provider = data.get("payment_provider")
    if provider is not None and provider not in payments.PROVIDERS:
        raise invalid(_("Unknown payment provider."), "payment_provider")
    for field in ("student_discount_pct", "minor_discount_pct"):
        if data.get(field) is not None and not 0 <= data[field] <= 100:
            raise invalid(_("A discount is between 0 and 100 per cent."), field)
    if data.get("window_days") is not None and not 0 <= data["window_days"] <= 90:
        raise invalid(_("Bookings open at most 90 days ahead."), "window_days")
    if data.get("hold_minutes") is not None and not 1 <= data["hold_minutes"] <= 60:
        raise invalid(_("A hold lasts 1 to 60 minutes."), "hold_minutes")
    if "name" in data and not (data["name"] or "").strip():
        raise invalid(_("Give a name."), "name")


def add_unit(facility, data: dict, *, staff=None, request=None):
    """A bookable unit on a facility, its rules checked first (create_unit trusts its caller)."""
    data = {k: v for k, v in data.items() if k in (*UNIT_RULE_FIELDS, "kind") and v is not None}
    check_unit_rules({"name": "", **data})
    if data.get("kind", "slot") not in ("slot", "session"):
        raise invalid(_("Choose time slots or sessions."), "kind")
    try:
        return create_unit(facility, request=request, **data)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise invalid(messages[0], None if field == "__all__" else field) from None


def update_unit(unit, data: dict, *, staff=None, request=None):
    data = {k: v for k, v in data.items() if k in UNIT_RULE_FIELDS and v is not None}
    check_unit_rules(data)
    changed = [k for k, v in data.items() if getattr(unit, k) != v]
    for k in changed:
        setattr(unit, k, data[k].strip()[:80] if k == "name" else data[k])
    try:
        unit.full_clean(exclude=["facility", "site", "region"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise invalid(messages[0], None if field == "__all__" else field) from None
    if changed:
        unit.save(update_fields=changed)
        audit.record("update", request=request, actor=staff, obj=unit, detail={"fields": changed})
    return unit


def _check_template(unit, data: dict, template=None) -> dict:
    weekday, start, end = data.get("weekday"), data.get("start"), data.get("end")
    if weekday is None or not 0 <= weekday <= 7:
        raise invalid(_("Choose a day (Monday to Sunday, or public holidays)."), "weekday")
    if start is None or end is None or end <= start:
        raise invalid(_("The end must be after the start."), "end")
    capacity = 1 if unit.kind == "slot" else data.get("capacity") or 0
    if capacity < 1 or capacity > 10000:
        raise invalid(_("A session has 1 to 10,000 places."), "capacity")
    price = data.get("price") or 0
    if price < 0 or price > 100000:
        raise invalid(_("The price cannot be negative."), "price")
    # Overlapping times of one unit would sell the same court twice.
    others = WeeklyTemplate.objects.filter(unit=unit, weekday=weekday, start__lt=end, end__gt=start)
    if template is not None:
        others = others.exclude(pk=template.pk)
    if others.exists():
        raise fail("template_overlap")
    return {"weekday": weekday, "start": start, "end": end, "capacity": capacity, "price": price,
            "benefit": bool(data.get("benefit"))}


def save_template(unit, data: dict, *, template=None, staff=None, request=None):
    """Add or change a weekly time, then bring the unit's slots in line (booked slots are kept)."""
    clean = _check_template(unit, data, template)
    with transaction.atomic():
        if template is None:
            template = WeeklyTemplate.objects.create(unit=unit, **clean)
        else:
            for k, v in clean.items():
                setattr(template, k, v)
            template.save()
        result = schedule.generate_slots(unit)
    audit.record("update_template", request=request, actor=staff, obj=unit,
                 detail={"template": template.pk, **{k: str(v) for k, v in clean.items()}, **result})
    return template, result


def remove_template(template, *, staff=None, request=None) -> dict:
    unit = template.unit
    with transaction.atomic():
        pk = template.pk
        template.delete()
        result = schedule.generate_slots(unit)
    audit.record("remove_template", request=request, actor=staff, obj=unit, detail={"template": pk, **result})
    return result


def generate_unit_slots(unit, *, staff=None, request=None) -> dict:
    result = schedule.generate_slots(unit)
    audit.record("generate_slots", request=request, actor=staff, obj=unit, detail=result)
    return result


def block_unit_time(unit, start: datetime.datetime, end: datetime.datetime, reason: str, *, staff=None,
                    request=None) -> dict:
    """Block the free slots in a range; slots with bookings stay open and are counted for the operator."""
    if not (reason or "").strip():
        raise fail("reason_required", status=400)
    if start is None or end is None or end <= start:
        raise invalid(_("The end must be after the start."), "end")
    with transaction.atomic():
        blocked = schedule.block_time(unit, start, end, reason.strip())
        kept = Slot.objects.filter(unit=unit, start__lt=end, end__gt=start, taken__gt=0).count()
    audit.record("block_time", request=request, actor=staff, obj=unit,
                 detail={"start": start.isoformat(), "end": end.isoformat(), "reason": reason, "blocked": blocked})
    return {"blocked": blocked, "kept": kept}


def unblock_unit_time(unit, start: datetime.datetime, end: datetime.datetime, *, staff=None, request=None) -> int:
    if start is None or end is None or end <= start:
        raise invalid(_("The end must be after the start."), "end")
    n = Slot.objects.filter(unit=unit, start__lt=end, end__gt=start, blocked=True).update(blocked=False, block_reason="")
    audit.record("unblock_time", request=request, actor=staff, obj=unit,
                 detail={"start": start.isoformat(), "end": end.isoformat(), "unblocked": n})
    return n


# --- at the venue: block bookings, walk-ins, visitor counts, strikes ------------------------------

def block_book(staff, unit, *, weekday: int, start: datetime.time, first_day: datetime.date, last_day: datetime.date,
               label: str, holder=None) -> list[Booking]:
    """A club's or school's weekly booking for a term: every matching slot, all or nothing."""
    if not label.strip():
        raise fail("reason_required", status=400)
    tz = timezone.get_current_timezone()
    slots = [s for s in Slot.objects.filter(unit=unit, start__date__gte=first_day - datetime.timedelta(days=1),
                                            start__date__lte=last_day + datetime.timedelta(days=1)).order_by("pk")
             if timezone.localtime(s.start, tz).weekday() == weekday and timezone.localtime(s.start, tz).time() == start
             and first_day <= timezone.localtime(s.start, tz).date() <= last_day]
    if not slots:
        raise fail("not_found")
    made = []
    with transaction.atomic():
        for slot in slots:  # id order: consistent lock order with any other block booking
            expire_stale_holds(slot.pk, timezone.now())
            places = slot.capacity - slot.taken if slot.capacity > 1 else 1
            if places <= 0 or not holds_sql.take(slot.pk, slot.capacity if slot.capacity == 1 else places):
                raise fail("slot_full")
            made.append(Booking(slot=slot, user=holder or staff, status=Booking.Status.CONFIRMED, places=places,
                                channel=Booking.Channel.BLOCK, block_label=label.strip()[:120], confirmed_at=timezone.now()))
        Booking.objects.bulk_create(made)
    audit.record("block_book", actor=staff, obj=unit, detail={"label": label, "slots": len(made)})
    return made


def block_book_term(staff, unit, *, weekday: int, start: datetime.time, first_day: datetime.date,
                    last_day: datetime.date, label: str, holder=None) -> list[Booking]:
    """A term's block booking: slots are made for the whole term first (a term runs past the booking
    window), then every matching slot is booked, all or nothing."""
    if first_day < timezone.localdate():
        raise invalid(_("A block booking starts today or later."), "first_day")
    if last_day < first_day or (last_day - first_day).days > 366:
        raise invalid(_("The last day is after the first, within a year."), "last_day")
    with transaction.atomic():
        schedule.generate_slots(unit, first_day, (last_day - first_day).days + 1)
        return block_book(staff, unit, weekday=weekday, start=start, first_day=first_day, last_day=last_day,
                          label=label, holder=holder)


def walk_in(staff, slot_id: int, *, places: int = 1, name: str = "", people: int | None = None) -> Booking:
    """A party at the counter: booked and arrived at once, counted like any other booking. On a
    court the party takes one place; `people` says how many came (for the visitor counts)."""
    with transaction.atomic():
        slot = Slot.objects.select_related("unit").filter(pk=slot_id).first()
        if slot is None:
            raise fail("not_found")
        expire_stale_holds(slot.pk, timezone.now())
        if not holds_sql.take(slot.pk, places):
            raise fail("slot_full")
        now = timezone.now()
        party = max(people or places, 1)
        booking = Booking.objects.create(slot=slot, user=None, places=places, status=Booking.Status.CHECKED_IN,
                                         companions=[{"walk_in": True}] * (party - 1),
                                         channel=Booking.Channel.WALK_IN, price=slot.price * places,
                                         price_basis="standard", block_label=name.strip()[:120],
                                         confirmed_at=now, checked_in_at=now)
    audit.record("walk_in", actor=staff, obj=booking)
    return booking


def record_visit_count(site, hour_start: datetime.datetime, *, count_in: int, count_out: int, staff=None,
                       source: str = "manual", request=None):
    """The people who came without booking in one hour, as counted at the gate. A new entry replaces the old."""
    if count_in is None or count_out is None or count_in < 0 or count_out < 0 or max(count_in, count_out) > 100000:
        raise invalid(_("Counts are whole numbers from 0."), "count_in")
    hour_start = timezone.localtime(hour_start).replace(minute=0, second=0, microsecond=0)
    if not FIRST_YEAR_TIME <= hour_start.year <= LAST_YEAR:
        raise invalid(year_message(FIRST_YEAR_TIME), "hour_start")
    if hour_start > timezone.now():
        raise invalid(_("This hour has not started yet."), "hour_start")
    if source not in VisitCount.Source.values:
        raise invalid(_("Unknown source."), "source")
    with transaction.atomic():
        type(site).objects.select_for_update().filter(pk=site.pk).first()  # one count of a site's day at a time
        _check_balance(site, hour_start, source, count_in, count_out)
        row, _created = VisitCount.objects.update_or_create(
            site=site, hour_start=hour_start, source=source,
            defaults={"count_in": count_in, "count_out": count_out, "recorded_by": staff})
    audit.record("visit_count", request=request, actor=staff, obj=site,
                 detail={"hour": hour_start.isoformat(), "in": count_in, "out": count_out, "source": source})
    return row


def _check_balance(site, hour_start: datetime.datetime, source: str, count_in: int, count_out: int) -> None:
    """Nobody leaves who did not come: hour by hour through the day (the city's day), the people counted
    out without a booking, all sources together, never exceed those counted in. An hour alone may
    show more out than in (people of the hour before leave); the day so far may not."""
    day_start = hour_start.replace(hour=0)
    flows = {hour_start: [count_in, count_out]}
    counted = (VisitCount.objects.filter(site=site, hour_start__gte=day_start,
                                         hour_start__lt=day_start + datetime.timedelta(days=1))
               .exclude(hour_start=hour_start, source=source).values_list("hour_start", "count_in", "count_out"))
    for when, n_in, n_out in counted:
        flow = flows.setdefault(timezone.localtime(when), [0, 0])
        flow[0] += n_in
        flow[1] += n_out
    total_in = total_out = 0
    for when in sorted(flows):
        total_in, total_out = total_in + flows[when][0], total_out + flows[when][1]
        if total_out > total_in:
            until = when + datetime.timedelta(hours=1)
            raise fail("more_out_than_in", hour=f"{until.hour:02d}:00" if until.hour else "24:00",
                       out=total_out, **{"in": total_in})


def forgive_strike(strike: Strike, *, staff, reason: str) -> Strike:
    if not reason.strip():
        raise fail("reason_required", status=400)
    strike.forgiven, strike.forgiven_reason = True, reason.strip()[:200]
    strike.save(update_fields=["forgiven", "forgiven_reason"])
    audit.record("forgive_strike", actor=staff, obj=strike.booking, detail={"reason": reason})
    return strike


# --- the eligibility check of certificates --------------------------------------------------------

def verify_certificate(certificate, *, staff, valid_until: datetime.date, request=None):
    """Staff of the holder's division saw the certificate: from now on its price applies by itself."""
    if valid_until is None or valid_until < timezone.localdate():
        raise invalid(_("The certificate must be valid today or later."), "valid_until")
    now = timezone.now()
    if not Certificate.objects.filter(pk=certificate.pk, status=Certificate.Status.PENDING).update(
            status=Certificate.Status.VERIFIED, valid_until=valid_until, checked_by=staff, checked_at=now, note=""):
        raise fail("certificate_decided")
    certificate.refresh_from_db()
    audit.record("verify_certificate", request=request, actor=staff, obj=certificate,
                 detail={"valid_until": valid_until.isoformat(), "holder": certificate.user_id})
    notify(certificate.user, _("Certificate verified"),
           _("Your certificate (%(kind)s) is verified until %(date)s: its free or reduced price now applies to "
             "your bookings.") % {"kind": certificate.get_kind_display(), "date": valid_until.isoformat()})
    return certificate


def reject_certificate(certificate, *, staff, reason: str, request=None):
    if not (reason or "").strip():
        raise fail("reason_required", status=400)
    if not Certificate.objects.filter(pk=certificate.pk, status=Certificate.Status.PENDING).update(
            status=Certificate.Status.REJECTED, checked_by=staff, checked_at=timezone.now(), note=reason.strip()[:200]):
        raise fail("certificate_decided")
    certificate.refresh_from_db()
    audit.record("reject_certificate", request=request, actor=staff, obj=certificate,
                 detail={"reason": reason, "holder": certificate.user_id})
    notify(certificate.user, _("Certificate not accepted"),
           _("Your certificate (%(kind)s) was not accepted: %(reason)s. You can upload a new photo.") % {
               "kind": certificate.get_kind_display(), "reason": reason.strip()})
    return certificate
