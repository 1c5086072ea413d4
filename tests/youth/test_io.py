"""Term returns in and out of Excel: a real .xlsx round trip, bad rows named by line in Chinese with
nothing written, and hostile files refused cleanly."""

import io as stdio

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from quanmin.core import tabular
from quanmin.core.errors import ServiceError
from quanmin.youth import io, selectors, services
from quanmin.youth.models import TermReturn
from tests import sheets
from tests.sheets import XLSX

from .conftest import return_data


def xlsx(rows, headers=None):
    return sheets.upload("填报.xlsx", headers or io.HEADERS, rows)


def row(school="东关小学", region="", year="2025-2026", term="秋季学期", **extra):
    figures = return_data(**extra)
    return [region, school, year, term, *[figures[k] for k in io.FIGURES], figures.get("note", "")]


def test_a_file_is_checked_then_applied_then_exported_and_reimported_unchanged(world, school, other_school):
    user = world.users["county"]
    upload = xlsx([row(), row(term="春季学期", minutes_out_of_school=66)])
    checked = io.import_returns(user, upload, dry_run=True)
    assert checked.ok and not checked.applied and not TermReturn.objects.exists()
    done = io.import_returns(user, xlsx([row(), row(term="春季学期", minutes_out_of_school=66)]), dry_run=False)
    assert done.applied and done.counts["new"] == 2
    assert TermReturn.objects.get(term=2).minutes_out_of_school == 66
    # export, correct one cell, import again: that return alone changes
    response = io.xlsx_response(selectors.returns_for(user))
    wb = openpyxl.load_workbook(stdio.BytesIO(b"".join(response.streaming_content)))
    rows = [list(r) for r in wb.active.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == 2 and wb.active.cell(1, 2).value == "学校名称"
    again = io.import_returns(user, xlsx(rows), dry_run=False)
    assert again.counts["unchanged"] == 2
    rows[0][io.HEADERS.index("校内日均体育活动分钟数")] = 75
    again = io.import_returns(user, xlsx(rows), dry_run=False)
    assert again.counts["updated"] == 1 and TermReturn.objects.filter(minutes_in_school=75).count() == 1


def test_bad_rows_are_named_by_line_in_chinese_and_nothing_is_written(world, school, other_school):
    bad = [row(), row(school="不存在小学"), row(myopia_found=2000), row(term="夏季"), row(school="振兴中学"),
           row()]
    with translation.override("zh-hans"):
        report = io.import_returns(world.users["county"], xlsx(bad), dry_run=False)
    assert not report.applied
    errors = {r.line: " ".join(r.errors) for r in report.rejected}
    assert sorted(errors) == [3, 4, 5, 6, 7]
    assert "没有该名称的学校" in errors[3]  # not in the register
    assert "不能多于" in errors[4]
    assert "学期" in errors[5]
    assert "没有该名称的学校" in errors[6]  # the other county's school is outside the scope
    assert "第2行" in errors[7]  # the same school's term twice
    assert not TermReturn.objects.exists()


def test_a_formula_in_a_note_is_exported_as_text(world, school):
    services.save_return(world.users["county"], school, return_data(note="=HYPERLINK(\"http://x\")"))
    response = io.xlsx_response(selectors.returns_for(world.users["county"]))
    wb = openpyxl.load_workbook(stdio.BytesIO(b"".join(response.streaming_content)))
    cell = wb.active.cell(2, len(io.HEADERS))
    assert cell.data_type != "f" and str(cell.value).lstrip("'").startswith("=")


@pytest.mark.parametrize("content", [
    b"PK\x03\x04 not really a workbook",
    b"\x00\x01\x02\xff\xfe" * 50,
    "学校名称,学年\n东关小学,\udcff".encode("utf-8", "surrogatepass"),
])
def test_hostile_files_are_refused_and_write_nothing(world, school, content):
    upload = SimpleUploadedFile("填报.xlsx", content, content_type=XLSX)
    with pytest.raises(ServiceError) as caught:
        io.import_returns(world.users["county"], upload, dry_run=False)
    assert caught.value.status == 400 and caught.value.message
    assert not TermReturn.objects.exists()


def test_a_file_that_unpacks_beyond_the_bound_is_refused(world, school, monkeypatch):
    # A decompression bomb in small: the shared reader's bound on the unpacked size, lowered.
    monkeypatch.setattr(tabular, "MAX_UNZIPPED", 2000)
    with pytest.raises(ServiceError) as caught:
        io.import_returns(world.users["county"], xlsx([row(note="长" * 3000)]), dry_run=False)
    assert caught.value.code == "file_unreadable"
    assert not TermReturn.objects.exists()
