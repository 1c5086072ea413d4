"""Core indicators of economic and social development (D10: 纳入经济社会发展核心指标体系): the plan's
owners mark targets; the mark shows on the target, the dashboard, the annual report and both
workbooks, and in the API; nobody else changes it."""

import datetime
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from quanmin.accounts.models import AuditEntry
from quanmin.planning import report
from quanmin.planning.errors import PlanningError
from quanmin.planning.services import authoring, figures


def _rows(answer, sheet):
    book = load_workbook(BytesIO(b"".join(answer.streaming_content)))
    rows = [[c.value for c in r] for r in book[sheet].iter_rows()]
    return rows[0], rows[1:]


def test_owners_mark_and_unmark_with_an_audit_entry(world, liaocheng):
    target = liaocheng.targets.get(key="T0-03")
    assert target.core_indicator is False
    authoring.mark_core_indicator(world.users["city"], target, True)
    target.refresh_from_db()
    assert target.core_indicator is True
    entry = AuditEntry.objects.filter(actor=world.users["city"]).order_by("-pk").first()
    assert entry.detail == {"target": "T0-03", "core_indicator": True}
    # Marking again writes nothing more.
    before = AuditEntry.objects.count()
    authoring.mark_core_indicator(world.users["city"], target, True)
    assert AuditEntry.objects.count() == before
    authoring.mark_core_indicator(world.users["city"], target, False)
    target.refresh_from_db()
    assert target.core_indicator is False


def test_a_county_cannot_mark_the_citys_target(world, liaocheng):
    target = liaocheng.targets.get(key="T0-03")
    try:
        authoring.mark_core_indicator(world.users["county"], target, True)
    except PlanningError as exc:
        assert exc.code == "plan_not_yours" and exc.status == 403
    else:
        raise AssertionError("a county marked the city's target")
    target.refresh_from_db()
    assert target.core_indicator is False


def test_page_api_and_exports_show_the_mark(world, liaocheng, client_for):
    target = liaocheng.targets.get(key="T0-29")
    other = liaocheng.targets.get(key="T0-03")
    city = client_for("city")
    answer = city.post(reverse("planning:target_core", args=[liaocheng.key, target.pk]), {"core": "on"})
    assert answer.status_code == 302
    assert "已标为经济社会发展核心指标" in city.get(answer.url).content.decode()
    api = city.put(f"/api/v1/planning/plans/{liaocheng.key}/targets/{other.pk}/core-indicator",
                   {"core_indicator": True}, content_type="application/json")
    assert api.status_code == 200 and api.json() == {"id": other.pk, "key": "T0-03", "indicator": other.indicator,
                                               "core_indicator": True}
    # A county's staff read the plan, and are refused the change (the target stays as it was).
    county = client_for("county")
    refused = county.put(f"/api/v1/planning/plans/{liaocheng.key}/targets/{other.pk}/core-indicator",
                         {"core_indicator": False}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "plan_not_yours"
    county.post(reverse("planning:target_core", args=[liaocheng.key, other.pk]), {})
    other.refresh_from_db()
    assert other.core_indicator is True

    listed = {t["key"]: t["core_indicator"] for t in
              county.get(f"/api/v1/planning/plans/{liaocheng.key}/targets?limit=100").json()}
    assert [k for k, v in listed.items() if v] == ["T0-03", "T0-29"]
    page = county.get(reverse("planning:target", args=[liaocheng.key, target.pk])).content.decode()
    assert 'id="core-indicator"' in page and 'id="core"' not in page  # the badge; the form is the owners'
    assert city.get(reverse("planning:target", args=[liaocheng.key, target.pk])).content.decode().count('id="core"') == 1
    assert county.get(reverse("planning:plan", args=[liaocheng.key])).content.decode().count("badge core") == 2

    header, rows = _rows(county.get(reverse("planning:export", args=[liaocheng.key])), "规划目标")
    column = header.index("核心指标")
    assert sorted(r[0] for r in rows if r[column] == "是") == ["T0-03", "T0-29"]
    assert sum(r[column] == "否" for r in rows) == liaocheng.targets.count() - 2


def test_annual_report_counts_the_core_indicators_met(world, liaocheng, client_for):
    city = world.users["city"]
    t29 = liaocheng.targets.get(key="T0-29")  # yes/no: achieved by the figure below
    t03 = liaocheng.targets.get(key="T0-03")  # m² a resident: no register in this world, no figure
    for target in (t29, t03):
        authoring.mark_core_indicator(city, target, True)
    figure = figures.enter(city, t29, division_code=world.city.code, as_of=datetime.date(2023, 6, 1), value="1",
                           evidence=SimpleUploadedFile("证明.pdf", b"%PDF-1.4"))
    figures.decide(world.users["superuser"], figure, approve=True)
    found = report.annual(liaocheng, 2023, datetime.date(2024, 3, 1))
    # Counted by hand: two core targets, T0-29 met (1 = achieved), T0-03 not.
    assert (found["figures"]["core"], found["figures"]["core_met"]) == (2, 1)
    page = client_for("county").get(reverse("planning:annual_report", args=[liaocheng.key, 2023])).content.decode()
    assert "核心指标达标" in page and "1 / 2" in page
    header, rows = _rows(client_for("county").get(reverse("planning:annual_report_export", args=[liaocheng.key, 2023])),
                         "规划目标")
    assert sorted(r[0] for r in rows if r[header.index("核心指标")] == "是") == ["T0-03", "T0-29"]
    summary = dict(r for r in _rows(client_for("county").get(
        reverse("planning:annual_report_export", args=[liaocheng.key, 2023])), "概况")[1])
    assert (summary["核心指标"], summary["核心指标达标"]) == (2, 1)
