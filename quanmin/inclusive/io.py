"""The institutions register in and out of Excel (.xlsx or .csv), for the civil-affairs, disabled
persons' federation and ethnic-affairs lists staff receive.

One row per institution: 区划代码, 名称, 类别 (养老服务机构, 养老中心, 残疾人康复中心, 幼儿园/学龄前儿童场所,
民族乡村, or the code), 民族 (an ethnic village's group), 地址, 场所编号 (its site in the facilities
register), 备注, 在册 (是/否). An institution is found again by its division and name and updated in
place; the headers are the data format offices exchange, so they stay in Chinese whatever the page's
language. The export writes the same columns on its first sheet (re-importable) and the fittings on
a second one, for reading.

Every row goes through the services' own rules (scope, the kind, the site in the county), all in one
transaction: the file is applied whole or not at all, and the report names each bad row by its line.
"""


from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.core import excel, tabular
from quanmin.core.imports import ImportReport, RowReport, report_for, run_each
from quanmin.regions import codes

from . import permissions, services
from .errors import InclusiveError
from .models import Institution, Kind

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024

COLUMNS = {
    "region": ("区划代码", "division"),
    "name": ("名称", "机构名称", "name"),
    "kind": ("类别", "类型", "kind"),
    "ethnic_group": ("民族", "ethnic group"),
    "address": ("地址", "address"),
    "site": ("场所编号", "site"),
    "note": ("备注", "note"),
    "active": ("在册", "active"),
}
HEADERS = [heads[0] for heads in COLUMNS.values()]
KIND_WORDS = {Kind.ELDERLY_CARE: "养老服务机构", Kind.ELDERLY_CENTRE: "养老中心", Kind.REHAB_CENTRE: "残疾人康复中心",
              Kind.PRESCHOOL: "幼儿园/学龄前儿童场所", Kind.ETHNIC_VILLAGE: "民族乡村"}
ALIASES = {**{word.lower(): code for code, word in KIND_WORDS.items()}, "康复中心": Kind.REHAB_CENTRE,
           "幼儿园": Kind.PRESCHOOL, "民族村": Kind.ETHNIC_VILLAGE, "日间照料中心": Kind.ELDERLY_CARE,
           "幸福院": Kind.ELDERLY_CARE}
FITTING_HEADERS = ["区划代码", "机构名称", "配置内容", "数量", "配置日期", "设施编号", "备注"]


def read(file):
    return tabular.read_columns(file, COLUMNS, required={"name", "kind"}, expected=HEADERS[:3],
                                max_rows=MAX_ROWS, max_bytes=MAX_BYTES)


def _cells(row: dict, kinds: dict) -> dict:
    cells = {k: str(row.get(k) if row.get(k) is not None else "").strip() for k in COLUMNS}
    cells["kind"] = kinds.get(cells["kind"].lower(), cells["kind"])
    cells["active"] = cells["active"] in ("", "是", "1", "yes", "true", "在册")
    if cells["region"] and codes.is_prefix(cells["region"]):
        cells["region"] = codes.pad(cells["region"])
    return cells


def import_institutions(actor, file, *, dry_run: bool = True, request=None) -> ImportReport:
    """Check (and unless `dry_run`, apply whole or not at all) a table of institutions."""
    if not permissions.can_write(actor):
        raise InclusiveError("forbidden", _("Only division staff keep the institutions register."), status=403)
    rows = read(file)
    report = report_for(rows, dry_run=dry_run, error=InclusiveError)
    kinds = tabular.choice_words(Kind, ALIASES)

    def write_rows():
        seen = {}
        existing = {(i.region_id, i.name): i for i in scoping.scoped(actor, Institution.objects.all(), write=True)}
        for row in rows:
            cells = _cells(row, kinds)
            item = RowReport(row["_line"], cells["name"][:60])
            report.rows.append(item)
            key = (cells["region"], cells["name"])
            if key in seen:
                item.errors.append(_("This institution is also on line %(line)s.") % {"line": seen[key]})
                item.action = "rejected"
                continue
            seen[key] = item.line
            old = existing.get(key)
            try:
                values = services.institution_values(actor, cells)
                if old is not None:
                    item.changes = [str(Institution._meta.get_field(k).verbose_name) for k, v in values.items()
                                    if getattr(old, k) != v]
                    item.action = "updated" if item.changes else "unchanged"
                if item.action != "unchanged":
                    services.save_institution(actor, cells, old, request=request)
            except InclusiveError as exc:
                item.errors.append(str(exc.message))
                item.action = "rejected"
        if report.ok and not report.dry_run:
            audit.record("inclusive.import", request=request, actor=actor,
                         detail={"rows": len(rows), "changed": len(report.changed)})

    return run_each(report, write_rows, conflict=lambda: InclusiveError(
        "import_conflict", _("Someone changed these institutions meanwhile: import the file again."), status=409))


def export_rows(institutions) -> list[list]:
    return [[i.region_id, i.name, KIND_WORDS[i.kind], i.ethnic_group, i.address, i.site_id or "", i.note,
             "是" if i.active else "否"] for i in institutions]


def fitting_rows(fittings) -> list[list]:
    return [[f.region_id, f.institution.name, f.get_kind_display(), f.pieces, f.fitted_on, f.facility_id or "", f.note]
            for f in fittings.select_related("institution")]


def xlsx_response(institutions, fittings):
    return excel.xlsx_response(f"inclusive-institutions-{timezone.localdate():%Y%m%d}.xlsx",
                               [(str(_("Institutions")), HEADERS, export_rows(institutions)),
                                (str(_("Fittings")), FITTING_HEADERS, fitting_rows(fittings))])
