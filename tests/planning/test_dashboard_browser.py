"""The city's staff open their plan's dashboard in Chromium: the figures say which snapshot they
come from, the target with a history has its sparkline; they unbind a target's indicator on its page
and the dashboard then asks for figures by hand; "compute now" computes every indicator live."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quanmin.planning.models import Target
from quanmin.planning.services import snapshots
from tests.conftest import PASSWORD, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def bound(plan) -> int:
    """How many indicators the plan's targets read (the dashboard computes each once)."""
    return Target.objects.filter(plan=plan).exclude(indicator="").values("indicator").distinct().count()


def test_dashboard_snapshot_target_and_back(world, liaocheng, live_server, browser):
    from playwright.sync_api import expect

    today = timezone.localdate()
    snapshots.take(snapshots.month_ends(today - timedelta(days=70), today), scope="3715",
                   keys=["instructors_per_10000"])
    context, page, errors = open_page(browser, viewport={"width": 1280, "height": 900}, locale="en-US")
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/plans/")
    page.fill("input[name=phone]", world.users["city"].phone)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/plans/")
    page.get_by_role("link", name=liaocheng.title).first.click()
    page.wait_for_url(f"**/staff/plans/{liaocheng.key}/")
    freshness = page.locator("#freshness")
    expect(freshness).to_contain_text(f"as of {today:%Y-%m-%d}")
    every = bound(liaocheng)
    assert every > 2
    # All but the one with a fresh snapshot.
    expect(freshness).to_contain_text(f"{every - 1} indicators computed now")
    expect(page.locator("svg.spark polyline")).to_have_count(1)  # only the snapshotted target has a history
    page.get_by_role("link", name="体育场地总数").click()
    page.wait_for_url(f"**/staff/plans/{liaocheng.key}/targets/*/")
    page.locator("#bind select[name=indicator]").select_option("")
    page.locator("#bind button").click()
    expect(page.get_by_text("Indicator unbound: enter figures.")).to_be_visible()
    expect(page.get_by_role("heading", name="Figures entered by hand")).to_be_visible()
    page.get_by_role("link", name=liaocheng.title).click()
    page.wait_for_url(f"**/staff/plans/{liaocheng.key}/")
    row = page.locator("tr", has=page.get_by_role("link", name="体育场地总数"))
    expect(row).to_contain_text("No register yet: enter figures")
    assert bound(liaocheng) == every - 1
    expect(freshness).to_contain_text(f"{every - 2} indicators computed now")
    page.get_by_role("link", name="Compute every indicator now").click()
    page.wait_for_url("**live=1")
    expect(freshness).to_contain_text(f"{every - 1} indicators computed now")
    assert errors == []
    context.close()
