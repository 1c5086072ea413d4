"""Issue 16, item 8, at desktop size (1440×900) in a real browser, signed in as city staff:

- the menu is at most eight groups on one line, the user's name beside them without overlap, and
  every group opens onto its sections (the end-to-end walk of the staff menu the issue asks for);
- the maintenance figures table shows a chosen few columns (more on request), scrolls when wide,
  and never wraps a division's name a character a line;
- a register filter picks its division city → county → township → community from lists."""

import pytest

from tests.conftest import open_page, sign_in
from tests.maintenance import test_figures

mworld, quiet = test_figures.mworld, test_figures.quiet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _overlap(a, b) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def test_staff_menu_groups_fit_one_line_and_open(world, live_server, browser):
    from playwright.sync_api import expect

    context, page, errors = open_page(browser, viewport={"width": 1440, "height": 900}, locale="zh-CN")
    sign_in(page, live_server, world.users["city"], "/")
    groups = page.locator("#mainnav .nav-group")
    count = groups.count()
    assert 3 <= count <= 8
    boxes = [groups.nth(i).locator("summary").bounding_box() for i in range(count)]
    assert len({round(b["y"]) for b in boxes}) == 1, "the menu's groups are on more than one line"
    who = page.locator(".who").bounding_box()
    for box in boxes:
        assert not _overlap(box, who), "the user's name runs into the menu"
    assert who["x"] >= max(b["x"] + b["width"] for b in boxes)
    # Each group opens onto links that work; opening one closes the other.
    seen = set()
    for i in range(count):
        group = groups.nth(i)
        group.locator("summary").click()
        links = group.locator("ul a")
        expect(links.first).to_be_visible()
        seen |= {links.nth(j).get_attribute("href") for j in range(links.count())}
        # The other group closes on the "toggle" event, which the browser queues: wait for it.
        expect(page.locator("#mainnav .nav-group details[open]")).to_have_count(1)
    assert {"/staff/audit/", "/find/", "/staff/facilities/"} <= seen
    page.locator("#mainnav .nav-group summary").first.click()
    page.locator("#mainnav .nav-group details[open] ul a").first.click()
    page.wait_for_load_state()
    assert errors == []
    context.close()


def test_figures_table_columns_and_names(mworld, live_server, browser):
    from playwright.sync_api import expect

    w = mworld
    context, page, errors = open_page(browser, viewport={"width": 1440, "height": 900}, locale="zh-CN")
    url = f"/staff/maintenance/figures/{w.city.code}/?start=2026-03-01&end=2026-05-20"
    sign_in(page, live_server, w.users["city"], url)
    table = page.locator("#figures-table")
    expect(table.locator("thead th")).to_have_count(1 + 8)  # the division and the default eight
    # No name broken across lines: each division cell is one line high.
    cell = table.locator("tbody td").first
    line = float(page.evaluate("el => parseFloat(getComputedStyle(el).lineHeight) || 20", cell.element_handle()))
    assert cell.locator("a").bounding_box()["height"] < line * 1.6
    # Every column at once: the table scrolls inside its box, the page itself does not widen.
    page.locator(".col-chooser summary").click()
    for box in page.locator(".col-options input[type=checkbox]").all():
        box.check()
    page.get_by_role("button", name="显示这些列").click()
    page.wait_for_url("**cols=**")
    expect(page.locator("#figures-table thead th")).to_have_count(1 + 21)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    name = page.locator("#figures-table tbody td").first
    assert name.locator("a").bounding_box()["height"] < line * 1.6
    headers = page.locator("#figures-table thead th")
    for i in range(headers.count()):
        assert headers.nth(i).bounding_box()["width"] > 30, "a heading squeezed to a character a line"
    assert errors == []
    context.close()


def test_register_filter_picks_a_division_from_lists(world, live_server, browser):
    from playwright.sync_api import expect

    context, page, errors = open_page(browser, viewport={"width": 1440, "height": 900}, locale="zh-CN")
    sign_in(page, live_server, world.users["city"], "/staff/facilities/")
    picker = page.locator("[data-division-picker]").first
    selects = picker.locator("select")
    # The city is the top of the scope; its counties are the next list.
    selects.nth(1).select_option(label="东昌府区")
    expect(selects).to_have_count(3)
    selects.nth(2).select_option(label="古楼街道")
    expect(selects).to_have_count(4)
    selects.nth(3).select_option(label="东关社区")
    # The page's script sets the hidden input on "change": wait for it rather than read it at once.
    expect(picker.locator("input[type=hidden]")).to_have_value(world.community.code)
    page.locator("main form").first.evaluate("f => f.requestSubmit ? f.requestSubmit() : f.submit()")
    page.wait_for_url(f"**region={world.community.code}**")
    expect(page.locator("main")).to_contain_text("东关社区文体广场")
    expect(page.locator("main table")).not_to_contain_text("新华社区健身广场")
    # Opened again with the code, the lists show the chain chosen.
    expect(page.locator("[data-division-picker] select").nth(3)).to_have_value(world.community.code)
    assert errors == []
    context.close()
