"""The venues' safety register in and out of Excel (.xlsx or .csv), for the townships' and
counties' yearly round of safety responsibility letters (安全责任书).

One row per public venue: 场馆编号 (the platform's number of the site), 场馆名称, 所属区划, 安全责任单位,
安全责任人, 安全管理员, 应急预案备案日期, 最近消防安全检查日期, 公众责任险有效期至, 备注. The export writes every
public venue in scope, with or without a record, plus what is missing (缺项), which the import reads
past with the name and the division: staff fill in the blanks and import the file again. The headers
are the offices' format, so they stay in Chinese whatever the page's language.

Every row is checked first with the services' own rules (the venue in the user's write scope, the
texts' lengths, dates up to today, the insurance up to ten years ahead); the file is applied whole
or not at all, and the report names each bad row by its line.
"""


from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.core import excel, tabular
from quanmin.core.imports import ImportReport, RowReport, report_for, run
from quanmin.facilities.models import Site

from . import figures, permissions, selectors, services
from .errors import SafetyError
from .models import VenueSafety

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024

COLUMNS = {
    "site": ("场馆编号", "venue number"),
    "name": ("场馆名称", "venue"),
    "region": ("所属区划", "division"),
    "responsible_unit": ("安全责任单位", "responsible unit"),
    "responsible_person": ("安全责任人", "responsible person"),
    "safety_officer": ("安全管理员", "safety officer"),
    "emergency_plan_on": ("应急预案备案日期", "emergency plan filed on"),
    "fire_check_on": ("最近消防安全检查日期", "消防安全检查日期", "fire check"),
    "insured_until": ("公众责任险有效期至", "公众责任险到期日", "insured until"),
    "note": ("备注", "note"),
    "gaps": ("缺项",),  # written by the export, read past by the import
}
HEADERS = [heads[0] for heads in COLUMNS.values()]


def read(file):
    return tabular.read_columns(file, COLUMNS, required={"site", "responsible_unit"}, expected=HEADERS[:4],
                                max_rows=MAX_ROWS, max_bytes=MAX_BYTES)


def import_records(actor, file, *, dry_run: bool = True, request=None) -> ImportReport:
    """Check (and unless `dry_run`, apply whole or not at all) a table of venues' safety records."""
    if not permissions.can_write(actor):
        raise SafetyError("forbidden", _("Only division staff keep the venues' safety register."), status=403)
    rows = read(file)
    report = report_for(rows, dry_run=dry_run, error=SafetyError)

    def plan(lock: bool):
        ids = {str(r.get("site") or "").strip() for r in rows}
        sites = scoping.scoped(actor, Site.objects.filter(figures.public_q(), pk__in=[int(i) for i in ids
                                                                                       if i.isdigit() and len(i) < 12]),
                               write=True).select_related("region")
        sites = {str(s.pk): s for s in sites}
        records = VenueSafety.objects.filter(site_id__in=[s.pk for s in sites.values()])
        if lock:
            records = records.select_for_update()
        records = {r.site_id: r for r in records}
        planned, seen = [], {}
        for row in rows:
            key = str(row.get("site") or "").strip()
            item = RowReport(row["_line"], str(row.get("name") or key)[:60])
            report.rows.append(item)
            site = sites.get(key)
            try:
                if site is None:
                    raise SafetyError("site_unknown", _("No public venue of this number in your divisions."), "site")
                if key in seen:
                    raise SafetyError("site_twice", _("This venue is also on line %(line)s.") % {"line": seen[key]})
                seen[key] = item.line
                values = services.record_values({k: row.get(k) for k in services.RECORD_FIELDS})
            except SafetyError as exc:
                item.errors.append(str(exc.message))
                item.action = "rejected"
                continue
            item.name = site.name[:60]
            old = records.get(site.pk)
            if old is not None:
                item.changes = [str(VenueSafety._meta.get_field(k).verbose_name) for k in services.RECORD_FIELDS
                                if getattr(old, k) != values[k]]
                if not item.changes:
                    item.action = "unchanged"
                    continue
                item.action = "updated"
            planned.append((site, values))
        return planned

    def apply(planned):
        for site, values in planned:
            services.write_record(site, values, actor)
        audit.record("safety.import", request=request, actor=actor,
                     detail={"rows": len(rows), "changed": len(report.changed)})

    return run(report, plan, apply, conflict=lambda: SafetyError(
        "import_conflict", _("Someone changed these records meanwhile: import the file again."), status=409))


def export_rows(sites) -> list[list]:
    today = timezone.localdate()
    out = []
    for s in sites:
        r = selectors.record_of(s)
        values = [getattr(r, k) or "" for k in services.RECORD_FIELDS] if r else [""] * len(services.RECORD_FIELDS)
        out.append([s.pk, s.name, s.region.name, *values, "、".join(figures.gaps_of(r, today))])
    return out


def xlsx_response(sites):
    return excel.xlsx_response(f"venue-safety-{timezone.localdate():%Y%m%d}.xlsx",
                               [(str(_("Venue safety register")), HEADERS, export_rows(sites))])
