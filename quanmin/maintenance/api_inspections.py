"""Inspection plans, rounds, checks and checklists under /api/v1/maintenance.

Division staff read their divisions' plans and rounds and change the plans; supervisors read; an
inspector reads their own rounds and records checks on them (multipart, with an optional photo).
Anything outside one's scope answers 404. Every write goes through inspections.py.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from quanmin.accounts import scoping
from quanmin.accounts.models import User
from quanmin.core.api import MAX_ID, Day, DayBound, Limit, Offset
from quanmin.regions import codes

from . import checklists, errors, inspections, permissions
from .models import Check, InspectionKind, InspectionPlan, InspectionRound, WorkOrder

router = Router(tags=["maintenance inspections"])
R = InspectionRound.Status


# --- schemas ------------------------------------------------------------------------------------------------

class PlanOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    region: str
    region_name: str
    inspector_id: int
    inspector_name: str
    every_days: int
    days_to_complete: int
    starts_on: datetime.date
    ends_on: datetime.date | None
    focus: str
    facility_ids: list[int]
    active: bool
    pieces: int


class PlanPage(Schema):
    count: int
    items: list[PlanOut]


class PlanIn(Schema):
    name: str = Field(max_length=120)
    kind: str = InspectionKind.DAILY
    region: str = Field(max_length=12)
    inspector_id: int = Field(ge=1, le=MAX_ID)
    every_days: int = Field(1, ge=1, le=inspections.MAX_EVERY_DAYS)
    days_to_complete: int = Field(1, ge=1, le=inspections.MAX_DAYS_TO_COMPLETE)
    starts_on: Day | None = None
    ends_on: Day | None = None
    focus: str = Field("", max_length=200)
    facility_ids: list[int] = Field(default_factory=list, max_length=500)


class PlanPatch(Schema):
    name: str | None = Field(None, max_length=120)
    kind: str | None = None
    region: str | None = Field(None, max_length=12)
    inspector_id: int | None = Field(None, ge=1, le=MAX_ID)
    every_days: int | None = Field(None, ge=1, le=inspections.MAX_EVERY_DAYS)
    days_to_complete: int | None = Field(None, ge=1, le=inspections.MAX_DAYS_TO_COMPLETE)
    starts_on: Day | None = None
    ends_on: Day | None = None
    focus: str | None = Field(None, max_length=200)
    facility_ids: list[int] | None = Field(None, max_length=500)
    active: bool | None = None


class RoundOut(Schema):
    id: int
    plan_id: int
    plan_name: str
    kind: str
    region: str
    region_name: str
    inspector_id: int
    inspector_name: str
    scheduled_for: datetime.date
    due_on: datetime.date
    status: str
    status_label: str
    pieces: int
    checked: int
    defects: int
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None


class RoundPage(Schema):
    count: int
    items: list[RoundOut]


class CheckOut(Schema):
    id: int
    equipment_id: int
    equipment_tag: str
    result: str
    failed_items: list[str]
    note: str
    photo_url: str
    lon: float | None
    lat: float | None
    checked_at: datetime.datetime
    work_order: str


class PieceOut(Schema):
    id: int
    tag: str
    kind: str
    kind_label: str
    status: str
    site_name: str
    facility_id: int
    checked: bool


class RoundDetailOut(RoundOut):
    checks: list[CheckOut]
    pieces_to_check: list[PieceOut]


class ChecklistItemOut(Schema):
    code: str
    label: str
    severity: str


# --- helpers ------------------------------------------------------------------------------------------------

def _read(request):
    if not permissions.can_read_inspections(request.user):
        raise PermissionDenied


def _write(request):
    if not permissions.can_write_inspections(request.user):
        raise PermissionDenied


def _backoffice(request):
    if not scoping.is_backoffice(request.user):
        raise PermissionDenied


def _plans(request):
    return inspections.plans_for(request.user).prefetch_related("facilities")


def plan_out(p: InspectionPlan) -> dict:
    return {"id": p.pk, "name": p.name, "kind": p.kind, "kind_label": str(p.get_kind_display()),
            "region": p.region_id, "region_name": p.region.name, "inspector_id": p.inspector_id,
            "inspector_name": p.inspector.display_name, "every_days": p.every_days,
            "days_to_complete": p.days_to_complete, "starts_on": p.starts_on, "ends_on": p.ends_on, "focus": p.focus,
            "facility_ids": sorted(f.pk for f in p.facilities.all()), "active": p.active,
            "pieces": inspections.plan_pieces(p).count()}


def _plan(request, plan_id: int, write=False) -> InspectionPlan:
    (_write if write else _read)(request)
    plan = _plans(request).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    if write and not permissions.can_change_plan(request.user, plan):
        raise PermissionDenied if scoping.can_read_region(request.user, plan.region_id) else Http404
    return plan


def round_out(r: InspectionRound) -> dict:
    return {"id": r.pk, "plan_id": r.plan_id, "plan_name": r.plan.name, "kind": r.kind, "region": r.region_id,
            "region_name": r.region.name, "inspector_id": r.inspector_id, "inspector_name": r.inspector.display_name,
            "scheduled_for": r.scheduled_for, "due_on": r.due_on, "status": r.status,
            "status_label": str(r.get_status_display()), "pieces": r.pieces, "checked": getattr(r, "checked", 0),
            "defects": getattr(r, "defects", 0), "started_at": r.started_at, "finished_at": r.finished_at}


def _with_counts(qs):
    return qs.annotate(checked=Count("checks"), defects=Count("checks", filter=Q(checks__result=Check.Result.DEFECT)))


def _round(request, round_id: int) -> InspectionRound:
    _backoffice(request)
    r = _with_counts(inspections.rounds_for(request.user)).filter(pk=round_id).first()
    if r is None:
        raise Http404
    return r


def _photo_url(check: Check) -> str:
    return reverse("maintenance:check_photo", args=[check.pk]) if check.photo else ""


def round_detail_out(r: InspectionRound) -> dict:
    out = round_out(r)
    orders = dict(WorkOrder.objects.filter(inspection_check__round=r).values_list("inspection_check_id", "number"))
    checks = list(r.checks.select_related("equipment"))
    out["checks"] = [{"id": c.pk, "equipment_id": c.equipment_id, "equipment_tag": c.equipment.tag,
                      "result": c.result, "failed_items": c.failed_items, "note": c.note,
                      "photo_url": _photo_url(c),
                      "lon": c.lon, "lat": c.lat, "checked_at": c.checked_at, "work_order": orders.get(c.pk, "")}
                     for c in checks]
    checked = {c.equipment_id for c in checks}
    pieces = inspections.round_pieces(r) if r.status in inspections.OPEN_ROUND_STATUSES else []
    out["pieces_to_check"] = [{"id": p.pk, "tag": p.tag, "kind": p.kind, "kind_label": p.kind_label,
                               "status": p.status, "site_name": p.site.name, "facility_id": p.facility_id,
                               "checked": p.pk in checked} for p in pieces]
    return out


def _plan_data(payload, partial: bool) -> dict:
    data = payload.dict(exclude_none=partial)
    if "inspector_id" in data:
        data["inspector"] = User.objects.filter(pk=data.pop("inspector_id")).first()
    if "facility_ids" in data:
        data["facilities"] = data.pop("facility_ids")
    if not partial and data.get("starts_on") is None:
        data.pop("starts_on", None)
    return data


# --- plans --------------------------------------------------------------------------------------------------

@router.get("/inspection-plans", response=PlanPage, summary="Inspection plans in my scope")
def list_plans(request, kind: str | None = None, region: str | None = None, active: bool | None = None,
               limit: int = Limit(50), offset: int = Offset()):
    _read(request)
    qs = _plans(request)
    if kind:
        if kind not in InspectionKind.values:
            raise errors.InspectionError("kind_invalid", _("Choose one of the listed values."), "kind")
        qs = qs.filter(kind=kind)
    if region:
        try:
            qs = qs.filter(region__code__within=codes.prefix(codes.normalise(region)))
        except ValueError:
            raise errors.InspectionError("region_invalid", _("Enter a division code of 2, 4, 6, 9 or 12 digits."),
                                              "region") from None
    if active is not None:
        qs = qs.filter(active=active)
    qs = qs.order_by("region_id", "kind", "name", "id")
    return {"count": qs.count(), "items": [plan_out(p) for p in qs[offset:offset + limit]]}


@router.post("/inspection-plans", response={201: PlanOut}, summary="Create an inspection plan; its rounds are made")
def create_plan(request, payload: PlanIn):
    _write(request)
    with transaction.atomic():
        plan = inspections.create_plan(actor=request.user, data=_plan_data(payload, partial=False), request=request)
    return Status(201, plan_out(_plan(request, plan.pk)))


@router.get("/inspection-plans/{plan_id}", response=PlanOut, summary="One inspection plan")
def get_plan(request, plan_id: int):
    return plan_out(_plan(request, plan_id))


@router.patch("/inspection-plans/{plan_id}", response=PlanOut,
              summary="Change a plan (active=false stops it; coming rounds follow)")
def update_plan(request, plan_id: int, payload: PlanPatch):
    plan = _plan(request, plan_id, write=True)
    with transaction.atomic():
        inspections.update_plan(plan, _plan_data(payload, partial=True), actor=request.user, request=request)
    return plan_out(_plan(request, plan_id))


# --- rounds -------------------------------------------------------------------------------------------------

@router.get("/inspection-rounds", response=RoundPage,
            summary="Rounds in my scope, and my own as inspector (status=missed for the missed ones)")
def list_rounds(request, status: str | None = None, kind: str | None = None, plan: int | None = Query(None, ge=1,
                le=MAX_ID), mine: bool = False, date_from: DayBound | None = None,
                date_to: DayBound | None = None, limit: int = Limit(50),
                offset: int = Offset()):
    _backoffice(request)
    qs = inspections.rounds_for(request.user)
    if mine:
        qs = qs.filter(inspector_id=request.user.pk)
    if status:
        if status not in R.values:
            raise errors.InspectionError("status_invalid", _("Choose one of the listed values."), "status")
        qs = qs.filter(status=status)
    if kind:
        if kind not in InspectionKind.values:
            raise errors.InspectionError("kind_invalid", _("Choose one of the listed values."), "kind")
        qs = qs.filter(kind=kind)
    if plan:
        qs = qs.filter(plan_id=plan)
    if date_from:
        qs = qs.filter(scheduled_for__gte=date_from)
    if date_to:
        qs = qs.filter(scheduled_for__lte=date_to)
    qs = _with_counts(qs).order_by("-scheduled_for", "id")
    return {"count": qs.count(), "items": [round_out(r) for r in qs[offset:offset + limit]]}


@router.get("/inspection-rounds/{round_id}", response=RoundDetailOut,
            summary="One round: its checks, and the pieces still to check")
def get_round(request, round_id: int):
    return round_detail_out(_round(request, round_id))


@router.post("/inspection-rounds/{round_id}/checks", response={201: CheckOut},
             summary="The inspector records one piece: OK or defect (failed items, note, photo, position)")
def record_check(request, round_id: int, equipment_id: Form[int | None] = None, result: Form[str] = "",
                 failed_items: Form[list[str]] = None, note: Form[str] = "", severity: Form[str] = "",
                 lon: Form[float | None] = None, lat: Form[float | None] = None,
                 photo: File[UploadedFile] = None):
    r = _round(request, round_id)
    if not permissions.can_walk(request.user, r):
        raise Http404
    if not equipment_id:
        raise errors.InspectionError("equipment_invalid", _("Choose a piece of this round."), "equipment_id")
    with transaction.atomic():
        check = inspections.record_check(r, equipment=equipment_id, result=result, actor=request.user,
                                         failed_items=failed_items or [], note=note, photo=photo, lon=lon, lat=lat,
                                         severity=severity or None, request=request)
    order = WorkOrder.objects.filter(inspection_check=check).values_list("number", flat=True).first()
    return Status(201, {"id": check.pk, "equipment_id": check.equipment_id, "equipment_tag": check.equipment.tag,
                        "result": check.result, "failed_items": check.failed_items, "note": check.note,
                        "photo_url": _photo_url(check),
                        "lon": check.lon, "lat": check.lat, "checked_at": check.checked_at,
                        "work_order": order or ""})


# --- checklists ---------------------------------------------------------------------------------------------

@router.get("/checklists", response=dict[str, list[ChecklistItemOut]],
            summary="The inspection checklist of every equipment type")
def get_checklists(request):
    _backoffice(request)
    return checklists.by_kind()
