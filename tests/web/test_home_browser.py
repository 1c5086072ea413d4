"""Issue 16, item 6: signed out, the home page shows the public tasks first (find a place, book,
report a problem, look up my test), each a link that works, above register and sign in; at phone
size (390×844), in a real browser."""

import pytest

from tests.conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signed_out_home_leads_with_the_public_tasks(world, live_server, browser):
    from playwright.sync_api import expect

    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                      is_mobile=True, has_touch=True, locale="zh-CN")
    page.goto(f"{live_server.url}/")
    tasks = page.locator("[data-task]")
    expect(tasks).to_have_count(4)
    assert [t.get_attribute("data-task") for t in tasks.all()] == ["find", "book", "report", "physique"]
    # The tasks come before register / sign in, and the first two are on the first screen.
    first = tasks.first.bounding_box()
    register = page.locator("main a[href='/accounts/register/']").first.bounding_box()
    assert first["y"] < register["y"]
    assert tasks.nth(1).bounding_box()["y"] + 40 < 844
    expect(page.locator("[data-task=find] strong")).to_have_text("找个地方锻炼")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page wider than the phone"

    page.locator("[data-task=find]").click()
    page.wait_for_url("**/find/**")
    page.go_back()
    page.locator("[data-task=report]").click()
    page.wait_for_url("**/r/new/**")
    page.go_back()
    # My physique test needs signing in: the sign-in page, coming back to the results after.
    page.locator("[data-task=physique]").click()
    page.wait_for_url("**/accounts/login/?next=/me/physique/**")
    assert errors == []
    context.close()
