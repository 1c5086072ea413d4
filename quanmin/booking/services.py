"""Every write to booking. The place-taking step is race-free on SQLite and PostgreSQL:

- the number of places is changed by one conditional UPDATE (`taken = taken + n WHERE taken + n <=
  capacity`), atomic on both databases, and a CHECK constraint keeps `taken <= capacity` whatever
  the code does;
- per-person limits are checked while holding a lock on the person's row (PostgreSQL: SELECT … FOR
  UPDATE; SQLite: transactions begin IMMEDIATE, so writers are serialised);
- locks are always taken person first, then slots in id order, so two requests never deadlock.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit
from quanmin.accounts.models import User
from quanmin.core.notify import notify

from . import payments, pricing
from .errors import fail
from .models import ACTIVE_STATUSES, Booking, Payment, Slot, Strike, WaitlistEntry

CHECK_IN_EARLY = datetime.timedelta(minutes=30)


def _now(now=None):
    return now or timezone.now()


# --- units -------------------------------------------------------------------------------------

def create_unit(facility, *, name: str, kind: str = "slot", request=None, **rules):
    from .models import BookableUnit

    unit = BookableUnit(facility=facility, site=facility.site, region_id=facility.region_id, name=name.strip()[:80],
                        kind=kind, **rules)
    unit.full_clean(exclude=["facility", "site", "region"])
    unit.save()
    audit.record("create", request=request, obj=unit)
    return unit


# --- places ------------------------------------------------------------------------------------

def _take(slot_id: int, places: int) -> bool:
    return bool(Slot.objects.filter(pk=slot_id, blocked=False, taken__lte=F("capacity") - places)
                .update(taken=F("taken") + places))


def _release(slot_id: int, places: int) -> None:
    Slot.objects.filter(pk=slot_id, taken__gte=places).update(taken=F("taken") - places)


def _expire_stale_holds(slot_id: int, now) -> int:
    """Release the places of this slot's holds that ran out. Each hold is expired exactly once."""
    expired = 0
    for b in Booking.objects.filter(slot_id=slot_id, status=Booking.Status.HELD, hold_expires_at__lt=now).only("id", "places"):
        if Booking.objects.filter(pk=b.pk, status=Booking.Status.HELD).update(status=Booking.Status.EXPIRED):
            _release(slot_id, b.places)
            WaitlistEntry.objects.filter(offer_id=b.pk, status=WaitlistEntry.Status.OFFERED).update(
                status=WaitlistEntry.Status.LAPSED)
            expired += 1
    return expired


# --- rules -------------------------------------------------------------------------------------

def suspended_until(user, now=None) -> datetime.datetime | None:
    now = _now(now)
    since = now - datetime.timedelta(days=settings.BOOKING_STRIKE_WINDOW_DAYS)
    strikes = list(Strike.objects.filter(user=user, forgiven=False, at__gte=since).order_by("-at")
                   .values_list("at", flat=True)[: settings.BOOKING_STRIKES_TO_SUSPEND])
    if len(strikes) < settings.BOOKING_STRIKES_TO_SUSPEND:
        return None
    until = strikes[0] + datetime.timedelta(days=settings.BOOKING_SUSPEND_DAYS)
    return until if until > now else None


def _check_rules(user, slot: Slot, places: int, companions: list, now, override: bool) -> None:
    unit = slot.unit
    if slot.blocked:
        raise fail("slot_blocked")
    if slot.start <= now:
        raise fail("slot_past")
    if len(companions) > unit.max_companions:
        raise fail("too_many_companions", n=unit.max_companions)
    if override:
        return
    # "15 days ahead" counts whole days: today plus the next 15.
    if timezone.localtime(slot.start).date() > timezone.localtime(now).date() + datetime.timedelta(days=unit.window_days):
        raise fail("outside_window", days=unit.window_days)
    if not user.id_number_hash or not user.real_name:
        raise fail("real_name_required", status=403)
    age = user.age(timezone.localtime(slot.start).date())
    if unit.min_age and age is not None and age < unit.min_age:
        raise fail("too_young", n=unit.min_age)
    if unit.guardian_under and age is not None and age < unit.guardian_under:
        raise fail("guardian_required", n=unit.guardian_under)
    until = suspended_until(user, now)
    if until:
        raise fail("suspended", status=403, until=timezone.localtime(until).strftime("%Y-%m-%d"))
    active = Booking.objects.filter(user=user, status__in=ACTIVE_STATUSES)
    if active.filter(slot=slot).exists():
        raise fail("already_booked")
    if active.filter(slot__start__gt=now).count() >= unit.max_open_per_user:
        raise fail("limit_open", n=unit.max_open_per_user)
    day = timezone.localtime(slot.start).date()
    same_day = [b for b in active.select_related("slot") if timezone.localtime(b.slot.start).date() == day]
    if len(same_day) >= unit.max_per_day:
        raise fail("limit_day", n=unit.max_per_day)


def _lock_person(user) -> None:
    # Serialises one person's bookings so that limits hold (a no-op read on SQLite, where the
    # IMMEDIATE transaction already excludes other writers).
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))


# --- the flow ----------------------------------------------------------------------------------

def hold(user, slot_id: int, *, companions: list | None = None, client_key: str = "", staff=None,
         override_reason: str = "", channel: str = Booking.Channel.ONLINE, now=None) -> Booking:
    """Take a place for a few minutes while the person confirms or pays. Idempotent per client key."""
    companions = [c for c in (companions or []) if isinstance(c, dict)]
    client_key = (client_key or "")[:64]
    now = _now(now)
    override = staff is not None
    if override and not override_reason.strip() and channel == Booking.Channel.ONLINE:
        raise fail("reason_required", status=400)
    if client_key:
        existing = Booking.objects.filter(user=user, client_key=client_key).first()
        if existing:
            return existing
    places = 1 + len(companions)
    try:
        with transaction.atomic():
            _lock_person(user)
            if client_key:  # a retry that waited for the lock finds what the first request booked
                existing = Booking.objects.filter(user=user, client_key=client_key).first()
                if existing:
                    return existing
            slot = Slot.objects.select_related("unit").filter(pk=slot_id, unit__active=True).first()
            if slot is None:
                raise fail("not_found")
            for stale_slot in set(Booking.objects.filter(user=user, status=Booking.Status.HELD, hold_expires_at__lt=now)
                                  .values_list("slot_id", flat=True)):
                _expire_stale_holds(stale_slot, now)  # the person's own run-out holds no longer count
            _check_rules(user, slot, places, companions, now, override)
            _expire_stale_holds(slot.pk, now)
            if not _take(slot.pk, places):
                raise fail("slot_full")
            quote = pricing.quote(user, slot, companions)
            booking = Booking.objects.create(
                slot=slot, user=user, places=places, companions=companions, price=quote.total,
                price_basis=quote.basis, hold_expires_at=now + datetime.timedelta(minutes=slot.unit.hold_minutes),
                client_key=client_key, channel=channel, staff_override=override_reason.strip()[:200],
            )
    except IntegrityError:
        # The same client key raced itself: the other request booked; answer with its booking.
        existing = Booking.objects.filter(user=user, client_key=client_key).first() if client_key else None
        if existing is None:
            raise
        return existing
    if override:
        audit.record("book_override", actor=staff, obj=booking, detail={"reason": override_reason, "for": user.pk})
    return booking


def confirm(booking: Booking, *, now=None) -> Booking:
    """Confirm a held booking: payment starts; free and pay-on-site bookings are confirmed at once."""
    now = _now(now)
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("slot__unit").get(pk=booking.pk)
        if booking.status == Booking.Status.CONFIRMED:
            return booking
        if booking.status != Booking.Status.HELD or (booking.hold_expires_at and booking.hold_expires_at < now):
            _expire_stale_holds(booking.slot_id, now)
            raise fail("not_confirmable")
        provider = payments.provider_for(booking)
        payment = getattr(booking, "payment", None) or provider.start(booking)
        if provider.confirms_at_once or payment.status == Payment.Status.PAID:
            _mark_confirmed(booking, now)
    return booking


def complete_payment(reference: str, *, now=None) -> Booking:
    """The online provider's call-back: the payment went through."""
    now = _now(now)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("booking").filter(reference=reference).first()
        if payment is None:
            raise fail("not_found")
        booking = payment.booking
        if booking.status != Booking.Status.HELD:
            raise fail("not_confirmable")
        payment.status = Payment.Status.PAID
        payment.save(update_fields=["status", "updated_at"])
        _mark_confirmed(booking, now)
    return booking


def _mark_confirmed(booking: Booking, now) -> None:
    booking.status = Booking.Status.CONFIRMED
    booking.confirmed_at = now
    booking.hold_expires_at = None
    booking.save(update_fields=["status", "confirmed_at", "hold_expires_at"])
    WaitlistEntry.objects.filter(offer=booking).update(status=WaitlistEntry.Status.TAKEN)
    slot = booking.slot
    notify(booking.user, _("Booking confirmed"),
           _("%(unit)s, %(when)s. Check-in code %(code)s.") % {
               "unit": slot.unit.name, "when": timezone.localtime(slot.start).strftime("%Y-%m-%d %H:%M"),
               "code": booking.code})


def book(user, slot_id: int, **kwargs) -> Booking:
    """Hold and confirm in one step (free bookings, walk-ins, retries)."""
    now = kwargs.get("now")
    booking = hold(user, slot_id, **kwargs)
    if booking.status == Booking.Status.HELD:
        booking = confirm(booking, now=now)
    return booking


def refund_due(booking: Booking, by_venue: bool, now) -> bool:
    """The venue's rule: a full refund before the cancellation deadline or when the venue cancels."""
    deadline = booking.slot.start - datetime.timedelta(hours=booking.slot.unit.cancel_hours)
    return by_venue or now <= deadline


def cancel(booking: Booking, *, by=None, by_venue: bool = False, reason: str = "", now=None) -> Booking:
    now = _now(now)
    if by_venue and not reason.strip():
        raise fail("reason_required", status=400)
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("slot__unit").get(pk=booking.pk)
        if booking.status not in (Booking.Status.HELD, Booking.Status.CONFIRMED):
            raise fail("not_cancellable")
        if not by_venue and booking.slot.start <= now:
            raise fail("not_cancellable")
        refund = refund_due(booking, by_venue, now)
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.cancel_reason = reason.strip()[:200]
        booking.cancelled_by_venue = by_venue
        booking.save(update_fields=["status", "cancelled_at", "cancel_reason", "cancelled_by_venue"])
        _release(booking.slot_id, booking.places)
        payment = getattr(booking, "payment", None)
        if payment and refund and payment.status in (Payment.Status.PAID, Payment.Status.ON_SITE):
            payments.PROVIDERS.get(payment.provider, payments.PROVIDERS["on_site"]).refund(payment, payment.amount)
        WaitlistEntry.objects.filter(offer=booking).update(status=WaitlistEntry.Status.LAPSED)
        offer_next(booking.slot_id, now=now)
    audit.record("cancel", actor=by, obj=booking, detail={"by_venue": by_venue, "reason": reason, "refund": refund})
    when = timezone.localtime(booking.slot.start).strftime("%Y-%m-%d %H:%M")
    if by_venue:
        notify(booking.user, _("Booking cancelled by the venue"),
               _("%(unit)s, %(when)s was cancelled: %(reason)s. Any payment is refunded in full.") % {
                   "unit": booking.slot.unit.name, "when": when, "reason": reason})
    else:
        notify(booking.user, _("Booking cancelled"), _("%(unit)s, %(when)s.") % {"unit": booking.slot.unit.name, "when": when})
    return booking


def expire_holds(now=None) -> int:
    """Sweep every run-out hold (a periodic task; booking also expires a slot's holds lazily)."""
    now = _now(now)
    slot_ids = set(Booking.objects.filter(status=Booking.Status.HELD, hold_expires_at__lt=now).values_list("slot_id", flat=True))
    total = 0
    for slot_id in sorted(slot_ids):
        with transaction.atomic():
            n = _expire_stale_holds(slot_id, now)
            total += n
            if n:
                offer_next(slot_id, now=now)
    return total


# --- waitlist ------------------------------------------------------------------------------------

def join_waitlist(user, slot_id: int, *, places: int = 1) -> WaitlistEntry:
    with transaction.atomic():
        slot = Slot.objects.filter(pk=slot_id).first()
        if slot is None:
            raise fail("not_found")
        _expire_stale_holds(slot.pk, timezone.now())
        slot.refresh_from_db()
        if slot.free_places >= places:
            raise fail("not_full")
        if WaitlistEntry.objects.filter(slot=slot, user=user, status__in=["waiting", "offered"]).exists():
            raise fail("already_waiting")
        return WaitlistEntry.objects.create(slot=slot, user=user, places=places)


def offer_next(slot_id: int, *, now=None) -> WaitlistEntry | None:
    """Offer freed places to the next people in line: their place is held until the offer's deadline."""
    now = _now(now)
    offered = None
    for entry in WaitlistEntry.objects.filter(slot_id=slot_id, status=WaitlistEntry.Status.WAITING).select_related("slot"):
        if entry.slot.start <= now or not _take(slot_id, entry.places):
            break
        deadline = min(now + datetime.timedelta(minutes=settings.BOOKING_WAITLIST_OFFER_MINUTES), entry.slot.start)
        booking = Booking.objects.create(slot_id=slot_id, user=entry.user, places=entry.places, status=Booking.Status.HELD,
                                         hold_expires_at=deadline, channel=Booking.Channel.WAITLIST,
                                         price=pricing.quote(entry.user, entry.slot, [{}] * (entry.places - 1)).total)
        entry.status, entry.offer = WaitlistEntry.Status.OFFERED, booking
        entry.save(update_fields=["status", "offer"])
        notify(entry.user, _("A place is free for you"),
               _("%(unit)s, %(when)s: confirm by %(deadline)s or it goes to the next person.") % {
                   "unit": entry.slot.unit.name, "when": timezone.localtime(entry.slot.start).strftime("%Y-%m-%d %H:%M"),
                   "deadline": timezone.localtime(deadline).strftime("%H:%M")})
        offered = entry
    return offered


# --- at the venue --------------------------------------------------------------------------------

def check_in(code: str, *, staff=None, now=None) -> Booking:
    now = _now(now)
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("slot__unit").filter(code=code.strip().upper()).first()
        if booking is None:
            raise fail("not_found")
        if booking.status == Booking.Status.CHECKED_IN:
            return booking
        if booking.status != Booking.Status.CONFIRMED:
            raise fail("check_in_status")
        if not (booking.slot.start - CHECK_IN_EARLY <= now <= booking.slot.end):
            raise fail("check_in_closed")
        booking.status, booking.checked_in_at = Booking.Status.CHECKED_IN, now
        booking.save(update_fields=["status", "checked_in_at"])
    audit.record("check_in", actor=staff, obj=booking)
    return booking


def mark_no_shows(now=None) -> int:
    """Confirmed bookings whose time ended without an arrival become no-shows with a strike."""
    now = _now(now)
    cutoff = now - datetime.timedelta(minutes=settings.BOOKING_NO_SHOW_GRACE_MINUTES)
    count = 0
    for booking in Booking.objects.filter(status=Booking.Status.CONFIRMED, slot__end__lt=cutoff,
                                          channel__in=[Booking.Channel.ONLINE, Booking.Channel.WAITLIST]).select_related("slot__unit"):
        with transaction.atomic():
            if Booking.objects.filter(pk=booking.pk, status=Booking.Status.CONFIRMED).update(status=Booking.Status.NO_SHOW):
                Strike.objects.create(user=booking.user, booking=booking)
                count += 1
                notify(booking.user, _("Missed booking"),
                       _("You did not arrive for %(unit)s on %(when)s. Repeated no-shows suspend online booking.") % {
                           "unit": booking.slot.unit.name, "when": timezone.localtime(booking.slot.start).strftime("%Y-%m-%d %H:%M")})
    return count


def forgive_strike(strike: Strike, *, staff, reason: str) -> Strike:
    if not reason.strip():
        raise fail("reason_required", status=400)
    strike.forgiven, strike.forgiven_reason = True, reason.strip()[:200]
    strike.save(update_fields=["forgiven", "forgiven_reason"])
    audit.record("forgive_strike", actor=staff, obj=strike.booking, detail={"reason": reason})
    return strike


def send_reminders(now=None) -> int:
    now = _now(now)
    horizon = now + datetime.timedelta(hours=settings.BOOKING_REMINDER_HOURS)
    due = Booking.objects.filter(status=Booking.Status.CONFIRMED, reminded_at__isnull=True,
                                 slot__start__gt=now, slot__start__lte=horizon).select_related("slot__unit__site")
    count = 0
    for booking in due:
        if Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(reminded_at=now):
            notify(booking.user, _("Reminder"), _("%(unit)s at %(site)s starts at %(when)s. Code %(code)s.") % {
                "unit": booking.slot.unit.name, "site": booking.slot.unit.site.name,
                "when": timezone.localtime(booking.slot.start).strftime("%H:%M"), "code": booking.code})
            count += 1
    return count


# --- staff -----------------------------------------------------------------------------------------

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
            _expire_stale_holds(slot.pk, timezone.now())
            places = slot.capacity - slot.taken if slot.capacity > 1 else 1
            if places <= 0 or not _take(slot.pk, slot.capacity if slot.capacity == 1 else places):
                raise fail("slot_full")
            made.append(Booking(slot=slot, user=holder or staff, status=Booking.Status.CONFIRMED, places=places,
                                channel=Booking.Channel.BLOCK, block_label=label.strip()[:120], confirmed_at=timezone.now()))
        Booking.objects.bulk_create(made)
    audit.record("block_book", actor=staff, obj=unit, detail={"label": label, "slots": len(made)})
    return made


def walk_in(staff, slot_id: int, *, places: int = 1, name: str = "") -> Booking:
    """A person at the counter: booked and arrived at once, counted like any other booking."""
    with transaction.atomic():
        slot = Slot.objects.select_related("unit").filter(pk=slot_id).first()
        if slot is None:
            raise fail("not_found")
        _expire_stale_holds(slot.pk, timezone.now())
        if not _take(slot.pk, places):
            raise fail("slot_full")
        now = timezone.now()
        booking = Booking.objects.create(slot=slot, user=None, places=places, status=Booking.Status.CHECKED_IN,
                                         channel=Booking.Channel.WALK_IN, price=slot.price * places,
                                         price_basis="standard", block_label=name.strip()[:120],
                                         confirmed_at=now, checked_in_at=now)
    audit.record("walk_in", actor=staff, obj=booking)
    return booking


def active_booking_q() -> Q:
    return Q(status__in=ACTIVE_STATUSES)
