"""National Physical Exercise Standard API under /api/v1/physique/standard.

- Sessions, grades (entered or imported), annulment: division staff with a writing role, in scope
  (404 outside). A grade is the testing station's; Quanmin does not score this standard.
- A person's own grades and certificates: signed in (the read is logged).
- A certificate's check by its number: public, and it answers only what verifies it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from quanmin.accounts import scoping
from quanmin.accounts.api_auth import PUBLIC
from quanmin.booking.selectors import mask_name
from quanmin.core import imports
from quanmin.core.api import ArrayPaging, Day, ErrorOut
from quanmin.core.errors import ServiceError
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import exercise, permissions, selectors, services_exercise
from .models import ExerciseGrade

router = Router(tags=["physique: exercise standard"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class StandardSessionIn(Schema):
    region_code: str = Field(..., description="The organising division's 12-digit code")
    held_on: Day
    place: str
    organiser: str
    note: str = ""
    edition: str = Field(exercise.DEFAULT_EDITION, description="The standard's edition (a data file's name)")


class StandardSessionOut(Schema):
    id: int
    region_code: str
    region_name: str
    edition: str
    held_on: datetime.date
    place: str
    organiser: str
    note: str


def _session_out(s) -> dict:
    return {"id": s.pk, "region_code": s.region_id, "region_name": s.region.name, "edition": s.edition,
            "held_on": s.held_on, "place": s.place, "organiser": s.organiser, "note": s.note}


@router.get("/sessions", response=list[StandardSessionOut], summary="Exercise standard test sessions (staff, in scope)")
@paginate(ArrayPaging)
def list_sessions(request):
    _require(permissions.can_test(request.user))
    return [_session_out(s) for s in selectors.exercise_sessions_for(request.user)[:500]]


@router.post("/sessions", response={201: StandardSessionOut, **ERRORS},
             summary="Add an exercise standard test session (staff)")
def create_session(request, payload: StandardSessionIn):
    _require(permissions.can_test(request.user))
    try:
        code = codes.normalise(payload.region_code)
    except ValueError:
        raise ServiceError("invalid", _("Not a division code."), "region_code", status=422) from None
    region = scoping.get_scoped_or_404(request.user, Region.objects.all(), write=True, code=code)
    session = services_exercise.create_session(region=region, held_on=payload.held_on, place=payload.place,
                                               organiser=payload.organiser, note=payload.note,
                                               edition=payload.edition, actor=request.user, request=request)
    return Status(201, _session_out(session))


class StandardGradeIn(Schema):
    id_number: str = Field(..., description="The person's ID number (身份证号)")
    real_name: str = Field("", description="Needed for a person tested here for the first time")
    level: str = Field(..., description="The grade the testing station gave: `fail`, `pass`, `good`, `excellent` "
                                        "(or 不达标, 达标, 良好, 优秀)")
    items: str = Field("", description="Item results as the station printed them (kept, never scored)")
    consent: bool = Field(False, description="The person signed the health data notice at the test")
    guardian_name: str = ""


class StandardGradeOut(Schema):
    id: int
    session_id: int
    participant_id: int
    level: str
    level_label: str
    annulled: bool
    certificate: str | None


def _grade_out(g: ExerciseGrade) -> dict:
    cert = getattr(g, "certificate", None)
    return {"id": g.pk, "session_id": g.session_id, "participant_id": g.participant_id, "level": g.level,
            "level_label": str(exercise.LEVEL_LABELS.get(g.level, "")), "annulled": g.annulled_at is not None,
            "certificate": cert.number if cert else None}


@router.post("/sessions/{session_id}/grades", response={201: StandardGradeOut, **ERRORS},
             summary="Record a person's grade (staff); 达标 or better issues the certificate")
def record_grade(request, session_id: int, payload: StandardGradeIn):
    _require(permissions.can_test(request.user))
    session = selectors.exercise_session_or_404(request.user, session_id)
    with transaction.atomic():
        person = services_exercise.person_for(session, id_number=payload.id_number, real_name=payload.real_name,
                                              consent=payload.consent, guardian_name=payload.guardian_name,
                                              actor=request.user, request=request)
        grade = services_exercise.record_grade(session, person, level=payload.level, items=payload.items,
                                               source=ExerciseGrade.Source.API, actor=request.user, request=request)
    return Status(201, _grade_out(grade))


StandardImportOut = imports.import_schema("Standard", loose=True, counts=dict[str, int])


@router.post("/sessions/{session_id}/import", response={200: StandardImportOut, **ERRORS},
             summary="Check, or import, a file of grades (.xlsx/.csv): all rows or none (staff)")
def import_grades(request, session_id: int, file: File[UploadedFile] = None, apply: Form[bool] = False):
    """Each rejected row is reported with its line and every error; nothing is recorded unless every
    row is right and `apply` is true."""
    _require(permissions.can_test(request.user))
    session = selectors.exercise_session_or_404(request.user, session_id)
    if file is None:
        raise ServiceError("file_required", _("Choose a file to upload."), "file")
    report = services_exercise.import_grades(session, file, visible_people=selectors.people_named_by(request.user),
                                             dry_run=not apply, actor=request.user, request=request)
    return report.as_dict()


class AnnulIn(Schema):
    reason: str


@router.post("/grades/{grade_id}/annul", response={200: StandardGradeOut, **ERRORS},
             summary="Annul a grade (staff): its certificate is revoked")
def annul_grade(request, grade_id: int, payload: AnnulIn):
    _require(permissions.can_test(request.user))
    grade = selectors.exercise_grade_or_404(request.user, grade_id)
    annulled = services_exercise.annul_grade(grade, reason=payload.reason, actor=request.user, request=request)
    return _grade_out(ExerciseGrade.objects.select_related("certificate").get(pk=annulled.pk))


class MyStandardGradeOut(Schema):
    held_on: datetime.date
    place: str
    organiser: str
    edition: str
    level: str
    level_label: str
    annulled: bool
    certificate: str | None
    certificate_revoked: bool | None


@router.get("/me", response=list[MyStandardGradeOut], summary="My exercise standard grades and certificates")
@paginate(ArrayPaging)
def my_grades(request):
    participant = selectors.own_participant(request.user)
    grades = selectors.own_exercise_grades(participant)
    if participant is not None:
        selectors.log_read(request, participant, "own exercise standard grades")
    out = []
    for g in grades:
        cert = getattr(g, "certificate", None)
        out.append({"held_on": g.session.held_on, "place": g.session.place, "organiser": g.session.organiser,
                    "edition": g.session.edition, "level": g.level,
                    "level_label": str(exercise.LEVEL_LABELS.get(g.level, "")), "annulled": g.annulled_at is not None,
                    "certificate": cert.number if cert else None,
                    "certificate_revoked": (cert.revoked_at is not None) if cert else None})
    return out


class CertificateCheckOut(Schema):
    number: str
    valid: bool = Field(..., description="False once the grade was annulled (the certificate is revoked)")
    name: str = Field(..., description="The holder's name, masked (张* / 王*明)")
    level: str
    level_label: str
    year: int
    issuer: str
    edition: str


@router.get("/certificates/{number}", auth=PUBLIC, response={200: CertificateCheckOut, 404: ErrorOut},
            summary="Check a certificate by its number (no sign-in)")
def check_certificate(request, number: str):
    cert = selectors.certificate_by_number(number)
    if cert is None:
        raise ServiceError("not_found", _("No certificate has this number."), "number", status=404)
    grade = cert.grade
    ed = exercise.edition(grade.session.edition)
    return {"number": cert.number, "valid": cert.revoked_at is None,
            "name": mask_name(cert.participant.display_name), "level": grade.level,
            "level_label": ed.levels[grade.level].zh, "year": grade.session.held_on.year, "issuer": cert.region.name,
            "edition": ed.title}
