"""The maintenance figures page in a real browser: the charts draw (ECharts), the numbers are in the
tables, and picking a division on the chart drills down to it for the same period. Debian's
Chromium through Playwright; skipped, saying so, without it."""

import os

import pytest

from tests.conftest import PASSWORD
from tests.maintenance import test_figures

# The world of test_figures.py, with its hand-computed figures.
mworld, quiet = test_figures.mworld, test_figures.quiet

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT = "/tmp/maintenance-figures.png"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    if not os.path.exists(CHROMIUM):
        pytest.skip(
            f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium); browser test skipped"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


def test_charts_draw_and_a_division_is_picked_on_the_chart(mworld, live_server, browser):
    from playwright.sync_api import expect

    w = mworld
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
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
    page.wait_for_timeout(1200)  # let the charts' opening animation finish before the picture
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
