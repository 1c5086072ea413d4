"""The resident's voucher journey in a real browser, in Chinese, on a phone-sized screen: sign in,
open the vouchers page, claim one, and land on the voucher with its QR code to show at the counter;
claiming again is refused in the resident's language. Debian's Chromium through Playwright (never
`playwright install`); skipped, saying so, without it."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from quanmin.incentives.models import Voucher
from tests.conftest import open_page, sign_in

from .conftest import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


def test_claim_a_voucher_on_the_phone_and_show_its_code(world, live_server, browser):
    from playwright.sync_api import expect

    campaign = make_campaign(world, total=5)
    resident = world.users["resident"]
    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                      is_mobile=True, has_touch=True, locale="zh-CN")
    sign_in(page, live_server, resident, "/incentives/vouchers/")
    expect(page.locator("h1")).to_have_text(zh("Sports vouchers"))
    card = page.locator(".in-card", has_text=campaign.name)
    expect(card).to_contain_text("5")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), "wider than the phone"

    card.locator("button").tap()
    page.wait_for_url("**/incentives/my-vouchers/**")
    voucher = Voucher.objects.get(user=resident)
    expect(page.locator("h1")).to_have_text(campaign.name)
    expect(page.locator(".in-qr svg")).to_be_visible()
    expect(page.locator("dd").first).to_have_text(voucher.code)
    expect(page.locator(".badge")).to_have_text(zh("Ready to use"))
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), "wider than the phone"

    # A second claim: one voucher per person, said in Chinese, and nothing more is issued.
    page.goto(f"{live_server.url}/incentives/vouchers/")
    page.locator(".in-card", has_text=campaign.name).locator("button").tap()
    page.wait_for_url("**/incentives/vouchers/")
    expect(page.locator(".messages")).to_contain_text("每人 1 张")
    assert Voucher.objects.filter(user=resident).count() == 1
    assert not errors, errors
    context.close()
