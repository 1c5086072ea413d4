"""A plan's phases (启动阶段, 实施阶段, 提升阶段: D15) written by its owners: inside the plan, in date
order, never overlapping; bad input refused with a translated error and nothing changed."""

import datetime

import pytest
from django.urls import reverse

from quanmin.accounts.models import AuditEntry
from quanmin.planning import selectors
from quanmin.planning.errors import PlanningError
from quanmin.planning.services import authoring
from tests.planning.test_target_authoring import chinese, county_plan  # noqa: F401 (a fixture)

D = datetime.date


def test_phases_are_numbered_by_date_and_kept_inside_the_plan(world, county_plan):  # noqa: F811
    user = world.users["county"]
    late = authoring.add_phase(user, county_plan, {"name": "提升阶段", "starts_on": D(2025, 1, 1),
                                                   "ends_on": D(2025, 12, 31)})
    early = authoring.add_phase(user, county_plan, {"name": "启动阶段", "starts_on": D(2023, 1, 1),
                                                    "ends_on": D(2023, 6, 30), "quote": "2023年1月—6月"})
    late.refresh_from_db()
    assert (early.order, late.order) == (1, 2)
    middle = authoring.add_phase(user, county_plan, {"name": "实施阶段", "starts_on": D(2023, 7, 1),
                                                     "ends_on": D(2024, 12, 31)})
    assert [p.name for p in county_plan.phases.all()] == ["启动阶段", "实施阶段", "提升阶段"] and middle.order == 2
    for change, code in [({"ends_on": D(2026, 1, 31)}, "phase_outside_plan"),
                         ({"starts_on": D(2022, 12, 1)}, "phase_outside_plan"),
                         ({"starts_on": D(2024, 6, 1), "ends_on": D(2024, 1, 1)}, "phase_period_reversed"),
                         ({"starts_on": D(2023, 6, 1)}, "phase_overlap"),
                         ({"name": " "}, "phase_name_missing")]:
        with pytest.raises(PlanningError) as caught:
            authoring.update_phase(user, middle, change)
        assert caught.value.code == code, change
        chinese(caught.value.message)
    middle.refresh_from_db()
    assert (middle.starts_on, middle.ends_on, middle.name) == (D(2023, 7, 1), D(2024, 12, 31), "实施阶段")
    authoring.update_phase(user, middle, {"name": "全面实施阶段"})
    # The plan's period no longer holding a phase is refused, the plan unchanged.
    with pytest.raises(PlanningError) as caught:
        authoring.update_plan(user, county_plan, {"ends_on": D(2024, 12, 31)})
    assert caught.value.code == "phase_outside_plan"
    county_plan.refresh_from_db()
    assert county_plan.ends_on == D(2025, 12, 31)
    authoring.remove_phase(user, early)
    assert [p.order for p in county_plan.phases.all()] == [1, 2]
    assert {e.action for e in AuditEntry.objects.filter(target_id=str(county_plan.pk))} >= {
        "planning.phase_add", "planning.phase_update", "planning.phase_remove"}
    with pytest.raises(PlanningError) as caught:
        authoring.add_phase(world.users["other_county"], county_plan, {"name": "x", "starts_on": D(2023, 1, 1),
                                                                       "ends_on": D(2023, 2, 1)})
    assert caught.value.status == 403


def test_phases_on_the_plan_edit_page_and_the_api(world, client_for, county_plan):  # noqa: F811
    client = client_for("county")
    edit = reverse("planning:plan_edit", args=[county_plan.key])
    assert 'id="phase-add"' in client.get(edit).content.decode()
    add = reverse("planning:phase_add", args=[county_plan.key])
    assert client.post(add, {"name": "启动阶段", "starts_on": "2023-01-01", "ends_on": "2023-06-30"}).status_code == 302
    response = client.post(add, {"name": "重叠", "starts_on": "2023-06-01", "ends_on": "2023-08-30"}, follow=True)
    assert "时间重叠" in response.content.decode() and county_plan.phases.count() == 1
    phase = county_plan.phases.get()
    page = client.get(edit).content.decode()
    assert "启动阶段" in page and reverse("planning:phase_remove", args=[county_plan.key, phase.pk]) in page
    assert client.post(reverse("planning:phase_edit", args=[county_plan.key, phase.pk]),
                       {"name": "启动", "starts_on": "2023-01-01", "ends_on": "2023-03-31"}).status_code == 302
    phase.refresh_from_db()
    assert (phase.name, phase.ends_on) == ("启动", D(2023, 3, 31))
    assert client_for("other_county").post(add, {"name": "x"}).status_code == 404
    assert client.post(reverse("planning:phase_remove", args=[county_plan.key, phase.pk])).status_code == 302
    assert not county_plan.phases.exists()
    base = f"/api/v1/planning/plans/{county_plan.key}/phases"
    response = client.post(base, {"name": "实施阶段", "starts_on": "2023-01-01", "ends_on": "2024-12-31"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["order"] == 1
    url = f"{base}/{response.json()['id']}"
    response = client.patch(url, {"ends_on": "2026-12-31"}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "phase_outside_plan")
    assert client.patch(url, {"name": "实施"}, content_type="application/json").json()["name"] == "实施"
    assert [p["name"] for p in client.get(base).json()] == ["实施"]
    assert client_for("supervisor").delete(url).status_code in (403, 404)
    assert client.delete(url).status_code == 204


def test_the_dashboard_shows_what_is_due_in_each_phase(world, client_for, county_plan):  # noqa: F811
    user = world.users["county"]
    for name, first, last in (("启动阶段", D(2023, 1, 1), D(2023, 12, 31)), ("提升阶段", D(2024, 1, 1), D(2025, 12, 31))):
        authoring.add_phase(user, county_plan, {"name": name, "starts_on": first, "ends_on": last})
    authoring.add_target(user, county_plan, {"name": "场地普查", "quote": "完成场地普查", "comparator": "yes",
                                             "kind": "yes_no", "year": 2023})
    authoring.add_task(user, county_plan, {"title": "建设健身步道", "lead": "区教育和体育局", "deadline_text": "2025年底前"})
    strip = selectors.phase_strip(county_plan, D(2024, 5, 1))
    assert [(p["state"], len(p["targets"]), len(p["tasks"])) for p in strip] == [("past", 1, 0), ("current", 0, 1)]
    page = client_for("county").get(reverse("planning:plan", args=[county_plan.key])).content.decode()
    assert 'id="phase-strip"' in page and "场地普查" in page and "1项任务到期" in page
