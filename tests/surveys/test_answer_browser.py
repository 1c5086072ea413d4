"""Answering a survey on a phone, in a real browser (the shared `browser` fixture: skipped, saying
so, when Chromium is not there): find it, tick the answers, submit, and the survey says answered."""

import re

import pytest

from quanmin.surveys.models import Response
from tests.conftest import PASSWORD, open_page

from .conftest import make_survey

pytestmark = pytest.mark.browser


def test_answer_the_exerciser_survey_on_a_phone(live_server, world, browser):
    from playwright.sync_api import expect

    survey = make_survey(world)
    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, locale="zh-CN",
                                      is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/accounts/login/?next=/surveys/")
    page.fill("input[name=phone]", "13700000007")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/surveys/$"))
    page.get_by_role("link", name=survey.title).click()
    expect(page.locator("h1")).to_have_text(survey.title)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("3–4次").check()
    page.get_by_label("60分钟及以上").check()
    page.get_by_label("呼吸、心跳加快，微微出汗").check()
    page.get_by_label("健步走").check()
    page.get_by_label("广场舞").check()
    page.get_by_role("button", name="提交答卷").click()
    expect(page.locator("main")).to_contain_text("您已回答本调查")
    answer = Response.objects.get(survey=survey)
    assert answer.regular is True and len(answer.answers[str(survey.questions.get(key="activities").pk)]) == 2
    page.goto(f"{live_server.url}/surveys/")
    expect(page.locator("main .badge")).to_have_text("已作答")
    assert errors == []
    context.close()
