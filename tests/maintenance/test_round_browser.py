"""The inspector's round in a real browser on a phone: sign in, open today's round, mark a piece OK,
report a defect with checklist items and a photo (the position comes from the browser's
geolocation), see a bad photo refused clearly, finish the round. Debian's Chromium through
Playwright (never `playwright install`); skipped, saying so, without it."""

import pytest
from django.utils import timezone

from quanmin.facilities.models import Equipment
from quanmin.maintenance import inspections
from quanmin.maintenance.models import Check, InspectionRound, WorkOrder
from tests.conftest import PASSWORD, open_page

from .test_inspections import inspector, media, png, unit  # noqa: F401

SCREENSHOT = "/tmp/inspection-round.png"
HERE = {"latitude": 36.4571, "longitude": 115.9852}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inspector_walks_a_round_on_a_phone(equipment, inspector, unit, live_server, browser):  # noqa: F811
    from playwright.sync_api import expect

    plan = inspections.create_plan(actor=equipment.users["county"], data={
        "name": "东关社区日常巡检", "kind": "daily", "region": equipment.community.code, "inspector": inspector,
        "starts_on": timezone.localdate()})
    round_ = plan.rounds.get(scheduled_for=timezone.localdate())
    walker, twister, bar = equipment.pieces

    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True,
                                      has_touch=True, locale="en-US", geolocation=HERE, permissions=["geolocation"])

    page.goto(f"{live_server.url}/accounts/login/?next=/inspect/")
    page.fill("input[name=phone]", inspector.phone)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/inspect/")

    page.locator(f"#round-{round_.pk}").click()
    page.wait_for_url(f"**/inspect/rounds/{round_.pk}/")
    expect(page.locator("#geo-status")).to_contain_text("36.457")
    expect(page.locator("#progress")).to_contain_text("0 of 3")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    def card(piece):
        return page.locator(f"article[data-piece='{piece.pk}']")

    # The first piece: OK. The checklist stays hidden for an OK.
    card(walker).locator("label.ok").click()
    expect(card(walker).locator(".defect-part")).to_be_hidden()
    card(walker).locator("button[type=submit]").click()
    expect(page.locator("#progress")).to_contain_text("1 of 3")
    expect(card(walker)).to_have_attribute("data-checked", "ok")  # saved in place, folded away

    # The horizontal bar: a defect. A file that is no photo is refused, clearly, and nothing is saved.
    card(bar).locator("label.defect").click()
    expect(card(bar).locator(".defect-part")).to_be_visible()
    card(bar).locator("input[value=grip]").check()
    card(bar).locator("input[type=file]").set_input_files(
        {"name": "bar.jpg", "mimeType": "image/jpeg", "buffer": b"this is not a photo"})
    card(bar).locator("textarea").fill("握杆松动")
    card(bar).locator("button[type=submit]").click()
    expect(card(bar).locator(".err")).to_contain_text("cannot be read")
    assert not Check.objects.filter(equipment=bar).exists()

    # Again, with a real photo.
    card(bar).locator("label.defect").click()
    card(bar).locator("input[value=grip]").check()
    card(bar).locator("input[type=file]").set_input_files(
        {"name": "bar.png", "mimeType": "image/png", "buffer": png((640, 480))})
    card(bar).locator("textarea").fill("握杆松动")
    card(bar).locator("button[type=submit]").click()
    expect(card(bar)).to_contain_text("work order")
    expect(card(bar)).to_have_class(__import__("re").compile("checked-defect"))
    page.screenshot(path=SCREENSHOT, full_page=True)

    # The last piece: OK, and the round is finished.
    card(twister).locator("label.ok").click()
    card(twister).locator("button[type=submit]").click()
    page.wait_for_url("**/inspect/")
    expect(page.locator(".messages")).to_contain_text("Round finished")
    assert errors == []

    round_.refresh_from_db()
    assert round_.status == InspectionRound.Status.DONE
    check = Check.objects.get(round=round_, equipment=bar)
    assert check.failed_items == ["grip"] and check.photo and check.note == "握杆松动"
    assert abs(check.lat - HERE["latitude"]) < 1e-4 and abs(check.lon - HERE["longitude"]) < 1e-4
    order = WorkOrder.objects.get(inspection_check=check)
    assert order.unit == unit and order.source == WorkOrder.Source.INSPECTION
    bar.refresh_from_db()
    assert bar.status == Equipment.Status.DEFECTIVE
    assert Check.objects.filter(round=round_, result="ok").count() == 2
