"""Issue 16, "Done when": a resident's whole walk on a phone (390×844), in Chinese, in a real browser:
find a place → its page → the "navigate there" link → book a time → download all my data, which
holds the booking just made."""

import datetime
import json

import pytest
from django.utils import timezone

from quanmin.booking.models import Booking
from tests.conftest import open_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_site_navigate_book_and_export(world, live_server, browser, no_map_tiles):
    from playwright.sync_api import expect

    resident = world.users["resident"]
    Booking.objects.filter(user=resident).delete()
    day = timezone.localdate() + datetime.timedelta(days=2)
    slot = world.unit.slots.get(start=timezone.make_aware(datetime.datetime.combine(day, datetime.time(19))))
    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                      is_mobile=True, has_touch=True, locale="zh-CN", accept_downloads=True)
    sign_in(page, live_server, resident, "/")

    # Find: from the home page's tile, search, open the place.
    page.locator("a.tile[data-section='facilities:finder']").click()
    page.wait_for_url("**/find/**")
    page.goto(f"{live_server.url}/find/?q=东关")
    page.locator("a.site-name", has_text=world.site.name).first.click()
    page.wait_for_url(f"**/sites/{world.site.pk}/")

    # Navigate there: the link opens a map app at the site.
    apps = page.locator("#navigate a.nav-app")
    expect(apps).to_have_count(3)
    assert "amap" in apps.nth(0).get_attribute("data-app") or "amap" in apps.nth(0).get_attribute("href")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The map's buttons speak the page's language (Leaflet's own titles are English).
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "放大")

    # Book: the site's booking page, the day, the time, confirm.
    page.locator("a.btn", has_text="预约").first.click()
    page.wait_for_url(f"**/booking/sites/{world.site.pk}/")
    page.locator(f'.days a[href="?date={day:%Y-%m-%d}"]').click()
    page.wait_for_url(f"**date={day:%Y-%m-%d}")
    page.locator(f'a[data-slot="{slot.pk}"]').click()
    page.get_by_role("button", name="预约该时段").click()
    page.get_by_role("button", name="确认预约（到场支付 ¥20.00）").click()
    page.wait_for_selector("svg.qr")
    booking = Booking.objects.get(user=resident, slot=slot)
    assert booking.status == "confirmed"

    # My data: the download holds the booking just made.
    page.goto(f"{live_server.url}/accounts/me/")
    with page.expect_download() as download:
        page.locator("a[data-export]").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert booking.code in [b["code"] for b in data["booking"]["bookings"]]
    assert data["account"]["real_name"] == resident.real_name
    assert errors == []
    context.close()
