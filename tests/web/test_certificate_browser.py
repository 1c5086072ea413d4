"""The exercise standard certificate in a real browser at phone size: the holder's copy fits the
screen and prints without the site's chrome; its QR code leads to the public check, which shows
the name masked."""

import pytest
from django.urls import reverse

from tests.conftest import open_page, sign_in
from tests.matrix import physique as pm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_certificate_on_a_phone_then_printed_then_checked(world, live_server, browser):
    from playwright.sync_api import expect

    grade = pm.exercise_grade_of(world, "resident")
    number = grade.certificate.number
    context, page, errors = open_page(browser, viewport={"width": 360, "height": 740}, locale="zh-CN",
                                      extra_http_headers={"Accept-Language": "zh-CN"})
    sign_in(page, live_server, world.users["resident"], reverse("physique:me"))
    page.get_by_role("link", name=f"证书 {number}").click()
    page.wait_for_url(f"**/me/physique/certificates/{number}/")
    card = page.get_by_test_id("certificate")
    expect(card).to_contain_text("居民")
    expect(card).to_contain_text("良好")
    expect(card).to_contain_text(number)
    expect(card.locator("svg.qr")).to_be_visible()
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("button[data-print]")).to_be_hidden()
    expect(card).to_be_visible()
    page.emulate_media(media="screen")
    # The check the QR code leads to: anyone, the name masked.
    anonymous, check, check_errors = open_page(browser, viewport={"width": 360, "height": 740}, locale="zh-CN",
                                               extra_http_headers={"Accept-Language": "zh-CN"})
    check.goto(f"{live_server.url}{reverse('physique:certificate_check', args=[number])}")
    expect(check.get_by_role("status").first).to_contain_text("真实有效")
    expect(check.get_by_test_id("certificate")).to_contain_text("居*")
    expect(check.get_by_test_id("certificate")).not_to_contain_text("居民")
    assert check.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == [] and check_errors == []
    anonymous.close()
    context.close()
