"""Sites and facilities: the public finder's data, the nearby search, and staff writes."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from quanmin.accounts import scoping
from quanmin.accounts.api_auth import PUBLIC
from quanmin.core.api import ArrayPaging, Day, ErrorOut, Paging

from . import opening, permissions, selectors, services, types
from .models import Facility, OpeningRule, Site

router = Router(tags=["facilities"])

PUBLIC_STATUSES = [Site.Status.OPEN, Site.Status.REPAIR, Site.Status.CLOSED]


class FinderQuery(Schema):
    type: list[str] = Field(default_factory=list, description="facility type codes")
    group: str = ""
    open_now: bool = False
    free: bool = Field(False, description="free or low-fee access, or benefit hours")
    accessible: bool = False
    region: str = Field("", pattern=r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})?$",
                        description="division code (2, 4, 6, 9 or 12 digits): its whole subtree")
    q: str = ""
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    radius_m: float = Field(2000, gt=0, le=50000)
    mine: bool = Field(False, description="staff: everything in my scope, planned sites included")

    def filters(self) -> selectors.Filters:
        return selectors.Filters(types=self.type, group=self.group, free_or_low_fee=self.free,
                                 accessible=self.accessible, region=self.region, q=self.q,
                                 include_unbuilt=self.mine,
                                 open_at=timezone.localtime() if self.open_now else None)


class TypeOut(Schema):
    code: str
    name: str
    group: str
    measure: str


class FacilityOut(Schema):
    id: int
    site_id: int
    type: str
    type_name: str
    name: str
    area_m2: Decimal | None
    length_km: Decimal | None
    indoor: bool
    lit: bool
    smart: bool
    year_built: int | None
    year_refurbished: int | None
    access: str
    region_code: str
    lon: float
    lat: float
    external_id: str
    distance_m: float | None = None

    @staticmethod
    def resolve_type_name(obj):
        return obj.type_label

    @staticmethod
    def resolve_region_code(obj):
        return obj.region_id


class RuleOut(Schema):
    kind: str
    weekday: int
    opens: datetime.time
    closes: datetime.time
    price_note: str


class SiteOut(Schema):
    id: int
    name: str
    address: str
    lon: float
    lat: float
    region_code: str
    owner_kind: str
    manager: str
    contact_phone: str
    status: str
    accessible_entrance: bool
    accessible_toilet: bool
    accessible_parking: bool
    distance_m: float | None = None

    @staticmethod
    def resolve_region_code(obj):
        return obj.region_id


class SiteDetailOut(SiteOut):
    school_rules: str
    description: str
    open_now: bool
    facilities: list[FacilityOut]
    opening_rules: list[RuleOut]

    @staticmethod
    def resolve_open_now(obj):
        return opening.is_open(obj, timezone.localtime(), list(obj.opening_rules.all()),
                               list(obj.opening_exceptions.all()))

    @staticmethod
    def resolve_facilities(obj):
        return list(obj.facilities.all())

    @staticmethod
    def resolve_opening_rules(obj):
        return list(obj.opening_rules.all())


class SiteIn(Schema):
    name: str
    address: str = ""
    lon: float
    lat: float
    region_code: str
    owner_kind: str = Site.OwnerKind.GOVERNMENT
    manager: str = ""
    contact_phone: str = ""
    status: str = Site.Status.OPEN
    accessible_entrance: bool = False
    accessible_toilet: bool = False
    accessible_parking: bool = False
    school_rules: str = ""
    description: str = ""


class SitePatch(Schema):
    name: str | None = None
    address: str | None = None
    lon: float | None = None
    lat: float | None = None
    owner_kind: str | None = None
    manager: str | None = None
    contact_phone: str | None = None
    status: str | None = None
    accessible_entrance: bool | None = None
    accessible_toilet: bool | None = None
    accessible_parking: bool | None = None
    school_rules: str | None = None
    description: str | None = None


class FacilityIn(Schema):
    type: str
    name: str = ""
    area_m2: Decimal | None = None
    length_km: Decimal | None = None
    indoor: bool = False
    lit: bool = False
    smart: bool = False
    year_built: int | None = None
    year_refurbished: int | None = None
    access: str = Facility.Access.FREE
    external_id: str = ""


class FacilityPatch(Schema):
    type: str | None = None
    name: str | None = None
    area_m2: Decimal | None = None
    length_km: Decimal | None = None
    indoor: bool | None = None
    lit: bool | None = None
    smart: bool | None = None
    year_built: int | None = None
    year_refurbished: int | None = None
    access: str | None = None
    external_id: str | None = None


class CloseIn(Schema):
    status: str = Site.Status.CLOSED
    reason: str = ""


class HoursIn(Schema):
    rules: list[RuleOut]


class ExceptionIn(Schema):
    date: Day
    closed: bool = True
    opens: datetime.time | None = None
    closes: datetime.time | None = None
    note: str = ""


def _site_queryset(request, mine: bool):
    qs = Site.objects.all()
    if mine:
        if not scoping.is_backoffice(request.user):
            raise PermissionDenied
        return scoping.scoped(request.user, qs)
    return qs.filter(status__in=PUBLIC_STATUSES)


def _with_distance(hits):
    out = []
    for obj, d in hits:
        obj.distance_m = round(d, 1)
        out.append(obj)
    return out


@router.get("/types", response=list[TypeOut], auth=PUBLIC, summary="Facility types (census categories)")
@paginate(ArrayPaging)
def list_types(request):
    return [{"code": t.code, "name": t.label, "group": t.group, "measure": t.measure} for t in types.TYPES.values()]


@router.get("/sites", response={200: list[SiteOut], 403: ErrorOut}, auth=PUBLIC, summary="Sites, with the finder's filters; "
            "with lat/lon, within radius_m and nearest first")
@paginate(Paging)
def list_sites(request, query: Query[FinderQuery]):
    qs = selectors.filter_sites(_site_queryset(request, query.mine), query.filters())
    if query.lat is not None and query.lon is not None:
        return _with_distance(selectors.nearby(qs, query.lat, query.lon, query.radius_m))
    return qs.order_by("region_id", "name", "id")


@router.get("/sites/{site_id}", response=SiteDetailOut, auth=PUBLIC, summary="One site with facilities and hours")
def get_site(request, site_id: int):
    qs = Site.objects.prefetch_related("facilities", "opening_rules", "opening_exceptions")
    site = qs.filter(pk=site_id).first()
    if site is None:
        raise Http404
    if site.status not in PUBLIC_STATUSES and not scoping.scoped(request.user, Site.objects.filter(pk=site_id)).exists():
        raise Http404
    return site


def _writable_site(request, site_id: int) -> Site:
    if not permissions.can_write(request.user):
        raise PermissionDenied
    return scoping.get_scoped_or_404(request.user, Site.objects.all(), write=True, pk=site_id)


@router.post("/sites", response={201: SiteOut}, summary="Create a site (staff, inside their divisions)")
def create_site(request, payload: SiteIn):
    if not permissions.can_write(request.user):
        raise PermissionDenied
    data = payload.dict()
    data["region"] = data.pop("region_code")
    region = services.check_region(data["region"])
    if not scoping.can_write_region(request.user, region.code):
        raise Http404
    return Status(201, services.create_site(data, request=request))


@router.patch("/sites/{site_id}", response=SiteOut, summary="Change a site (staff)")
def update_site(request, site_id: int, payload: SitePatch):
    site = _writable_site(request, site_id)
    return services.update_site(site, payload.dict(exclude_none=True), request=request)


@router.post("/sites/{site_id}/close", response=SiteOut, summary="Close a site or close it for repair (staff)")
def close_site(request, site_id: int, payload: CloseIn):
    site = _writable_site(request, site_id)
    return services.close_site(site, status=payload.status, reason=payload.reason, request=request)


@router.put("/sites/{site_id}/hours", response=list[RuleOut], summary="Replace a site's weekly hours (staff)")
def set_hours(request, site_id: int, payload: HoursIn):
    site = _writable_site(request, site_id)
    services.set_opening_rules(site, [r.dict() for r in payload.rules], request=request)
    return list(OpeningRule.objects.filter(site=site))


@router.post("/sites/{site_id}/exceptions", response={201: dict}, summary="Set a date's exception (staff)")
def set_exception(request, site_id: int, payload: ExceptionIn):
    site = _writable_site(request, site_id)
    ex = services.set_exception(site, payload.date, closed=payload.closed, opens=payload.opens,
                                closes=payload.closes, note=payload.note, request=request)
    return Status(201, {"date": ex.date.isoformat(), "closed": ex.closed})


@router.post("/sites/{site_id}/facilities", response={201: FacilityOut}, summary="Add a facility to a site (staff)")
def add_facility(request, site_id: int, payload: FacilityIn):
    site = _writable_site(request, site_id)
    return Status(201, services.add_facility(site, payload.dict(), request=request))


@router.get("", response={200: list[FacilityOut], 403: ErrorOut}, auth=PUBLIC, summary="Facilities, with the finder's filters; "
            "with lat/lon, within radius_m and nearest first")
@paginate(Paging)
def list_facilities(request, query: Query[FinderQuery]):
    if query.mine:
        if not scoping.is_backoffice(request.user):
            raise PermissionDenied
        qs = scoping.scoped(request.user, Facility.objects.all())
    else:
        qs = Facility.objects.filter(site__status__in=PUBLIC_STATUSES)
    qs = selectors.filter_facilities(qs, query.filters())
    if query.lat is not None and query.lon is not None:
        return _with_distance(selectors.nearby(qs, query.lat, query.lon, query.radius_m))
    return qs.order_by("id")


@router.get("/{int:facility_id}", response=FacilityOut, auth=PUBLIC, summary="One facility")
def get_facility(request, facility_id: int):
    facility = Facility.objects.filter(pk=facility_id, site__status__in=PUBLIC_STATUSES).first()
    if facility is None:
        facility = scoping.get_scoped_or_404(request.user, Facility.objects.all(), pk=facility_id)
    return facility


def _writable_facility(request, facility_id: int) -> Facility:
    if not permissions.can_write(request.user):
        raise PermissionDenied
    return scoping.get_scoped_or_404(request.user, Facility.objects.select_related("site"), write=True, pk=facility_id)


@router.patch("/{int:facility_id}", response=FacilityOut, summary="Change a facility (staff)")
def update_facility(request, facility_id: int, payload: FacilityPatch):
    facility = _writable_facility(request, facility_id)
    return services.update_facility(facility, payload.dict(exclude_unset=True), request=request)


@router.delete("/{int:facility_id}", response={204: None}, summary="Remove a facility from the register (staff)")
def delete_facility(request, facility_id: int):
    services.remove_facility(_writable_facility(request, facility_id), request=request)
    return Status(204, None)


