"""Every write of physique monitoring: stations, sessions, participants, consent, results, prescriptions.

Views, the API, imports, the demo and commands call these functions; permission checks are the
caller's (they only parse, check, call, render). Results are scored here, by the engine, when they
are saved: a result never holds a score the engine did not give.

Health data needs consent first (PIPL art. 28-29): `record_result` refuses a person without a
current health consent. A registered user's consent is a `Consent` row of kind "health" (given
online, or in person and recorded by the tester); a walk-in signs the paper notice at the station
and the tester records it on the participant. Children under 14 need a guardian's consent.
"""

from __future__ import annotations

import datetime
import decimal
import math
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, crypto, idnumber
from quanmin.accounts import services as account_services
from quanmin.accounts.models import Consent, User
from quanmin.booking import services as booking_services
from quanmin.booking.models import BookableUnit, Slot
from quanmin.core.errors import ServiceError
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import batch, prescriptions, scoring, sportmed, tables, tally
from .errors import BatchError, PhysiqueError, ScoringError, from_scoring
from .models import (
    ExerciseCertificate,
    ExerciseGrade,
    NetworkLevel,
    Participant,
    Prescription,
    TestResult,
    TestSession,
    TestStation,
)

# Version of the health data notice; a deployment that changes the text sets a new one.
CONSENT_VERSION = getattr(settings, "PHYSIQUE_CONSENT_VERSION", "2026-11")
GUARDIAN_UNDER = 14  # PIPL art. 31: a guardian consents for children under 14


# --- stations and sessions ---------------------------------------------------------------------

def station_level(region_code: str) -> str:
    """The network tier a station of the division belongs to unless told otherwise (a province's: the city's)."""
    level = codes.level(region_code)
    return NetworkLevel.CITY if level == "province" else level


def create_station(*, name: str, region: Region, site=None, address: str = "", phone: str = "", level: str = "",
                   request=None) -> TestStation:
    name = (name or "").strip()
    if not name:
        raise PhysiqueError("name_required", _("Give the station a name."), "name")
    level = level or station_level(region.code)
    if level not in NetworkLevel.values:
        raise PhysiqueError("level_unknown", _("Choose the city, county, township or village tier."), "level", status=422)
    if NetworkLevel.values.index(level) > NetworkLevel.values.index(station_level(region.code)):
        raise PhysiqueError("level_below_division", _("A station's tier cannot be below its division's level."),
                            "level", status=422)
    if site is not None and not codes.contains(region.code, site.region_id):
        raise PhysiqueError("site_outside_division", _("The site is not in the station's division."), "site")
    station = TestStation.objects.create(name=name[:120], region=region, site=site, address=address.strip()[:200],
                                         phone=phone.strip()[:30], level=level)
    audit.record("create", request=request, obj=station)
    return station


def create_session(station: TestStation, *, starts_at: datetime.datetime, ends_at: datetime.datetime,
                   capacity: int = 30, standard: str = "physique-2003", note: str = "", open_booking: bool = False,
                   request=None) -> TestSession:
    if ends_at <= starts_at:
        raise PhysiqueError("ends_before_start", _("A session ends after it starts."), "ends_at")
    if not 1 <= capacity <= 10000:
        raise PhysiqueError("capacity_invalid", _("Places must be between 1 and 10,000."), "capacity")
    if standard and standard not in tables.available_standards():
        raise PhysiqueError("unknown_standard", _("Unknown standard."), "standard")
    with transaction.atomic():
        session = TestSession.objects.create(station=station, starts_at=starts_at, ends_at=ends_at, capacity=capacity,
                                             standard=standard, note=note.strip()[:200])
        audit.record("create", request=request, obj=session, region_code=station.region_id)
        if open_booking:
            open_for_booking(session, request=request)
    return session


BOOKING_UNIT_NAME = "体质测试"


def _booking_unit(station: TestStation):
    if station.site_id is None:
        raise PhysiqueError("no_site", _("Link the station to a site to take bookings."), "site")
    unit = BookableUnit.objects.filter(site_id=station.site_id, kind=BookableUnit.Kind.SESSION,
                                       name=BOOKING_UNIT_NAME).first()
    if unit is not None:
        return unit
    facility = station.site.facilities.order_by("-open", "id").first()
    if facility is None:
        raise PhysiqueError("no_facility", _("The station's site has no registered facility to book."), "site")
    # Tests are free; booking opens 60 days ahead; no companions (each person is tested by name);
    # children under 14 come with a guardian (the booking rules' default).
    return booking_services.create_unit(facility, name=BOOKING_UNIT_NAME, kind=BookableUnit.Kind.SESSION,
                                        window_days=60, max_companions=0, payment_provider="free",
                                        max_open_per_user=2, min_age=3)


def open_for_booking(session: TestSession, *, request=None) -> TestSession:
    """Give the session a booking slot with its places: residents then book it like a venue session."""
    if session.slot_id:
        return session
    if session.starts_at <= timezone.now():
        raise PhysiqueError("session_past", _("This session has already started."), "starts_at")
    with transaction.atomic():
        unit = _booking_unit(session.station)
        try:
            with transaction.atomic():
                slot = Slot.objects.create(unit=unit, manual=True, start=session.starts_at, end=session.ends_at,
                                           capacity=session.capacity, price=0, benefit=True)
        except IntegrityError:
            raise PhysiqueError("slot_taken", _("Another session at this station starts at the same time."),
                                "starts_at") from None
        session.slot = slot
        session.save(update_fields=["slot"])
        audit.record("open_booking", request=request, obj=session, region_code=session.station.region_id)
    return session


def book_session(user, session: TestSession, *, request=None):
    """A resident books a place in a test session, through the booking core (same rules as a venue)."""
    if not session.slot_id:
        raise PhysiqueError("not_bookable", _("This session does not take online bookings."), status=409)
    booking = booking_services.book(user, session.slot_id)
    audit.record("book_physique_session", request=request, actor=user, obj=session,
                 region_code=session.station.region_id, detail={"booking": booking.code})
    return booking


# --- participants and consent ------------------------------------------------------------------

def _parse_id(raw: str) -> idnumber.IdNumber:
    try:
        return idnumber.parse(raw)
    except idnumber.InvalidIdNumber as exc:
        raise PhysiqueError(exc.code, exc.message, "id_number") from None


def participant_for_user(user: User, region: Region, *, created_by=None) -> Participant:
    """The participant record of a registered user (made on first test; a walk-in with the same ID
    number is taken over, so that earlier tests join the person's record)."""
    existing = Participant.objects.filter(user=user).first()
    if existing:
        return existing
    if user.id_number_hash:
        walk_in = Participant.objects.filter(id_number_hash=user.id_number_hash, user__isnull=True).first()
        if walk_in:
            walk_in.user = user
            walk_in.real_name, walk_in.id_number_enc = "", ""
            walk_in.save(update_fields=["user", "real_name", "id_number_enc"])
            return walk_in
    try:
        with transaction.atomic():
            return Participant.objects.create(user=user, region=region, id_number_hash=user.id_number_hash,
                                              created_by=created_by)
    except IntegrityError:  # made by a concurrent request
        return Participant.objects.get(user=user)


def participant_by_id_number(id_number: str, *, region: Region, real_name: str = "", created_by=None) -> Participant:
    """Find the person tested by ID number: a participant, a registered user, or a new walk-in."""
    parsed = _parse_id(id_number)
    digest = crypto.lookup_hash(parsed.value)
    found = Participant.objects.select_related("user").filter(id_number_hash=digest).first()
    if found and found.user_id:
        return found
    user = User.objects.filter(id_number_hash=digest, is_active=True).first()
    if user:  # registered since (a walk-in record is taken over) or tested for the first time
        return participant_for_user(user, region, created_by=created_by)
    if found:
        return found
    real_name = (real_name or "").strip()
    if not real_name:
        raise PhysiqueError("real_name_required", _("Enter the person's real name."), "real_name")
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                real_name=real_name[:50], id_number_hash=digest, id_number_enc=crypto.encrypt(parsed.value),
                sex=parsed.sex, birth_date=parsed.birth_date, region=region, created_by=created_by)
    except IntegrityError:
        return Participant.objects.get(id_number_hash=digest)
    audit.record("create", actor=created_by, obj=participant)
    return participant


def _age_today(birth) -> int | None:
    return idnumber.age_on(birth, timezone.localdate()) if birth else None


def give_health_consent(user: User, *, guardian_name: str = "", guardian_relation: str = "",
                        guardian_id_number: str = "", recorded_by=None, request=None) -> Consent:
    """A registered person consents to the processing of their physique test data."""
    age = _age_today(user.birth_date)
    if age is not None and age < GUARDIAN_UNDER and not guardian_name.strip():
        raise PhysiqueError("guardian_consent_required",
                            _("Children under 14 need a guardian's consent: enter the guardian's name."),
                            "guardian_name")
    consent = account_services.record_consent(user, Consent.Kind.HEALTH, CONSENT_VERSION, guardian_name=guardian_name,
                                              guardian_relation=guardian_relation,
                                              guardian_id_number=guardian_id_number)
    audit.record("consent_given", request=request, actor=recorded_by or user, obj=user,
                 detail={"kind": "health", "version": CONSENT_VERSION,
                         "recorded_by_tester": recorded_by is not None and recorded_by != user})
    return consent


def record_walk_in_consent(participant: Participant, *, guardian_name: str = "", recorded_by=None,
                           request=None) -> Participant:
    """The tester records that a walk-in (or their guardian) signed the health data notice."""
    if participant.user_id:
        give_health_consent(participant.user, guardian_name=guardian_name, recorded_by=recorded_by, request=request)
        return participant
    age = _age_today(participant.birth_date)
    if age is not None and age < GUARDIAN_UNDER and not guardian_name.strip():
        raise PhysiqueError("guardian_consent_required",
                            _("Children under 14 need a guardian's consent: enter the guardian's name."),
                            "guardian_name")
    participant.consent_version = CONSENT_VERSION
    participant.consent_at = timezone.now()
    participant.guardian_name = guardian_name.strip()[:50]
    participant.save(update_fields=["consent_version", "consent_at", "guardian_name"])
    audit.record("consent_given", request=request, actor=recorded_by, obj=participant,
                 detail={"kind": "health", "version": CONSENT_VERSION, "paper": True})
    return participant


def has_health_consent(participant: Participant) -> bool:
    if participant.user_id:
        return account_services.has_consent(participant.user, Consent.Kind.HEALTH)
    return participant.consent_at is not None


# --- results -----------------------------------------------------------------------------------

def age_group(standard: tables.Standard, grade: str, age: float | None) -> str:
    """The group figures are broken down by: a school stage for students, an age band otherwise."""
    if standard.subject == "grade":
        return (grade or "unknown").split("-")[0]
    if age is None:
        return "unknown"
    if age < 7:
        return "3-6"
    if age < 20:
        return "7-19"
    low = int(age) // 10 * 10
    return f"{low}-{low + 9}"


def _clean_json(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean_json(v) for v in value]
    return value


def score_for(participant: Participant, *, standard: str, grade: str | None = None, age: float | None = None,
              sex: str | None = None, measurements: dict | None = None,
              tested_at: datetime.datetime | None = None) -> tuple[scoring.Result, str, float | None]:
    """Score a participant's measurements; sex and age come from the person when not given."""
    try:
        std = tables.load_standard(standard)
    except ScoringError as exc:
        raise from_scoring(exc) from None
    sex = sex or participant.person_sex
    if not sex:
        raise PhysiqueError("required", _("Give the person's sex."), "sex", status=422)
    birth = participant.person_birth_date
    on = timezone.localtime(tested_at).date() if tested_at else timezone.localdate()
    if age is None and birth:
        age = batch.test_age(birth, on)
    try:
        result = scoring.score(std, sex, grade=grade or None, age=age if std.subject == "age" else None,
                               measurements=measurements or {})
    except ScoringError as exc:
        raise from_scoring(exc) from None
    return result, sex, age


def record_result(session: TestSession, participant: Participant, *, standard: str, grade: str | None = None,
                  age: float | None = None, sex: str | None = None, measurements: dict | None = None,
                  tested_at: datetime.datetime | None = None, tester=None, source: str = TestResult.Source.TABLET,
                  request=None) -> TestResult:
    """Score and save one test. Refused without the person's current health consent."""
    if not has_health_consent(participant):
        raise PhysiqueError("consent_required",
                            _("Record the person's consent to the processing of health data before the test."),
                            "consent", status=409)
    tested_at = tested_at or timezone.now()
    result, sex, age = score_for(participant, standard=standard, grade=grade, age=age, sex=sex,
                                 measurements=measurements, tested_at=tested_at)
    std = tables.load_standard(standard)
    used = {k for item in std.group_for(grade=grade, age=age).plans[sex] for k in item.inputs}
    clean = {k: scoring.parse_value(k, v) for k, v in (measurements or {}).items() if k in used}
    row = TestResult(
        participant=participant, session=session, region_id=session.station.region_id, standard=std.name, sex=sex,
        grade=result.grade or "", age=age, age_group=age_group(std, result.grade or "", age),
        measurements={k: v for k, v in clean.items() if v is not None},
        scores=_items_json(result),
        total=decimal.Decimal(str(result.total)).quantize(decimal.Decimal("0.01")), rating=result.rating or "",
        passed=result.passed, complete=result.complete, tested_at=tested_at, tester=tester, source=source)
    with transaction.atomic():
        row.save()
        tally.add([row])
        audit.record("physique_result", request=request, actor=tester, obj=row,
                     detail={"participant": participant.pk, "session": session.pk, "source": source})
    return row


def _items_json(result: scoring.Result) -> list[dict]:
    """The items as stored with a result (what Result.as_dict()["items"] gives, built directly: faster)."""
    return [{"key": i.key, "label": i.label,
             "value": i.value if i.value is None or math.isfinite(i.value) else None, "score": i.score,
             "weight": i.weight, "bonus": i.bonus, "reason": i.reason, "band": i.band} for i in result.items]


@dataclass
class RescoreReport:
    standard: str
    examined: int = 0
    changed: int = 0
    rating_changed: int = 0
    unscorable: int = 0
    changes: list[tuple[int, str, str, str, str]] = field(default_factory=list)  # (id, total, new total, rating, new)


def rescore_results(*, standard: str, dry_run: bool = False, actor=None, batch_size: int = 500) -> RescoreReport:
    """Score every stored result of ``standard`` again from its stored measurements, after the standard's
    data file changed (a corrected cell or table). Rewrites the item scores, total, rating, pass and
    completeness of the results whose outcome changed, all or nothing; ``dry_run`` only reports.
    The run reads health data in bulk, so it is audited once with its counts."""
    try:
        std = tables.load_standard(standard)
    except ScoringError as exc:
        raise from_scoring(exc) from None
    report = RescoreReport(std.name)
    fields = ["health_enc", "outcome_enc", "complete"]  # scores and total, rating and pass: encrypted
    moved = Counter()  # the figures' tally: each changed result leaves its old outcome's count for its new one's
    with transaction.atomic():
        pending = []
        # Locked as read: a second run waits, then reads this one's outcomes (and moves no count twice).
        rows = (TestResult.objects.select_for_update().filter(standard=std.name).order_by("pk")
                .only("pk", "region_id", "tested_at", "standard", "sex", "age_group", "grade", "age", *fields))
        for row in rows.iterator(chunk_size=batch_size):
            report.examined += 1
            try:
                result = scoring.score(std, row.sex, grade=row.grade or None,
                                       age=row.age if std.subject == "age" else None, measurements=row.measurements)
            except ScoringError:
                report.unscorable += 1
                continue
            total = decimal.Decimal(str(result.total)).quantize(decimal.Decimal("0.01"))
            new = {"scores": _items_json(result), "total": total, "rating": result.rating or "",
                   "passed": result.passed, "complete": result.complete}
            if all(getattr(row, k) == v for k, v in new.items()):
                continue
            report.changed += 1
            report.rating_changed += row.rating != new["rating"]
            report.changes.append((row.pk, str(row.total), str(total), row.rating, new["rating"]))
            moved[tally.key(row)] -= 1
            for k, v in new.items():
                setattr(row, k, v)
            moved[tally.key(row)] += 1
            pending.append(row)
            if len(pending) >= batch_size and not dry_run:
                TestResult.objects.bulk_update(pending, fields)
                pending = []
        if pending and not dry_run:
            TestResult.objects.bulk_update(pending, fields)
        if not dry_run:
            tally.change(moved)
        audit.record("physique_rescore", actor=actor,
                     detail={"standard": std.name, "dry_run": dry_run, "examined": report.examined,
                             "changed": report.changed, "rating_changed": report.rating_changed})
    return report


@dataclass
class ImportReport:
    created: list[TestResult] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    total_rows: int = 0


def import_results(session: TestSession, source, name: str, *, standard: str, tester=None,
                   request=None) -> ImportReport:
    """Import a device export into a session. Each person is found by ID number (身份证号) and needs
    a name (姓名) when new. Applies every valid row and reports each rejected row with its line and
    reason (rows without consent are rejected: a walk-in's paper consent is the column 知情同意 = 是)."""
    try:
        std = tables.load_standard(standard)
    except ScoringError as exc:
        raise from_scoring(exc) from None
    try:
        sheet = batch.read_file(source, name)
    except BatchError as exc:
        raise PhysiqueError(exc.code, exc.message, "file") from None
    if "id_number" not in batch.column_keys(sheet.headers):
        raise PhysiqueError("missing_column", _("The file needs an ID number (身份证号) column."), "file")
    session_day = timezone.localtime(session.starts_at).date()
    try:
        parsed = batch.parse_sheet(sheet, std, on=session_day)
    except BatchError as exc:
        raise PhysiqueError(exc.code, exc.message, "file") from None
    report = ImportReport(total_rows=parsed.n)
    region = session.station.region
    for i in range(parsed.n):
        line = sheet.lines[i]
        if parsed.reasons[i]:
            report.rejected.append((line, parsed.reasons[i]))
            continue
        if parsed.id_numbers[i] is None:
            report.rejected.append((line, _("ID number: required")))
            continue
        day = parsed.tested_on[i] or session_day
        tested_at = timezone.make_aware(datetime.datetime.combine(day, timezone.localtime(session.starts_at).time()))
        try:
            with transaction.atomic():
                participant = participant_by_id_number(parsed.id_numbers[i].value, region=region,
                                                       real_name=parsed.names[i], created_by=tester)
                if not has_health_consent(participant) and parsed.consent[i]:
                    record_walk_in_consent(participant, guardian_name=parsed.guardian[i], recorded_by=tester,
                                           request=request)
                result = record_result(
                    session, participant, standard=std.name,
                    grade=parsed.grade[i], age=None if math.isnan(parsed.age[i]) else float(parsed.age[i]),
                    sex=parsed.sex[i], measurements=parsed.row_measurements(i), tested_at=tested_at, tester=tester,
                    source=TestResult.Source.IMPORT, request=request)
        except ServiceError as exc:
            report.rejected.append((line, f"{exc.field + ': ' if exc.field else ''}{exc.message}"))
            continue
        report.created.append(result)
    audit.record("import", request=request, actor=tester, obj=session, region_code=region.code,
                 detail={"what": "physique_results", "created": len(report.created), "rejected": len(report.rejected)})
    return report


# --- prescriptions -----------------------------------------------------------------------------

def make_prescription(result: TestResult, answers: list[bool], *, by=None, request=None) -> Prescription:
    """Screen (PAR-Q+), find the weak components and write the FITT prescription for one result."""
    if len(answers) != len(prescriptions.PARQ_QUESTIONS) or not all(isinstance(a, bool) for a in answers):
        raise PhysiqueError("parq_incomplete", _("Answer every screening question with yes or no."), "answers",
                            status=422)
    built = prescriptions.build(result, answers)
    with transaction.atomic():
        rx = Prescription.objects.create(
            result=result, participant=result.participant, region_id=result.region_id, parq_answers=answers,
            cleared=built.cleared, component_scores=built.component_scores, weak_components=built.weak_components,
            plan=built.plan, created_by=by)
        audit.record("physique_prescription", request=request, actor=by, obj=rx,
                     detail={"result": result.pk})  # not whether cleared: that is health data
    return rx


# --- a person's own data -----------------------------------------------------------------------

def export_person(user: User) -> dict:
    """The physique part of a person's data export (called by quanmin.web.personal_data)."""
    referrals = [
        {"referred_at": r.referred_at.isoformat(), "site": r.site.name, "referred_from": r.source,
         "referrer": r.referrer, "condition": r.condition, "note": r.note, "status": r.status,
         "practitioner": r.practitioner.real_name if r.practitioner_id else None, "prescription": r.prescription}
        for r in sportmed.person_referrals(user).select_related("site", "practitioner").order_by("referred_at")]
    participant = Participant.objects.filter(user=user).first()
    if participant is None:
        return {"results": [], "prescriptions": [], "exercise_standard": [], "referrals": referrals}
    results = participant.results.select_related("session__station").order_by("tested_at")
    return {
        "registered_at": participant.region_id,
        "results": [
            {"tested_at": r.tested_at.isoformat(), "station": r.session.station.name, "standard": r.standard,
             "sex": r.sex, "grade": r.grade, "age": r.age, "measurements": r.measurements, "items": r.scores,
             "total": float(r.total), "rating": r.rating or None, "passed": r.passed}
            for r in results
        ],
        "prescriptions": [
            {"created_at": p.created_at.isoformat(), "result_tested_at": p.result.tested_at.isoformat(),
             "screening_answers": p.parq_answers, "cleared": p.cleared, "weak_components": p.weak_components,
             "plan": p.plan}
            for p in participant.prescriptions.select_related("result")
        ],
        "exercise_standard": [
            {"held_on": g.session.held_on.isoformat(), "place": g.session.place, "edition": g.session.edition,
             "level": g.level, "items": g.items, "annulled": g.annulled_at is not None,
             "certificate": g.certificate.number if hasattr(g, "certificate") else None}
            for g in participant.exercise_grades.select_related("session", "certificate").order_by("tested_at")
        ],
        "referrals": referrals,
    }


def erase_person(user) -> None:
    """A person's health data goes with their account (called by quanmin.web.personal_data):
    results, prescriptions and sport–medicine referrals are deleted, the participant row loses its
    personal fields."""
    sportmed.person_referrals(user).delete()
    participant = Participant.objects.filter(user=user).first()
    if participant is None:
        return
    with transaction.atomic():
        participant.prescriptions.all().delete()
        results = list(TestResult.objects.select_for_update().filter(participant=participant)
                       .only("pk", "region_id", "tested_at", "standard", "sex", "age_group", "outcome_enc"))
        tally.add(results, -1)  # the figures no longer count them
        TestResult.objects.filter(pk__in=[r.pk for r in results]).delete()
        ExerciseCertificate.objects.filter(participant=participant).delete()
        grades = ExerciseGrade.objects.select_for_update().filter(participant=participant)
        tally.add_grades([g for g in grades if g.annulled_at is None], -1)
        grades.delete()
        participant.delete()
