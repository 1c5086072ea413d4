"""Voucher campaigns' rules at their edges (make mutants, issue 25): each window and limit at the exact
instant or count, one before and one after; every refusal with its code, status, field and Chinese
message, nothing written; what a claim, a redemption, an expiry and a cancelled booking write."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts.models import AuditEntry
from quanmin.booking import services as bs
from quanmin.booking.models import Booking
from quanmin.incentives import vouchers
from quanmin.incentives.errors import IncentiveError
from quanmin.incentives.models import CampaignSite, Voucher, VoucherCampaign

from .conftest import make_campaign, residents

SECOND = datetime.timedelta(seconds=1)
AMOUNT = "请输入金额（元），最多两位小数。"
BANDS = "每个时段须写明星期（0 周一 … 6 周日）和开始、结束时间（HH:MM），开始早于结束。"


def refused(call, code, status, field, message):
    before = (VoucherCampaign.objects.count(), list(VoucherCampaign.objects.order_by("pk").values_list("issued", "status")),
              list(Voucher.objects.order_by("pk").values_list("status", "discount")), CampaignSite.objects.count(),
              AuditEntry.objects.count())
    with pytest.raises(IncentiveError) as exc:
        call()
    e = exc.value
    assert (e.code, e.status, e.field, str(e.message)) == (code, status, field, message)
    assert (VoucherCampaign.objects.count(), list(VoucherCampaign.objects.order_by("pk").values_list("issued", "status")),
            list(Voucher.objects.order_by("pk").values_list("status", "discount")), CampaignSite.objects.count(),
            AuditEntry.objects.count()) == before


def base(**extra):
    now = timezone.now()
    return {"name": "聊城市体育消费券", "budget": "300", "face_value": "30", "threshold": "100", "total": 10,
            "claim_starts_at": now, "claim_ends_at": now + datetime.timedelta(days=1),
            "use_until": now + datetime.timedelta(days=2), **extra}


# --- setting up ----------------------------------------------------------------------------------

@pytest.mark.parametrize("change, code, field, message", [
    ({"name": "  "}, "invalid_input", "name", "请填写活动名称。"),
    ({"face_value": "0"}, "invalid_input", "face_value", AMOUNT),
    ({"face_value": "1.234"}, "invalid_input", "face_value", AMOUNT),
    ({"face_value": "NaN"}, "invalid_input", "face_value", AMOUNT),
    ({"face_value": "thirty"}, "invalid_input", "face_value", AMOUNT),
    ({"threshold": "-0.01"}, "invalid_input", "threshold", AMOUNT),
    ({"budget": "10000000000", "face_value": "30"}, "invalid_input", "budget", AMOUNT),
    ({"budget": "0"}, "invalid_input", "budget", AMOUNT),
    ({"total": 0}, "invalid_input", "total", "请输入 1 到 10000000 之间的整数。"),
    ({"total": "1.5"}, "invalid_input", "total", "请输入整数。"),
    ({"budget": "299.99"}, "budget_short", "budget", "消费券总面值超过预算。"),
    ({"claim_starts_at": ""}, "invalid_input", "claim_starts_at", "请输入日期和时间。"),
    ({"claim_ends_at": "2026-13-01 10:00"}, "invalid_input", "claim_ends_at", "请输入日期和时间。"),
    ({"use_until": None}, "invalid_input", "use_until", "请输入日期和时间。"),
    ({"valid_days": 0}, "invalid_input", "valid_days", "请输入 1 到 3650 之间的整数。"),
    ({"valid_days": 3651}, "invalid_input", "valid_days", "请输入 1 到 3650 之间的整数。"),
    ({"per_person": 101}, "invalid_input", "per_person", "请输入 1 到 100 之间的整数。"),
    ({"per_device": 0}, "invalid_input", "per_device", "请输入 1 到 100 之间的整数。"),
    ({"per_address": 10**6 + 1}, "invalid_input", "per_address", "请输入 1 到 1000000 之间的整数。"),
    ({"bands": [{"days": [0], "start": "08:00", "end": "08:00"}]}, "bands_invalid", "bands", BANDS),
])
def test_a_bad_campaign_is_refused_with_its_reason(world, change, code, field, message):
    refused(lambda: vouchers.create_campaign(world.users["city"], world.city, base(**change)), code, 400, field, message)


@pytest.mark.parametrize("ends, use_until, ok", [(0, 1, False), (1, 0, False), (1, 1, True)])
def test_claiming_closes_after_it_opens_and_use_lasts_beyond_the_opening(world, ends, use_until, ok):
    starts = timezone.now()
    data = base(claim_starts_at=starts, claim_ends_at=starts + ends * SECOND, use_until=starts + use_until * SECOND)
    call = lambda: vouchers.create_campaign(world.users["city"], world.city, data)  # noqa: E731
    if ok:
        assert call().claim_ends_at == starts + SECOND
    else:
        refused(call, "window_order", 400, "claim_ends_at",
                "领取结束时间须晚于开始时间，使用截止时间须晚于领取开始时间。")


def test_a_campaign_at_its_limits_and_its_defaults(world):
    city = world.users["city"]
    made = vouchers.create_campaign(city, world.city, base(name="券" * 90, budget="100000.00", face_value="0.01",
                                                           total=10**7, threshold=None, valid_days=3650, per_person=100,
                                                           per_device=100, per_address=10**6))
    made = VoucherCampaign.objects.get(pk=made.pk)
    assert (made.name, made.face_value, made.total, made.threshold, made.valid_days, made.per_person, made.per_device,
            made.per_address) == ("券" * 80, Decimal("0.01"), 10**7, Decimal("0"), 3650, 100, 100, 10**6)
    plain = VoucherCampaign.objects.get(pk=vouchers.create_campaign(city, world.city, base(valid_days="")).pk)
    assert (plain.per_person, plain.per_device, plain.per_address, plain.valid_days, plain.return_unused,
            plain.benefit_hours_only, plain.bands, plain.status, plain.issued, plain.created_by_id) == (
        1, 1, 50, None, True, False, [], "draft", 0, city.pk)
    naive = vouchers.create_campaign(city, world.city, base(claim_starts_at="2030-01-02 09:30",
                                                            claim_ends_at="2030-01-03T09:30:00+08:00",
                                                            use_until="2030-02-01 00:00"))
    # A time without its zone is the city's (Asia/Shanghai): 09:30 there is 01:30 UTC.
    assert naive.claim_starts_at == datetime.datetime(2030, 1, 2, 1, 30, tzinfo=datetime.UTC)
    assert AuditEntry.objects.filter(action="voucher_campaign", region_code=world.city.code).count() == 3


def test_a_campaign_outside_ones_area_is_not_found(world):
    refused(lambda: vouchers.create_campaign(world.users["other_county"], world.county, base()), "not_found", 404, None,
            "没有这个活动、消费券、结算单或评选。")


@pytest.mark.parametrize("raw, bands", [
    (None, []), ("", []), ([], []),
    ([{"days": [3, 0, 3], "start": "00:00", "end": "23:59"}], [{"days": [0, 3], "start": "00:00", "end": "23:59"}]),
    ([{"days": [6], "start": "08:00", "end": "08:01"}] * 20, [{"days": [6], "start": "08:00", "end": "08:01"}] * 20),
])
def test_time_bands_as_given(raw, bands):
    assert vouchers.clean_bands(raw) == bands


@pytest.mark.parametrize("raw", [
    [{"days": [6], "start": "08:00", "end": "08:01"}] * 21, "0 08:00-09:00", [["0", "08:00", "09:00"]],
    [{"days": [], "start": "08:00", "end": "09:00"}], [{"days": 1, "start": "08:00", "end": "09:00"}],
    [{"days": [7], "start": "08:00", "end": "09:00"}], [{"days": [-1], "start": "08:00", "end": "09:00"}],
    [{"days": [True], "start": "08:00", "end": "09:00"}], [{"days": ["1"], "start": "08:00", "end": "09:00"}],
    [{"days": [1], "start": "8:00", "end": "09:00"}], [{"days": [1], "start": "08:00", "end": "24:00"}],
    [{"days": [1], "start": "09:00", "end": "08:59"}], [{"days": [1], "start": "08:60", "end": "09:00"}],
    [{"days": [1], "end": "09:00"}],
])
def test_bad_time_bands(raw):
    with pytest.raises(IncentiveError) as exc:
        vouchers.clean_bands(raw)
    assert (exc.value.code, exc.value.status, exc.value.field, str(exc.value.message)) == ("bands_invalid", 400, "bands", BANDS)


def test_bands_as_the_staff_form_writes_them():
    text = "\n  0 - 2 , 6   08:00 - 12:00  \n\n4-5 14:00-18:30\n"
    bands = [{"days": [0, 1, 2, 6], "start": "08:00", "end": "12:00"}, {"days": [4, 5], "start": "14:00", "end": "18:30"}]
    assert vouchers.parse_bands_text(text) == bands
    assert vouchers.bands_text(bands) == "0,1,2,6 08:00-12:00\n4,5 14:00-18:30"
    assert vouchers.parse_bands_text(vouchers.bands_text(bands)) == bands
    assert vouchers.parse_bands_text(None) == []
    for bad in ("7 08:00-09:00", "0 08:00-09:00 extra", "0-6 0800-0900"):
        with pytest.raises(IncentiveError) as exc:
            vouchers.parse_bands_text(bad)
        assert (exc.value.code, exc.value.status) == ("bands_invalid", 400)


@pytest.mark.parametrize("clock, day, inside", [("08:00", 7, True), ("07:59", 7, False), ("11:59", 7, True),
                                               ("12:00", 7, False), ("08:00", 8, False), ("13:00", 12, True)])
def test_in_bands_from_the_start_to_before_the_end(clock, day, inside):
    campaign = SimpleNamespace(bands=[{"days": [0], "start": "08:00", "end": "12:00"},
                                      {"days": [4, 5], "start": "12:30", "end": "23:00"}])
    hour, minute = map(int, clock.split(":"))
    moment = timezone.make_aware(datetime.datetime(2026, 12, day, hour, minute))  # 7 December 2026: a Monday
    assert vouchers.in_bands(campaign, moment) is inside
    assert vouchers.in_bands(SimpleNamespace(bands=[]), moment) is True


def test_venues_publish_and_close(world):
    city = world.users["city"]
    county = world.users["county"]
    draft = vouchers.create_campaign(county, world.county, base())
    refused(lambda: vouchers.add_venue(county, draft, world.other_site), "site_unknown", 400, "site", "该场馆不存在。")
    refused(lambda: vouchers.add_venue(world.users["other_county"], draft, world.site), "not_found", 404, None,
            "没有这个活动、消费券、结算单或评选。")
    joined = vouchers.add_venue(county, draft, world.site)
    assert joined.commercial is False and vouchers.add_venue(county, draft, world.site).pk == joined.pk
    entry = AuditEntry.objects.filter(action="voucher_venue").first()
    assert (entry.actor_id, entry.region_code, entry.detail) == (county.pk, world.county.code, {"site": world.site.pk})
    refused(lambda: vouchers.publish(world.users["other_county"], draft), "not_found", 404, None,
            "没有这个活动、消费券、结算单或评选。")
    assert vouchers.publish(city, draft).status == "open"
    refused(lambda: vouchers.publish(city, draft), "not_draft", 409, None, "只有草稿状态的活动可以修改。")
    refused(lambda: vouchers.close(world.users["other_county"], draft), "not_found", 404, None,
            "没有这个活动、消费券、结算单或评选。")
    assert vouchers.close(county, draft).status == "closed"
    assert VoucherCampaign.objects.get(pk=draft.pk).status == "closed"
    assert list(AuditEntry.objects.filter(action__in=["voucher_publish", "voucher_close"]).values_list("action", "actor_id")
                .order_by("pk")) == [("voucher_publish", city.pk), ("voucher_close", county.pk)]


# --- claiming ------------------------------------------------------------------------------------

def test_claiming_from_the_opening_instant_to_before_the_closing_one(world):
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=2)
    campaign = make_campaign(world, total=5, per_person=5, starts=starts)
    resident = world.users["resident"]
    opens = timezone.localtime(starts)
    refused(lambda: vouchers.claim(resident, campaign.pk, now=starts - SECOND), "claim_not_open", 409, None,
            f"领取时间 {opens:%Y-%m-%d %H:%M} 开始。")
    assert vouchers.claim(resident, campaign.pk, now=starts).claimed_at == starts
    assert vouchers.claim(resident, campaign.pk, now=campaign.claim_ends_at - SECOND).nth == 2
    refused(lambda: vouchers.claim(resident, campaign.pk, now=campaign.claim_ends_at), "claim_closed", 409, None,
            "领取已结束。")


def test_only_a_published_campaign_is_claimed(world):
    resident = world.users["resident"]
    draft = make_campaign(world, publish=False)
    refused(lambda: vouchers.claim(resident, draft.pk), "not_found", 404, None, "没有这个活动、消费券、结算单或评选。")
    refused(lambda: vouchers.claim(resident, draft.pk + 999), "not_found", 404, None, "没有这个活动、消费券、结算单或评选。")
    closed = make_campaign(world)
    vouchers.close(world.users["city"], closed)
    refused(lambda: vouchers.claim(resident, closed.pk), "campaign_not_open", 409, None, "此活动未发布。")
    nameless = residents(world, 1, start=60)[0]
    nameless.real_name = ""
    refused(lambda: vouchers.claim(nameless, closed.pk), "real_name_required", 403, None, "请先完成实名信息（姓名和身份证号）。")


def test_per_person_device_and_address_up_to_the_limit(world):
    campaign = make_campaign(world, total=20, per_person=2, per_device=3, per_address=4)
    a, b, c, d = residents(world, 4)
    first = vouchers.claim(a, campaign.pk, device=" phone-a ", address="10.0.0.1")
    second = vouchers.claim(a, campaign.pk, device="phone-a", address="10.0.0.1")
    assert (first.nth, second.nth, first.person_key) == (1, 2, a.id_number_hash)
    assert first.device_key == crypto.lookup_hash("device:phone-a") and first.address_key == crypto.lookup_hash("ip:10.0.0.1")
    refused(lambda: vouchers.claim(a, campaign.pk, device="other", address="10.9.9.9"), "person_limit", 409, None,
            "您已领满可领的消费券（每人 2 张）。")
    vouchers.claim(b, campaign.pk, device="phone-a", address="10.0.0.1")  # the phone's third
    refused(lambda: vouchers.claim(b, campaign.pk, device="phone-a", address="10.0.0.2"), "device_limit", 409, None,
            "此手机领取的消费券过多。")
    vouchers.claim(c, campaign.pk, device="phone-c", address="10.0.0.1")  # the address's fourth
    refused(lambda: vouchers.claim(c, campaign.pk, device="phone-c2", address="10.0.0.1"), "address_limit", 409, None,
            "此网络地址领取的消费券过多。")
    # No phone or address given: those limits do not apply (and nothing is counted under an empty key).
    for _ in range(2):
        blank = vouchers.claim(d, campaign.pk)
        assert (blank.device_key, blank.address_key) == ("", "")
    assert VoucherCampaign.objects.get(pk=campaign.pk).issued == 6 == Voucher.objects.count()


def test_the_last_voucher_and_then_sold_out(world):
    campaign = make_campaign(world, total=2, per_person=1)
    a, b, c = residents(world, 3)
    vouchers.claim(a, campaign.pk)
    refused(lambda: vouchers.claim(a, campaign.pk), "person_limit", 409, None, "您已领满可领的消费券（每人 1 张）。")
    assert VoucherCampaign.objects.get(pk=campaign.pk).issued == 1  # a refused claim takes no voucher
    vouchers.claim(b, campaign.pk)
    refused(lambda: vouchers.claim(c, campaign.pk), "sold_out", 409, None, "本期消费券已领完。")


@pytest.mark.parametrize("valid_days, days_left", [(None, 60), (59, 59), (60, 60), (61, 60)])
def test_a_voucher_is_good_for_its_days_but_never_past_the_campaign(world, valid_days, days_left):
    campaign = make_campaign(world, valid_days=valid_days)
    now = timezone.now()
    VoucherCampaign.objects.filter(pk=campaign.pk).update(use_until=now + datetime.timedelta(days=60))
    voucher = vouchers.claim(world.users["resident"], campaign.pk, now=now)
    assert voucher.expires_at == now + datetime.timedelta(days=days_left)


# --- redeeming -----------------------------------------------------------------------------------

@pytest.fixture
def claimed(world, operator):
    campaign = make_campaign(world, threshold="100", face="30")
    return vouchers.claim(world.users["resident"], campaign.pk)


def test_redeemed_at_the_threshold_to_the_second_before_expiry(world, operator, claimed):
    refused(lambda: vouchers.redeem_at_counter(operator, claimed.code, site_id=world.site.pk, spend="100",
                                               now=claimed.expires_at), "voucher_expired", 409, None, "此券已过期。")
    refused(lambda: vouchers.redeem_at_counter(operator, claimed.code, site_id=world.site.pk, spend="99.99"),
            "below_threshold", 409, "spend", "消费满 100.00 元才能使用此券。")
    refused(lambda: vouchers.redeem_at_counter(operator, claimed.code, site_id=world.site.pk, spend="0"),
            "invalid_input", 400, "spend", AMOUNT)
    refused(lambda: vouchers.redeem_at_counter(operator, "NOSUCHCODE", site_id=world.site.pk, spend="100"),
            "not_found", 404, None, "没有这个活动、消费券、结算单或评选。")
    refused(lambda: vouchers.redeem_at_counter(world.users["county"], claimed.code, site_id=world.site.pk, spend="100"),
            "not_operator", 403, None, "只有本场馆的操作员可以在此核销消费券。")
    at = claimed.expires_at - SECOND
    done = vouchers.redeem_at_counter(operator, f"  {claimed.code.lower()}  ", site_id=world.site.pk, spend="100", now=at)
    assert (done.status, done.redeemed_at, done.site_id, done.operator_id, done.spend, done.discount) == (
        "redeemed", at, world.site.pk, operator.pk, Decimal("100"), Decimal("30"))
    entry = AuditEntry.objects.get(action="voucher_redeem")
    assert (entry.actor_id, entry.detail) == (operator.pk, {"site": world.site.pk, "spend": "100", "discount": "30.00"})
    refused(lambda: vouchers.redeem_at_counter(operator, claimed.code, site_id=world.site.pk, spend="100"),
            "voucher_used", 409, None, "此券已使用。")


def test_the_discount_is_at_most_the_bill(world, operator):
    campaign = make_campaign(world, threshold="0", face="30", benefit=True)
    voucher = vouchers.claim(world.users["resident"], campaign.pk)
    # A public-benefit-hours voucher is taken at the counter (which serves such hours), for at most the bill.
    done = vouchers.redeem_at_counter(operator, voucher.code, site_id=world.site.pk, spend="29.99")
    assert (done.spend, done.discount) == (Decimal("29.99"), Decimal("29.99"))


@pytest.mark.parametrize("status", ["expired", "returned"])
def test_an_expired_voucher_is_not_taken(world, operator, claimed, status):
    Voucher.objects.filter(pk=claimed.pk).update(status=status)
    refused(lambda: vouchers.redeem_at_counter(operator, claimed.code, site_id=world.site.pk, spend="100"),
            "voucher_expired", 409, None, "此券已过期。")


def _held(world, person):
    return bs.hold(person, world.unit.slots.order_by("start")[40].pk)


def test_a_booking_is_paid_by_the_voucher_s_number_too(world):
    campaign = make_campaign(world, threshold="20", face="25")
    resident = world.users["resident"]
    voucher = vouchers.claim(resident, campaign.pk)
    booking = _held(world, resident)
    done = vouchers.redeem_for_booking(resident, str(voucher.pk), booking.pk)
    assert (done.status, done.booking_id, done.spend, done.discount) == ("redeemed", booking.pk, Decimal("20"), Decimal("20"))
    booking = Booking.objects.get(pk=booking.pk)
    assert (booking.price, booking.price_basis) == (Decimal("0"), "voucher")
    assert AuditEntry.objects.get(action="voucher_redeem").detail == {"booking": booking.pk, "spend": "20.00",
                                                                      "discount": "20.00"}
    refused(lambda: vouchers.redeem_for_booking(resident, str(voucher.pk), booking.pk), "already_discounted", 409, None,
            "此预约已使用过优惠。")


def test_a_booking_no_longer_held_takes_no_voucher(world):
    campaign = make_campaign(world, threshold="0")
    resident = world.users["resident"]
    voucher = vouchers.claim(resident, campaign.pk)
    booking = _held(world, resident)
    Booking.objects.filter(pk=booking.pk).update(status="cancelled")
    refused(lambda: vouchers.redeem_for_booking(resident, voucher.code, booking.pk), "not_held", 409, None,
            "此预约已不在待支付状态。")
    refused(lambda: vouchers.redeem_for_booking(resident, "nonsense", world.booking.pk + 999), "not_found", 404, None,
            "没有这个活动、消费券、结算单或评选。")


# --- upkeep --------------------------------------------------------------------------------------

def test_expiry_at_the_instant_and_the_pool(world):
    keep = make_campaign(world, total=3, per_person=3)
    gone = make_campaign(world, total=3, per_person=3, return_unused=False)
    resident = world.users["resident"]
    now = timezone.now()
    mine = [vouchers.claim(resident, c.pk, now=now) for c in (keep, keep, keep, gone)]
    at = mine[0].expires_at
    Voucher.objects.filter(pk=mine[1].pk).update(expires_at=at + SECOND)  # one second to go
    Voucher.objects.filter(pk=mine[2].pk).update(status="redeemed")
    Voucher.objects.filter(pk=mine[3].pk).update(expires_at=at)
    assert vouchers.expire_vouchers(now=at) == {"expired": 1, "returned": 1}
    assert [Voucher.objects.get(pk=v.pk).status for v in mine] == ["returned", "claimed", "redeemed", "expired"]
    # Back in its pool, the returned one only; an expired one of a campaign that keeps them does not go back.
    assert VoucherCampaign.objects.get(pk=keep.pk).issued == 2 and VoucherCampaign.objects.get(pk=gone.pk).issued == 1
    assert vouchers.expire_vouchers(now=at) == {"expired": 0, "returned": 0}


def test_a_voucher_due_just_now_is_kept_one_second_before(world):
    campaign = make_campaign(world)
    voucher = vouchers.claim(world.users["resident"], campaign.pk)
    assert vouchers.expire_vouchers(now=voucher.expires_at - SECOND) == {"expired": 0, "returned": 0}
    VoucherCampaign.objects.filter(pk=campaign.pk).update(issued=0)  # a pool already empty stays at zero
    assert vouchers.expire_vouchers(now=voucher.expires_at) == {"expired": 0, "returned": 1}
    assert VoucherCampaign.objects.get(pk=campaign.pk).issued == 0


def test_a_cancelled_booking_gives_back_a_voucher_still_in_date_since_a_moment(world):
    campaign = make_campaign(world, threshold="0", face="5")
    resident = world.users["resident"]
    voucher = vouchers.claim(resident, campaign.pk)
    booking = _held(world, resident)
    vouchers.redeem_for_booking(resident, voucher.code, booking.pk)
    cancelled_at = timezone.now()
    Booking.objects.filter(pk=booking.pk).update(status="cancelled", cancelled_at=cancelled_at)
    assert vouchers.undo_cancelled_bookings(since=cancelled_at) == {"vouchers_back": 0, "points_back": 0}
    # Past its date it stays used.
    assert vouchers.undo_cancelled_bookings(now=voucher.expires_at)["vouchers_back"] == 0
    assert vouchers.undo_cancelled_bookings(since=cancelled_at - SECOND, now=voucher.expires_at - SECOND) == {
        "vouchers_back": 1, "points_back": 0}
    back = Voucher.objects.get(pk=voucher.pk)
    assert (back.status, back.booking_id, back.site_id, back.redeemed_at, back.spend, back.discount) == (
        "claimed", None, None, None, None, None)
