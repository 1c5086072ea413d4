"""The open-data page in a real browser, in Chinese at phone size: every dataset with its formats, a
dataset opened from its link, the feeds' addresses; then another site's page (another origin) reads a
feed with `fetch` — CORS, its preflight for If-None-Match, and the 304 — as a third-party app would."""

import json

import pytest
from django.utils import translation
from django.utils.translation import gettext

from quanmin.opendata import changes, datasets, items
from tests.conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READ = """async ([url, etag]) => {
  const first = await fetch(url, {cache: 'no-store'});
  const body = await first.json();
  const again = await fetch(url, {cache: 'no-store', headers: {'If-None-Match': first.headers.get('ETag')}});
  return {status: first.status, etag: first.headers.get('ETag'), items: body.items.length, next: body.next,
          again: again.status};
}"""


def test_the_page_lists_datasets_and_feeds_and_another_site_reads_a_feed(world, live_server, browser):
    from playwright.sync_api import expect

    datasets.publish()
    changes.stamp()
    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True,
                                      has_touch=True, locale="zh-CN")
    page.goto(f"{live_server.url}/opendata/")
    with translation.override("zh-hans"):
        expect(page.locator("h1")).to_have_text(gettext("Open data"))
    expect(page.locator("[data-dataset]")).to_have_count(len(datasets.DATASETS))
    facilities = page.locator("[data-dataset=facilities] a.fmt")
    expect(facilities).to_have_text(["CSV", "GEOJSON", "JSON"])
    expect(page.locator("[data-feed]")).to_have_count(len(items.FEEDS))
    expect(page.locator("[data-feed=slots] .od-url")).to_have_text(f"{live_server.url}/opendata/feeds/slots")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page wider than the phone"

    page.locator("[data-dataset=facilities] a.fmt[href$='.json']").click()
    page.wait_for_url("**/opendata/datasets/facilities.json")
    rows = json.loads(page.locator("body").inner_text())["rows"]
    assert any(r["site"] == "东关社区文体广场" for r in rows)
    assert errors == []
    context.close()

    # Another origin (the same server by another host name), without our page's CSP: a third party.
    other = live_server.url.replace("localhost", "127.0.0.1") if "localhost" in live_server.url \
        else live_server.url.replace("127.0.0.1", "localhost")
    third, page, errors = open_page(browser, bypass_csp=True)
    page.goto(f"{other}/opendata/activity-list.jsonld")
    got = page.evaluate(READ, [f"{live_server.url}/opendata/feeds/slots", None])
    assert got["status"] == 200 and got["etag"] and got["items"] == world.unit.slots.count() + world.other_unit.slots.count()
    assert "afterChangeNumber=" in got["next"] and got["again"] == 304
    assert errors == []
    third.close()
