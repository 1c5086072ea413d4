"""The residential register in the API (/api/v1/residential): division staff keep the new
residential areas of their divisions, accept them (a shortfall of the norm needs a reason), read
the norm's figures per division and move the register in and out of Excel."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.core import imports
from quanmin.core.api import ArrayPaging, Day, ErrorOut, Paging

from . import figures, io, norm, permissions, selectors, services
from .errors import ResidentialError
from .models import ResidentialProject

router = Router(tags=["residential"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class ResidentialProjectIn(Schema):
    region: str = Field(max_length=12, description="12-digit code of its county, township or community")
    name: str = Field(max_length=120)
    developer: str = Field("", max_length=120)
    residents: int = Field(ge=1, le=services.MAX_RESIDENTS, description="planned residents (at least one)")
    households: int | None = Field(None, ge=0, le=services.MAX_HOUSEHOLDS)
    indoor_area: Decimal = Field(Decimal(0), ge=0, le=services.MAX_AREA, decimal_places=2,
                                 description="indoor sports building area, m²")
    outdoor_area: Decimal = Field(Decimal(0), ge=0, le=services.MAX_AREA, decimal_places=2,
                                  description="outdoor sports land, m²")
    status: str = Field("planning", pattern=r"^(planning|approved|built)$",
                        description="planning, approved or built (a project is accepted with /accept)")
    approved_on: Day | None = Field(None, description="required from `approved` on")
    completed_on: Day | None = Field(None, description="required when `built`")
    note: str = Field("", max_length=300)


class ResidentialNormCheckOut(Schema):
    compliant: bool
    indoor_per_resident: Decimal
    outdoor_per_resident: Decimal
    indoor_needed: Decimal
    outdoor_needed: Decimal
    indoor_short: Decimal = Field(description="m² of indoor area missing to meet the norm that way (0: met)")
    outdoor_short: Decimal = Field(description="m² of outdoor land missing to meet the norm that way (0: met)")


class ResidentialProjectOut(Schema):
    id: int
    region: str
    region_name: str
    name: str
    developer: str
    residents: int
    households: int | None
    indoor_area: Decimal
    outdoor_area: Decimal
    status: str
    status_label: str
    approved_on: datetime.date | None
    completed_on: datetime.date | None
    accepted_on: datetime.date | None
    shortfall_reason: str
    note: str
    norm_check: ResidentialNormCheckOut

    @staticmethod
    def resolve_region(obj: ResidentialProject) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: ResidentialProject) -> str:
        return obj.region.name

    @staticmethod
    def resolve_status_label(obj: ResidentialProject) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_norm_check(obj: ResidentialProject) -> dict:
        found = obj.norm_check
        return {"compliant": found.compliant, "indoor_per_resident": found.indoor_per_resident,
                "outdoor_per_resident": found.outdoor_per_resident, "indoor_needed": found.indoor_needed,
                "outdoor_needed": found.outdoor_needed, "indoor_short": found.indoor_short,
                "outdoor_short": found.outdoor_short}


class ResidentialProjectFilters(Schema):
    q: str = Field("", max_length=60, description="Name or developer contains.")
    status: str = Field("", max_length=10)
    compliant: str = Field("", pattern=r"^(1|0)?$", description="1: meets the norm; 0: does not.")
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$", description="A division: it and all below it.")


class ResidentialAcceptIn(Schema):
    accepted_on: Day
    reason: str = Field("", max_length=services.MAX_REASON,
                        description="required when the project falls short of the norm")


class ResidentialNormOut(Schema):
    indoor_per_resident: Decimal
    outdoor_per_resident: Decimal
    indoor_quote: str
    outdoor_quote: str
    seed: str
    new_since: datetime.date


@router.get("/norm", response={200: ResidentialNormOut, **ERRORS}, summary="The facility norm and its source (staff)")
def get_norm(request):
    _require(permissions.can_read(request.user))
    return norm.norm().__dict__


@router.get("/projects", response={200: list[ResidentialProjectOut], **ERRORS},
            summary="Residential projects in my scope, filtered (staff)")
@paginate(Paging)
def list_projects(request, filters: Query[ResidentialProjectFilters]):
    _require(permissions.can_read(request.user))
    return selectors.projects_for(request.user, filters.dict())


@router.post("/projects", response={201: ResidentialProjectOut, **ERRORS},
             summary="Register a residential project (division staff)")
def create_project(request, payload: ResidentialProjectIn):
    _require(permissions.can_write(request.user))
    project = services.save_project(request.user, payload.dict(), request=request)
    return Status(201, selectors.project_or_404(request.user, project.pk))


@router.get("/projects/{int:project_id}", response={200: ResidentialProjectOut, **ERRORS},
            summary="One residential project with its norm check (staff)")
def get_project(request, project_id: int):
    return selectors.project_or_404(request.user, project_id)


@router.put("/projects/{int:project_id}", response={200: ResidentialProjectOut, **ERRORS},
            summary="Change a residential project (its division's staff; forward stages only)")
def update_project(request, project_id: int, payload: ResidentialProjectIn):
    _require(permissions.can_write(request.user))
    project = selectors.project_or_404(request.user, project_id, write=True)
    services.save_project(request.user, payload.dict(), project, request=request)
    return selectors.project_or_404(request.user, project_id)


@router.post("/projects/{int:project_id}/accept", response={200: ResidentialProjectOut, **ERRORS},
             summary="Accept a built project (409 unless built; 400 `norm_not_met` below the norm without a reason)")
def accept_project(request, project_id: int, payload: ResidentialAcceptIn):
    _require(permissions.can_write(request.user))
    project = selectors.project_or_404(request.user, project_id, write=True)
    services.accept(request.user, project, payload.dict(), request=request)
    return selectors.project_or_404(request.user, project_id)


class ResidentialFiguresOut(Schema):
    region: str
    region_name: str
    projects: int = Field(description="new residential areas: plans approved since the norm's date, up to as_of")
    compliant: int
    share: Decimal | None
    accepted: int
    accepted_below: int


class ResidentialFiguresQuery(Schema):
    as_of: Day | None = Field(None, description="The figures of this date (today by default).")


@router.get("/figures", response={200: list[ResidentialFiguresOut], **ERRORS},
            summary="The norm's figures of my top division, then of each division right below it (staff)")
@paginate(ArrayPaging)
def get_figures(request, query: Query[ResidentialFiguresQuery]):
    _require(permissions.can_read(request.user))
    top = selectors.top_region(request.user)
    return [{"region": row.region.code, "region_name": row.region.name, "projects": row.totals.projects,
             "compliant": row.totals.compliant, "share": row.totals.share, "accepted": row.totals.accepted,
             "accepted_below": row.totals.accepted_below}
            for row in figures.rollup(top, query.as_of or timezone.localdate())]


@router.get("/export.xlsx", response={200: None, **ERRORS}, summary="Residential projects in my scope (.xlsx, re-importable)")
def export_xlsx(request, filters: Query[ResidentialProjectFilters]):
    _require(permissions.can_read(request.user))
    return io.xlsx_response(selectors.projects_for(request.user, filters.dict()))


@imports.api_import(router, "/import", imports.import_schema("Residential"), ERRORS, ResidentialError, permissions.can_write,
                    summary="Import residential projects from .xlsx or .csv (a dry run unless dry_run=false)")
def import_file(request, file, dry_run):
    return io.import_projects(request.user, file, dry_run=dry_run, request=request)
