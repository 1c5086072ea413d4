"""The resident's health record on a phone (390×844), in Chinese, in a real browser: the years and lines
fit the screen, the Excel download is a workbook of the record, and the printed page leaves the buttons
and the year links out."""

import pytest
from django.utils import timezone

from quanmin.core import tabular
from tests.conftest import open_page, sign_in
from tests.web.test_record import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_record_on_a_phone_downloads_and_prints(world, live_server, browser):
    from playwright.sync_api import expect

    build_world(world)
    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                      is_mobile=True, has_touch=True, locale="zh-CN", accept_downloads=True)
    sign_in(page, live_server, world.users["resident"], "/me/record/")
    year = timezone.localdate().year
    expect(page.get_by_role("heading", name=f"{year}年")).to_be_visible()
    expect(page.get_by_role("heading", name=f"{year - 1}年")).to_be_visible()
    expect(page.locator(".hr-line", has_text="东关社区健身指导站")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载电子表格").click()
    data = open(download.value.path(), "rb").read()
    lines = list(next(tabular.grids(data, max_rows=1000)))
    assert lines[0][1][0] == "日期" and any("东关社区健身指导站" in str(row[1][3]) for row in lines[1:])

    page.get_by_role("link", name=f"{year - 1}", exact=True).click()
    page.wait_for_url(f"**year={year - 1}")
    expect(page.get_by_role("heading", name=f"{year}年")).to_have_count(0)

    page.emulate_media(media="print")
    expect(page.locator(".hr-actions")).to_be_hidden()
    expect(page.locator(".hr-years")).to_be_hidden()
    expect(page.get_by_role("heading", name=f"{year - 1}年")).to_be_visible()
    assert errors == []
    context.close()
