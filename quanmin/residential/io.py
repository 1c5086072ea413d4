"""The residential register in and out of Excel (.xlsx or .csv), for the planning and construction
bureaus' project tables.

One row per project: 区划代码, 项目名称, 开发建设单位, 规划居住人口, 规划户数, 室内体育建筑面积（平方米）,
室外体育用地面积（平方米）, 状态 (规划中/已批准/已建成/已验收), 规划批准日期, 竣工日期, 备注. The headers are the
data format offices exchange, so they stay in Chinese whatever the page's language; the export
writes the same columns plus what the platform computes (the norm check, the acceptance), which
the import reads past, so a file exported, corrected and imported again changes what was corrected.

Every row is checked first with the services' own rules (scope, residents, areas, dates, a stage
that only goes forward); the file is applied whole or not at all, and the report names each bad
row by its line. Acceptance is not imported: it is given on the project's page, where the norm is
checked and a shortfall needs a reason; an accepted project's row must come back unchanged.
"""


from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.core import excel, tabular
from quanmin.core.imports import ImportReport, RowReport, report_for, run
from quanmin.regions import codes

from . import permissions, services
from .errors import ResidentialError
from .models import ResidentialProject, Status

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024

COLUMNS = {
    "region": ("区划代码", "division"),
    "name": ("项目名称", "居住区名称", "name"),
    "developer": ("开发建设单位", "建设单位", "developer"),
    "residents": ("规划居住人口", "居住人口", "residents"),
    "households": ("规划户数", "户数", "households"),
    "indoor_area": ("室内体育建筑面积（平方米）", "室内体育建筑面积", "indoor area"),
    "outdoor_area": ("室外体育用地面积（平方米）", "室外体育用地面积", "outdoor area"),
    "status": ("状态", "status"),
    "approved_on": ("规划批准日期", "批准日期", "approved on"),
    "completed_on": ("竣工日期", "completed on"),
    "note": ("备注", "note"),
    # Written by the export, read past by the import (the platform computes them).
    "compliant": ("是否达到配建标准",),
    "accepted_on": ("验收日期",),
    "shortfall_reason": ("未达标验收理由",),
}
IMPORTED = ("region", "name", "developer", "residents", "households", "indoor_area", "outdoor_area", "status",
            "approved_on", "completed_on", "note")
HEADERS = [heads[0] for heads in COLUMNS.values()]
STATUS_WORDS = {Status.PLANNING: "规划中", Status.APPROVED: "已批准", Status.BUILT: "已建成", Status.ACCEPTED: "已验收"}
COMPARED = ("developer", "residents", "households", "indoor_area", "outdoor_area", "status", "approved_on",
            "completed_on", "note")


def read(file):
    return tabular.read_columns(file, COLUMNS, required={"region", "name", "residents"}, expected=HEADERS[:4],
                                max_rows=MAX_ROWS, max_bytes=MAX_BYTES)


def _status_words() -> dict:
    return tabular.choice_words(Status, {v: k for k, v in STATUS_WORDS.items()})


def import_projects(actor, file, *, dry_run: bool = True, request=None) -> ImportReport:
    """Check (and unless `dry_run`, apply whole or not at all) a table of residential projects."""
    if not permissions.can_write(actor):
        raise ResidentialError("forbidden", _("Only division staff keep the residential register."), status=403)
    rows = read(file)
    report = report_for(rows, dry_run=dry_run, error=ResidentialError)
    words = _status_words()
    regions = {}  # code → division, looked up once for the whole file

    def plan(lock: bool):
        planned, seen = [], {}
        checked = []
        for row in rows:
            cells = {k: row.get(k) if row.get(k) is not None else "" for k in IMPORTED}
            cells = {k: v.strip() if isinstance(v, str) else v for k, v in cells.items()}
            item = RowReport(row["_line"], str(cells["name"])[:60])
            report.rows.append(item)
            try:
                text = str(cells["status"]).strip().lower()
                cells["status"] = words.get(text, text) if text else ""
                if cells["status"] == Status.ACCEPTED:
                    cells["status"] = "__accepted"
                region_text = str(cells["region"]).strip()
                cells["region"] = codes.pad(region_text) if codes.is_prefix(region_text) else region_text
                accepted = cells["status"] == "__accepted"
                values = services.project_values(
                    actor, {**cells, "status": Status.BUILT if accepted else cells["status"]}, regions)
            except ResidentialError as exc:
                item.errors.append(str(exc.message))
                item.action = "rejected"
                continue
            key = (values["region"].code, values["name"])
            if key in seen:
                item.errors.append(_("This project is also on line %(line)s.") % {"line": seen[key]})
                item.action = "rejected"
                continue
            seen[key] = item.line
            checked.append((item, key, values, accepted))
        names = {key[1] for _i, key, _v, _a in checked}
        existing_qs = scoping.scoped(actor, ResidentialProject.objects.filter(name__in=names), write=True)
        if lock and names:
            existing_qs = existing_qs.select_for_update()
        existing = {(p.region_id, p.name): p for p in existing_qs}
        for item, key, values, accepted in checked:
            old = existing.get(key)
            try:
                if old is None:
                    if accepted:
                        raise ResidentialError("accept_separately", _("Accept a built project on its page: the "
                                                                      "norm is checked there."))
                    planned.append((item, values, None))
                    continue
                if accepted:
                    values = {**values, "status": old.status}
                    if old.status != Status.ACCEPTED:
                        raise ResidentialError("accept_separately", _("Accept a built project on its page: the "
                                                                      "norm is checked there."))
                item.changes = [str(ResidentialProject._meta.get_field(k).verbose_name) for k in COMPARED
                                if getattr(old, k) != values[k]]
                if not item.changes:
                    item.action = "unchanged"
                    continue
                services.check_stage(old.status, values["status"])
            except ResidentialError as exc:
                item.errors.append(str(exc.message))
                item.action = "rejected"
                continue
            item.action = "updated"
            planned.append((item, values, old))
        return planned

    def apply(planned):
        for _item, values, old in planned:
            services.write_project(values, old)
        audit.record("residential.import", request=request, actor=actor,
                     detail={"rows": len(rows), "changed": len(report.changed)})

    return run(report, plan, apply, conflict=lambda: ResidentialError(
        "import_conflict", _("Someone changed these projects meanwhile: import the file again."), status=409))


def export_rows(projects) -> list[list]:
    out = []
    for p in projects:
        out.append([p.region_id, p.name, p.developer, p.residents, p.households if p.households is not None else "",
                    p.indoor_area, p.outdoor_area, STATUS_WORDS[p.status], p.approved_on or "", p.completed_on or "",
                    p.note, "是" if p.compliant else "否", p.accepted_on or "", p.shortfall_reason])
    return out


def xlsx_response(projects):
    return excel.xlsx_response(f"residential-projects-{timezone.localdate():%Y%m%d}.xlsx",
                               [(str(_("Residential projects")), HEADERS, export_rows(projects))])
