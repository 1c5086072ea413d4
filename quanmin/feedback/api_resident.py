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
from typing import Literal

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.utils import check_csrf

from quanmin.accounts.api_auth import PUBLIC
from quanmin.core.api import MAX_ID, ArrayPaging, Limit, Offset
from quanmin.facilities import geo
from quanmin.regions import codes

from . import routing, services
from .api_common import (
    ERRORS,
    ReportEventOut,
    ReportPhotoOut,
    Text,
    default_region,
    no_nul,
    photo_response,
    region_or_404,
)
from .errors import FeedbackError
from .models import Report, ReportPhoto

router = Router(tags=["feedback"])
S = Report.Status
# Photo files read in one request: room for a few bad ones beside the three a report keeps.
FILES_READ = 2 * services.PHOTOS_PER_REPORT

# --- schemas ------------------------------------------------------------------------------------------


class HotlineOut(Schema):
    region: str
    region_name: str
    hotline: str


class CategoryOut(Schema):
    code: str
    label: str


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
    events: list[ReportEventOut]
    photos: list[ReportPhotoOut]


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
    photos: list[ReportPhotoOut]
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


# --- helpers ------------------------------------------------------------------------------------------


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
        "overdue": routing.is_overdue(report, now),
        "rating": report.rating,
        "rating_comment": report.rating_comment,
        "can_rate": report.rating is None and report.status in (S.RESOLVED, S.REJECTED),
        "can_add_photos": routing.is_open(report) and len(photos) < services.PHOTOS_PER_REPORT,
        "hotline": routing.hotline_for(report.region_id),
        "events": [
            {"kind": e.kind, "kind_label": str(e.get_kind_display()), "at": e.at, "text": e.text}
            for e in report.events.filter(public=True).order_by("at", "id")
        ],
        "photos": [{"id": p.pk, "uploaded_at": p.uploaded_at, "url": _public_photo_url(report, p)} for p in photos],
    }


def _client_key(request, body_key: str) -> str:
    return no_nul(request.headers.get("Idempotency-Key") or body_key or "").strip()


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
    region = no_nul(region).strip()
    if region:
        try:
            codes.normalise(region)
        except ValueError:
            raise FeedbackError(
                "region_invalid", _("Enter a division code of 2, 4, 6, 9 or 12 digits."), "region"
            ) from None
        place = region_or_404(region)
    else:
        code = default_region()
        place = region_or_404(code) if code else None
    if place is None:
        return {"region": "", "region_name": "", "hotline": routing.DEFAULT_HOTLINE}
    return {"region": place.code, "region_name": place.name, "hotline": routing.hotline_for(place.code)}


@router.get("/categories", response=list[CategoryOut], auth=PUBLIC, summary="What a report can be about")
@paginate(ArrayPaging)
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
        site = services.reportable_sites().filter(pk=payload.site_id).first()
        if site is None:
            raise FeedbackError("site_not_found", _("No such place."), "site_id", status=404)
    elif payload.lat is not None and payload.lon is not None:
        lat, lon = payload.lat, payload.lon
        if payload.crs == "gcj02":
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
    return photo_response(photo)


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
def my_reports(request, limit: int = Limit(20), offset: int = Offset()):
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
                "overdue": routing.is_overdue(r, now),
                "rating": r.rating,
            }
            for r in qs[offset : offset + limit]
        ],
    }
