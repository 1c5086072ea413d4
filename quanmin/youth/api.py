"""Youth sports in schools in the API (/api/v1/youth): division staff keep the school register and
each school's term returns, read the figures of their divisions, and move the returns in and out of
Excel. Aggregate figures only: no child's data is asked for or answered."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.core import imports
from quanmin.core.api import MAX_ID, ArrayPaging, Day, ErrorOut, Paging

from . import figures, io, permissions, selectors, services
from .errors import YouthError
from .models import PROBLEMS, School, TermReturn

router = Router(tags=["youth"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class SchoolIn(Schema):
    region: str = Field(max_length=12, description="12-digit division code")
    name: str = Field(max_length=120)
    stage: str = Field(max_length=10, description="primary, junior, senior or combined")
    students: int = Field(ge=0, le=services.MAX_STUDENTS)
    site_id: int | None = Field(None, ge=1, le=MAX_ID, description="the school's grounds in the facilities register")
    named_for_opening: bool = False
    active: bool = True


class SchoolOut(Schema):
    id: int
    region: str
    region_name: str
    name: str
    stage: str
    stage_label: str
    students: int
    site_id: int | None
    site_name: str
    grounds_open: bool = Field(description="The facilities register shows the grounds open with public hours.")
    named_for_opening: bool
    active: bool


class SchoolFilters(Schema):
    q: str = Field("", max_length=60, description="Name contains.")
    stage: str = Field("", max_length=10)
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$", description="A division: it and all below it.")
    open: str = Field("", pattern=r"^(1|0)?$", description="1: grounds open to the public; 0: not.")
    active: str = Field("1", pattern=r"^(1|0|all)$")


def school_out(s: School) -> dict:
    return {"id": s.pk, "region": s.region_id, "region_name": s.region.name, "name": s.name, "stage": s.stage,
            "stage_label": s.get_stage_display(), "students": s.students, "site_id": s.site_id,
            "site_name": s.site.name if s.site else "", "grounds_open": selectors.grounds_open(s),
            "named_for_opening": s.named_for_opening, "active": s.active}


def _school_data(payload: SchoolIn) -> dict:
    data = payload.dict()
    data["site"] = data.pop("site_id")
    return data


@router.get("/schools", response={200: list[SchoolOut], **ERRORS}, summary="Schools in my scope, filtered (staff)")
@paginate(Paging)
def list_schools(request, filters: Query[SchoolFilters]):
    _require(permissions.can_read(request.user))
    return [school_out(s) for s in selectors.schools_for(request.user, filters.dict()).order_by("id")]


@router.post("/schools", response={201: SchoolOut, **ERRORS}, summary="Register a school (division staff)")
def create_school(request, payload: SchoolIn):
    _require(permissions.can_write(request.user))
    school = services.save_school(request.user, _school_data(payload), request=request)
    return Status(201, school_out(selectors.school_or_404(request.user, school.pk)))


@router.get("/schools/{int:school_id}", response={200: SchoolOut, **ERRORS}, summary="One school (staff)")
def get_school(request, school_id: int):
    return school_out(selectors.school_or_404(request.user, school_id))


@router.put("/schools/{int:school_id}", response={200: SchoolOut, **ERRORS}, summary="Change a school (its division's staff)")
def update_school(request, school_id: int, payload: SchoolIn):
    _require(permissions.can_write(request.user))
    school = selectors.school_or_404(request.user, school_id, write=True)
    services.save_school(request.user, _school_data(payload), school, request=request)
    return school_out(selectors.school_or_404(request.user, school_id))


class TermReturnIn(Schema):
    school_year: int = Field(ge=2000, le=2100, description="The school year's first year: 2025 for 2025–2026.")
    term: int = Field(ge=1, le=2, description="1 autumn, 2 spring")
    students: int = Field(ge=0, le=services.MAX_STUDENTS)
    minutes_in_school: int = Field(ge=0, le=600, description="average daily minutes of physical activity in school")
    minutes_out_of_school: int = Field(ge=0, le=600)
    students_meeting_both: int = Field(ge=0, le=services.MAX_STUDENTS)
    skills_assessed: int = Field(ge=0, le=services.MAX_STUDENTS)
    skills_two_plus: int = Field(ge=0, le=services.MAX_STUDENTS)
    myopia_screened: int = Field(ge=0, le=services.MAX_STUDENTS)
    myopia_found: int = Field(ge=0, le=services.MAX_STUDENTS)
    myopia_intervened: int = Field(ge=0, le=services.MAX_STUDENTS)
    obesity_screened: int = Field(ge=0, le=services.MAX_STUDENTS)
    obesity_found: int = Field(ge=0, le=services.MAX_STUDENTS)
    obesity_intervened: int = Field(ge=0, le=services.MAX_STUDENTS)
    scoliosis_screened: int = Field(ge=0, le=services.MAX_STUDENTS)
    scoliosis_found: int = Field(ge=0, le=services.MAX_STUDENTS)
    scoliosis_intervened: int = Field(ge=0, le=services.MAX_STUDENTS)
    note: str = Field("", max_length=300)


class TermReturnOut(TermReturnIn):
    id: int
    school_id: int
    school: str
    region: str
    region_name: str
    term_label: str
    starts_on: datetime.date
    updated_at: datetime.datetime


def return_out(r: TermReturn) -> dict:
    return {**{k: getattr(r, k) for k in TermReturnIn.model_fields}, "id": r.pk, "school_id": r.school_id,
            "school": r.school.name, "region": r.region_id, "region_name": r.region.name, "term_label": r.term_label,
            "starts_on": r.starts_on, "updated_at": r.updated_at}


class ReturnFilters(Schema):
    school_year: int | None = Field(None, ge=2000, le=2100)
    term: int | None = Field(None, ge=1, le=2)
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$")


@router.get("/returns", response={200: list[TermReturnOut], **ERRORS}, summary="Term returns in my scope (staff)")
@paginate(Paging)
def list_returns(request, filters: Query[ReturnFilters]):
    _require(permissions.can_read(request.user))
    return [return_out(r) for r in selectors.returns_for(request.user, filters.school_year, filters.term,
                                                         filters.region)]


@router.put("/schools/{int:school_id}/returns", response={200: TermReturnOut, 201: TermReturnOut, **ERRORS},
            summary="Record or correct a school's return for a term (201 new, 200 corrected)")
def save_return(request, school_id: int, payload: TermReturnIn):
    _require(permissions.can_write(request.user))
    school = selectors.school_or_404(request.user, school_id, write=True)
    found, created = services.save_return(request.user, school, payload.dict(), request=request)
    return Status(201 if created else 200, return_out(selectors.return_or_404(request.user, found.pk)))


@router.delete("/returns/{int:return_id}", response={204: None, **ERRORS}, summary="Remove a term return")
def delete_return(request, return_id: int):
    _require(permissions.can_write(request.user))
    services.delete_return(request.user, selectors.return_or_404(request.user, return_id, write=True), request=request)
    return Status(204, None)


class ProblemOut(Schema):
    problem: str
    screened: int
    found: int
    intervened: int
    intervened_share: float | None


class YouthFiguresOut(Schema):
    region: str
    region_name: str
    schools: int
    schools_reporting: int
    students: int
    minutes_in_school: float | None
    minutes_out_of_school: float | None
    daily_hours_lesser: float | None
    both_hours_share: float | None
    skills_assessed_share: float | None
    two_skills_share: float | None
    intervened_share: float | None
    grounds_open: int
    named_for_opening: int
    named_open: int
    problems: list[ProblemOut]


class FiguresQuery(Schema):
    as_of: Day | None = Field(None, description="The figures of this date (today by default).")


def figures_out(row) -> dict:
    t = row.totals
    number = lambda v: float(v) if v is not None else None  # noqa: E731
    return {"region": row.region.code, "region_name": row.region.name, "schools": t.schools,
            "schools_reporting": t.schools_reporting, "students": t.sums["students"],
            "minutes_in_school": number(t.minutes("in_school")), "minutes_out_of_school": number(t.minutes("out_of_school")),
            "daily_hours_lesser": number(t.hours_lesser), "both_hours_share": number(t.both_share),
            "skills_assessed_share": number(t.skills_assessed_share), "two_skills_share": number(t.skills_share),
            "intervened_share": number(t.intervened_share()), "grounds_open": t.grounds_open,
            "named_for_opening": t.named, "named_open": t.named_open,
            "problems": [{"problem": p, "screened": t.sums[f"{p}_screened"], "found": t.sums[f"{p}_found"],
                          "intervened": t.sums[f"{p}_intervened"], "intervened_share": number(t.intervened_share(p))}
                         for p in PROBLEMS]}


@router.get("/figures", response={200: list[YouthFiguresOut], **ERRORS},
            summary="Figures of my top division, then of each division right below it (staff)")
@paginate(ArrayPaging)
def get_figures(request, query: Query[FiguresQuery]):
    _require(permissions.can_read(request.user))
    top = selectors.top_region(request.user)
    return [figures_out(row) for row in figures.rollup(top, query.as_of or timezone.localdate())]


@router.get("/export.xlsx", response={200: None, **ERRORS}, summary="Term returns in my scope (.xlsx, re-importable)")
def export_xlsx(request, filters: Query[ReturnFilters]):
    _require(permissions.can_read(request.user))
    return io.xlsx_response(selectors.returns_for(request.user, filters.school_year, filters.term, filters.region))


@imports.api_import(router, "/import", imports.import_schema("Youth", "school"), ERRORS, YouthError, permissions.can_write,
                    summary="Import term returns from .xlsx or .csv (a dry run unless dry_run=false)")
def import_file(request, file, dry_run):
    return io.import_returns(request.user, file, dry_run=dry_run, request=request)
