"""The instructor register: apply, review, approve, promote, change status, edit; entry thresholds.

Who approves what (社会体育指导员管理办法): a third grade by the county, a second by the city; first and
national grades are approved by the province and the national administration, and city staff record
those approvals here. County staff approve in their county only; staff below the county review.
Every write is one transaction with its history row and audit entry; a broken rule is a PeopleError
and changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, crypto, scoping
from quanmin.accounts.errors import AccountError, id_number_or_error, phone_or_error
from quanmin.accounts.idnumber import age_on
from quanmin.accounts.models import Role
from quanmin.core.indicators import local_span, year_ending
from quanmin.regions import codes
from quanmin.regions.models import Region

from .errors import PeopleError
from .models import (
    APPROVER,
    GRADE_ORDER,
    LEVEL_RANK,
    DutyLog,
    Enrollment,
    Grade,
    GradeRecord,
    GradeRule,
    Instructor,
    Level,
    Sport,
    sports_text,
)

Status = Instructor.Status
Action = GradeRecord.Action
TEXT_LIMITS = {"real_name": 50, "certificate_no": 40, "association": 120, "note": 200}


# ---------------------------------------------------------------- checking input


def code_of(value) -> str:
    """A division code as typed (2 to 12 digits) padded to 12 digits; "" for anything else."""
    text = str(value if value is not None else "").strip()
    return codes.normalise(text) if codes.is_prefix(text) else ""


def check_region(value) -> Region:
    """A division by its code (or the Region itself); a clear error for an unknown one."""
    if isinstance(value, Region):
        return value
    code = code_of(value)
    region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        raise PeopleError("region_unknown", _("Unknown division code: %(code)s.") % {"code": str(value)[:20]},
                          "region")
    return region


def check_grade(value) -> str:
    if value not in GRADE_ORDER:
        raise PeopleError("grade_unknown", _("Unknown grade: write 三级, 二级, 一级 or 国家级."), "grade")
    return value


def check_sports(values) -> list[str]:
    if isinstance(values, str):
        values = [v for v in values.replace("，", ",").replace("、", ",").split(",")]
    known = set(Sport.values)
    out = [str(v).strip() for v in values if str(v).strip()]
    unknown = [v for v in out if v not in known]
    if unknown:
        raise PeopleError("sport_unknown", _("Unknown sport: %(sport)s.") % {"sport": unknown[0][:30]}, "sports")
    return out


def _text(data: dict, key: str) -> str:
    value = str(data.get(key) or "").strip()
    if len(value) > TEXT_LIMITS[key]:
        raise PeopleError("text_too_long", _("At most %(n)s characters.") % {"n": TEXT_LIMITS[key]}, key)
    return value


def _account_error(exc: AccountError) -> PeopleError:
    return PeopleError(exc.code, exc.message, exc.field)


@dataclass
class Person:
    """A person's checked fields, ready to store."""

    real_name: str
    id_number: str
    phone: str
    sex: str
    birth_date: datetime.date
    region: Region


def clean_person(data: dict) -> Person:
    name = _text(data, "real_name")
    if not name:
        raise PeopleError("name_required", _("Enter the real name."), "real_name")
    try:
        parsed = id_number_or_error(str(data.get("id_number") or ""))
        phone = phone_or_error(str(data["phone"])) if data.get("phone") else ""
    except AccountError as exc:
        raise _account_error(exc) from None
    return Person(name, parsed.value, phone, parsed.sex, parsed.birth_date, check_region(data.get("region")))


def id_hash(value: str) -> str:
    return crypto.lookup_hash(value.strip().upper())


def _history(instructor: Instructor, action: str, by=None, on=None, note: str = "") -> GradeRecord:
    return GradeRecord.objects.create(
        instructor=instructor, action=action, grade=instructor.grade, certificate_no=instructor.certificate_no,
        approval_level=instructor.approval_level if action in (Action.APPROVED, Action.PROMOTED, Action.IMPORTED)
        else "", on=on or timezone.localdate(), by=by if getattr(by, "is_authenticated", False) else None,
        note=note[:200])


# ---------------------------------------------------------------- who approves


def approver_level(user, region_code: str) -> str | None:
    """The highest level at which `user` approves grades for a person of `region_code`: city staff
    of the person's city, county staff of the person's county; None for everyone else."""
    if scoping.is_superuser(user):
        return Level.NATIONAL
    best = None
    for m in scoping.memberships(user):
        if m.role == Role.CITY_STAFF and codes.in_subtree(region_code, codes.prefix(m.region_id)):
            best = Level.CITY
        elif m.role == Role.COUNTY_STAFF and codes.in_subtree(region_code, codes.prefix(m.region_id)):
            best = best or Level.COUNTY
    return best


def can_approve(user, grade: str, region_code: str) -> bool:
    have = approver_level(user, region_code)
    if have is None:
        return False
    needed = APPROVER[grade]
    # Province and national approvals are made elsewhere; city staff record them.
    return LEVEL_RANK[have] >= min(LEVEL_RANK[needed], LEVEL_RANK[Level.CITY])


def check_approver(user, grade: str, region_code: str) -> str:
    """The approval level recorded, or approval_above_level."""
    if not can_approve(user, grade, region_code):
        needed = APPROVER[grade]
        raise PeopleError("approval_above_level",
                          _("A %(grade)s is approved at %(level)s level: you may not approve it.")
                          % {"grade": Grade(grade).label, "level": Level(needed).label}, "grade", status=403)
    return APPROVER[grade]


# ---------------------------------------------------------------- thresholds (B15)


# The 2011 grade standard's conditions, as defaults a city may lower: 30 services in the past year for
# a third grade, 2 years at third grade for a second, 3 years at second for a first.
DEFAULT_RULES = {
    Grade.THIRD: {"min_age": 18, "min_services": 30, "min_years": 0, "min_training_hours": 0},
    Grade.SECOND: {"min_age": 18, "min_services": 0, "min_years": 2, "min_training_hours": 0},
    Grade.FIRST: {"min_age": 18, "min_services": 0, "min_years": 3, "min_training_hours": 0},
    Grade.NATIONAL: {"min_age": 18, "min_services": 0, "min_years": 0, "min_training_hours": 0},
}
RULE_FIELDS = ("min_age", "min_services", "min_years", "min_training_hours")


def rules_for(city_code: str) -> dict[str, dict]:
    """{grade: thresholds} for a city: its own rows over the national defaults."""
    found = {g: dict(v) for g, v in DEFAULT_RULES.items()}
    for rule in GradeRule.objects.filter(city_id=codes.ancestor_at(city_code, "city")):
        found[rule.grade] = {f: getattr(rule, f) for f in RULE_FIELDS}
    return found


def set_rule(city: Region, grade: str, values: dict, *, by=None, request=None) -> GradeRule:
    """A city's threshold for a grade; only the city's own staff set it."""
    check_grade(grade)
    if city.level != "city" or not (scoping.is_superuser(by) or approver_level(by, city.code) == Level.CITY):
        raise PeopleError("rule_city_only", _("Only the city's staff set its entry thresholds."), "city", status=403)
    clean = {}
    for f in RULE_FIELDS:
        try:
            clean[f] = int(values.get(f, DEFAULT_RULES[grade][f]))
        except (TypeError, ValueError):
            raise PeopleError("number_invalid", _("Enter a whole number."), f) from None
        if not 0 <= clean[f] <= 1000:
            raise PeopleError("number_invalid", _("Enter a whole number between 0 and 1,000."), f)
    with transaction.atomic():
        rule, _created = GradeRule.objects.update_or_create(city=city, grade=grade, defaults=clean)
        audit.record("set_rule", request=request, actor=by, obj=rule, region_code=city.code, detail=clean)
    return rule


def _training_hours(instructor: Instructor, since: datetime.date) -> float:
    """Hours of the courses the person attended and passed since a date."""
    rows = Enrollment.objects.filter(instructor=instructor, passed=True, training__ends_on__gte=since)
    return float(sum(r.attended_hours for r in rows))


def threshold_gaps(instructor: Instructor, grade: str, on: datetime.date | None = None) -> list[str]:
    """What the person lacks for `grade` under their city's thresholds (empty: nothing)."""
    on = on or timezone.localdate()
    rule = rules_for(instructor.region_id)[grade]
    gaps = []
    if instructor.birth_date and age_on(instructor.birth_date, on) < rule["min_age"]:
        gaps.append(_("younger than %(n)s") % {"n": rule["min_age"]})
    if rule["min_services"]:
        start, end = local_span(*year_ending(on))
        done = DutyLog.objects.filter(instructor=instructor, status=DutyLog.Status.CONFIRMED, started_at__gte=start,
                                      started_at__lt=end).count()
        if done < rule["min_services"]:
            gaps.append(_("%(done)s of %(n)s confirmed services in the past year") % {"done": done, "n": rule["min_services"]})
    if rule["min_years"]:
        below = GRADE_ORDER[GRADE_ORDER.index(grade) - 1] if GRADE_ORDER.index(grade) else None
        since = (instructor.history.filter(grade=below, action__in=[Action.APPROVED, Action.PROMOTED, Action.IMPORTED])
                 .order_by("on").values_list("on", flat=True).first()) if below else None
        if since is None or (on - since).days < 365 * rule["min_years"]:
            gaps.append(_("fewer than %(n)s years at the grade below") % {"n": rule["min_years"]})
    if rule["min_training_hours"]:
        hours = _training_hours(instructor, on - datetime.timedelta(days=365 * 4))
        if hours < rule["min_training_hours"]:
            gaps.append(_("%(done)s of %(n)s training hours") % {"done": int(hours), "n": rule["min_training_hours"]})
    return gaps


# ---------------------------------------------------------------- the register


def _new(person: Person, data: dict, *, status: str, user=None) -> Instructor:
    grade = check_grade(data.get("grade") or Grade.THIRD)
    kind = data.get("kind") or Instructor.Kind.INSTRUCTOR
    if kind not in Instructor.Kind.values:
        raise PeopleError("kind_unknown", _("Unknown type."), "kind")
    public_name = data.get("public_name") or Instructor.PublicName.SURNAME
    if public_name not in Instructor.PublicName.values:
        raise PeopleError("public_name_unknown", _("Unknown choice."), "public_name")
    return Instructor(
        user=user, kind=kind, real_name=person.real_name, id_number_hash=crypto.lookup_hash(person.id_number),
        id_number_enc=crypto.encrypt(person.id_number), phone_hash=crypto.lookup_hash(person.phone),
        phone_enc=crypto.encrypt(person.phone), sex=person.sex, birth_date=person.birth_date, region=person.region,
        grade=grade, certificate_no=_text(data, "certificate_no"), sports=sports_text(check_sports(data.get("sports") or [])),
        association=_text(data, "association"), core=bool(data.get("core")),
        serves_disabled=bool(data.get("serves_disabled")), public_name=public_name, note=_text(data, "note"),
        status=status)


def _taken() -> PeopleError:
    return PeopleError("id_number_taken", _("This person is already registered: one person, one record."),
                       "id_number", status=409)


def _save_new(instructor: Instructor) -> Instructor:
    if Instructor.objects.filter(id_number_hash=instructor.id_number_hash).exists():
        raise _taken()
    try:
        with transaction.atomic():
            instructor.save()
    except IntegrityError:
        raise _taken() from None
    return instructor


def apply(data: dict, *, user=None, by=None, request=None) -> Instructor:
    """An application to register (三级 unless another grade is asked): by the person (user) or entered
    by staff (by). Status "applied"; the history starts."""
    person = clean_person(data)
    if by is not None and not scoping.is_superuser(by) and not scoping.can_write_region(by, person.region.code):
        raise PeopleError("region_out_of_scope", _("This division is outside your area."), "region", status=403)
    if user is not None and Instructor.objects.filter(user=user).exists():
        raise PeopleError("already_applied", _("You have already applied or are registered."), status=409)
    with transaction.atomic():
        instructor = _save_new(_new(person, data, status=Status.APPLIED, user=user))
        _history(instructor, Action.APPLIED, by=by or user)
        audit.record("apply", request=request, actor=by or user, obj=instructor)
    return instructor


def _locked(instructor: Instructor) -> Instructor:
    return Instructor.objects.select_for_update().get(pk=instructor.pk)


def review(instructor: Instructor, *, by, request=None, note: str = "") -> Instructor:
    """Staff of the person's division check the application against the city's thresholds."""
    if not scoping.can_write_region(by, instructor.region_id):
        raise PeopleError("region_out_of_scope", _("This person is outside your area."), status=403)
    with transaction.atomic():
        instructor = _locked(instructor)
        if instructor.status != Status.APPLIED:
            raise PeopleError("not_applied", _("Only an application waiting for review can be reviewed."), status=409)
        gaps = threshold_gaps(instructor, instructor.grade)
        if gaps:
            raise PeopleError("threshold_not_met", _("Below the entry threshold: %(gaps)s.") % {"gaps": "; ".join(gaps)},
                              "grade", status=409)
        instructor.status = Status.REVIEWED
        instructor.save(update_fields=["status", "updated_at"])
        _history(instructor, Action.REVIEWED, by=by, note=note)
        audit.record("review", request=request, actor=by, obj=instructor)
    return instructor


def approve(instructor: Instructor, *, by, certificate_no: str = "", approved_on: datetime.date | None = None,
            request=None) -> Instructor:
    """Approve a reviewed application at the level its grade needs: the person becomes active."""
    level = check_approver(by, instructor.grade, instructor.region_id)
    approved_on = approved_on or timezone.localdate()
    if approved_on > timezone.localdate():
        raise PeopleError("date_in_future", _("The date is in the future."), "approved_on")
    with transaction.atomic():
        instructor = _locked(instructor)
        if instructor.status not in (Status.REVIEWED, Status.APPLIED):
            raise PeopleError("not_reviewed", _("Only a pending application can be approved."), status=409)
        if instructor.status == Status.APPLIED and LEVEL_RANK[level] < LEVEL_RANK[Level.PROVINCE]:
            raise PeopleError("not_reviewed", _("Review the application before approving it."), status=409)
        instructor.status = Status.ACTIVE
        instructor.approval_level, instructor.approved_on, instructor.approved_by = level, approved_on, by
        instructor.certificate_no = _text({"certificate_no": certificate_no}, "certificate_no") or instructor.certificate_no
        instructor.save()
        _history(instructor, Action.APPROVED, by=by, on=approved_on)
        audit.record("approve", request=request, actor=by, obj=instructor, detail={"grade": instructor.grade})
    return instructor


def reject(instructor: Instructor, *, by, reason: str, request=None) -> Instructor:
    if not scoping.can_write_region(by, instructor.region_id):
        raise PeopleError("region_out_of_scope", _("This person is outside your area."), status=403)
    reason = (reason or "").strip()
    if not reason:
        raise PeopleError("reason_required", _("Say why."), "reason")
    with transaction.atomic():
        instructor = _locked(instructor)
        if instructor.status not in (Status.APPLIED, Status.REVIEWED):
            raise PeopleError("not_applied", _("Only a pending application can be turned down."), status=409)
        instructor.status = Status.REJECTED
        instructor.save(update_fields=["status", "updated_at"])
        _history(instructor, Action.REJECTED, by=by, note=reason)
        audit.record("reject", request=request, actor=by, obj=instructor, detail={"reason": reason[:200]})
    return instructor


def promote(instructor: Instructor, *, grade: str, by, certificate_no: str = "",
            approved_on: datetime.date | None = None, request=None) -> Instructor:
    """An active instructor's next grade, approved at its level, checked against the thresholds."""
    check_grade(grade)
    if GRADE_ORDER.index(grade) <= GRADE_ORDER.index(instructor.grade):
        raise PeopleError("grade_not_higher", _("Choose a grade above the present one."), "grade")
    level = check_approver(by, grade, instructor.region_id)
    approved_on = approved_on or timezone.localdate()
    if approved_on > timezone.localdate():
        raise PeopleError("date_in_future", _("The date is in the future."), "approved_on")
    with transaction.atomic():
        instructor = _locked(instructor)
        if instructor.status != Status.ACTIVE:
            raise PeopleError("not_active", _("Only an active instructor can be promoted."), status=409)
        gaps = threshold_gaps(instructor, grade, approved_on)
        if gaps:
            raise PeopleError("threshold_not_met", _("Below the entry threshold: %(gaps)s.") % {"gaps": "; ".join(gaps)},
                              "grade", status=409)
        instructor.grade, instructor.approval_level, instructor.approved_on = grade, level, approved_on
        instructor.approved_by = by
        instructor.certificate_no = _text({"certificate_no": certificate_no}, "certificate_no") or instructor.certificate_no
        instructor.save()
        _history(instructor, Action.PROMOTED, by=by, on=approved_on)
        audit.record("promote", request=request, actor=by, obj=instructor, detail={"grade": grade})
    return instructor


STATUS_ACTIONS = {Status.LAPSED: Action.LAPSED, Status.REVOKED: Action.REVOKED, Status.ACTIVE: Action.RENEWED}


def set_status(instructor: Instructor, status: str, *, by, reason: str = "", request=None) -> Instructor:
    """Lapse, revoke or renew (back to active) a registered instructor."""
    if status not in STATUS_ACTIONS:
        raise PeopleError("status_invalid", _("Choose active, lapsed or revoked."), "status")
    if not scoping.can_write_region(by, instructor.region_id):
        raise PeopleError("region_out_of_scope", _("This person is outside your area."), status=403)
    if status == Status.REVOKED and not can_approve(by, instructor.grade, instructor.region_id):
        check_approver(by, instructor.grade, instructor.region_id)
    with transaction.atomic():
        instructor = _locked(instructor)
        if instructor.status not in (Status.ACTIVE, Status.LAPSED, Status.REVOKED) or instructor.status == status:
            raise PeopleError("status_unchanged", _("The instructor is not registered or already has that status."),
                              status=409)
        instructor.status = status
        instructor.save(update_fields=["status", "updated_at"])
        _history(instructor, STATUS_ACTIONS[status], by=by, note=reason)
        audit.record("set_status", request=request, actor=by, obj=instructor, detail={"status": status})
    return instructor


EDITABLE = ("sports", "association", "core", "serves_disabled", "public_name", "note", "phone", "kind")
OWN_EDITABLE = ("sports", "public_name", "phone")


def update(instructor: Instructor, data: dict, *, by, request=None) -> Instructor:
    """Change what may change after registration. The person edits their sports, card name and
    phone; staff of the division edit also the association, core flag, type and note."""
    own = by is not None and instructor.user_id == getattr(by, "pk", None)
    staff = scoping.can_write_region(by, instructor.region_id)
    if not (own or staff):
        raise PeopleError("region_out_of_scope", _("This person is outside your area."), status=403)
    allowed = EDITABLE if staff else OWN_EDITABLE
    changes = {}
    for key in allowed:
        if key not in data:
            continue
        value = data[key]
        if key == "sports":
            value = sports_text(check_sports(value))
        elif key in ("core", "serves_disabled"):
            value = bool(value)
        elif key == "phone":
            try:
                phone = phone_or_error(str(value)) if value else ""
            except AccountError as exc:
                raise _account_error(exc) from None
            changes["phone_hash"], changes["phone_enc"] = crypto.lookup_hash(phone), crypto.encrypt(phone)
            continue
        elif key == "public_name" and value not in Instructor.PublicName.values:
            raise PeopleError("public_name_unknown", _("Unknown choice."), key)
        elif key == "kind" and value not in Instructor.Kind.values:
            raise PeopleError("kind_unknown", _("Unknown type."), key)
        elif key in TEXT_LIMITS:
            value = _text(data, key)
        changes[key] = value
    with transaction.atomic():
        for key, value in changes.items():
            setattr(instructor, key, value)
        instructor.save()
        audit.record("update", request=request, actor=by, obj=instructor,
                     detail={"fields": sorted(k for k in changes if not k.endswith(("_hash", "_enc")))})
    return instructor


def reveal(instructor: Instructor, *, by, purpose: str, request=None) -> dict:
    """The full ID number and phone, for division staff with a writing role; the read is audited."""
    if not scoping.can_write_region(by, instructor.region_id):
        raise PeopleError("region_out_of_scope", _("This person is outside your area."), status=403)
    purpose = (purpose or "").strip()
    if not purpose:
        raise PeopleError("purpose_required", _("Say why you need the full numbers."), "purpose")
    audit.record("read_personal", request=request, actor=by, obj=instructor,
                 detail={"fields": ["id_number", "phone"], "purpose": purpose[:200]})
    return {"id_number": instructor.id_number, "phone": instructor.phone}
