"""The maintenance figures page in a real browser: the charts draw (ECharts), the numbers are in the
tables, and picking a division on the chart drills down to it for the same period. Debian's
Chromium through Playwright; skipped, saying so, without it."""

import pytest

from tests.conftest import PASSWORD, open_page
from tests.maintenance import test_figures

# The world of test_figures.py, with its hand-computed figures.
mworld, quiet = test_figures.mworld, test_figures.quiet

SCREENSHOT = "/tmp/maintenance-figures.png"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_charts_draw_and_a_division_is_picked_on_the_chart(mworld, live_server, browser):
    from playwright.sync_api import expect

    w = mworld
    context, page, errors = open_page(browser, viewport={"width": 1280, "height": 900}, locale="en-US")
    url = f"/staff/maintenance/figures/{w.county.code}/?start=2026-03-01&end=2026-05-20"
    page.goto(f"{live_server.url}/accounts/login/?next={url.replace('&', '%26').replace('?', '%3F')}")
    page.fill("input[name=phone]", w.users["county"].phone)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/staff/maintenance/figures/{w.county.code}/**")

    for chart in ("chart-inspections", "chart-repairs", "chart-children"):
        expect(page.locator(f"#{chart}")).to_be_visible()
        expect(page.locator(f"#{chart} canvas")).to_have_count(1)
    expect(page.locator("#figures-table tfoot")).to_contain_text("55.6")
    # The picture once the charts' opening animation has run (zrender's own "nothing left to animate").
    page.wait_for_function("""() => ["chart-inspections", "chart-repairs", "chart-children"].every(id => {
        const chart = echarts.getInstanceByDom(document.getElementById(id));
        return chart && chart.getZr().animation.isFinished();
    })""")
    page.screenshot(path=SCREENSHOT, full_page=True)

    # Click the first division's point on the completion line: its page, same period.
    page.locator("#chart-children").scroll_into_view_if_needed()
    x, y = page.evaluate("""() => {
        const el = document.getElementById("chart-children");
        const chart = echarts.getInstanceByDom(el);
        const completion = JSON.parse(document.getElementById("figures-data").textContent).children[0].completion;
        const [px, py] = chart.convertToPixel({seriesIndex: 2}, [0, completion]);
        const box = el.getBoundingClientRect();
        return [box.left + px, box.top + py];
    }""")
    page.mouse.click(x, y)
    page.wait_for_url(f"**/staff/maintenance/figures/{w.township.code}/?start=2026-03-01&end=2026-05-20")
    expect(page.locator("h1")).to_contain_text("古楼街道")
    expect(page.locator("#chart-inspections canvas")).to_have_count(1)
    assert errors == []
    context.close()
