"""Issue 16, item 9: the inspector's round on a phone (390×844) opens on the pieces still to check,
the checked ones folded away below, and a save happens in place: the page does not reload, the
card joins the checked ones, the progress moves and the next piece is the first card."""

import pytest
from django.utils import timezone

from quanmin.maintenance import inspections
from quanmin.maintenance.models import Check
from tests.conftest import PASSWORD, open_page

from .test_inspections import inspector, media, png, unit  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_round_opens_on_what_is_left_and_saves_in_place(equipment, inspector, unit, live_server, browser):  # noqa: F811
    from playwright.sync_api import expect

    plan = inspections.create_plan(actor=equipment.users["county"], data={
        "name": "东关社区日常巡检", "kind": "daily", "region": equipment.community.code, "inspector": inspector,
        "starts_on": timezone.localdate()})
    round_ = plan.rounds.get(scheduled_for=timezone.localdate())
    pieces = list(inspections.round_pieces(round_))
    first = pieces[0]
    inspections.record_check(round_, equipment=first.pk, result="ok", actor=inspector)

    context, page, errors = open_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True,
                                      has_touch=True, locale="zh-CN")
    page.goto(f"{live_server.url}/accounts/login/?next=/inspect/rounds/{round_.pk}/")
    page.fill("input[name=phone]", inspector.phone)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/inspect/rounds/{round_.pk}/")

    # The checked piece is folded away; the first card is the first piece still to check.
    todo = page.locator("#todo article.piece-card")
    expect(todo).to_have_count(len(pieces) - 1)
    expect(todo.first).to_have_attribute("data-piece", str(pieces[1].pk))
    expect(page.locator(f"#checked article[data-piece='{first.pk}']")).to_be_hidden()
    expect(page.locator("#checked-count")).to_have_text("1")

    # Save the next piece: no reload (a mark set on the page survives), the card joins the checked
    # ones, the progress moves, the next piece to check is first.
    page.evaluate("window.__stayed = true")
    card = page.locator(f"article[data-piece='{pieces[1].pk}']")
    card.locator("label.ok").click()
    card.locator("button[type=submit]").click()
    expect(page.locator("#progress")).to_contain_text("2")
    expect(page.locator("#checked-count")).to_have_text("2")
    expect(page.locator("#todo article.piece-card")).to_have_count(len(pieces) - 2)
    assert page.evaluate("window.__stayed === true"), "the page reloaded"
    expect(page.locator("#todo article.piece-card").first).to_have_attribute("data-piece", str(pieces[2].pk))
    assert Check.objects.filter(round=round_, equipment=pieces[1]).exists()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The last piece finishes the round: back to the list of rounds.
    last = page.locator(f"article[data-piece='{pieces[2].pk}']")
    last.locator("label.ok").click()
    last.locator("button[type=submit]").click()
    page.wait_for_url("**/inspect/")
    assert errors == []
    context.close()
