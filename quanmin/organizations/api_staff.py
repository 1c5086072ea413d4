"""Staff API of the organisations register (mounted at /api/v1/organizations): list, register,
change, approve filings, gradings, history, Excel import and export."""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator

from quanmin.core import imports
from quanmin.core.api import MAX_ID, ArrayPaging, Day, ErrorOut, Paging

from . import figures, gradings, io, permissions, selectors, services, sports
from .errors import OrganizationError
from .models import Grading, Organization

router = Router(tags=["organizations"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut}


def _no_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


Text = Annotated[str, AfterValidator(_no_nul)]


class OfficerIO(Schema):
    post: Text = Field("", max_length=30)
    name: Text = Field(..., max_length=50)


class OrgOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    sector: str
    status: str
    status_label: str
    review: str
    review_label: str
    credit_code: str
    region: str
    region_name: str
    address: str
    site_id: int | None
    lon: float | None
    lat: float | None
    sports: list[str]
    parent_id: int | None
    founded_on: datetime.date | None
    officers: list[OfficerIO]
    contact_name: str
    contact_phone: str
    party_branch: bool
    decoupled: bool
    governance: bool
    independent: bool
    instructor_association: bool = Field(description="The city's or county's social sports instructors' "
                                                     "association (one per division).")
    join_policy: str
    member_cap: int | None
    member_count: int
    meets: str
    schedule: str
    description: str
    active: bool


def org_out(o: Organization) -> dict:
    return {**{k: getattr(o, k) for k in OrgOut.model_fields if hasattr(o, k) and k not in ("sports", "region")},
            "kind_label": o.get_kind_display(), "status_label": o.get_status_display(),
            "review_label": o.get_review_display(), "region": o.region_id, "region_name": o.region.name,
            "sports": o.sport_codes}


class OrgIn(Schema):
    name: Text = Field(..., max_length=200)
    kind: str = Field(..., max_length=30)
    status: str = Field(..., max_length=20)
    region: str = Field(..., max_length=12, description="12-digit division code.")
    sector: str = Field("general", max_length=20)
    credit_code: Text = Field("", max_length=40)
    address: Text = Field("", max_length=400)
    site_id: int | None = Field(None, ge=1, le=MAX_ID)
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    sports: list[str] = Field(default_factory=list, max_length=40,
                              description=f"Sport codes: {', '.join(sports.SPORTS)}.")
    parent_id: int | None = Field(None, ge=1, le=MAX_ID)
    founded_on: Day | None = None
    officers: list[OfficerIO] = Field(default_factory=list, max_length=40)
    contact_name: Text = Field("", max_length=100)
    contact_phone: Text = Field("", max_length=60)
    party_branch: bool = False
    decoupled: bool = False
    governance: bool = False
    independent: bool = False
    instructor_association: bool = False
    join_policy: str = Field("approval", max_length=20)
    member_cap: int | None = Field(None, ge=1, le=100_000)
    meets: str = Field("", max_length=20)
    schedule: Text = Field("", max_length=240)
    description: Text = Field("", max_length=4000)


class OrgPatch(Schema):
    name: Text | None = Field(None, max_length=200)
    kind: str | None = Field(None, max_length=30)
    status: str | None = Field(None, max_length=20)
    region: str | None = Field(None, max_length=12)
    sector: str | None = Field(None, max_length=20)
    credit_code: Text | None = Field(None, max_length=40)
    address: Text | None = Field(None, max_length=400)
    site_id: int | None = Field(None, ge=1, le=MAX_ID)
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    sports: list[str] | None = Field(None, max_length=40)
    parent_id: int | None = Field(None, ge=1, le=MAX_ID)
    founded_on: Day | None = None
    officers: list[OfficerIO] | None = Field(None, max_length=40)
    contact_name: Text | None = Field(None, max_length=100)
    contact_phone: Text | None = Field(None, max_length=60)
    party_branch: bool | None = None
    decoupled: bool | None = None
    governance: bool | None = None
    independent: bool | None = None
    instructor_association: bool | None = None
    join_policy: str | None = Field(None, max_length=20)
    member_cap: int | None = Field(None, ge=1, le=100_000)
    meets: str | None = Field(None, max_length=20)
    schedule: Text | None = Field(None, max_length=240)
    description: Text | None = Field(None, max_length=4000)
    active: bool | None = None


def _data(payload: Schema, exclude_unset: bool) -> dict:
    data = payload.dict(exclude_unset=exclude_unset)
    for key in ("site", "parent"):
        if f"{key}_id" in data:
            data[key] = data.pop(f"{key}_id")
    if data.get("officers") is not None:
        data["officers"] = [dict(o) for o in data["officers"]]
    return data


class OrgFilters(Schema):
    q: str = Field("", max_length=60, description="Name contains, or the credit code.")
    kind: str = Field("", max_length=30)
    status: str = Field("", max_length=20)
    review: str = Field("", max_length=20)
    sport: str = Field("", max_length=30)
    region: str = Field("", max_length=12, description="Division code: the division and everything under it.")
    parent: str = Field("", max_length=16, description="A federation's id: its member organisations.")
    active: Literal["1", "0", "all"] = "1"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@router.get("", response={200: list[OrgOut], **ERRORS}, summary="Organisations in my scope, filtered (staff)")
@paginate(Paging)
def list_orgs(request, filters: Query[OrgFilters]):
    _require(permissions.can_read(request.user))
    qs = selectors.filtered(selectors.organizations_for(request.user), filters.dict())
    return [org_out(o) for o in qs.order_by("id")]


@router.post("", response={201: OrgOut, **ERRORS}, summary="Register or file an organisation (division staff)")
def create_org(request, payload: OrgIn):
    _require(permissions.can_create(request.user))
    org = services.register(_data(payload, False), actor=request.user, request=request)
    return Status(201, org_out(selectors.get_or_404(request.user, org.pk)))


@router.get("/{int:org_id}", response={200: OrgOut, **ERRORS}, summary="One organisation (staff)")
def get_org(request, org_id: int):
    _require(permissions.can_read(request.user))
    return org_out(selectors.get_or_404(request.user, org_id))


@router.patch("/{int:org_id}", response={200: OrgOut, **ERRORS},
              summary="Change an organisation (its division's staff; its own staff all but the legal particulars)")
def update_org(request, org_id: int, payload: OrgPatch):
    _require(permissions.can_write(request.user))
    org = selectors.get_or_404(request.user, org_id, write=True)
    services.update(org, _data(payload, True), actor=request.user, request=request)
    return org_out(selectors.get_or_404(request.user, org_id))


class DecisionIn(Schema):
    approve: bool = True


@router.post("/{int:org_id}/approval", response={200: OrgOut, **ERRORS},
             summary="Approve or reject a filing (county or city staff)")
def approve_org(request, org_id: int, payload: DecisionIn):
    _require(permissions.can_read(request.user))
    org = selectors.get_or_404(request.user, org_id)
    services.approve(org, payload.approve, actor=request.user, request=request)
    return org_out(selectors.get_or_404(request.user, org_id))


class ChangeOut(Schema):
    at: datetime.datetime
    action: str
    actor: str
    fields: dict


@router.get("/{int:org_id}/history", response={200: list[ChangeOut], **ERRORS},
            summary="An organisation's history of changes (staff)")
@paginate(Paging)
def history(request, org_id: int):
    _require(permissions.can_read(request.user))
    org = selectors.get_or_404(request.user, org_id)
    return [{"at": c.at, "action": c.action, "actor": c.actor.display_name if c.actor else "", "fields": c.fields}
            for c in org.changes.select_related("actor")]


class GradingOut(Schema):
    id: int
    grade: int
    label: str
    assessed_on: datetime.date
    valid_until: datetime.date
    assessor: str
    note: str
    current: bool


class GradingIn(Schema):
    grade: int = Field(..., ge=-1000, le=1000, description="1 to 5 (1A–5A); anything else is grade_out_of_range.")
    assessed_on: Day
    valid_until: Day
    assessor: Text = Field(..., max_length=240)
    note: Text = Field("", max_length=400)


def _grading_out(g: Grading, current: Grading | None) -> dict:
    return {"id": g.pk, "grade": g.grade, "label": g.label, "assessed_on": g.assessed_on, "valid_until": g.valid_until,
            "assessor": g.assessor, "note": g.note, "current": current is not None and current.pk == g.pk}


@router.get("/{int:org_id}/gradings", response={200: list[GradingOut], **ERRORS},
            summary="An organisation's gradings, the current one marked (staff)")
@paginate(ArrayPaging)
def list_gradings(request, org_id: int):
    _require(permissions.can_read(request.user))
    org = selectors.get_or_404(request.user, org_id)
    current = gradings.current(org)
    return [_grading_out(g, current) for g in org.gradings.all()]


@router.post("/{int:org_id}/gradings", response={201: GradingOut, **ERRORS},
             summary="Record a grading (the division's staff)")
def add_grading(request, org_id: int, payload: GradingIn):
    _require(permissions.can_read(request.user))
    org = selectors.get_or_404(request.user, org_id)
    grading = gradings.add_grading(org, payload.dict(), actor=request.user, request=request)
    return Status(201, _grading_out(grading, gradings.current(org)))


class ExpiringOut(Schema):
    organization_id: int
    organization: str
    grade: int
    valid_until: datetime.date
    days_left: int


@router.get("/gradings/expiring", response={200: list[ExpiringOut], **ERRORS},
            summary="Gradings in my scope running out within the warning period (staff)")
@paginate(Paging)
def expiring(request):
    _require(permissions.can_read(request.user))
    today = timezone.localdate()
    return [{"organization_id": g.organization_id, "organization": g.organization.name, "grade": g.grade,
             "valid_until": g.valid_until, "days_left": (g.valid_until - today).days}
            for g in gradings.expiring(request.user, today)]


@imports.api_import(router, "/import", imports.import_schema("Org", typed=True), ERRORS, OrganizationError,
                    permissions.can_create, detail=("errors", "report"),
                    summary="Import organisations from .xlsx or .csv (a dry run unless dry_run=false)")
def import_file(request, file, dry_run):
    """With dry_run=false the whole file is applied, or nothing is: any rejected row gives 400
    `import_row_invalid` with every rejected row in `errors` and the full `report`."""
    return io.import_rows(io.read_workbook(file), request.user, dry_run=dry_run, request=request)


@router.get("/import-template.xlsx", response={200: None, **ERRORS}, summary="The import template (.xlsx)")
def import_template(request):
    _require(permissions.can_create(request.user))
    return io.template_response()


@router.get("/export.xlsx", response={200: None, **ERRORS},
            summary="Organisations in my scope as .xlsx (the template's columns: re-importable)")
def export_xlsx(request, filters: Query[OrgFilters]):
    _require(permissions.can_read(request.user))
    return io.xlsx_response(selectors.filtered(selectors.organizations_for(request.user), filters.dict()))



class FigureRowOut(Schema):
    code: str
    name: str
    level: str
    registered: int
    filed: int
    total: int
    federations: int
    associations: int
    clubs: int
    fitness_points: int
    communities: int
    four_a_plus: int
    three_a_plus: int
    three_a_share: float | None
    own_federation: bool
    staff_share: float | None = Field(description="Share of its communities with full- or part-time sports staff (C13).")


class CountyOut(Schema):
    code: str
    name: str
    federation: bool
    registered: int
    meets: bool
    short_by: int


class CoverageOut(Schema):
    level: str
    have: int
    of: int
    share: float | None


class StaffCommunityOut(Schema):
    code: str
    name: str


class SportsStaffOut(Schema):
    have: int | None = Field(description="Communities under the division with sports staff (C13).")
    of: int | None
    without: list[StaffCommunityOut] = Field(description="The communities without (the first 500).")


class OrgFiguresOut(Schema):
    rows: list[FigureRowOut] = Field(description="The division first, then its children.")
    counties: list[CountyOut] = Field(description='Every county under the division and its "1+25".')
    missing: list[CountyOut]
    coverage: list[CoverageOut] = Field(description="Federations of their own, per level under the division.")
    staff: SportsStaffOut


@router.get("/figures/{code}", response={200: OrgFiguresOut, **ERRORS},
            summary='A division\'s organisation figures: counts, "1+25", federation coverage, gradings (staff)')
def division_figures(request, code: str):
    _require(permissions.can_read_figures(request.user))
    region = selectors.region_or_404(request.user, code)
    return figures.division_figures(region.code, timezone.localdate())
