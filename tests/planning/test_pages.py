"""The plans' pages and API over HTTP: the dashboard, a target's drill-down, the Excel export, the
task-table import page (dry run, then apply), a department's staff reporting on their own task and
refused on another's, and the overdue warning on their home page."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quanmin.accounts import services as accounts
from quanmin.accounts.models import Role
from quanmin.planning.models import Department, TaskEntry
from quanmin.planning.services import tasks
from tests.conftest import make_user


@pytest.fixture
def lead(world, liaocheng):
    tasks.ensure_periods(liaocheng)
    user = make_user("13900000011", "教体局科员", seq=41)
    accounts.grant_membership(user, Role.DEPARTMENT_STAFF, world.city,
                              target=Department.objects.get(division_code=world.city.code, name="市教育体育局"))
    return user


def test_dashboard_and_drill_down(world, client_for, liaocheng):
    client = client_for("county")
    page = client.get(reverse("planning:plan", args=[liaocheng.key]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "人均体育场地面积" in body and "「达15000余块」" in body and "市教育体育局" in body
    live = len(set(liaocheng.targets.exclude(indicator="").values_list("indicator", flat=True)))
    assert f"{live} 项指标为实时计算" in body and "实时计算全部指标" in body  # no snapshot yet: all computed now
    page = client.get(reverse("planning:plan", args=[liaocheng.key]) + "?live=1")
    assert page.status_code == 200 and "实时计算全部指标" not in page.content.decode()
    target = liaocheng.targets.get(key="T0-17")
    page = client.get(reverse("planning:target", args=[liaocheng.key, target.pk]))
    assert page.status_code == 200 and world.county.name in page.content.decode()


def test_export(world, client_for, liaocheng):
    response = client_for("city").get(reverse("planning:export", args=[liaocheng.key]))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    targets, task_sheet = wb.worksheets[0], wb.worksheets[1]
    assert targets.max_row == 30 and task_sheet.max_row == 17
    assert targets["A2"].value == "T0-01"


def test_import_page_dry_run_then_apply(world, client_for, liaocheng):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "重点任务", "牵头单位", "配合单位", "完成时限"])
    ws.append(["7.1", "建设智慧健身路径。", "市教育体育局", "市大数据局", "2023年底前"])
    data = io.BytesIO()
    wb.save(data)
    client = client_for("city")
    url = reverse("planning:task_import", args=[liaocheng.key])
    page = client.post(url, {"file": SimpleUploadedFile("t.xlsx", data.getvalue())})
    assert page.status_code == 200 and liaocheng.tasks.count() == 16
    page = client.post(url, {"file": SimpleUploadedFile("t.xlsx", data.getvalue()), "apply": "1"})
    assert page.status_code == 302 and liaocheng.tasks.count() == 17
    assert client_for("county").get(url).status_code == 404  # the county does not own the city's plan


def test_department_reports_on_its_own_task_only(world, liaocheng, lead, client):
    client.force_login(lead)
    mine = liaocheng.tasks.get(number="(五)2").periods.get()
    response = client.post(f"/api/v1/planning/periods/{mine.pk}/reports", {"text": "试点已启动", "percent": 40},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "in_progress"
    other = make_user("13900000012", "民政局科员", seq=42)
    dept = Department.objects.create(division_code=world.city.code, name="市民政局")
    accounts.grant_membership(other, Role.DEPARTMENT_STAFF, world.city, target=dept)
    client.force_login(other)
    response = client.post(f"/api/v1/planning/periods/{mine.pk}/reports", {"text": "不是我的任务"},
                           content_type="application/json")
    assert response.status_code == 404  # not one of the task's units: the task is not theirs to see
    assert TaskEntry.objects.count() == 1
    client.force_login(world.users["city"])
    response = client.post(f"/api/v1/planning/periods/{mine.pk}/reports", {"text": "替他报"},
                           content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "task_not_yours"
    assert TaskEntry.objects.count() == 1


def test_department_pages_and_home_warning(world, liaocheng, lead, client):
    client.force_login(lead)
    page = client.get(reverse("planning:my_tasks"))
    assert page.status_code == 200 and "推动体医融合" in page.content.decode()
    task = liaocheng.tasks.get(number="(五)2")
    assert client.get(reverse("planning:task", args=[liaocheng.key, task.pk])).status_code == 200
    assert client.get(reverse("planning:plan", args=[liaocheng.key])).status_code == 403  # not the register
    home = client.get("/").content.decode()
    assert reverse("planning:my_tasks") in home


def test_api_targets_and_tasks(world, client_for, liaocheng):
    client = client_for("supervisor")
    targets = client.get(f"/api/v1/planning/plans/{liaocheng.key}/targets").json()
    assert len(targets) == 29 and {t["status"] for t in targets} <= {"met", "on_track", "at_risk", "off_track", "no_data"}
    by_key = {t["key"]: t for t in targets}
    assert by_key["T0-11"]["unit"] == "per_10000_residents" and by_key["T0-11"]["indicator"] == "instructors_per_10000"
    assert len(client.get(f"/api/v1/planning/plans/{liaocheng.key}/tasks").json()) == 16
    assert client_for("resident").get(f"/api/v1/planning/plans/{liaocheng.key}").status_code == 403


def test_new_plan_from_template(world, client_for, liaocheng):
    client = client_for("county")
    response = client.post(reverse("planning:plan_new"), {
        "title": "东昌府区落实全民健身三年行动实施措施", "division_code": world.county.code, "starts_on": "2022-01-01",
        "ends_on": "2023-12-31", "template": liaocheng.key})
    assert response.status_code == 302
    from quanmin.planning.models import Plan
    plan = Plan.objects.get(division_code=world.county.code)
    assert plan.targets.count() == 29 and plan.tasks.count() == 16
    assert set(plan.targets.values_list("level", flat=True)) <= {"county", "township", "community"}
    response = client.post(reverse("planning:plan_new"), {
        "title": "越权", "division_code": world.city.code, "starts_on": "2022-01-01", "ends_on": "2023-12-31"})
    assert response.status_code == 200 and Plan.objects.count() == 2
