"""Printing, in a real browser with print media: the site's shared print rules (web/site.css) hide
its chrome on every page, so a printable page carries only its own paper size and margins."""

import pytest
from django.urls import reverse

from tests.conftest import open_page, sign_in
from tests.matrix import physique as pm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_printed_report_has_no_menu_nor_buttons(world, live_server, browser):
    from playwright.sync_api import expect

    result = pm.result_of(world, "resident")
    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, locale="zh-CN")
    sign_in(page, live_server, world.users["resident"], reverse("physique:report", args=[result.pk]))
    expect(page.locator(".topbar")).to_be_visible()
    expect(page.locator("button[data-print]")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("button[data-print]")).to_be_hidden()
    expect(page.locator(".report h1")).to_be_visible()
    assert page.locator(".report").evaluate("el => getComputedStyle(el).borderTopStyle") == "none"
    assert errors == []
    context.close()
