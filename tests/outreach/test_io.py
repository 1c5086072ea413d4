"""The lecture register through Excel: the export read back by the one reader changes nothing; a
corrected cell corrects the lecture, a new row adds one, the audience of a held lecture is
recorded; one bad row rejects the whole file, naming its line; a formula-like title goes out as text."""

import datetime
import io as stdio

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from quanmin.outreach import io, services
from quanmin.outreach.errors import OutreachError
from quanmin.outreach.models import Lecture
from tests import sheets

from .conftest import lecture_data


def _upload(rows, name="lectures.xlsx"):
    return sheets.upload(name, io.HEADERS, rows)


def _bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_round_trip_then_correct_and_add(world):
    county = world.users["county"]
    services.save_lecture(county, lecture_data(world.community))
    held = services.save_lecture(county, lecture_data(world.township, days=-10, title="=HYPERLINK(\"x\")"))
    data = _bytes(io.xlsx_response(Lecture.objects.order_by("starts_at")))
    report = io.import_lectures(county, SimpleUploadedFile("lectures.xlsx", data), dry_run=False)
    assert report.counts == {"rows": 2, "new": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    wb = openpyxl.load_workbook(stdio.BytesIO(data))
    sheet = wb.active
    assert sheet["B2"].value == "=HYPERLINK(\"x\")" and sheet["B2"].data_type == "s"  # text, not a formula
    assert sheet["C2"].value.endswith("09:30")
    sheet["J2"] = 35  # the audience of the held lecture
    sheet["F3"] = "东昌府区中医院 张医生"
    sheet.append([world.community.code, "健身气功八段锦", "2026-03-14 09:30", 60, "东关社区", "刘老师",
                  "东昌府区体育总会", "传统体育与健身气功", 0, None, ""])
    out = stdio.BytesIO()
    wb.save(out)
    report = io.import_lectures(county, SimpleUploadedFile("lectures.xlsx", out.getvalue()), dry_run=False)
    assert report.applied and report.counts["new"] == 1 and report.counts["updated"] == 2, report.as_dict()
    assert Lecture.objects.get(pk=held.pk).audience == 35
    assert Lecture.objects.filter(speaker="东昌府区中医院 张医生").count() == 1
    added = Lecture.objects.get(title="健身气功八段锦")
    assert timezone.localtime(added.starts_at).replace(tzinfo=None) == datetime.datetime(2026, 3, 14, 9, 30)
    assert added.topic == "traditional"


def test_one_bad_row_rejects_the_file(world):
    county = world.users["county"]
    good = [world.community.code, "运动处方与慢病管理", "2026-05-20 15:00", 90, "古楼街道", "李医生", "东昌府区卫健局",
            "exercise", 30, None, ""]
    bad = [world.other_community.code, "不属我管", "2026-05-21 15:00", 90, "新华社区", "王医生", "茌平区体育局",
           "exercise", 30, None, ""]
    report = io.import_lectures(county, _upload([good, bad]), dry_run=False)
    assert not report.applied and [r.line for r in report.rejected] == [3]
    assert not Lecture.objects.exists()


def test_a_file_without_our_headers_is_refused(world):
    with pytest.raises(Exception) as exc:
        io.import_lectures(world.users["county"], SimpleUploadedFile("x.csv", b"a,b\n1,2\n"), dry_run=True)
    assert getattr(exc.value, "code", "") == "import_header_missing"
    with pytest.raises(OutreachError):
        io.import_lectures(world.users["resident"], SimpleUploadedFile("x.csv", b"a"), dry_run=True)
