"""The station register in and out of Excel (.xlsx or .csv): guidance stations and fitness points (B08).

One row per station: 系统编号 (empty for a new one), 站点名称, 类型 (健身指导站 / 健身站点), 区划代码, 场地编号,
项目 (、 between them), 活动时间, 值守指导员证书编号 (、 between them), 组织编号 (the same station in the
organisations' register, when it is there too), 状态 (启用 / 停用). The headers are the format offices
exchange, so they stay in Chinese whatever the page's language; the export writes the same columns,
so a file exported, corrected and imported again changes what was corrected.

A row is the station of its system ID (in the importer's area), else the station of the same name in
the same division, else a new one. Every row goes through stations.save_station (scope, county of
the site and of the instructors, the organisation); the file is applied whole or not at all, and the
report names each bad row by its line, in the page's language. Booking sessions are not imported:
they are added on the station's page.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from quanmin.accounts import audit, scoping
from quanmin.core import excel, imports, tabular
from quanmin.regions import codes

from . import permissions, stations
from .errors import PeopleError
from .models import Instructor, Sport, Station
from .services import check_region

MAX_ROWS = 5_000
MAX_BYTES = 5 * 1024 * 1024

COLUMNS = {
    "id": ("系统编号", "id"),
    "name": ("站点名称", "名称", "name"),
    "kind": ("类型", "kind"),
    "region": ("区划代码", "division"),
    "site": ("场地编号", "site"),
    "sports": ("项目", "sports"),
    "times": ("活动时间", "times"),
    "instructors": ("值守指导员证书编号", "值守指导员", "instructors"),
    "organization": ("组织编号", "organization"),
    "active": ("状态", "status"),
}
HEADERS = [heads[0] for heads in COLUMNS.values()]
NAMES = {tabular.norm_header(h): key for key, heads in COLUMNS.items() for h in (*heads, key)}
ACTIVE = {"启用": True, "在用": True, "active": True, "": True, "停用": False, "inactive": False}
FIELDS = ("name", "kind", "region_id", "site_id", "sports", "times", "organization_id", "active")


def _split(value) -> list[str]:
    text = str(value if value is not None else "").replace("，", "、").replace(",", "、").replace(";", "、")
    return [part.strip() for part in text.split("、") if part.strip()]


def read(file):
    return tabular.read_rows(file, names=NAMES, label=lambda k: COLUMNS[k][0],
                             is_header=lambda keys: {"name", "region"} <= keys,
                             expected=HEADERS[1:4], max_rows=MAX_ROWS, max_bytes=MAX_BYTES)


def _number(value, key: str) -> int | None:
    text = str(value if value is not None else "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text:
        return None
    if not text.isdigit():
        raise PeopleError(f"{key}_invalid", _("%(column)s: write a system number.") % {"column": COLUMNS[key][0]}, key)
    return int(text)


def _values(cells: dict, kinds: dict, sports: dict) -> dict:
    """A row's cells as save_station takes them; the instructors by certificate number."""
    kind = kinds.get(str(cells["kind"]).strip().lower()) if str(cells["kind"]).strip() else Station.Kind.GUIDANCE
    if kind is None:
        raise PeopleError("kind_unknown", _("Unknown kind: write 健身指导站 or 健身站点."), "kind")
    found = []
    for word in _split(cells["sports"]):
        code = sports.get(word.lower())
        if code is None:
            raise PeopleError("sport_unknown", _("Unknown sport: %(sport)s.") % {"sport": word[:30]}, "sports")
        found.append(code)
    active = ACTIVE.get(str(cells["active"]).strip().lower())
    if active is None:
        raise PeopleError("status_invalid", _("Status: write 启用 or 停用."), "active")
    region = check_region(cells["region"]).code
    certificates = _split(cells["instructors"])
    people = dict(Instructor.objects.filter(certificate_no__in=certificates, status=Instructor.Status.ACTIVE,
                                            region__code__within=codes.prefix_at(region, "county"))
                  .values_list("certificate_no", "pk"))
    missing = [c for c in certificates if c not in people]
    if missing:
        raise PeopleError("instructor_unknown", _("No active instructor of the station's county holds certificate "
                                                  "%(number)s.") % {"number": missing[0][:40]}, "instructors")
    return {"name": str(cells["name"]).strip(), "kind": kind, "region": region, "site": _number(cells["site"], "site"),
            "sports": found, "times": str(cells["times"] or "").strip(), "instructors": list(people.values()),
            "organization": _number(cells["organization"], "organization"), "active": active}


def import_stations(actor, file, *, dry_run: bool = True, request=None) -> imports.ImportReport:
    """Check (and unless `dry_run`, apply whole or not at all) a table of stations."""
    if not permissions.can_write(actor):
        raise PeopleError("forbidden", _("Only division staff keep the station register."), status=403)
    rows = read(file)
    if not rows:
        raise PeopleError("table_empty", _("The table has no rows."), "file")
    report = imports.ImportReport(dry_run=dry_run, ignored_columns=list(getattr(rows, "ignored", [])))
    kinds = tabular.choice_words(Station.Kind, {"指导站": Station.Kind.GUIDANCE, "站点": Station.Kind.POINT})
    sports = tabular.choice_words(Sport)
    mine = scoping.scoped(actor, Station.objects.all(), write=True)

    def write_rows():
        seen: dict[tuple, int] = {}
        for row in rows:
            cells = {k: row.get(k) if row.get(k) is not None else "" for k in COLUMNS}
            item = imports.RowReport(row["_line"], str(cells["name"]).strip()[:60])
            report.rows.append(item)
            try:
                values = _values(cells, kinds, sports)
                key = (values["region"], values["name"])
                if key in seen:
                    raise PeopleError("row_twice", _("The same station is also on line %(line)s.") % {"line": seen[key]})
                seen[key] = item.line
                pk = _number(cells["id"], "id")
                old = mine.filter(pk=pk).first() if pk else mine.filter(region_id=values["region"],
                                                                          name=values["name"]).first()
                if pk and old is None:
                    raise PeopleError("station_unknown", _("No station of your area has system number %(id)s.")
                                      % {"id": pk}, "id")
                before = {f: getattr(old, f) for f in FIELDS} if old else None
                people_before = set(old.instructors.values_list("pk", flat=True)) if old else None
                saved = stations.save_station(values, by=actor, station=old, request=request)
                if old is not None:
                    item.changes = [str(Station._meta.get_field(f.removesuffix("_id")).verbose_name) for f in FIELDS
                                    if getattr(saved, f) != before[f]]
                    if set(values["instructors"]) != people_before:
                        item.changes.append(str(Station._meta.get_field("instructors").verbose_name))
                    item.action = "updated" if item.changes else "unchanged"
            except PeopleError as exc:
                item.errors.append(str(exc.message))
                item.action = "rejected"
        audit.record("people.stations_import", request=request, actor=actor,
                     detail={"rows": len(rows), "changed": len(report.changed), "dry_run": dry_run})

    return imports.run_each(report, write_rows, conflict=lambda: PeopleError(
        "import_conflict", _("Someone changed these stations meanwhile: import the file again."), status=409))


def export_rows(found) -> list[list]:
    with override("zh-hans"):
        kinds = {k: str(label) for k, label in Station.Kind.choices}
        rows = []
        for s in found.prefetch_related("instructors"):
            rows.append([s.pk, s.name, kinds[s.kind], s.region_id, s.site_id or "", "、".join(s.sport_labels), s.times,
                         "、".join(i.certificate_no for i in s.instructors.all() if i.certificate_no),
                         s.organization_id or "", "启用" if s.active else "停用"])
    return rows


def xlsx_response(found):
    return excel.xlsx_response(f"stations-{timezone.localdate():%Y%m%d}.xlsx", [("健身站点", HEADERS, export_rows(found))])


def template_response():
    example = ["", "东关社区太极拳健身指导站", "健身指导站", "371502001001", "", "太极拳、健身气功", "每天 6:30-8:00",
               "SD2024-0001", "", "启用"]
    help_rows = [["系统编号", "选填：导出的编号，据此更正原站点；新站点留空"], ["站点名称", "必填"],
                 ["类型", "健身指导站 或 健身站点"], ["区划代码", "必填，12位统计用区划代码"],
                 ["场地编号", "选填：场地的系统编号"], ["项目", "选填，多个以、分隔"],
                 ["值守指导员证书编号", "选填，本县（区）在岗指导员的证书编号，多个以、分隔"],
                 ["组织编号", "选填：体育组织名录中同一健身站点的系统编号，关联后只计一次"], ["状态", "启用 或 停用"]]
    return excel.xlsx_response("stations-template.xlsx", [("健身站点", HEADERS, [example]),
                                                          ("填写说明", ["列", "说明"], help_rows)])
