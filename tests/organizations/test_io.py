"""Excel in and out: template, dry run, all or nothing, each bad row by line, export re-imports."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from quanmin.organizations import credit
from quanmin.organizations import io as org_io
from quanmin.organizations.models import Organization


def workbook(rows, headers=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers or ["组织名称", "组织类型", "登记状态", "统一社会信用代码", "区划代码", "运动项目", "党组织"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(data: bytes, user, dry_run=True):
    return org_io.import_rows(org_io.read_workbook(data), user, dry_run=dry_run)


def good_rows(world):
    return [["东关社区篮球协会", "单项体育协会", "民政登记", credit.make("1", "371502", 1), world.community.code, "篮球、足球", "是"],
            ["东关社区太极拳队", "健身团队（站点）", "备案", "", world.community.code, "太极拳", "否"]]


def test_dry_run_writes_nothing_then_apply_writes_all(world):
    data = workbook(good_rows(world))
    report = run(data, world.users["county"])
    assert report.ok and report.counts["new"] == 2 and not report.applied
    assert not Organization.objects.exists()
    report = run(data, world.users["county"], dry_run=False)
    assert report.applied
    org = Organization.objects.get(name="东关社区篮球协会")
    assert org.sport_codes == ["basketball", "football"] and org.party_branch
    # The same file again changes nothing.
    again = run(data, world.users["county"], dry_run=False)
    assert again.counts["unchanged"] == 2 and again.counts["new"] == 0


def test_one_bad_row_and_nothing_is_applied(world):
    code = credit.make("1", "371502", 1)
    rows = [
        *good_rows(world),
        ["坏代码协会", "单项体育协会", "民政登记", code[:-1] + ("1" if code[-1] != "1" else "2"), world.community.code, "", ""],
        ["东关社区太极拳队", "健身团队（站点）", "备案", "", world.community.code, "", ""],
        ["怪项目协会", "飞船", "备案", "", "999", "跳伞", "也许"],
    ]
    report = run(workbook(rows), world.users["county"], dry_run=False)
    assert not report.applied and not Organization.objects.exists()
    rejected = {r.line: {e["code"] for e in r.errors} for r in report.rejected}
    assert rejected[4] == {"credit_code_invalid"}
    assert rejected[5] == {"name_twice_in_file"}
    assert rejected[6] >= {"kind_invalid", "sport_unknown", "boolean_invalid"}


def test_export_reads_back_unchanged_and_neutralises_formulas(world, make_org):
    make_org("=HYPERLINK(\"http://x\")协会", description="+1 队员", sports=["basketball"])
    response = org_io.xlsx_response(Organization.objects.all())
    data = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [c.value for c in sheet[2]]
    assert all(not (isinstance(v, str) and v.startswith(("=", "+", "-", "@"))) for v in values)
    assert sheet.cell(2, 2).data_type == "s"
    # Re-importing the export of a normal organisation changes nothing.
    Organization.objects.all().delete()
    make_org("东关社区乒乓球协会", sports=["table_tennis"], officers="会长:王五", founded_on="2019-03-01")
    data = b"".join(org_io.xlsx_response(Organization.objects.all()).streaming_content)
    report = run(data, world.users["county"], dry_run=False)
    assert report.counts["unchanged"] == 1, report.as_dict()


def test_template_downloads_and_scope_holds(world, make_org):
    data = b"".join(org_io.template_response().streaming_content)
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["体育社会组织", "填写说明"]
    make_org("东关社区篮球协会")
    org = Organization.objects.get()
    rows = [[org.name, "单项体育协会", "民政登记", org.credit_code, world.community.code, "羽毛球", "否"]]
    report = run(workbook(rows), world.users["other_county"], dry_run=False)
    assert not report.applied and report.rejected[0].errors[0]["code"] == "out_of_scope"


def test_a_file_that_is_not_a_table_is_a_clear_error(world, client_for):
    response = client_for("county").post("/api/v1/organizations/import",
                                         {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04garbage"), "dry_run": "true"})
    assert response.status_code == 400 and response.json()["code"] == "file_unreadable"
