"""The institutions register in and out of Excel: a real .xlsx round trip, bad rows named by line in
Chinese with nothing written."""

import io as stdio

import openpyxl
from django.utils import translation

from quanmin.inclusive import io, selectors, services
from quanmin.inclusive.models import Institution
from tests import sheets


def xlsx(rows, headers=None):
    return sheets.upload("名录.xlsx", headers or io.HEADERS, rows)


def test_checked_applied_exported_and_reimported_unchanged(world):
    user = world.users["county"]
    rows = [[world.community.code, "东关幸福院", "幸福院", "", "东关街1号", "", "", "是"],
            [world.township.code, "古楼回族村", "民族乡村", "回族", "", "", "", ""],
            [world.county.code, "东昌府区残疾人康复中心", "rehab_centre", "", "", "", "", "是"]]
    checked = io.import_institutions(user, xlsx(rows), dry_run=True)
    assert checked.ok and not checked.applied and not Institution.objects.exists()
    done = io.import_institutions(user, xlsx(rows), dry_run=False)
    assert done.applied and done.counts["new"] == 3
    assert Institution.objects.get(name="古楼回族村").kind == "ethnic_village"
    found = Institution.objects.get(name="东关幸福院")
    services.record_fitting(user, found, {"kind": "elderly_equipment", "fitted_on": "2025-06-01", "pieces": 6})
    response = io.xlsx_response(selectors.institutions_for(user), selectors.fittings_for(user))
    wb = openpyxl.load_workbook(stdio.BytesIO(b"".join(response.streaming_content)))
    exported = [list(r) for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert len(exported) == 3 and wb.worksheets[0].cell(1, 2).value == "名称"
    assert next(wb.worksheets[1].iter_rows(min_row=2, values_only=True))[3] == 6
    again = io.import_institutions(user, xlsx(exported), dry_run=False)
    assert again.counts["unchanged"] == 3
    exported[0][io.HEADERS.index("地址")] = "新地址"
    again = io.import_institutions(user, xlsx(exported), dry_run=False)
    assert again.counts["updated"] == 1 and Institution.objects.filter(address="新地址").count() == 1


def test_bad_rows_are_named_by_line_and_nothing_is_written(world):
    rows = [[world.community.code, "东关幸福院", "养老服务机构", "", "", "", "", ""],
            [world.community.code, "东关幸福院", "养老服务机构", "", "", "", "", ""],
            [world.other_community.code, "新华幸福院", "养老服务机构", "", "", "", "", ""],
            [world.community.code, "火箭站", "火箭", "", "", "", "", ""],
            [world.community.code, "古楼民族村", "民族乡村", "", "", "", "", ""]]
    with translation.override("zh-hans"):
        report = io.import_institutions(world.users["county"], xlsx(rows), dry_run=False)
    assert not report.applied and not Institution.objects.exists()
    assert [r.line for r in report.rejected] == [3, 4, 5, 6]
    assert "第2行" in report.rejected[0].errors[0] or "2" in report.rejected[0].errors[0]
    assert "超出" in report.rejected[1].errors[0] or "范围" in report.rejected[1].errors[0]
