"""The instructor's full record (B01) and skills-contest results (B12): trainings, service hours and
contest results on the staff record, the phone page and the register's export; results from Excel."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from quanmin.people import io_contests, io_sheet, logs, pools, training
from quanmin.people.errors import PeopleError
from quanmin.people.models import ContestResult, Instructor

from ..sheets import upload
from .test_logs import body


def results_book(rows):
    return upload("results.xlsx", ("姓名", "系统ID", "身份证号", "证书编号", "名次", "奖项"), rows)


@pytest.fixture
def record(people):
    w = people
    county = w.users["county"]
    today = timezone.localdate()
    course = training.create_training({"title": "三级社会体育指导员培训班", "organiser": "东昌府区体育局",
                                       "region": w.county.code, "starts_on": today - datetime.timedelta(days=10),
                                       "ends_on": today - datetime.timedelta(days=8), "hours": "16"}, by=county)
    training.record_result(training.enrol(course, w.instructor, by=county), attended_hours="16", passed=True, by=county)
    log = logs.record(w.instructor, body(w, 5, 2), by=w.users["resident"])
    logs.decide(log, confirm=True, by=county)
    logs.record(w.instructor, body(w, 30, 29), by=w.users["resident"])  # pending: not counted
    w.contest = pools.create_contest({"title": "东昌府区社会体育指导员技能大比武", "region": w.county.code,
                                      "held_on": today - datetime.timedelta(days=1), "sport": "taiji"}, by=county)
    pools.record_contest_result(w.contest, w.instructor, rank=1, award="一等奖", by=county)
    w.course = course
    return w


def test_the_record_on_the_staff_page_the_phone_and_the_export(record, client_for):
    w = record
    page = client_for("county").get(reverse("people:staff_detail", args=[w.instructor.pk])).content.decode()
    assert "三级社会体育指导员培训班" in page and "东昌府区社会体育指导员技能大比武" in page and "一等奖" in page
    assert "已确认服务1次，共3小时，其中志愿服务3小时" in page
    mine = client_for("resident").get(reverse("people:me")).content.decode()
    assert "三级社会体育指导员培训班" in mine and "东昌府区社会体育指导员技能大比武" in mine
    data = b"".join(io_sheet.export_response(Instructor.objects.all()).streaming_content)
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    head = list(rows[0])
    mine = next(dict(zip(head, r, strict=True)) for r in rows[1:] if r[0] == w.instructor.real_name)
    assert (mine["培训次数"], mine["培训学时"], mine["服务次数"], mine["服务时长（小时）"]) == (1, 16, 1, 3)
    assert "东昌府区社会体育指导员技能大比武 第1名 一等奖" in mine["技能大比武成绩"]
    other = next(dict(zip(head, r, strict=True)) for r in rows[1:] if r[0] == w.other_instructor.real_name)
    assert (other["培训次数"], other["服务次数"], other["技能大比武成绩"]) == (0, 0, None)


def test_results_from_excel_all_or_nothing_then_corrected(record, world):
    w = record
    county = w.users["county"]
    second = Instructor.objects.create(real_name="赵敏", id_number_hash="h2", id_number_enc="", region=w.community,
                                       status="active", certificate_no="SD-900")
    bad = results_book([[w.instructor.real_name, w.instructor.pk, "", "", 2, "二等奖"],
                        ["赵敏", "", "", "SD-900", "第三", ""],
                        [w.other_instructor.real_name, w.other_instructor.pk, "", "", 4, ""],
                        ["钱多", "", "", "SD-900", 5, ""]])
    report = io_contests.import_results(w.contest, county, bad, dry_run=False)
    assert not report.applied and [r.line for r in report.rejected] == [3, 4, 5]
    assert ContestResult.objects.get(instructor=w.instructor).rank == 1  # nothing applied
    good = results_book([[w.instructor.real_name, w.instructor.pk, "", "", 2, "二等奖"],
                         ["赵敏", "", "", "SD-900", 3, "三等奖"]])
    dry = io_contests.import_results(w.contest, county, good, dry_run=True)
    assert dry.ok and not dry.applied and dry.counts["new"] == 1 and dry.counts["updated"] == 1
    assert ContestResult.objects.count() == 1
    good.seek(0)
    done = io_contests.import_results(w.contest, county, good, dry_run=False)
    assert done.applied and ContestResult.objects.get(instructor=w.instructor).award == "二等奖"
    assert ContestResult.objects.get(instructor=second).rank == 3
    with pytest.raises(PeopleError) as exc:
        io_contests.import_results(w.contest, w.users["other_county"], results_book([["赵敏", "", "", "SD-900", 1, ""]]))
    assert exc.value.code == "forbidden"


def test_contest_import_and_export_pages(record, client_for):
    w = record
    client = client_for("county")
    url = reverse("people:contest_import", args=[w.contest.pk])
    shown = client.post(url, {"file": results_book([["赵敏", "", "", "NOPE", 1, ""]]), "apply": "1"})
    assert shown.status_code == 400 and ContestResult.objects.count() == 1
    done = client.post(url, {"file": results_book([[w.instructor.real_name, w.instructor.pk, "", "", 3, "优秀奖"]]),
                             "apply": "1"})
    assert done.status_code == 200 and ContestResult.objects.get().award == "优秀奖"
    export = client.get(reverse("people:contest_export", args=[w.contest.pk]))
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(values_only=True))
    assert rows[1][:2] == (w.instructor.real_name, w.instructor.pk) and rows[1][4:] == (3, "优秀奖")
    assert client_for("other_county").get(url).status_code == 404
    api = client.get(f"/api/v1/people/contests/{w.contest.pk}/results")
    assert api.status_code == 200 and api.json()["items"][0]["award"] == "优秀奖"
