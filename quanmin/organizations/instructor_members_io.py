"""Excel in and out for an instructors' association's members (B09).

The import reads a sheet of certificate numbers and names (the shared reader, quanmin.core.tabular)
and enrols each row's instructor by instructor_members' rules (match, check_active, the cap), all in
one transaction (core.imports.run): the file's instructors are read once, the association locked
once and its new members written in bulk, so the queries do not grow with the rows. A dry run
checks the same and writes nothing; applying keeps the work only when no row was rejected. A row names
its instructor by the certificate number (the name, when given too, must be theirs) or by the name
alone when one instructor of the division bears it. An instructor already a member is unchanged, so
the export (whose first columns are the name and the certificate number) imports again as it is.
"""

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from quanmin.core import excel, imports, tabular
from quanmin.core.errors import ServiceError

from . import instructor_members, memberships
from .errors import OrganizationError
from .io import XLSX, safe
from .models import Organization

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
SHEET = "协会会员"
# Headers are data (the sheet's format): Chinese first, English accepted.
COLUMNS = {"name": ("姓名", "Name"), "certificate_no": ("证书编号", "Certificate number")}


def _error(code: str, message, field: str = "file", status: int | None = None) -> OrganizationError:
    return OrganizationError(code, message, field, status=status)


def read(file) -> tabular.Rows:
    try:
        return tabular.read_rows(file, names=tabular.column_names(COLUMNS), label=lambda key: COLUMNS[key][0],
                                 is_header=lambda keys: bool(keys & set(COLUMNS)),
                                 expected=[COLUMNS[k][0] for k in ("certificate_no", "name")],
                                 max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    except tabular.TableError as exc:
        raise _error(exc.code, exc.message, status=exc.status) from None


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


def _check(rows, org: Organization, report: imports.ImportReport) -> list:
    """Check every row into `report` and return the instructors to enrol. The division's instructors
    the file names, the active ones among them and the members already there are each read once
    (core.bulk.any_of), whatever the number of rows; `org` holds its member count as read (locked
    when applying)."""
    cells = [(raw, _text(raw.get("certificate_no")), _text(raw.get("name"))) for raw in rows]
    cells = [(raw, number[:40], name[:50]) for raw, number, name in cells]
    found = instructor_members.candidates(org, [n for _, n, _ in cells], [m for _, n, m in cells if not n])
    ids = [i.pk for i in found]
    active, members = instructor_members.active_ids(ids), instructor_members.member_ids(org, ids)
    division = instructor_members.division_name(org) if cells else ""
    seen: dict = {}
    new: list = []
    for raw, number, name in cells:
        row = imports.RowReport(line=raw.get("_line", 0), name=name)
        column = COLUMNS["certificate_no"][0] if number else COLUMNS["name"][0]
        try:
            instructor = instructor_members.match(found, number, name, division)
            row.name = instructor.real_name
            if instructor.pk in seen:
                raise _error("instructor_twice_in_file", _("This instructor is already on line %(line)s of the "
                                                           "file.") % {"line": seen[instructor.pk]}, "certificate_no")
            seen[instructor.pk] = row.line
            if instructor.pk in members:
                row.action = "unchanged"
            else:
                instructor_members.check_active(instructor, active)
                memberships.check_room(org, len(new) + 1)
                new.append(instructor)
        except ServiceError as exc:
            row.action = "rejected"
            row.errors.append(f"{COLUMNS.get(exc.field or '', (column,))[0]}：{exc.message}")
        report.rows.append(row)
    return new


def import_rows(rows, org: Organization, user, dry_run: bool = True, *, request=None) -> imports.ImportReport:
    """Enrol every row's instructor; keep the work only when applying and no row was rejected. The
    association's row is locked once, and the members written in bulk."""
    instructor_members.check_can_enrol(user, org)
    report = imports.report_for(rows, dry_run=dry_run, error=_error)
    locked = {}

    def plan(lock: bool) -> list:
        locked["org"] = instructor_members.lock(org) if lock else org
        return _check(rows, locked["org"], report)

    def apply(new: list) -> None:
        instructor_members.write_members(locked["org"], new, actor=user, request=request)

    return imports.run(report, plan, apply, conflict=lambda: _error(
        "import_conflict", _("The members changed while the file was being applied: try again."), status=409))


def export_response(org: Organization, *, request=None) -> FileResponse:
    rows = [[safe(v) for v in row] for row in instructor_members.member_rows(org, request=request)]
    return excel.xlsx_response(f"instructor-association-{org.pk}-{timezone.localdate():%Y%m%d}.xlsx",
                               [(SHEET, instructor_members.MEMBER_HEADERS, rows)])


NOTES = ["每行一名社会体育指导员：填写证书编号和姓名；只填姓名时，本区划内须只有一名同名指导员。",
         "只能吸收本协会所在市（县、区）注册在册、状态为“在册”的社会体育指导员。",
         "已是会员的行不作变化；同一人在文件中出现两次将被拒绝。",
         "可先“试导入”查看结果；只要有一行被拒绝，整个文件都不会导入。"]


def template_response() -> FileResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([COLUMNS["name"][0], COLUMNS["certificate_no"][0]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 14, 24
    for row in range(2, MAX_ROWS + 2):
        sheet[f"B{row}"].number_format = "@"  # a long number must stay text
    notes = book.create_sheet("填写说明")
    for line in NOTES:
        notes.append([line])
    handle = tempfile.TemporaryFile()
    book.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename="instructor-association-members-template.xlsx",
                        content_type=XLSX)
