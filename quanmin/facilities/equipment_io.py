"""Excel in and out for the equipment register (健身器材台账), like the facilities register's.

One row per piece. Export writes the template's columns (so an export edited in Excel imports
back; re-importing it unchanged changes nothing). Import matches a row to a piece by its tag code
(二维码编号, printed on the piece and filled by exports), then by its register number (器材编号);
a row matching neither is a new piece, placed on the facility named by the facility's system ID
or register number. The file is applied whole, in one transaction, or not at all (DESIGN rule 8).
"""

import datetime
import re
import tempfile
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from quanmin.accounts import audit, scoping
from quanmin.core import bulk, excel, imports, tabular
from quanmin.core.imports import ImportReport
from quanmin.regions import codes

from . import equipment_services, equipment_types, permissions
from .errors import EquipmentError
from .io_read import Column
from .models import Equipment, Facility

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
CHUNK = 500
SHEET = "器材"
HELP_SHEET = "填写说明"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Headers are data (the register's format), not UI: Chinese, with English accepted on import.
COLUMNS = [
    Column("tag", "二维码编号", "Tag code"),
    Column("external_id", "器材编号", "Register number"),
    Column("kind", "器材类型", "Equipment type"),
    Column("facility_id", "场地系统ID", "Facility system ID"),
    Column("facility_number", "场地编号", "Facility register number"),
    Column("site_name", "场馆名称", "Site name", read_only=True),
    Column("facility_name", "场地名称", "Facility name", read_only=True),
    Column("region", "区划代码", "Division code", read_only=True),
    Column("maker", "生产厂家", "Maker"),
    Column("model", "型号", "Model"),
    Column("serial", "出厂编号", "Serial number"),
    Column("install_date", "安装日期", "Install date"),
    Column("design_life_years", "设计使用年限（年）", "Design life (years)"),
    Column("replace_due", "到期更新日期", "Replacement due", read_only=True),
    Column("status", "状态", "Status"),
    Column("smart", "智能器材", "Smart equipment"),
    Column("note", "备注", "Note"),
    Column("design_life_check", "设计年限核实情况", "Design life checked", read_only=True),
]
BY_KEY = {c.key: c for c in COLUMNS}
# The export's last column, for a design life taken from the type table and not read in GB 19272 itself.
LIFE_UNVERIFIED_ZH = "未核实：类型默认值，依GB 19272-2011二手资料"
HEADER_ALIASES = {"二维码": "tag", "标签编号": "tag", "编号": "external_id", "类型": "kind", "器材名称": "kind",
                  "厂家": "maker", "生产企业": "maker", "规格型号": "model", "安装时间": "install_date",
                  "设计年限": "design_life_years", "使用年限": "design_life_years", "智能": "smart"}
# The sheet's words for the statuses (data, like the headers: the same whatever the page language).
STATUS_ZH = {"in_service": "正常", "defective": "损坏", "out_of_service": "停用", "removed": "已拆除"}
STATUS_ALIASES = {"在用": "in_service", "完好": "in_service", "损坏": "defective",
                  "故障": "defective", "待修": "defective", "停用": "out_of_service", "拆除": "removed",
                  "报废": "removed", "已拆除": "removed"}
TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
FALSE = {"否", "无", "n", "no", "false", "0", "×", ""}
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _error(code: str, message, key: str = "file", status: int | None = None) -> EquipmentError:
    return EquipmentError(code, message, key, status=status)


# ---------------------------------------------------------------- reading files


def too_big() -> EquipmentError:
    return _error("file_too_large", tabular.too_big(MAX_BYTES).message, status=413)


@cache
def _header_map() -> dict[str, str]:
    found = {tabular.norm_header(k): v for k, v in HEADER_ALIASES.items()}
    for c in COLUMNS:
        found.update({tabular.norm_header(c.key): c.key, tabular.norm_header(c.zh): c.key,
                      tabular.norm_header(c.en): c.key})
    return found


Rows = tabular.Rows


def read_workbook(file) -> Rows:
    """Rows of an .xlsx (the first sheet with our headers) or a .csv file (UTF-8, GB18030, UTF-16)."""
    try:
        return tabular.read_rows(
            file, names=_header_map(), label=lambda key: BY_KEY[key].label,
            # A header line names two columns or more, one of them saying which piece the row is.
            is_header=lambda found: len(found) >= 2 and bool({"kind", "tag", "external_id"} & found),
            expected=[BY_KEY[k].label for k in ("kind", "facility_id", "facility_number")],
            max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    except tabular.TableError as exc:
        raise _error(exc.code, exc.message, status=exc.status) from None


# ---------------------------------------------------------------- the report


@dataclass
class RowReport:
    line: int
    action: str  # new, updated, unchanged, rejected
    tag: str = ""
    piece: str = ""  # type and facility, for people
    changes: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


# ---------------------------------------------------------------- validating and applying


@cache
def _status_map() -> dict[str, str]:
    found = {**STATUS_ALIASES, **{label: code for code, label in STATUS_ZH.items()}}
    for code, label in Equipment.Status.choices:
        found[code] = code
        for lang in ("en", "zh-hans"):
            with override(lang):
                found[str(label).lower()] = code
    return found


def _date(value) -> datetime.date | None:
    if value in ("", None):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = DATE_RE.match(text)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise EquipmentError("install_date_invalid", _("Write the install date as 2021-05-01."), "install_date")


@dataclass
class _Row:
    line: int
    report: RowReport
    data: dict = field(default_factory=dict)  # checked values of the columns given (model fields)
    tag: str = ""
    facility_ref: tuple = ()  # ("id", 12) or ("number", "LC-0001")
    piece: Equipment | None = None
    fields: list = field(default_factory=list)


def _add_error(row: _Row, exc: EquipmentError, key: str | None = None) -> None:
    column = BY_KEY.get(key or exc.field or "")
    row.report.errors.append({"column": column.label if column else "", "code": exc.code, "message": str(exc.message)})


def _parse(raw: dict, row: _Row) -> None:
    """Cells → checked model values. A blank cell leaves the field as it is, except for the free
    text columns, where a blank clears (as an export of an empty field reads back)."""
    row.tag = equipment_services.normalise_tag(raw.get("tag", ""))
    if row.tag and not equipment_services.TAG_RE.match(row.tag):
        _add_error(row, EquipmentError("tag_unknown", _("Unknown tag code: leave it blank for a new piece."), "tag"))
    for key in ("facility_id", "facility_number"):
        value = str(raw.get(key, "") or "").strip()
        if value and not row.facility_ref:
            if key == "facility_id":
                if not value.isdigit():
                    _add_error(row, EquipmentError("facility_unknown", _("Unknown facility."), key))
                    continue
                row.facility_ref = ("id", int(value))
            else:
                row.facility_ref = ("number", value)
    checks = {
        "kind": lambda v: equipment_services.check_kind(v).code,
        "install_date": lambda v: equipment_services.check_install_date(_date(v)),
        "design_life_years": equipment_services.check_design_life,
        "status": _status,
        "smart": _bool,
    }
    for key, check in checks.items():
        if key not in raw:
            continue
        value = raw[key]
        if value in ("", None) and key != "install_date":
            continue
        try:
            row.data[key] = check(value)
        except EquipmentError as exc:
            _add_error(row, exc, key)
    for key in ("external_id", "maker", "model", "serial", "note"):
        if key in raw:
            try:
                row.data[key] = equipment_services.check_text(key, raw[key])
            except EquipmentError as exc:
                _add_error(row, exc, key)
    if not row.data.get("external_id"):
        row.data.pop("external_id", None)  # an import never clears a register number


def _status(value) -> str:
    code = _status_map().get(str(value).strip().lower())
    if code is None:
        raise EquipmentError("status_invalid", _("Choose one of the listed values."), "status")
    return code


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE or text in FALSE:
        return text in TRUE
    raise EquipmentError("boolean_invalid", _("Write 是 or 否 (yes or no)."), "smart")


def _chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def import_rows(rows, user, dry_run: bool = True, *, request=None) -> ImportReport:
    """Check every row and show what would change; with dry_run=False apply it all, or nothing."""
    if not permissions.can_write(user):
        raise PermissionDenied
    if not rows:
        raise _error("import_empty", _("The file has no rows below the headers."))
    report = ImportReport(dry_run=dry_run, ignored_columns=list(getattr(rows, "ignored", [])))
    return imports.run(report, lambda lock: _plan(rows, user, report, lock),
                       lambda planned: _apply(*planned, user, request, report),
                       conflict=lambda: _error("import_conflict", _(
                           "The register changed while the file was being applied: try again."), status=409))


def _plan(rows, user, report: ImportReport, lock: bool):
    parsed = []
    for n, raw in enumerate(rows, start=2):
        line = raw.get("_line", n)
        row = _Row(line=line, report=RowReport(line=line, action="rejected"))
        _parse(raw, row)
        row.report.tag = row.tag
        parsed.append(row)
        report.rows.append(row.report)
    pieces_qs = Equipment.objects.select_related("facility", "site")
    if lock:
        pieces_qs = pieces_qs.select_for_update(of=("self",))
    by_tag, by_number = {}, {}
    for chunk in _chunks({r.tag for r in parsed if r.tag and equipment_services.TAG_RE.match(r.tag)}):
        by_tag.update({p.tag: p for p in pieces_qs.filter(tag__in=chunk)})
    numbers = {r.data["external_id"] for r in parsed if r.data.get("external_id")}
    for chunk in _chunks(numbers):
        by_number.update({p.external_id: p for p in pieces_qs.filter(external_id__in=chunk)})
    facilities = _facilities(parsed)

    seen_tags, seen_numbers, claimed = {}, {}, {}
    new, changed = [], []
    for row in parsed:
        if row.report.errors:
            continue
        number = row.data.get("external_id", "")
        if row.tag and row.tag in seen_tags:
            _add_error(row, EquipmentError("duplicate_tag", _("The same tag code as line %(line)s.")
                                           % {"line": seen_tags[row.tag]}, "tag"))
            continue
        if number and number in seen_numbers:
            _add_error(row, EquipmentError("duplicate_number", _("The same register number as line %(line)s.")
                                           % {"line": seen_numbers[number]}, "external_id"))
            continue
        piece = _match(row, by_tag, by_number, user)
        if row.report.errors:
            continue
        if piece is not None and piece.pk in claimed:
            _add_error(row, EquipmentError("duplicate_piece", _("This row names the same piece as line %(line)s.")
                                           % {"line": claimed[piece.pk]}, "tag"))
            continue
        facility = _facility(row, facilities, user, required=piece is None)
        if row.report.errors:
            continue
        if number and number in by_number and by_number[number].pk != (piece.pk if piece else None):
            _add_error(row, EquipmentError("external_id_taken", _("Another piece already has this register number."),
                                           "external_id"))
            continue
        if piece is None:
            _new(row, facility, new)
        else:
            _update(row, piece, facility, changed)
        if row.report.errors:
            continue
        if row.tag:
            seen_tags[row.tag] = row.line
        if number:
            seen_numbers[number] = row.line
        if piece is not None:
            claimed[piece.pk] = row.line
    return new, changed


def _facilities(rows: list[_Row]) -> dict:
    ids = {r.facility_ref[1] for r in rows if r.facility_ref and r.facility_ref[0] == "id"}
    numbers = {r.facility_ref[1] for r in rows if r.facility_ref and r.facility_ref[0] == "number"}
    found = {}
    qs = Facility.objects.select_related("site")
    for chunk in _chunks(ids):
        found.update({("id", f.pk): f for f in qs.filter(pk__in=chunk)})
    for chunk in _chunks(numbers):
        found.update({("number", f.external_id): f for f in qs.filter(external_id__in=chunk)})
    return found


def _match(row: _Row, by_tag: dict, by_number: dict, user) -> Equipment | None:
    if row.tag:
        piece = by_tag.get(row.tag)
        if piece is None or not scoping.can_write_region(user, piece.region_id):
            _add_error(row, EquipmentError("tag_unknown", _("Unknown tag code: leave it blank for a new piece."), "tag"))
            return None
        return piece
    number = row.data.get("external_id", "")
    if number and number in by_number:
        piece = by_number[number]
        if not scoping.can_write_region(user, piece.region_id):
            _add_error(row, EquipmentError(
                "number_taken", _("This register number belongs to a piece outside the divisions you may change."),
                "external_id"))
            return None
        return piece
    return None


def _facility(row: _Row, facilities: dict, user, required: bool) -> Facility | None:
    if not row.facility_ref:
        if required:
            _add_error(row, EquipmentError("facility_required", _("A new piece needs its facility: give the facility's system ID or register number."),
                                           "facility_id"))
        return None
    facility = facilities.get(row.facility_ref)
    key = "facility_id" if row.facility_ref[0] == "id" else "facility_number"
    if facility is None:
        _add_error(row, EquipmentError("facility_unknown", _("Unknown facility."), key))
        return None
    if not scoping.can_write_region(user, facility.region_id):
        _add_error(row, EquipmentError("region_outside_scope", _("%(region)s is outside the divisions you may change.")
                                       % {"region": facility.region_id}, key))
        return None
    row.report.piece = f"{facility.site.name} · {facility}"
    return facility


def _new(row: _Row, facility: Facility, new: list) -> None:
    if "kind" not in row.data:
        _add_error(row, EquipmentError("kind_required", _("Give the equipment type."), "kind"))
        return
    info = equipment_types.TYPES[row.data["kind"]]
    data = dict(row.data)
    data.setdefault("design_life_years", info.design_life_years)
    data.setdefault("status", Equipment.Status.IN_SERVICE)
    data["smart"] = data.get("smart", False) or info.group == "smart"
    piece = Equipment(**data)
    equipment_services.place(piece, facility)
    new.append(piece)
    row.piece = piece
    row.report.action = "new"
    row.report.piece = f"{info.label} · {row.report.piece}"


def _update(row: _Row, piece: Equipment, facility: Facility | None, changed: list) -> None:
    fields = [k for k, v in row.data.items() if getattr(piece, k) != v]
    if facility is not None and facility.pk != piece.facility_id:
        fields.append("facility")
    row.report.piece = f"{piece.kind_label} · {piece.site.name} · {piece.facility}"
    if fields and piece.status == Equipment.Status.REMOVED:
        _add_error(row, EquipmentError("equipment_removed", _("This piece has been removed from the register."), "status"))
        return
    for k in fields:
        if k == "facility":
            equipment_services.place(piece, facility)
        else:
            setattr(piece, k, row.data[k])
    row.piece, row.fields = piece, fields
    row.report.action = "updated" if fields else "unchanged"
    row.report.changes = [BY_KEY["facility_id" if k == "facility" else k].label for k in fields]
    if fields:
        changed.append(row)


def _apply(new: list[Equipment], changed: list[_Row], user, request, report: ImportReport) -> None:
    """Write the plan: new pieces (with fresh tags) in bulk, changes in bulk per set of fields, and
    one audit entry for the file."""
    taken = set()
    for piece in new:
        tag = equipment_services.new_tag()
        while tag in taken:
            tag = equipment_services.new_tag()
        taken.add(tag)
        piece.tag = tag
    bulk.insert_rows(new)  # COPY / executemany: bulk_create builds a statement per batch
    for row, piece in zip([r for r in report.rows if r.action == "new"], new):
        row.tag = piece.tag
    groups: dict[tuple, list[Equipment]] = {}
    for row in changed:
        fields = set(row.fields)
        if "facility" in fields:
            fields |= {"region", "site", "lon", "lat"}
        groups.setdefault(tuple(sorted(fields | {"updated_at"})), []).append(row.piece)
    for fields, pieces in groups.items():
        # Linear, where bulk_update's CASE is rows × batch; it stamps updated_at (auto_now) itself.
        bulk.update_rows(pieces, list(fields))
    region_codes = [p.region_id for p in new] + [r.piece.region_id for r in changed]
    audit.record("equipment.import", request=request, actor=user, region_code=codes.common_prefix(region_codes),
                 detail=report.counts)


# ---------------------------------------------------------------- export


def sheet_rows(qs: QuerySet[Equipment]):
    """Each piece as the template's cells, Chinese values (the import reads them back)."""
    labels = STATUS_ZH
    qs = qs.select_related("facility", "site").order_by("region_id", "site_id", "facility_id", "id")
    for p in qs.iterator(chunk_size=2000):
        info = equipment_types.TYPES.get(p.kind)
        yield [p.tag, p.external_id, info.name_zh if info else p.kind, p.facility_id, p.facility.external_id,
               p.site.name, p.facility.name or p.facility.type_label, p.region_id, p.maker, p.model, p.serial,
               p.install_date or "", p.design_life_years, p.replace_due or "", labels.get(p.status, p.status),
               "是" if p.smart else "否", p.note, LIFE_UNVERIFIED_ZH if p.design_life_unverified else ""]


def headers() -> list[str]:
    return [c.zh for c in COLUMNS]


def xlsx_response(qs: QuerySet[Equipment]) -> FileResponse:
    return excel.xlsx_response(f"equipment-{timezone.localdate():%Y%m%d}.xlsx", [(SHEET, headers(), sheet_rows(qs))])


def filtered(user, params) -> QuerySet[Equipment]:
    """The staff member's scope, narrowed by the register list's filters (also the export's):
    q, kind, status, region, facility, site, due (past design life)."""
    qs = scoping.scoped(user, Equipment.objects.all())
    get = params.get
    if get("q"):
        qs = qs.filter(equipment_services.search_q(get("q")))
    if get("kind") in equipment_types.TYPES:
        qs = qs.filter(kind=get("kind"))
    if get("status") in Equipment.Status.values:
        qs = qs.filter(status=get("status"))
    elif not _flag(get("removed")):
        qs = qs.exclude(status=Equipment.Status.REMOVED)
    region = str(get("region") or "").strip()
    if region:
        try:
            qs = qs.filter(region__code__within=codes.prefix(codes.normalise(region)))
        except ValueError:
            qs = qs.none()  # a bad code matches nothing
    for key, column in (("facility", "facility_id"), ("site", "site_id")):
        value = str(get(key) or "")
        if value:
            qs = qs.filter(**{column: int(value)}) if value.isdigit() and len(value) < 16 else qs.none()
    if _flag(get("due")):
        qs = equipment_services.due_for_replacement(qs)
    return qs


def _flag(value) -> bool:
    return str(value or "").lower() in ("1", "true", "on", "yes")


def template_response() -> FileResponse:
    """The import template: headers, an example, notes and drop-down lists for type, status, smart."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(headers())
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFEEF0F4")
    for n, (cell, column) in enumerate(zip(sheet[1], COLUMNS), start=1):
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[sheet.cell(1, n).column_letter].width = max(10, len(column.zh) * 2 + 4)
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet(HELP_SHEET)
    help_sheet.append(["示例（复制到“器材”表填写，本表不导入）"])
    help_sheet.append(headers())
    help_sheet.append(EXAMPLE)
    help_sheet.append([])
    help_sheet.append(["说明"])
    for line in NOTES:
        help_sheet.append([line])
    help_sheet.append([])
    lists = [("器材类型", "kind", [t.name_zh for t in equipment_types.TYPES.values()]),
             ("状态", "status", list(STATUS_ZH.values())), ("是/否", "smart", ["是", "否"])]
    top = help_sheet.max_row + 1
    keys = [c.key for c in COLUMNS]
    for col, (title, key, values) in enumerate(lists, start=1):
        help_sheet.cell(top, col, title).font = bold
        for n, value in enumerate(values, start=1):
            help_sheet.cell(top + n, col, value)
        letter = help_sheet.cell(top, col).column_letter
        help_sheet.column_dimensions[letter].width = 18
        source = f"'{HELP_SHEET}'!${letter}${top + 1}:${letter}${top + len(values)}"
        target = sheet.cell(2, keys.index(key) + 1).column_letter
        rule = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=False)
        rule.add(f"{target}2:{target}20000")
        sheet.add_data_validation(rule)
    handle = tempfile.TemporaryFile()
    book.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename="equipment-import-template.xlsx", content_type=XLSX)


EXAMPLE = ["", "DCF-QC-0001", "太空漫步机", "", "LC-0001", "（导出时填写）", "（导出时填写）", "（导出时填写）",
           "舒华体育", "SH-G5201", "2019050112", "2019-05-01", 8, "（导出时填写）", "正常", "否", ""]
NOTES = [
    "每行一件健身器材。二维码编号由系统生成：新增器材留空，导入后系统生成并可在器材台账打印二维码标牌。",
    "已有器材按“二维码编号”匹配，未填写时按“器材编号”匹配；都不匹配的行为新增器材。",
    "新增器材须填写器材类型，以及所在场地的“场地系统ID”或“场地编号”（见场地台账导出）。",
    "场馆名称、场地名称、区划代码和到期更新日期由导出填写，仅供查看，导入时不读取。",
    "安装日期写作2021-05-01；设计使用年限为整数（年），留空时按器材类型取值（室外健身器材依据 GB 19272 取8年）。",
    "状态可填：正常、损坏（待修）、停用、已拆除。已拆除的器材不能再修改。",
    "导入前可先“试导入”查看变化；只要有一行被拒绝，整个文件都不会导入。同一文件重复导入不会产生变化。",
]
