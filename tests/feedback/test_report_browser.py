"""The residents' report flow in a real browser, in Chinese, on a phone-sized screen: a resident scans
the QR tag of a piece of equipment, reports a problem with a photo and lands on the report's page; the
county's staff answer and resolve it in the queue; the resident reads the answer and rates it. And
/r/new/: tapping a site's marker on the map picks the place. Debian's Chromium through Playwright
(never `playwright install`); skipped, saying so, without it."""

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from quanmin.feedback.models import Report
from tests.conftest import PASSWORD, open_page

from .conftest import image_bytes

SCREENSHOT = "/tmp/feedback-report.png"
PHONE = "13912345678"
HOTLINE = "0635-12345"  # the city's hotline in the feedback_world fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def zh(msgid: str, context: str | None = None) -> str:
    """What the page says in Simplified Chinese (the compiled catalogue), so the test follows the
    translation instead of copying it."""
    with translation.override("zh-hans"):
        return pgettext(context, msgid) if context else gettext(msgid)


def phone_page(browser):
    return open_page(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                     has_touch=True, locale="zh-CN")


def fits_the_phone(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_report_a_broken_piece_answer_and_rate(feedback_world, live_server, browser):
    from playwright.sync_api import expect

    walker = feedback_world.pieces[0]
    staff = feedback_world.users["county"]
    context, page, errors = phone_page(browser)

    # 1. The resident scans the tag: the page names the piece and shows the hotline, in Chinese.
    page.goto(f"{live_server.url}/r/e/{walker.tag}/")
    expect(page.locator("h1")).to_have_text(zh("Report a problem"))
    expect(page.locator(".fb-where")).to_contain_text(walker.tag)
    expect(page.locator(".fb-hotline a")).to_have_text(HOTLINE)
    assert fits_the_phone(page), "the report form is wider than the phone"
    form = page.locator("#report-form")
    # A tag means equipment; the resident picks another category instead.
    expect(form.locator("input[name=category][value=equipment]")).to_be_checked()
    form.locator("label", has=page.locator("input[value=facility]")).tap()
    expect(form.locator("input[name=category][value=facility]")).to_be_checked()
    form.locator("textarea[name=description]").fill("漫步机下面的地面塌陷了，容易绊倒")
    form.locator("input[name=photos]").set_input_files(
        {"name": "ground.png", "mimeType": "image/png", "buffer": image_bytes((320, 240))})
    form.locator("input[name=phone]").fill(PHONE)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/r/t/**")

    report = Report.objects.get()
    assert page.url == f"{live_server.url}/r/t/{report.token}/"
    assert (report.category, report.equipment, report.site) == ("facility", walker, feedback_world.site)
    assert report.status == Report.Status.RECEIVED and report.photos.count() == 1
    expect(page.locator("#report-status")).to_have_text(zh("Received"))
    expect(page.locator(".messages")).to_contain_text(report.number)
    expect(page.locator(".fb-hotline a").first).to_have_text(HOTLINE)
    expect(page.locator(".fb-hotline a").first).to_have_attribute("href", f"tel:{HOTLINE}")
    # The photo is shown, and really loads through the report's link.
    photo = page.locator(".photos img")
    expect(photo).to_have_count(1)
    photo.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth === 320", arg=photo.element_handle())
    assert PHONE not in page.content()
    assert fits_the_phone(page), "the report's page is wider than the phone"
    page.screenshot(path=SCREENSHOT, full_page=True)
    link = page.url

    # 2. The county's staff sign in, find the report in the queue, answer it and resolve it.
    office, desk, desk_errors = open_page(browser, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    desk.goto(f"{live_server.url}/accounts/login/?next=/staff/reports/")
    desk.fill("input[name=phone]", staff.phone)
    desk.fill("input[name=password]", PASSWORD)
    desk.locator("main form button[type=submit]").click()
    desk.wait_for_url("**/staff/reports/")
    row = desk.locator("#reports tbody tr", has_text=report.number)
    expect(row).to_contain_text(report.phone_masked)
    assert PHONE not in desk.content()
    row.locator(f"a:has-text('{report.number}')").click()
    desk.wait_for_url(f"**/staff/reports/{report.pk}/")
    expect(desk.locator("#report-status")).to_have_text(zh("Received"))

    desk.fill("#respond-text", "已收到，明天派人查看地面。")
    desk.locator("#respond-form button[type=submit]").click()
    expect(desk.locator("#report-status")).to_have_text(zh("Responded"))
    expect(desk.locator("#respond-form")).to_have_count(0)
    desk.fill("#resolve-text", "地面已经重新铺平。")
    desk.locator("#resolve-form button[type=submit]").click()
    expect(desk.locator("#report-status")).to_have_text(zh("Resolved"))
    expect(desk.locator("#resolve-form")).to_have_count(0)
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED and report.answer == "地面已经重新铺平。"

    # 3. The resident opens the link again: the answer, the first reply in the progress, and stars.
    page.goto(link)
    expect(page.locator("#report-status")).to_have_text(zh("Resolved"))
    expect(page.locator("#answer")).to_contain_text("地面已经重新铺平。")
    expect(page.locator("#timeline")).to_contain_text("已收到，明天派人查看地面。")
    star = page.locator("#rate-form input[name=rating][value='4']")
    page.locator(f"#rate-form label[for='{star.get_attribute('id')}']").tap()
    expect(star).to_be_checked()
    page.locator("#rate-form input[name=comment]").fill("修得很快")
    page.locator("#rate-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(zh("Thank you for your rating."))
    with translation.override("zh-hans"):
        rated = gettext("You rated the answer %(n)s of 5.") % {"n": 4}
    expect(page.locator("#answer")).to_contain_text(rated)
    expect(page.locator("#answer")).to_contain_text("修得很快")
    expect(page.locator("#rate-form")).to_have_count(0)
    expect(page.locator("#report-status")).to_have_text(zh("Closed", "report status"))
    assert fits_the_phone(page), "the rated report's page is wider than the phone"
    report.refresh_from_db()
    assert (report.rating, report.rating_comment, report.status) == (4, "修得很快", Report.Status.CLOSED)

    # The staff see the rating too.
    desk.reload()
    expect(desk.locator("dl.facts")).to_contain_text("4 / 5")
    assert errors == [] and desk_errors == []
    office.close()
    context.close()


def test_pick_a_site_on_the_map(feedback_world, live_server, browser):
    from playwright.sync_api import expect

    site = feedback_world.site
    context, page, errors = phone_page(browser)
    page.goto(f"{live_server.url}/r/new/")
    # Both counties' sites are drawn as markers (circle markers are SVG paths).
    markers = page.locator("#report-map path.leaflet-interactive")
    expect(markers).to_have_count(2)
    expect(page.locator("#pick-chosen")).to_contain_text(zh("Nothing chosen yet."))
    # 东关 lies west of 新华: the left marker is the world's site. The map redraws its markers when it
    # has fitted them (same places, new elements), so read both centres at once and tap the spot.
    page.locator("#report-map").scroll_into_view_if_needed()
    centres = page.evaluate("""() => [...document.querySelectorAll('#report-map path.leaflet-interactive')]
        .map(m => m.getBoundingClientRect()).map(r => [r.x + r.width / 2, r.y + r.height / 2])""")
    assert len(centres) == 2
    x, y = min(centres)
    page.touchscreen.tap(x, y)
    expect(page.locator("#pick-chosen")).to_contain_text(site.name)
    expect(page.locator("#pick-chosen")).to_contain_text(zh("Chosen place:"))
    expect(page.locator("#id_site")).to_have_value(str(site.pk))
    expect(page.locator("#id_lat")).to_have_value("")
    assert fits_the_phone(page), "the map page is wider than the phone"

    form = page.locator("#report-form")
    form.locator("label", has=page.locator("input[value=lighting]")).tap()
    form.locator("textarea[name=description]").fill("篮球场的路灯晚上不亮")
    form.locator("input[name=phone]").fill(PHONE)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/r/t/**")

    report = Report.objects.get()
    assert (report.site, report.equipment, report.category) == (site, None, "lighting")
    assert page.url.endswith(f"/r/t/{report.token}/")
    expect(page.locator("#report-status")).to_have_text(zh("Received"))
    expect(page.locator(".fb-facts")).to_contain_text(site.name)
    assert errors == []
    context.close()
