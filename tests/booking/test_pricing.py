"""Who pays what (pricing.py), each rule at its edge. The figures are the unit's own (price, discount
percentages, free for 60+ and for disability certificate holders) and the ages the rules name
(60 and over is a senior, under 18 a minor), written out here rather than read from pricing."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from quanmin.booking import pricing, services
from quanmin.booking.models import Certificate, Slot

from ..conftest import make_user
from .conftest import at, slot_at

SENIOR, ADULT = 60, 18  # "free for 60+"; minors are under 18


@pytest.fixture
def slot(pool):
    """A 15-yuan swim session three days ahead (not a benefit hour)."""
    s = slot_at(pool, at(3, 14))
    assert (s.price, s.benefit) == (Decimal("15.00"), False)
    return s


def slot_day(slot) -> datetime.date:
    return timezone.localtime(slot.start).date()


def person(seq, day, years, days_later=0):
    """Someone who turns `years` old `days_later` days after `day` (0: on that very day)."""
    birthday = day.replace(year=day.year - years) + datetime.timedelta(days=days_later)
    return make_user(f"137000001{seq:02d}", f"测试{seq}", birth=f"{birthday:%Y%m%d}", seq=100 + seq)


def certify(user, kind, valid_until=None, status="verified"):
    return Certificate.objects.create(user=user, kind=kind, image="x.png", status=status, valid_until=valid_until)


def priced(user, slot, companions=()):
    q = pricing.quote(user, slot, list(companions))
    return q.total, q.basis


def test_sixty_on_the_slots_day_is_a_senior_and_eighteen_an_adult(world, slot):
    day = slot_day(slot)
    assert priced(person(1, day, SENIOR), slot) == (0, "senior")
    assert priced(person(2, day, SENIOR, days_later=1), slot) == (Decimal("15.00"), "standard")
    assert priced(person(3, day, ADULT), slot) == (Decimal("15.00"), "standard")
    assert priced(person(4, day, ADULT, days_later=1), slot) == (Decimal("7.50"), "minor")
    # What hold() charges is what the quote said.
    booked = services.hold(person(5, day, ADULT, days_later=1), slot.pk)
    assert (booked.price, booked.price_basis) == (Decimal("7.50"), "minor")


def test_the_unit_decides_whether_seniors_and_disabled_people_go_free(world, pool, slot):
    day = slot_day(slot)
    senior, disabled = person(1, day, SENIOR + 5), person(2, day, 40)
    certify(disabled, "disabled")
    assert priced(senior, slot) == (0, "senior") and priced(disabled, slot) == (0, "disabled")
    pool.free_for_seniors = pool.free_for_disabled = False
    pool.save()
    slot = Slot.objects.get(pk=slot.pk)
    assert priced(senior, slot) == priced(disabled, slot) == (Decimal("15.00"), "standard")
    pool.free_for_disabled = True
    pool.save()
    slot = Slot.objects.get(pk=slot.pk)
    certify(senior, "disabled")
    assert priced(senior, slot) == (0, "disabled")


def test_a_certificate_counts_through_its_last_day_and_only_once_verified(world, slot):
    day = slot_day(slot)
    on_time, expired, pending = person(1, day, 20), person(2, day, 20), person(3, day, 20)
    certify(on_time, "student", valid_until=day)
    certify(expired, "student", valid_until=day - datetime.timedelta(days=1))
    certify(pending, "student", status="pending")
    assert pricing.eligibility(on_time, day) == {"student"}
    assert pricing.eligibility(expired, day) == pricing.eligibility(pending, day) == set()
    assert priced(on_time, slot) == (Decimal("7.50"), "student")
    assert priced(expired, slot) == priced(pending, slot) == (Decimal("15.00"), "standard")
    assert pricing.eligibility(None, day) == set()  # nobody signed in: no group


def test_the_better_discount_wins_and_a_tie_is_the_students(world, pool, slot):
    day = slot_day(slot)
    student_minor = person(1, day, 16)
    certify(student_minor, "student")
    assert pricing.eligibility(student_minor, day) == {"student", "minor"}
    assert priced(student_minor, slot) == (Decimal("7.50"), "student")
    for student_pct, minor_pct, expected in ((50, 60, (Decimal("6.00"), "minor")), (0, 20, (Decimal("12.00"), "minor")),
                                             (30, 0, (Decimal("10.50"), "student")), (0, 0, (Decimal("15.00"), "standard"))):
        pool.student_discount_pct, pool.minor_discount_pct = student_pct, minor_pct
        pool.save()
        assert priced(student_minor, Slot.objects.get(pk=slot.pk)) == expected, (student_pct, minor_pct)


def test_benefit_hours(world, court):
    free_hour = slot_at(court, at(3, 8))
    assert (free_hour.price, free_hour.benefit) == (0, True)
    day = slot_day(free_hour)
    senior, adult, student = person(1, day, SENIOR), person(2, day, 30), person(3, day, 30)
    certify(student, "student")
    # A free benefit hour is free as a benefit hour, whoever books it.
    assert priced(senior, free_hour) == priced(adult, free_hour) == priced(student, free_hour) == (0, "benefit")
    # A low-fee benefit hour: the senior still goes free, a student still gets the discount.
    Slot.objects.filter(pk=free_hour.pk).update(price=Decimal("1.00"))
    low_fee = Slot.objects.get(pk=free_hour.pk)
    assert priced(adult, low_fee) == (Decimal("1.00"), "benefit")
    assert priced(senior, low_fee) == (0, "senior")
    assert priced(student, low_fee) == (Decimal("0.50"), "student")


def test_half_a_fen_rounds_up_and_companions_pay_their_own_rate(world, slot):
    day = slot_day(slot)
    Slot.objects.filter(pk=slot.pk).update(price=Decimal("15.05"))
    slot = Slot.objects.get(pk=slot.pk)
    adult, senior = person(1, day, 30), person(2, day, SENIOR)
    assert priced(person(3, day, 10), slot) == (Decimal("7.53"), "minor")  # 7.525 rounds half up
    q = pricing.quote(adult, slot, [{"minor": True}, {}, {"minor": False}])
    assert q.per_place == [Decimal("15.05"), Decimal("7.53"), Decimal("15.05"), Decimal("15.05")]
    assert (q.total, q.basis) == (Decimal("52.68"), "standard")
    q = pricing.quote(senior, slot, [{"minor": True}])
    assert (q.total, q.basis, q.per_place) == (Decimal("7.53"), "senior", [0, Decimal("7.53")])
