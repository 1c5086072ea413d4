"""Voucher campaigns end to end through the services: set-up checks, claiming rules, redemption at
the counter and on a held booking, expiry and return to the pool, cancelled bookings giving the
discount back, settlement and its trail, the suspicious-pattern report, and bad input refused with
nothing written."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from quanmin.booking import services as bs
from quanmin.booking.models import Booking, Payment
from quanmin.core.errors import ServiceError
from quanmin.incentives import points, settlements, spending, vouchers
from quanmin.incentives.errors import IncentiveError
from quanmin.incentives.models import Settlement, Voucher, VoucherCampaign

from .conftest import check_in, later, make_campaign, residents


def _code(fn, *args, **kwargs):
    with pytest.raises(IncentiveError) as exc:
        fn(*args, **kwargs)
    return exc.value.code


def test_campaign_set_up_is_checked(world):
    now = timezone.now()
    base = {"name": "券", "budget": "100", "face_value": "30", "threshold": "100", "total": 10,
            "claim_starts_at": now, "claim_ends_at": now + datetime.timedelta(days=1), "use_until": now + datetime.timedelta(days=2)}
    city = world.users["city"]
    assert _code(vouchers.create_campaign, city, world.city, base) == "budget_short"
    assert _code(vouchers.create_campaign, city, world.city, {**base, "budget": "300", "face_value": "-1"}) == "invalid_input"
    assert _code(vouchers.create_campaign, city, world.city,
                 {**base, "budget": "300", "claim_ends_at": now - datetime.timedelta(days=1)}) == "window_order"
    assert _code(vouchers.create_campaign, city, world.city,
                 {**base, "budget": "300", "bands": [{"days": [9], "start": "08:00", "end": "07:00"}]}) == "bands_invalid"
    assert _code(vouchers.create_campaign, world.users["county"], world.city, {**base, "budget": "300"}) == "not_found"
    assert not VoucherCampaign.objects.exists()
    draft = vouchers.create_campaign(city, world.city, {**base, "budget": "300"})
    assert _code(vouchers.publish, city, draft) == "no_venues"
    assert _code(vouchers.add_venue, world.users["county"], draft, world.other_site) == "not_found"


def test_bands_text():
    assert vouchers.parse_bands_text("0-4 08:00-12:00\n5,6 14:00-18:00") == [
        {"days": [0, 1, 2, 3, 4], "start": "08:00", "end": "12:00"}, {"days": [5, 6], "start": "14:00", "end": "18:00"}]
    with pytest.raises(IncentiveError):
        vouchers.parse_bands_text("Monday morning")


def test_claiming_rules(world):
    campaign = make_campaign(world, total=3, per_person=1, per_device=1, per_address=2)
    a, b, c, d = residents(world, 4)
    early = make_campaign(world, starts=timezone.now() + datetime.timedelta(hours=2))
    assert _code(vouchers.claim, a, early.pk) == "claim_not_open"
    assert _code(vouchers.claim, a, campaign.pk, now=campaign.claim_ends_at) == "claim_closed"
    vouchers.claim(a, campaign.pk, device="pa", address="1.1.1.1")
    assert _code(vouchers.claim, a, campaign.pk, device="pa2", address="2.2.2.2") == "person_limit"
    assert _code(vouchers.claim, b, campaign.pk, device="pa", address="2.2.2.2") == "device_limit"
    vouchers.claim(b, campaign.pk, device="pb", address="1.1.1.1")
    assert _code(vouchers.claim, c, campaign.pk, device="pc", address="1.1.1.1") == "address_limit"
    vouchers.claim(c, campaign.pk, device="pc", address="3.3.3.3")
    assert _code(vouchers.claim, d, campaign.pk, device="pd", address="4.4.4.4") == "sold_out"
    campaign.refresh_from_db()
    assert campaign.issued == 3 == Voucher.objects.filter(campaign=campaign).count()
    nameless = residents(world, 1, start=50)[0]
    nameless.id_number_hash = ""
    nameless.save()
    assert _code(vouchers.claim, nameless, campaign.pk) == "real_name_required"


def test_redeem_at_the_counter(world, operator):
    campaign = make_campaign(world, bands=[{"days": list(range(7)), "start": "00:00", "end": "23:59"}])
    voucher = vouchers.claim(world.users["resident"], campaign.pk)
    assert _code(vouchers.redeem_at_counter, world.users["county"], voucher.code, site_id=world.site.pk, spend="120") == "not_operator"
    assert _code(vouchers.redeem_at_counter, operator, voucher.code, site_id=world.other_site.pk, spend="120") == "not_operator"
    assert _code(vouchers.redeem_at_counter, operator, voucher.code, site_id=world.site.pk, spend="99.99") == "below_threshold"
    assert _code(vouchers.redeem_at_counter, operator, voucher.code, site_id=world.site.pk, spend="abc") == "invalid_input"
    assert _code(vouchers.redeem_at_counter, operator, voucher.code, site_id=world.site.pk, spend="120",
                 now=voucher.expires_at) == "voucher_expired"
    voucher.refresh_from_db()
    assert voucher.status == "claimed"
    done = vouchers.redeem_at_counter(operator, voucher.code.lower(), site_id=world.site.pk, spend="120")
    assert done.status == "redeemed" and done.discount == Decimal("30") and done.spend == Decimal("120")
    assert _code(vouchers.redeem_at_counter, operator, voucher.code, site_id=world.site.pk, spend="120") == "voucher_used"


def test_a_venue_not_in_the_campaign_or_outside_its_hours(world, operator):
    from quanmin.accounts import services as accounts
    from quanmin.accounts.models import Role
    accounts.grant_membership(operator, Role.OPERATOR, world.other_community, target=world.other_site)
    campaign = make_campaign(world, bands=[{"days": [0], "start": "03:00", "end": "03:01"}])
    voucher = vouchers.claim(world.users["resident"], campaign.pk)
    assert _code(vouchers.redeem_at_counter, operator, voucher.code, site_id=world.other_site.pk, spend="120") == "venue_not_eligible"
    monday_noon = timezone.make_aware(datetime.datetime(2026, 12, 7, 12, 0))
    assert _code(vouchers.redeem_at_counter, operator, voucher.code, site_id=world.site.pk, spend="120",
                 now=monday_noon) == "time_not_eligible"


def _held(world, person):
    slot = world.unit.slots.order_by("start")[40]
    return bs.hold(person, slot.pk)


def test_a_voucher_pays_part_of_a_held_booking_and_comes_back_when_it_is_cancelled(world):
    campaign = make_campaign(world, threshold="20", face="15")
    resident = world.users["resident"]
    voucher = vouchers.claim(resident, campaign.pk)
    booking = _held(world, resident)
    assert booking.price == Decimal("20")
    assert _code(vouchers.redeem_for_booking, world.users["other_resident"], voucher.code, booking.pk) == "not_found"
    vouchers.redeem_for_booking(resident, voucher.code, booking.pk)
    booking.refresh_from_db()
    assert booking.price == Decimal("5") and booking.price_basis == "voucher"
    assert _code(spending.points_for_booking, resident, booking.pk, 100) == "already_discounted"
    booking = bs.confirm(booking)
    assert Payment.objects.get(booking=booking).amount == Decimal("5")
    voucher.refresh_from_db()
    assert voucher.status == "redeemed" and voucher.booking_id == booking.pk and voucher.spend == Decimal("20")
    bs.cancel(booking, by=resident)
    assert vouchers.undo_cancelled_bookings()["vouchers_back"] == 1
    voucher.refresh_from_db()
    assert voucher.status == "claimed" and voucher.booking_id is None
    assert vouchers.undo_cancelled_bookings()["vouchers_back"] == 0


def test_a_booking_below_the_threshold_keeps_its_price(world):
    campaign = make_campaign(world)  # 满100减30; the court costs 20
    resident = world.users["resident"]
    voucher = vouchers.claim(resident, campaign.pk)
    booking = _held(world, resident)
    assert _code(vouchers.redeem_for_booking, resident, voucher.code, booking.pk) == "below_threshold"
    booking.refresh_from_db()
    voucher.refresh_from_db()
    assert booking.price == Decimal("20") and voucher.status == "claimed"


def test_benefit_hours_only(world):
    campaign = make_campaign(world, threshold="0", benefit=True)
    resident = world.users["resident"]
    voucher = vouchers.claim(resident, campaign.pk)
    booking = _held(world, resident)
    assert _code(vouchers.redeem_for_booking, resident, voucher.code, booking.pk) == "benefit_hours_only"


def test_points_pay_part_of_a_booking_and_come_back(world, rules, settings):
    settings.INCENTIVES_POINTS_PER_YUAN = 1
    check_in(world, world.booking)
    points.credit(now=later(world))
    resident = world.users["resident"]
    booking = _held(world, resident)
    assert _code(spending.points_for_booking, resident, booking.pk, 11) == "points_share"  # at most half of 20
    assert _code(spending.points_for_booking, resident, booking.pk, 0) == "points_positive"
    spending.points_for_booking(resident, booking.pk, 8)
    booking.refresh_from_db()
    assert booking.price == Decimal("12") and booking.price_basis == "points"
    assert points.balance(resident) == 2
    bs.cancel(booking, by=resident)
    assert vouchers.undo_cancelled_bookings()["points_back"] == 1
    assert points.balance(resident) == 10
    assert vouchers.undo_cancelled_bookings()["points_back"] == 0


def test_points_beyond_the_balance_change_nothing(world, rules, settings):
    settings.INCENTIVES_POINTS_PER_YUAN = 1
    resident = world.users["resident"]
    booking = _held(world, resident)
    assert _code(spending.points_for_booking, resident, booking.pk, 5) == "balance_short"
    booking.refresh_from_db()
    assert booking.price == Decimal("20") and booking.price_basis != "points"


def test_expired_vouchers_return_to_the_pool(world):
    campaign = make_campaign(world, total=1, valid_days=1)
    voucher = vouchers.claim(world.users["resident"], campaign.pk)
    assert _code(vouchers.claim, world.users["other_resident"], campaign.pk) == "sold_out"
    assert vouchers.expire_vouchers(now=voucher.expires_at) == {"expired": 0, "returned": 1}
    voucher.refresh_from_db()
    assert voucher.status == "returned"
    assert vouchers.claim(world.users["other_resident"], campaign.pk).status == "claimed"


def test_settlement_and_its_trail(world, operator):
    campaign = make_campaign(world, total=5, bands=[])
    people = residents(world, 3)
    codes_ = [vouchers.claim(p, campaign.pk).code for p in people]
    for code, bill in zip(codes_, ("100", "150", "200")):
        vouchers.redeem_at_counter(operator, code, site_id=world.site.pk, spend=bill)
    today = timezone.localdate()
    city = world.users["city"]
    assert _code(settlements.draft, world.users["other_county"], campaign, world.site.pk, today, today) == "not_found"
    assert _code(settlements.draft, city, campaign, world.site.pk, today, today - datetime.timedelta(days=1)) == "invalid_input"
    s = settlements.draft(city, campaign, world.site.pk, today, today)
    assert (s.vouchers, s.consumption, s.subsidy) == (3, Decimal("450"), Decimal("90"))
    assert _code(settlements.draft, city, campaign, world.site.pk, today - datetime.timedelta(days=1), today) == "nothing_to_settle"
    assert Settlement.objects.count() == 1
    assert _code(settlements.approve, city, s) == "settlement_status"
    assert _code(settlements.confirm, world.users["county"], s) == "not_venue"
    settlements.confirm(operator, s)
    s = settlements.approve(city, s)
    assert s.status == "approved" and s.approved_by == city
    trail = list(settlements.trail_rows(s))
    assert sorted(r[0] for r in trail) == sorted(codes_) and all(r[-1] == s.pk for r in trail)
    figures = settlements.campaign_figures(campaign)
    assert figures["leverage"] == Decimal("5.00")


def test_suspicious_patterns(world, operator):
    from quanmin.facilities.models import OpeningRule
    OpeningRule.objects.create(site=world.site, weekday=0, opens=datetime.time(8), closes=datetime.time(9))
    campaign = make_campaign(world, total=5, per_person=4, per_device=4)
    resident = world.users["resident"]
    monday = timezone.make_aware(datetime.datetime(2026, 12, 7, 22, 0))
    for _ in range(3):
        v = vouchers.claim(resident, campaign.pk, device="same")
        vouchers.redeem_at_counter(operator, v.code, site_id=world.site.pk, spend="100", now=monday)
    report = settlements.suspicious(campaign)
    assert report["repeat"] == [{"person": resident.real_name, "site": world.site.name, "count": 3}]
    assert len(report["outside_hours"]) == 3
    assert report["shared"][0]["count"] == 3


def test_a_failed_discount_writes_nothing(world):
    """A discount that fails midway writes nothing: the voucher stays usable, the price unchanged."""
    campaign = make_campaign(world, threshold="0", face="15")
    resident = world.users["resident"]
    voucher = vouchers.claim(resident, campaign.pk)
    booking = _held(world, resident)
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ServiceError) as exc, transaction.atomic():
        vouchers.redeem_for_booking(resident, voucher.code, booking.pk)
    assert exc.value.code == "not_confirmable"
    voucher.refresh_from_db()
    booking.refresh_from_db()
    assert voucher.status == "claimed" and booking.price == Decimal("20")
