"""The year's project funding table in and out of Excel.

One row per project and item (项目资金表): 区划代码 (or the division's name), 项目名称, 建设内容,
场地编号 (optional: a site of the register), 类别 (资金来源 / 预算科目), 名目 (中央支持, 市县配套, 部门资金,
体育彩票公益金, 企业捐助, 群众自筹, 社会赞助; 器材, 场地, 赛事活动, 指导员培训, 智慧体育, 其他), 计划金额（元）,
实际金额（元）, and optionally 年度 (which must be the year imported). The rows of one project (same
division and title) give all its amounts: an imported project's amounts are replaced by the
file's, projects not in the file are left alone. The export writes the same columns, so a file
exported, corrected and imported again changes what was corrected.

Every row is checked first (services' own checks: scope, sources and lines on the list, amounts
never negative); any rejected row leaves the database as it was, and the report names each bad
row by its line, in the reader's language.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quanmin.accounts import audit
from quanmin.core import excel, tabular
from quanmin.core.imports import ImportReport, report_for, run
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import permissions, services
from .errors import FundingError
from .models import Amount, Line, Project, Source

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024

HEADERS = {
    "year": ("年度", "year"),
    "region": ("区划代码", "行政区划代码", "区划", "行政区划", "division"),
    "title": ("项目名称", "项目", "project"),
    "builds": ("建设内容", "what it builds"),
    "site": ("场地编号", "场地ID", "site"),
    "kind": ("类别", "kind"),
    "item": ("名目", "资金来源或科目", "item"),
    "planned": ("计划金额", "计划金额(元)", "planned"),
    "actual": ("实际金额", "实际金额(元)", "actual"),
}
NAMES = {tabular.norm_header(h): key for key, heads in HEADERS.items() for h in heads}
LABELS = {"year": gettext_lazy("年度"), "region": gettext_lazy("区划代码"), "title": gettext_lazy("项目名称"),
          "builds": gettext_lazy("建设内容"), "site": gettext_lazy("场地编号"), "kind": gettext_lazy("类别"),
          "item": gettext_lazy("名目"), "planned": gettext_lazy("计划金额（元）"), "actual": gettext_lazy("实际金额（元）")}
COLUMNS = ("year", "region", "title", "builds", "site", "kind", "item", "planned", "actual")
REQUIRED = ("region", "title", "kind", "item")

KIND_NAMES = {"资金来源": Amount.Kind.SOURCE, "来源": Amount.Kind.SOURCE, "source": Amount.Kind.SOURCE,
              "预算科目": Amount.Kind.LINE, "科目": Amount.Kind.LINE, "支出科目": Amount.Kind.LINE, "line": Amount.Kind.LINE}
# The names offices write for each item (seeds 000 and 002 word them so), besides the key and label.
ITEM_NAMES = {
    Amount.Kind.SOURCE: {"中央支持": "central", "中央资金": "central", "争取中央支持": "central",
                         "市县配套": "matching", "财政配套": "matching", "市级配套": "matching", "城区配套": "matching",
                         "部门资金": "department", "部门整合": "department", "部门整合拨付": "department",
                         "体育彩票公益金": "lottery", "体彩公益金": "lottery", "彩票公益金": "lottery",
                         "企业捐助": "donation", "企业捐赠": "donation", "群众自筹": "own_funds",
                         "社会赞助": "sponsorship", "赞助": "sponsorship"},
    Amount.Kind.LINE: {"器材": "equipment", "健身器材": "equipment", "器材购置": "equipment",
                       "场地": "grounds", "场地建设": "grounds", "赛事活动": "events", "赛事": "events",
                       "赛事举办": "events", "指导员培训": "training", "社会体育指导员培训": "training",
                       "智慧体育": "smart", "体育智慧化建设": "smart", "其他": "other"},
}
KIND_LABELS = {Amount.Kind.SOURCE: "资金来源", Amount.Kind.LINE: "预算科目"}


@dataclass
class RowReport:
    line: int
    title: str = ""
    action: str = "new"
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def _is_header(keys: set) -> bool:
    return {"title", "item"} <= keys


def read(file):
    return tabular.read_rows(file, names=NAMES, label=lambda k: str(LABELS[k]), is_header=_is_header,
                             expected=[str(LABELS[k]) for k in COLUMNS if k != "site"],
                             max_rows=MAX_ROWS, max_bytes=MAX_BYTES)


def _item(kind: str, text: str) -> str:
    names = ITEM_NAMES[kind]
    choices = Source if kind == Amount.Kind.SOURCE else Line
    labels = {str(c.label): c.value for c in choices}
    return names.get(text) or labels.get(text) or text


def _region(actor, text: str, names: dict) -> Region | str:
    """The division a cell names (its code, or its name within the actor's scope)."""
    if codes.is_prefix(text):
        return services.region(actor, codes.pad(text))
    found = names.get(text)
    if found is None:
        raise FundingError("region_unknown", _("No division of that name in your scope."), "region")
    return services.region(actor, found)


def import_table(actor, year, file, *, dry_run: bool = True, request=None) -> ImportReport:
    """Check (and unless `dry_run`, apply whole or not at all) the year's project funding table."""
    if not permissions.can_read(actor):
        raise FundingError("forbidden", _("Only city and county sports staff keep the funding accounts."), status=403)
    year = services.year(year)
    rows = read(file)
    report = report_for(rows, dry_run=dry_run, error=FundingError)
    scope = [codes.prefix(r.code) for r in permissions.scope_regions(actor)]
    names = {}
    for code, name in Region.objects.filter(level__in=("city", "county", "township")).values_list("code", "name"):
        if any(codes.in_subtree(code, p) for p in scope):
            names.setdefault(name, code)

    def plan(lock: bool):
        projects: dict[tuple, dict] = {}
        for row in rows:
            cells = {k: str(row.get(k) if row.get(k) is not None else "").strip() for k in COLUMNS}
            item = RowReport(row["_line"], cells["title"][:60])
            report.rows.append(item)
            missing = [str(LABELS[k]) for k in REQUIRED if not cells[k]]
            if missing:
                item.errors.append(_("Empty cells: %(columns)s.") % {"columns": "、".join(missing)})
            if cells["year"] and cells["year"] != str(year):
                item.errors.append(_("The year %(found)s is not the year imported (%(year)s).")
                                   % {"found": cells["year"][:8], "year": year})
            kind = KIND_NAMES.get(cells["kind"], "")
            if cells["kind"] and not kind:
                item.errors.append(_("The category “%(text)s” is neither 资金来源 nor 预算科目.") % {"text": cells["kind"][:20]})
            values = None
            try:
                if not missing:
                    where = _region(actor, cells["region"], names)
                    values = services.project_values(actor, {"region": where, "year": year, "title": cells["title"],
                                                             "builds": cells["builds"], "site": cells["site"]})
            except FundingError as exc:
                item.errors.append(str(exc.message))
            entry = {"kind": kind, "item": _item(kind, cells["item"]) if kind else "", "planned": cells["planned"],
                     "actual": cells["actual"]}
            try:
                if kind and cells["item"]:
                    checked = services.amounts([entry])
                else:
                    checked = {}
            except FundingError as exc:
                item.errors.append(str(exc.message))
                checked = {}
            if values is not None and not item.errors:
                key = (values["region"].code, values["title"])
                found = projects.setdefault(key, {"values": values, "amounts": {}, "rows": []})
                if values["builds"] and not found["values"]["builds"]:
                    found["values"] = values
                found["rows"].append(item)
                twice = set(checked) & set(found["amounts"])
                if twice:
                    item.errors.append(_("“%(item)s” appears twice for this project.")
                                       % {"item": cells["item"][:20]})
                found["amounts"].update(checked)
            if item.errors:
                item.action = "rejected"
        existing = {(p.region_id, p.title): p for p in Project.objects.filter(
            year=year, region_id__in={k[0] for k in projects}, title__in={k[1] for k in projects})}
        if lock and existing:
            list(Project.objects.select_for_update().filter(pk__in=[p.pk for p in existing.values()]))
        for key, found in projects.items():
            if key in existing:
                for item in found["rows"]:
                    if item.action != "rejected":
                        item.action = "updated"
            found["project"] = existing.get(key)
        return projects

    def apply(projects):
        for found in projects.values():
            services.write_project(found["project"], found["values"], found["amounts"])
        audit.record("funding.import", request=request, actor=actor,
                     detail={"year": year, "projects": len(projects), "rows": len(rows)})

    return run(report, plan, apply, conflict=lambda: FundingError(
        "import_conflict", _("Someone changed these projects meanwhile: import the file again."), status=409))


def export_rows(projects) -> list[list]:
    """The table's rows for the projects (with their amounts prefetched), one per item."""
    out = []
    for project in projects:
        for amount in project.amounts.all():
            out.append([project.year, project.region_id, project.title, project.builds, project.site_id or "",
                        KIND_LABELS[amount.kind], amount.item_label, amount.planned, amount.actual])
    return out


def xlsx_response(projects, year: int, summary):
    headers = [str(LABELS[k]) for k in COLUMNS]
    sheets = [(str(_("Project funding")), headers, export_rows(projects))]
    if summary is not None:
        sheets.append((str(_("Figures")), [str(_("Division")), str(_("Planned (yuan)")), str(_("Actual (yuan)")),
                                           str(_("Social share (%)")), str(_("Lottery fund received (yuan)")),
                                           str(_("Lottery fund for fitness (yuan)")), str(_("Share for fitness (%)"))],
                       [[row.region.name, row.planned, row.actual, row.social_share, row.received if row.has_fund else "",
                         row.fitness if row.has_fund else "", row.lottery_share] for row in summary]))
    return excel.xlsx_response(f"funding-{year}.xlsx", sheets)
