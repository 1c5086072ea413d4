"""Staff's side of residents' reports under /api/v1/feedback/staff: the queue of their divisions'
reports (scoped; phones masked), one report with the answers its state allows, respond, resolve,
reject, note, the whole phone on request (logged), and a division's hotline and deadlines. Sending a
report for repair is maintenance's endpoint (maintenance/api_reports.py), under the same path.

Endpoints parse, check permission and call quanmin.feedback.services, as the pages do. A report outside
one's scope answers 404, a read-only role 403 on writes.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from quanmin.accounts import scoping
from quanmin.core.api import MAX_ID, Limit, Offset
from quanmin.regions import codes

from . import permissions, routing, selectors, services
from .api_common import ERRORS, ReportEventOut, ReportPhotoOut, Text, no_nul, photo_response, region_or_404
from .errors import FeedbackError
from .models import FeedbackSettings, Report, ReportPhoto

router = Router(tags=["feedback"])
S = Report.Status

# --- schemas ------------------------------------------------------------------------------------------


class StaffEventOut(ReportEventOut):
    public: bool
    actor: str


class QueueItemOut(Schema):
    id: int
    number: str
    category: str
    category_label: str
    description: str
    status: str
    status_label: str
    region: str
    region_name: str
    handler_region: str
    handler_region_name: str
    escalations: int
    site_id: int | None
    site_name: str
    equipment_id: int | None
    equipment_tag: str
    phone: str = Field(description="Masked; POST …/phone reads it whole (logged).")
    created_at: datetime.datetime
    respond_by: datetime.datetime
    resolve_by: datetime.datetime
    overdue: bool
    work_order_id: int | None


class QueuePage(Schema):
    count: int
    items: list[QueueItemOut]


class WorkOrderRefOut(Schema):
    id: int
    number: str
    status: str
    status_label: str


class StaffReportOut(QueueItemOut):
    lat: float | None
    lon: float | None
    responded_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    answer: str
    rating: int | None
    rating_comment: str
    response_overdue: bool
    resolution_overdue: bool
    work_order: WorkOrderRefOut | None
    hotline: str
    events: list[StaffEventOut]
    photos: list[ReportPhotoOut]
    actions: list[str] = Field(description="What the caller may do now: respond, resolve, reject, note, work_order.")


class TextIn(Schema):
    text: Text = Field(max_length=8000)


class AnswerIn(Schema):
    answer: Text = Field(max_length=8000)


class ReportReasonIn(Schema):
    reason: Text = Field(max_length=8000)


class NoteIn(TextIn):
    public: bool = Field(True, description="The resident may read it.")


class ReportRevealIn(Schema):
    purpose: Text = Field("", max_length=100)


class PhoneOut(Schema):
    phone: str


class SettingsOut(Schema):
    region: str
    region_name: str
    hotline: str
    response_working_days: int
    resolution_working_days: int
    own: bool = Field(description="Set for this division (false: the nearest division above, or the defaults).")


class SettingsIn(Schema):
    hotline: Text = Field(max_length=60)
    response_working_days: int
    resolution_working_days: int


# --- helpers ------------------------------------------------------------------------------------------


def _staff_photo_url(report: Report, photo: ReportPhoto) -> str:
    return f"/api/v1/feedback/staff/reports/{report.pk}/photos/{photo.pk}"


def _queue_item(r: Report, now) -> dict:
    return {
        "id": r.pk,
        "number": r.number,
        "category": r.category,
        "category_label": str(r.get_category_display()),
        "description": r.description,
        "status": r.status,
        "status_label": str(r.get_status_display()),
        "region": r.region_id,
        "region_name": r.region.name,
        "handler_region": r.handler_region_id,
        "handler_region_name": r.handler_region.name,
        "escalations": r.escalations,
        "site_id": r.site_id,
        "site_name": r.site.name if r.site else "",
        "equipment_id": r.equipment_id,
        "equipment_tag": r.equipment.tag if r.equipment else "",
        "phone": r.phone_masked,
        "created_at": r.created_at,
        "respond_by": r.respond_by,
        "resolve_by": r.resolve_by,
        "overdue": routing.is_overdue(r, now),
        "work_order_id": r.work_order_id,
    }


def staff_out(request, r: Report) -> dict:
    now = timezone.now()
    out = _queue_item(r, now)
    order = r.work_order
    out.update(
        {
            "lat": r.lat,
            "lon": r.lon,
            "responded_at": r.responded_at,
            "resolved_at": r.resolved_at,
            "answer": r.answer,
            "rating": r.rating,
            "rating_comment": r.rating_comment,
            "response_overdue": routing.response_overdue(r, now),
            "resolution_overdue": routing.resolution_overdue(r, now),
            "work_order": None
            if order is None
            else {
                "id": order.pk,
                "number": order.number,
                "status": order.status,
                "status_label": str(order.get_status_display()),
            },
            "hotline": routing.hotline_for(r.region_id),
            "events": [
                {
                    "kind": e.kind,
                    "kind_label": str(e.get_kind_display()),
                    "at": e.at,
                    "text": e.text,
                    "public": e.public,
                    "actor": e.actor.display_name if e.actor else "",
                }
                for e in r.events.select_related("actor").order_by("at", "id")
            ],
            "photos": [
                {"id": p.pk, "uploaded_at": p.uploaded_at, "url": _staff_photo_url(r, p)}
                for p in r.photos.order_by("pk")
            ],
            "actions": sorted(permissions.allowed_actions(request.user, r)),
        }
    )
    return out


def _staff_queryset():
    return Report.objects.select_related("region", "handler_region", "equipment", "site", "work_order")


def staff_report_or_404(request, report_id: int, write: bool = False) -> Report:
    """The report in the caller's scope (404 otherwise); write=True needs division write rights or the
    place's operator (403 for supervisors and evaluators, checked first so they learn why)."""
    if not permissions.is_handler(request.user, write=write):
        raise PermissionDenied
    if report_id > MAX_ID:
        raise Http404
    return scoping.get_scoped_or_404(request.user, _staff_queryset(), write=write, pk=report_id)


# --- staff -------------------------------------------------------------------------------------------------

QUEUE_STATUSES = [*S.values, "open", "done"]


@router.get(
    "/staff/reports",
    response={200: QueuePage, **ERRORS},
    summary="The report queue of my divisions (phones masked), filtered and paged",
)
def queue(
    request,
    status: str = Query(
        "", max_length=20, description="A status, open (received or responded) or done (resolved, closed, rejected)."
    ),
    overdue: bool = False,
    escalated: bool = False,
    division: str = Query("", max_length=12, description="Division code: it and everything under it."),
    category: str = Query("", max_length=20),
    q: str = Query("", max_length=60),
    limit: int = Limit(50),
    offset: int = Offset(),
):
    if not permissions.is_handler(request.user):
        raise PermissionDenied
    status, division, category, q = (no_nul(v).strip() for v in (status, division, category, q))
    if status and status not in QUEUE_STATUSES:
        raise FeedbackError("status_invalid", _("Choose one of the listed values."), "status")
    if category and category not in Report.Category.values:
        raise FeedbackError("category_invalid", _("Choose one of the listed values."), "category")
    now = timezone.now()
    qs = scoping.scoped(request.user, _staff_queryset())
    if division:
        try:
            qs = qs.filter(region__code__within=codes.prefix(codes.normalise(division)))
        except ValueError:
            raise FeedbackError(
                "region_invalid", _("Enter a division code of 2, 4, 6, 9 or 12 digits."), "division"
            ) from None
    if status == "open":
        qs = qs.filter(status__in=services.OPEN_STATUSES)
    elif status == "done":
        qs = qs.filter(status__in=selectors.DONE_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(selectors.overdue(now))
    if escalated:
        qs = qs.filter(escalations__gt=0)
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(Q(number__icontains=q[:40]) | Q(description__icontains=q[:40]) | Q(site__name__icontains=q[:40]))
    # Open work first by its deadline; finished work newest first.
    ordered = (
        qs.order_by("resolve_by", "pk")
        if status in ("open", *services.OPEN_STATUSES) or overdue
        else qs.order_by("-created_at", "-pk")
    )
    return {"count": qs.count(), "items": [_queue_item(r, now) for r in ordered[offset : offset + limit]]}


@router.get(
    "/staff/reports/{report_id}",
    response={200: StaffReportOut, **ERRORS},
    summary="One report with its whole timeline, photos and the answers I may give now",
)
def staff_report(request, report_id: int):
    return staff_out(request, staff_report_or_404(request, report_id))


def _after(request, report: Report) -> dict:
    return staff_out(request, staff_report_or_404(request, report.pk))


@router.post(
    "/staff/reports/{report_id}/respond",
    response={200: StaffReportOut, **ERRORS},
    summary="The first answer, read by the resident",
)
def respond(request, report_id: int, payload: TextIn):
    report = staff_report_or_404(request, report_id, write=True)
    return _after(request, services.respond(report, actor=request.user, text=payload.text, request=request))


@router.post(
    "/staff/reports/{report_id}/resolve",
    response={200: StaffReportOut, **ERRORS},
    summary="Resolved: what was done (the resident may then rate it)",
)
def resolve(request, report_id: int, payload: AnswerIn):
    report = staff_report_or_404(request, report_id, write=True)
    return _after(request, services.resolve(report, actor=request.user, answer=payload.answer, request=request))


@router.post(
    "/staff/reports/{report_id}/reject",
    response={200: StaffReportOut, **ERRORS},
    summary="Not accepted, with the reason the resident reads",
)
def reject(request, report_id: int, payload: ReportReasonIn):
    report = staff_report_or_404(request, report_id, write=True)
    return _after(request, services.reject(report, actor=request.user, reason=payload.reason, request=request))


@router.post(
    "/staff/reports/{report_id}/note",
    response={201: StaffReportOut, **ERRORS},
    summary="An update on the timeline (public unless public=false)",
)
def note(request, report_id: int, payload: NoteIn):
    report = staff_report_or_404(request, report_id, write=True)
    services.add_note(report, actor=request.user, text=payload.text, public=payload.public, request=request)
    return Status(201, _after(request, report))


@router.post(
    "/staff/reports/{report_id}/phone",
    response={200: PhoneOut, **ERRORS},
    summary="The resident's whole phone number, to call back (the read is logged)",
)
def reveal_phone(request, report_id: int, payload: ReportRevealIn):
    report = staff_report_or_404(request, report_id, write=True)
    if not permissions.can_handle(request.user, report):
        raise PermissionDenied
    return {"phone": services.reveal_phone(report, request=request, purpose=payload.purpose.strip())}


@router.get(
    "/staff/reports/{report_id}/photos/{photo_id}",
    response={200: None, **ERRORS},
    summary="A report's photo (the image)",
)
def staff_photo(request, report_id: int, photo_id: int):
    report = staff_report_or_404(request, report_id)
    photo = ReportPhoto.objects.filter(report=report, pk=min(photo_id, MAX_ID)).first()
    if photo is None:
        raise Http404
    return photo_response(photo)


# --- settings ----------------------------------------------------------------------------------------------


def _settings_out(region) -> dict:
    rules = routing.rules_for(region.code)
    return {
        "region": region.code,
        "region_name": region.name,
        "hotline": rules.hotline,
        "response_working_days": rules.response_working_days,
        "resolution_working_days": rules.resolution_working_days,
        "own": FeedbackSettings.objects.filter(region=region).exists(),
    }


def _settings_region(request, code: str, write: bool):
    if not scoping.is_division_staff(request.user, write=write):
        raise PermissionDenied
    region = region_or_404(code)
    allowed = scoping.can_write_region if write else scoping.can_read_region
    if not allowed(request.user, region.code):
        raise Http404
    return region


@router.get(
    "/staff/settings/{code}",
    response={200: SettingsOut, **ERRORS},
    summary="A division's hotline and deadlines in working days (its own or those above)",
)
def get_settings(request, code: str):
    return _settings_out(_settings_region(request, code, write=False))


@router.put(
    "/staff/settings/{code}",
    response={200: SettingsOut, **ERRORS},
    summary="Set a division's hotline and deadlines (for reports received from now on)",
)
def put_settings(request, code: str, payload: SettingsIn):
    region = _settings_region(request, code, write=True)
    services.save_settings(
        region,
        actor=request.user,
        hotline=payload.hotline,
        response_working_days=payload.response_working_days,
        resolution_working_days=payload.resolution_working_days,
        request=request,
    )
    return _settings_out(region)
