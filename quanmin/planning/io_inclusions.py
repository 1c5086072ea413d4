"""The four inclusions (四纳入) in and out of Excel.

The import takes the records the divisions' sports staff keep (.xlsx or .csv), one row per division,
year and inclusion: 区划代码, 年度, 事项 (政府重要议事日程, 年度财政预算和中长期预算规划, 政府工作报告,
政府绩效考核目标管理, or the code), 是否纳入 (是/否), 文件或会议, 日期, 备注. Every row goes through
services.inclusions.record (its division's own staff only; not once confirmed), all in one
transaction: the file is applied whole or not at all, and the report names each bad row by its line.
Evidence files are attached afterwards on each division's page. The headers are the format offices
exchange, so they stay in Chinese whatever the page's language.

The export is the yearly overview: one row per child division with each inclusion's state, document
and date, and the year's supervision visits; and a second sheet of the records in the import's own
columns (re-importable)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit
from quanmin.core import cleaning, excel, tabular
from quanmin.core.imports import ImportReport, RowReport, report_for, run_each

from . import permissions
from .errors import PlanningError
from .models import Inclusion
from .services import inclusions as services

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024

COLUMNS = {
    "division_code": ("区划代码", "division code"),
    "year": ("年度", "年份", "year"),
    "kind": ("事项", "纳入事项", "inclusion"),
    "included": ("是否纳入", "included"),
    "document": ("文件或会议", "文件名称", "document"),
    "dated": ("日期", "印发日期", "date"),
    "note": ("备注", "note"),
}
HEADERS = [heads[0] for heads in COLUMNS.values()]
KIND_WORDS = {Inclusion.Kind.AGENDA: "政府重要议事日程", Inclusion.Kind.BUDGET: "年度财政预算和中长期预算规划",
              Inclusion.Kind.WORK_REPORT: "政府工作报告", Inclusion.Kind.PERFORMANCE: "政府绩效考核目标管理"}
ALIASES = {**{word: code for code, word in KIND_WORDS.items()}, "议事日程": Inclusion.Kind.AGENDA,
           "财政预算": Inclusion.Kind.BUDGET, "年度财政预算": Inclusion.Kind.BUDGET,
           "绩效考核": Inclusion.Kind.PERFORMANCE, "绩效考核目标管理": Inclusion.Kind.PERFORMANCE}
YES = {"是", "已纳入", "纳入", "yes", "y", "true", "1", "√"}
NO = {"否", "未纳入", "no", "n", "false", "0", "×"}


def read(file):
    return tabular.read_columns(file, COLUMNS, required={"division_code", "kind"}, expected=HEADERS[:4],
                                max_rows=MAX_ROWS, max_bytes=MAX_BYTES)


def _cells(row: dict, kinds: dict) -> dict:
    """A row's cells as record()'s arguments (PlanningError for a cell that cannot be read)."""
    text = {k: str(row.get(k) if row.get(k) is not None else "").strip() for k in COLUMNS}
    year = cleaning.whole_number(row.get("year"), "year", COLUMNS["year"][0], maximum=9999, error=PlanningError)
    included = text["included"].lower()
    if included not in YES | NO:
        raise PlanningError("inclusion_included", _("是否纳入: write 是 or 否."), "included")
    dated = cleaning.day(row.get("dated"), "dated", COLUMNS["dated"][0], first=datetime.date(1999, 1, 1),
                         last=datetime.date(9999, 12, 31), error=PlanningError)
    return {"division_code": text["division_code"], "year": year,
            "kind": kinds.get(text["kind"].lower(), text["kind"]), "included": included in YES,
            "document": text["document"], "dated": dated, "note": text["note"]}


def import_inclusions(actor, file, *, dry_run: bool = True, request=None) -> ImportReport:
    """Check (and unless `dry_run`, apply whole or not at all) a table of inclusion records."""
    if not permissions.can_import_inclusions(actor):
        raise PlanningError("forbidden", _("Only division staff record inclusions."), status=403)
    rows = read(file)
    report = report_for(rows, dry_run=dry_run, error=PlanningError)
    kinds = tabular.choice_words(Inclusion.Kind, ALIASES)

    def write_rows():
        seen = {}
        for row in rows:
            item = RowReport(row["_line"], f"{row.get('division_code') or ''} {row.get('kind') or ''}".strip()[:60])
            report.rows.append(item)
            try:
                cells = _cells(row, kinds)
                region = services.division(cells["division_code"])
                item.name = f"{region.name} {cells['year']} {KIND_WORDS.get(cells['kind'], cells['kind'])}"
                key = (region.code, cells["year"], cells["kind"])
                if key in seen:
                    raise PlanningError("duplicate", _("This inclusion is also on line %(line)s.")
                                        % {"line": seen[key]})
                seen[key] = item.line
                if not permissions.can_record_inclusion(actor, region.code):
                    raise PlanningError("inclusion_not_yours",
                                        _("Only the division's own sports staff record its inclusions."))
                old = Inclusion.objects.filter(division_code=region.code, year=cells["year"],
                                               kind=cells["kind"]).first()
                checked = services.values(**{k: cells[k] for k in ("year", "kind", "included", "document",
                                                                     "dated", "note")})
                if services.unchanged(old, checked):
                    item.action = "unchanged"
                    continue
                if old is not None:
                    item.action = "updated"
                    item.changes = [str(Inclusion._meta.get_field(k).verbose_name) for k in services.FIELDS
                                    if getattr(old, k) != checked[k]]
                services.record(actor, region.code, cells["year"], cells["kind"], request=request,
                                **{k: cells[k] for k in ("included", "document", "dated", "note")})
            except PlanningError as exc:
                item.errors.append(str(exc.message))
                item.action = "rejected"
        if report.ok and not report.dry_run:
            audit.record("import", request=request, actor=actor,
                         detail={"register": "inclusions", "rows": len(rows), "changed": len(report.changed)})

    return run_each(report, write_rows, conflict=lambda: PlanningError(
        "import_conflict", _("Someone changed these records meanwhile: import the file again."), status=409))


def record_rows(records) -> list[list]:
    return [[r.division_code, r.year, KIND_WORDS[r.kind], "是" if r.included else "否", r.document,
             r.dated.isoformat() if r.dated else "", r.note] for r in records]


def overview_sheets(board: dict) -> list:
    """The overview (one row a child division) and its records in the import's columns."""
    kinds = board["kinds"]
    heads = [_("Division code"), _("Division")]
    for kind in kinds:
        heads += [str(kind.label), _("Document or meeting"), _("Date")]
    heads += [_("All four"), _("Supervision visits"), _("Last visit"), _("Gaps")]
    rows = []
    for r in board["rows"]:
        line = [r.code, r.name]
        for c in r.cells:
            line += [c.state_label, c.record.document if c.record else "",
                     c.record.dated.isoformat() if c.record and c.record.dated else ""]
        gaps = [str(kind.label) for kind in r.gaps] + ([] if r.supervised else [_("No supervision visit")])
        line += [_("Yes") if r.complete else _("No"), r.visits, r.last_visit.isoformat() if r.last_visit else "",
                 "、".join(gaps)]
        rows.append(line)
    records = Inclusion.objects.filter(year=board["year"], division_code__in=[r.code for r in board["rows"]])
    return [(_("Four inclusions %(year)s") % {"year": board["year"]}, heads, rows),
            (_("Records"), HEADERS, record_rows(records.order_by("division_code", "kind")))]


def xlsx_response(board: dict):
    return excel.xlsx_response(f"inclusions-{board['division'].code}-{board['year']}-"
                               f"{timezone.localdate():%Y%m%d}.xlsx", overview_sheets(board))
