"""The booking flow and its rules, each at its edges."""

import datetime

import pytest
from django.utils import timezone

from quanmin.booking import services, services_console
from quanmin.booking.errors import BookingError
from quanmin.booking.models import Booking, Certificate, Payment, Strike, WaitlistEntry

from .conftest import at, slot_at


@pytest.fixture(autouse=True)
def no_world_bookings(world):
    # The shared world books a court for each resident; these rule tests start from none.
    for b in (world.booking, world.other_booking):
        services.cancel(b, by=b.user)


def code_of(fn, *a, **k):
    with pytest.raises(BookingError) as exc:
        fn(*a, **k)
    return exc.value.code


def test_hold_confirm_check_in(world, court):
    resident = world.users["resident"]
    slot = slot_at(court, at(1, 18))
    booking = services.hold(resident, slot.pk)
    assert booking.status == "held" and booking.price == 20 and booking.hold_expires_at
    slot.refresh_from_db()
    assert slot.taken == 1
    booking = services.confirm(booking)
    assert booking.status == "confirmed" and booking.payment.status == Payment.Status.ON_SITE
    assert code_of(services.check_in, booking.code, now=at(1, 17)) == "check_in_closed"
    assert services.check_in(booking.code.lower(), now=at(1, 17, 45)).status == "checked_in"


def test_a_slot_takes_one_party(world, court):
    slot = slot_at(court, at(1, 18))
    services.book(world.users["resident"], slot.pk)
    assert code_of(services.book, world.users["other_resident"], slot.pk) == "slot_full"


def test_expired_hold_releases_the_place(world, court):
    slot = slot_at(court, at(1, 18))
    held = services.hold(world.users["resident"], slot.pk)
    later = timezone.now() + datetime.timedelta(minutes=court.hold_minutes + 1)
    other = services.hold(world.users["other_resident"], slot.pk, now=later)
    held.refresh_from_db()
    assert held.status == "expired" and other.status == "held"
    assert code_of(services.confirm, held, now=later) == "not_confirmable"


def test_idempotent_client_key(world, court):
    slot = slot_at(court, at(1, 18))
    a = services.book(world.users["resident"], slot.pk, client_key="k-1")
    b = services.book(world.users["resident"], slot.pk, client_key="k-1")
    assert a.pk == b.pk and Booking.objects.filter(client_key="k-1").count() == 1


def test_window_edges(world, court):
    resident = world.users["resident"]
    last = slot_at(court, at(court.window_days, 12))
    services.book(resident, last.pk)
    from quanmin.booking import schedule

    schedule.generate_slots(court, days=court.window_days + 3)
    beyond = slot_at(court, at(court.window_days + 1, 12))
    assert code_of(services.book, resident, beyond.pk) == "outside_window"
    past = court.slots.filter(start__lt=timezone.now()).first()
    if past:
        assert code_of(services.book, resident, past.pk) == "slot_past"


def test_benefit_hours_free_and_price_shown_is_price_charged(world, court):
    booking = services.book(world.users["resident"], slot_at(court, at(1, 8)).pk)
    assert booking.price == 0 and booking.price_basis == "benefit"


def test_eligibility_senior_by_age_and_disabled_by_verified_certificate(world, court):
    resident = world.users["resident"]  # born 1980: standard price
    assert services.book(resident, slot_at(court, at(1, 12)).pk).price == 20
    Certificate.objects.create(user=resident, kind="disabled", image="x.png", status="pending")
    assert services.book(resident, slot_at(court, at(2, 12)).pk).price == 20  # not yet verified
    Certificate.objects.filter(user=resident).update(status="verified")
    b = services.book(resident, slot_at(court, at(3, 12)).pk)
    assert b.price == 0 and b.price_basis == "disabled"


def test_companions_and_their_limit(world, pool):
    slot = slot_at(pool, at(1, 14))
    b = services.hold(world.users["resident"], slot.pk, companions=[{"name": "孩子", "minor": True}] * 3)
    assert b.places == 4 and b.price == 15 + 3 * 7.5
    assert code_of(services.hold, world.users["other_resident"], slot.pk, companions=[{}] * 4) == "too_many_companions"


def test_a_one_party_court_slot_takes_no_companions(world, court):
    # The rule lives in hold(), so the page, the API and the console all meet it.
    slot = slot_at(court, at(1, 12))
    resident, staff = world.users["resident"], world.users["county"]
    assert services.companion_limit(slot) == 0 < court.max_companions
    assert code_of(services.hold, resident, slot.pk, companions=[{"name": "老李"}]) == "companions_not_allowed"
    assert code_of(services.hold, resident, slot.pk, companions=[{"name": "老李"}], staff=staff,
                   override_reason="phoned in") == "companions_not_allowed"
    slot.refresh_from_db()
    assert slot.taken == 0 and not Booking.objects.filter(slot=slot).exists()
    assert services.hold(resident, slot.pk).places == 1  # alone, the same slot books


def test_per_person_limits(world, court):
    resident = world.users["resident"]
    court.max_per_day, court.max_open_per_user = 2, 3
    court.save()
    services.book(resident, slot_at(court, at(1, 12)).pk)
    services.book(resident, slot_at(court, at(1, 13)).pk)
    assert code_of(services.book, resident, slot_at(court, at(1, 14)).pk) == "limit_day"
    services.book(resident, slot_at(court, at(2, 13)).pk)
    assert code_of(services.book, resident, slot_at(court, at(3, 13)).pk) == "limit_open"
    # A staff override with a reason books past the limits (never past capacity).
    b = services.book(resident, slot_at(court, at(3, 13)).pk, staff=world.users["county"], override_reason="赛事保障")
    assert b.status == "confirmed" and b.staff_override == "赛事保障"


def test_no_show_strikes_suspend(world, court, settings):
    settings.BOOKING_STRIKES_TO_SUSPEND = 2
    resident = world.users["resident"]
    for day in (1, 2):
        b = services.book(resident, slot_at(court, at(day, 12)).pk)
        services.mark_no_shows(now=b.slot.end + datetime.timedelta(hours=1))
    assert Strike.objects.filter(user=resident).count() == 2
    after = at(2, 14)
    assert code_of(services.hold, resident, slot_at(court, at(3, 12)).pk, now=after) == "suspended"
    strike = Strike.objects.filter(user=resident).first()
    services_console.forgive_strike(strike, staff=world.users["county"], reason="暴雨停课")
    assert services.hold(resident, slot_at(court, at(3, 12)).pk, now=after).status == "held"


def test_cancellation_refund_rules(world, pool):
    resident = world.users["resident"]
    slot = slot_at(pool, at(2, 14))
    b = services.confirm(services.hold(resident, slot.pk))
    assert b.status == "held" and b.payment.status == "pending"  # online: waits for the payment
    b = services.complete_payment(b.payment.reference)
    assert b.status == "confirmed"
    services.cancel(b, by=resident)  # two days ahead: before the deadline
    b.payment.refresh_from_db()
    assert b.payment.status == "refunded"
    late = services.complete_payment(services.confirm(services.hold(resident, slot.pk, client_key="late")).payment.reference)
    services.cancel(late, by=resident, now=slot.start - datetime.timedelta(hours=1))  # after the 2-hour deadline
    late.payment.refresh_from_db()
    assert late.payment.status == "paid"  # no refund after the deadline
    assert code_of(services.cancel, late, by=resident) == "not_cancellable"


def test_venue_cancellation_needs_a_reason_and_tells_the_resident(world, court, django_capture_on_commit_callbacks):
    resident = world.users["resident"]
    b = services.book(resident, slot_at(court, at(1, 12)).pk)
    assert code_of(services.cancel, b, by_venue=True, reason="") == "reason_required"
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(b, by=world.users["county"], by_venue=True, reason="场地维修")
    assert "场地维修" in resident.notifications.first().text


def test_waitlist_offer_and_lapse(world, pool):
    slot = slot_at(pool, at(1, 19))  # 3 places
    first = services.book(world.users["resident"], slot.pk, companions=[{}, {}])
    entry = services.join_waitlist(world.users["other_resident"], slot.pk)
    services.cancel(first, by=world.users["resident"])
    entry.refresh_from_db()
    assert entry.status == "offered" and entry.offer.status == "held"
    # The offer lapses at its deadline and the place is free again.
    services.expire_holds(now=entry.offer.hold_expires_at + datetime.timedelta(seconds=1))
    entry.refresh_from_db()
    slot.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.LAPSED and slot.taken == 0


def test_block_booking_all_or_nothing(world, court):
    first, last = timezone.localdate() + datetime.timedelta(days=1), timezone.localdate() + datetime.timedelta(days=14)
    weekday = first.weekday()
    taken = slot_at(court, at(8, 18))  # the second week's Tuesday-or-whatever at 18:00
    services.book(world.users["resident"], taken.pk)
    with pytest.raises(BookingError):
        services_console.block_book(world.users["county"], court, weekday=weekday, start=datetime.time(18), first_day=first,
                                    last_day=last, label="东关小学篮球队")
    assert not Booking.objects.filter(channel="block").exists()
    made = services_console.block_book(world.users["county"], court, weekday=weekday, start=datetime.time(19),
                                       first_day=first, last_day=last, label="东关小学篮球队")
    assert len(made) == 2


def test_template_change_never_loses_a_booking(world, court):
    from quanmin.booking import schedule

    slot = slot_at(court, at(1, 18))
    b = services.book(world.users["resident"], slot.pk)
    court.templates.all().delete()
    schedule.generate_slots(court)
    b.refresh_from_db()
    # Slots already begun stay as history (the suite may run in the evening); of the future, only the booked one.
    assert b.slot_id == slot.pk and court.slots.filter(start__gt=timezone.now()).count() == 1


def test_holiday_uses_holiday_templates_and_closures_are_respected(world, court):
    from quanmin.booking import schedule
    from quanmin.facilities import services as fs

    day = timezone.localdate() + datetime.timedelta(days=3)
    fs.set_exception(world.site, day, closed=True, note="封场")
    court.slots.filter(start__date=day, taken=0).delete()
    schedule.generate_slots(court)
    assert not court.slots.filter(start__gte=at(3, 0), start__lt=at(4, 0)).exists()
