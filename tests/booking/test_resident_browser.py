"""The resident's flow in a real browser on a phone-sized screen: sign in, find a venue, book a
slot, see the QR code, cancel. Debian's Chromium through Playwright (never `playwright install`)."""

import datetime
import re

import pytest
from django.utils import timezone

from quanmin.booking.models import Booking
from tests.conftest import PASSWORD, open_page

SCREENSHOT = "/tmp/booking.png"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_book_see_the_qr_and_cancel(world, live_server, browser):
    from playwright.sync_api import expect

    resident = world.users["resident"]
    day = timezone.localdate() + datetime.timedelta(days=2)
    slot = world.unit.slots.get(start=timezone.make_aware(datetime.datetime.combine(day, datetime.time(18))))
    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                      is_mobile=True, has_touch=True, locale="en-US")

    # Sign in with phone and password, landing on the finder.
    page.goto(f"{live_server.url}/accounts/login/?next=/find/")
    page.fill("input[name=phone]", resident.phone)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/find/**")

    # Find the venue and open its booking page.
    page.goto(f"{live_server.url}/find/?q=东关")
    page.locator("a.site-name", has_text=world.site.name).first.click()
    page.wait_for_url(f"**/sites/{world.site.pk}/")
    page.locator("a.btn", has_text="Book").first.click()
    page.wait_for_url(f"**/booking/sites/{world.site.pk}/")

    # Pick the day, then the 18:00 slot, and book it.
    page.locator(f'.days a[href="?date={day:%Y-%m-%d}"]').click()
    page.wait_for_url(f"**date={day:%Y-%m-%d}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page wider than the phone"
    page.locator(f'a[data-slot="{slot.pk}"]').click()
    page.get_by_role("button", name="Book this time").click()
    page.wait_for_selector("text=Confirm your booking")
    # The countdown is written by the page's script, which may run a while after the text shows.
    expect(page.locator("[data-countdown] [data-left]")).to_have_text(re.compile(r"^\d+:\d\d$"))
    page.get_by_role("button", name="Confirm booking (pay ¥20.00 on site)").click()

    # The ticket: QR code and the code in big letters.
    page.wait_for_selector("svg.qr")
    booking = Booking.objects.get(user=resident, slot=slot)
    assert booking.status == "confirmed"
    assert page.locator(".bk-code").inner_text().strip() == booking.code
    box = page.locator(".qr-box svg").bounding_box()
    assert box and 200 <= box["width"] <= 390 and abs(box["width"] - box["height"]) < 2
    expect(page.get_by_text("Free cancellation until")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "ticket wider than the phone"
    page.screenshot(path=SCREENSHOT, full_page=True)

    # Cancel it.
    page.locator("details.bk-cancel summary").click()
    page.fill("#reason", "临时有事")
    page.get_by_role("button", name="Yes, cancel it").click()
    page.wait_for_selector("text=Your booking is cancelled.")
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancel_reason == "临时有事"
    assert errors == []
    context.close()
