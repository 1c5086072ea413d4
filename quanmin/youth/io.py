"""Schools' term returns in and out of Excel (.xlsx or .csv), for the education bureau's yearly tables.

One row per school and term: 区划代码 (optional when the school's name is unique in your scope),
学校名称, 学年 (2025 or 2025-2026), 学期 (秋季学期/春季学期 or 1/2), 学生数, the two daily minutes, the
students with both hours, the skills counts and, for each of myopia, obesity and scoliosis, the
screened, found and intervened counts, 备注. The headers are the data format offices exchange, so
they stay in Chinese whatever the page's language; the export writes the same columns, so a file
exported, corrected and imported again changes what was corrected.

Every row is checked first with the services' own rules (scope, each count within its whole); the
file is applied whole or not at all, and the report names each bad row by its line. Schools must be
in the register: the import records returns, it does not invent schools. Aggregate figures only.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.core import excel, tabular
from quanmin.core.imports import ImportReport, report_for, run
from quanmin.regions import codes

from . import permissions, services
from .errors import YouthError
from .models import School, Term, TermReturn, term_starts

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024

COLUMNS = {
    "region": ("区划代码", "division"),
    "school": ("学校名称", "学校", "school"),
    "school_year": ("学年", "school year"),
    "term": ("学期", "term"),
    "students": ("学生数", "在校学生数", "students"),
    "minutes_in_school": ("校内日均体育活动分钟数", "校内日均分钟", "minutes in school"),
    "minutes_out_of_school": ("校外日均体育活动分钟数", "校外日均分钟", "minutes out of school"),
    "students_meeting_both": ("校内外各达1小时学生数", "students meeting both"),
    "skills_assessed": ("运动技能测评人数", "skills assessed"),
    "skills_two_plus": ("掌握2项以上运动技能人数", "skills two plus"),
    "myopia_screened": ("近视筛查人数",), "myopia_found": ("近视检出人数",), "myopia_intervened": ("近视干预人数",),
    "obesity_screened": ("肥胖筛查人数",), "obesity_found": ("肥胖检出人数",), "obesity_intervened": ("肥胖干预人数",),
    "scoliosis_screened": ("脊柱侧弯筛查人数",), "scoliosis_found": ("脊柱侧弯检出人数",),
    "scoliosis_intervened": ("脊柱侧弯干预人数",),
    "note": ("备注", "note"),
}
HEADERS = [heads[0] for heads in COLUMNS.values()]
TERM_WORDS = {Term.AUTUMN: "秋季学期", Term.SPRING: "春季学期"}
FIGURES = [k for k in COLUMNS if k not in ("region", "school", "school_year", "term", "note")]


@dataclass
class RowReport:
    line: int
    school: str = ""
    action: str = "new"
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def read(file):
    return tabular.read_columns(file, COLUMNS, required={"school", "school_year", "term"}, expected=HEADERS[1:5],
                                max_rows=MAX_ROWS, max_bytes=MAX_BYTES)


def _school(cells: dict, by_name: dict, by_key: dict) -> School:
    name, region = cells["school"], cells["region"]
    if region:
        found = by_key.get((codes.pad(region) if codes.is_prefix(region) else region, name))
    else:
        found = by_name.get(name)
        if found == "twice":
            raise YouthError("school_ambiguous", _("Two schools of your scope have this name: give the division code."),
                             "region")
    if found is None:
        raise YouthError("school_unknown", _("No school of this name in your scope (register the school first)."),
                         "school")
    return found


def import_returns(actor, file, *, dry_run: bool = True, request=None) -> ImportReport:
    """Check (and unless `dry_run`, apply whole or not at all) a table of term returns."""
    if not permissions.can_write(actor):
        raise YouthError("forbidden", _("Only division staff record schools' returns."), status=403)
    rows = read(file)
    report = report_for(rows, dry_run=dry_run, error=YouthError)
    schools = list(scoping.scoped(actor, School.objects.filter(active=True), write=True))
    by_key = {(s.region_id, s.name): s for s in schools}
    by_name = {}
    for s in schools:
        by_name[s.name] = "twice" if s.name in by_name else s
    today = timezone.localdate()

    def plan(lock: bool):
        planned, seen = [], {}
        for row in rows:
            cells = {k: str(row.get(k) if row.get(k) is not None else "").strip() for k in COLUMNS}
            item = RowReport(row["_line"], cells["school"][:60])
            report.rows.append(item)
            try:
                school = _school(cells, by_name, by_key)
                year, which = services.school_year(cells["school_year"]), services.term(cells["term"])
                if term_starts(year, which) > today:
                    raise YouthError("term_not_started", _("That term has not started yet."), "term")
                values = services.return_values(cells)
            except YouthError as exc:
                item.errors.append(str(exc.message))
                item.action = "rejected"
                continue
            key = (school.pk, year, which)
            if key in seen:
                item.errors.append(_("This school's term is also on line %(line)s.") % {"line": seen[key]})
                item.action = "rejected"
                continue
            seen[key] = item.line
            planned.append((item, school, year, which, values))
        ids = {p[1].pk for p in planned}
        if lock and ids:
            list(School.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
        existing = {(r.school_id, r.school_year, r.term): r for r in TermReturn.objects.filter(school_id__in=ids)}
        for item, school, year, which, values in planned:
            old = existing.get((school.pk, year, which))
            if old is not None:
                item.changes = [str(TermReturn._meta.get_field(k).verbose_name) for k, v in values.items()
                                if getattr(old, k) != v]
                item.action = "updated" if item.changes else "unchanged"
        return planned

    def apply(planned):
        for item, school, year, which, values in planned:
            if item.action != "unchanged":
                services.write_return(school, year, which, values, actor)
        audit.record("youth.import", request=request, actor=actor,
                     detail={"rows": len(rows), "changed": len(report.changed)})

    return run(report, plan, apply, conflict=lambda: YouthError(
        "import_conflict", _("Someone changed these returns meanwhile: import the file again."), status=409))


def export_rows(returns) -> list[list]:
    out = []
    for r in returns.select_related("school"):
        out.append([r.region_id, r.school.name, f"{r.school_year}-{r.school_year + 1}", TERM_WORDS[r.term],
                    *[getattr(r, k) for k in FIGURES], r.note])
    return out


def xlsx_response(returns):
    return excel.xlsx_response(f"youth-returns-{timezone.localdate():%Y%m%d}.xlsx",
                               [(str(_("Term returns")), HEADERS, export_rows(returns))])
