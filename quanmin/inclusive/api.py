"""Fitness provision for special populations in the API (/api/v1/inclusive): division staff keep the
institutions register and each institution's fittings, record programme activities, read the figures
of their divisions and move the register in and out of Excel; anyone reads the places suitable for
older people, small children or disabled people near a point."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts.api_auth import PUBLIC
from quanmin.core import imports
from quanmin.core.api import MAX_ID, ArrayPaging, Day, ErrorOut, PagedRows, Paging
from quanmin.facilities import geo

from . import figures, io, permissions, selectors, services
from .errors import InclusiveError
from .models import Activity, Fitting, Institution

router = Router(tags=["inclusive"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class InclusiveInstitutionIn(Schema):
    region: str = Field(max_length=12, description="12-digit division code")
    name: str = Field(max_length=120)
    kind: str = Field(max_length=16, description="elderly_care, elderly_centre, rehab_centre, preschool or "
                                                 "ethnic_village")
    ethnic_group: str = Field("", max_length=30, description="an ethnic village's group (required for one)")
    address: str = Field("", max_length=200)
    site_id: int | None = Field(None, ge=1, le=MAX_ID, description="its site in the facilities register")
    note: str = Field("", max_length=300)
    active: bool = True


class InclusiveInstitutionOut(Schema):
    id: int
    region: str
    region_name: str
    name: str
    kind: str
    kind_label: str
    ethnic_group: str
    address: str
    site_id: int | None
    site_name: str
    note: str
    active: bool


class InclusiveInstitutionFilters(Schema):
    q: str = Field("", max_length=60, description="Name contains.")
    kind: str = Field("", max_length=16)
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$", description="A division: it and all below it.")
    equipped: str = Field("", pattern=r"^(1|0)?$", description="1: fitted as its kind's plan measure asks; 0: not.")
    active: str = Field("1", pattern=r"^(1|0|all)$")


def institution_out(i: Institution) -> dict:
    return {"id": i.pk, "region": i.region_id, "region_name": i.region.name, "name": i.name, "kind": i.kind,
            "kind_label": i.get_kind_display(), "ethnic_group": i.ethnic_group, "address": i.address,
            "site_id": i.site_id, "site_name": i.site.name if i.site else "", "note": i.note, "active": i.active}


def _institution_data(payload: InclusiveInstitutionIn) -> dict:
    data = payload.dict()
    data["site"] = data.pop("site_id")
    return data


@router.get("/institutions", response={200: list[InclusiveInstitutionOut], **ERRORS},
            summary="Institutions in my scope, filtered (staff)")
@paginate(Paging)
def list_institutions(request, filters: Query[InclusiveInstitutionFilters]):
    _require(permissions.can_read(request.user))
    qs = selectors.institutions_for(request.user, filters.dict()).order_by("id")
    return PagedRows(qs, lambda page: [institution_out(i) for i in page])


@router.post("/institutions", response={201: InclusiveInstitutionOut, **ERRORS},
             summary="Register an institution (division staff)")
def create_institution(request, payload: InclusiveInstitutionIn):
    _require(permissions.can_write(request.user))
    found = services.save_institution(request.user, _institution_data(payload), request=request)
    return Status(201, institution_out(selectors.institution_or_404(request.user, found.pk)))


@router.get("/institutions/{int:institution_id}", response={200: InclusiveInstitutionOut, **ERRORS},
            summary="One institution (staff)")
def get_institution(request, institution_id: int):
    return institution_out(selectors.institution_or_404(request.user, institution_id))


@router.put("/institutions/{int:institution_id}", response={200: InclusiveInstitutionOut, **ERRORS},
            summary="Change an institution (its division's staff)")
def update_institution(request, institution_id: int, payload: InclusiveInstitutionIn):
    _require(permissions.can_write(request.user))
    found = selectors.institution_or_404(request.user, institution_id, write=True)
    services.save_institution(request.user, _institution_data(payload), found, request=request)
    return institution_out(selectors.institution_or_404(request.user, institution_id))


class InclusiveFittingIn(Schema):
    kind: str = Field(max_length=20, description="elderly_equipment, rehab_equipment, preschool_equipment, "
                                                 "barrier_free, fitness_equipment, outdoor_basketball or simple_football")
    pieces: int = Field(1, ge=1, le=services.MAX_PIECES)
    fitted_on: Day
    facility_id: int | None = Field(None, ge=1, le=MAX_ID,
                                    description="the facility of the facilities register where the equipment is")
    note: str = Field("", max_length=300)


class InclusiveFittingOut(Schema):
    id: int
    institution_id: int
    kind: str
    kind_label: str
    pieces: int
    fitted_on: datetime.date
    facility_id: int | None
    site_id: int | None
    note: str


def fitting_out(f: Fitting) -> dict:
    return {"id": f.pk, "institution_id": f.institution_id, "kind": f.kind, "kind_label": f.get_kind_display(),
            "pieces": f.pieces, "fitted_on": f.fitted_on, "facility_id": f.facility_id, "site_id": f.site_id,
            "note": f.note}


@router.get("/institutions/{int:institution_id}/fittings", response={200: list[InclusiveFittingOut], **ERRORS},
            summary="What was fitted in an institution, latest first (staff)")
@paginate(ArrayPaging)
def list_fittings(request, institution_id: int):
    found = selectors.institution_or_404(request.user, institution_id)
    return [fitting_out(f) for f in selectors.fittings_of(found)]


@router.post("/institutions/{int:institution_id}/fittings", response={201: InclusiveFittingOut, **ERRORS},
             summary="Record a fitting of an institution (its division's staff)")
def create_fitting(request, institution_id: int, payload: InclusiveFittingIn):
    _require(permissions.can_write(request.user))
    found = selectors.institution_or_404(request.user, institution_id, write=True)
    data = payload.dict()
    data["facility"] = data.pop("facility_id")
    return Status(201, fitting_out(services.record_fitting(request.user, found, data, request=request)))


@router.delete("/fittings/{int:fitting_id}", response={204: None, **ERRORS}, summary="Remove a fitting")
def delete_fitting(request, fitting_id: int):
    _require(permissions.can_write(request.user))
    services.delete_fitting(request.user, selectors.fitting_or_404(request.user, fitting_id, write=True),
                            request=request)
    return Status(204, None)


class InclusiveActivityIn(Schema):
    region: str = Field(max_length=12, description="12-digit division code")
    group: str = Field(max_length=10, description="elderly, preschool, disabled or ethnic")
    programme: str = Field("other", max_length=20,
                           description="changqing_kele, xinghuo_dianliang, rehab_fitness, ethnic_feature or other")
    title: str = Field(max_length=120)
    held_on: Day
    participants: int = Field(ge=0, le=services.MAX_PARTICIPANTS)
    institution_id: int | None = Field(None, ge=1, le=MAX_ID)
    note: str = Field("", max_length=300)


class InclusiveActivityOut(Schema):
    id: int
    region: str
    region_name: str
    group: str
    group_label: str
    programme: str
    programme_label: str
    title: str
    held_on: datetime.date
    participants: int
    institution_id: int | None
    note: str


class InclusiveActivityFilters(Schema):
    group: str = Field("", max_length=10)
    year: int | None = Field(None, ge=2000, le=2100)
    region: str = Field("", max_length=12, pattern=r"^[0-9]*$")


def activity_out(a: Activity) -> dict:
    return {"id": a.pk, "region": a.region_id, "region_name": a.region.name, "group": a.group,
            "group_label": a.get_group_display(), "programme": a.programme, "programme_label": a.get_programme_display(),
            "title": a.title, "held_on": a.held_on, "participants": a.participants,
            "institution_id": a.institution_id, "note": a.note}


@router.get("/activities", response={200: list[InclusiveActivityOut], **ERRORS},
            summary="Programme activities in my scope, latest first (staff)")
@paginate(Paging)
def list_activities(request, filters: Query[InclusiveActivityFilters]):
    _require(permissions.can_read(request.user))
    qs = selectors.activities_for(request.user, filters.dict())
    return PagedRows(qs, lambda page: [activity_out(a) for a in page])


@router.post("/activities", response={201: InclusiveActivityOut, **ERRORS},
             summary="Record a programme activity (division staff)")
def create_activity(request, payload: InclusiveActivityIn):
    _require(permissions.can_write(request.user))
    data = payload.dict()
    data["institution"] = data.pop("institution_id")
    found = services.record_activity(request.user, data, request=request)
    return Status(201, activity_out(selectors.activity_or_404(request.user, found.pk)))


@router.delete("/activities/{int:activity_id}", response={204: None, **ERRORS}, summary="Remove a programme activity")
def delete_activity(request, activity_id: int):
    _require(permissions.can_write(request.user))
    services.delete_activity(request.user, selectors.activity_or_404(request.user, activity_id, write=True),
                             request=request)
    return Status(204, None)


class InclusiveMeasureOut(Schema):
    measure: str = Field(description="elderly, rehab, preschool or ethnic")
    institutions: int
    equipped: int
    share: float | None


class InclusiveGroupOut(Schema):
    group: str
    activities: int = Field(description="held in the 365 days up to the date")
    participants: int


class InclusiveFiguresOut(Schema):
    region: str
    region_name: str
    measures: list[InclusiveMeasureOut]
    groups: list[InclusiveGroupOut]


class InclusiveFiguresQuery(Schema):
    as_of: Day | None = Field(None, description="The figures of this date (today by default).")


def figures_out(row) -> dict:
    t = row.totals
    return {"region": row.region.code, "region_name": row.region.name,
            "measures": [{"measure": m, "institutions": n, "equipped": e, "share": float(s) if s is not None else None}
                         for m, n, e, s in t.measures],
            "groups": [{"group": g, "activities": n, "participants": p} for g, n, p in t.groups]}


@router.get("/figures", response={200: list[InclusiveFiguresOut], **ERRORS},
            summary="Figures of my top division, then of each division right below it (staff)")
@paginate(ArrayPaging)
def get_figures(request, query: Query[InclusiveFiguresQuery]):
    _require(permissions.can_read(request.user))
    top = selectors.top_region(request.user)
    return [figures_out(row) for row in figures.rollup(top, query.as_of or timezone.localdate())]


class InclusiveNearQuery(Schema):
    group: str = Field("elderly", pattern=r"^(elderly|preschool|disabled)$")
    lat: float | None = Field(None, ge=-90, le=90, description="WGS-84")
    lon: float | None = Field(None, ge=-180, le=180, description="WGS-84")
    radius: int = Field(5000, ge=100, le=20000, description="metres")


class InclusiveSuitOut(Schema):
    institution: str
    kind: str = Field(description="what was fitted: elderly_equipment, preschool_equipment, rehab_equipment or "
                                  "barrier_free")
    fitted: str


class InclusiveNearOut(Schema):
    site_id: int
    name: str
    address: str
    lat: float
    lon: float
    distance_m: int | None
    suits: list[InclusiveSuitOut]


@router.get("/near", response={200: list[InclusiveNearOut], 400: ErrorOut}, auth=PUBLIC,
            summary="Places fitted for older people, small children or disabled people, nearest first (public)")
@paginate(ArrayPaging)
def near(request, query: Query[InclusiveNearQuery]):
    origin = None
    if query.lat is not None and query.lon is not None:
        if not geo.in_china(query.lon, query.lat):
            raise InclusiveError("point_outside", _("That point is not in China."), "lat")
        origin = (query.lat, query.lon)
    sites, distances = selectors.near(query.group, origin, query.radius)
    sites = list(sites[:200])
    suits = selectors.what_suits(sites, query.group)
    return [{"site_id": s.pk, "name": s.name, "address": s.address, "lat": s.lat, "lon": s.lon,
             "distance_m": round(distances[s.pk]) if s.pk in distances else None,
             "suits": [{"institution": n, "kind": k, "fitted": w} for n, k, w in suits.get(s.pk, [])]} for s in sites]


@router.get("/export.xlsx", response={200: None, **ERRORS}, summary="The institutions in my scope and their fittings (.xlsx)")
def export_xlsx(request, filters: Query[InclusiveInstitutionFilters]):
    _require(permissions.can_read(request.user))
    return io.xlsx_response(selectors.institutions_for(request.user, filters.dict()), selectors.fittings_for(request.user))


@imports.api_import(router, "/import", imports.import_schema("Inclusive"), ERRORS, InclusiveError, permissions.can_write,
                    summary="Import the institutions register from .xlsx or .csv (a dry run unless dry_run=false)")
def import_file(request, file, dry_run):
    return io.import_institutions(request.user, file, dry_run=dry_run, request=request)

