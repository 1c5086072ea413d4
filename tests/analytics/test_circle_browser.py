"""The fitness-circle page in a real browser at a desktop's size: progress while the analysis runs,
then its result without a reload by hand; types by their labels, a map large enough to read."""

import pytest

from quanmin.analytics import runs
from quanmin.analytics.models import CircleRun
from tests.conftest import open_page, sign_in

pytestmark = pytest.mark.browser


def test_progress_then_the_result_appears_by_itself(live_server, world, browser, no_map_tiles):
    from playwright.sync_api import expect

    context, page, errors = open_page(browser, viewport={"width": 1440, "height": 900}, locale="zh-CN")
    url = f"/staff/planning/circle/{world.county.code}/"
    sign_in(page, live_server, world.users["county"], url)
    expect(page.locator("#run-status")).to_contain_text("尚无")
    page.locator("form.filters button").click()
    # Queued: the progress bar and the stage in words, polled by the page.
    expect(page.locator("#run-status progress")).to_be_visible()
    expect(page.locator("#run-stage")).to_have_text("读取场地、居民和街道数据")
    run = CircleRun.objects.get()
    runs.execute_run(run.pk)  # what the background worker does
    # The page notices the end and shows the result: figures, the map, types in Chinese.
    expect(page.locator("#circle-map")).to_be_visible()
    expect(page.locator("#run-status progress")).to_have_count(0)
    expect(page.locator("#circle-map canvas")).to_have_count(1)
    assert page.locator("#circle-map").bounding_box()["height"] >= 420
    types = page.locator("table", has_text="篮球场")
    expect(types).to_have_count(1)
    assert "basketball" not in page.content() and "fitness_square" not in page.content()
    assert errors == []
    context.close()
