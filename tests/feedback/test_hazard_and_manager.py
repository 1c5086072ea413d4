"""Routing that residents rely on (issue 16, item 10), through the services and the Chinese pages.

A safety hazard is answered sooner than the division's working days and its work order starts
urgent. A report about a place whose operator is recorded reaches that operator: told, listed in
their queue, shown to the resident as the place's managing unit, and answerable by them (but sent
for repair only by the division's staff). One word names a report everywhere: 投诉举报.
"""

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from quanmin.accounts import services as accounts
from quanmin.accounts.models import Notification, Role
from quanmin.feedback import routing
from quanmin.feedback.models import Report
from quanmin.maintenance import services as maintenance
from quanmin.maintenance.models import WorkOrder
from tests.conftest import make_user

from .conftest import at

PO = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def chinese(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    return client


def test_a_safety_hazard_is_due_sooner_and_its_work_order_starts_urgent(feedback_world, make_report):
    friday_evening = at(2026, 12, 4, 17)  # the division's one working day runs to Monday
    ordinary = make_report(now=friday_evening)
    hazard = make_report(feedback_world.pieces[1], now=friday_evening, category=Report.Category.HAZARD)
    assert ordinary.respond_by == at(2026, 12, 7, 17)
    assert hazard.respond_by == friday_evening + routing.HAZARD_RESPONSE < ordinary.respond_by
    assert hazard.resolve_by == friday_evening + routing.HAZARD_RESOLUTION < ordinary.resolve_by

    county = feedback_world.users["county"]
    page = chinese(county).get(reverse("feedback:staff_report", args=[hazard.pk])).content.decode()
    assert '<option value="urgent" selected>' in page  # the form offers what the service would do
    order = maintenance.open_for_report(hazard, actor=county)
    assert order.severity == WorkOrder.Severity.URGENT
    assert maintenance.open_for_report(ordinary, actor=county).severity == WorkOrder.Severity.NORMAL


def test_the_hazard_is_offered_first_on_the_report_form(feedback_world):
    page = chinese().get(reverse("feedback:report_site", args=[feedback_world.site.pk])).content.decode()
    assert page.index('value="hazard"') < page.index('value="equipment"')
    assert "安全隐患：可能有人受伤" in page


@pytest.fixture
def managed(feedback_world):
    """The community site is run by a venue operator of 东昌府区体育运动发展中心."""
    site = feedback_world.site
    site.manager = "东昌府区体育运动发展中心"
    site.save(update_fields=["manager"])
    operator = make_user("13600000001", "周海燕", seq=31)
    accounts.grant_membership(operator, Role.OPERATOR, feedback_world.community, target=site)
    feedback_world.operator = operator
    return feedback_world


def test_a_report_about_a_managed_place_reaches_its_operator(managed):
    resident = chinese(managed.users["resident"])
    response = resident.post(reverse("feedback:report_site", args=[managed.site.pk]), {
        "category": "facility", "description": "篮球场地面开裂", "client_key": "k1"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert Notification.objects.filter(user=managed.operator, subject__contains=report.number).exists()
    assert "东昌府区体育运动发展中心" in resident.get(response["Location"]).content.decode()

    operator = chinese(managed.operator)
    queue = operator.get(reverse("feedback:staff_reports")).content.decode()
    assert report.number in queue
    detail = operator.get(reverse("feedback:staff_report", args=[report.pk])).content.decode()
    assert reverse("feedback:staff_respond", args=[report.pk]) in detail
    assert reverse("maintenance:report_work_order", args=[report.pk]) not in detail  # the division orders repairs
    answered = operator.post(reverse("feedback:staff_respond", args=[report.pk]), {"text": "已安排人员查看"})
    assert answered.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.RESPONDED
    # The division's staff keep it too, and a place the operator does not run stays out of reach.
    assert report.number in chinese(managed.users["community"]).get(reverse("feedback:staff_reports")).content.decode()
    other = Report.objects.create(number="FBX", token="t" * 20, category="facility", description="x",
                                  site=managed.other_site, region=managed.other_community,
                                  handler_region=managed.other_community, created_at=report.created_at,
                                  respond_by=report.respond_by, resolve_by=report.resolve_by)
    assert operator.get(reverse("feedback:staff_report", args=[other.pk])).status_code == 404


def test_a_place_without_an_operator_is_handled_by_its_division(feedback_world, make_report):
    report = make_report(now=at(2026, 12, 1, 10))
    assert routing.handled_by(report) == report.handler_region.name


def test_one_word_for_a_report_in_every_chinese_string(feedback_world, make_report):
    """The glossary's 投诉举报, never 反映, in the catalogue and on the resident's pages."""
    slips = [e.msgid for e in polib.pofile(str(PO)) if "反映" in e.msgstr]
    assert slips == []
    report = make_report(reporter=feedback_world.users["resident"], now=at(2026, 12, 1, 10))
    resident = chinese(feedback_world.users["resident"])
    for url in (reverse("feedback:my_reports"), reverse("feedback:report", args=[report.token])):
        page = resident.get(url).content.decode()
        assert "投诉举报" in page and "反映" not in page, url

