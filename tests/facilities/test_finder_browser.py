"""The finder in a real browser: Playwright driving Debian's Chromium at a phone's size (the
`browser` fixture of tests/conftest.py: skipped, saying so, when Chromium is not there)."""

import datetime
import re
from pathlib import Path

import pytest

from quanmin.facilities import services
from tests.conftest import open_page

SCREENSHOT = Path("/tmp/finder.png")

pytestmark = pytest.mark.browser


@pytest.fixture
def places(world):
    """The world's two sites plus a table-tennis hall; the basketball site opens 06:00-22:00."""
    services.set_opening_rules(world.site, [{"weekday": d, "opens": datetime.time(6), "closes": datetime.time(22)}
                                            for d in range(8)])
    hall = services.create_site({"name": "古楼乒乓球馆", "address": "古楼街12号", "lon": 115.99, "lat": 36.452,
                                 "region": world.community, "owner_kind": "private"})
    services.add_facility(hall, {"type": "table_tennis", "area_m2": "300", "indoor": True, "access": "paid"})
    return {"site_pk": world.site.pk, "site_name": world.site.name, "others": [world.other_site.name, hall.name],
            "here": {"latitude": world.site.lat, "longitude": world.site.lon}}


def test_finder_on_a_phone(live_server, places, browser):
    from playwright.sync_api import expect

    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, locale="en-US",
                                      is_mobile=True, has_touch=True, geolocation=places["here"],
                                      permissions=["geolocation"])
    page.goto(f"{live_server.url}/find/")

    items = page.locator(".site-item")
    expect(items).to_have_count(3)
    # Each card says where: township and address (by division, then name: 东昌府区's two first).
    expect(items.nth(0).locator(".site-where")).to_have_text("古楼街道 · 东关街1号")
    expect(items.nth(1).locator(".site-where")).to_have_text("古楼街道 · 古楼街12号")
    expect(items.nth(2).locator(".site-where")).to_have_text("振兴街道 · 新华路8号")
    # The map drew the sites (circle markers are SVG paths) and no page script failed.
    expect(page.locator("#finder-map path.leaflet-interactive")).to_have_count(3)

    page.select_option("#f-sport", "basketball")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text(places["site_name"])
    for name in places["others"]:
        expect(page.locator(".site-list")).not_to_contain_text(name)
    expect(page).to_have_url(re.compile(r"sport=basketball"))
    expect(page.locator("#finder-map path.leaflet-interactive")).to_have_count(1)
    # Fits a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.click(f".site-item a:has-text('{places['site_name']}')")
    expect(page).to_have_url(re.compile(rf"/sites/{places['site_pk']}/"))
    expect(page.locator("h1")).to_have_text(places["site_name"])
    hours = page.locator("table.hours")
    expect(hours).to_be_visible()
    expect(hours).to_contain_text("06:00–22:00")
    expect(page.locator("table.facilities")).to_contain_text("Basketball court")
    expect(page.locator("#site-map path.leaflet-interactive")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Back to the finder: distance from me (the browser's position), then from a point picked on the map.
    page.go_back()
    page.select_option("#f-sport", "")
    expect(items).to_have_count(3)
    page.click("#locate")
    expect(page.locator(".finder-summary")).to_contain_text("of you")
    expect(items.first.locator(".distance")).to_have_text("0 m")
    expect(items.first).to_contain_text(places["site_name"])
    page.select_option("#f-radius", "5000")
    expect(page).to_have_url(re.compile(r"radius=5000"))
    # The list for the new radius is in (the address changes before it comes) and picking is on.
    expect(page.locator(".finder-summary")).to_contain_text("5 km")
    # ... and the map is framed on the 5 km circle (a click on a wider view would land far away).
    expect(page.locator("#finder-map")).to_have_attribute("aria-busy", "false")
    page.click("#pick")
    expect(page.locator("#pick")).to_have_attribute("aria-pressed", "true")
    box = page.locator("#finder-map").bounding_box()
    # A little south-east of the centre: clear of the markers, well inside the 5 km circle.
    page.mouse.click(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] / 2 + 60)
    expect(page.locator(".finder-summary")).to_contain_text("picked point")
    expect(page).to_have_url(re.compile(r"src=map"))
    expect(items.first.locator(".distance")).not_to_have_text("0 m")
    assert errors == []
