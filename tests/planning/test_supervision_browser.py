"""Supervision in Chromium, as the people do it: the city's supervisor records a visit carried out
in the county (picking it from the division lists), a problem and its rectification item; the
county's staff answer with an evidence file; the supervisor verifies it closed. Then the plan's
annual report printed: print media hide the site's chrome and the page is A4."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quanmin.planning.models import Rectification, RectificationEntry, Visit
from tests.conftest import open_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visit_to_closed_item(world, liaocheng, live_server, browser, tmp_path):
    from playwright.sync_api import expect

    today = timezone.localdate()
    boss_context, boss, errors = open_page(browser, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(boss, live_server, world.users["supervisor"], reverse("planning:supervision"))
    form = boss.locator("main form.card")
    picker = form.locator("[data-division-picker]")
    picker.locator("select").nth(1).select_option(label="东昌府区")
    expect(picker.locator("input[type=hidden]")).to_have_value(world.county.code)
    form.locator("input[name=title]").fill("全民健身设施专项督查")
    form.locator("select[name=kind]").select_option("special")
    form.locator("input[name=planned_on]").fill(today.isoformat())
    form.locator("input[name=visited_on]").fill(today.isoformat())
    form.locator("textarea[name=summary]").fill("查看了体育公园和健身路径。")
    form.locator("button").click()
    boss.wait_for_url(re.compile(r".*/staff/supervision/visits/\d+/$"))
    visit = Visit.objects.get()
    assert (visit.division_code, visit.status, visit.kind) == (world.county.code, "done", "special")

    finding_form = boss.locator(f"form[action='{reverse('planning:finding_add', args=[visit.pk])}']")
    finding_form.locator("select[name=severity]").select_option("major")
    finding_form.locator("input[name=place]").fill("古楼健身广场")
    finding_form.locator("textarea[name=text]").fill("健身路径两件器材损坏未修。")
    finding_form.locator("button").click()
    expect(boss.locator("main section.card h3")).to_contain_text("古楼健身广场")
    boss.locator("main section.card details summary").click()
    item_form = boss.locator("main section.card details form")
    item_form.locator("textarea[name=requirement]").fill("十五日内修复并建立点检台账。")
    item_form.locator("input[name=deadline]").fill((today + timedelta(days=15)).isoformat())
    item_form.locator("button").click()
    expect(boss.locator("main section.card ul li a")).to_contain_text("十五日内修复")
    item = Rectification.objects.get()

    photo = tmp_path / "整改照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 photo")
    county_context, county, county_errors = open_page(browser, viewport={"width": 390, "height": 844},
                                                      locale="zh-CN")
    sign_in(county, live_server, world.users["county"], reverse("planning:rectifications"))
    county.get_by_role("link", name="十五日内修复并建立点检台账。").click()
    county.wait_for_url(f"**{reverse('planning:rectification', args=[item.pk])}")
    answer = county.locator(f"form[action='{reverse('planning:rectification_respond', args=[item.pk])}']")
    answer.locator("textarea[name=text]").fill("已修复两件器材，建立点检台账。")
    answer.locator("input[name=evidence]").set_input_files(str(photo))
    answer.locator("button").click()
    expect(county.locator("main .badge")).to_have_text("待核验")
    expect(county.locator("main ul.entries")).to_contain_text("已修复两件器材")
    expect(county.get_by_role("link", name="佐证材料")).to_be_visible()

    boss.goto(f"{live_server.url}{reverse('planning:rectification', args=[item.pk])}")
    boss.get_by_role("button", name="核验通过，销号").click()
    expect(boss.locator("main .badge")).to_have_text("已核验销号")
    item.refresh_from_db()
    assert (item.status, item.closed_on) == ("closed", today)
    assert [(e.kind, e.decision, bool(e.evidence)) for e in RectificationEntry.objects.order_by("pk")] == [
        ("response", "", True), ("review", "closed", False)]
    assert errors == [] and county_errors == []
    boss_context.close()
    county_context.close()


A4_POINTS = (595.92, 842.88)  # 210 × 297 mm in PDF points, as Chromium writes them


def test_annual_report_prints_on_a4(world, liaocheng, live_server, browser):
    from playwright.sync_api import expect

    year = liaocheng.ends_on.year  # the plan's last year (a report is of a year within the plan)
    context, page, errors = open_page(browser, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(page, live_server, world.users["city"], reverse("planning:annual_report", args=[liaocheng.key, year]))
    expect(page.locator(".topbar")).to_be_visible()
    expect(page.locator("button[data-print]")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("button[data-print]")).to_be_hidden()
    expect(page.locator(".annual-report h1")).to_have_text(liaocheng.title)
    expect(page.locator("#report-targets tbody tr").first).to_be_visible()
    # The sheet's own rule (planning/report.css) sets the paper: every page of the PDF is A4 portrait.
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes, "no page in the PDF"
    for width, height in boxes:
        assert abs(float(width) - A4_POINTS[0]) < 2 and abs(float(height) - A4_POINTS[1]) < 2, (width, height)
    # Within A4's printable width (210 mm less 2 × 12 mm) no table runs off the sheet.
    page.set_viewport_size({"width": 703, "height": 1000})
    overflowing = page.locator(".annual-report .table-wrap").evaluate_all(
        "els => els.filter(el => el.scrollWidth > el.clientWidth + 1).length")
    assert overflowing == 0
    assert errors == []
    context.close()
