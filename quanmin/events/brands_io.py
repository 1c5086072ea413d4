"""The brand register in and out of Excel (.xlsx or .csv), through the shared reader (core.tabular).

One row per brand: 系统编号 (empty for a new one), 品牌名称, 区划代码 (the holding division, or the
association's), 协会系统编号 (the association holding it; empty when the division holds it), 持有单位
(written by the export, not read), 运动项目, 创办年份, 简介, 状态 (在用 / 停用). The headers are the
format offices exchange, so they stay in Chinese whatever the page's language (English ones are
read too); the export writes the same columns, so a file exported, corrected and imported again
changes what was corrected and nothing else.

A row is the brand of its system number (in the importer's area), else the brand of the same name
held in the same division, else a new one. Every row goes through services_brands; the file is
applied whole or not at all, and the report names each bad row by its line.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from quanmin.accounts import audit, scoping
from quanmin.core import excel, imports, tabular
from quanmin.organizations.models import Organization

from . import services_brands
from .errors import EventError
from .models import Brand, Sport

MAX_ROWS = 5_000
MAX_BYTES = 5 * 1024 * 1024
SHEET = "品牌赛事活动"

COLUMNS = {
    "id": ("系统编号", "id", "system number"),
    "name": ("品牌名称", "名称", "name", "brand"),
    "region": ("区划代码", "division code", "division"),
    "organization": ("协会系统编号", "association system number", "association"),
    "holder": ("持有单位", "holder"),
    "sport": ("运动项目", "项目", "sport"),
    "since": ("创办年份", "since", "held since"),
    "description": ("简介", "description"),
    "status": ("状态", "status"),
}
HEADERS = [heads[0] for heads in COLUMNS.values()]
STATUS = {"在用": True, "": True, "active": True, "启用": True, "停用": False, "已停用": False, "retired": False}


def error(code: str, message, field: str | None = "file", status: int = 400, detail: dict | None = None) -> EventError:
    """The import's errors: 400 unless said (EventError's own default is 409)."""
    return EventError(code, message, field=field, status=status, detail=detail)


def read(file) -> tabular.Rows:
    try:
        return tabular.read_columns(file, COLUMNS, required={"name", "region"}, expected=HEADERS[1:3],
                                    max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    except tabular.TableError as exc:
        raise error(exc.code, exc.message, status=exc.status) from None


def _text(value) -> str:
    text = str(value if value is not None else "").strip()
    return text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text


def _number(value, key: str) -> int | None:
    text = _text(value)
    if not text:
        return None
    if not text.isdigit() or len(text) > 15:
        raise error(f"{key}_invalid", _("%(column)s: write a system number.") % {"column": COLUMNS[key][0]}, key)
    return int(text)


def _values(cells: dict, sports: dict) -> dict:
    sport = _text(cells["sport"])
    code = sports.get(sport.lower(), sports.get(sport)) if sport else ""
    if code is None:
        raise error("sport_unknown", _("Unknown sport: %(sport)s.") % {"sport": sport[:30]}, "sport")
    active = STATUS.get(_text(cells["status"]).lower())
    if active is None:
        raise error("status_invalid", _("Status: write 在用 or 停用."), "status")
    values = {"name": cells["name"], "sport": code, "description": cells["description"]}
    if _text(cells["since"]):
        values["since"] = _text(cells["since"])
    return {**services_brands.clean(values), "active": active}


def import_brands(actor, file, *, dry_run: bool = True, request=None) -> imports.ImportReport:
    """Check (and unless `dry_run`, apply whole or not at all) a table of brands."""
    if not scoping.is_division_staff(actor, write=True):
        raise error("forbidden", _("Only division staff keep the brand register."), status=403)
    rows = read(file)
    report = imports.report_for(rows, dry_run=dry_run, error=error)
    sports = tabular.choice_words(Sport)
    mine = scoping.scoped(actor, Brand.objects.all(), write=True)

    def write_rows():
        seen: dict[tuple, int] = {}
        for row in rows:
            cells = {k: row.get(k) if row.get(k) is not None else "" for k in COLUMNS}
            item = imports.RowReport(row["_line"], _text(cells["name"])[:60])
            report.rows.append(item)
            try:
                values = _values(cells, sports)
                active = values.pop("active")
                org_pk = _number(cells["organization"], "organization")
                organization = Organization.objects.filter(pk=org_pk).first() if org_pk else None
                if org_pk and (organization is None or not scoping.can_read_region(actor, organization.region_id)):
                    raise error("association_unknown", _("No association of your area has system number %(id)s.")
                                 % {"id": org_pk}, "organization")
                region, organization = services_brands.holder(actor, region=_text(cells["region"]),
                                                              organization=organization)
                if organization is not None and _text(cells["region"]) not in ("", region.code):
                    raise error("region_mismatch", _("The association's division is %(code)s.")
                                 % {"code": region.code}, "region")
                key = (region.code, values["name"])
                if key in seen:
                    raise error("row_twice", _("The same brand is also on line %(line)s.") % {"line": seen[key]})
                seen[key] = item.line
                pk = _number(cells["id"], "id")
                old = mine.filter(pk=pk).first() if pk else mine.filter(region=region, name=values["name"]).first()
                if pk and old is None:
                    raise error("brand_unknown", _("No brand of your area has system number %(id)s.") % {"id": pk},
                                 "id")
                if old is None:
                    brand = services_brands.register_brand(actor, values, region=region, organization=organization,
                                                           request=request)
                    item.action = "new"
                else:
                    if (old.region_id, old.organization_id) != (region.code, organization.pk if organization else None):
                        raise error("holder_fixed", _("A brand keeps its holder: register a new brand for another "
                                                       "unit."), "region")
                    brand = old
                    fields = services_brands.update_brand(actor, brand, values, request=request)
                    item.changes = [str(Brand._meta.get_field(f).verbose_name) for f in fields]
                if active != brand.active:
                    if active:
                        services_brands.reinstate_brand(actor, brand, request=request)
                    else:
                        services_brands.retire_brand(actor, brand, _("Retired by an import."), request=request)
                    item.changes.append(str(_("status")))
                if old is not None:
                    item.action = "updated" if item.changes else "unchanged"
            except EventError as exc:
                item.errors.append(str(exc.message))
                item.action = "rejected"
        audit.record("import_brands", request=request, actor=actor,
                     detail={"rows": len(rows), "changed": len(report.changed), "dry_run": dry_run})

    return imports.run_each(report, write_rows, conflict=lambda: error(
        "import_conflict", _("Someone changed these brands meanwhile: import the file again."), status=409))


def export_rows(found) -> list[list]:
    with override("zh-hans"):
        sports = {k: str(label) for k, label in Sport.choices}
        return [[b.pk, b.name, b.region_id, b.organization_id or "", b.holder, sports.get(b.sport, ""), b.since,
                 b.description, "在用" if b.active else "停用"]
                for b in found.select_related("region", "organization")[:MAX_ROWS]]


def xlsx_response(found):
    return excel.xlsx_response(f"brands-{timezone.localdate():%Y%m%d}.xlsx", [(SHEET, HEADERS, export_rows(found))])


def template_response():
    example = ["", "水城龙舟赛", "371502000000", "", "东昌府区", "龙舟", 2015, "每年端午节在东昌湖举行", "在用"]
    help_rows = [["系统编号", "选填：导出的编号，据此更正原品牌；新品牌留空"], ["品牌名称", "必填，同一区划内不重复"],
                 ["区划代码", "必填，12位统计用区划代码：持有品牌的县（市、区）、乡镇（街道）或村（社区）"],
                 ["协会系统编号", "选填：协会持有时填写体育组织名录中协会的系统编号（一协会一品牌）"],
                 ["持有单位", "导出时填写，导入时不读"], ["运动项目", "选填，如 马拉松、龙舟、太极拳"],
                 ["创办年份", "选填，默认今年"], ["简介", "选填"], ["状态", "在用 或 停用"]]
    return excel.xlsx_response("brands-template.xlsx", [(SHEET, HEADERS, [example]),
                                                        ("填写说明", ["列", "说明"], help_rows)])
