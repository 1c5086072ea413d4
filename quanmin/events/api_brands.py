"""The brand register at the API, for staff (/api/v1/events/staff/brands): list, register, change,
retire and reinstate brands, import them from Excel, the units without a brand, and an event linked
to its brand. Outside the caller's scope a brand or an event answers 404; errors are codes with a
translated message (services_brands)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts import scoping
from quanmin.core import imports
from quanmin.core.api import MAX_ID, ErrorOut, Paging
from quanmin.organizations.models import Organization
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import brands_io, services_brands
from .models import Brand, Games

router = Router(tags=["events"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _reader(user) -> None:
    if not scoping.is_division_staff(user):
        raise PermissionDenied


def _writer(user) -> None:
    if not scoping.is_division_staff(user, write=True):
        raise PermissionDenied


class BrandOut(Schema):
    id: int
    name: str
    region: str = Field(alias="region_id", description="The holding division's 12-digit code (the association's).")
    region_name: str = Field(alias="region.name")
    organization: int | None = Field(alias="organization_id", description="The holding association, if one holds it.")
    holder: str = Field(description="Who holds it, by name.")
    sport: str
    since: int
    description: str
    active: bool
    retired_on: datetime.date | None
    retire_reason: str


class BrandQuery(Schema):
    region: str = Field("", pattern=r"^(\d{12})?$")
    status: str = Field("", pattern=r"^(|active|retired)$")
    q: str = Field("", max_length=60)


class BrandIn(Schema):
    name: str = Field(max_length=120)
    region: str = Field("", pattern=r"^(\d{12})?$", description="The holding division; ignored for an association.")
    organization: int | None = Field(None, ge=1, le=MAX_ID, description="The holding association's id.")
    sport: str = Field("", max_length=16)
    since: int | None = Field(None, ge=1949, le=2100, description="First held; this year when left out.")
    description: str = Field("", max_length=2000)


class BrandPatchIn(Schema):
    name: str | None = Field(None, max_length=120)
    sport: str | None = Field(None, max_length=16)
    since: int | None = Field(None, ge=1949, le=2100)
    description: str | None = Field(None, max_length=2000)


class BrandRetireIn(Schema):
    reason: str = Field("", max_length=200)


class GamesBrandIn(Schema):
    brand: int | None = Field(None, ge=1, le=MAX_ID, description="The brand the event is one year of; null for none.")


class GamesBrandOut(Schema):
    id: int
    brand: bool
    brand_owner: str
    brand_series: int | None = Field(alias="brand_series_id")


class BrandUnitOut(Schema):
    kind: str = Field(description="township, community or association")
    id: str = Field(description="The division's code, or the association's id.")
    name: str
    division: str = Field(description="The division it lies in, by name.")


class BrandGapsOut(Schema):
    code: str
    name: str
    townships: int
    communities: int
    associations: int
    units: list[BrandUnitOut] = Field(description="The first 500 of each kind.")


def _brand(request, brand_id: int, write: bool = False) -> Brand:
    return scoping.get_scoped_or_404(request.user, Brand.objects.select_related("region", "organization"), write,
                                     pk=brand_id)


@router.get("/staff/brands", response={200: list[BrandOut], **ERRORS}, summary="Brands in my divisions")
@paginate(Paging)
def list_brands(request, query: Query[BrandQuery]):
    _reader(request.user)
    return services_brands.staff_brands(request.user, **query.dict())


@router.post("/staff/brands", response={201: BrandOut, **ERRORS}, summary="Register a brand")
def register_brand(request, body: BrandIn):
    _writer(request.user)
    organization = None
    if body.organization is not None:
        organization = scoping.scoped(request.user, Organization.objects.select_related("region")).filter(
            pk=body.organization).first()
        if organization is None:
            raise Http404
    data = body.dict(exclude={"region", "organization"}, exclude_none=True)
    return Status(201, services_brands.register_brand(request.user, data, region=body.region,
                                                      organization=organization, request=request))


@router.get("/staff/brands/missing", response={200: BrandGapsOut, **ERRORS},
            summary="Townships, villages and communities, and associations without a brand")
def brand_gaps(request, code: str = Query("", pattern=r"^(\d{12})?$")):
    _reader(request.user)
    region = Region.objects.filter(code=code).first() if code else scoping.top_region(request.user)
    if region is None or not scoping.can_read_region(request.user, region.code):
        raise Http404
    gaps = services_brands.units_without_brand(codes.prefix(region.code), timezone.localdate())
    units = [{"kind": level, "id": r.code, "name": r.name, "division": r.parent.name if r.parent else ""}
             for level in services_brands.UNIT_LEVELS for r in gaps[level]["rows"]]
    units += [{"kind": "association", "id": str(o.pk), "name": o.name, "division": o.region.name}
              for o in gaps["association"]["rows"]]
    return {"code": region.code, "name": region.name, "townships": gaps["township"]["count"],
            "communities": gaps["community"]["count"], "associations": gaps["association"]["count"], "units": units}


@imports.api_import(router, "/staff/brands/import", imports.import_schema("Brand", typed=False), ERRORS, brands_io.error,
                    lambda u: scoping.is_division_staff(u, write=True),
                    summary="Import brands from .xlsx or .csv (a dry run unless dry_run=false)")
def import_brands(request, file, dry_run):
    return brands_io.import_brands(request.user, file, dry_run=dry_run, request=request)


@router.get("/staff/brands/{brand_id}", response={200: BrandOut, **ERRORS}, summary="A brand")
def get_brand(request, brand_id: int):
    _reader(request.user)
    return _brand(request, brand_id)


@router.patch("/staff/brands/{brand_id}", response={200: BrandOut, **ERRORS}, summary="Change a brand")
def change_brand(request, body: BrandPatchIn, brand_id: int):
    _writer(request.user)
    brand = _brand(request, brand_id, write=True)
    services_brands.update_brand(request.user, brand, body.dict(exclude_none=True), request=request)
    return brand


@router.post("/staff/brands/{brand_id}/retire", response={200: BrandOut, **ERRORS}, summary="Retire a brand")
def retire_brand(request, body: BrandRetireIn, brand_id: int):
    _writer(request.user)
    return services_brands.retire_brand(request.user, _brand(request, brand_id, write=True), body.reason,
                                        request=request)


@router.post("/staff/brands/{brand_id}/reinstate", response={200: BrandOut, **ERRORS},
             summary="Hold a retired brand again")
def reinstate_brand(request, brand_id: int):
    _writer(request.user)
    return services_brands.reinstate_brand(request.user, _brand(request, brand_id, write=True), request=request)


@router.put("/staff/games/{games_id}/brand", response={200: GamesBrandOut, **ERRORS},
            summary="Link an event to the brand it is one year of (or to none)")
def link_brand(request, body: GamesBrandIn, games_id: int):
    _writer(request.user)
    games = scoping.get_scoped_or_404(request.user, Games.objects.all(), True, pk=games_id)
    brand = _brand(request, body.brand) if body.brand is not None else None
    return services_brands.link_games(request.user, games, brand, request=request)
