"""Every write of the National Physical Exercise Standard (国家体育锻炼标准): test sessions a division
organises, each person's grade as the testing station gave it, certificates (达标证书) for grades at
达标 or better, annulment (the certificate is revoked), and the session's Excel in and out.

Quanmin does not score this standard (exercise.grade_for: the grade is taken as entered). A grade is
health data: it needs the person's consent, as a physique result does (services.has_health_consent),
and it is stored encrypted. Pages, the API, the demo and imports call these functions; permission
and scope checks are the caller's.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, crypto, idnumber
from quanmin.accounts.models import User
from quanmin.core import imports, tabular
from quanmin.core.errors import ServiceError
from quanmin.facilities.io_read import Column  # the registers' one column type
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import exercise, services, tally
from .errors import PhysiqueError
from .models import ExerciseCertificate, ExerciseGrade, ExerciseSession, Participant

MAX_ITEMS_CHARS = 500
NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


# --- sessions ----------------------------------------------------------------------------------------

def create_session(*, region: Region, held_on: datetime.date, place: str, organiser: str,
                   edition: str = exercise.DEFAULT_EDITION, note: str = "", actor=None,
                   request=None) -> ExerciseSession:
    ed = exercise.edition(edition)
    place, organiser = (place or "").strip(), (organiser or "").strip()
    if not place:
        raise PhysiqueError("place_required", _("Say where the test is held."), "place", status=422)
    if not organiser:
        raise PhysiqueError("organiser_required", _("Name the organiser."), "organiser", status=422)
    if not isinstance(held_on, datetime.date) or held_on > timezone.localdate() + datetime.timedelta(days=366):
        raise PhysiqueError("date_invalid", _("Give the test date (at most a year ahead)."), "held_on", status=422)
    with transaction.atomic():
        session = ExerciseSession.objects.create(region=region, edition=ed.name, held_on=held_on, place=place[:200],
                                                 organiser=organiser[:120], note=(note or "").strip()[:200],
                                                 created_by=actor)
        audit.record("create", request=request, actor=actor, obj=session, region_code=region.code)
    return session


# --- grades and certificates -------------------------------------------------------------------------

def tested_at(session: ExerciseSession) -> datetime.datetime:
    """A grade is dated by its session's day (the time of day is not recorded): noon, local time."""
    return timezone.make_aware(datetime.datetime.combine(session.held_on, datetime.time(12)))


def _clean_items(items) -> str:
    text = "" if items is None else str(items).replace("\x00", "").strip()
    if len(text) > MAX_ITEMS_CHARS:
        raise PhysiqueError("items_too_long", _("Item results: at most %(n)s characters.") % {"n": MAX_ITEMS_CHARS},
                            "items", status=422)
    return text


def new_number(session: ExerciseSession) -> str:
    """Year, the issuing division's county code and a random part: not guessable one from another."""
    tail = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    return f"{session.held_on.year}-{codes.prefix_at(session.region_id, 'county')}-{tail}"


def _issue(grade: ExerciseGrade) -> ExerciseCertificate:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return ExerciseCertificate.objects.create(grade=grade, participant_id=grade.participant_id,
                                                          region_id=grade.region_id, number=new_number(grade.session))
        except IntegrityError:
            if ExerciseCertificate.objects.filter(grade=grade).exists():
                raise
    raise PhysiqueError("number_taken", _("Could not draw a free certificate number; try again."), status=409)


def record_grade(session: ExerciseSession, participant: Participant, *, level, items=None,
                 source: str = ExerciseGrade.Source.ENTERED, actor=None, request=None) -> ExerciseGrade:
    """Record the grade the testing station gave; a grade at 达标 or better gets its certificate.
    Refused without the person's health consent, and for a second standing grade in one session."""
    ed = exercise.edition(session.edition)
    code = exercise.grade_for(ed, level=level, items=items)
    text = _clean_items(items)
    if not services.has_health_consent(participant):
        raise PhysiqueError("consent_required",
                            _("Record the person's consent to the processing of health data before the test."),
                            "consent", status=409)
    try:
        with transaction.atomic():
            grade = ExerciseGrade(session=session, participant=participant, region_id=session.region_id,
                                  tested_at=tested_at(session), level=code, items=text, source=source,
                                  recorded_by=actor)
            grade.save()
            tally.add_grades([grade])  # the indicators count it
            certificate = _issue(grade) if exercise.certified(ed, code) else None
            audit.record("exercise_grade", request=request, actor=actor, obj=grade, region_code=session.region_id,
                         detail={"participant": participant.pk, "session": session.pk, "source": source,
                                 "certificate": certificate.number if certificate else None})
    except IntegrityError:
        raise PhysiqueError("already_graded", _("This person already has a grade in this session: annul it "
                                                "first to record another."), "id_number", status=409) from None
    return grade


def annul_grade(grade: ExerciseGrade, *, reason: str, actor=None, request=None) -> ExerciseGrade:
    """Annul a grade (entered in error, a test found void): it counts nowhere and its certificate is
    revoked. Under the grade's row lock; a second annulment is refused."""
    reason = (reason or "").strip()
    if not reason:
        raise PhysiqueError("reason_required", _("Give the reason for annulling the grade."), "reason", status=422)
    with transaction.atomic():
        locked = ExerciseGrade.objects.select_for_update().get(pk=grade.pk)
        if locked.annulled_at is not None:
            raise PhysiqueError("already_annulled", _("This grade is already annulled."), status=409)
        now = timezone.now()
        locked.annulled_at, locked.annulled_by, locked.annul_reason = now, actor, reason[:200]
        locked.save(update_fields=["annulled_at", "annulled_by", "annul_reason"])
        tally.add_grades([locked], -1)  # it counts nowhere
        revoked = (ExerciseCertificate.objects.filter(grade=locked, revoked_at__isnull=True)
                   .update(revoked_at=now, revoke_reason=reason[:200]))
        audit.record("exercise_grade_annulled", request=request, actor=actor, obj=locked,
                     region_code=locked.region_id, detail={"reason": reason[:200], "certificate_revoked": bool(revoked)})
    return locked


def person_for(session: ExerciseSession, *, id_number: str = "", real_name: str = "", consent: bool = False,
               guardian_name: str = "", actor=None, request=None) -> Participant:
    """The person tested, by ID number (a participant, a registered user, or a new walk-in), with the
    walk-in's paper consent recorded when ticked."""
    person = services.participant_by_id_number(id_number, region=session.region, real_name=real_name,
                                               created_by=actor)
    if consent and not services.has_health_consent(person):
        services.record_walk_in_consent(person, guardian_name=guardian_name, recorded_by=actor, request=request)
    return person


# --- Excel in and out --------------------------------------------------------------------------------

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
SHEET = "锻炼标准达标测验"
COLUMNS = [
    Column("participant", "系统ID", "System ID"),
    Column("real_name", "姓名", "Name"),
    Column("id_number", "身份证号", "ID number"),
    Column("level", "等级", "Grade"),
    Column("items", "单项成绩", "Item results"),
    Column("consent", "知情同意", "Consent"),
    Column("guardian_name", "监护人", "Guardian"),
    Column("certificate", "证书编号", "Certificate number", read_only=True),
    Column("status", "状态", "Status", read_only=True),
]
BY_KEY = {c.key: c for c in COLUMNS}
TRUE = {"是", "有", "已签", "y", "yes", "true", "1", "√", "✓"}


def _header_map() -> dict[str, str]:
    found = {tabular.norm_header(a): k for a, k in {"身份证": "id_number", "成绩等级": "level", "评定等级": "level",
                                                    "达标等级": "level", "同意": "consent"}.items()}
    for c in COLUMNS:
        found.update({tabular.norm_header(c.key): c.key, tabular.norm_header(c.zh): c.key,
                      tabular.norm_header(c.en): c.key})
    return found


def read_file(file) -> tabular.Rows:
    try:
        return tabular.read_rows(
            file, names=_header_map(), label=lambda key: BY_KEY[key].label,
            is_header=lambda found: "level" in found and bool({"id_number", "participant"} & found),
            expected=[BY_KEY[k].label for k in ("real_name", "id_number", "level")],
            max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    except tabular.TableError as exc:
        raise PhysiqueError(exc.code, exc.message, "file", status=exc.status) from None


@dataclass
class RowReport:
    line: int
    action: str = "rejected"  # new or rejected
    name: str = ""
    changes: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


@dataclass
class _Planned:
    report: RowReport
    participant: Participant | None
    id_number: str
    real_name: str
    level: str
    items: str
    consent: bool
    guardian: str


def _add(report: RowReport, exc: ServiceError) -> None:
    column = BY_KEY.get(exc.field or "")
    report.errors.append({"column": column.label if column else "", "code": exc.code, "message": str(exc.message)})


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


def _plan_row(session, ed, raw: dict, visible_people, seen: dict) -> _Planned:
    report = RowReport(line=raw.get("_line", 0))
    real_name = _text(raw.get("real_name"))[:50]
    report.name = real_name
    planned = _Planned(report, None, "", real_name, "", "", _text(raw.get("consent")).lower() in TRUE,
                       _text(raw.get("guardian_name"))[:50])
    try:
        planned.level = exercise.grade_for(ed, level=_text(raw.get("level")))
    except ServiceError as exc:
        _add(report, exc)
    try:
        planned.items = _clean_items(raw.get("items"))
    except ServiceError as exc:
        _add(report, exc)
    system_id, raw_id = _text(raw.get("participant")), _text(raw.get("id_number"))
    key = None
    if system_id:  # a row of an export: the person by system ID (the file shows ID numbers masked)
        person = visible_people.filter(pk=int(system_id)).first() if system_id.isdigit() and len(system_id) < 16 else None
        if person is None:
            _add(report, PhysiqueError("participant_unknown", _("Unknown system ID: leave it blank and give the ID "
                                                                 "number for a new person."), "participant"))
        else:
            planned.participant, key = person, ("p", person.pk)
    elif raw_id:
        try:
            parsed = idnumber.parse(raw_id)
        except idnumber.InvalidIdNumber as exc:
            _add(report, PhysiqueError(exc.code, exc.message, "id_number"))
        else:
            planned.id_number = parsed.value
            digest = crypto.lookup_hash(parsed.value)
            planned.participant = Participant.objects.select_related("user").filter(id_number_hash=digest).first()
            key = ("p", planned.participant.pk) if planned.participant else ("id", digest)
            if planned.participant is None and not real_name and not User.objects.filter(
                    id_number_hash=digest, is_active=True).exists():
                _add(report, PhysiqueError("real_name_required", _("Enter the person's real name."), "real_name"))
    else:
        _add(report, PhysiqueError("id_number_required", _("Give the ID number (or the system ID of an export)."),
                                   "id_number"))
    if key is not None:
        if key in seen:
            _add(report, PhysiqueError("person_twice_in_file", _("This person appears twice in the file (line "
                                                                 "%(line)s).") % {"line": seen[key]}, "id_number"))
        else:
            seen[key] = report.line
    person = planned.participant
    if person is not None:
        if session.grades.filter(participant=person, annulled_at__isnull=True).exists():
            _add(report, PhysiqueError("already_graded", _("This person already has a grade in this session: annul "
                                                           "it first to record another."), "id_number"))
        if not planned.consent and not services.has_health_consent(person):
            _add(report, PhysiqueError("consent_required", _("No consent recorded: write 是 in 知情同意 when the "
                                                             "person signed the notice."), "consent"))
    elif key is not None and not planned.consent:
        _add(report, PhysiqueError("consent_required", _("No consent recorded: write 是 in 知情同意 when the person "
                                                         "signed the notice."), "consent"))
    if not report.errors:
        report.action = "new"
    return planned


def import_grades(session: ExerciseSession, file, *, visible_people, dry_run: bool = True, actor=None,
                  request=None) -> imports.ImportReport:
    """Check every row of a file of grades, and unless it is a dry run record them all, or none.

    Each row names the person by ID number (身份证号, with 姓名 when new) or, in a file exported from
    here, by system ID; `visible_people` are the participants the caller may name that way (in scope).
    A rejected row is reported by its line with every error, in the user's language."""
    ed = exercise.edition(session.edition)
    rows = read_file(file)
    if not rows:
        raise PhysiqueError("import_empty", _("The file has no rows below the headers."), "file")
    report = imports.ImportReport(dry_run=dry_run, ignored_columns=list(rows.ignored))

    def plan(lock: bool) -> list[_Planned]:
        seen: dict = {}
        planned = [_plan_row(session, ed, raw, visible_people, seen) for raw in rows]
        report.rows = [p.report for p in planned]
        return planned

    def apply(planned: list[_Planned]) -> None:
        for p in planned:
            person = p.participant
            if person is None:
                person = person_for(session, id_number=p.id_number, real_name=p.real_name, consent=p.consent,
                                    guardian_name=p.guardian, actor=actor, request=request)
            elif p.consent and not services.has_health_consent(person):
                services.record_walk_in_consent(person, guardian_name=p.guardian, recorded_by=actor, request=request)
            record_grade(session, person, level=p.level, items=p.items, source=ExerciseGrade.Source.IMPORT,
                         actor=actor, request=request)

    imports.run(report, plan, apply, conflict=lambda: PhysiqueError(
        "import_conflict", _("Someone changed this session meanwhile: check the file again."), "file", status=409))
    audit.record("import", request=request, actor=actor, obj=session, region_code=session.region_id,
                 detail={"what": "exercise_grades", "dry_run": dry_run, "applied": report.applied, **report.counts})
    return report


def export_sheet(session: ExerciseSession, *, request=None) -> tuple[str, list[str], list[list]]:
    """The session's grades as a sheet in the import's layout: ID numbers masked (a re-import names the
    person by system ID), the grade in the edition's words; a list read of personal data, logged."""
    ed = exercise.edition(session.edition)
    grades = list(session.grades.select_related("participant__user", "certificate").order_by("id"))
    audit.list_personal(request, "exercise_grades", [g.participant_id for g in grades])
    rows = []
    for g in grades:
        p = g.participant
        cert = getattr(g, "certificate", None)
        status = _("annulled") if g.annulled_at else _("standing")
        rows.append([p.pk, p.display_name, p.id_number_masked, ed.levels[g.level].zh if g.level else "", g.items,
                     "是", p.guardian_name, cert.number if cert else "", str(status)])
    return SHEET, [c.label for c in COLUMNS], rows
