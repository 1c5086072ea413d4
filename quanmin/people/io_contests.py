"""A skills contest's results in and out of Excel (.xlsx or .csv) (技能大比武, B12).

One row per person: 姓名, then who it is — 系统ID (the register's, as its export carries it), else
身份证号, else 证书编号 — then 名次 and 奖项. The name must be the register's name of the person found,
so that a number typed wrong does not credit someone else. A person already in the contest has the
result corrected. Every row goes through pools.save_contest_result (scope, the contest held, the
place a number from 1); the file is applied whole or not at all, each bad row reported by its line.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.core import excel, imports, tabular

from . import permissions, pools
from .errors import PeopleError
from .models import Contest, Instructor
from .services import id_hash

MAX_ROWS = 5_000
MAX_BYTES = 5 * 1024 * 1024

COLUMNS = {
    "real_name": ("姓名", "name"),
    "id": ("系统ID", "系统编号", "system id"),
    "id_number": ("身份证号", "身份证", "id number"),
    "certificate_no": ("证书编号", "certificate number"),
    "rank": ("名次", "place"),
    "award": ("奖项", "award"),
}
HEADERS = [heads[0] for heads in COLUMNS.values()]


def read(file):
    try:
        return tabular.read_columns(file, COLUMNS, required={"real_name"}, expected=HEADERS[:1],
                                    max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    except tabular.TableError as exc:
        raise PeopleError(exc.code, exc.message, "file", status=exc.status) from None


def _cell(row, key: str) -> str:
    text = str(row.get(key) if row.get(key) is not None else "").strip()
    return text[:-2] if key in ("id", "rank") and text.endswith(".0") else text


def _person(cells: dict, people) -> Instructor:
    if cells["id"]:
        if not cells["id"].isdigit():
            raise PeopleError("id_invalid", _("%(column)s: write a system number.") % {"column": "系统ID"}, "id")
        found = people.filter(pk=int(cells["id"])).first()
    elif cells["id_number"]:
        found = people.filter(id_number_hash=id_hash(cells["id_number"])).first()
    elif cells["certificate_no"]:
        found = people.filter(certificate_no=cells["certificate_no"]).first()
    else:
        raise PeopleError("person_required", _("Give the person's system ID, ID number or certificate number."),
                          "id_number")
    if found is None:
        raise PeopleError("instructor_unknown", _("No one of your area's register matches this row."), "id_number")
    if found.real_name != cells["real_name"]:
        raise PeopleError("name_mismatch", _("The register names this person %(name)s.") % {"name": found.real_name},
                          "real_name")
    return found


def _rank(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise PeopleError("rank_invalid", _("A place is a number from 1."), "rank")
    return int(text)


def import_results(contest: Contest, actor, file, *, dry_run: bool = True, request=None) -> imports.ImportReport:
    """Check (and unless `dry_run`, apply whole or not at all) a table of a contest's results."""
    if not permissions.can_write(actor) or not scoping.can_write_region(actor, contest.region_id):
        raise PeopleError("forbidden", _("Only the contest's division staff record its results."), status=403)
    rows = read(file)
    if not rows:
        raise PeopleError("table_empty", _("The table has no rows."), "file")
    report = imports.ImportReport(dry_run=dry_run, ignored_columns=list(getattr(rows, "ignored", [])))
    people = scoping.scoped(actor, Instructor.objects.all())

    def write_rows():
        seen: dict[int, int] = {}
        for row in rows:
            cells = {key: _cell(row, key) for key in COLUMNS}
            item = imports.RowReport(row["_line"], cells["real_name"][:60])
            report.rows.append(item)
            try:
                person = _person(cells, people)
                if person.pk in seen:
                    raise PeopleError("row_twice", _("The same person is also on line %(line)s.")
                                      % {"line": seen[person.pk]})
                seen[person.pk] = item.line
                _found, item.action = pools.save_contest_result(contest, person, rank=_rank(cells["rank"]),
                                                                award=cells["award"], by=actor, request=request)
            except PeopleError as exc:
                item.errors.append(str(exc.message))
                item.action = "rejected"
        audit.record("people.contest_import", request=request, actor=actor, obj=contest,
                     detail={"rows": len(rows), "changed": len(report.changed), "dry_run": dry_run})

    return imports.run_each(report, write_rows, conflict=lambda: PeopleError(
        "import_conflict", _("Someone recorded results meanwhile: import the file again."), status=409))


def xlsx_response(contest: Contest):
    """The contest's results in the import's columns (ID numbers left out: the system ID finds the person)."""
    rows = [[r.instructor.real_name, r.instructor_id, "", r.instructor.certificate_no, r.rank or "", r.award]
            for r in contest.results.select_related("instructor").order_by("rank", "id")]
    help_rows = [["姓名", "必填，须与登记的姓名一致"], ["系统ID", "选填：指导员登记的系统ID"],
                 ["身份证号", "选填：无系统ID时据此查找"], ["证书编号", "选填：无系统ID、身份证号时据此查找"],
                 ["名次", "选填，从1起的整数"], ["奖项", "选填，如 一等奖"]]
    return excel.xlsx_response(f"contest-{contest.pk}-{timezone.localdate():%Y%m%d}.xlsx",
                               [("技能大比武成绩", HEADERS, rows), ("填写说明", ["列", "说明"], help_rows)])
