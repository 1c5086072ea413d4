"""The hold's hand-written SQL (quanmin/booking/holds_sql.py) against the ORM queries it replaces, at the
edges of each rule, on whichever database the suite runs on."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from quanmin.booking import holds_sql, services
from quanmin.booking.models import ACTIVE_STATUSES, Booking, Certificate, Slot, Strike

from .conftest import at, slot_at


def _orm_person(user, since, nth, day):
    strikes = list(Strike.objects.filter(user=user, forgiven=False, at__gte=since).order_by("-at")
                   .values_list("at", flat=True))
    kinds = set(Certificate.objects.filter(user=user, status=Certificate.Status.VERIFIED)
                .exclude(valid_until__lt=day).values_list("kind", flat=True))
    return (strikes[0] if strikes else None, strikes[nth - 1] if len(strikes) >= nth else None, kinds)


def test_person_reads_strikes_and_certificates_as_the_orm_does(world, court):
    resident = world.users["resident"]
    now = timezone.now()
    since = now - datetime.timedelta(days=90)
    day = timezone.localdate()
    made = [Booking.objects.create(slot=slot_at(court, at(3, hour)), user=resident, status="no_show", price=0)
            for hour in range(10, 16)]
    moments = [now - datetime.timedelta(days=1), now - datetime.timedelta(days=5), since,  # the edge counts
               since - datetime.timedelta(microseconds=1), now - datetime.timedelta(days=2), now - datetime.timedelta(days=3)]
    for booking, moment, forgiven in zip(made, moments, [False, False, False, False, True, False]):
        Strike.objects.filter(pk=Strike.objects.create(user=resident, booking=booking, forgiven=forgiven).pk).update(at=moment)
    for kind, status, valid_until in [("senior", "verified", None), ("disabled", "verified", day),
                                      ("student", "verified", day - datetime.timedelta(days=1))]:
        Certificate.objects.create(user=resident, kind=kind, image="x.png", status=status, valid_until=valid_until)
    Certificate.objects.create(user=resident, kind="student", image="y.png", status="pending")

    for nth in (1, 2, 3, 4, 5):
        with transaction.atomic():
            got = holds_sql.person(resident.pk, strikes_since=since, nth=nth, day=day)
        assert got == _orm_person(resident, since, nth, day)
    # Not forgiven and within the window: 1, 3 and 5 days ago and the window's first moment.
    last, fourth, kinds = holds_sql.person(resident.pk, strikes_since=since, nth=4, day=day)
    assert last == moments[0] and fourth == since and kinds == {"senior", "disabled"}
    assert holds_sql.person(resident.pk, strikes_since=since, nth=5, day=day)[1] is None
    assert timezone.is_aware(last) and timezone.is_aware(fourth)
    # A certificate valid until yesterday no longer counts; one of another person never does.
    assert holds_sql.person(world.users["other_resident"].pk, strikes_since=since, nth=3, day=day) == (None, None, set())
    assert holds_sql.person(resident.pk, strikes_since=since, nth=3, day=day + datetime.timedelta(days=1))[2] == {"senior"}


def test_bookings_are_the_active_ones_and_the_client_keys(world, court):
    resident = world.users["resident"]
    kept = services.book(resident, slot_at(court, at(2, 10)).pk, client_key="a")
    cancelled = services.book(resident, slot_at(court, at(2, 11)).pk, client_key="b")
    services.cancel(cancelled, by=resident)
    held = services.hold(resident, slot_at(court, at(2, 12)).pk)  # the third open one: the limit

    def orm(key):
        wanted = Q(status__in=ACTIVE_STATUSES) | Q(client_key=key) if key else Q(status__in=ACTIVE_STATUSES)
        return sorted(Booking.objects.filter(wanted, user=resident).values_list(
            "pk", "slot_id", "status", "hold_expires_at", "client_key", "slot__start"))

    for key in ("", "a", "b", "nobody"):
        assert sorted(holds_sql.bookings(resident.pk, key)) == orm(key)
    ids = {row[0] for row in holds_sql.bookings(resident.pk, "b")}
    assert {kept.pk, cancelled.pk, held.pk, world.booking.pk} <= ids
    assert cancelled.pk not in {row[0] for row in holds_sql.bookings(resident.pk)}
    assert world.other_booking.pk not in ids


def test_take_respects_capacity_and_blocks(world, pool):
    slot = pool.slots.filter(capacity=3).order_by("start").first()  # past or not: take() does not look
    assert holds_sql.take(slot.pk, 2) and not holds_sql.take(slot.pk, 2) and holds_sql.take(slot.pk, 1)
    assert Slot.objects.get(pk=slot.pk).taken == 3
    assert not holds_sql.take(slot.pk, 1)
    other = pool.slots.filter(capacity=3).order_by("start")[1]
    Slot.objects.filter(pk=other.pk).update(blocked=True)
    assert not holds_sql.take(other.pk, 1) and Slot.objects.get(pk=other.pk).taken == 0
    assert not holds_sql.take(0, 1)  # no such slot


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_slot_loads_unit_and_site_as_select_related_does(world, court, pool, django_assert_num_queries):
    for unit in (court, pool):
        for expected in unit.slots.order_by("start")[:3]:
            with django_assert_num_queries(1):
                got = holds_sql.slot(expected.pk)
                assert got.unit.site.name  # unit and site came with it
            orm = Slot.objects.select_related("unit__site").get(pk=expected.pk)
            assert _fields(got) == _fields(orm)
            assert _fields(got.unit) == _fields(orm.unit) and _fields(got.unit.site) == _fields(orm.unit.site)
            assert got._state.adding is False and got._state.db == orm._state.db
    closed = court.slots.first()
    type(court).objects.filter(pk=court.pk).update(active=False)
    assert holds_sql.slot(closed.pk) is None
    assert holds_sql.slot(0) is None and holds_sql.slot(-5) is None and holds_sql.slot(2**70) is None
    assert holds_sql.slot(Slot.objects.order_by("-pk").first().pk + 1) is None


def test_stale_holds_are_the_run_out_holds_of_the_slot(world, pool):
    now = timezone.now()
    slot = pool.slots.filter(capacity=120, start__gt=now).order_by("start").first()
    first = services.hold(world.users["resident"], slot.pk)
    second = services.hold(world.users["other_resident"], slot.pk)
    Booking.objects.filter(pk=first.pk).update(hold_expires_at=now - datetime.timedelta(seconds=1))
    Booking.objects.filter(pk=second.pk).update(hold_expires_at=now)  # runs out at now: not yet before it
    assert holds_sql.stale_holds(slot.pk, now) == [(first.pk, 1)]
    Booking.objects.filter(pk=first.pk).update(status="confirmed")
    assert holds_sql.stale_holds(slot.pk, now) == []
