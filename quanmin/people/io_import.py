"""Import of the instructor register from Excel (.xlsx) or CSV, read by the shared reader
(core.tabular): one row per person, matched by system ID, then by ID number (one person, one record).

Each row is checked as services check a form: the ID number and phone, a known division inside the
importer's area, a known grade the importer may approve (三级 county staff, 二级 city staff; 一级 and
国家级 recorded by city staff), known sports and statuses. A file is applied whole, in one
transaction, or not at all, and each bad row is reported by its line (core.imports.run).

Speed (the issue asks for more than 5,000 rows/s, reading included; bench/people.py): the cells a
register repeats (grade, type, status, sports, date, organisation, core flag) are checked once per
distinct value of their column (_COLUMNS); people are matched in two queries (core.bulk.any_of); new
people are written as plain values whose keys come back for their history rows (core.bulk). On the
bench's 20,000 rows checking took 0.5 s of CPU before the cells were memoised, 0.33 after, and the
whole import 2.0 s before these changes, 1.7 after (the bench's file profiled before and after on
the same loaded machine; bench/people.py prints each phase's CPU).
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, crypto, scoping
from quanmin.accounts.idnumber import InvalidIdNumber
from quanmin.accounts.idnumber import parse as parse_id
from quanmin.accounts.phones import InvalidPhone, parse_phone
from quanmin.core import bulk, imports
from quanmin.core.imports import ImportReport
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import services
from .errors import PeopleError
from .io_sheet import BY_KEY, CHOICES, choice_map, read
from .models import APPROVER, GradeRecord, Instructor, sports_text

TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "骨干"}
FALSE = {"否", "n", "no", "false", "0", "×", ""}
UPDATED = ("real_name", "phone_hash", "phone_enc", "region_id", "kind", "grade", "certificate_no", "approval_level",
           "approved_on", "sports", "association", "status", "core")


@dataclass
class RowReport:
    line: int
    action: str  # new, updated, rejected
    name: str = ""
    errors: list[dict] = field(default_factory=list)


def _problem(key: str, code: str, message) -> dict:
    """An error as the report shows it, under its column's header."""
    column = BY_KEY.get(key)
    return {"column": column.label if column else "", "code": code, "message": str(message)}


def _err(report: RowReport, key: str, code: str, message) -> None:
    report.errors.append(_problem(key, code, message))


# ---------------------------------------------------------------- cells a register repeats


class _Bad(Exception):
    def __init__(self, code: str, message):
        super().__init__(code)
        self.code, self.message = code, message


def _text(value) -> str:
    return str(value if value is not None else "").strip()


def _choice(key: str, default: str):
    def convert(value) -> str:
        text = _text(value)
        if not text:
            return default
        found = choice_map(key).get(text.lower())
        if found is None:
            raise _Bad(f"{key}_unknown", _("Unknown grade: write 三级, 二级, 一级 or 国家级.") if key == "grade"
                       else _("Unknown value: %(value)s.") % {"value": text[:30]})
        return found
    return convert


def _grade(value) -> str:
    grade = _choice("grade", "")(value)
    if not grade:
        raise _Bad("grade_unknown", _("Unknown grade: write 三级, 二级, 一级 or 国家级."))
    return grade


def _status(value) -> str:
    status = _choice("status", Instructor.Status.ACTIVE)(value)
    if status not in (Instructor.Status.ACTIVE, Instructor.Status.LAPSED, Instructor.Status.REVOKED):
        raise _Bad("status_invalid", _("Choose active, lapsed or revoked."))
    return status


def _sports(value) -> str:
    sports = [s.strip() for s in _text(value).replace("，", "、").replace(",", "、").split("、")]
    found = [choice_map("sports").get(s.lower()) for s in sports if s]
    if None in found:
        unknown = next(s for s in sports if s and choice_map("sports").get(s.lower()) is None)
        raise _Bad("sport_unknown", _("Unknown sport: %(sport)s.") % {"sport": unknown[:30]})
    return sports_text(found)


def _limited(limit: int):
    def convert(value) -> str:
        text = _text(value)
        if len(text) > limit:
            raise _Bad("text_too_long", _("At most %(n)s characters.") % {"n": limit})
        return text
    return convert


def _date(value):
    if isinstance(value, datetime.datetime):
        on = value.date()
    elif value in ("", None):
        return None
    else:
        try:
            on = datetime.date.fromisoformat(str(value).strip().replace("/", "-"))
        except ValueError:
            raise _Bad("date_invalid", _("Write the date as 2024-05-01.")) from None
    if on > timezone.localdate():
        raise _Bad("date_in_future", _("The date is in the future."))
    return on


def _core(value) -> bool:
    text = _text(value).lower()
    if text not in TRUE | FALSE:
        raise _Bad("boolean_invalid", _("Write 是 or 否 (yes or no)."))
    return text in TRUE


# Column → its converter and the value a bad cell leaves (the row is rejected anyway).
_COLUMNS = {"grade": (_grade, ""), "kind": (_choice("kind", Instructor.Kind.INSTRUCTOR), Instructor.Kind.INSTRUCTOR),
            "status": (_status, Instructor.Status.ACTIVE), "sports": (_sports, ""),
            "certificate_no": (_limited(40), ""), "association": (_limited(120), ""), "approved_on": (_date, None),
            "core": (_core, False)}


class _Context:
    """What every row needs once: the importer's approval rights and area, the divisions named, and
    each column's cells checked so far."""

    def __init__(self, user, rows):
        self.user = user
        self.codes: dict = {}  # the division cells as typed → their 12-digit codes (each worked out once)
        wanted = {self.code(r.get("region", "")) for r in rows}
        self.regions = set(Region.objects.filter(bulk.any_of("code", [c for c in wanted if c]))
                           .values_list("code", flat=True))
        self.levels: dict[tuple, bool] = {}
        self.scope: dict[str, bool] = {}
        self.cells: dict[str, dict] = {key: {} for key in _COLUMNS}

    def code(self, raw) -> str:
        found = self.codes.get(raw)
        if found is None:
            found = self.codes[raw] = services.code_of(raw)
        return found

    def cell(self, key: str, value) -> tuple:
        """(value, error or None), worked out once per distinct cell of the column."""
        done = self.cells[key]
        found = done.get((value, value.__class__))
        if found is None:
            convert, fallback = _COLUMNS[key]
            try:
                found = (convert(value), None)
            except _Bad as bad:
                found = (fallback, _problem(key, bad.code, bad.message))
            done[value, value.__class__] = found
        return found

    def may_approve(self, grade: str, region: str) -> bool:
        key = (grade, codes.prefix_at(region, "county"))
        if key not in self.levels:
            self.levels[key] = services.can_approve(self.user, grade, region)
        return self.levels[key]

    def in_scope(self, region: str) -> bool:
        if region not in self.scope:
            self.scope[region] = scoping.can_write_region(self.user, region)
        return self.scope[region]


def _parse(raw: dict, ctx: _Context, report: RowReport) -> dict:
    name = _text(raw.get("real_name", ""))
    report.name = name[:50]
    if not name or len(name) > 50:
        _err(report, "real_name", "name_required", _("Enter the real name (at most 50 characters)."))
    row = {"real_name": name, "pk": None}
    ident = raw.get("id", "")
    if ident not in ("", None):
        try:
            row["pk"] = int(ident)
        except (TypeError, ValueError):
            _err(report, "id", "id_invalid", _("Unknown system ID: leave it blank for a new person."))
    id_raw = _text(raw.get("id_number", ""))
    if "*" in id_raw and row["pk"] is not None:
        row["id_number"] = None  # a masked number from an export: the record keeps its own
    else:
        try:
            parsed = parse_id(id_raw)
            row.update(id_number=parsed.value, sex=parsed.sex, birth_date=parsed.birth_date)
        except InvalidIdNumber as exc:
            _err(report, "id_number", exc.code, exc.message)
    phone = _text(raw.get("phone", ""))
    row["phone"] = None if "*" in phone else ""
    if phone and "*" not in phone:
        try:
            row["phone"] = parse_phone(phone)
        except InvalidPhone as exc:
            _err(report, "phone", exc.code, exc.message)
    region = ctx.code(raw.get("region", ""))
    in_scope = False
    if region not in ctx.regions:
        _err(report, "region", "region_unknown", _("Unknown division code: %(code)s.") % {"code": str(raw.get("region", ""))[:20]})
    elif not ctx.in_scope(region):
        _err(report, "region", "region_out_of_scope", _("This division is outside your area."))
    else:
        in_scope = True
    row["region_id"] = region
    for key in _COLUMNS:
        row[key], error = ctx.cell(key, raw.get(key, ""))
        if error:
            report.errors.append(error)
    grade = row["grade"]
    if grade and in_scope and not ctx.may_approve(grade, region):
        _err(report, "grade", "approval_above_level", _("A %(grade)s is approved at %(level)s level: you may not approve it.")
             % {"grade": choice_label("grade", grade), "level": choice_label("approval_level", APPROVER[grade])})
    row["approval_level"] = APPROVER[grade] if grade else ""
    return row


def choice_label(key: str, code: str) -> str:
    return str(dict(CHOICES[key].choices).get(code, code))


def import_rows(file, *, user, dry_run: bool, request=None) -> ImportReport:
    rows = read(file)
    report = ImportReport(dry_run=dry_run, ignored_columns=list(rows.ignored))

    def apply(parsed) -> None:
        _apply(parsed, user)
        audit.record("import", request=request, actor=user, detail={"model": "people.instructor", **report.counts})

    return imports.run(report, lambda lock: _plan(rows, user, report, lock), apply,
                       conflict=lambda: PeopleError("id_number_taken", _(
                           "This person is already registered: one person, one record."), "file", status=409))


def _plan(rows, user, report: ImportReport, lock: bool) -> list[tuple[dict, RowReport]]:
    ctx = _Context(user, rows)
    parsed = []
    for raw in rows:
        r = RowReport(line=raw["_line"], action="new")
        parsed.append((_parse(raw, ctx, r), r))
        report.rows.append(r)
    hashes = {}
    for row, r in parsed:
        if row.get("id_number"):
            row["id_hash"] = crypto.lookup_hash(row["id_number"])
            if row["id_hash"] in hashes:
                _err(r, "id_number", "id_number_duplicate", _("The same ID number is on line %(line)s: one person, one record.")
                     % {"line": hashes[row["id_hash"]]})
            hashes.setdefault(row["id_hash"], r.line)
    existing = _existing(parsed, lock)
    for row, r in parsed:
        found = existing["pk"].get(row["pk"]) if row["pk"] is not None else existing["hash"].get(row.get("id_hash"))
        if row["pk"] is not None and found is None:
            _err(r, "id", "id_invalid", _("Unknown system ID: leave it blank for a new person."))
        elif found is not None:
            if row.get("id_hash") and row["id_hash"] != found.id_number_hash:
                other = existing["hash"].get(row["id_hash"])
                if other is not None:
                    _err(r, "id_number", "id_number_taken", _("This person is already registered: one person, one record."))
            if not ctx.in_scope(found.region_id):
                _err(r, "id_number", "id_number_taken", _("This person is already registered: one person, one record."))
            r.action = "updated"
            row["obj"] = found
        if r.errors:
            r.action = "rejected"
    return parsed


def _existing(parsed, lock: bool) -> dict:
    """The people the rows name, by system ID and by ID number: two queries (locked when applying)."""
    people = Instructor.objects.select_for_update() if lock else Instructor.objects.all()
    pks = {row["pk"] for row, _r in parsed if row["pk"] is not None}
    hashes = {row["id_hash"] for row, _r in parsed if row.get("id_hash")}
    out = {"pk": {}, "hash": {}}
    if pks:
        out["pk"] = {i.pk: i for i in people.filter(bulk.any_of("pk", pks))}
    if hashes:
        out["hash"] = {i.id_number_hash: i for i in people.filter(bulk.any_of("id_number_hash", hashes))}
    return out


FIELDS = ("real_name", "region_id", "kind", "grade", "certificate_no", "approval_level", "sports", "association",
          "status", "core")


def _apply(parsed, user) -> None:
    """Write the rows: new people as plain rows (no model instances: the 20,000-row bench spent a
    third of its time building them) whose keys come back, changed ones by primary key, and a
    history row for each."""
    today = timezone.localdate()
    new, changed = [], []
    for row, _r in parsed:
        obj = row.get("obj")
        values = {key: row[key] for key in FIELDS}
        values["approved_on"] = row["approved_on"] or (obj.approved_on if obj else None) or today
        if obj is None or row.get("id_number"):
            values.update(id_number_hash=row["id_hash"], id_number_enc=crypto.encrypt(row["id_number"]),
                          sex=row["sex"], birth_date=row["birth_date"])
        if row["phone"] is not None:
            values.update(phone_hash=crypto.lookup_hash(row["phone"]), phone_enc=crypto.encrypt(row["phone"]))
        if obj is None:
            new.append(values)
        else:
            for key, value in values.items():
                setattr(obj, key, value)
            changed.append(obj)
    keys = bulk.insert_values(Instructor, new, ids=True)
    bulk.update_rows(changed, [*UPDATED, "id_number_hash", "id_number_enc", "sex", "birth_date", "updated_at"])
    by = user.pk if getattr(user, "is_authenticated", False) else None
    bulk.insert_values(GradeRecord, [
        {"instructor_id": pk, "action": GradeRecord.Action.IMPORTED, "grade": values["grade"],
         "certificate_no": values["certificate_no"], "approval_level": values["approval_level"],
         "on": values["approved_on"], "by_id": by}
        for values, pk in [*zip(new, keys, strict=True), *((vars(o), o.pk) for o in changed)]])
