"""Task tables from Excel as offices write them: a title above the headers, merged group cells,
units split on 、，, and new lines, deadlines as written; dry run, all or nothing, bad rows by line."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from quanmin.planning.errors import PlanningError
from quanmin.planning.models import Plan, TaskItem, TaskUnit
from quanmin.planning.services import imports


def workbook(headers, rows, title="东昌府区全民健身实施计划工作任务清单", merges=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    for merge in merges:
        ws.merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("任务清单.xlsx", out.getvalue())


HEADERS = ["序号", "工作任务", "主要内容", "时间进度", "责任单位", "配合单位", "备注"]
ROWS = [
    [1, "提升场地设施供给水平", "规划建设区全民健身中心。", "2025年前", "区体育局", "区发改局、区财政局", ""],
    [2, None, "人均体育场地面积达到3平方米以上。", "2025年12月底前", "区体育局，各街道办事处", "区财政局\n区城管局", ""],
    [3, "激发体育健身组织活力", "每个协会每年举办1-2次大型活动。", "每年", "区体育局、各街道办事处", "区财政局", ""],
    [4, None, "建立健全全民健身会议机制。", "持续实施", "区体育局", "区委宣传部、区教育局等部门", ""],
]


@pytest.fixture
def county_plan(world):
    return Plan.objects.create(key="dongchangfu-2024", title="东昌府区全民健身实施计划", division_code=world.county.code,
                               division_name=world.county.name, starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31),
                               convention=Plan.Convention.RESPONSIBLE_COOPERATING)


def test_dry_run_then_apply(world, county_plan):
    user = world.users["county"]
    report = imports.import_tasks(user, county_plan, workbook(HEADERS, ROWS, merges=["B3:B4", "B5:B6"]))
    assert report.ok and report.counts["new"] == 4 and not report.applied
    assert not TaskItem.objects.exists()
    report = imports.import_tasks(user, county_plan, workbook(HEADERS, ROWS, merges=["B3:B4", "B5:B6"]), dry_run=False)
    assert report.applied
    tasks = {t.number: t for t in county_plan.tasks.all()}
    assert tasks["2"].group == "提升场地设施供给水平"  # carried down from the merged cell
    assert tasks["4"].group == "激发体育健身组织活力"
    assert (tasks["3"].recurrence, tasks["4"].recurrence) == ("yearly", "ongoing")
    assert tasks["2"].deadline == date(2025, 12, 31)
    units = list(TaskUnit.objects.filter(task=tasks["2"]).values_list("role", "department__name"))
    assert units == [("responsible", "区体育局"), ("responsible", "各街道办事处"), ("cooperating", "区财政局"),
                     ("cooperating", "区城管局")]
    assert "区教育局" in set(tasks["4"].units.values_list("department__name", flat=True))
    # Importing again updates in place.
    report = imports.import_tasks(user, county_plan, workbook(HEADERS, ROWS), dry_run=False)
    assert report.counts["updated"] == 4 and county_plan.tasks.count() == 4


def test_bad_rows_reported_by_line_and_nothing_written(world, county_plan):
    rows = [*ROWS, [5, None, "组织开展职工体育竞赛活动。", "尽快", "区体育局", "", ""],
            [6, None, "推广线上赛事活动新模式。", "2020年底前", "", "", ""],
            [2, None, "重复的序号。", "2025年前", "区体育局", "", ""]]
    report = imports.import_tasks(world.users["county"], county_plan, workbook(HEADERS, rows), dry_run=False)
    assert not report.applied and not TaskItem.objects.exists()
    rejected = {r.line: r.errors for r in report.rejected}
    assert set(rejected) == {7, 8, 9}
    assert "尽快" in rejected[7][0]
    assert any("before the plan starts" in e or "早于" in e for e in rejected[8])


def test_no_task_column(world, county_plan):
    with pytest.raises(PlanningError) as caught:
        imports.import_tasks(world.users["county"], county_plan,
                             workbook(["序号", "牵头单位", "完成时限"], [[1, "区体育局", "2025年前"]]))
    assert caught.value.code == "task_column_missing"
    assert not TaskItem.objects.exists()


def test_key_task_column_and_first_listed_leads(world, county_plan):
    county_plan.convention = Plan.Convention.FIRST_LEADS
    county_plan.save()
    report = imports.import_tasks(
        world.users["county"], county_plan,
        workbook(["工作任务", "重点任务", "责任部门", "完成时限"],
                 [["一、加强理念融合", "开设全民健身宣传专栏。", "区文体新局、区卫计局", "2025年12月底前"],
                  [None, "每年举办不少于4期讲座。", "区文体新局", "持续实施"]]), dry_run=False)
    assert report.applied
    first = county_plan.tasks.get(number="1")
    assert first.group == "一、加强理念融合" and first.title == "开设全民健身宣传专栏。"
    assert list(first.units.values_list("role", "department__name")) == [("lead", "区文体新局"), ("responsible", "区卫计局")]


def test_damaged_file(world, county_plan):
    from quanmin.core.errors import ServiceError

    with pytest.raises(ServiceError):
        imports.import_tasks(world.users["county"], county_plan, SimpleUploadedFile("x.xlsx", b"PK\x03\x04broken"))
    assert not TaskItem.objects.exists()
