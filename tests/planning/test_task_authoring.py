"""A plan's tasks written one at a time by its owners (a county's 任务书 with its 优先序, seed 004):
units by department, the deadline read as the importer reads it, periods following the deadline,
removal refused while anything refers to the task; the priority order on the task board."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from quanmin.accounts import services as accounts
from quanmin.accounts.models import AuditEntry, Role
from quanmin.planning import selectors
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import Department, TaskItem
from quanmin.planning.services import authoring, tasks
from tests.conftest import make_user
from tests.planning.test_target_authoring import chinese, county_plan  # noqa: F401 (a fixture)

TASK = {"title": "新建社区健身广场10个", "lead": "区教育和体育局", "responsible": "区住房城乡建设局、各街道办事处",
        "deadline_text": "2024年底前", "priority": 2}


def test_a_task_with_its_units_deadline_priority_and_periods(world, county_plan):  # noqa: F811
    user = world.users["county"]
    task = authoring.add_task(user, county_plan, dict(TASK))
    assert (task.number, task.deadline, task.recurrence, task.priority) == ("1", datetime.date(2024, 12, 31), "", 2)
    assert [(u.role, u.department.name) for u in task.units.select_related("department")] == [
        ("lead", "区教育和体育局"), ("responsible", "区住房城乡建设局"), ("responsible", "各街道办事处")]
    assert Department.objects.get(division_code=world.county.code, name="各街道办事处").kind == "divisions"
    assert list(task.periods.values_list("year", flat=True)) == [2024]
    yearly = authoring.add_task(user, county_plan, {"title": "举办全民健身运动会", "lead": ["区教育和体育局"],
                                                    "deadline_text": "每年", "number": "2"})
    assert yearly.recurrence == "yearly" and list(yearly.periods.values_list("year", flat=True)) == [2023, 2024, 2025]
    # A deadline moved: the periods follow, one someone reported in stays.
    authoring.update_task(user, yearly, {"deadline_text": "2024年底前"})
    assert list(yearly.periods.values_list("year", flat=True)) == [2024]
    authoring.update_task(user, task, {"deadline_text": "2023年6月底前", "lead": ["区体育总会"], "priority": None})
    task.refresh_from_db()
    assert task.deadline == datetime.date(2023, 6, 30) and task.priority is None and task.lead_text == "区体育总会"
    assert task.periods.get().due_on == datetime.date(2023, 6, 30)
    assert AuditEntry.objects.filter(action="planning.task_update", detail__task="1").exists()


@pytest.mark.parametrize("change,code", [
    ({"title": ""}, "task_title_missing"),
    ({"deadline_text": "尽快"}, "task_deadline_unreadable"),
    ({"deadline_text": "2020年底前"}, "task_deadline_before_plan"),
    ({"lead": "", "responsible": "", "cooperating": ""}, "task_without_unit"),
    ({"priority": 0}, "task_priority"),
    ({"priority": "第一"}, "not_a_number"),
    ({"recurrence": "weekly"}, "task_bad_recurrence"),
    ({"number": "1"}, "task_number_taken"),
])
def test_bad_task_input_is_refused_and_nothing_changes(world, county_plan, change, code):  # noqa: F811
    user = world.users["county"]
    kept = authoring.add_task(user, county_plan, dict(TASK, number="1"))
    other = authoring.add_task(user, county_plan, dict(TASK, number="2"))
    with pytest.raises(PlanningError) as caught:
        authoring.update_task(user, other, change)
    assert caught.value.code == code
    chinese(caught.value.message)
    other.refresh_from_db()
    assert (other.number, other.title, other.priority, other.units.count()) == ("2", TASK["title"], 2, 3)
    if code != "task_number_taken":
        with pytest.raises(PlanningError):
            authoring.add_task(user, county_plan, {**TASK, **change})
    assert county_plan.tasks.count() == 2 and kept.units.count() == 3


def test_removal_refused_while_a_report_refers_to_it(world, county_plan):  # noqa: F811
    user = world.users["county"]
    task = authoring.add_task(user, county_plan, dict(TASK))
    lead = Department.objects.get(division_code=world.county.code, name="区教育和体育局")
    staff = make_user("13900000071", "区体育局", seq=71)
    accounts.grant_membership(staff, Role.DEPARTMENT_STAFF, world.county, target=lead)
    tasks.report(staff, task.periods.get(), text="已开工", percent=30)
    with pytest.raises(PlanningError) as caught:
        authoring.remove_task(user, task)
    assert (caught.value.code, caught.value.status) == ("task_in_use", 409)
    chinese(caught.value.message)
    assert TaskItem.objects.filter(pk=task.pk).exists()
    with pytest.raises(PlanningError) as caught:
        authoring.remove_task(world.users["other_county"], task)
    assert caught.value.status == 403
    fresh = authoring.add_task(user, county_plan, dict(TASK, number="9"))
    authoring.remove_task(user, fresh)
    assert not TaskItem.objects.filter(pk=fresh.pk).exists()
    assert AuditEntry.objects.filter(action="planning.task_remove", detail__task="9").exists()


def test_task_pages_and_the_board_in_priority_order(world, client_for, county_plan):  # noqa: F811
    client = client_for("county")
    new = reverse("planning:task_new", args=[county_plan.key])
    assert 'list="departments"' in client.get(new).content.decode()
    response = client.post(new, {**TASK, "deadline_text": "明天"})
    assert response.status_code == 200 and "无法识别完成时限" in response.content.decode()
    assert not county_plan.tasks.exists()
    response = client.post(new, TASK)
    task = county_plan.tasks.get()
    assert response["Location"] == reverse("planning:task", args=[county_plan.key, task.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'id="edit-task"' in page and 'id="remove-task"' in page
    edit = reverse("planning:task_edit", args=[county_plan.key, task.pk])
    assert "区住房城乡建设局、各街道办事处" in client.get(edit).content.decode()
    assert client.post(edit, {**TASK, "number": "1", "priority": "3"}).status_code == 302
    client.post(new, {**TASK, "title": "建设多功能运动场", "priority": "1"})
    client.post(new, {**TASK, "title": "开展科学健身指导", "priority": ""})
    board = selectors.task_board(county_plan, timezone.localdate(), sort="priority")
    assert [c["task"].title for c in board["cards"]] == ["建设多功能运动场", TASK["title"], "开展科学健身指导"]
    dashboard = client.get(reverse("planning:plan", args=[county_plan.key]) + "?tasks=priority").content.decode()
    assert dashboard.index("建设多功能运动场") < dashboard.index(TASK["title"]) and 'id="add-task"' in dashboard
    other = client_for("other_county")
    assert other.get(new).status_code == 404 and other.post(edit, TASK).status_code == 404
    assert client.post(reverse("planning:task_remove", args=[county_plan.key, task.pk])).status_code == 302
    assert county_plan.tasks.count() == 2


def test_tasks_in_the_api(world, client_for, county_plan):  # noqa: F811
    client = client_for("county")
    base = f"/api/v1/planning/plans/{county_plan.key}/tasks"
    response = client.post(base, {"title": "新建社区健身广场", "lead": ["区教育和体育局"], "deadline_text": "2024年底前",
                                  "priority": 1}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["lead"], body["priority"]) == ("1", ["区教育和体育局"], 1)
    assert client.get(base).json()[0]["priority"] == 1
    response = client.post(base, {"title": "x", "deadline_text": "2024年底前"}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "task_without_unit")
    url = f"{base}/{body['id']}"
    response = client.patch(url, {"priority": None, "cooperating": ["区财政局"]}, content_type="application/json")
    assert response.status_code == 200 and response.json()["priority"] is None
    assert response.json()["cooperating"] == ["区财政局"] and response.json()["lead"] == ["区教育和体育局"]
    assert client_for("other_county").delete(url).status_code == 404
    assert client.delete(url).status_code == 204
