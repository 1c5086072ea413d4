"""Finding and joining a group on a phone, in a real browser (the shared `browser` fixture:
skipped, saying so, when Chromium is not there)."""

import re

import pytest

from quanmin.organizations.models import GroupMembership
from tests.conftest import PASSWORD, open_page

pytestmark = pytest.mark.browser


def test_find_a_group_and_ask_to_join_on_a_phone(live_server, world, make_org, browser, no_map_tiles):
    from playwright.sync_api import expect

    group = make_org("东关社区健步走群", kind="community_group", status="filed", sports=["walking"],
                     lon=115.985, lat=36.457, meets="evening", join_policy="approval")
    make_org("新华社区乒乓球群", kind="community_group", region=world.other_community, sports=["table_tennis"],
             lon=116.255, lat=36.58, join_policy="open")
    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, locale="en-US",
                                      is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/accounts/login/?next=/groups/")
    page.fill("input[name=phone]", "13700000007")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/groups/$"))
    items = page.locator("#groups-list li.card")
    expect(items).to_have_count(2)
    expect(page.locator("#groups-map path.leaflet-interactive")).to_have_count(2)
    page.select_option("select[name=sport]", "walking")
    page.click("#groups-form button.btn:not([type=button])")
    expect(items).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    items.first.locator("a").click()
    expect(page.locator("h1")).to_have_text("东关社区健步走群")
    page.fill("#j-message", "想参加")
    page.click("#membership button.btn")
    expect(page.locator("#membership")).to_contain_text("Asked to join")
    assert GroupMembership.objects.get(organization=group).status == "pending"
    assert errors == []
    context.close()
