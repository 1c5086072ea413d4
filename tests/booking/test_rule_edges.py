"""The rules the mutation run (`make mutants`, issue 25) found unchecked, each at its edge: the rule
the page shows before Book (rule_in_the_way), the waitlist's own checks, a cancellation's every
effect, the sweep of run-out holds and a discount taken off a held booking. Expected instants and
figures come from settings and the unit's own numbers, never from the function under test."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone, translation

from quanmin.accounts.models import AuditEntry
from quanmin.booking import services
from quanmin.booking.errors import BookingError
from quanmin.booking.models import Booking, Payment, Strike, WaitlistEntry

from ..conftest import make_user
from .conftest import at, slot_at

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def no_world_bookings(world):
    # The shared world books a court for each resident; these tests start from none.
    for b in (world.booking, world.other_booking):
        services.cancel(b, by=b.user)


def refusal(fn, *a, **k):
    """(code, status, message) of the service's refusal; None when it went through."""
    try:
        fn(*a, **k)
    except BookingError as exc:
        return exc.code, exc.status, str(exc.message)
    return None


def code(fn, *a, **k) -> str:
    answer = refusal(fn, *a, **k)
    return "ok" if answer is None else answer[0]


def in_the_way(user, slot, now):
    """rule_in_the_way's (code, status, message), or None."""
    exc = services.rule_in_the_way(user, slot, now=now)
    return None if exc is None else (exc.code, exc.status, str(exc.message))


def taken(slot) -> int:
    slot.refresh_from_db()
    return slot.taken


def suspend(resident, court, last):
    """Enough no-show strikes for a suspension, the latest at `last` (the others an hour apart before)."""
    for i in range(settings.BOOKING_STRIKES_TO_SUSPEND):
        b = services.book(resident, slot_at(court, at(1 + i, 12)).pk)
        services.mark_no_shows(now=b.slot.end + datetime.timedelta(days=1))
        Strike.objects.filter(booking=b).update(at=last - datetime.timedelta(hours=i))
    return last + datetime.timedelta(days=settings.BOOKING_SUSPEND_DAYS)


# --- rule_in_the_way: what the page says beside Book -----------------------------------------------------

def test_nothing_is_in_the_way_until_the_slots_exact_start(world, court):
    resident = world.users["resident"]
    slot = slot_at(court, at(1, 12))
    with translation.override("en"):
        assert in_the_way(resident, slot, slot.start - SECOND) is None
        assert in_the_way(resident, slot, slot.start) == ("slot_past", 409, "This time has already started.")
        assert in_the_way(resident, slot, slot.start + SECOND)[0] == "slot_past"
    assert services.rule_in_the_way(resident, slot_at(court, at(2, 12))) is None  # now: the real clock
    slot.blocked = True
    slot.save()
    assert in_the_way(resident, slot, slot.start - SECOND)[0] == "slot_blocked"


def test_in_the_way_a_hold_counts_until_its_exact_expiry(world, court):
    resident = world.users["resident"]
    slot = slot_at(court, at(1, 12))
    t = slot.start - datetime.timedelta(days=1)
    services.hold(resident, slot.pk, now=t)
    expires = t + datetime.timedelta(minutes=court.hold_minutes)
    assert in_the_way(resident, slot, expires)[0] == "already_booked"
    assert in_the_way(resident, slot, expires - SECOND)[0] == "already_booked"
    assert in_the_way(resident, slot, expires + SECOND) is None
    # A confirmed booking (no expiry) counts whenever it is asked; a cancelled one never.
    other = slot_at(court, at(1, 13))
    confirmed = services.book(resident, other.pk, now=t)
    assert in_the_way(resident, other, expires + SECOND)[0] == "already_booked"
    services.cancel(confirmed, by=resident, now=t)
    assert in_the_way(resident, other, expires + SECOND) is None


def test_in_the_way_a_suspension_to_its_last_second(world, court):
    resident = world.users["resident"]
    slot = slot_at(court, at(5, 15))
    end = suspend(resident, court, slot.start - datetime.timedelta(hours=1, days=settings.BOOKING_SUSPEND_DAYS))
    assert end == slot.start - datetime.timedelta(hours=1)
    day = timezone.localtime(end).strftime("%Y-%m-%d")
    with translation.override("en"):
        assert in_the_way(resident, slot, end - SECOND) == (
            "suspended", 403, f"Online booking is suspended until {day} after repeated no-shows.")
    assert in_the_way(resident, slot, end) is None


def test_in_the_way_real_name_and_age(world, court):
    slot = slot_at(court, at(3, 12))
    nameless = make_user("13700000061", "", seq=61)
    assert in_the_way(nameless, slot, slot.start - SECOND)[:2] == ("real_name_required", 403)
    day = timezone.localtime(slot.start).date()
    court.min_age, court.guardian_under = 16, 18
    court.save()
    slot.refresh_from_db()

    def born(years_before, days=0):
        d = day.replace(year=day.year - years_before) if (day.month, day.day) != (2, 29) else day.replace(
            year=day.year - years_before, day=28)
        return f"{d + datetime.timedelta(days=days):%Y%m%d}"

    sixteen_today = make_user("13700000062", "十六", birth=born(16), seq=62)
    sixteen_tomorrow = make_user("13700000063", "十五", birth=born(16, 1), seq=63)
    eighteen_today = make_user("13700000064", "十八", birth=born(18), seq=64)
    with translation.override("en"):
        assert in_the_way(sixteen_tomorrow, slot, slot.start - SECOND) == ("too_young", 409, "The minimum age here is 16.")
        assert in_the_way(sixteen_today, slot, slot.start - SECOND) == (
            "guardian_required", 409, "Children under 18 book as a companion of an adult.")
    assert in_the_way(eighteen_today, slot, slot.start - SECOND) is None
    court.min_age = court.guardian_under = 0
    court.save()
    slot.refresh_from_db()
    assert in_the_way(sixteen_tomorrow, slot, slot.start - SECOND) is None


def test_hold_refuses_a_child_like_the_page(world, pool):
    slot = slot_at(pool, at(2, 14))
    child = make_user("13700000065", "小孩", birth=f"{timezone.localdate().year - 10}0101", seq=65)
    assert refusal(services.hold, child, slot.pk)[:2] == ("guardian_required", 409)
    reason = " 家长陪同" + "。" * 250 + " "
    assert refusal(services.hold, child, slot.pk, staff=world.users["community"], override_reason=reason) is None
    b = Booking.objects.get(user=child)
    assert b.staff_override == ("家长陪同" + "。" * 250)[:200]
    entry = AuditEntry.objects.get(action="book_override", target_id=str(b.pk))
    assert (entry.actor_id, entry.detail) == (world.users["community"].pk, {"reason": reason, "for": child.pk})


# --- hold: the staff override and the request's own figures ------------------------------------------------

def test_an_online_override_needs_a_reason_a_counter_booking_does_not(world, court):
    resident, staff = world.users["resident"], world.users["community"]
    slot = slot_at(court, at(1, 12))
    assert refusal(services.hold, resident, slot.pk, staff=staff, override_reason="  ")[:2] == ("reason_required", 400)
    assert taken(slot) == 0 and not Booking.objects.filter(slot=slot).exists()
    b = services.hold(resident, slot.pk, staff=staff, channel=Booking.Channel.WALK_IN)
    assert (b.channel, b.staff_override) == ("walk_in", "")
    assert AuditEntry.objects.filter(action="book_override", target_id=str(b.pk)).count() == 1
    plain = services.hold(resident, slot_at(court, at(1, 13)).pk)
    assert not AuditEntry.objects.filter(action="book_override", target_id=str(plain.pk)).exists()


def test_a_session_takes_a_place_for_each_companion_and_keeps_only_real_ones(world, pool):
    resident = world.users["resident"]
    slot = slot_at(pool, at(2, 14))
    key = "k" * 70
    b = services.hold(resident, slot.pk, companions=[{"name": "甲"}, "乙", None, {"name": "丙"}], client_key=key)
    assert (b.places, b.companions, b.client_key) == (3, [{"name": "甲"}, {"name": "丙"}], "k" * 64)
    assert taken(slot) == 3 and b.price == 3 * slot.price
    assert services.hold(resident, slot.pk, client_key=key).pk == b.pk  # the same key, cut the same way


def test_a_closed_site_takes_no_booking(world, court):
    from quanmin.facilities.models import Site

    Site.objects.filter(pk=court.site_id).update(status=Site.Status.CLOSED)
    slot = slot_at(court, at(1, 12))
    assert code(services.hold, world.users["resident"], slot.pk) == "site_closed"
    assert taken(slot) == 0


# --- the waitlist ---------------------------------------------------------------------------------------------

def test_the_waitlist_is_joined_until_the_slots_exact_start(world, court):
    slot = slot_at(court, at(1, 12))
    services.book(world.users["other_resident"], slot.pk)
    resident = world.users["resident"]
    assert code(services.join_waitlist, resident, slot.pk, now=slot.start) == "slot_past"
    assert code(services.join_waitlist, resident, slot.pk, now=slot.start + SECOND) == "slot_past"
    entry = services.join_waitlist(resident, slot.pk, now=slot.start - SECOND)
    assert (entry.slot_id, entry.user_id, entry.status, entry.places) == (slot.pk, resident.pk, "waiting", 1)
    assert code(services.join_waitlist, resident, slot.pk, now=slot.start - SECOND) == "already_waiting"
    assert code(services.join_waitlist, resident, 10**9) == "not_found"
    slot.blocked = True
    slot.save()
    assert code(services.join_waitlist, world.users["county"], slot.pk, now=slot.start - SECOND) == "slot_blocked"


def test_the_waitlist_takes_only_a_full_slot_and_counts_holds_to_their_expiry(world, pool):
    slot = slot_at(pool, at(1, 19))  # 3 places
    resident, other = world.users["resident"], world.users["other_resident"]
    t = slot.start - datetime.timedelta(days=1)
    assert code(services.join_waitlist, resident, slot.pk, now=t) == "not_full"
    held = services.hold(other, slot.pk, companions=[{}, {}], now=t)
    assert code(services.join_waitlist, other, slot.pk, now=t) == "already_booked"
    # Two places asked for, none free: on the list; three free after the hold ran out: not.
    assert services.join_waitlist(resident, slot.pk, places=2, now=held.hold_expires_at).places == 2
    WaitlistEntry.objects.filter(user=resident).delete()
    assert code(services.join_waitlist, resident, slot.pk, now=held.hold_expires_at + SECOND) == "not_full"
    held.refresh_from_db()
    assert held.status == "expired" and taken(slot) == 0


def test_a_suspended_person_cannot_join_the_waitlist_until_the_suspension_ends(world, court):
    resident = world.users["resident"]
    slot = slot_at(court, at(5, 15))
    services.book(world.users["other_resident"], slot.pk)
    end = suspend(resident, court, slot.start - datetime.timedelta(hours=1, days=settings.BOOKING_SUSPEND_DAYS))
    assert refusal(services.join_waitlist, resident, slot.pk, now=end - SECOND)[:2] == ("suspended", 403)
    assert services.join_waitlist(resident, slot.pk, now=end).status == "waiting"


def test_an_offer_is_held_until_the_set_minutes_or_the_start_whichever_first(world, pool):
    slot = slot_at(pool, at(2, 19))  # 3 places
    first, second, third = world.users["resident"], world.users["other_resident"], world.users["county"]
    t = slot.start - datetime.timedelta(days=1)
    three = services.book(first, slot.pk, companions=[{}, {}], now=t)
    wants_two = services.join_waitlist(second, slot.pk, places=2, now=t)
    wants_two_too = services.join_waitlist(third, slot.pk, places=2, now=t)
    services.cancel(three, by=first, now=t)
    wants_two.refresh_from_db()
    wants_two_too.refresh_from_db()
    offer = wants_two.offer
    assert (wants_two.status, wants_two_too.status) == ("offered", "waiting")  # one free place left: too few
    assert offer.hold_expires_at == t + datetime.timedelta(minutes=settings.BOOKING_WAITLIST_OFFER_MINUTES)
    assert (offer.status, offer.channel, offer.places, offer.price) == ("held", "waitlist", 2, 2 * slot.price)
    assert taken(slot) == 2
    # Close to the start the offer ends at the start.
    late = slot.start - datetime.timedelta(minutes=settings.BOOKING_WAITLIST_OFFER_MINUTES) + SECOND
    services.cancel(offer, by=second, now=late)
    wants_two_too.refresh_from_db()
    assert wants_two_too.status == "offered" and wants_two_too.offer.hold_expires_at == slot.start
    wants_two.refresh_from_db()
    assert wants_two.status == "lapsed"


def test_no_offer_once_the_slot_has_started(world, pool):
    slot = slot_at(pool, at(2, 19))
    resident, other = world.users["resident"], world.users["other_resident"]
    t = slot.start - datetime.timedelta(days=1)
    b = services.book(resident, slot.pk, companions=[{}, {}], now=t)
    entry = services.join_waitlist(other, slot.pk, now=t)
    services.cancel(b, by=world.users["county"], by_venue=True, reason="停电", now=slot.start)
    entry.refresh_from_db()
    assert entry.status == "waiting" and taken(slot) == 0
    assert services.offer_next(slot.pk, now=slot.start) is None
    assert services.offer_next(slot.pk, now=slot.start - SECOND).pk == entry.pk
    entry.refresh_from_db()
    assert entry.status == "offered" and entry.offer.hold_expires_at == slot.start and taken(slot) == 1


# --- cancel: every effect -------------------------------------------------------------------------------------

def test_the_venue_cancels_even_after_the_start_and_refunds_in_full(world, pool):
    resident, staff = world.users["resident"], world.users["county"]
    slot = slot_at(pool, at(2, 14))
    b = services.complete_payment(services.confirm(services.hold(resident, slot.pk)).payment.reference)
    after = slot.start + SECOND
    assert refusal(services.cancel, b, by=staff, by_venue=True, reason="  ", now=after)[:2] == ("reason_required", 400)
    b.refresh_from_db()
    assert b.status == "confirmed"
    reason = "  " + "停" * 250 + "  "
    cancelled = services.cancel(b, by=staff, by_venue=True, reason=reason, now=after)
    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.cancelled_at, cancelled.cancelled_by_venue) == ("cancelled", after, True)
    assert cancelled.cancel_reason == "停" * 200
    assert taken(slot) == 0
    cancelled.payment.refresh_from_db()
    assert (cancelled.payment.status, cancelled.payment.refunded) == ("refunded", cancelled.payment.amount)
    entry = AuditEntry.objects.get(action="cancel", target_id=str(b.pk))
    assert entry.actor_id == staff.pk
    assert entry.detail == {"by_venue": True, "reason": reason, "refund": True}


def test_a_resident_cancelling_late_is_not_refunded_and_is_told(world, pool):
    resident = world.users["resident"]
    slot = slot_at(pool, at(2, 14))
    b = services.complete_payment(services.confirm(services.hold(resident, slot.pk)).payment.reference)
    late = slot.start - datetime.timedelta(hours=pool.cancel_hours) + SECOND
    with translation.override("en"):
        services.cancel(b, by=resident, reason=" 有事 ", now=late)
    b.refresh_from_db()
    b.payment.refresh_from_db()
    assert (b.status, b.cancel_reason, b.cancelled_by_venue, b.cancelled_at) == ("cancelled", "有事", False, late)
    assert (b.payment.status, b.payment.refunded) == ("paid", 0)
    assert AuditEntry.objects.get(action="cancel", target_id=str(b.pk)).detail["refund"] is False
    note = resident.notifications.first()
    when = timezone.localtime(slot.start).strftime("%Y-%m-%d %H:%M")
    assert (note.subject, note.text) == ("Booking cancelled", f"{pool.name}, {when}.")


def test_the_venue_cancelling_tells_the_reason(world, court):
    resident = world.users["resident"]
    b = services.book(resident, slot_at(court, at(1, 12)).pk)
    with translation.override("en"):
        services.cancel(b, by=world.users["county"], by_venue=True, reason="场地维修")
    note = resident.notifications.first()
    when = timezone.localtime(b.slot.start).strftime("%Y-%m-%d %H:%M")
    assert (note.subject, note.text) == ("Booking cancelled by the venue",
                                         f"{court.name}, {when} was cancelled: 场地维修. Any payment is refunded in full.")
    b.payment.refresh_from_db()
    assert b.payment.status == "refunded"


def test_a_pending_payment_is_left_alone_and_an_unknown_provider_refunds_as_on_site(world, pool, court):
    resident = world.users["resident"]
    slot = slot_at(pool, at(2, 14))
    pending = services.confirm(services.hold(resident, slot.pk))
    services.cancel(pending, by=resident)
    pending.payment.refresh_from_db()
    assert pending.payment.status == "pending"
    odd = services.book(resident, slot_at(court, at(1, 12)).pk)
    Payment.objects.filter(pk=odd.payment.pk).update(provider="retired", status="paid")
    services.cancel(odd, by=resident)
    odd.payment.refresh_from_db()
    assert (odd.payment.status, odd.payment.refunded) == ("refunded", 0)  # on site's refund: nothing taken


def test_cancelling_an_offer_lapses_it_and_offers_the_next(world, court):
    slot = slot_at(court, at(1, 12))
    resident, other, third = world.users["resident"], world.users["other_resident"], world.users["county"]
    b = services.book(resident, slot.pk)
    first = services.join_waitlist(other, slot.pk)
    second = services.join_waitlist(third, slot.pk)
    services.cancel(b, by=resident)
    first.refresh_from_db()
    services.cancel(first.offer, by=other)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("lapsed", "offered")
    assert taken(slot) == 1 and second.offer.user_id == third.pk


# --- the sweep of run-out holds -----------------------------------------------------------------------------

def test_a_run_out_hold_gives_back_all_its_places_once_and_its_offer_lapses(world, pool):
    slot = slot_at(pool, at(2, 19))  # 3 places
    resident, other = world.users["resident"], world.users["other_resident"]
    t = slot.start - datetime.timedelta(days=1)
    three = services.book(resident, slot.pk, companions=[{}, {}], now=t)
    entry = services.join_waitlist(other, slot.pk, places=3, now=t)
    services.cancel(three, by=resident, now=t)
    entry.refresh_from_db()
    expires = entry.offer.hold_expires_at
    assert services.expire_stale_holds(slot.pk, expires) == 0
    entry.refresh_from_db()
    assert entry.status == "offered" and taken(slot) == 3
    assert services.expire_stale_holds(slot.pk, expires + SECOND) == 1
    assert services.expire_stale_holds(slot.pk, expires + 2 * SECOND) == 0
    entry.refresh_from_db()
    entry.offer.refresh_from_db()
    assert (entry.status, entry.offer.status, taken(slot)) == ("lapsed", "expired", 0)


def test_every_run_out_hold_of_a_session_is_counted(world, pool):
    slot = slot_at(pool, at(2, 19))
    t = slot.start - datetime.timedelta(days=1)
    for who in ("resident", "other_resident"):
        services.hold(world.users[who], slot.pk, now=t)
    expires = t + datetime.timedelta(minutes=pool.hold_minutes)
    assert services.expire_stale_holds(slot.pk, expires + SECOND) == 2 and taken(slot) == 0


def test_the_sweep_counts_every_slot_and_offers_what_it_freed(world, court):
    resident, other, third = world.users["resident"], world.users["other_resident"], world.users["county"]
    a, b = slot_at(court, at(1, 12)), slot_at(court, at(1, 13))
    t = a.start - datetime.timedelta(days=1)
    services.hold(resident, a.pk, now=t)
    services.hold(other, b.pk, now=t)
    waiting = services.join_waitlist(third, a.pk, now=t)
    expires = t + datetime.timedelta(minutes=court.hold_minutes)
    assert services.expire_holds(now=expires) == 0
    assert services.expire_holds(now=expires + SECOND) == 2
    waiting.refresh_from_db()
    assert waiting.status == "offered" and taken(a) == 1 and taken(b) == 0
    assert waiting.offer.hold_expires_at == expires + SECOND + datetime.timedelta(
        minutes=settings.BOOKING_WAITLIST_OFFER_MINUTES)


def test_confirming_a_run_out_hold_releases_its_place(world, court):
    resident = world.users["resident"]
    slot = slot_at(court, at(1, 12))
    t = slot.start - datetime.timedelta(days=1)
    held = services.hold(resident, slot.pk, now=t)
    assert code(services.confirm, held, now=held.hold_expires_at + SECOND) == "not_confirmable"
    held.refresh_from_db()
    assert held.status == "expired" and taken(slot) == 0
    confirmed = services.book(resident, slot.pk, now=t)
    assert services.confirm(confirmed, now=slot.end).pk == confirmed.pk  # confirmed stays confirmed


# --- a discount taken off a held booking -------------------------------------------------------------------------

def test_a_discount_comes_off_a_held_booking_up_to_its_price(world, pool):
    resident = world.users["resident"]
    t = slot_at(pool, at(2, 14)).start - datetime.timedelta(days=1)
    held = [services.hold(resident, slot_at(pool, at(d, h)).pk, now=t) for d, h in ((2, 14), (2, 19), (3, 14))]
    price = held[0].price
    assert price == Decimal("15.00")
    for amount in (Decimal("0"), Decimal("-1"), price + Decimal("0.01")):
        assert code(services.take_discount, held[0].pk, amount, basis="points", now=t) == "not_confirmable"
    b = services.take_discount(held[0].pk, price, basis="voucher-" + "x" * 30, now=held[0].hold_expires_at)
    b.refresh_from_db()
    assert (b.price, b.price_basis) == (0, ("voucher-" + "x" * 30)[:20])
    part = services.take_discount(held[1].pk, Decimal("5.50"), basis="points", now=t)
    part = services.take_discount(held[1].pk, Decimal("0.01"), basis="points", now=t)  # the least there is
    part.refresh_from_db()
    assert (part.price, part.price_basis) == (Decimal("9.49"), "points")
    assert code(services.take_discount, held[2].pk, Decimal("1"), basis="points",
                now=held[2].hold_expires_at + SECOND) == "not_confirmable"
    assert code(services.take_discount, 10**9, Decimal("1"), basis="points") == "not_found"


def test_no_discount_once_payment_started_or_the_booking_is_not_held(world, pool, court):
    resident = world.users["resident"]
    paying = services.confirm(services.hold(resident, slot_at(pool, at(2, 14)).pk))
    assert paying.status == "held" and code(services.take_discount, paying.pk, Decimal("1"), basis="points") == "not_confirmable"
    confirmed = services.book(resident, slot_at(court, at(1, 12)).pk)
    assert code(services.take_discount, confirmed.pk, Decimal("1"), basis="points") == "not_confirmable"
    for b in (paying, confirmed):
        before = b.price
        b.refresh_from_db()
        assert b.price == before


# --- the flow's own figures ------------------------------------------------------------------------------------

def test_a_retry_for_a_vanished_slot_answers_its_own_booking_only(world, court):
    resident = world.users["resident"]
    b = services.hold(resident, slot_at(court, at(1, 12)).pk, client_key="retry-1")
    assert services.hold(resident, 10**9, client_key="retry-1").pk == b.pk
    assert code(services.hold, resident, 10**9, client_key="retry-2") == "not_found"
    assert code(services.hold, world.users["other_resident"], 10**9, client_key="retry-1") == "not_found"
    assert code(services.hold, resident, 10**9) == "not_found"


def test_a_court_slot_is_one_party_a_session_counts_every_person(world):
    from quanmin.booking import schedule
    from quanmin.booking.models import WeeklyTemplate

    resident = world.users["resident"]
    made = {}
    for kind in ("slot", "session"):
        unit = services.create_unit(world.facility, name=f"双人{kind}", kind=kind, payment_provider="on_site")
        for weekday in range(8):
            WeeklyTemplate.objects.create(unit=unit, weekday=weekday, start=datetime.time(12), end=datetime.time(13),
                                          capacity=2, price=10)
        schedule.generate_slots(unit)
        made[kind] = services.hold(resident, slot_at(unit, at(1 if kind == "slot" else 2, 12)).pk,
                                   companions=[{"name": "同伴"}])
    assert (made["slot"].places, made["slot"].price) == (1, 20)  # one place; each person pays
    assert (made["session"].places, made["session"].price) == (2, 20)
    assert taken(made["slot"].slot) == 1 and taken(made["session"].slot) == 2


def test_book_confirms_at_the_instant_it_is_given(world, court):
    resident = world.users["resident"]
    then = timezone.now() - datetime.timedelta(hours=1)  # its hold ran out long before the real now
    b = services.book(resident, slot_at(court, at(1, 12)).pk, now=then)
    assert (b.status, b.confirmed_at, b.hold_expires_at) == ("confirmed", then, None)


def test_confirming_twice_opens_one_payment(world, pool):
    resident = world.users["resident"]
    held = services.hold(resident, slot_at(pool, at(2, 14)).pk)
    first = services.confirm(held)
    again = services.confirm(held)
    assert first.payment.pk == again.payment.pk and Payment.objects.filter(booking=held).count() == 1
    assert (again.status, again.payment.status, again.payment.amount) == ("held", "pending", held.price)


def test_taking_an_offer_tells_the_person_and_marks_it_taken(world, court):
    slot = slot_at(court, at(1, 12))
    resident, other = world.users["resident"], world.users["other_resident"]
    t = slot.start - datetime.timedelta(days=1)
    b = services.book(resident, slot.pk, now=t)
    entry = services.join_waitlist(other, slot.pk, now=t)
    with translation.override("en"):
        services.cancel(b, by=resident, now=t)
        entry.refresh_from_db()
        confirmed = services.confirm(entry.offer, now=t)
    entry.refresh_from_db()
    assert (entry.status, confirmed.status, confirmed.confirmed_at) == ("taken", "confirmed", t)
    when = timezone.localtime(slot.start).strftime("%Y-%m-%d %H:%M")
    deadline = timezone.localtime(t + datetime.timedelta(minutes=settings.BOOKING_WAITLIST_OFFER_MINUTES))
    told = set(other.notifications.values_list("subject", "text"))
    assert told >= {
        ("A place is free for you",
         f"{court.name}, {when}: confirm by {deadline:%H:%M} or it goes to the next person."),
        ("Booking confirmed", f"{court.name}, {when}. Check-in code {confirmed.code}."),
    }


def test_a_unit_is_made_only_with_a_known_payment_and_kind(world):
    from quanmin.booking.models import BookableUnit

    before = BookableUnit.objects.count()
    assert refusal(services.create_unit, world.facility, name="场", payment_provider="cash")[:2] == (
        "payment_provider_unknown", 400)
    with pytest.raises(BookingError) as exc:
        services.create_unit(world.facility, name="场", kind="pool", payment_provider="on_site")
    assert (exc.value.code, exc.value.status, exc.value.field) == ("invalid_input", 400, "kind")
    assert BookableUnit.objects.count() == before
    unit = services.create_unit(world.facility, name="  " + "长" * 90 + "  ", payment_provider="on_site",
                                request=None)
    assert unit.name == "长" * 80 and (unit.site_id, unit.region_id) == (world.facility.site_id, world.facility.region_id)
    assert AuditEntry.objects.filter(action="create", target_id=str(unit.pk), target_type="booking.bookableunit").exists()
