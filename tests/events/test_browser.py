"""A resident on a phone-sized screen finds a games in the list, opens a competition, enters it and
sees the entry under My entries; no page is wider than the phone. Debian's Chromium via Playwright."""

import pytest

from quanmin.events.models import Entry
from tests.conftest import PASSWORD, open_page

from .conftest import HERE, make_games, published, residents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_enter_and_see_my_entry(world, live_server, browser):
    from playwright.sync_api import expect

    setup = make_games(world)
    person = residents(world, 1)[0]
    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                      is_mobile=True, has_touch=True, locale="en-US")
    page.goto(f"{live_server.url}/accounts/login/?next=/events/")
    page.fill("input[name=phone]", person.phone)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/events/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "list wider than the phone"
    page.get_by_role("link", name=setup.games.name).click()
    page.wait_for_url(f"**/events/{setup.games.pk}/")
    page.get_by_role("link", name=setup.sprint.name).click()
    page.wait_for_url(f"**/events/competitions/{setup.sprint.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page wider than the phone"
    page.get_by_role("button", name="Enter").click()
    page.wait_for_url("**/events/mine/")
    entry = Entry.objects.get(user=person)
    expect(page.get_by_text(entry.bib)).to_be_visible()
    page.goto(f"{live_server.url}/events/calendar/?month={setup.sprint.starts_at:%Y-%m}")
    expect(page.get_by_role("link", name=setup.sprint.name)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "calendar wider than the phone"
    assert errors == []
    context.close()


def test_events_near_me_from_my_location_and_a_picked_point(world, live_server, browser):
    from playwright.sync_api import expect

    near = published(world, "东关社区运动会", [world.site], day=20)
    far = published(world, "茌平区健步走", [world.other_site], day=5)
    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                      locale="en-US", geolocation={"latitude": HERE[0], "longitude": HERE[1]},
                                      permissions=["geolocation"])
    page.goto(f"{live_server.url}/events/near/")
    expect(page.locator("path.ev-point")).to_have_count(2)  # no point yet: every event, soonest first
    expect(page.locator("#near-list li").first).to_contain_text(far.name)
    page.get_by_role("button", name="Near me").click()
    page.wait_for_url("**src=me**")
    expect(page.locator("#near-list li")).to_have_count(1)  # within 10 km of here
    expect(page.locator("#near-list li").first).to_contain_text(near.name)
    expect(page.locator("path.ev-origin")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "map page wider than the phone"
    page.get_by_role("button", name="Pick a point on the map").click()
    page.locator("#near-map").click(position={"x": 60, "y": 60})
    page.wait_for_url("**src=map**")
    expect(page.locator("#near-map[data-ready]")).to_have_count(1)
    assert errors == []
    context.close()
