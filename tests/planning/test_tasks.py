"""Periods of tasks, progress reports by the reporting units, comments, reviews, overdue warnings."""

from datetime import date

import pytest
from django.utils import timezone

from quanmin.accounts import services as accounts
from quanmin.accounts.models import Role
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import Department, TaskEntry, TaskPeriod
from quanmin.planning.services import tasks
from tests.conftest import make_user


@pytest.fixture
def staff(world, liaocheng):
    lead = Department.objects.get(division_code=world.city.code, name="市教育体育局")
    other = Department.objects.get(division_code=world.city.code, name="市卫生健康委")
    users = {}
    for phone, name, department, seq in (("13900000001", "教体局", lead, 31), ("13900000002", "卫健委", other, 32)):
        user = make_user(phone, name, seq=seq)
        accounts.grant_membership(user, Role.DEPARTMENT_STAFF, world.city, target=department)
        users[department.name] = user
    tasks.ensure_periods(liaocheng)
    return users


def test_periods_once_and_recurring(world, liaocheng, staff):
    once = liaocheng.tasks.get(number="(一)1")
    assert [(p.year, p.due_on) for p in once.periods.all()] == [(2023, date(2023, 12, 31))]
    assert tasks.ensure_periods(liaocheng) == 0  # idempotent


def test_report_comment_review(world, liaocheng, staff):
    period = liaocheng.tasks.get(number="(五)2").periods.get()  # 推动体医融合: 市教育体育局 leads, 市卫生健康委 responsible
    lead, other = staff["市教育体育局"], staff["市卫生健康委"]
    with pytest.raises(PlanningError) as caught:
        tasks.report(other, period, text="我们做了")
    assert caught.value.code == "task_not_yours" and caught.value.status == 403
    assert not TaskEntry.objects.exists()
    tasks.report(lead, period, text="东昌府区处方库已建成", percent=60)
    tasks.comment(other, period, text="卫健委已配合完成慢病人群筛查")
    period.refresh_from_db()
    assert (period.status, period.percent) == ("in_progress", 60)
    with pytest.raises(PlanningError) as caught:
        tasks.review(world.users["city"], period, decision="accepted")
    assert caught.value.code == "task_not_submitted"
    tasks.report(lead, period, text="三个试点全部完成", done=True)
    with pytest.raises(PlanningError):
        tasks.review(lead, period, decision="accepted")  # a department does not review its own work
    with pytest.raises(PlanningError) as caught:
        tasks.review(world.users["city"], period, decision="returned")
    assert caught.value.code == "entry_text_missing"
    tasks.review(world.users["city"], period, decision="returned", text="请补充冠县康复中心照片")
    period.refresh_from_db()
    assert (period.status, period.percent) == ("returned", 99)
    tasks.report(lead, period, text="已补充", done=True)
    tasks.review(world.users["city"], period, decision="accepted")
    period.refresh_from_db()
    assert period.status == "accepted"
    with pytest.raises(PlanningError) as caught:
        tasks.report(lead, period, text="再报一次")
    assert caught.value.code == "task_period_closed"
    assert [e.kind for e in period.entries.all()] == ["report", "comment", "report", "review", "report", "review"]


def test_overdue_warnings(world, liaocheng, staff):
    lead = staff["市教育体育局"]
    overdue = tasks.overdue_for(lead, date(2024, 1, 1))
    assert overdue.count() == 16  # the 2023 plan's every task, none accepted
    assert tasks.overdue_for(lead, date(2023, 6, 1)).count() == 0
    assert tasks.overdue_for(world.users["city"]).count() == 0  # not department staff


def test_recurring_task_gets_a_period_a_year(world):
    from quanmin.planning.services import loading

    plan = loading.load_file(next(p for p in loading.data_files() if p.name.startswith("003")))
    tasks.ensure_periods(plan)
    yearly = plan.tasks.get(number="6")  # 每年
    assert [p.year for p in yearly.periods.all()] == [2021, 2022, 2023, 2024, 2025]
    once = plan.tasks.get(number="10")  # 2022年底前
    assert [(p.year, p.due_on) for p in once.periods.all()] == [(2022, date(2022, 12, 31))]
    assert TaskPeriod.objects.filter(task__plan=plan).count() > 28
    assert timezone.localdate()  # the plan's periods do not depend on today
