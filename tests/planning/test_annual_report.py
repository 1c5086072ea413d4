"""The annual report (年度报告): a printable A4 page and a workbook per plan and year, with each
target's value at the year's end against its goal, the tasks by unit, the year's evaluations."""

import datetime
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from quanmin.planning import progress, report
from quanmin.planning.services import evaluation, figures, tasks


def pdf():
    return SimpleUploadedFile("证明.pdf", b"%PDF-1.4")


def test_report_of_a_year(world, liaocheng, client_for):
    city = world.users["city"]
    tasks.ensure_periods(liaocheng)
    target = liaocheng.targets.get(key="T0-29")
    # A figure of 2022 (not yet) and one of 2023 (achieved): 2022's report reads the first only.
    for day, value in ((datetime.date(2022, 6, 1), "0"), (datetime.date(2023, 6, 1), "1")):
        figure = figures.enter(city, target, division_code=world.city.code,
                               as_of=day, value=value, evidence=pdf())
        figures.decide(world.users["superuser"], figure, approve=True)
    found = report.annual(liaocheng, 2022, timezone.localdate())
    row = next(r for r in found["rows"] if r.target.key == "T0-29")
    assert (row.value, found["day"], found["final"]) == (0, datetime.date(2022, 12, 31), True)
    assert report.annual(liaocheng, 2023, timezone.localdate())["counts"][progress.MET] >= 1
    # Every measure is due at the plan's end (2023): none overdue in 2022, none accepted yet.
    assert (found["figures"]["tasks"], found["figures"]["overdue"], found["figures"]["done"]) == (16, 0, 0)

    evaluation.set_items(city, liaocheng, [{"name": "社会满意度", "weight": "100", "method": "entered"}])
    evaluation.open_evaluation(city, liaocheng, kind="annual", year=2022, third_party="某大学评估中心")
    client = client_for("county")
    page = client.get(reverse("planning:annual_report", args=[liaocheng.key, 2022])).content.decode()
    assert "2022年度报告" in page and "planning/report.css" in page
    assert "主要数据" in page and "市教育体育局" in page and target.name in page
    assert "某大学评估中心" in page and "东昌府区" in page and "data-print" in page
    assert client.get(reverse("planning:annual_report", args=[liaocheng.key, 2030])).status_code == 404
    assert client.get(reverse("planning:annual_report", args=[liaocheng.key, 2020])).status_code == 404
    answer = client.get(reverse("planning:annual_report_export", args=[liaocheng.key, 2022]))
    book = load_workbook(BytesIO(b"".join(answer.streaming_content)))
    assert book.sheetnames == [gettext("Summary"), "规划目标", "各单位任务完成情况", "2022 年度评估"]
    targets = [[c.value for c in r] for r in book["规划目标"].iter_rows(min_row=2)]
    assert len(targets) == liaocheng.targets.count()
    assert next(r for r in targets if r[0] == "T0-29")[6] == 0
    ranked = [[c.value for c in r] for r in book["2022 年度评估"].iter_rows(min_row=2)]
    assert [r[1] for r in ranked] == ["东昌府区", "茌平区"] and [r[0] for r in ranked] == [1, 2]
