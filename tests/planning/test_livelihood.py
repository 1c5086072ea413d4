"""Livelihood projects (D10: 「纳入政府民生实事加以推进和考核」): the plan's owners mark tasks and record
each year's assessment with evidence; the list filters by year and result and shows progress; the
page, API and workbook agree; bad input is refused with nothing written."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from quanmin.accounts.models import AuditEntry
from quanmin.planning import selectors_livelihood
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import LivelihoodAssessment, TaskPeriod
from quanmin.planning.services import livelihood, tasks

MARKED = ("(一)2", "(二)1", "(五)2")


def pdf():
    return SimpleUploadedFile("考核材料.pdf", b"%PDF-1.4 assessment")


@pytest.fixture
def marked(world, liaocheng):
    tasks.ensure_periods(liaocheng)
    found = {t.number: t for t in liaocheng.tasks.filter(number__in=MARKED)}
    for task in found.values():
        livelihood.mark(world.users["city"], task, True)
    # (五)2's progress as its reporting unit left it (the task pages' own workflow is tested elsewhere).
    TaskPeriod.objects.filter(task=found["(五)2"]).update(percent=40, status=TaskPeriod.Status.IN_PROGRESS)
    livelihood.assess(world.users["city"], found["(一)2"], year=2022, result="excellent", note="提前完成", evidence=pdf())
    livelihood.assess(world.users["city"], found["(五)2"], year="2022", result="fail", note="进度滞后", evidence=pdf())
    return found


def test_board_counts_and_filters(world, liaocheng, marked):
    found = selectors_livelihood.board(liaocheng, 2022)
    assert [r.task.number for r in found["rows"]] == list(MARKED)
    # Counted by hand: 3 marked, 2 assessed — one excellent, one fail.
    assert found["counts"] == {"marked": 3, "assessed": 2, "excellent": 1, "good": 0, "pass": 0, "fail": 1}
    row = next(r for r in found["rows"] if r.task.number == "(五)2")
    assert (row.period.percent, row.period.status, row.assessment.result) == (40, "in_progress", "fail")
    assert [r.task.number for r in selectors_livelihood.board(liaocheng, 2022, "none")["rows"]] == ["(二)1"]
    assert [r.task.number for r in selectors_livelihood.board(liaocheng, 2022, "excellent")["rows"]] == ["(一)2"]
    assert selectors_livelihood.board(liaocheng, 2023)["counts"]["assessed"] == 0
    # A task no longer marked leaves the list; its assessment stays.
    livelihood.mark(world.users["city"], marked["(二)1"], False)
    assert selectors_livelihood.board(liaocheng, 2022)["counts"]["marked"] == 2


def test_recording_again_replaces_the_years_result(world, liaocheng, marked):
    task = marked["(一)2"]
    livelihood.assess(world.users["city"], task, year=2022, result="good", note="复核后调整", evidence=pdf())
    assert list(LivelihoodAssessment.objects.filter(task=task).values_list("year", "result", "note")) == [
        (2022, "good", "复核后调整")]
    actions = list(AuditEntry.objects.filter(target_type="planning.livelihoodassessment",
                                             target_id=str(LivelihoodAssessment.objects.get(task=task).pk))
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["create", "update"]


@pytest.mark.parametrize("change,code", [
    ({"year": 2030}, "year_invalid"),
    ({"year": 2020}, "year_invalid"),
    ({"year": "二〇二二"}, "year_invalid"),
    ({"year": ""}, "year_required"),
    ({"result": "great"}, "result_invalid"),
    ({"note": "注" * 501}, "note_too_long"),
    ({"evidence": None}, "evidence_missing"),
])
def test_bad_assessments_are_refused(world, liaocheng, marked, change, code):
    before = LivelihoodAssessment.objects.count()
    args = {"year": 2023, "result": "pass", "note": "", "evidence": pdf(), **change}
    with pytest.raises(PlanningError) as caught:
        livelihood.assess(world.users["city"], marked["(二)1"], **args)
    assert caught.value.code == code
    assert LivelihoodAssessment.objects.count() == before


def test_only_owners_and_only_marked_tasks(world, liaocheng, marked):
    other = liaocheng.tasks.get(number="(三)1")
    with pytest.raises(PlanningError) as caught:
        livelihood.assess(world.users["city"], other, year=2022, result="pass", evidence=pdf())
    assert (caught.value.code, caught.value.status) == ("livelihood_not_marked", 409)
    for call in (lambda: livelihood.mark(world.users["county"], other, True),
                 lambda: livelihood.assess(world.users["county"], marked["(二)1"], year=2022, result="pass",
                                           evidence=pdf())):
        with pytest.raises(PlanningError) as caught:
            call()
        assert (caught.value.code, caught.value.status) == ("plan_not_yours", 403)
    other.refresh_from_db()
    assert other.livelihood is False


def test_pages_api_and_workbook(world, liaocheng, marked, client_for):
    city, county = client_for("city"), client_for("county")
    page = county.get(reverse("planning:livelihood", args=[liaocheng.key]) + "?year=2022").content.decode()
    assert "1 / 0 / 0 / 1" in page and "进度滞后" in page and "40%" in page and "录入考核结果" not in page
    assert "录入考核结果" in city.get(reverse("planning:livelihood", args=[liaocheng.key]) + "?year=2022").content.decode()
    filtered = county.get(reverse("planning:livelihood", args=[liaocheng.key]) + "?year=2022&result=none")
    assert "(二)1" in filtered.content.decode() and "(五)2" not in filtered.content.decode()
    # Owners record on the page; the county's staff are told why not.
    task = marked["(二)1"]
    answer = city.post(reverse("planning:livelihood_assess", args=[liaocheng.key, task.pk]),
                       {"year": "2022", "result": "pass", "note": "按期推进", "evidence": pdf()})
    assert answer.url.endswith("?year=2022") and "考核结果已录入" in city.get(answer.url).content.decode()
    county.post(reverse("planning:livelihood_assess", args=[liaocheng.key, task.pk]),
                {"year": "2022", "result": "fail", "evidence": pdf()})
    assert LivelihoodAssessment.objects.get(task=task, year=2022).result == "pass"
    task_page = county.get(reverse("planning:task", args=[liaocheng.key, task.pk])).content.decode()
    assert 'id="livelihood-badge"' in task_page and 'id="livelihood-mark"' not in task_page

    rows = county.get(f"/api/v1/planning/plans/{liaocheng.key}/livelihood?year=2022&result=fail").json()
    assert [(r["number"], r["percent"], r["assessment"]["result_label"]) for r in rows] == [("(五)2", 40, "不合格")]
    other = liaocheng.tasks.get(number="(三)1")
    put = city.put(f"/api/v1/planning/plans/{liaocheng.key}/tasks/{other.pk}/livelihood", {"livelihood": True},
                   content_type="application/json")
    assert put.json() == {"task_id": other.pk, "number": "(三)1", "livelihood": True}
    made = city.post(f"/api/v1/planning/plans/{liaocheng.key}/tasks/{other.pk}/assessments",
                     {"year": 2023, "result": "good", "note": "完成", "evidence": pdf()})
    assert made.status_code == 201 and made.json()["result_label"] == "良好"
    refused = county.post(f"/api/v1/planning/plans/{liaocheng.key}/tasks/{other.pk}/assessments",
                          {"year": 2023, "result": "fail", "evidence": pdf()})
    assert (refused.status_code, refused.json()["code"]) == (403, "plan_not_yours")
    listed = {t["number"]: t["livelihood"] for t in county.get(f"/api/v1/planning/plans/{liaocheng.key}/tasks").json()}
    assert sorted(n for n, v in listed.items() if v) == ["(一)2", "(三)1", "(二)1", "(五)2"]

    book = load_workbook(BytesIO(b"".join(county.get(
        reverse("planning:livelihood_export", args=[liaocheng.key]) + "?year=2022").streaming_content)))
    sheet = [[c.value for c in r] for r in book["2022年民生实事"].iter_rows()]
    assert [(r[0], r[7]) for r in sheet[1:]] == [("(一)2", "优秀"), ("(二)1", "合格"), ("(三)1", "尚未考核"),
                                                ("(五)2", "不合格")]
    plan_book = load_workbook(BytesIO(b"".join(county.get(reverse("planning:export", args=[liaocheng.key]))
                                               .streaming_content)))
    tasks_sheet = [[c.value for c in r] for r in plan_book["任务"].iter_rows()]
    column = tasks_sheet[0].index("民生实事")
    assert sorted(r[0] for r in tasks_sheet[1:] if r[column] == "是") == ["(一)2", "(三)1", "(二)1", "(五)2"]


def test_annual_report_shows_the_years_livelihood_projects_and_special_evaluations(world, liaocheng, marked,
                                                                                   client_for):
    from quanmin.planning.services import special

    city = world.users["city"]
    item = special.open_special(city, liaocheng, {
        "title": "体医融合专项评估", "subject": "task", "task": "(五)2", "ordered_by": "聊城市人民政府",
        "ordered_on": "2022-06-01", "scope": "体医融合试点", "evaluator": "聊城市卫生健康委员会"})
    special.record(city, item, {"findings": "试点运行", "conclusion": "试点成效明显", "grade": "good"}, evidence=pdf())
    special.conclude(city, item)
    county = client_for("county")
    page = county.get(reverse("planning:annual_report", args=[liaocheng.key, 2022])).content.decode()
    assert 'id="report-livelihood"' in page and "提前完成" in page and "进度滞后" in page
    assert 'id="report-specials"' in page and "试点成效明显" in page and "试点运行" not in page
    assert 'id="report-specials"' not in county.get(
        reverse("planning:annual_report", args=[liaocheng.key, 2023])).content.decode()
    book = load_workbook(BytesIO(b"".join(county.get(
        reverse("planning:annual_report_export", args=[liaocheng.key, 2022])).streaming_content)))
    assert "2022年民生实事" in book.sheetnames and "专项评估" in book.sheetnames
    assert [[c.value for c in r] for r in book["专项评估"].iter_rows()][1][3] == "良好"
