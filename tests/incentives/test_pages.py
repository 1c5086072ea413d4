"""The pages and the API over real HTTP requests (Django's test client): a resident claims on the
phone page and sees the QR, uses a voucher on a held booking; the operator redeems at the counter
and confirms a settlement; staff create, publish, settle and approve, and download the Excel trail;
the API answers codes; indicators and the tick command."""

import datetime
import io
from decimal import Decimal

import openpyxl
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quanmin.booking import services as bs
from quanmin.core import indicators
from quanmin.incentives import points, vouchers
from quanmin.incentives.models import Settlement, Voucher, VoucherCampaign

from .conftest import check_in, later, make_campaign


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_resident_claims_on_the_phone_page(world):
    campaign = make_campaign(world)
    c = _client(world.users["resident"])
    page = c.get(reverse("incentives:campaigns"))
    assert page.status_code == 200 and campaign.name in page.content.decode()
    assert "qm_device" in page.cookies
    claimed = c.post(reverse("incentives:claim", args=[campaign.pk]), follow=True)
    body = claimed.content.decode()
    assert "<svg" in body and Voucher.objects.get().code in body
    again = c.post(reverse("incentives:claim", args=[campaign.pk]), follow=True)
    assert "每人 1 张" in again.content.decode()
    assert Voucher.objects.count() == 1
    mine = c.get(reverse("incentives:mine")).content.decode()
    assert "可使用" in mine and "积分" in mine
    # Someone else's voucher is not found.
    code = Voucher.objects.get().code
    assert _client(world.users["other_resident"]).get(reverse("incentives:voucher", args=[code])).status_code == 404


def test_resident_uses_a_voucher_on_a_held_booking(world):
    campaign = make_campaign(world, threshold="20", face="15")
    resident = world.users["resident"]
    voucher = vouchers.claim(resident, campaign.pk)
    booking = bs.hold(resident, world.unit.slots.order_by("start")[40].pk)
    c = _client(resident)
    assert f'action="{reverse("incentives:use_voucher", args=[booking.pk])}"' in c.get(reverse("incentives:mine")).content.decode()
    response = c.post(reverse("incentives:use_voucher", args=[booking.pk]), {"voucher": voucher.code})
    assert response.status_code == 302 and response.url == reverse("booking:booking", args=[booking.pk])
    booking.refresh_from_db()
    assert booking.price == Decimal("5")
    assert "已用体育消费券" in c.get(reverse("booking:booking", args=[booking.pk])).content.decode()


def test_operator_counter_and_settlement(world, operator):
    campaign = make_campaign(world)
    voucher = vouchers.claim(world.users["resident"], campaign.pk)
    c = _client(operator)
    assert c.get(reverse("incentives:counter")).status_code == 200
    bad = c.post(reverse("incentives:counter"), {"site": str(world.site.pk), "code": voucher.code, "spend": "50"})
    assert "消费满" in bad.content.decode()
    ok = c.post(reverse("incentives:counter"), {"site": str(world.site.pk), "code": voucher.code, "spend": "128.50"})
    assert ok.status_code == 200 and "30.00" in ok.content.decode()
    voucher.refresh_from_db()
    assert voucher.status == "redeemed" and voucher.operator == operator
    staff = _client(world.users["city"])
    today = timezone.localdate().isoformat()
    made = staff.post(reverse("incentives:staff_settle", args=[campaign.pk]),
                      {"site": str(world.site.pk), "period_start": today, "period_end": today})
    settlement = Settlement.objects.get()
    assert made.url == reverse("incentives:staff_settlement", args=[settlement.pk])
    assert settlement.subsidy == Decimal("30") and settlement.consumption == Decimal("128.50")
    assert "30.00" in c.get(reverse("incentives:counter")).content.decode()
    c.post(reverse("incentives:confirm", args=[settlement.pk]))
    staff.post(reverse("incentives:staff_approve", args=[settlement.pk]))
    settlement.refresh_from_db()
    assert settlement.status == "approved"
    xlsx = staff.get(reverse("incentives:staff_campaign_xlsx", args=[campaign.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    trail = list(book.worksheets[1].iter_rows(values_only=True))
    assert trail[1][0] == voucher.code and trail[1][-1] == settlement.pk
    page = staff.get(reverse("incentives:staff_campaign", args=[campaign.pk])).content.decode()
    assert "4.28" in page  # leverage 128.50 / 30


def test_staff_create_and_publish_a_campaign(world):
    c = _client(world.users["county"])
    bad = c.post(reverse("incentives:staff_new"), {"region": world.county.code, "name": "区消费券", "budget": "100",
                                                  "face_value": "30", "total": "10", "claim_starts_at": "2026-12-10T09:00",
                                                  "claim_ends_at": "2026-12-20T09:00", "use_until": "2027-01-31T00:00"})
    assert bad.status_code == 200 and "超过预算" in bad.content.decode()
    assert not VoucherCampaign.objects.exists()
    ok = c.post(reverse("incentives:staff_new"), {"region": world.county.code, "name": "区消费券", "budget": "300",
                                                 "face_value": "30", "threshold": "100", "total": "10",
                                                 "claim_starts_at": "2026-12-10T09:00", "claim_ends_at": "2026-12-20T09:00",
                                                 "use_until": "2027-01-31T00:00", "bands": "5,6 08:00-18:00",
                                                 "return_unused": "on"})
    campaign = VoucherCampaign.objects.get()
    assert ok.url == reverse("incentives:staff_campaign", args=[campaign.pk])
    assert campaign.bands == [{"days": [5, 6], "start": "08:00", "end": "18:00"}]
    c.post(reverse("incentives:staff_venue", args=[campaign.pk]), {"site": str(world.site.pk), "commercial": "on"})
    c.post(reverse("incentives:staff_publish", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == "open" and campaign.venues.get().commercial
    # The neighbouring county does not see it.
    assert _client(world.users["other_county"]).get(reverse("incentives:staff_campaign", args=[campaign.pk])).status_code == 404


def test_the_api_claims_and_answers_codes(world):
    campaign = make_campaign(world, total=1)
    c = _client(world.users["resident"])
    made = c.post(f"/api/v1/incentives/campaigns/{campaign.pk}/claim", HTTP_X_DEVICE_ID="phone-1")
    assert made.status_code == 201 and made.json()["status"] == "claimed"
    again = c.post(f"/api/v1/incentives/campaigns/{campaign.pk}/claim")
    assert again.status_code == 409 and again.json()["code"] in ("person_limit", "sold_out")
    assert c.get("/api/v1/incentives/me/vouchers").json()["count"] == 1
    assert c.get("/api/v1/incentives/me/points").json()["balance"] == 0
    staff = _client(world.users["city"])
    bad = staff.post("/api/v1/incentives/staff/rules", {"city": world.city.code, "fact": "check_in", "points": 5,
                                                         "daily_cap": -3}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "cap_negative"
    figures = staff.get(f"/api/v1/incentives/staff/campaigns/{campaign.pk}/figures").json()
    assert figures["claimed"] == 1


def test_indicators(world, rules, operator):
    check_in(world, world.booking)
    points.credit(now=later(world))
    campaign = make_campaign(world)
    v = vouchers.claim(world.users["resident"], campaign.pk)
    vouchers.redeem_at_counter(operator, v.code, site_id=world.site.pk, spend="150")
    day = (later(world) + datetime.timedelta(days=1)).date()
    today = timezone.localdate()
    got = {k: indicators.compute(k, [world.city.code, world.other_county.code], day)
           for k in ("points_earned", "points_active_residents")}
    assert got["points_earned"] == {world.city.code: Decimal(10), world.other_county.code: Decimal(0)}
    assert got["points_active_residents"][world.city.code] == 1
    assert indicators.compute("vouchers_claimed", [world.community.code], today)[world.community.code] == 1
    assert indicators.compute("voucher_consumption", [world.county.code], today)[world.county.code] == Decimal("150.00")
    assert indicators.compute("voucher_leverage", [world.city.code, world.other_county.code], today) == {
        world.city.code: Decimal("5.00"), world.other_county.code: None}
    assert _client(world.users["county"]).get(reverse("incentives:staff")).status_code == 200
