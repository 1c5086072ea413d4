"""The instructor's and the resident's pages in a real browser at a phone's size (Playwright driving
Debian's Chromium; skipped, saying so, when it is not there)."""

import datetime

import pytest
from django.utils import timezone

from quanmin.people import stations
from quanmin.people.models import DutyLog
from tests.conftest import PASSWORD, open_page

pytestmark = pytest.mark.browser


def test_instructor_records_a_service_and_a_resident_finds_the_station(live_server, people, browser):
    from playwright.sync_api import expect

    w = people
    stations.add_session(w.station, weekday=(timezone.localdate() + datetime.timedelta(days=1)).weekday(),
                         start=datetime.time(6, 30), end=datetime.time(8), capacity=20, by=w.users["county"])
    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True,
                                      has_touch=True, locale="en-US", geolocation={"latitude": 36.457, "longitude": 115.985},
                                      permissions=["geolocation"])
    page.goto(f"{live_server.url}/accounts/login/?next=/instructors/me/log/")
    page.fill("input[name=phone]", w.users["resident"].phone)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/instructors/me/log/")
    start = timezone.localtime() - datetime.timedelta(hours=3)
    page.select_option("select[name=station]", str(w.station.pk))
    page.fill("input[name=started_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=ended_at]", (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=activity]", "Tai chi in the morning")
    page.fill("input[name=people_guided]", "15")
    page.click("#log-position")
    expect(page.locator("#log-position-done")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#log-form button[type=submit]").click()
    page.wait_for_url("**/instructors/me/")
    expect(page.locator("ul.logs")).to_contain_text("Tai chi in the morning")
    log = DutyLog.objects.get()
    assert log.lon is not None and abs(log.lat - 36.457) < 0.001

    page.goto(f"{live_server.url}/instructors/?sport=taiji")
    expect(page.locator("#station-list li")).to_have_count(1)
    expect(page.locator("#station-map path.leaflet-interactive")).to_have_count(1)
    page.locator("#station-list a", has_text=w.station.name).click()
    expect(page.locator("ul.sessions a").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
    context.close()
