import io

import openpyxl
import pytest

from quanmin.accounts.idnumber import check_character
from quanmin.people import io_import, io_sheet
from quanmin.people.errors import PeopleError
from quanmin.people.models import GradeRecord, Instructor


def idn(seq: int) -> str:
    first = f"37150219800101{seq:03d}"
    return first + check_character(first)


def workbook(rows, headers=None) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers or ["姓名", "身份证号", "手机号", "区划代码", "等级", "证书编号", "批准日期", "指导项目", "所属组织", "骨干"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "register.xlsx"
    return out


def good_rows(world, n=3):
    return [[f"人{k}", idn(k), f"1380000{k:04d}", world.community.code, "三级", f"C{k}", "2024-05-01", "太极拳、健步走",
             "东昌府区社会体育指导员协会", "是" if k == 1 else "否"] for k in range(1, n + 1)]


def test_dry_run_then_apply_then_export_reimports(world):
    county = world.users["county"]
    report = io_import.import_rows(workbook(good_rows(world)), user=county, dry_run=True)
    assert report.ok and report.counts["new"] == 3 and not Instructor.objects.exists()
    report = io_import.import_rows(workbook(good_rows(world)), user=county, dry_run=False)
    assert report.applied
    people = list(Instructor.objects.order_by("real_name"))
    assert [p.status for p in people] == ["active"] * 3 and people[0].core and people[0].sports == ",taiji,walking,"
    assert people[0].id_number == idn(1) and people[0].approval_level == "county"
    assert GradeRecord.objects.filter(action="imported").count() == 3
    # The export masks the numbers, keeps a formula-like name as text and carries the system ID: the
    # exported file itself imports back onto the same records.
    Instructor.objects.filter(real_name="人1").update(real_name="=1+1")
    data = b"".join(io_sheet.export_response(Instructor.objects.all()).streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert "*" in rows[1][1] and idn(1) not in str(rows)
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "=1+1"
    again = io_import.import_rows(io.BytesIO(data), user=county, dry_run=False)
    assert again.applied and again.counts["updated"] == 3
    assert Instructor.objects.count() == 3 and Instructor.objects.get(real_name="=1+1").id_number == idn(1)


@pytest.mark.parametrize("change,code", [
    ({1: "371502198001010000"}, "id_number_check"),
    ({3: "371599999999"}, "region_unknown"),
    ({4: "五级"}, "grade_unknown"),
    ({4: "二级"}, "approval_above_level"),
    ({7: "飞盘"}, "sport_unknown"),
    ({3: "371503001001"}, "region_out_of_scope"),
])
def test_bad_rows_are_reported_by_line_and_nothing_is_written(world, change, code):
    rows = good_rows(world)
    for col, value in change.items():
        rows[1][col] = value
    report = io_import.import_rows(workbook(rows), user=world.users["county"], dry_run=False)
    assert not report.applied and not Instructor.objects.exists()
    assert [(r.line, [e["code"] for e in r.errors]) for r in report.rejected] == [(3, [code])]


def test_duplicate_id_number_in_the_file(world):
    rows = good_rows(world)
    rows[2][1] = rows[0][1]
    report = io_import.import_rows(workbook(rows), user=world.users["county"], dry_run=False)
    assert [r.errors[0]["code"] for r in report.rejected] == ["id_number_duplicate"]
    assert "2" in report.rejected[0].errors[0]["message"] and not Instructor.objects.exists()


def test_city_staff_import_second_grade(world):
    rows = good_rows(world)
    rows[0][4] = "二级"
    report = io_import.import_rows(workbook(rows), user=world.users["city"], dry_run=False)
    assert report.applied and Instructor.objects.get(real_name="人1").approval_level == "city"


def test_missing_column_and_not_a_workbook(world):
    with pytest.raises(PeopleError) as missing:
        io_import.import_rows(workbook([["a", "b", "c"]], headers=["姓名", "身份证号", "手机号"]),
                              user=world.users["county"], dry_run=True)
    assert missing.value.code == "import_header_missing"
    with pytest.raises(PeopleError) as exc:
        io_import.import_rows(io.BytesIO(b"\x00\x01garbage"), user=world.users["county"], dry_run=True)
    assert exc.value.code in ("file_unreadable", "import_header_missing")


def test_api_import_answers_the_report_or_every_rejected_row(world, client_for):
    """The API's import: a dry run answers the report; applying a file with a rejected row answers
    400 `import_row_invalid` with each rejected row's errors by line (this register sends no
    `report` with them), and writes nothing; no file is 400 `file_required`."""
    client = client_for("county")
    checked = client.post("/api/v1/people/instructors/import", {"file": workbook(good_rows(world))})
    assert checked.status_code == 200 and checked.json()["counts"]["new"] == 3 and not checked.json()["applied"]
    rows = good_rows(world)
    rows[1][4] = "五级"
    refused = client.post("/api/v1/people/instructors/import", {"file": workbook(rows), "dry_run": "false"})
    body = refused.json()
    assert refused.status_code == 400 and body["code"] == "import_row_invalid" and "report" not in body
    assert [(e["line"], e["code"]) for e in body["errors"]] == [(3, "grade_unknown")]
    assert not Instructor.objects.exists()
    missing = client.post("/api/v1/people/instructors/import", {"dry_run": "false"})
    assert missing.status_code == 400 and missing.json()["code"] == "file_required"
