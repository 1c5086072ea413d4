"""The public's evaluation results on a phone (390 × 844), signed out: the list of what was
published, an evaluation's ranking with its scores folded per county, a special evaluation's
conclusion; nothing wider than the screen."""

import pytest
from django.urls import reverse

from quanmin.planning.services import evaluation, special
from tests.conftest import open_page
from tests.planning.test_special_evaluation import DATA, approved_evaluation, pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = "document.scrollingElement.scrollWidth <= window.innerWidth"


def test_public_results_on_a_phone(world, liaocheng, live_server, browser):
    from playwright.sync_api import expect

    city = world.users["city"]
    found = approved_evaluation(world, liaocheng)
    for county in found.counties.all():
        evaluation.approve(city, county)
    special.publish(city, found)
    item = special.open_special(city, liaocheng, dict(DATA))
    special.record(city, item, {"findings": "内部核查记录", "conclusion": "人均体育场地面积目标如期完成。", "grade": "excellent"},
                   evidence=pdf())
    special.publish(city, special.conclude(city, item))

    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, locale="zh-CN")
    page.goto(f"{live_server.url}{reverse('planning:public_evaluations')}")
    expect(page.locator("h1")).to_have_text("评估结果公开")
    assert page.evaluate(NARROW), "the list is wider than the phone"
    page.locator("#public-evaluations a").click()
    page.wait_for_url(f"**{reverse('planning:public_evaluation', args=[found.pk])}")
    first = page.locator("#public-ranking li").first
    expect(first).to_contain_text("1. 东昌府区")
    expect(first).to_contain_text("86.00")
    first.locator("summary").click()
    expect(first.locator("dl.scores")).to_be_visible()
    expect(first.locator("dl.scores dd").first).to_have_text("90")
    assert page.evaluate(NARROW), "the ranking is wider than the phone"
    page.go_back()
    page.locator("#public-specials a").click()
    page.wait_for_url(f"**{reverse('planning:public_special', args=[item.pk])}")
    expect(page.locator("#public-special")).to_contain_text("人均体育场地面积目标如期完成。")
    expect(page.locator("#public-special")).to_contain_text("优秀")
    assert "内部核查记录" not in page.content()
    assert page.evaluate(NARROW), "the special evaluation is wider than the phone"
    assert errors == []
    context.close()
