"""Instructor register API under /api/v1/people.

- Staff (division readers read, writers write, in scope): instructors, their applications, reviews,
  approvals (at the level the grade needs), promotions, status, audited reveal, Excel in and out;
  stations and their regular sessions; service logs to confirm (station staff too); figures.
- Signed in: my instructor record, applying, my service logs.
- Public: stations with their next sessions, an instructor's public card.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts import audit, scoping
from quanmin.accounts.api_auth import PUBLIC
from quanmin.core import imports
from quanmin.core.api import MAX_ID, Day, ErrorOut, Moment, Paging
from quanmin.regions.models import Region

from . import figures, io_import, io_sheet, logs, permissions, selectors, services, stations
from .errors import PeopleError
from .models import DutyLog, Instructor, Station

router = Router(tags=["people"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _instructor(request, instructor_id: int, write: bool = False) -> Instructor:
    _require(permissions.can_write(request.user) if write else permissions.can_read(request.user))
    return scoping.get_scoped_or_404(request.user, Instructor.objects.select_related("region"), write=write,
                                     pk=instructor_id)


# ---------------------------------------------------------------- schemas


class InstructorOut(Schema):
    id: int
    real_name: str
    id_number_masked: str
    phone_masked: str
    sex: str
    region_code: str = Field(..., alias="region_id")
    region_name: str
    kind: str
    kind_label: str
    grade: str
    grade_label: str
    certificate_no: str
    approval_level: str
    approved_on: datetime.date | None
    sports: list[str]
    association: str
    status: str
    status_label: str
    core: bool

    @staticmethod
    def resolve_region_name(obj):
        return obj.region.name

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_grade_label(obj):
        return obj.get_grade_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_sports(obj):
        return [s for s in obj.sports.split(",") if s]


class HistoryOut(Schema):
    action: str
    grade: str
    certificate_no: str
    approval_level: str
    on: datetime.date
    note: str


class InstructorDetailOut(InstructorOut):
    history: list[HistoryOut]
    stations: list[int]

    @staticmethod
    def resolve_history(obj):
        return list(obj.history.order_by("-on", "-id"))

    @staticmethod
    def resolve_stations(obj):
        return list(obj.stations.values_list("id", flat=True))


class PeopleListQuery(Schema):
    region: str | None = Field(None, max_length=12, description="A division code: its whole subtree")
    grade: str | None = Field(None, max_length=10)
    status: str | None = Field(None, max_length=10)
    sport: str | None = Field(None, max_length=20)
    kind: str | None = Field(None, max_length=14)
    core: bool = False
    disabled: bool = Field(False, description="Only those serving disabled people")
    q: str | None = Field(None, max_length=50)


class ApplyIn(Schema):
    real_name: str = Field(..., max_length=50)
    id_number: str = Field(..., max_length=18)
    phone: str = Field("", max_length=20)
    region_code: str = Field(..., max_length=12)
    grade: str = Field("third", max_length=10)
    sports: list[str] = Field(default_factory=list, max_length=20)
    association: str = Field("", max_length=120)
    kind: str = Field("instructor", max_length=14)
    public_name: str = Field("surname", max_length=8)


class OwnApplyIn(Schema):
    real_name: str = Field("", max_length=50, description="Taken from the account when it has a real name")
    id_number: str = Field("", max_length=18, description="Taken from the account when it has one")
    region_code: str = Field(..., max_length=12)
    sports: list[str] = Field(default_factory=list, max_length=20)
    public_name: str = Field("surname", max_length=8)


class PatchIn(Schema):
    sports: list[str] | None = Field(None, max_length=20)
    association: str | None = Field(None, max_length=120)
    core: bool | None = None
    serves_disabled: bool | None = None
    public_name: str | None = Field(None, max_length=8)
    phone: str | None = Field(None, max_length=20)
    kind: str | None = Field(None, max_length=14)
    note: str | None = Field(None, max_length=200)


class ApproveIn(Schema):
    certificate_no: str = Field("", max_length=40)
    approved_on: Day | None = None


class PromoteIn(ApproveIn):
    grade: str = Field(..., max_length=10)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=200)


class PeopleStatusIn(Schema):
    status: str = Field(..., max_length=10)
    reason: str = Field("", max_length=200)


class PurposeIn(Schema):
    purpose: str = Field(..., max_length=200)


class PeopleRevealOut(Schema):
    id_number: str
    phone: str


def _region_code(value: str) -> str:
    return services.code_of(value) or value


@router.get("/instructors", response={200: list[InstructorOut], **ERRORS}, summary="Instructors in my divisions")
@paginate(Paging)
def list_instructors(request, query: Query[PeopleListQuery]):
    _require(permissions.can_read(request.user))
    return selectors.staff_instructors(request.user, query.dict(exclude_none=True))


@router.post("/instructors", response={201: InstructorOut, **ERRORS},
             summary="Enter an application (staff, inside their divisions)")
def create_instructor(request, payload: ApplyIn):
    _require(permissions.can_write(request.user))
    data = payload.dict()
    data["region"] = _region_code(data.pop("region_code"))
    return Status(201, services.apply(data, by=request.user, request=request))


@router.get("/instructors/export.xlsx", response={200: None, **ERRORS},
            summary="Instructors in my divisions as .xlsx (numbers masked; re-importable by system ID)")
def export_xlsx(request, query: Query[PeopleListQuery]):
    _require(permissions.can_read(request.user))
    qs = selectors.staff_instructors(request.user, query.dict(exclude_none=True))
    audit.record("export", request=request, detail={"what": "people.instructor", "count": qs.count()})
    return io_sheet.export_response(qs)


@router.get("/instructors/template.xlsx", response={200: None, **ERRORS}, summary="The import template (.xlsx)")
def import_template(request):
    _require(permissions.can_write(request.user))
    return io_sheet.template_response()


@imports.api_import(router, "/instructors/import", imports.import_schema("", loose=True, counts=dict), ERRORS,
                    PeopleError, permissions.can_write, detail=("errors",),
                    summary="Import the register from .xlsx or .csv (a dry run unless dry_run=false)")
def import_file(request, file, dry_run):
    """All or nothing: with dry_run=false any rejected row gives 400 `import_row_invalid` with every
    rejected row in `errors`, and nothing is written."""
    return io_import.import_rows(file, user=request.user, dry_run=dry_run, request=request)


@router.get("/instructors/{int:instructor_id}", response={200: InstructorDetailOut, **ERRORS},
            summary="One instructor with the history (numbers masked)")
def get_instructor(request, instructor_id: int):
    return _instructor(request, instructor_id)


@router.patch("/instructors/{int:instructor_id}", response={200: InstructorOut, **ERRORS},
              summary="Change sports, organisation, core flag, type, card name, phone")
def update_instructor(request, instructor_id: int, payload: PatchIn):
    instructor = _instructor(request, instructor_id, write=True)
    return services.update(instructor, payload.dict(exclude_none=True), by=request.user, request=request)


@router.post("/instructors/{int:instructor_id}/review", response={200: InstructorOut, **ERRORS},
             summary="Review an application against the city's entry thresholds")
def review(request, instructor_id: int):
    return services.review(_instructor(request, instructor_id, write=True), by=request.user, request=request)


@router.post("/instructors/{int:instructor_id}/approve", response={200: InstructorOut, **ERRORS},
             summary="Approve a reviewed application (三级: county; 二级: city; 一级/国家级 recorded by the city)")
def approve(request, instructor_id: int, payload: ApproveIn):
    instructor = _instructor(request, instructor_id, write=True)
    return services.approve(instructor, by=request.user, certificate_no=payload.certificate_no,
                            approved_on=payload.approved_on, request=request)


@router.post("/instructors/{int:instructor_id}/reject", response={200: InstructorOut, **ERRORS},
             summary="Turn an application down, saying why")
def reject(request, instructor_id: int, payload: ReasonIn):
    instructor = _instructor(request, instructor_id, write=True)
    return services.reject(instructor, by=request.user, reason=payload.reason, request=request)


@router.post("/instructors/{int:instructor_id}/promote", response={200: InstructorOut, **ERRORS},
             summary="Promote an active instructor to a higher grade")
def promote(request, instructor_id: int, payload: PromoteIn):
    instructor = _instructor(request, instructor_id, write=True)
    return services.promote(instructor, grade=payload.grade, by=request.user, certificate_no=payload.certificate_no,
                            approved_on=payload.approved_on, request=request)


@router.post("/instructors/{int:instructor_id}/status", response={200: InstructorOut, **ERRORS},
             summary="Lapse, revoke or renew a registered instructor")
def set_status(request, instructor_id: int, payload: PeopleStatusIn):
    instructor = _instructor(request, instructor_id, write=True)
    return services.set_status(instructor, payload.status, by=request.user, reason=payload.reason, request=request)


@router.post("/instructors/{int:instructor_id}/reveal", response={200: PeopleRevealOut, **ERRORS},
             summary="The full ID number and phone (audited, with a purpose)")
def reveal(request, instructor_id: int, payload: PurposeIn):
    instructor = _instructor(request, instructor_id, write=True)
    return services.reveal(instructor, by=request.user, purpose=payload.purpose, request=request)


# ---------------------------------------------------------------- my record and my logs


class PeopleMeOut(Schema):
    instructor: InstructorOut | None


@router.get("/me", response={200: PeopleMeOut, **ERRORS}, summary="My instructor record, if I am registered")
def me(request):
    return {"instructor": permissions.own_instructor(request.user)}


@router.post("/me/apply", response={201: InstructorOut, **ERRORS}, summary="Apply to register as an instructor")
def apply_me(request, payload: OwnApplyIn):
    user = request.user
    data = {"real_name": payload.real_name or user.real_name, "id_number": payload.id_number or user.id_number,
            "phone": user.phone, "region": _region_code(payload.region_code), "sports": payload.sports,
            "public_name": payload.public_name}
    return Status(201, services.apply(data, user=user, request=request))


class LogIn(Schema):
    station_id: int | None = Field(None, ge=1, le=MAX_ID)
    site_id: int | None = Field(None, ge=1, le=MAX_ID)
    started_at: Moment
    ended_at: Moment
    activity: str = Field(..., max_length=120)
    sport: str = Field("", max_length=20)
    setting: str = Field("", max_length=10)
    people_guided: int = Field(0, ge=0, le=10000)
    hours: Decimal | None = Field(None, ge=0, le=100, decimal_places=1)
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)


class LogOut(Schema):
    id: int
    instructor_id: int
    instructor_name: str
    station_id: int | None
    site_id: int | None
    region_code: str = Field(..., alias="region_id")
    started_at: datetime.datetime
    ended_at: datetime.datetime
    hours: Decimal
    activity: str
    sport: str
    setting: str
    people_guided: int
    status: str
    status_label: str

    @staticmethod
    def resolve_instructor_name(obj):
        return obj.instructor.real_name

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


def _own_or_409(user) -> Instructor:
    instructor = permissions.own_instructor(user)
    if instructor is None:
        raise PeopleError("not_an_instructor", _("You are not registered as an instructor."), status=409)
    return instructor


@router.get("/me/logs", response={200: list[LogOut], **ERRORS}, summary="My service logs")
@paginate(Paging)
def my_logs(request):
    instructor = permissions.own_instructor(request.user)
    return selectors.own_logs(instructor) if instructor else DutyLog.objects.none()


@router.post("/me/logs", response={201: LogOut, **ERRORS}, summary="Record a service I performed")
def add_log(request, payload: LogIn):
    instructor = _own_or_409(request.user)
    data = payload.dict()
    data["station"], data["site"] = data.pop("station_id"), data.pop("site_id")
    return Status(201, logs.record(instructor, data, by=request.user, request=request))


class LogPatch(Schema):
    station_id: int | None = Field(None, ge=1, le=MAX_ID)
    site_id: int | None = Field(None, ge=1, le=MAX_ID)
    started_at: Moment | None = None
    ended_at: Moment | None = None
    activity: str | None = Field(None, max_length=120)
    sport: str | None = Field(None, max_length=20)
    setting: str | None = Field(None, max_length=10)
    people_guided: int | None = Field(None, ge=0, le=10000)
    hours: Decimal | None = Field(None, ge=0, le=100, decimal_places=1)
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)


@router.patch("/me/logs/{int:log_id}", response={200: LogOut, **ERRORS},
              summary="Correct a service of mine still waiting for confirmation (409 once decided)")
def edit_log(request, log_id: int, payload: LogPatch):
    instructor = _own_or_409(request.user)
    log = instructor.logs.filter(pk=log_id).first()
    if log is None:
        raise Http404
    data = payload.dict(exclude_unset=True)
    for api_name, name in (("station_id", "station"), ("site_id", "site")):
        if api_name in data:
            data[name] = data.pop(api_name)
    return logs.edit(log, data, by=request.user, request=request)


@router.get("/logs", response={200: list[LogOut], **ERRORS}, summary="Service logs waiting for my confirmation")
@paginate(Paging)
def pending_logs(request):
    _require(permissions.can_confirm_logs(request.user))
    return logs.logs_to_confirm(request.user).select_related("instructor").order_by("started_at", "id")


class PeopleDecideIn(Schema):
    confirm: bool = True


@router.post("/logs/{int:log_id}/decide", response={200: LogOut, **ERRORS},
             summary="Confirm (or turn down) a service (station staff, division staff)")
def decide(request, log_id: int, payload: PeopleDecideIn):
    _require(permissions.can_confirm_logs(request.user))
    log = logs.logs_to_confirm(request.user).select_related("instructor").filter(pk=log_id).first()
    if log is None:
        raise Http404
    return logs.decide(log, confirm=payload.confirm, by=request.user, request=request)


# ---------------------------------------------------------------- stations


class PeopleSlotOut(Schema):
    id: int
    start: datetime.datetime
    end: datetime.datetime
    capacity: int
    taken: int


class PeopleStationOut(Schema):
    id: int
    name: str
    kind: str
    region_code: str = Field(..., alias="region_id")
    site_id: int | None
    lon: float | None
    lat: float | None
    sports: list[str]
    times: str
    active: bool
    organization_id: int | None = Field(None, description="The same station in the organisations' register")

    @staticmethod
    def resolve_sports(obj):
        return [s for s in obj.sports.split(",") if s]

    @staticmethod
    def resolve_lon(obj):
        return obj.site.lon if obj.site_id else None

    @staticmethod
    def resolve_lat(obj):
        return obj.site.lat if obj.site_id else None


class CardOut(Schema):
    id: int
    name: str
    grade: str
    sports: list[str]


class StationDetailOut(PeopleStationOut):
    instructors: list[CardOut] = Field(..., alias="instructor_cards")
    sessions: list[PeopleSlotOut]


class StationQuery(Schema):
    region: str | None = Field(None, max_length=12)
    sport: str | None = Field(None, max_length=20)
    q: str | None = Field(None, max_length=50)


class PeopleStationIn(Schema):
    name: str = Field(..., max_length=120)
    kind: str = Field("guidance", max_length=10)
    region_code: str = Field(..., max_length=12)
    site_id: int | None = Field(None, ge=1, le=MAX_ID)
    sports: list[str] = Field(default_factory=list, max_length=20)
    times: str = Field("", max_length=200)
    instructor_ids: list[int] = Field(default_factory=list, max_length=200)
    organization_id: int | None = Field(None, ge=1, le=MAX_ID,
                                        description="The same station in the organisations' register (a fitness point)")


class PeopleStationPatch(Schema):
    name: str | None = Field(None, max_length=120)
    kind: str | None = Field(None, max_length=10)
    region_code: str | None = Field(None, max_length=12)
    site_id: int | None = Field(None, ge=1, le=MAX_ID)
    sports: list[str] | None = Field(None, max_length=20)
    times: str | None = Field(None, max_length=200)
    instructor_ids: list[int] | None = Field(None, max_length=200)
    organization_id: int | None = Field(None, ge=1, le=MAX_ID)
    active: bool | None = None


class PeopleSessionIn(Schema):
    weekday: int = Field(..., ge=0, le=7)
    start: datetime.time
    end: datetime.time
    capacity: int = Field(30, ge=1, le=10000)


def _card(i: Instructor) -> dict:
    return {"id": i.pk, "name": i.card_name, "grade": i.get_grade_display(), "sports": i.sport_labels}


@router.get("/stations", response={200: list[PeopleStationOut], **ERRORS}, auth=PUBLIC,
            summary="Active guidance stations, by division and sport")
@paginate(Paging)
def list_stations(request, query: Query[StationQuery]):
    return selectors.public_stations(query.dict(exclude_none=True))


@router.get("/stations/{int:station_id}", response={200: StationDetailOut, **ERRORS}, auth=PUBLIC,
            summary="A station with its instructors (public cards) and next bookable sessions")
def get_station(request, station_id: int):
    station = Station.objects.filter(pk=station_id, active=True).select_related("site").first()
    if station is None:
        raise Http404
    station.sessions = selectors.upcoming_sessions([station])[station.pk]
    station.instructor_cards = [_card(i) for i in station.instructors.filter(status=Instructor.Status.ACTIVE)]
    return station


@router.post("/stations", response={201: PeopleStationOut, **ERRORS}, summary="Register a station (staff)")
def create_station(request, payload: PeopleStationIn):
    _require(permissions.can_write(request.user))
    data = payload.dict()
    data.update(region=_region_code(data.pop("region_code")), site=data.pop("site_id"),
                instructors=data.pop("instructor_ids"), organization=data.pop("organization_id"))
    return Status(201, stations.save_station(data, by=request.user, request=request))


@router.patch("/stations/{int:station_id}", response={200: PeopleStationOut, **ERRORS},
              summary="Change a station: the fields sent (staff of its division)")
def patch_station(request, station_id: int, payload: PeopleStationPatch):
    _require(permissions.can_write(request.user))
    station = scoping.get_scoped_or_404(request.user, Station.objects.select_related("site", "region"), write=True,
                                        pk=station_id)
    data = payload.dict(exclude_unset=True)
    if data.get("region_code") is not None:
        data["region"] = _region_code(data.pop("region_code"))
    data.pop("region_code", None)
    for api_name, name in (("site_id", "site"), ("instructor_ids", "instructors"), ("organization_id", "organization")):
        if api_name in data:
            data[name] = data.pop(api_name)
    for key in ("name", "kind", "sports", "times", "instructors", "active"):
        if key in data and data[key] is None:
            del data[key]  # null means "leave as it is"; only the site and the organisation may be cleared
    return stations.save_station(data, by=request.user, station=station, request=request)


@router.post("/stations/{int:station_id}/sessions", response={201: dict, **ERRORS},
             summary="Add a regular guided session, bookable through the booking app")
def add_session(request, station_id: int, payload: PeopleSessionIn):
    _require(permissions.can_write(request.user))
    station = scoping.get_scoped_or_404(request.user, Station.objects.all(), write=True, pk=station_id)
    template = stations.add_session(station, weekday=payload.weekday, start=payload.start, end=payload.end,
                                    capacity=payload.capacity, by=request.user, request=request)
    return Status(201, {"id": template.pk, "unit_id": template.unit_id})


@router.get("/cards/{int:instructor_id}", response={200: dict, **ERRORS}, auth=PUBLIC,
            summary="An instructor's public card: the name as they consent, grade, sports, stations")
def card(request, instructor_id: int):
    found = selectors.public_card(instructor_id)
    if found is None:
        raise Http404
    return {**_card(found), "stations": [{"id": s.pk, "name": s.name} for s in found.stations.filter(active=True)]}


# ---------------------------------------------------------------- figures


class FiguresOut(Schema):
    code: str
    name: str
    population: int | None
    instructors: int
    per_1000: Decimal | None
    per_10000: Decimal | None
    core: int
    guidance_rate: Decimal | None
    trained_this_year: int
    stations: int
    volunteer_hours: Decimal
    communities: int
    communities_covered: int
    community_share: Decimal | None
    communities_assigned: int
    assigned_share: Decimal | None
    communities_stable: int
    stable_share: Decimal | None
    serving_disabled: int
    trained_for_disabled: int
    communities_without: list[dict]
    communities_nobody_lives: list[dict]
    children: list[dict]
    into_settings: dict[str, int]
    student_services: int


@router.get("/figures/{code}", response={200: FiguresOut, **ERRORS},
            summary="Instructor figures of a division and its children")
def figures_of(request, code: str):
    _require(permissions.can_read(request.user))
    region = scoping.get_scoped_or_404(request.user, Region.objects.all(), code=services.code_of(code))
    return figures.division_figures(region, timezone.localdate())
