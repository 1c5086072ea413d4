"""Import of the instructor register from Excel (.xlsx) or CSV, read by the shared reader
(core.tabular): one row per person, matched by system ID, then by ID number (one person, one record).

Each row is checked as services check a form: the ID number and phone, a known division inside the
importer's area, a known grade the importer may approve (三级 county staff, 二级 city staff; 一级 and
国家级 recorded by city staff), known sports and statuses. A file is applied whole, in one
transaction, or not at all, and each bad row is reported by its line. The rows are written with
core.bulk (executemany, COPY on PostgreSQL): the issue asks for more than 5,000 rows a second.
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, crypto, scoping
from quanmin.accounts.idnumber import InvalidIdNumber
from quanmin.accounts.idnumber import parse as parse_id
from quanmin.accounts.phones import InvalidPhone, parse_phone
from quanmin.core import bulk
from quanmin.facilities import equipment_io
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import services
from .errors import PeopleError
from .io_sheet import BY_KEY, CHOICES, choice_map, read
from .models import APPROVER, GradeRecord, Instructor, sports_text

CHUNK = 500
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


# The equipment import's report (counts, rejected rows, as_dict) serves this register as it is.
ImportReport = equipment_io.ImportReport


def _err(report: RowReport, key: str, code: str, message) -> None:
    column = BY_KEY.get(key)
    report.errors.append({"column": column.label if column else "", "code": code, "message": str(message)})


def _choice(raw: dict, key: str, report: RowReport, default: str) -> str:
    value = str(raw.get(key, "") or "").strip()
    if not value:
        return default
    found = choice_map(key).get(value.lower())
    if found is None:
        message = (_("Unknown grade: write 三级, 二级, 一级 or 国家级.") if key == "grade"
                   else _("Unknown value: %(value)s.") % {"value": value[:30]})
        _err(report, key, f"{key}_unknown", message)
        return default
    return found


class _Context:
    """What every row needs once: the importer's approval rights and area, the divisions named."""

    def __init__(self, user, rows):
        self.user = user
        self.today = timezone.localdate()
        self.codes: dict = {}  # the division cells as typed → their 12-digit codes (each worked out once)
        wanted = {self.code(r.get("region", "")) for r in rows}
        self.regions = set(Region.objects.filter(code__in=[c for c in wanted if c])
                           .values_list("code", flat=True))
        self.levels: dict[tuple, bool] = {}
        self.scope: dict[str, bool] = {}

    def code(self, raw) -> str:
        found = self.codes.get(raw)
        if found is None:
            found = self.codes[raw] = services.code_of(raw)
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
    name = str(raw.get("real_name", "")).strip()
    report.name = name[:50]
    if not name or len(name) > 50:
        _err(report, "real_name", "name_required", _("Enter the real name (at most 50 characters)."))
    row = {"real_name": name}
    id_raw = str(raw.get("id_number", "")).strip()
    ident = raw.get("id", "")
    row["pk"] = None
    if ident not in ("", None):
        try:
            row["pk"] = int(ident)
        except (TypeError, ValueError):
            _err(report, "id", "id_invalid", _("Unknown system ID: leave it blank for a new person."))
    if "*" in id_raw and row["pk"] is not None:
        row["id_number"] = None  # a masked number from an export: the record keeps its own
    else:
        try:
            parsed = parse_id(id_raw)
            row.update(id_number=parsed.value, sex=parsed.sex, birth_date=parsed.birth_date)
        except InvalidIdNumber as exc:
            _err(report, "id_number", exc.code, exc.message)
    phone = str(raw.get("phone", "") or "").strip()
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
    row["grade"] = grade = _choice(raw, "grade", report, "")
    if not grade and not any(e["code"] == "grade_unknown" for e in report.errors):
        _err(report, "grade", "grade_unknown", _("Unknown grade: write 三级, 二级, 一级 or 国家级."))
    if grade and in_scope and not ctx.may_approve(grade, region):
        _err(report, "grade", "approval_above_level", _("A %(grade)s is approved at %(level)s level: you may not approve it.")
             % {"grade": choice_label("grade", grade), "level": choice_label("approval_level", APPROVER[grade])})
    row["approval_level"] = APPROVER[grade] if grade else ""
    row["kind"] = _choice(raw, "kind", report, Instructor.Kind.INSTRUCTOR)
    row["status"] = _choice(raw, "status", report, Instructor.Status.ACTIVE)
    if row["status"] not in (Instructor.Status.ACTIVE, Instructor.Status.LAPSED, Instructor.Status.REVOKED):
        _err(report, "status", "status_invalid", _("Choose active, lapsed or revoked."))
    sports = [s.strip() for s in str(raw.get("sports", "") or "").replace("，", "、").replace(",", "、").split("、")]
    found = [choice_map("sports").get(s.lower()) for s in sports if s]
    if None in found:
        _err(report, "sports", "sport_unknown", _("Unknown sport: %(sport)s.")
             % {"sport": next(s for s in sports if s and choice_map("sports").get(s.lower()) is None)[:30]})
    row["sports"] = sports_text(f for f in found if f)
    for key, limit in (("certificate_no", 40), ("association", 120)):
        row[key] = str(raw.get(key, "") or "").strip()
        if len(row[key]) > limit:
            _err(report, key, "text_too_long", _("At most %(n)s characters.") % {"n": limit})
    on = raw.get("approved_on", "")
    row["approved_on"] = None
    if isinstance(on, datetime.datetime):
        row["approved_on"] = on.date()
    elif on not in ("", None):
        try:
            row["approved_on"] = datetime.date.fromisoformat(str(on).strip().replace("/", "-"))
        except ValueError:
            _err(report, "approved_on", "date_invalid", _("Write the date as 2024-05-01."))
    if row["approved_on"] and row["approved_on"] > ctx.today:
        _err(report, "approved_on", "date_in_future", _("The date is in the future."))
    core = str(raw.get("core", "") or "").strip().lower()
    if core not in TRUE | FALSE:
        _err(report, "core", "boolean_invalid", _("Write 是 or 否 (yes or no)."))
    row["core"] = core in TRUE
    return row


def choice_label(key: str, code: str) -> str:
    return str(dict(CHOICES[key].choices).get(code, code))


def import_rows(file, *, user, dry_run: bool, request=None) -> ImportReport:
    rows = read(file)
    report = ImportReport(dry_run=dry_run, ignored_columns=list(rows.ignored))
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
    existing = _existing(parsed)
    for row, r in parsed:
        found = existing["pk"].get(row["pk"]) if row["pk"] is not None else existing["hash"].get(row.get("id_hash"))
        if row["pk"] is not None and found is None:
            _err(r, "id", "id_invalid", _("Unknown system ID: leave it blank for a new person."))
        elif found is not None:
            if row.get("id_hash") and row["id_hash"] != found.id_number_hash:
                other = existing["hash"].get(row["id_hash"])
                if other is not None:
                    _err(r, "id_number", "id_number_taken", _("This person is already registered: one person, one record."))
            if not scoping.can_write_region(user, found.region_id):
                _err(r, "id_number", "id_number_taken", _("This person is already registered: one person, one record."))
            r.action = "updated"
            row["obj"] = found
        if r.errors:
            r.action = "rejected"
    if report.ok and not dry_run:
        try:
            with transaction.atomic():
                _apply(parsed, user)
                audit.record("import", request=request, actor=user, detail={"model": "people.instructor", **report.counts})
        except IntegrityError:
            raise PeopleError("id_number_taken", _("This person is already registered: one person, one record."),
                              "file", status=409) from None
        report.applied = True
    return report


def _existing(parsed) -> dict:
    pks = [row["pk"] for row, _r in parsed if row["pk"] is not None]
    hashes = [row["id_hash"] for row, _r in parsed if row.get("id_hash")]
    out = {"pk": {}, "hash": {}}
    for start in range(0, len(pks), CHUNK):
        out["pk"].update({i.pk: i for i in Instructor.objects.filter(pk__in=pks[start:start + CHUNK])})
    for start in range(0, len(hashes), CHUNK):
        out["hash"].update({i.id_number_hash: i for i in Instructor.objects.filter(id_number_hash__in=hashes[start:start + CHUNK])})
    return out


FIELDS = ("real_name", "region_id", "kind", "grade", "certificate_no", "approval_level", "sports", "association",
          "status", "core")


def _apply(parsed, user) -> None:
    """Write the rows: new people as plain rows (no model instances: the 20,000-row bench spent a
    third of its time building them), changed ones by primary key, and a history row for each."""
    today = timezone.localdate()
    new, changed, history = [], [], []
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
    bulk.insert_values(Instructor, new)
    bulk.update_rows(changed, [*UPDATED, "id_number_hash", "id_number_enc", "sex", "birth_date", "updated_at"])
    ids: dict[str, int] = {}
    hashes = [values["id_number_hash"] for values in new]
    for start in range(0, len(hashes), CHUNK):
        ids.update(Instructor.objects.filter(id_number_hash__in=hashes[start:start + CHUNK])
                   .values_list("id_number_hash", "id"))
    by = user.pk if getattr(user, "is_authenticated", False) else None
    for values, pk in [*((v, ids[v["id_number_hash"]]) for v in new), *((vars(o), o.pk) for o in changed)]:
        history.append({"instructor_id": pk, "action": GradeRecord.Action.IMPORTED, "grade": values["grade"],
                        "certificate_no": values["certificate_no"], "approval_level": values["approval_level"],
                        "on": values["approved_on"], "by_id": by})
    bulk.insert_values(GradeRecord, history)
