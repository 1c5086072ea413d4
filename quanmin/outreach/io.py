"""The lecture register in and out of Excel (.xlsx or .csv), for the bureaus' yearly tables.

One row per lecture: 区划代码, 讲座题目, 开始时间 (the city's local time, 2026-03-14 09:30), 时长（分钟）,
地点, 主讲人, 主办单位, 主题类别, 报名名额, 听众人数, 状态. The headers are the data format offices exchange,
so they stay in Chinese whatever the page's language; the export writes the same columns, so a file
exported, corrected and imported again changes what was corrected.

A row is the lecture of its division, start and title when one exists (then corrected), else a new
one; 听众人数 is recorded for a lecture that has started. Every row goes through the services (scope,
places not below the sign-ups, one lecture per division, start and title); the file is applied whole
or not at all and the report names each bad row by its line. Cancelling is not done by file: a
cancelled lecture's row is left as it is.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit
from quanmin.core import excel, imports, tabular

from . import permissions, services
from .errors import OutreachError
from .models import Lecture, LectureStatus, Topic

MAX_ROWS = 5_000
MAX_BYTES = 5 * 1024 * 1024

COLUMNS = {
    "region": ("区划代码", "division"),
    "title": ("讲座题目", "题目", "title"),
    "starts_at": ("开始时间", "时间", "starts at"),
    "minutes": ("时长（分钟）", "时长", "minutes"),
    "place": ("地点", "place"),
    "speaker": ("主讲人", "speaker"),
    "organiser": ("主办单位", "organiser"),
    "topic": ("主题类别", "类别", "topic"),
    "capacity": ("报名名额", "名额", "capacity"),
    "audience": ("听众人数", "audience"),
    "status": ("状态", "status"),
}
HEADERS = [heads[0] for heads in COLUMNS.values()]
FIELDS = ("title", "topic", "starts_at", "minutes", "place", "speaker", "organiser", "capacity")


@dataclass
class RowReport:
    line: int
    lecture: str = ""
    action: str = "new"
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def read(file):
    return tabular.read_columns(file, COLUMNS, required={"region", "title", "starts_at"}, expected=HEADERS[:3],
                                max_rows=MAX_ROWS, max_bytes=MAX_BYTES)


def _topics() -> dict[str, str]:
    return tabular.choice_words(Topic)


def import_lectures(actor, file, *, dry_run: bool = True, request=None) -> imports.ImportReport:
    """Check (and unless `dry_run`, apply whole or not at all) a table of lectures."""
    if not permissions.can_write(actor):
        raise OutreachError("forbidden", _("Only division staff keep the lecture register."), status=403)
    rows = read(file)
    report = imports.report_for(rows, dry_run=dry_run, error=OutreachError)
    topics = _topics()
    now = timezone.now()

    def write_rows():
        seen = {}
        for row in rows:
            cells = {k: row.get(k) if row.get(k) is not None else "" for k in COLUMNS}
            cells = {k: v.strip() if isinstance(v, str) else v for k, v in cells.items()}
            item = RowReport(row["_line"], str(cells["title"])[:60])
            report.rows.append(item)
            try:
                cells["topic"] = topics.get(str(cells["topic"]).lower(), cells["topic"])
                values = services.lecture_values(actor, cells)
                key = (values["region"].code, values["starts_at"], values["title"])
                if key in seen:
                    raise OutreachError("row_twice", _("The same lecture is also on line %(line)s.")
                                        % {"line": seen[key]})
                seen[key] = item.line
                old = Lecture.objects.filter(region=values["region"], starts_at=values["starts_at"],
                                             title=values["title"]).first()
                if old is not None:
                    item.changes = [str(Lecture._meta.get_field(k).verbose_name) for k in FIELDS
                                    if getattr(old, k) != values[k]]
                    item.action = "updated" if item.changes else "unchanged"
                    if old.status == LectureStatus.CANCELLED:
                        if item.changes:
                            raise OutreachError("lecture_cancelled", _("This lecture was cancelled."))
                        continue
                    if item.changes:
                        services.save_lecture(actor, cells, old)
                lecture = old if old is not None else services.save_lecture(actor, cells)
                audience = cells["audience"]
                if audience not in ("", None) and lecture.starts_at <= now:
                    found = services.number(audience, "audience", str(Lecture._meta.get_field("audience").verbose_name),
                                            10**6)
                    if found != lecture.audience:
                        services.record_audience(actor, lecture, found)
                        if item.action == "unchanged":
                            item.action = "updated"
                        item.changes.append(str(Lecture._meta.get_field("audience").verbose_name))
            except OutreachError as exc:
                item.errors.append(str(exc.message))
                item.action = "rejected"
        audit.record("outreach.import", request=request, actor=actor,
                     detail={"rows": len(rows), "changed": len(report.changed), "dry_run": dry_run})

    return imports.run_each(report, write_rows, conflict=lambda: OutreachError(
        "import_conflict", _("Someone changed these lectures meanwhile: import the file again."), status=409))


def export_rows(lectures) -> list[list]:
    return [[x.region_id, x.title, excel.local(x.starts_at).strftime("%Y-%m-%d %H:%M"), x.minutes, x.place, x.speaker,
             x.organiser, x.get_topic_display(), x.capacity, x.audience, x.get_status_display()] for x in lectures]


def xlsx_response(lectures):
    return excel.xlsx_response(f"outreach-lectures-{timezone.localdate():%Y%m%d}.xlsx",
                               [(str(_("Lectures")), HEADERS, export_rows(lectures))])
