"""Physique API under /api/v1/physique.

- POST /score: the calculator, public. Bad input of any kind answers 400 (not JSON) or 422 with a
  field-level error {"code", "message", "field"}; the body is read here, not by the schema layer, so
  that every problem is named by the field the engine checks (`measurements.pullups`, `age` …).
- Standards, PAR-Q+ questions, stations and bookable sessions: public.
- A person's own results, consent and bookings: signed in. A result or prescription: its person or
  the testing staff (see selectors), else 404. Every read of a person's results is logged.
- Recording, importing, stations and sessions: division staff with a writing role, in scope.
- Figures per division: division readers (supervisors too) in scope; aggregates only.
"""

from __future__ import annotations

import datetime
import json
import math
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from quanmin.accounts import scoping
from quanmin.accounts.api_auth import PUBLIC
from quanmin.core.api import ArrayPaging, ErrorOut, Moment
from quanmin.core.errors import ServiceError
from quanmin.facilities.models import Site
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import errors, figures, permissions, prescriptions, scoring, selectors, services, tables
from .models import TestResult, TestSession, TestStation

router = Router(tags=["physique"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _finite(value):
    """JSON has no Infinity or NaN: an absurd input (a height of 1e-300 cm) gives null, not a broken body."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


# --- calculator ----------------------------------------------------------------------------------

class ScoreIn(Schema):
    standard: str = Field(..., description="`student-2014` or `physique-2003` (or another data file's name)",
                          examples=["student-2014"])
    sex: str = Field(..., description="`male` or `female`", examples=["male"])
    grade: str | None = Field(None, description="Students: `primary-1` … `university-4`", examples=["junior-2"])
    age: float | None = Field(None, description="Physique standard: age in years (3–6 in half years, 20–69)")
    measurements: dict[str, float | str | None] = Field(
        default_factory=dict, description="Canonical keys, e.g. `height_cm`, `vital_capacity_ml`, `run_1000m_s`",
        examples=[{"height_cm": 165, "weight_kg": 52, "vital_capacity_ml": 3200, "sprint_50m_s": 8.1,
                   "sit_and_reach_cm": 9.5, "standing_long_jump_cm": 215, "pullups": 6, "run_1000m_s": "3'55\""}])


class ItemOut(Schema):
    key: str
    label: str
    value: float | None
    score: int | None
    weight: float | None
    bonus: int
    reason: str | None
    band: str | None = None


class ScoreOut(Schema):
    standard: str
    sex: str
    grade: str | None
    age: float | None
    group: str
    items: list[ItemOut]
    base_total: float
    bonus_total: int
    total: float
    rating: str | None
    rating_label: str | None
    passed: bool | None
    complete: bool
    reasons: list[str]
    ignored: list[str]


def _read_json(request) -> Any:
    try:
        body = request.body
    except RequestDataTooBig:
        raise ServiceError("body_too_large", _("The request body is too large."), "body", status=400) from None
    try:
        return json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ServiceError("invalid_json", _("The body must be a JSON object."), "body", status=400) from None


@router.post("/score", auth=PUBLIC, response={200: ScoreOut, 400: ErrorOut, 422: ErrorOut},
             summary="Score one person's measurements under a national standard (no sign-in)",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": ScoreIn.model_json_schema()}}}})
def score(request):
    """Each item's value, score, weight and bonus; the total and the rating. Run times may be given in
    seconds or as `3'55"`. Errors name the field: `standard`, `sex`, `grade`, `age`, `measurements`
    or `measurements.<key>`."""
    data = _read_json(request)
    if not isinstance(data, dict):
        raise ServiceError("invalid", _("The body must be a JSON object."), "body", status=422)
    unknown = sorted(set(data) - {"standard", "sex", "grade", "age", "measurements"})
    if unknown:
        raise ServiceError("unknown_field", _("Unknown field: %(name)s.") % {"name": unknown[0]}, unknown[0],
                           status=422)
    if "standard" not in data:
        raise ServiceError("required", _("Give the standard."), "standard", status=422)
    try:
        result = scoring.score(data["standard"], data.get("sex"), grade=data.get("grade"), age=data.get("age"),
                               measurements=data.get("measurements"))
    except errors.ScoringError as exc:
        raise ServiceError(exc.code, exc.message, exc.field, status=422) from None
    return _finite(result.as_dict())


@router.get("/standards", auth=PUBLIC, summary="The standards, their grades or age groups, and the items of each")
def standards(request):
    out = []
    for name in tables.available_standards():
        std = tables.load_standard(name)
        out.append({
            "name": std.name, "title": std.title, "subject": std.subject, "grades": list(std.grades),
            "source": std.source,
            "groups": [{"id": g.id, "grades": list(g.grades), "age_min": g.age_min, "age_max": g.age_max,
                        "ratings": [{"code": r.code, "label": r.label, "min": None if r.min_x100 is None else r.min_x100 / 100}
                                    for r in g.ratings] if g.ratings else None,
                        "items": {sex: [{"key": i.key, "label": i.label, "unit": i.unit, "inputs": list(i.inputs),
                                         "weight": i.weight_pct / 100 if std.total_method == "weighted_sum" else None}
                                        for i in g.plans[sex]] for sex in tables.SEXES}}
                       for g in std.groups],
        })
    return out


@router.get("/parq", auth=PUBLIC, summary="The PAR-Q+ screening questions asked before a prescription")
def parq(request):
    return {"source": prescriptions.PARQ_SOURCE, "questions": [str(q) for q in prescriptions.PARQ_QUESTIONS]}


# --- stations and sessions -------------------------------------------------------------------------

class StationOut(Schema):
    id: int
    name: str
    region_code: str
    region_name: str
    address: str
    site_id: int | None
    lat: float | None
    lon: float | None
    level: str
    level_label: str


def _station_out(s) -> dict:
    return {"id": s.pk, "name": s.name, "region_code": s.region_id, "region_name": s.region.name,
            "level": s.level, "level_label": str(s.get_level_display()),
            "address": s.address or (s.site.address if s.site_id else ""), "site_id": s.site_id,
            "lat": s.site.lat if s.site_id else None, "lon": s.site.lon if s.site_id else None}


class SessionOut(Schema):
    id: int
    station: StationOut
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    free_places: int | None
    bookable: bool
    standard: str
    note: str


def _session_out(s) -> dict:
    return {"id": s.pk, "station": _station_out(s.station), "starts_at": s.starts_at, "ends_at": s.ends_at,
            "capacity": s.capacity, "free_places": s.slot.free_places if s.slot_id else None,
            "bookable": bool(s.slot_id), "standard": s.standard, "note": s.note}


@router.get("/stations", auth=PUBLIC, response=list[StationOut], summary="Test stations (where to get tested)")
@paginate(ArrayPaging)
def stations(request, region: str = ""):
    qs = TestStation.objects.filter(active=True).select_related("region", "site").order_by("region_id", "name")
    if region:
        try:
            qs = qs.filter(region__code__within=codes.prefix(codes.normalise(region)))
        except ValueError:
            raise ServiceError("invalid", _("Not a division code."), "region", status=422) from None
    return [_station_out(s) for s in qs[:500]]


class StationIn(Schema):
    name: str
    region_code: str
    site_id: int | None = None
    address: str = ""
    phone: str = ""
    level: str = Field("", description="Network tier: `city`, `county`, `township` or `community`; "
                                       "blank: the division's level")


@router.post("/stations", response={201: StationOut, **ERRORS}, summary="Add a test station (staff)")
def create_station(request, payload: StationIn):
    _require(permissions.can_test(request.user))
    region = _writable_region(request, payload.region_code)
    site = None
    if payload.site_id is not None:
        site = scoping.get_scoped_or_404(request.user, Site.objects.all(), write=True, pk=payload.site_id)
    station = services.create_station(name=payload.name, region=region, site=site, address=payload.address,
                                      phone=payload.phone, level=payload.level, request=request)
    return Status(201, _station_out(station))


def _writable_region(request, code: str) -> Region:
    try:
        code = codes.normalise(code)
    except ValueError:
        raise ServiceError("invalid", _("Not a division code."), "region_code", status=422) from None
    return scoping.get_scoped_or_404(request.user, Region.objects.all(), write=True, code=code)


class SessionIn(Schema):
    starts_at: Moment
    ends_at: Moment
    capacity: int = 30
    standard: str = "physique-2003"
    note: str = ""
    open_booking: bool = False


@router.post("/stations/{station_id}/sessions", response={201: SessionOut, **ERRORS},
             summary="Add a test session to a station (staff); open_booking makes it bookable")
def create_session(request, station_id: int, payload: SessionIn):
    _require(permissions.can_test(request.user))
    station = selectors.station_or_404(request.user, station_id)
    session = services.create_session(station, starts_at=payload.starts_at, ends_at=payload.ends_at,
                                      capacity=payload.capacity, standard=payload.standard, note=payload.note,
                                      open_booking=payload.open_booking, request=request)
    return Status(201, _session_out(session))


@router.post("/sessions/{session_id}/open-booking", response={200: SessionOut, **ERRORS},
             summary="Let residents book places in a session (staff)")
def open_booking(request, session_id: int):
    _require(permissions.can_test(request.user))
    session = selectors.session_or_404(request.user, session_id)
    return _session_out(services.open_for_booking(session, request=request))


@router.get("/sessions", auth=PUBLIC, response=list[SessionOut], summary="Test sessions to come that take bookings")
@paginate(ArrayPaging)
def sessions(request, region: str = ""):
    try:
        qs = selectors.upcoming_sessions(region)
    except ValueError:
        raise ServiceError("invalid", _("Not a division code."), "region", status=422) from None
    return [_session_out(s) for s in qs[:200]]


class PhysiqueBookingOut(Schema):
    code: str
    status: str
    session_id: int
    starts_at: datetime.datetime


@router.post("/sessions/{session_id}/book", response={201: PhysiqueBookingOut, **ERRORS},
             summary="Book a place in a test session (the booking rules of venues apply)")
def book(request, session_id: int):
    session = TestSession.objects.select_related("station", "slot").filter(pk=session_id).first()
    if session is None:
        raise Http404
    booking = services.book_session(request.user, session, request=request)
    return Status(201, {"code": booking.code, "status": booking.status, "session_id": session.pk,
                        "starts_at": session.starts_at})


# --- a person's record ---------------------------------------------------------------------------

class ResultOut(Schema):
    id: int
    tested_at: datetime.datetime
    station: str
    standard: str
    sex: str
    grade: str
    age: float | None
    age_group: str
    measurements: dict[str, float]
    items: list[ItemOut]
    total: float
    rating: str | None
    passed: bool | None
    complete: bool


def _result_out(r: TestResult) -> dict:
    return {"id": r.pk, "tested_at": r.tested_at, "station": r.session.station.name, "standard": r.standard,
            "sex": r.sex, "grade": r.grade, "age": r.age, "age_group": r.age_group, "measurements": r.measurements,
            "items": r.scores, "total": float(r.total), "rating": r.rating or None, "passed": r.passed,
            "complete": r.complete}


class ConsentIn(Schema):
    agree: bool
    guardian_name: str = ""
    guardian_relation: str = ""


class ConsentOut(Schema):
    kind: str
    version: str
    given_at: datetime.datetime


@router.post("/me/consent", response={201: ConsentOut, **ERRORS},
             summary="Consent to the processing of my physique test data")
def give_consent(request, payload: ConsentIn):
    if not payload.agree:
        raise ServiceError("consent_required", _("Tick the box to consent."), "agree", status=422)
    consent = services.give_health_consent(request.user, guardian_name=payload.guardian_name,
                                           guardian_relation=payload.guardian_relation, request=request)
    return Status(201, {"kind": consent.kind, "version": consent.version, "given_at": consent.given_at})


@router.get("/me/results", response=list[ResultOut], summary="My physique tests, oldest first (the read is logged)")
@paginate(ArrayPaging)
def my_results(request):
    participant = selectors.own_participant(request.user)
    if participant is None:
        return []
    selectors.log_read(request, participant, "own record")
    return [_result_out(r) for r in selectors.results_of(participant, request.user)]


@router.get("/results/{result_id}", response={200: ResultOut, **ERRORS},
            summary="One test: its person or the testing staff (the read is logged)")
def get_result(request, result_id: int):
    result = selectors.result_or_404(request.user, result_id)
    selectors.log_read(request, result.participant, "result")
    return _result_out(result)


@router.get("/participants/{participant_id}/results", response={200: list[ResultOut], **ERRORS},
            summary="A person's tests at my stations (testing staff; the read is logged)")
@paginate(ArrayPaging)
def participant_results(request, participant_id: int):
    _require(permissions.can_test(request.user))
    participant = selectors.participant_or_404(request.user, participant_id)
    selectors.log_read(request, participant, "testing staff")
    return [_result_out(r) for r in selectors.results_of(participant, request.user)]


class RecordIn(Schema):
    session_id: int
    id_number: str
    real_name: str = ""
    consent: bool = Field(False, description="The person (or guardian) consented at the station (paper notice)")
    guardian_name: str = ""
    standard: str
    grade: str | None = None
    age: float | None = Field(None, description="Worked out from the ID number when absent")
    sex: str | None = Field(None, description="Read from the ID number when absent")
    measurements: dict[str, Any] = Field(default_factory=dict)
    tested_at: Moment | None = None


class RecordOut(ResultOut):
    participant_id: int


@router.post("/results", response={201: RecordOut, **ERRORS},
             summary="Record a test (testing staff); scored by the engine; needs the person's consent")
def record(request, payload: RecordIn):
    _require(permissions.can_test(request.user))
    session = selectors.session_or_404(request.user, payload.session_id)
    participant = services.participant_by_id_number(payload.id_number, region=session.station.region,
                                                    real_name=payload.real_name, created_by=request.user)
    if payload.consent and not services.has_health_consent(participant):
        services.record_walk_in_consent(participant, guardian_name=payload.guardian_name, recorded_by=request.user,
                                        request=request)
    result = services.record_result(session, participant, standard=payload.standard, grade=payload.grade,
                                    age=payload.age, sex=payload.sex, measurements=payload.measurements,
                                    tested_at=payload.tested_at, tester=request.user,
                                    source=TestResult.Source.API, request=request)
    return Status(201, {**_result_out(result), "participant_id": participant.pk})


class PhysiqueImportOut(Schema):
    rows: int
    created: int
    rejected: list[dict]


@router.post("/sessions/{session_id}/import", response={200: PhysiqueImportOut, **ERRORS},
             summary="Import a device export (.xlsx/.csv) into a session (testing staff)")
def import_results(request, session_id: int, file: File[UploadedFile] = None,
                   standard: Form[str] = "physique-2003"):
    """Every valid row is recorded; each rejected row is reported with its line and reason."""
    _require(permissions.can_test(request.user))
    session = selectors.session_or_404(request.user, session_id)
    if file is None:
        raise ServiceError("file_required", _("Choose a file to upload."), "file")
    report = services.import_results(session, file, file.name, standard=standard, tester=request.user,
                                     request=request)
    return {"rows": report.total_rows, "created": len(report.created),
            "rejected": [{"line": line, "reason": reason} for line, reason in report.rejected]}


# --- prescriptions ---------------------------------------------------------------------------------

class PrescriptionIn(Schema):
    answers: list[bool] = Field(..., description="The seven PAR-Q+ answers, in order (true = yes)")


def _prescription_out(rx, lat: float | None = None, lon: float | None = None) -> dict:
    point = (lat, lon) if lat is not None and lon is not None else prescriptions.point_for(rx.participant, rx.result)
    near = prescriptions.nearby_places(rx.plan, *point) if point else []
    return {
        "id": rx.pk, "result_id": rx.result_id, "created_at": rx.created_at, "cleared": rx.cleared,
        "doctor_first": rx.plan.get("doctor_first", False),
        "weak_components": [{"code": c, "label": str(prescriptions.COMPONENT_LABELS[c])} for c in rx.weak_components],
        "component_scores": rx.component_scores,
        "parts": [{**p, "text": prescriptions.describe(p)} for p in rx.plan.get("parts", [])],
        "near": [{"component": n["component"],
                  "places": [{"site_id": p["site"].pk, "site": p["site"].name, "address": p["site"].address,
                              "distance_m": round(p["distance_m"]), "types": p["types"],
                              "facility_ids": [f.pk for f in p["facilities"]]} for p in n["places"]],
                  "slots": [{"slot_id": s.pk, "unit": s.unit.name, "site": s.unit.site.name, "starts_at": s.start,
                             "free_places": s.free_places} for s in n["slots"]]}
                 for n in near],
    }


@router.post("/results/{result_id}/prescriptions", response={201: dict, **ERRORS},
             summary="Screen (PAR-Q+) and write an exercise prescription from a test")
def create_prescription(request, result_id: int, payload: PrescriptionIn):
    result = selectors.result_or_404(request.user, result_id)
    rx = services.make_prescription(result, payload.answers, by=request.user, request=request)
    selectors.log_read(request, result.participant, "prescription")
    return Status(201, _prescription_out(rx))


@router.get("/prescriptions/{prescription_id}", response={200: dict, **ERRORS},
            summary="A prescription with nearby places and sessions that fit it (near lat/lon, else home)")
def get_prescription(request, prescription_id: int, lat: float | None = None, lon: float | None = None):
    rx = selectors.prescription_or_404(request.user, prescription_id)
    selectors.log_read(request, rx.participant, "prescription")
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ServiceError("invalid", _("Not a point on Earth."), "lat", status=422)
    return _prescription_out(rx, lat, lon)


# --- figures -------------------------------------------------------------------------------------

@router.get("/figures/{code}", response={200: dict, **ERRORS},
            summary="Physique figures of a division and the divisions under it (staff and supervisors in scope)")
def division_figures(request, code: str, year: int | None = None):
    _require(permissions.can_read(request.user))
    try:
        code = codes.normalise(code)
    except ValueError:
        raise Http404 from None
    region = scoping.get_scoped_or_404(request.user, Region.objects.all(), code=code)
    return figures.division_figures(region, year).as_dict()

