"""The booking flow: units, places, a person's rules, hold → confirm → pay → cancel, the waitlist,
check-in, no-shows and reminders. Pages, the API, the console (services_console) and tasks all call
these; the residents' extras are in services_resident. The place-taking step is race-free on SQLite
and PostgreSQL:

- the number of places is changed by one conditional UPDATE (`taken = taken + n WHERE taken + n <=
  capacity`), atomic on both databases, and a CHECK constraint keeps `taken <= capacity` whatever
  the code does;
- per-person limits are checked while holding a lock on the person's row (PostgreSQL: SELECT … FOR
  UPDATE; SQLite: transactions begin IMMEDIATE, so writers are serialised);
- locks are always taken person first, then slots in id order, so two requests never deadlock.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit
from quanmin.core.errors import ServiceError
from quanmin.core.notify import notify
from quanmin.facilities.models import Site

from . import holds_sql, payments, pricing
from .errors import fail, invalid
from .models import ACTIVE_STATUSES, BookableUnit, Booking, Payment, Slot, Strike, WaitlistEntry

CHECK_IN_EARLY = datetime.timedelta(minutes=30)


def _now(now=None):
    return now or timezone.now()


# --- units -------------------------------------------------------------------------------------

def create_unit(facility, *, name: str, kind: str = "slot", request=None, **rules):
    unit = BookableUnit(facility=facility, site=facility.site, region_id=facility.region_id, name=name.strip()[:80],
                        kind=kind, **rules)
    if unit.payment_provider not in payments.PROVIDERS:
        raise fail("payment_provider_unknown", status=400)
    try:
        unit.full_clean(exclude=["facility", "site", "region"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise invalid(" ".join(messages), field) from None
    unit.save()
    audit.record("create", request=request, obj=unit)
    return unit


# --- places ------------------------------------------------------------------------------------

def _release(slot_id: int, places: int) -> None:
    Slot.objects.filter(pk=slot_id, taken__gte=places).update(taken=F("taken") - places)


def expire_stale_holds(slot_id: int, now) -> int:
    """Release the places of this slot's holds that ran out. Each hold is expired exactly once."""
    expired = 0
    for pk, places in holds_sql.stale_holds(slot_id, now):
        if Booking.objects.filter(pk=pk, status=Booking.Status.HELD).update(status=Booking.Status.EXPIRED):
            _release(slot_id, places)
            WaitlistEntry.objects.filter(offer_id=pk, status=WaitlistEntry.Status.OFFERED).update(
                status=WaitlistEntry.Status.LAPSED)
            expired += 1
    return expired


# --- rules -------------------------------------------------------------------------------------

def _strikes_since(now):
    return now - datetime.timedelta(days=settings.BOOKING_STRIKE_WINDOW_DAYS)


def _suspension_end(last_strike_at, nth_strike_at, now) -> datetime.datetime | None:
    # Suspended when the window holds enough strikes (the Nth latest exists), counted from the latest.
    if nth_strike_at is None:
        return None
    until = last_strike_at + datetime.timedelta(days=settings.BOOKING_SUSPEND_DAYS)
    return until if until > now else None


def suspended_until(user, now=None) -> datetime.datetime | None:
    now = _now(now)
    strikes = list(Strike.objects.filter(user=user, forgiven=False, at__gte=_strikes_since(now)).order_by("-at")
                   .values_list("at", flat=True)[: settings.BOOKING_STRIKES_TO_SUSPEND])
    return _suspension_end(strikes[0] if strikes else None,
                           strikes[-1] if len(strikes) >= settings.BOOKING_STRIKES_TO_SUSPEND else None, now)


@dataclass
class _Person:
    """What the rules need to know of the person booking, read in one query with the lock."""
    suspended_until: datetime.datetime | None
    certificates: set
    active: list  # (slot_id, slot start) of their held, confirmed and checked-in bookings


def _load_person(user, day: datetime.date, client_key: str, now) -> tuple[_Person, int | None]:
    """Lock the person (serialising their bookings so that limits hold; SQLite's IMMEDIATE
    transaction already excludes other writers) and read, in two queries, their strikes, verified
    certificates, bookings and any booking already made under this client key (see holds_sql.py)."""
    last_strike_at, nth_strike_at, certificates = holds_sql.person(
        user.pk, strikes_since=_strikes_since(now), nth=settings.BOOKING_STRIKES_TO_SUSPEND, day=day)
    existing, active = None, []
    for pk, slot_id, status, expires, key, start in holds_sql.bookings(user.pk, client_key):
        if client_key and key == client_key:
            existing = pk
        if status == Booking.Status.HELD and expires is not None and expires < now:
            expire_stale_holds(slot_id, now)  # the person's own run-out holds no longer count
        elif status in ACTIVE_STATUSES:
            active.append((slot_id, start))
    person = _Person(suspended_until=_suspension_end(last_strike_at, nth_strike_at, now),
                     certificates=certificates, active=active)
    return person, existing


def companion_limit(slot: Slot) -> int:
    """How many companions a booking of this slot may bring. Each companion takes a place of its own,
    so a one-party court slot (one place) has no room for any: only a slot with places to share takes
    companions, up to the unit's limit. The page offers this many rows; hold() refuses more, whoever calls it."""
    return slot.unit.max_companions if slot.capacity > 1 else 0


def _check_rules(user, slot: Slot, places: int, companions: list, now, override: bool, person: _Person) -> None:
    unit = slot.unit
    if slot.blocked:
        raise fail("slot_blocked")
    if slot.start <= now:
        raise fail("slot_past")
    if len(companions) > unit.max_companions:
        raise fail("too_many_companions", n=unit.max_companions)
    if len(companions) > companion_limit(slot):
        raise fail("companions_not_allowed")
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
    if person.suspended_until:
        raise fail("suspended", status=403, until=timezone.localtime(person.suspended_until).strftime("%Y-%m-%d"))
    if any(slot_id == slot.pk for slot_id, _start in person.active):
        raise fail("already_booked")
    if sum(start > now for _slot, start in person.active) >= unit.max_open_per_user:
        raise fail("limit_open", n=unit.max_open_per_user)
    day = timezone.localtime(slot.start).date()
    if sum(timezone.localtime(start).date() == day for _slot, start in person.active) >= unit.max_per_day:
        raise fail("limit_day", n=unit.max_per_day)


def rule_in_the_way(user, slot: Slot, now=None) -> ServiceError | None:
    """The rule that would refuse this person booking this slot, read before they press Book (the
    page says it beside the button instead of after it): the same checks and codes as hold(),
    without the lock. hold() checks again under the lock; None when nothing is in the way."""
    now = _now(now)
    active = [(slot_id, start) for slot_id, start, status, expires in Booking.objects.filter(
        user=user, status__in=ACTIVE_STATUSES).values_list("slot_id", "slot__start", "status", "hold_expires_at")
        if not (status == Booking.Status.HELD and expires is not None and expires < now)]
    person = _Person(suspended_until=suspended_until(user, now), certificates=set(), active=active)
    try:
        _check_rules(user, slot, 1, [], now, False, person)
    except ServiceError as exc:
        return exc
    return None


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
    try:
        with transaction.atomic():
            slot = holds_sql.slot(slot_id)
            if slot is None:
                if client_key and (existing := Booking.objects.filter(user=user, client_key=client_key).first()):
                    return existing
                raise fail("not_found")
            day = timezone.localtime(slot.start).date()
            person, existing = _load_person(user, day, client_key, now)
            if existing is not None:  # a retry (perhaps one that waited for the lock) gets the first booking
                return Booking.objects.select_related("slot__unit__site").get(pk=existing)
            if slot.unit.site.status != Site.Status.OPEN:
                raise fail("site_closed")
            # A court slot is one party's, companions included; a session counts every person.
            places = 1 if slot.unit.kind == BookableUnit.Kind.SLOT else 1 + len(companions)
            _check_rules(user, slot, places, companions, now, override, person)
            # Run-out holds are released only when the slot looks full: most holds need not look.
            # Take again even when this request expired none: a concurrent one may just have freed them.
            if not holds_sql.take(slot.pk, places):
                expire_stale_holds(slot.pk, now)
                if not holds_sql.take(slot.pk, places):
                    raise fail("slot_full")
            quote = pricing.quote(user, slot, companions, certificates=person.certificates)
            booking = Booking.objects.create(
                slot=slot, user=user, places=places, companions=companions, price=quote.total,
                price_basis=quote.basis, hold_expires_at=now + datetime.timedelta(minutes=slot.unit.hold_minutes),
                client_key=client_key, channel=channel, staff_override=override_reason.strip()[:200],
            )
            Booking.payment.related.set_cached_value(booking, None)  # new: no payment yet, no query to say so
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
            # A run-out hold gives its place back now; refused after the commit, or the refusal would
            # roll the release back with it.
            expire_stale_holds(booking.slot_id, now)
            confirmable = False
        else:
            confirmable = True
            provider = payments.provider_for(booking)
            payment = getattr(booking, "payment", None) or provider.start(booking)
            if provider.confirms_at_once or payment.status == Payment.Status.PAID:
                _mark_confirmed(booking, now)
    if not confirmable:
        raise fail("not_confirmable")
    return booking


def complete_payment(reference: str, *, now=None) -> Booking:
    """The online provider's call-back: the payment went through."""
    now = _now(now)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("booking").filter(reference=reference).first()
        if payment is None:
            raise fail("not_found")
        booking = payment.booking
        if booking.status == Booking.Status.CONFIRMED and payment.status == Payment.Status.PAID:
            return booking  # the provider called back twice
        if booking.status != Booking.Status.HELD or (booking.hold_expires_at and booking.hold_expires_at < now):
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


def take_discount(booking_id: int, amount, *, basis: str, now=None) -> Booking:
    """Lower the price of a held booking before payment starts, by a discount another capability
    grants (a sports voucher, points): the caller at a higher layer runs this inside its own
    transaction, beside its own record of the discount, so both happen or neither. The booking's
    price stays the price charged; `basis` says why it changed."""
    now = _now(now)
    booking = Booking.objects.select_for_update().select_related("slot__unit").filter(pk=booking_id).first()
    if booking is None:
        raise fail("not_found")
    if booking.status != Booking.Status.HELD or (booking.hold_expires_at and booking.hold_expires_at < now):
        raise fail("not_confirmable")
    if Payment.objects.filter(booking=booking).exists() or booking.price < amount or amount <= 0:
        raise fail("not_confirmable")
    booking.price = booking.price - amount
    booking.price_basis = basis[:20]
    booking.save(update_fields=["price", "price_basis"])
    return booking


def book(user, slot_id: int, **kwargs) -> Booking:
    """Hold and confirm in one step (free bookings, walk-ins, retries)."""
    now = kwargs.get("now")
    booking = hold(user, slot_id, **kwargs)
    if booking.status == Booking.Status.HELD:
        booking = confirm(booking, now=now)
    return booking


def free_cancellation_until(booking: Booking) -> datetime.datetime:
    """The venue's deadline: cancelled before it, a paid booking is refunded in full (see refund_due)."""
    return booking.slot.start - datetime.timedelta(hours=booking.slot.unit.cancel_hours)


def refund_due(booking: Booking, by_venue: bool, now) -> bool:
    """The venue's rule: a full refund before the cancellation deadline or when the venue cancels."""
    return by_venue or now <= free_cancellation_until(booking)


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
            n = expire_stale_holds(slot_id, now)
            total += n
            if n:
                offer_next(slot_id, now=now)
    return total


# --- waitlist ------------------------------------------------------------------------------------

def join_waitlist(user, slot_id: int, *, places: int = 1, now=None) -> WaitlistEntry:
    now = _now(now)
    with transaction.atomic():
        slot = Slot.objects.filter(pk=slot_id).first()
        if slot is None or slot.blocked or slot.start <= now:
            raise fail("not_found" if slot is None else "slot_blocked" if slot.blocked else "slot_past")
        until = suspended_until(user, now)
        if until:
            raise fail("suspended", status=403, until=timezone.localtime(until).strftime("%Y-%m-%d"))
        if Booking.objects.filter(user=user, slot=slot, status__in=ACTIVE_STATUSES).exists():
            raise fail("already_booked")
        expire_stale_holds(slot.pk, now)
        slot.refresh_from_db()
        if slot.free_places >= places:
            refused = "not_full"
        elif WaitlistEntry.objects.filter(slot=slot, user=user, status__in=["waiting", "offered"]).exists():
            refused = "already_waiting"
        else:
            return WaitlistEntry.objects.create(slot=slot, user=user, places=places)
    # Refused after the commit: the run-out holds expired above stay expired (their places free).
    raise fail(refused)


def offer_next(slot_id: int, *, now=None) -> WaitlistEntry | None:
    """Offer freed places to the next people in line: their place is held until the offer's deadline."""
    now = _now(now)
    offered = None
    for entry in WaitlistEntry.objects.filter(slot_id=slot_id, status=WaitlistEntry.Status.WAITING).select_related("slot"):
        if entry.slot.start <= now or not holds_sql.take(slot_id, entry.places):
            break
        deadline = min(now + datetime.timedelta(minutes=settings.BOOKING_WAITLIST_OFFER_MINUTES), entry.slot.start)
        quote = pricing.quote(entry.user, entry.slot, [{}] * (entry.places - 1))
        booking = Booking.objects.create(slot_id=slot_id, user=entry.user, places=entry.places, status=Booking.Status.HELD,
                                         hold_expires_at=deadline, channel=Booking.Channel.WAITLIST,
                                         price=quote.total, price_basis=quote.basis)
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
