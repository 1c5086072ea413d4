"""Incentive rules at their edges, pinned by what a resident, an operator or the audit log sees: a
counter redemption judged at its own moment, the person limit named when the database's guard
answers it, an expiry line that is for no fact, points spent logged with their line and address,
and a rate set for a division that is not a city refused as bad input."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from quanmin.accounts.models import AuditEntry
from quanmin.booking import services as bs
from quanmin.core.errors import ServiceError
from quanmin.events import services_entries as entries
from quanmin.incentives import points, spending, vouchers
from quanmin.incentives.models import PointsEntry, Voucher

from .conftest import fee_games, give, make_campaign, residents


def error_of(fn, *args, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as exc:
        fn(*args, **kwargs)
    return exc.value


def test_a_counter_redemption_is_judged_at_its_own_moment(world, operator):
    """The bill's moment (`now`) decides the time band, not the clock of the machine that records it."""
    then = timezone.make_aware(datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=3),
                                                         datetime.time(12)))
    campaign = make_campaign(world, bands=[{"days": [then.weekday()], "start": "08:00", "end": "20:00"}])
    voucher = vouchers.claim(world.users["resident"], campaign.pk)
    done = vouchers.redeem_at_counter(operator, voucher.code, site_id=world.site.pk, spend="120", now=then)
    assert done.status == "redeemed" and done.redeemed_at == then


def test_the_databases_guard_names_the_person_limit(world, monkeypatch):
    """Two claims of one person at once: the second finds the first's voucher at the constraint."""
    campaign = make_campaign(world, per_person=2)
    person = residents(world, 1, start=70)[0]

    def taken_meanwhile(**fields):
        raise IntegrityError("UNIQUE constraint failed: one_voucher_per_person_turn")

    monkeypatch.setattr(Voucher.objects, "create", taken_meanwhile)
    err = error_of(vouchers.claim, person, campaign.pk)
    assert err.code == "person_limit" and "2" in str(err.message) and "None" not in str(err.message)


def test_an_expiry_line_is_for_no_fact(world):
    person = residents(world, 1, start=80)[0]
    give(person, 40)
    expires_on = PointsEntry.objects.get(user_id=person.pk).expires_on
    assert points.expire(today=expires_on + datetime.timedelta(days=1)) == 40
    line = PointsEntry.objects.get(user_id=person.pk, kind=PointsEntry.Kind.EXPIRY)
    assert (line.points, line.fact) == (-40, "")


def test_points_spent_on_a_booking_are_logged_with_their_line(world):
    resident = world.users["resident"]
    give(resident, 1000)
    booking = bs.hold(resident, world.unit.slots.order_by("start")[40].pk)
    line = spending.points_for_booking(resident, booking.pk, 500)
    logged = AuditEntry.objects.get(action="points_spend")
    assert (logged.target_type, logged.target_id, logged.actor) == ("incentives.pointsentry", str(line.pk), resident)


def test_points_spent_on_an_entry_are_logged_with_the_address(world, rf):
    ev = fee_games(world)
    person = ev.people[0]
    entry = entries.enter(person, ev.sprint.pk)
    give(person, 3000)
    request = rf.post("/", REMOTE_ADDR="203.0.113.9")
    request.user = person
    line = spending.points_for_entry(person, entry.pk, 2000, request=request)
    logged = AuditEntry.objects.get(action="points_spend")
    assert (logged.ip, logged.target_id, logged.detail["entry"]) == ("203.0.113.9", str(line.pk), entry.pk)


def test_a_rate_for_a_county_is_bad_input(world):
    err = error_of(spending.save_settings, world.county, {"points_per_yuan": "1", "max_share": "1"})
    assert (err.code, err.status) == ("not_a_city", 400)
