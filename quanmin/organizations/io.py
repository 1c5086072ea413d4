"""Excel in and out for the organisations register: the template, the import (dry run, then all or
nothing) and the export, with the template's columns so that an export can be edited and imported.

Files are read with the shared reader (quanmin.core.tabular). Each row goes through the register's
own services (services.register / services.update) inside one transaction: a dry run applies the
whole file and rolls it back, so what it reports is exactly what applying would do; applying keeps
the work only when no row was rejected. Rows are matched by system ID, then credit code, then name
in the division; a name twice in the file for one division is rejected (a filing twice).
"""

import datetime
import tempfile
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from quanmin.core import excel, imports, tabular
from quanmin.core.errors import ServiceError
from quanmin.core.imports import ImportReport
from quanmin.facilities.io_read import Column  # the registers' one column type

from . import permissions, services, sports
from .errors import OrganizationError
from .models import Organization

Org = Organization
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
SHEET = "体育社会组织"
HELP_SHEET = "填写说明"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Headers are data (the register's format): Chinese, English accepted on import.
COLUMNS = [
    Column("id", "系统ID", "System ID"),
    Column("name", "组织名称", "Name"),
    Column("kind", "组织类型", "Kind"),
    Column("sector", "面向人群", "Sector"),
    Column("status", "登记状态", "Legal status"),
    Column("credit_code", "统一社会信用代码", "Credit code"),
    Column("region", "区划代码", "Division code"),
    Column("region_name", "所在区划", "Division", read_only=True),
    Column("address", "地址", "Address"),
    Column("site", "场地系统ID", "Site system ID"),
    Column("lon", "经度", "Longitude"),
    Column("lat", "纬度", "Latitude"),
    Column("sports", "运动项目", "Sports"),
    Column("parent", "上级体育总会系统ID", "Federation system ID"),
    Column("founded_on", "成立日期", "Founded"),
    Column("officers", "负责人", "Officers"),
    Column("contact_name", "联系人", "Contact"),
    Column("contact_phone", "联系电话", "Contact phone"),
    Column("party_branch", "党组织", "Party organisation"),
    Column("decoupled", "与行政机关脱钩", "Separated from administration"),
    Column("governance", "法人治理结构健全", "Governance in place"),
    Column("independent", "独立运作", "Operates independently"),
    Column("instructor_association", "本级社会体育指导员协会", "Instructors' association of its division"),
    Column("join_policy", "入会方式", "New members"),
    Column("member_cap", "人数上限", "Member cap"),
    Column("meets", "活动时段", "Meets"),
    Column("schedule", "固定活动", "Regular activities"),
    Column("description", "简介", "Description"),
    Column("review", "审核状态", "Review", read_only=True),
]
BY_KEY = {c.key: c for c in COLUMNS}
WRITABLE = [c.key for c in COLUMNS if not c.read_only and c.key != "id"]
BOOLS = ("party_branch", "decoupled", "governance", "independent", "instructor_association")
TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
FALSE = {"否", "无", "n", "no", "false", "0", "×"}
CHOICE_KEYS = {"kind": Org.Kind, "sector": Org.Sector, "status": Org.Status, "join_policy": Org.JoinPolicy,
               "meets": Org.Time, "review": Org.Review}
# The sheet's own words for the choices (data: the same whatever the page language).
ZH = {
    "kind": {"federation": "体育总会", "association": "单项体育协会", "group_association": "人群体育协会",
             "club": "体育俱乐部", "fitness_point": "健身团队（站点）", "community_group": "体育社群"},
    "sector": {"general": "面向社会", "youth": "青少年", "school": "学校", "workplace": "机关企事业单位",
               "elderly": "老年人", "disabled": "残疾人"},
    "status": {"registered": "民政登记", "filed": "备案"},
    "join_policy": {"open": "自由加入", "approval": "审核加入", "closed": "暂停招募"},
    "meets": {"morning": "早晨", "daytime": "白天", "evening": "晚上", "weekend": "周末"},
    "review": {"pending": "待审核", "approved": "已通过", "rejected": "未通过"},
}
ALIASES = {"kind": {"总会": "federation", "单项协会": "association", "协会": "association", "俱乐部": "club",
                    "健身团队": "fitness_point", "健身站点": "fitness_point", "健身站": "fitness_point", "社群": "community_group"},
           "status": {"登记": "registered", "已登记": "registered", "注册": "registered"}}


def _error(code: str, message, status: int | None = None) -> OrganizationError:
    return OrganizationError(code, message, "file", status=status)


# ---------------------------------------------------------------- reading


@cache
def _header_map() -> dict[str, str]:
    found = {}
    for c in COLUMNS:
        found.update({tabular.norm_header(c.key): c.key, tabular.norm_header(c.zh): c.key,
                      tabular.norm_header(c.en): c.key})
    found[tabular.norm_header("名称")] = "name"
    found[tabular.norm_header("类型")] = "kind"
    return found


def read_workbook(file) -> tabular.Rows:
    try:
        return tabular.read_rows(
            file, names=_header_map(), label=lambda key: BY_KEY[key].label,
            is_header=lambda found: len(found) >= 2 and "name" in found,
            expected=[BY_KEY[k].label for k in ("name", "kind", "status", "region")],
            max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    except tabular.TableError as exc:
        raise _error(exc.code, exc.message, status=exc.status) from None


@cache
def _choice_map(key: str) -> dict[str, str]:
    return tabular.choice_words(CHOICE_KEYS[key], {**ALIASES.get(key, {}), **{label: code for code, label in ZH[key].items()}})


def _value(key: str, raw):
    if key in CHOICE_KEYS:
        text = str(raw).strip()
        code = _choice_map(key).get(text.lower(), _choice_map(key).get(text))
        if code is None:
            raise OrganizationError(f"{key}_invalid", _("Choose one of the listed values."), key)
        return code
    if key in BOOLS:
        text = str(raw).strip().lower()
        if isinstance(raw, bool):
            return raw
        if text in TRUE or text in FALSE:
            return text in TRUE
        raise OrganizationError("boolean_invalid", _("Write 是 or 否 (yes or no)."), key)
    if key in ("credit_code", "contact_phone") and isinstance(raw, (int, float)):
        return str(int(raw))
    if key == "founded_on" and isinstance(raw, datetime.datetime):
        return raw.date()
    return raw


# ---------------------------------------------------------------- the report


@dataclass
class RowReport:
    line: int
    action: str = "rejected"  # new, updated, unchanged, rejected
    name: str = ""
    changes: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


def _add_error(report: RowReport, exc: ServiceError) -> None:
    column = BY_KEY.get(exc.field or "")
    report.errors.append({"column": column.label if column else "", "code": exc.code, "message": str(exc.message)})


def _parse(raw: dict, report: RowReport) -> dict:
    data = {}
    for key in WRITABLE:
        if key not in raw or raw[key] in ("", None):
            continue
        try:
            data[key] = _value(key, raw[key])
            if key not in ("lon", "lat"):
                services.clean({key: data[key]})  # every field's error, not only the first
        except ServiceError as exc:
            _add_error(report, exc)
    if "lon" in data or "lat" in data:
        try:
            services.clean({"lon": data.get("lon"), "lat": data.get("lat")})
        except ServiceError as exc:
            _add_error(report, exc)
    return data


def _match(raw: dict, data: dict, user) -> Org | None:
    ident = str(raw.get("id", "") or "").strip()
    if ident:
        found = Org.objects.filter(pk=int(ident)).first() if ident.isdigit() and len(ident) < 16 else None
        if found is None:
            raise OrganizationError("id_unknown", _("Unknown system ID: leave it blank for a new organisation."), "id")
        return found
    if data.get("credit_code"):
        found = Org.objects.filter(credit_code=str(data["credit_code"]).strip().upper()).first()
        if found is not None:
            return found
    if data.get("name") and data.get("region"):
        return Org.objects.filter(name=str(data["name"]).strip(), region_id=str(data["region"]).strip()).first()
    return None


def _row(raw: dict, user, request, seen: dict) -> RowReport:
    report = RowReport(line=raw.get("_line", 0), name=str(raw.get("name", "") or "")[:120])
    data = _parse(raw, report)
    if report.errors:
        return report
    key = (str(data.get("region", "")).strip(), str(data.get("name", "")).strip())
    if all(key) and key in seen:
        _add_error(report, OrganizationError("name_twice_in_file", _("This name appears twice for one division in "
                                                                     "the file (line %(line)s).")
                                             % {"line": seen[key]}, "name"))
        return report
    seen[key] = report.line
    try:
        with transaction.atomic():
            org = _match(raw, data, user)
            if org is None:
                services.register(data, actor=user, request=request)
                report.action = "new"
            else:
                if not permissions.can_change(user, org):
                    raise OrganizationError("out_of_scope", _("This organisation is outside your scope."), "id")
                changes = services.changes_of(org, services.clean(data))
                services.update(org, data, actor=user, request=request)
                report.action = "updated" if changes else "unchanged"
                report.changes = [str(Org._meta.get_field(k).verbose_name) for k in changes]
    except ServiceError as exc:
        _add_error(report, exc)
        report.action = "rejected"
    return report


def import_rows(rows, user, dry_run: bool = True, *, request=None) -> ImportReport:
    """Check and apply every row; keep the work only when applying and no row was rejected."""
    if not permissions.can_create(user):
        raise PermissionDenied
    if not rows:
        raise _error("import_empty", _("The file has no rows below the headers."))
    report = ImportReport(dry_run=dry_run, ignored_columns=list(getattr(rows, "ignored", [])))
    seen: dict = {}

    def write_rows():
        for raw in rows:
            report.rows.append(_row(raw, user, request, seen))

    return imports.run_each(report, write_rows, conflict=lambda: _error(
        "import_conflict", _("The register changed while the file was being applied: try again."), status=409))


# ---------------------------------------------------------------- writing


def safe(value):
    """A cell that Excel will not run: text starting with = + - @ (or a tab, a return) is text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def headers() -> list[str]:
    return [c.zh for c in COLUMNS]


def _yes(value: bool) -> str:
    return "是" if value else "否"


def sheet_rows(qs):
    qs = qs.select_related("region").order_by("region_id", "kind", "name")
    for o in qs.iterator(chunk_size=2000):
        sport_names = "、".join(sports.SPORTS[s][0] for s in o.sport_codes if s in sports.SPORTS)
        officers = "；".join(f"{x['post']}:{x['name']}" if x.get("post") else x["name"] for x in o.officers or [])
        row = [o.pk, o.name, ZH["kind"][o.kind], ZH["sector"][o.sector], ZH["status"][o.status], o.credit_code,
               o.region_id, o.region.name, o.address, o.site_id or "", o.lon if o.lon is not None else "",
               o.lat if o.lat is not None else "", sport_names, o.parent_id or "",
               o.founded_on.isoformat() if o.founded_on else "", officers, o.contact_name, o.contact_phone,
               _yes(o.party_branch), _yes(o.decoupled), _yes(o.governance), _yes(o.independent),
               _yes(o.instructor_association),
               ZH["join_policy"][o.join_policy], o.member_cap or "", ZH["meets"].get(o.meets, ""), o.schedule,
               o.description, ZH["review"][o.review]]
        yield [safe(v) for v in row]


def xlsx_response(qs) -> FileResponse:
    return excel.xlsx_response(f"organizations-{timezone.localdate():%Y%m%d}.xlsx", [(SHEET, headers(), sheet_rows(qs))])


EXAMPLE = ["", "东昌府区篮球协会", "单项体育协会", "面向社会", "民政登记", "51371502MJ0000001X", "371502000000", "（导出时填写）",
           "东昌府区体育中心", "", 115.98, 36.45, "篮球", "", "2018-06-01", "会长:张三；秘书长:李四", "李四", "0635-8888888",
           "是", "是", "是", "是", "否", "审核加入", "", "晚上", "每周二、四 19:00 训练", "", "（导出时填写）"]
NOTES = [
    "每行一个体育社会组织。已有组织按“系统ID”匹配，未填写时按统一社会信用代码、再按“区划代码+组织名称”匹配；都不匹配的行为新增。",
    "登记状态填“民政登记”或“备案”。民政登记的组织须填写18位统一社会信用代码（按 GB 32100 校验），备案的组织不填。",
    "同一区划内组织名称不能重复；乡镇、社区工作人员提交的备案须经县级体育部门审核后计入统计。",
    "运动项目可填多个，用顿号分隔（如：篮球、足球）。负责人写作“职务:姓名”，多人用分号分隔。",
    "上级体育总会填其系统ID（见导出），须为本区划或上级区划的体育总会（“1+X”）。",
    "“本级社会体育指导员协会”填“是”的组织须为单项或人群体育协会，区划为市或县（市、区）本级，每个区划只能有一个。",
    "所在区划、审核状态由导出填写，仅供查看，导入时不读取。",
    "导入前可先“试导入”查看变化；只要有一行被拒绝，整个文件都不会导入。同一文件重复导入不会产生变化。",
]


def template_response() -> FileResponse:
    """Headers, drop-down lists, an example and notes."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(headers())
    bold = Font(bold=True)
    for n, (cell, column) in enumerate(zip(sheet[1], COLUMNS, strict=True), start=1):
        cell.font = bold
        sheet.column_dimensions[sheet.cell(1, n).column_letter].width = max(10, len(column.zh) * 2 + 4)
    code_letter = sheet.cell(1, [c.key for c in COLUMNS].index("credit_code") + 1).column_letter
    for row in range(2, 2002):
        sheet[f"{code_letter}{row}"].number_format = "@"  # text: 18 digits must not become a number
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet(HELP_SHEET)
    help_sheet.append(["示例（复制到“体育社会组织”表填写，本表不导入）"])
    help_sheet.append(headers())
    help_sheet.append(EXAMPLE)
    help_sheet.append([])
    help_sheet.append(["说明"])
    for line in NOTES:
        help_sheet.append([line])
    help_sheet.append([])
    lists = [("组织类型", "kind", list(ZH["kind"].values())), ("面向人群", "sector", list(ZH["sector"].values())),
             ("登记状态", "status", list(ZH["status"].values())), ("入会方式", "join_policy", list(ZH["join_policy"].values())),
             ("活动时段", "meets", list(ZH["meets"].values()))]
    top = help_sheet.max_row + 1
    keys = [c.key for c in COLUMNS]
    for col, (title, key, values) in enumerate(lists, start=1):
        help_sheet.cell(top, col, title).font = bold
        for n, value in enumerate(values, start=1):
            help_sheet.cell(top + n, col, value)
        letter = help_sheet.cell(top, col).column_letter
        source = f"'{HELP_SHEET}'!${letter}${top + 1}:${letter}${top + len(values)}"
        target = sheet.cell(2, keys.index(key) + 1).column_letter
        rule = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=False)
        rule.add(f"{target}2:{target}20000")
        sheet.add_data_validation(rule)
    handle = tempfile.TemporaryFile()
    book.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename="organizations-import-template.xlsx", content_type=XLSX)
