"""Issue 16, item 7: booking says what will happen. At phone size (390×844), in Chinese: the confirm
button of a pay-on-site venue says the money is paid at the venue (确认预约（到场支付 ¥20.00）), a
cancelled pay-on-site booking owes nothing (无需支付, never 已退款), a free one is 免费 (never
"Paid"), and the daily limit shows on the slot page before the Book button, not after it."""

import datetime

import pytest
from django.utils import timezone

from quanmin.booking import services
from quanmin.booking.models import Booking
from tests.conftest import open_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _slot(unit, days, hour):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return unit.slots.get(start=timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))))


def test_booking_says_what_will_happen(world, live_server, browser):
    from playwright.sync_api import expect

    resident = world.users["resident"]
    Booking.objects.filter(user=resident).delete()
    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                      is_mobile=True, has_touch=True, locale="zh-CN")
    first = _slot(world.unit, 3, 9)
    sign_in(page, live_server, resident, f"/booking/slots/{first.pk}/")
    page.get_by_role("button", name="预约该时段").click()
    expect(page.get_by_role("button", name="确认预约（到场支付 ¥20.00）")).to_be_visible()
    page.get_by_role("button", name="确认预约（到场支付 ¥20.00）").click()
    page.wait_for_selector("svg.qr")
    expect(page.locator("[data-payment]")).to_have_text("到场支付")

    # Cancelled before anything was paid: nothing to pay, no refund.
    page.locator("details.bk-cancel summary").click()
    page.locator("details.bk-cancel button").click()
    expect(page.locator("[data-payment]")).to_have_text("无需支付")
    assert "已退款" not in page.content()

    # The day's limit (2 a day) shows before the button: two bookings that day, then a third time.
    for hour in (10, 11):
        services.book(resident, _slot(world.unit, 3, hour).pk)
    page.goto(f"{live_server.url}/booking/slots/{_slot(world.unit, 3, 12).pk}/")
    expect(page.locator("[data-code=limit_day]")).to_be_visible()
    expect(page.get_by_role("button", name="预约该时段")).to_have_count(0)

    # A free booking reads 免费.
    world.unit.templates.update(price=0)
    free = _slot(world.unit, 4, 9)
    free.price = 0
    free.save(update_fields=["price"])
    booking = services.book(resident, free.pk)
    page.goto(f"{live_server.url}/booking/bookings/{booking.pk}/")
    expect(page.locator("[data-payment]")).to_have_text("免费")
    assert "Paid" not in page.content() and "已支付" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert errors == []
    context.close()
