"""The resident's course list in a real browser on a phone-sized screen: sign in, filter the cloud
fitness courses to the parent-child ones, open one, see the link to the video and mark it done."""

import pytest

from quanmin.outreach.models import CourseCompletion
from tests.conftest import open_page, sign_in

from .test_online import published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_open_and_mark_a_course_done_on_a_phone(world, live_server, browser):
    from playwright.sync_api import expect

    family = published(world)
    published(world, title="办公室肩颈放松操", sport="健身操", scene="office", audience="workplace")
    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                      is_mobile=True, has_touch=True, locale="zh-CN")
    sign_in(page, live_server, world.users["resident"], "/outreach/online/")
    expect(page.locator("#courses li")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "list wider than the phone"
    page.locator("#course-filters select[name=audience]").select_option("family")
    page.locator("#course-filters button").click()
    expect(page.locator("#courses li")).to_have_count(1)
    expect(page.locator("#courses")).to_contain_text("亲子跳绳课")
    page.locator("#courses a", has_text="亲子跳绳课").click()
    page.wait_for_url(f"**/outreach/online/{family.pk}/")
    expect(page.get_by_role("link", name="观看视频")).to_have_attribute("href", family.link)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page wider than the phone"
    page.get_by_role("button", name="我完成了这门课").click()
    expect(page.get_by_text("您已完成这门课程。")).to_be_visible()
    assert CourseCompletion.objects.filter(user=world.users["resident"], course=family).count() == 1
    assert errors == []
    context.close()
