"""Every deadline, window and limit of booking at its edge: at the exact instant, one second before and
one second after. The expected instants are worked out here from the settings and the unit's own
figures (settings.BOOKING_*, unit.cancel_hours, unit.hold_minutes, unit.window_days), never asked of
the function under test."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone, translation

from quanmin.accounts.models import AuditEntry
from quanmin.booking import pricing, services
from quanmin.booking.errors import BookingError
from quanmin.booking.models import Booking, Certificate, Strike

from ..conftest import make_user
from .conftest import at, slot_at

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def no_world_bookings(world):
    # The shared world books a court for each resident; these tests start from none.
    for b in (world.booking, world.other_booking):
        services.cancel(b, by=b.user)


def outcome(fn, *a, **k) -> str:
    """'ok', or the error code the service answers with."""
    try:
        fn(*a, **k)
    except BookingError as exc:
        return exc.code
    return "ok"


def taken(slot) -> int:
    slot.refresh_from_db()
    return slot.taken


# --- suspension after no-shows ------------------------------------------------------------------------

def _strikes(world, court, times):
    """Strikes (no-shows of real bookings) at the given instants, latest last."""
    resident = world.users["resident"]
    for i, when in enumerate(times):
        b = services.book(resident, slot_at(court, at(1 + i, 12)).pk)
        services.mark_no_shows(now=b.slot.end + datetime.timedelta(days=1))
        Strike.objects.filter(booking=b).update(at=when)
    return resident


def test_a_suspension_lasts_exactly_the_set_days_from_the_last_strike(world, court):
    now = at(1, 8)
    suspend = datetime.timedelta(days=settings.BOOKING_SUSPEND_DAYS)
    last = now - datetime.timedelta(days=1)
    times = [last - datetime.timedelta(hours=k) for k in range(settings.BOOKING_STRIKES_TO_SUSPEND)][::-1]
    resident = _strikes(world, court, times)
    end = last + suspend
    assert services.suspended_until(resident, now=now) == end
    assert services.suspended_until(resident, now=end - SECOND) == end
    assert services.suspended_until(resident, now=end) is None
    assert services.suspended_until(resident, now=end + SECOND) is None
    # The booking rule, through hold()'s own locked read: suspended to the last second, free at the end
    # (the strikes moved so that the end falls an hour before a slot).
    slot = slot_at(court, at(3, 15))
    Strike.objects.filter(user=resident).update(at=slot.start - datetime.timedelta(hours=1) - suspend)
    end = slot.start - datetime.timedelta(hours=1)
    assert outcome(services.hold, resident, slot.pk, now=end - SECOND) == "suspended"
    assert outcome(services.hold, resident, slot.pk, now=end) == "ok"


def test_strikes_count_from_exactly_the_window_start(world, court):
    now = at(1, 8)
    window_start = now - datetime.timedelta(days=settings.BOOKING_STRIKE_WINDOW_DAYS)
    recent = [now - datetime.timedelta(hours=k + 1) for k in range(settings.BOOKING_STRIKES_TO_SUSPEND - 1)]
    resident = _strikes(world, court, [window_start, *recent])
    oldest = Strike.objects.filter(user=resident).order_by("at").first()
    assert services.suspended_until(resident, now=now) is not None  # the oldest counts at the exact start
    Strike.objects.filter(pk=oldest.pk).update(at=window_start - SECOND)
    assert services.suspended_until(resident, now=now) is None
    Strike.objects.filter(pk=oldest.pk).update(at=window_start + SECOND)
    assert services.suspended_until(resident, now=now) is not None


# --- cancellation: the refund deadline and the places ----------------------------------------------------

def _paid(resident, slot, key):
    b = services.confirm(services.hold(resident, slot.pk, client_key=key))
    return services.complete_payment(b.payment.reference)


def test_refund_until_the_exact_deadline(world, pool):
    resident = world.users["resident"]
    slot = slot_at(pool, at(2, 14))
    deadline = slot.start - datetime.timedelta(hours=pool.cancel_hours)
    for key, when, status in (("before", deadline - SECOND, "refunded"), ("at", deadline, "refunded"),
                              ("after", deadline + SECOND, "paid")):
        b = _paid(resident, slot, key)
        assert services.refund_due(b, False, when) is (status == "refunded"), key
        services.cancel(b, by=resident, now=when)
        b.payment.refresh_from_db()
        assert b.payment.status == status, key


def test_cancelling_gives_back_exactly_the_places_once(world, pool):
    resident = world.users["resident"]
    slot = slot_at(pool, at(2, 14))
    before = taken(slot)
    b = services.book(resident, slot.pk)
    assert taken(slot) == before + b.places == before + 1
    services.cancel(b, by=resident)
    assert taken(slot) == before
    assert outcome(services.cancel, b, by=resident) == "not_cancellable"
    assert outcome(services.cancel, b, by_venue=True, reason="检修") == "not_cancellable"
    assert taken(slot) == before
    # Someone else's booking keeps its place when a cancelled one is cancelled again.
    other = services.book(world.users["other_resident"], slot.pk)
    assert outcome(services.cancel, b, by=resident) == "not_cancellable"
    assert taken(slot) == before + other.places


def test_a_run_out_hold_cancelled_gives_back_nothing_more(world, pool):
    resident = world.users["resident"]
    slot = slot_at(pool, at(2, 14))
    before = taken(slot)
    held = services.hold(resident, slot.pk, now=slot.start - datetime.timedelta(days=1))
    assert services.expire_holds(now=held.hold_expires_at + SECOND) == 1
    assert taken(slot) == before
    assert outcome(services.cancel, held, by=resident, now=held.hold_expires_at + 2 * SECOND) == "not_cancellable"
    assert taken(slot) == before


def test_residents_cancel_until_the_start(world, court):
    resident = world.users["resident"]
    slot = slot_at(court, at(1, 12))
    b = services.book(resident, slot.pk)
    assert outcome(services.cancel, b, by=resident, now=slot.start) == "not_cancellable"
    assert outcome(services.cancel, b, by=resident, now=slot.start + SECOND) == "not_cancellable"
    assert taken(slot) == 1
    assert outcome(services.cancel, b, by=resident, now=slot.start - SECOND) == "ok"
    assert taken(slot) == 0


# --- holds ---------------------------------------------------------------------------------------------

def test_a_hold_lasts_exactly_the_units_minutes(world, court):
    resident = world.users["resident"]
    slot = slot_at(court, at(1, 12))
    t = slot.start - datetime.timedelta(days=1)
    held = services.hold(resident, slot.pk, now=t)
    expires = t + datetime.timedelta(minutes=court.hold_minutes)
    assert held.hold_expires_at == expires
    assert services.expire_holds(now=expires) == 0  # still held at the exact instant
    assert outcome(services.hold, world.users["other_resident"], slot.pk, now=expires) == "slot_full"
    assert outcome(services.hold, resident, slot.pk, now=expires) == "already_booked"  # one's own, too
    assert outcome(services.confirm, held, now=expires) == "ok"
    second = services.hold(world.users["other_resident"], slot_at(court, at(1, 13)).pk, now=t)
    assert services.expire_holds(now=expires + SECOND) == 1
    second.refresh_from_db()
    assert second.status == "expired" and taken(second.slot) == 0
    # One's own run-out hold no longer counts: the same person holds the same slot again.
    third = services.hold(resident, slot_at(court, at(1, 14)).pk, now=t)
    again = services.hold(resident, third.slot.pk, now=expires + SECOND)
    third.refresh_from_db()
    assert (again.status, third.status, taken(third.slot)) == ("held", "expired", 1)


def test_confirming_one_second_after_the_hold_ran_out_fails(world, court):
    resident = world.users["resident"]
    slot = slot_at(court, at(1, 12))
    t = slot.start - datetime.timedelta(days=1)
    held = services.hold(resident, slot.pk, now=t)
    expires = t + datetime.timedelta(minutes=court.hold_minutes)
    assert outcome(services.confirm, held, now=expires + SECOND) == "not_confirmable"
    held.refresh_from_db()
    # The refusal gives the place back at once (not at the next sweep), and only once.
    assert held.status == "expired" and held.confirmed_at is None and taken(slot) == 0
    assert services.expire_holds(now=expires + SECOND) == 0 and taken(slot) == 0


# --- when a slot may be booked -----------------------------------------------------------------------

def test_the_booking_window_ends_with_its_last_whole_day(world, court):
    """window_days counts whole days: from local midnight on day D a slot on D + window_days is open."""
    resident = world.users["resident"]
    slot = slot_at(court, at(court.window_days, 12))
    midnight = at(0, 0)
    assert outcome(services.hold, resident, slot.pk, now=midnight - SECOND) == "outside_window"
    assert outcome(services.hold, resident, slot.pk, now=midnight) == "ok"
    services.cancel(Booking.objects.get(user=resident, slot=slot), by=resident, now=midnight)
    assert outcome(services.hold, resident, slot.pk, now=midnight + SECOND) == "ok"


def test_a_slot_is_booked_until_its_start(world, court):
    resident = world.users["resident"]
    slot = slot_at(court, at(1, 12))
    assert outcome(services.hold, resident, slot.pk, now=slot.start + SECOND) == "slot_past"
    assert outcome(services.hold, resident, slot.pk, now=slot.start) == "slot_past"
    assert outcome(services.hold, resident, slot.pk, now=slot.start - SECOND) == "ok"


def test_open_bookings_count_until_their_start(world, court):
    resident = world.users["resident"]
    court.max_open_per_user, court.max_per_day = 2, 5
    court.save()
    first = services.book(resident, slot_at(court, at(1, 12)).pk).slot
    services.book(resident, slot_at(court, at(2, 12)).pk)
    third = slot_at(court, at(3, 12))
    # The page's word beside Book (rule_in_the_way) and hold() agree at both instants.
    with translation.override("en"):
        exc = services.rule_in_the_way(resident, third, now=first.start - SECOND)
        assert (exc.code, str(exc.message)) == ("limit_open", "You already have 2 open bookings, the most allowed.")
    assert services.rule_in_the_way(resident, third, now=first.start) is None
    assert outcome(services.hold, resident, third.pk, now=first.start - SECOND) == "limit_open"
    assert outcome(services.hold, resident, third.pk, now=first.start) == "ok"


def test_the_day_limit_is_the_set_number(world, court):
    resident = world.users["resident"]
    court.max_per_day, court.max_open_per_user = 2, 10
    court.save()
    for hour in range(12, 12 + court.max_per_day):
        assert outcome(services.book, resident, slot_at(court, at(1, hour)).pk) == "ok"
    with translation.override("en"):
        exc = services.rule_in_the_way(resident, slot_at(court, at(1, 18)))
        assert (exc.code, str(exc.message)) == ("limit_day", "You already have 2 bookings that day, the most allowed.")
    assert services.rule_in_the_way(resident, slot_at(court, at(2, 18))) is None
    assert outcome(services.book, resident, slot_at(court, at(1, 18)).pk) == "limit_day"
    assert outcome(services.book, resident, slot_at(court, at(2, 18)).pk) == "ok"


# --- at the venue: check-in, no-shows, reminders ----------------------------------------------------------

def test_check_in_opens_half_an_hour_before_and_closes_at_the_end(world, court):
    resident = world.users["resident"]
    early = services.book(resident, slot_at(court, at(1, 12)).pk)
    opens = early.slot.start - datetime.timedelta(minutes=30)
    assert outcome(services.check_in, early.code, now=opens - SECOND) == "check_in_closed"
    assert outcome(services.check_in, early.code, now=opens) == "ok"
    late = services.book(resident, slot_at(court, at(1, 14)).pk)
    assert outcome(services.check_in, late.code, now=late.slot.end + SECOND) == "check_in_closed"
    assert outcome(services.check_in, late.code, now=late.slot.end) == "ok"


def test_a_no_show_is_marked_after_exactly_the_grace(world, court):
    resident = world.users["resident"]
    b = services.book(resident, slot_at(court, at(1, 12)).pk)
    grace_ends = b.slot.end + datetime.timedelta(minutes=settings.BOOKING_NO_SHOW_GRACE_MINUTES)
    assert services.mark_no_shows(now=grace_ends - SECOND) == 0
    assert services.mark_no_shows(now=grace_ends) == 0
    assert not Strike.objects.filter(user=resident).exists()
    assert services.mark_no_shows(now=grace_ends + SECOND) == 1
    b.refresh_from_db()
    assert b.status == "no_show" and Strike.objects.filter(booking=b).exists()


def test_reminders_go_out_exactly_the_set_hours_before(world, court):
    resident = world.users["resident"]
    b = services.book(resident, slot_at(court, at(1, 12)).pk)
    horizon = b.slot.start - datetime.timedelta(hours=settings.BOOKING_REMINDER_HOURS)
    assert services.send_reminders(now=horizon - SECOND) == 0
    assert services.send_reminders(now=horizon) == 1
    assert services.send_reminders(now=horizon + SECOND) == 0  # once
    starting = services.book(resident, slot_at(court, at(1, 15)).pk)
    assert services.send_reminders(now=starting.slot.start) == 0  # too late to remind
    assert services.send_reminders(now=starting.slot.start - SECOND) == 1


def test_the_senior_rate_goes_by_the_age_on_the_slots_day(world, court):
    """Sixty on the day of the slot is sixty, though not yet on the day of booking (pricing.eligibility
    is asked about the slot's day, not today's)."""
    offset = 3 if (timezone.localdate() + datetime.timedelta(days=3)).strftime("%m%d") != "0229" else 4
    birthday, eve = slot_at(court, at(offset, 12)), slot_at(court, at(offset - 1, 12))
    day = timezone.localtime(birthday.start).date()
    born = day.replace(year=day.year - pricing.SENIOR_AGE)
    person = make_user("13700000077", "寿星", birth=f"{born:%Y%m%d}", seq=77)
    assert person.age() == pricing.SENIOR_AGE - 1  # today
    assert Certificate.Kind.SENIOR in pricing.eligibility(person, day)
    assert Certificate.Kind.SENIOR not in pricing.eligibility(person, day - datetime.timedelta(days=1))
    on_the_day, the_day_before = services.book(person, birthday.pk), services.book(person, eve.pk)
    assert (on_the_day.price, on_the_day.price_basis) == (0, "senior")
    assert (the_day_before.price, the_day_before.price_basis) == (eve.price, "standard")


def test_a_reminder_tells_its_own_booking_once_even_when_another_node_runs(world, court, monkeypatch):
    """Each booking is reminded once, by whichever run marks it first: a run that read the list before
    another node reminded a booking leaves that booking alone; a booking outside the window is untouched."""
    resident = world.users["resident"]
    first, second = (services.book(resident, slot_at(court, at(1, hour)).pk) for hour in (12, 13))
    later = services.book(resident, slot_at(court, at(3, 12)).pk)
    now = first.slot.start - datetime.timedelta(hours=settings.BOOKING_REMINDER_HOURS)
    now = max(now, second.slot.start - datetime.timedelta(hours=settings.BOOKING_REMINDER_HOURS))
    told = []

    def notify_while_another_node_reminds_the_other(user, subject, text):
        told.append((user, str(subject), str(text)))
        other = second if first.code in str(text) else first
        Booking.objects.filter(pk=other.pk).update(reminded_at=now)  # another node, meanwhile

    monkeypatch.setattr(services, "notify", notify_while_another_node_reminds_the_other)
    with translation.override("en"):
        assert services.send_reminders(now=now) == 1
    (user, subject, text), = told
    this = first if first.code in text else second
    start = timezone.localtime(this.slot.start).strftime("%H:%M")
    assert (user, subject, text) == (resident, "Reminder",
                                     f"{court.name} at {court.site.name} starts at {start}. Code {this.code}.")
    for b in (first, second, later):
        b.refresh_from_db()
    assert first.reminded_at == second.reminded_at == now and later.reminded_at is None


def test_one_run_reminds_every_due_booking_and_counts_them(world, court):
    resident = world.users["resident"]
    due = [services.book(resident, slot_at(court, at(1, hour)).pk) for hour in (12, 13)]  # the day's limit
    now = due[-1].slot.start - datetime.timedelta(hours=settings.BOOKING_REMINDER_HOURS)
    before = resident.notifications.count()
    assert services.send_reminders(now=now) == 2
    assert resident.notifications.count() == before + 2


def test_a_payment_lands_until_the_holds_last_instant_and_twice_is_once(world, pool):
    """The provider's call-back confirms a hold up to its exact expiry; a second call-back for the same
    payment answers the confirmed booking; one for a cancelled booking or an unknown payment is refused."""
    resident = world.users["resident"]
    t = slot_at(pool, at(2, 14)).start - datetime.timedelta(days=1)
    on_time, late, cancelled = (services.confirm(services.hold(resident, slot_at(pool, at(d, h)).pk, now=t), now=t)
                                for d, h in ((2, 14), (2, 19), (3, 14)))
    for b in (on_time, late):
        assert b.status == "held" and b.hold_expires_at == t + datetime.timedelta(minutes=pool.hold_minutes)
    expires = on_time.hold_expires_at
    assert services.complete_payment(on_time.payment.reference, now=expires).status == "confirmed"
    assert services.complete_payment(on_time.payment.reference, now=expires + SECOND).pk == on_time.pk
    assert outcome(services.complete_payment, late.payment.reference, now=expires + SECOND) == "not_confirmable"
    services.cancel(cancelled, by=resident, now=t)
    assert outcome(services.complete_payment, cancelled.payment.reference, now=t) == "not_confirmable"
    assert outcome(services.complete_payment, "no-such-reference", now=t) == "not_found"
    on_time.refresh_from_db()
    on_time.payment.refresh_from_db()
    assert on_time.confirmed_at == expires and on_time.payment.status == "paid"


def test_a_check_in_is_audited_with_who_and_which_booking_once(world, court):
    staff = world.users["community"]
    b = services.book(world.users["resident"], slot_at(court, at(1, 12)).pk)
    assert outcome(services.check_in, "NO-SUCH-CODE", staff=staff, now=b.slot.start) == "not_found"
    for _ in range(2):  # a second scan of the same code answers the booking and records nothing more
        assert services.check_in(b.code.lower(), staff=staff, now=b.slot.start).status == "checked_in"
    entries = AuditEntry.objects.filter(action="check_in", target_id=str(b.pk))
    assert [(e.actor_id, e.target_type) for e in entries] == [(staff.pk, "booking.booking")]
    b.refresh_from_db()
    assert (b.status, b.checked_in_at) == ("checked_in", b.slot.start)


def test_only_online_and_waitlist_bookings_become_no_shows_each_told(world, court):
    """A walk-in booked at the counter is no strike when nobody checks it in; an online booking is one,
    and its person is told which booking they missed."""
    resident, staff = world.users["resident"], world.users["community"]
    online = services.book(resident, slot_at(court, at(1, 12)).pk)
    walk_in = services.book(world.users["other_resident"], slot_at(court, at(1, 13)).pk, staff=staff,
                            channel=Booking.Channel.WALK_IN)
    after = walk_in.slot.end + datetime.timedelta(minutes=settings.BOOKING_NO_SHOW_GRACE_MINUTES) + SECOND
    before = resident.notifications.count()
    with translation.override("en"):
        assert services.mark_no_shows(now=after) == 1
    walk_in.refresh_from_db()
    assert walk_in.status == "confirmed" and not Strike.objects.filter(booking=walk_in).exists()
    assert resident.notifications.count() == before + 1
    note = resident.notifications.first()
    when = timezone.localtime(online.slot.start).strftime("%Y-%m-%d %H:%M")
    assert (note.subject, note.text) == ("Missed booking", f"You did not arrive for {court.name} on {when}. "
                                         "Repeated no-shows suspend online booking.")
