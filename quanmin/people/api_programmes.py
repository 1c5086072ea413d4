"""More of the instructor register's API under /api/v1/people: training courses, enrolment and
results; residents' questions to stations and the answers; dual posts; the supplier directory
(public to read); skills contests and their results."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts import scoping
from quanmin.accounts.api_auth import PUBLIC
from quanmin.core.api import MAX_ID, Day, ErrorOut, Paging
from quanmin.regions import codes

from . import permissions, pools, services, training
from .models import Contest, Enrollment, GuidanceRequest, Instructor, Post, Station, Supplier, Training
from .stations import stations_of_staff

router = Router(tags=["people"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}
ID = Field(..., ge=1, le=MAX_ID)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _code(value: str) -> str:
    return services.code_of(value) or value


class TrainingIn(Schema):
    title: str = Field(..., max_length=120)
    kind: str = Field("grade", max_length=10)
    grade: str = Field("third", max_length=10)
    organiser: str = Field(..., max_length=120)
    region_code: str = Field(..., max_length=12)
    site_id: int | None = Field(None, ge=1, le=MAX_ID)
    starts_on: Day
    ends_on: Day
    hours: Decimal = Field(..., ge=0, le=1000, decimal_places=1)
    capacity: int = Field(50, ge=1, le=10000)
    for_disabled: bool = False


class TrainingOut(Schema):
    id: int
    title: str
    kind: str
    grade: str
    organiser: str
    region_code: str = Field(..., alias="region_id")
    site_id: int | None
    starts_on: datetime.date
    ends_on: datetime.date
    hours: Decimal
    capacity: int
    for_disabled: bool


class EnrolIn(Schema):
    instructor_id: int = ID


class EnrollmentOut(Schema):
    id: int
    training_id: int
    instructor_id: int
    attended_hours: Decimal
    passed: bool | None
    result_on: datetime.date | None


class ResultIn(Schema):
    attended_hours: Decimal = Field(..., ge=0, le=1000, decimal_places=1)
    passed: bool | None = None


@router.get("/trainings", response={200: list[TrainingOut], **ERRORS}, summary="Training courses in my divisions")
@paginate(Paging)
def list_trainings(request):
    _require(permissions.can_read(request.user))
    return scoping.scoped(request.user, Training.objects.all()).order_by("-starts_on", "id")


@router.post("/trainings", response={201: TrainingOut, **ERRORS}, summary="Create a training course (staff)")
def create_training(request, payload: TrainingIn):
    _require(permissions.can_write(request.user))
    data = payload.dict()
    data.update(region=_code(data.pop("region_code")), site=data.pop("site_id"))
    return Status(201, training.create_training(data, by=request.user, request=request))


@router.get("/trainings/{int:training_id}/enrollments", response={200: list[EnrollmentOut], **ERRORS},
            summary="A course's people, attendance and results")
@paginate(Paging)
def list_enrollments(request, training_id: int):
    _require(permissions.can_read(request.user))
    course = scoping.get_scoped_or_404(request.user, Training.objects.all(), pk=training_id)
    return course.enrollments.order_by("id")


@router.post("/trainings/{int:training_id}/enrollments", response={201: EnrollmentOut, **ERRORS},
             summary="Enrol a person on a course (staff); the places are never oversold")
def enrol(request, training_id: int, payload: EnrolIn):
    _require(permissions.can_write(request.user))
    course = scoping.get_scoped_or_404(request.user, Training.objects.all(), write=True, pk=training_id)
    person = scoping.get_scoped_or_404(request.user, Instructor.objects.all(), pk=payload.instructor_id)
    return Status(201, training.enrol(course, person, by=request.user, request=request))


@router.post("/enrollments/{int:enrollment_id}/result", response={200: EnrollmentOut, **ERRORS},
             summary="Record attendance and the result (a pass renews a lapsed instructor)")
def record_result(request, enrollment_id: int, payload: ResultIn):
    _require(permissions.can_write(request.user))
    mine = scoping.scoped(request.user, Training.objects.all(), write=True).values("id")
    found = Enrollment.objects.select_related("training").filter(pk=enrollment_id, training_id__in=mine).first()
    if found is None:
        raise Http404
    return training.record_result(found, attended_hours=payload.attended_hours, passed=payload.passed,
                                  by=request.user, request=request)


class AskIn(Schema):
    sport: str = Field("", max_length=20)
    message: str = Field(..., max_length=300)


class RequestOut(Schema):
    id: int
    station_id: int
    sport: str
    message: str
    status: str
    answer: str
    created_at: datetime.datetime


class ProgrammeAnswerIn(Schema):
    answer: str = Field(..., max_length=300)


@router.post("/stations/{int:station_id}/ask", response={201: RequestOut, **ERRORS},
             summary="Ask a station for guidance (signed in)")
def ask(request, station_id: int, payload: AskIn):
    station = Station.objects.filter(pk=station_id, active=True).first()
    if station is None:
        raise Http404
    return Status(201, pools.ask(station, request.user, payload.dict(), request=request))


@router.get("/me/questions", response={200: list[RequestOut], **ERRORS}, summary="My questions to stations")
@paginate(Paging)
def my_questions(request):
    return GuidanceRequest.objects.filter(user=request.user).order_by("-created_at")


def _answerable(user):
    q = scoping.scope_q(user, GuidanceRequest, write=True)
    qs = GuidanceRequest.objects.all()
    stations = stations_of_staff(user)
    if q is None:
        return qs
    return qs.filter(q | Q(station_id__in=stations))


@router.get("/questions", response={200: list[RequestOut], **ERRORS},
            summary="Residents' questions to my stations and divisions")
@paginate(Paging)
def list_questions(request):
    _require(permissions.can_confirm_logs(request.user))
    return _answerable(request.user).order_by("status", "-created_at")


@router.post("/questions/{int:question_id}/answer", response={200: RequestOut, **ERRORS},
             summary="Answer a resident's question")
def answer(request, question_id: int, payload: ProgrammeAnswerIn):
    _require(permissions.can_confirm_logs(request.user))
    found = _answerable(request.user).filter(pk=question_id).first()
    if found is None:
        raise Http404
    return pools.answer(found, payload.answer, by=request.user, request=request)


class PostIn(Schema):
    kind: str = Field(..., max_length=24)
    instructor_id: int | None = Field(None, ge=1, le=MAX_ID)
    person_name: str = Field("", max_length=50)
    region_code: str = Field(..., max_length=12)
    appointed_on: Day
    ends_on: Day | None = None
    note: str = Field("", max_length=200)


class PostOut(Schema):
    id: int
    kind: str
    instructor_id: int | None
    person_name: str
    region_code: str = Field(..., alias="region_id")
    appointed_on: datetime.date
    ends_on: datetime.date | None


@router.get("/posts", response={200: list[PostOut], **ERRORS}, summary="Dual posts (双员) in my divisions")
@paginate(Paging)
def list_posts(request):
    _require(permissions.can_read(request.user))
    return scoping.scoped(request.user, Post.objects.all()).order_by("region_id", "id")


@router.post("/posts", response={201: PostOut, **ERRORS}, summary="Appoint to a dual post (staff)")
def create_post(request, payload: PostIn):
    _require(permissions.can_write(request.user))
    data = payload.dict()
    data.update(region=_code(data.pop("region_code")), instructor=data.pop("instructor_id"))
    return Status(201, pools.appoint(data, by=request.user, request=request))


class SupplierIn(Schema):
    kind: str = Field(..., max_length=14)
    name: str = Field(..., max_length=120)
    unit: str = Field("", max_length=120)
    region_code: str = Field(..., max_length=12)
    sports: list[str] = Field(default_factory=list, max_length=20)
    specialty: str = Field("", max_length=200)
    serves_disabled: bool = False


class SupplierOut(Schema):
    id: int
    kind: str
    name: str
    unit: str
    region_code: str = Field(..., alias="region_id")
    sports: list[str]
    specialty: str
    serves_disabled: bool

    @staticmethod
    def resolve_sports(obj):
        return [s for s in obj.sports.split(",") if s]


class SupplierQuery(Schema):
    region: str | None = Field(None, max_length=12)
    kind: str | None = Field(None, max_length=14)


@router.get("/suppliers", response={200: list[SupplierOut], **ERRORS}, auth=PUBLIC,
            summary="The scientific-fitness supplier directory (public)")
@paginate(Paging)
def list_suppliers(request, query: Query[SupplierQuery]):
    qs = Supplier.objects.filter(active=True)
    region = services.code_of(query.region or "")
    if region:
        qs = qs.filter(region__code__within=codes.prefix(region))
    if query.kind:
        qs = qs.filter(kind=query.kind)
    return qs.order_by("region_id", "kind", "name")


@router.post("/suppliers", response={201: SupplierOut, **ERRORS}, summary="Add to the supplier directory (staff)")
def create_supplier(request, payload: SupplierIn):
    _require(permissions.can_write(request.user))
    data = payload.dict()
    data["region"] = _code(data.pop("region_code"))
    return Status(201, pools.save_supplier(data, by=request.user, request=request))


class ContestIn(Schema):
    title: str = Field(..., max_length=120)
    region_code: str = Field(..., max_length=12)
    held_on: Day
    sport: str = Field("", max_length=20)


class ContestOut(Schema):
    id: int
    title: str
    region_code: str = Field(..., alias="region_id")
    held_on: datetime.date
    sport: str


class ContestResultIn(Schema):
    instructor_id: int = ID
    rank: int | None = Field(None, ge=1, le=10000)
    award: str = Field("", max_length=60)


class ContestResultOut(Schema):
    id: int
    contest_id: int
    instructor_id: int
    rank: int | None
    award: str


@router.get("/contests", response={200: list[ContestOut], **ERRORS}, summary="Skills contests in my divisions")
@paginate(Paging)
def list_contests(request):
    _require(permissions.can_read(request.user))
    return scoping.scoped(request.user, Contest.objects.all()).order_by("-held_on", "id")


@router.post("/contests", response={201: ContestOut, **ERRORS}, summary="Create a skills contest (staff)")
def create_contest(request, payload: ContestIn):
    _require(permissions.can_write(request.user))
    data = payload.dict()
    data["region"] = _code(data.pop("region_code"))
    return Status(201, pools.create_contest(data, by=request.user, request=request))


@router.post("/contests/{int:contest_id}/results", response={201: ContestResultOut, **ERRORS},
             summary="Record an instructor's result in a contest (staff)")
def add_contest_result(request, contest_id: int, payload: ContestResultIn):
    _require(permissions.can_write(request.user))
    contest = scoping.get_scoped_or_404(request.user, Contest.objects.all(), write=True, pk=contest_id)
    person = scoping.get_scoped_or_404(request.user, Instructor.objects.all(), pk=payload.instructor_id)
    return Status(201, pools.record_contest_result(contest, person, rank=payload.rank, award=payload.award,
                                                   by=request.user, request=request))


@router.get("/contests/{int:contest_id}/results", response={200: list[ContestResultOut], **ERRORS},
            summary="A contest's results (staff)")
@paginate(Paging)
def list_contest_results(request, contest_id: int):
    _require(permissions.can_read(request.user))
    contest = scoping.get_scoped_or_404(request.user, Contest.objects.all(), pk=contest_id)
    return contest.results.order_by("rank", "id")
