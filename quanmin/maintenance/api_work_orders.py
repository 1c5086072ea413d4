"""Work orders, maintenance units and replacements under /api/v1/maintenance.

Division staff change their divisions' orders and units, supervisors read, a maintenance unit's staff
read and work on the orders assigned to their unit. Anything outside one's scope answers 404; a change
the order's state does not allow answers 409 `work_order_state`. Every write goes through services.
"""

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from quanmin.accounts import scoping
from quanmin.accounts.crypto import mask_phone
from quanmin.core.api import MAX_ID, ArrayPaging, DayBound, Limit, Offset
from quanmin.core.uploads import file_response
from quanmin.facilities.models import Equipment, Facility
from quanmin.regions import codes

from . import errors, permissions, selectors, services
from . import units as unit_services
from .models import MaintenanceUnit, WorkOrder, WorkOrderPhoto

router = Router(tags=["maintenance work orders"])


# --- schemas --------------------------------------------------------------------------------------------

class WorkOrderOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    severity: str
    severity_label: str
    status: str
    status_label: str
    source: str
    description: str
    resolution: str
    cancel_reason: str
    region: str
    region_name: str
    site_id: int | None
    site_name: str
    facility_id: int | None
    equipment_id: int | None
    equipment_tag: str
    unit_id: int | None
    unit_name: str
    created_at: datetime.datetime
    due_at: datetime.datetime
    assigned_at: datetime.datetime | None
    started_at: datetime.datetime | None
    done_at: datetime.datetime | None
    verified_at: datetime.datetime | None
    overdue: bool
    late: bool


class WorkOrderEventOut(Schema):
    status: str
    status_label: str
    at: datetime.datetime
    actor: str
    text: str


class WorkOrderPhotoOut(Schema):
    id: int
    stage: str
    uploaded_at: datetime.datetime
    url: str


class WorkOrderDetailOut(WorkOrderOut):
    events: list[WorkOrderEventOut]
    photos: list[WorkOrderPhotoOut]
    actions: list[str]


class WorkOrderPage(Schema):
    count: int
    items: list[WorkOrderOut]


class WorkOrderCountsOut(Schema):
    counts: dict[str, int]


class WorkOrderIn(Schema):
    description: str = Field(max_length=4000)
    kind: str = WorkOrder.Kind.REPAIR
    severity: str = WorkOrder.Severity.NORMAL
    equipment_tag: str | None = Field(None, max_length=16)
    equipment_id: int | None = Field(None, ge=1, le=MAX_ID)
    facility_id: int | None = Field(None, ge=1, le=MAX_ID)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)


class AssignIn(Schema):
    unit_id: int = Field(ge=1, le=MAX_ID)


class CompleteIn(Schema):
    resolution: str = Field("", max_length=4000)


class WorkOrderVerifyIn(Schema):
    accepted: bool = True
    note: str = Field("", max_length=300)


class WorkOrderCancelIn(Schema):
    reason: str = Field("", max_length=200)


class WorkOrderUnitOut(Schema):
    id: int
    name: str
    region: str
    region_name: str
    contact: str
    phone: str
    active: bool
    open_orders: int
    overdue_orders: int


class WorkOrderUnitIn(Schema):
    name: str = Field(max_length=120)
    region: str = Field(max_length=12)
    contact: str = Field("", max_length=60)
    phone: str = Field("", max_length=30)


class UnitPatch(Schema):
    name: str | None = Field(None, max_length=120)
    region: str | None = Field(None, max_length=12)
    contact: str | None = Field(None, max_length=60)
    phone: str | None = Field(None, max_length=30)
    active: bool | None = None


class StaffIn(Schema):
    phone: str = Field(max_length=20)


class StaffOut(Schema):
    user_id: int
    name: str
    phone: str


class ReplacementOut(Schema):
    id: int
    tag: str
    kind: str
    kind_label: str
    status: str
    facility_id: int
    site_name: str
    region: str
    install_date: datetime.date | None
    design_life_years: int
    design_life_unverified: bool = Field(description="The type's figure, not read in the standard itself (GB 19272).")
    replace_due: datetime.date | None
    open_replacement: bool


class ReplacementPage(Schema):
    count: int
    items: list[ReplacementOut]


class ReplacementIn(Schema):
    equipment_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(min_length=1, max_length=1000)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    severity: str = WorkOrder.Severity.LOW


class ReplacementResult(Schema):
    created: list[str]
    skipped: list[int]


# --- helpers ------------------------------------------------------------------------------------------------

def _read(request):
    if not permissions.can_read(request.user):
        raise PermissionDenied


def _write(request):
    if not scoping.is_division_staff(request.user, write=True):
        raise PermissionDenied


def _order(request, order_id: int, manage: bool | None = None) -> WorkOrder:
    """The order in the caller's scope (404 otherwise); manage=True needs division write rights,
    manage=False the right to work on it (403 for a read-only role)."""
    _read(request)
    order = selectors.get_work_order_or_404(request.user, order_id)
    if manage is True and not permissions.can_manage(request.user, order):
        raise PermissionDenied
    if manage is False and not permissions.can_work(request.user, order):
        raise PermissionDenied
    return order


def order_out(o: WorkOrder, now=None) -> dict:
    now = now or timezone.now()
    return {
        "id": o.pk, "number": o.number, "kind": o.kind, "kind_label": o.get_kind_display(),
        "severity": o.severity, "severity_label": str(o.get_severity_display()), "status": o.status,
        "status_label": str(o.get_status_display()), "source": o.source, "description": o.description,
        "resolution": o.resolution, "cancel_reason": o.cancel_reason, "region": o.region_id,
        "region_name": o.region.name, "site_id": o.site_id, "site_name": o.site.name if o.site else "",
        "facility_id": o.facility_id, "equipment_id": o.equipment_id,
        "equipment_tag": o.equipment.tag if o.equipment else "", "unit_id": o.unit_id,
        "unit_name": o.unit.name if o.unit else "", "created_at": o.created_at, "due_at": o.due_at,
        "assigned_at": o.assigned_at, "started_at": o.started_at, "done_at": o.done_at,
        "verified_at": o.verified_at, "overdue": services.is_overdue(o, now), "late": services.is_late(o, now),
    }


def photo_url(photo: WorkOrderPhoto) -> str:
    return f"/api/v1/maintenance/work-orders/{photo.work_order_id}/photos/{photo.pk}"


def detail_out(request, o: WorkOrder) -> dict:
    out = order_out(o)
    out["events"] = [{"status": e.status, "status_label": str(e.get_status_display()), "at": e.at,
                      "actor": e.actor.display_name if e.actor else "", "text": e.text}
                     for e in o.events.select_related("actor").order_by("at", "id")]
    out["photos"] = [{"id": p.pk, "stage": p.stage, "uploaded_at": p.uploaded_at, "url": photo_url(p)}
                     for p in o.photos.all()]
    out["actions"] = sorted(permissions.allowed_actions(request.user, o))
    return out


def _filters(**params) -> selectors.Filters:
    return selectors.Filters.parse({k: v for k, v in params.items() if v is not None})


# --- work orders -----------------------------------------------------------------------------------------------

@router.get("/work-orders", response=WorkOrderPage, summary="Work orders in my scope, filtered and paged")
def list_work_orders(request, status: str | None = None, kind: str | None = None, severity: str | None = None,
                     source: str | None = None, overdue: bool = False, unit: int | None = Query(None, ge=1, le=MAX_ID),
                     region: str | None = None, created_from: DayBound | None = None,
                     created_to: DayBound | None = None, q: str | None = None,
                     limit: int = Limit(50), offset: int = Offset()):
    _read(request)
    f = _filters(status=status, kind=kind, severity=severity, source=source, overdue="1" if overdue else "",
                 unit=str(unit) if unit else None, region=region, created_from=created_from,
                 created_to=created_to, q=q)
    now = timezone.now()
    qs = selectors.list_for(request.user, f, now)
    return {"count": qs.count(), "items": [order_out(o, now) for o in qs[offset:offset + limit]]}


@router.get("/work-orders/counts", response=WorkOrderCountsOut, summary="How many work orders per status (filters apply)")
def work_order_counts(request, kind: str | None = None, severity: str | None = None, source: str | None = None,
                      unit: int | None = Query(None, ge=1, le=MAX_ID), region: str | None = None,
                      created_from: DayBound | None = None, created_to: DayBound | None = None):
    _read(request)
    f = _filters(kind=kind, severity=severity, source=source, unit=str(unit) if unit else None, region=region,
                 created_from=created_from, created_to=created_to)
    qs = selectors.filter_work_orders(selectors.work_orders_for(request.user), f, with_status=False)
    return {"counts": selectors.counts_by_status(qs)}


@router.post("/work-orders", response={201: WorkOrderDetailOut},
             summary="Open a work order for a piece (by tag or id) or a facility")
def create_work_order(request, payload: WorkOrderIn):
    _write(request)
    piece = facility = unit = None
    if payload.equipment_tag or payload.equipment_id:
        lookup = {"tag__iexact": payload.equipment_tag.strip()} if payload.equipment_tag else {
            "pk": payload.equipment_id}
        piece = scoping.scoped(request.user, Equipment.objects.filter(**lookup), write=True).first()
        if piece is None or not scoping.can_write_region(request.user, piece.region_id):
            raise Http404
    elif payload.facility_id:
        facility = scoping.scoped(request.user, Facility.objects.filter(pk=payload.facility_id), write=True).first()
        if facility is None or not scoping.can_write_region(request.user, facility.region_id):
            raise Http404
    if payload.unit_id:
        unit = MaintenanceUnit.objects.filter(pk=payload.unit_id).first()
        if unit is None:
            raise errors.MaintenanceError("unit_not_serving", _("That maintenance unit does not serve this division."),
                                            "unit_id")
    order = services.create_work_order(actor=request.user, description=payload.description, kind=payload.kind,
                                       severity=payload.severity, equipment=piece, facility=facility, unit=unit,
                                       request=request)
    return Status(201, detail_out(request, selectors.get_work_order_or_404(request.user, order.pk)))


@router.get("/work-orders/{order_id}", response=WorkOrderDetailOut, summary="One work order with its history and photos")
def get_work_order(request, order_id: int):
    return detail_out(request, _order(request, order_id))


@router.post("/work-orders/{order_id}/assign", response=WorkOrderDetailOut, summary="Assign to a maintenance unit")
def assign(request, order_id: int, payload: AssignIn):
    order = _order(request, order_id, manage=True)
    unit = unit_services.units_serving(order.region_id).filter(pk=payload.unit_id).first()
    if unit is None:
        raise errors.MaintenanceError("unit_not_serving", _("That maintenance unit does not serve this division."),
                                        "unit_id")
    services.assign(order, unit, actor=request.user, request=request)
    return detail_out(request, _order(request, order_id))


@router.post("/work-orders/{order_id}/start", response=WorkOrderDetailOut, summary="The unit starts the work")
def start(request, order_id: int):
    services.start(_order(request, order_id, manage=False), actor=request.user, request=request)
    return detail_out(request, _order(request, order_id))


@router.post("/work-orders/{order_id}/complete", response=WorkOrderDetailOut,
             summary="The unit reports the work done (a text, or after photos uploaded before)")
def complete(request, order_id: int, payload: CompleteIn):
    services.complete(_order(request, order_id, manage=False), actor=request.user, resolution=payload.resolution,
                      request=request)
    return detail_out(request, _order(request, order_id))


@router.post("/work-orders/{order_id}/verify", response=WorkOrderDetailOut,
             summary="The division accepts the work (closing the order) or refuses it with a reason")
def verify(request, order_id: int, payload: WorkOrderVerifyIn):
    services.verify(_order(request, order_id, manage=True), actor=request.user, accepted=payload.accepted,
                    note=payload.note, request=request)
    return detail_out(request, _order(request, order_id))


@router.post("/work-orders/{order_id}/cancel", response=WorkOrderDetailOut, summary="Cancel, with a reason")
def cancel(request, order_id: int, payload: WorkOrderCancelIn):
    services.cancel(_order(request, order_id, manage=True), actor=request.user, reason=payload.reason,
                    request=request)
    return detail_out(request, _order(request, order_id))


@router.post("/work-orders/{order_id}/photos", response={201: WorkOrderPhotoOut},
             summary="Upload a before or after photo (JPEG, PNG or WebP, at most 8 MB)")
def upload_photo(request, order_id: int, stage: Form[str] = "", image: File[UploadedFile] = None):
    # Both optional so that the right to upload is checked first: a missing photo or stage is the
    # service's 400 for those who may upload, and 403/404 (not 422) for everyone else.
    order = _order(request, order_id, manage=False)
    with transaction.atomic():
        photo = services.add_photo(order, image, stage, actor=request.user, request=request)
    return Status(201, {"id": photo.pk, "stage": photo.stage, "uploaded_at": photo.uploaded_at,
                        "url": photo_url(photo)})


@router.get("/work-orders/{order_id}/photos/{photo_id}", summary="A work order's photo (the image itself)")
def get_photo(request, order_id: int, photo_id: int):
    order = _order(request, order_id)
    photo = get_object_or_404(WorkOrderPhoto, pk=photo_id, work_order=order)
    return file_response(photo.image)


# --- maintenance units -----------------------------------------------------------------------------------------

def unit_out(u: MaintenanceUnit) -> dict:
    return {"id": u.pk, "name": u.name, "region": u.region_id, "region_name": u.region.name, "contact": u.contact,
            "phone": mask_phone(u.phone) if u.phone else "", "active": u.active,
            "open_orders": getattr(u, "open_orders", 0), "overdue_orders": getattr(u, "overdue_orders", 0)}


def _unit(request, unit_id: int, write=False) -> MaintenanceUnit:
    (_write if write else _read)(request)
    qs = unit_services.units_with_open_counts(unit_services.units_for(request.user))
    unit = qs.filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    if write and not scoping.can_write_region(request.user, unit.region_id):
        raise PermissionDenied if scoping.can_read_region(request.user, unit.region_id) else Http404
    return unit


@router.get("/units", response=list[WorkOrderUnitOut], summary="Maintenance units in my scope, with open order counts")
@paginate(ArrayPaging)
def list_units(request, include_inactive: bool = False, region: str | None = None):
    _read(request)
    qs = unit_services.units_with_open_counts(unit_services.units_for(request.user))
    if not include_inactive:
        qs = qs.filter(active=True)
    if region:
        f = _filters(region=region)
        qs = qs.filter(region__code__within=codes.prefix(codes.normalise(f.region)))
    return [unit_out(u) for u in qs.order_by("region_id", "name")[:500]]


@router.post("/units", response={201: WorkOrderUnitOut}, summary="Create a maintenance unit for a division in my scope")
def create_unit(request, payload: WorkOrderUnitIn):
    _write(request)
    unit = unit_services.create_unit(actor=request.user, request=request, **payload.dict())
    return Status(201, unit_out(_unit(request, unit.pk)))


@router.get("/units/{unit_id}", response=WorkOrderUnitOut, summary="One maintenance unit")
def get_unit(request, unit_id: int):
    return unit_out(_unit(request, unit_id))


@router.patch("/units/{unit_id}", response=WorkOrderUnitOut, summary="Change a unit (active=false deactivates it)")
def update_unit(request, unit_id: int, payload: UnitPatch):
    unit = _unit(request, unit_id, write=True)
    unit_services.update_unit(unit, payload.dict(exclude_none=True), actor=request.user, request=request)
    return unit_out(_unit(request, unit_id))


@router.delete("/units/{unit_id}", response=WorkOrderUnitOut,
               summary="Deactivate a unit (refused while it has open orders; its history stays)")
def deactivate_unit(request, unit_id: int):
    unit = _unit(request, unit_id, write=True)
    unit_services.deactivate_unit(unit, actor=request.user, request=request)
    return unit_out(_unit(request, unit_id))


def staff_out(m) -> dict:
    return {"user_id": m.user_id, "name": m.user.display_name, "phone": m.user.phone_masked}


@router.get("/units/{unit_id}/staff", response=list[StaffOut], summary="The unit's staff (phones masked)")
@paginate(ArrayPaging)
def list_staff(request, unit_id: int):
    return [staff_out(m) for m in unit_services.unit_staff(_unit(request, unit_id))]


@router.post("/units/{unit_id}/staff", response={201: StaffOut},
             summary="Make a registered person staff of the unit (by mobile number)")
def add_staff(request, unit_id: int, payload: StaffIn):
    unit = _unit(request, unit_id, write=True)
    person = unit_services.find_user_by_phone(payload.phone)
    membership = unit_services.add_unit_staff(unit, person, actor=request.user, request=request)
    return Status(201, staff_out(membership))


@router.delete("/units/{unit_id}/staff/{user_id}", response={204: None}, summary="Remove a person from the unit")
def remove_staff(request, unit_id: int, user_id: int):
    unit = _unit(request, unit_id, write=True)
    if not unit_services.remove_unit_staff(unit, user_id, actor=request.user, request=request):
        raise Http404
    return Status(204, None)


# --- replacements ------------------------------------------------------------------------------------------------

def replacement_out(p: Equipment) -> dict:
    return {"id": p.pk, "tag": p.tag, "kind": p.kind, "kind_label": p.kind_label, "status": p.status,
            "facility_id": p.facility_id, "site_name": p.site.name, "region": p.region_id,
            "install_date": p.install_date, "design_life_years": p.design_life_years,
            "design_life_unverified": p.design_life_unverified, "replace_due": p.replace_due,
            "open_replacement": bool(getattr(p, "open_replace", False))}


@router.get("/replacements", response=ReplacementPage, summary="Pieces past their design life in my scope")
def list_replacements(request, region: str | None = None, without_order: bool = False,
                      limit: int = Limit(100), offset: int = Offset()):
    if not scoping.is_division_staff(request.user):
        raise PermissionDenied
    qs = selectors.due_for_replacement(request.user)
    if region:
        f = _filters(region=region)
        qs = qs.filter(region__code__within=codes.prefix(codes.normalise(f.region)))
    if without_order:
        qs = qs.filter(open_replace=False)
    return {"count": qs.count(), "items": [replacement_out(p) for p in qs[offset:offset + limit]]}


@router.post("/replacements", response=ReplacementResult,
             summary="Open replacement orders for pieces past their design life (idempotent)")
def open_replacements(request, payload: ReplacementIn):
    _write(request)
    pieces = [p for p in selectors.due_for_replacement(request.user).filter(pk__in=payload.equipment_ids)
              if scoping.can_write_region(request.user, p.region_id)]
    if not pieces:
        raise Http404
    unit = None
    if payload.unit_id:
        unit = MaintenanceUnit.objects.filter(pk=payload.unit_id).first()
        if unit is None:
            raise errors.MaintenanceError("unit_not_serving", _("That maintenance unit does not serve this division."),
                                            "unit_id")
    result = services.open_replacement_orders(pieces, actor=request.user, unit=unit, severity=payload.severity,
                                              request=request)
    return {"created": [o.number for o in result["created"]], "skipped": [p.pk for p in result["skipped"]]}
