"""Residents' reports under /api/v1/feedback.

Public (no sign-in): the hotline of a division, the categories, sending a report (multipart: the
fields and up to three photos), following it by its secret token (public timeline only, never the
phone), adding photos to it and rating the answer. Signed in: my reports. Staff: the queue of their
divisions' reports (scoped; phones masked), one report with the answers its state allows, respond,
resolve, reject, note, work order, the whole phone on request (logged), and a division's hotline and
deadlines.

Endpoints parse, check permission and call quanmin.feedback.services, as the pages do. A report outside
one's scope answers 404, a read-only role 403 on writes. POST /reports is idempotent under a client key
(`Idempotency-Key` header or `client_key` field): a retry answers the report the first call made. A bad
photo never loses the report: the report is kept and every refused photo is listed with its reason.
"""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.utils import check_csrf
from pydantic import AfterValidator

from quanmin.accounts import scoping
from quanmin.accounts.api_auth import PUBLIC
from quanmin.core.api import ErrorOut
from quanmin.facilities.models import Site
from quanmin.regions import codes

from . import selectors, services
from .models import FeedbackSettings, Report, ReportPhoto
from .services import FeedbackError

router = Router(tags=["feedback"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 415: ErrorOut, 429: ErrorOut}
S = Report.Status
MAX_ID = 2**53
# Photo files read in one request: room for a few bad ones beside the three a report keeps.
FILES_READ = 2 * services.PHOTOS_PER_REPORT


def _no_nul(value):
    # NUL bytes cannot reach PostgreSQL text columns; nobody types them.
    return value.replace("\x00", "") if isinstance(value, str) else value


# Schemas bound lengths generously; the services hold the real limits and say them in words.
Text = Annotated[str, AfterValidator(_no_nul)]


# --- schemas ------------------------------------------------------------------------------------------


class HotlineOut(Schema):
    region: str
    region_name: str
    hotline: str


class CategoryOut(Schema):
    code: str
    label: str


class EventOut(Schema):
    kind: str
    kind_label: str
    at: datetime.datetime
    text: str


class StaffEventOut(EventOut):
    public: bool
    actor: str


class PhotoOut(Schema):
    id: int
    uploaded_at: datetime.datetime
    url: str


class PhotoErrorOut(Schema):
    name: str
    code: str
    message: str


class PublicReportOut(Schema):
    """What the holder of the report's link sees: no phone, no names of staff."""

    number: str
    category: str
    category_label: str
    description: str
    status: str
    status_label: str
    site_name: str
    equipment_tag: str
    equipment_kind: str
    region_name: str
    created_at: datetime.datetime
    respond_by: datetime.datetime
    resolve_by: datetime.datetime
    responded_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    answer: str
    overdue: bool
    rating: int | None
    rating_comment: str
    can_rate: bool
    can_add_photos: bool
    hotline: str
    events: list[EventOut]
    photos: list[PhotoOut]


class CreatedOut(PublicReportOut):
    token: str = Field(description="The report's secret: keep it to follow the report.")
    link: str = Field(description="The report's page for the resident.")
    photo_errors: list[PhotoErrorOut] = Field(description="Photos that were refused; the report is kept.")


class ReportIn(Schema):
    category: Text = Field("", max_length=20, description="See GET /feedback/categories.")
    description: Text = Field("", max_length=8000)
    phone: Text = Field("", max_length=40, description="Needed unless signed in (then the account's number).")
    equipment_tag: Text = Field("", max_length=40, description="The QR tag of the piece.")
    site_id: int | None = Field(None, ge=1, le=MAX_ID, description="Or a place.")
    lat: float | None = Field(None, ge=-90, le=90, description="Or a point on the map: the nearest place.")
    lon: float | None = Field(None, ge=-180, le=180)
    crs: Literal["wgs84", "gcj02"] = Field("wgs84", description="Datum of lat/lon: GPS (wgs84) or Chinese maps.")
    client_key: Text = Field("", max_length=200, description="Or the Idempotency-Key header.")


class PhotosOut(Schema):
    photos: list[PhotoOut]
    photo_errors: list[PhotoErrorOut]


class RatingIn(Schema):
    rating: int = Field(description="1 to 5 stars.")
    comment: Text = Field("", max_length=1000)


class MineItemOut(Schema):
    number: str
    token: str
    link: str
    category: str
    category_label: str
    status: str
    status_label: str
    site_name: str
    created_at: datetime.datetime
    resolve_by: datetime.datetime
    overdue: bool
    rating: int | None


class MinePage(Schema):
    count: int
    items: list[MineItemOut]


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
    photos: list[PhotoOut]
    actions: list[str] = Field(description="What the caller may do now: respond, resolve, reject, note, work_order.")


class TextIn(Schema):
    text: Text = Field(max_length=8000)


class AnswerIn(Schema):
    answer: Text = Field(max_length=8000)


class ReasonIn(Schema):
    reason: Text = Field(max_length=8000)


class NoteIn(TextIn):
    public: bool = Field(True, description="The resident may read it.")


class WorkOrderIn(Schema):
    severity: str = Field("normal", max_length=20)
    kind: str = Field("repair", max_length=20)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID, description="Empty: the unit serving the division.")
    description: Text = Field("", max_length=4000)


class RevealIn(Schema):
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


def _region_or_404(code: str):
    from quanmin.regions.models import Region

    try:
        code = codes.normalise(_no_nul(code))
    except ValueError:
        raise Http404 from None
    region = Region.objects.filter(pk=code).first()
    if region is None:
        raise Http404
    return region


def _default_region() -> str | None:
    from quanmin.regions.models import Region

    return Region.objects.filter(parent__isnull=True).order_by("code").values_list("code", flat=True).first()


def _by_token(token: str) -> Report:
    if "\x00" in token:
        raise Http404
    return services.by_token(token)


def _caller(request):
    """The signed-in person behind a public POST, or None. A browser session counts only with its CSRF
    token: another site must not send reports in a resident's name."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if not request.headers.get("Authorization", "").startswith("Bearer ") and check_csrf(request) is not None:
        return None
    return user


def _public_photo_url(report: Report, photo: ReportPhoto) -> str:
    return f"/api/v1/feedback/reports/{report.token}/photos/{photo.pk}"


def _staff_photo_url(report: Report, photo: ReportPhoto) -> str:
    return f"/api/v1/feedback/staff/reports/{report.pk}/photos/{photo.pk}"


def _link(request, report: Report) -> str:
    return request.build_absolute_uri(reverse("feedback:report", args=[report.token]))


def public_out(report: Report, now=None) -> dict:
    now = now or timezone.now()
    photos = list(report.photos.order_by("pk"))
    return {
        "number": report.number,
        "category": report.category,
        "category_label": str(report.get_category_display()),
        "description": report.description,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "site_name": report.site.name if report.site else "",
        "equipment_tag": report.equipment.tag if report.equipment else "",
        "equipment_kind": str(report.equipment.kind_label) if report.equipment else "",
        "region_name": report.region.name,
        "created_at": report.created_at,
        "respond_by": report.respond_by,
        "resolve_by": report.resolve_by,
        "responded_at": report.responded_at,
        "resolved_at": report.resolved_at,
        "answer": report.answer,
        "overdue": services.is_overdue(report, now),
        "rating": report.rating,
        "rating_comment": report.rating_comment,
        "can_rate": report.rating is None and report.status in (S.RESOLVED, S.REJECTED),
        "can_add_photos": services.is_open(report) and len(photos) < services.PHOTOS_PER_REPORT,
        "hotline": services.hotline_for(report.region_id),
        "events": [
            {"kind": e.kind, "kind_label": str(e.get_kind_display()), "at": e.at, "text": e.text}
            for e in report.events.filter(public=True).order_by("at", "id")
        ],
        "photos": [{"id": p.pk, "uploaded_at": p.uploaded_at, "url": _public_photo_url(report, p)} for p in photos],
    }


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
        "overdue": services.is_overdue(r, now),
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
            "response_overdue": services.response_overdue(r, now),
            "resolution_overdue": services.resolution_overdue(r, now),
            "work_order": None
            if order is None
            else {
                "id": order.pk,
                "number": order.number,
                "status": order.status,
                "status_label": str(order.get_status_display()),
            },
            "hotline": services.hotline_for(r.region_id),
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
            "actions": sorted(services.allowed_actions(request.user, r)),
        }
    )
    return out


def _staff_queryset():
    return Report.objects.select_related("region", "handler_region", "equipment", "site", "work_order")


def _staff_report(request, report_id: int, write: bool = False) -> Report:
    """The report in the caller's scope (404 otherwise); write=True needs division write rights (403 for
    supervisors and evaluators, checked first so they learn why)."""
    if not scoping.is_division_staff(request.user, write=write):
        raise PermissionDenied
    if report_id > MAX_ID:
        raise Http404
    return scoping.get_scoped_or_404(request.user, _staff_queryset(), write=write, pk=report_id)


def _photo_response(photo: ReportPhoto):
    try:
        response = FileResponse(photo.image.open("rb"))
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _client_key(request, body_key: str) -> str:
    return _no_nul(request.headers.get("Idempotency-Key") or body_key or "").strip()


def _add_photos(request, report: Report, files) -> list[dict]:
    """services.add_photos on at most FILES_READ files of one request; the rest are refused unread
    (each photo is decoded whole, and nobody needs to send dozens)."""
    files = [f for f in files or [] if f is not None]
    take = files[:FILES_READ]
    errors = services.add_photos(report, take, request=request)
    message = _("A report keeps at most %(n)s photos.") % {"n": services.PHOTOS_PER_REPORT}
    errors += [{"name": f.name, "code": "too_many_photos", "message": message} for f in files[len(take) :]]
    return [{"name": (e.get("name") or "")[:200], "code": e["code"], "message": str(e["message"])} for e in errors]


# --- public ---------------------------------------------------------------------------------------------


@router.get(
    "/hotline",
    response={200: HotlineOut, **ERRORS},
    auth=PUBLIC,
    summary="The hotline of a division (the nearest one set at or above it)",
)
def hotline(request, region: str = Query("", max_length=12, description="Division code; empty: the top one.")):
    region = _no_nul(region).strip()
    if region:
        try:
            codes.normalise(region)
        except ValueError:
            raise FeedbackError(
                "region_invalid", _("Enter a division code of 2, 4, 6, 9 or 12 digits."), "region"
            ) from None
        place = _region_or_404(region)
    else:
        code = _default_region()
        place = _region_or_404(code) if code else None
    if place is None:
        return {"region": "", "region_name": "", "hotline": services.DEFAULT_HOTLINE}
    return {"region": place.code, "region_name": place.name, "hotline": services.hotline_for(place.code)}


@router.get("/categories", response=list[CategoryOut], auth=PUBLIC, summary="What a report can be about")
def categories(request):
    return [{"code": code, "label": str(label)} for code, label in Report.Category.choices]


@router.post(
    "/reports",
    response={201: CreatedOut, **ERRORS},
    auth=PUBLIC,
    summary="Send a report: multipart/form-data with the fields and up to three photos "
    "(idempotent under Idempotency-Key or client_key)",
)
def create_report(request, payload: Form[ReportIn], photos: File[list[UploadedFile]] = None):
    """About a piece of equipment (its QR tag), a place (site_id) or a point on the map (lat, lon: the
    nearest place within 1 km). Photos: JPEG, PNG or WebP, at most 8 MB each; a refused photo is listed
    in `photo_errors` and the report is kept without it. The answer holds the report's secret token and
    link: the resident follows the report with them."""
    if request.content_type not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise FeedbackError("form_required", _("Send the report as multipart/form-data."), status=415)
    reporter = _caller(request)
    report = _submit(request, payload, reporter, _client_key(request, payload.client_key))
    if getattr(report, "retried", False):  # a retry: the first call's report, its photos already taken
        return Status(
            201, {**public_out(report), "token": report.token, "link": _link(request, report), "photo_errors": []}
        )
    errors = _add_photos(request, report, photos)
    report = Report.objects.select_related("region", "site", "equipment").get(pk=report.pk)
    return Status(
        201,
        {
            **public_out(report),
            "token": report.token,
            "link": _link(request, report),
            "photo_errors": errors,
        },
    )


def _submit(request, payload: ReportIn, reporter, client_key: str) -> Report:
    equipment = site = None
    lat = lon = None
    if payload.equipment_tag.strip():
        equipment = services.equipment_by_tag(payload.equipment_tag)
    elif payload.site_id:
        site = (
            Site.objects.exclude(status__in=[Site.Status.PLANNED, Site.Status.BUILDING])
            .filter(pk=payload.site_id)
            .first()
        )
        if site is None:
            raise FeedbackError("site_not_found", _("No such place."), "site_id", status=404)
    elif payload.lat is not None and payload.lon is not None:
        lat, lon = payload.lat, payload.lon
        if payload.crs == "gcj02":
            from quanmin.facilities import geo

            lon, lat = geo.gcj02_to_wgs84(lon, lat)
    return services.submit_report(
        category=payload.category.strip(),
        description=payload.description,
        phone=payload.phone,
        equipment=equipment,
        site=site,
        lat=lat,
        lon=lon,
        reporter=reporter,
        request=request,
        client_key=client_key,
    )


@router.get(
    "/reports/{token}",
    response={200: PublicReportOut, **ERRORS},
    auth=PUBLIC,
    summary="Follow a report by its token: status, public timeline, answer (never the phone)",
)
def get_report(request, token: str):
    return public_out(_by_token(token))


@router.post(
    "/reports/{token}/photos",
    response={201: PhotosOut, **ERRORS},
    auth=PUBLIC,
    summary="Add photos to an open report (multipart `photos`; at most three a report)",
)
def add_report_photos(request, token: str, photos: File[list[UploadedFile]] = None):
    """Each photo on its own: the good ones are kept and the refused ones listed in `photo_errors`.
    When none could be added the answer is an error listing every photo with its reason."""
    report = _by_token(token)
    files = [f for f in photos or [] if f is not None]
    if not files:
        raise FeedbackError("photos_required", _("Choose a photo."), "photos")
    errors = _add_photos(request, report, files)
    if len(errors) == len(files):
        found = {e["code"] for e in errors}
        # A finished report says so whatever else went wrong with the photos.
        code = "report_state" if "report_state" in found else found.pop() if len(found) == 1 else "photos_rejected"
        # A closed report or a full one is a conflict with its state; anything else is a bad photo.
        status = 409 if code in ("report_state", "too_many_photos") else 400
        if len(errors) == 1 or status == 409:
            message = next(e["message"] for e in errors if e["code"] == code)
        else:
            message = _("No photo was added: see each photo's reason.")
        raise FeedbackError(code, message, "photos", status=status, detail={"errors": errors})
    photos_out = [
        {"id": p.pk, "uploaded_at": p.uploaded_at, "url": _public_photo_url(report, p)}
        for p in report.photos.order_by("pk")
    ]
    return Status(201, {"photos": photos_out, "photo_errors": errors})


@router.get(
    "/reports/{token}/photos/{photo_id}",
    response={200: None, **ERRORS},
    auth=PUBLIC,
    summary="A report's photo (the image), for whoever holds the report's token",
)
def get_report_photo(request, token: str, photo_id: int):
    report = _by_token(token)
    photo = ReportPhoto.objects.filter(report=report, pk=min(photo_id, MAX_ID)).first()
    if photo is None:
        raise Http404
    return _photo_response(photo)


@router.post(
    "/reports/{token}/rating",
    response={200: PublicReportOut, **ERRORS},
    auth=PUBLIC,
    summary="Rate the answer, 1 to 5, once the report is resolved (closes it)",
)
def rate_report(request, token: str, payload: RatingIn):
    report = services.rate(_by_token(token), rating=payload.rating, comment=payload.comment, request=request)
    return public_out(_by_token(report.token))


# --- signed-in residents ----------------------------------------------------------------------------------


@router.get("/mine", response={200: MinePage, **ERRORS}, summary="My reports, newest first")
def my_reports(request, limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0, le=10**9)):
    qs = Report.objects.filter(reporter=request.user).select_related("site").order_by("-created_at", "-pk")
    now = timezone.now()
    return {
        "count": qs.count(),
        "items": [
            {
                "number": r.number,
                "token": r.token,
                "link": _link(request, r),
                "category": r.category,
                "category_label": str(r.get_category_display()),
                "status": r.status,
                "status_label": str(r.get_status_display()),
                "site_name": r.site.name if r.site else "",
                "created_at": r.created_at,
                "resolve_by": r.resolve_by,
                "overdue": services.is_overdue(r, now),
                "rating": r.rating,
            }
            for r in qs[offset : offset + limit]
        ],
    }


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
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=10**9),
):
    if not scoping.is_division_staff(request.user):
        raise PermissionDenied
    status, division, category, q = (_no_nul(v).strip() for v in (status, division, category, q))
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
    return staff_out(request, _staff_report(request, report_id))


def _after(request, report: Report) -> dict:
    return staff_out(request, _staff_report(request, report.pk))


@router.post(
    "/staff/reports/{report_id}/respond",
    response={200: StaffReportOut, **ERRORS},
    summary="The first answer, read by the resident",
)
def respond(request, report_id: int, payload: TextIn):
    report = _staff_report(request, report_id, write=True)
    return _after(request, services.respond(report, actor=request.user, text=payload.text, request=request))


@router.post(
    "/staff/reports/{report_id}/resolve",
    response={200: StaffReportOut, **ERRORS},
    summary="Resolved: what was done (the resident may then rate it)",
)
def resolve(request, report_id: int, payload: AnswerIn):
    report = _staff_report(request, report_id, write=True)
    return _after(request, services.resolve(report, actor=request.user, answer=payload.answer, request=request))


@router.post(
    "/staff/reports/{report_id}/reject",
    response={200: StaffReportOut, **ERRORS},
    summary="Not accepted, with the reason the resident reads",
)
def reject(request, report_id: int, payload: ReasonIn):
    report = _staff_report(request, report_id, write=True)
    return _after(request, services.reject(report, actor=request.user, reason=payload.reason, request=request))


@router.post(
    "/staff/reports/{report_id}/note",
    response={201: StaffReportOut, **ERRORS},
    summary="An update on the timeline (public unless public=false)",
)
def note(request, report_id: int, payload: NoteIn):
    report = _staff_report(request, report_id, write=True)
    services.add_note(report, actor=request.user, text=payload.text, public=payload.public, request=request)
    return Status(201, _after(request, report))


@router.post(
    "/staff/reports/{report_id}/work-order",
    response={201: StaffReportOut, **ERRORS},
    summary="Send for repair: a work order for the report's piece or place (one open order a report)",
)
def work_order(request, report_id: int, payload: WorkOrderIn):
    from quanmin.maintenance import selectors as maintenance

    report = _staff_report(request, report_id, write=True)
    unit = None
    if payload.unit_id:
        unit = maintenance.units_serving(report.region_id).filter(pk=payload.unit_id).first()
        if unit is None:
            raise FeedbackError("unit_not_serving", _("That maintenance unit does not serve this division."), "unit_id")
    services.to_work_order(
        report,
        actor=request.user,
        severity=payload.severity,
        kind=payload.kind,
        unit=unit,
        description=payload.description,
        request=request,
    )
    return Status(201, _after(request, report))


@router.post(
    "/staff/reports/{report_id}/phone",
    response={200: PhoneOut, **ERRORS},
    summary="The resident's whole phone number, to call back (the read is logged)",
)
def reveal_phone(request, report_id: int, payload: RevealIn):
    report = _staff_report(request, report_id, write=True)
    if not services.can_handle(request.user, report):
        raise PermissionDenied
    return {"phone": services.reveal_phone(report, request=request, purpose=payload.purpose.strip())}


@router.get(
    "/staff/reports/{report_id}/photos/{photo_id}",
    response={200: None, **ERRORS},
    summary="A report's photo (the image)",
)
def staff_photo(request, report_id: int, photo_id: int):
    report = _staff_report(request, report_id)
    photo = ReportPhoto.objects.filter(report=report, pk=min(photo_id, MAX_ID)).first()
    if photo is None:
        raise Http404
    return _photo_response(photo)


# --- settings ----------------------------------------------------------------------------------------------


def _settings_out(region) -> dict:
    rules = services.rules_for(region.code)
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
    region = _region_or_404(code)
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
